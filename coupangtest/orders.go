package coupangtest

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-coupang/coupang"
)

// Endpoints beyond the exchanges, for programs that reach them with
// coupang.Client.Do and coupang.DoAll: the order sheets (발주서) listed by day,
// the shipping-waybill upload (송장업로드 처리) with its per-item results, and
// the reply to a customer inquiry (고객문의 답변). They follow the reference's
// field tables and rules, minimally: only the fields and checks below.

// DefaultOrderSheets is how many order sheets a Server is seeded with unless
// WithOrderSheets says otherwise.
const DefaultOrderSheets = 8

// Order sheet statuses, as Coupang's status parameter and field spell them.
const (
	OrderStatusAccept        = "ACCEPT"         // 결제완료, paid
	OrderStatusInstruct      = "INSTRUCT"       // 상품준비중, being prepared: a waybill may be uploaded
	OrderStatusDeparture     = "DEPARTURE"      // 배송지시, shipping instructed: the waybill is in
	OrderStatusDelivering    = "DELIVERING"     // 배송중
	OrderStatusFinalDelivery = "FINAL_DELIVERY" // 배송완료
	OrderStatusNoneTracking  = "NONE_TRACKING"  // 업체 직접 배송(추적불가)
)

// OrderSheet is one order sheet of the sandbox: one shipment box of one
// order with one item, and what the waybill upload sets. Amounts are in won;
// the v5 list shows them as {currencyCode, units, nanos} objects, the v4 list
// as numbers.
type OrderSheet struct {
	// ShipmentBoxID is the box's id (배송번호), the key of the waybill upload.
	ShipmentBoxID int64
	// OrderID is the order's id (주문번호) the box belongs to.
	OrderID int64
	// VendorItemID is the ordered item's id (옵션 ID).
	VendorItemID int64
	// VendorItemName is the ordered item's name, its option included.
	VendorItemName string
	// Quantity is the shippingCount.
	Quantity int
	// SalesPrice is the price of one item, ShippingPrice the shipping fee.
	SalesPrice, ShippingPrice int64
	// Status is one of the OrderStatus constants.
	Status string
	// OrderedAt is when the order was placed (also its paidAt).
	OrderedAt time.Time
	// DeliveryCompanyCode and InvoiceNumber are the waybill, once uploaded.
	DeliveryCompanyCode, InvoiceNumber string
}

// WithOrderSheets sets how many order sheets the server is seeded with
// (default DefaultOrderSheets), over the last three days, in the statuses
// ACCEPT, INSTRUCT and DEPARTURE. 0 starts with none, for tests that add
// their own with AddOrderSheet.
func WithOrderSheets(n int) Option {
	return func(c *config) { c.orderSheets = max(n, 0) }
}

// orderState is the sandbox's order sheets and inquiries.
type orderState struct {
	sheets    map[int64]*OrderSheet // by shipment box id
	nextBox   int64
	nextOrder int64
	inquiries map[int64][]string // replies by inquiry id
	nextInq   int64
}

// seedOrders fills s with cfg.orderSheets order sheets and three open
// inquiries. Ids depend on the seed only; times are relative to now.
func seedOrders(s *Server, now time.Time) {
	rng := rand.New(rand.NewPCG(s.cfg.seed, 0x6f7264657273))
	now = now.Truncate(time.Second).In(coupang.KoreaLocation())
	s.orders = orderState{
		sheets:    map[int64]*OrderSheet{},
		nextBox:   600_000_000_000_000_000 + rng.Int64N(1_000_000_000_000),
		nextOrder: 22_000_000_000_000 + rng.Int64N(1_000_000_000),
		inquiries: map[int64][]string{},
		nextInq:   800_000 + rng.Int64N(100_000),
	}
	statuses := []string{OrderStatusInstruct, OrderStatusAccept, OrderStatusInstruct, OrderStatusDeparture}
	for i := range s.cfg.orderSheets {
		p := catalogue[rng.IntN(len(catalogue))]
		s.addOrderSheetLocked(OrderSheet{
			VendorItemID:   3_000_000_000 + rng.Int64N(1_000_000_000),
			VendorItemName: p.name + ", " + p.options[rng.IntN(len(p.options))],
			Quantity:       1 + rng.IntN(2),
			SalesPrice:     p.price,
			ShippingPrice:  []int64{0, 2500, 3000}[rng.IntN(3)],
			Status:         statuses[i%len(statuses)],
			OrderedAt:      now.Add(-time.Duration(rng.Int64N(int64(72 * time.Hour)))),
		})
	}
	for range 3 {
		s.addInquiryLocked()
	}
}

// AddOrderSheet stores o and returns its shipment box id. A zero
// ShipmentBoxID or OrderID gets the next free one, an empty Status
// INSTRUCT, a zero Quantity 1, a zero OrderedAt the server's clock. An order
// sheet with the box id of an existing one replaces it.
func (s *Server) AddOrderSheet(o OrderSheet) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o.OrderedAt.IsZero() {
		o.OrderedAt = s.now()
	}
	return s.addOrderSheetLocked(o)
}

func (s *Server) addOrderSheetLocked(o OrderSheet) int64 {
	st := &s.orders
	if o.ShipmentBoxID <= 0 {
		o.ShipmentBoxID = st.nextBox
		st.nextBox++
	}
	if o.OrderID <= 0 {
		o.OrderID = st.nextOrder
		st.nextOrder++
	}
	if o.Status == "" {
		o.Status = OrderStatusInstruct
	}
	o.Quantity = max(o.Quantity, 1)
	o.OrderedAt = wireTime(o.OrderedAt)
	st.sheets[o.ShipmentBoxID] = &o
	return o.ShipmentBoxID
}

// OrderSheet returns a copy of the order sheet of box id, and whether it
// exists: after a waybill upload, its status and waybill.
func (s *Server) OrderSheet(boxID int64) (OrderSheet, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders.sheets[boxID]
	if !ok {
		return OrderSheet{}, false
	}
	return *o, true
}

// OrderSheets returns a copy of every order sheet, oldest first.
func (s *Server) OrderSheets() []OrderSheet {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sortedSheetsLocked()
}

func (s *Server) sortedSheetsLocked() []OrderSheet {
	out := make([]OrderSheet, 0, len(s.orders.sheets))
	for _, o := range s.orders.sheets {
		out = append(out, *o)
	}
	slices.SortFunc(out, func(a, b OrderSheet) int {
		if c := a.OrderedAt.Compare(b.OrderedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ShipmentBoxID, b.ShipmentBoxID)
	})
	return out
}

// AddInquiry opens a customer inquiry (고객문의) and returns its id, for a
// reply to be posted to.
func (s *Server) AddInquiry() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addInquiryLocked()
}

func (s *Server) addInquiryLocked() int64 {
	id := s.orders.nextInq
	s.orders.nextInq++
	s.orders.inquiries[id] = nil
	return id
}

// Inquiries returns the ids of the open inquiries, in order.
func (s *Server) Inquiries() []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]int64, 0, len(s.orders.inquiries))
	for id := range s.orders.inquiries {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// InquiryReplies returns the replies posted to inquiry id, in order.
func (s *Server) InquiryReplies(id int64) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.orders.inquiries[id])
}

// handleOrders answers the order-sheet and inquiry endpoints, and reports
// false for any other path. Called with s.mu held, after authentication.
func (s *Server) handleOrders(r *http.Request, body []byte) (answer, bool) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/v2/providers/openapi/apis/api/")
	if !ok {
		return answer{}, false
	}
	parts := strings.Split(rest, "/")
	if len(parts) < 4 || parts[1] != "vendors" {
		return answer{}, false
	}
	version, vendor, route := parts[0], parts[2], parts[3:]
	var handle func() answer
	switch {
	case len(route) == 1 && route[0] == "ordersheets" && (version == "v4" || version == "v5"):
		handle = func() answer {
			if r.Method != http.MethodGet {
				return serviceError(http.StatusMethodNotAllowed, "Request method '%s' not supported", r.Method)
			}
			return s.listOrderSheets(r, version == "v5")
		}
	case len(route) == 2 && route[0] == "orders" && route[1] == "invoices" && version == "v4":
		handle = func() answer {
			if r.Method != http.MethodPost {
				return serviceError(http.StatusMethodNotAllowed, "Request method '%s' not supported", r.Method)
			}
			return s.uploadOrderInvoices(body)
		}
	case len(route) == 3 && route[0] == "onlineInquiries" && route[2] == "replies" && version == "v4":
		handle = func() answer {
			if r.Method != http.MethodPost {
				return serviceError(http.StatusMethodNotAllowed, "Request method '%s' not supported", r.Method)
			}
			return s.replyToInquiry(route[1], body)
		}
	default:
		return answer{}, false
	}
	if vendor != s.VendorID {
		return serviceError(http.StatusNotFound, "vendorId (%s) not found for this access key", vendor), true
	}
	return handle(), true
}

// maxOrderSheetDays is the widest daily range the order-sheet list accepts.
const maxOrderSheetDays = 31

// listOrderSheets answers GET …/ordersheets in daily mode: createdAtFrom and
// createdAtTo as yyyy-MM-dd (v5 also with +09:00), both days included, at
// most 31 days; status required; maxPerPage (default 50, at most 50);
// nextToken. v5 writes amounts as money objects and times with microseconds
// and an offset, v4 as numbers and yyyy-MM-ddTHH:mm:ss.
func (s *Server) listOrderSheets(r *http.Request, v5 bool) answer {
	q := r.URL.Query()
	if q.Get("searchType") != "" {
		return serviceError(http.StatusBadRequest, "coupangtest answers the daily order-sheet list only: leave searchType out")
	}
	day := func(name string) (time.Time, bool) {
		v := q.Get(name)
		if v5 {
			v = strings.TrimSuffix(v, "+09:00")
		}
		t, err := time.ParseInLocation("2006-01-02", v, coupang.KoreaLocation())
		return t, err == nil
	}
	from, ok1 := day("createdAtFrom")
	to, ok2 := day("createdAtTo")
	if !ok1 || !ok2 {
		return serviceError(http.StatusBadRequest, "createdAtFrom and createdAtTo are required, as yyyy-MM-dd")
	}
	if to.Before(from) || to.Sub(from) > maxOrderSheetDays*24*time.Hour {
		return serviceError(http.StatusBadRequest, "createdAtTo must be from createdAtFrom to %d days after it", maxOrderSheetDays)
	}
	status := q.Get("status")
	switch status {
	case OrderStatusAccept, OrderStatusInstruct, OrderStatusDeparture, OrderStatusDelivering, OrderStatusFinalDelivery, OrderStatusNoneTracking:
	default:
		return serviceError(http.StatusBadRequest, "status is required: ACCEPT, INSTRUCT, DEPARTURE, DELIVERING, FINAL_DELIVERY or NONE_TRACKING")
	}
	perPage := 50
	if v := q.Get("maxPerPage"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 50 {
			return serviceError(http.StatusBadRequest, "maxPerPage (%s) must be between 1 and 50.", v)
		}
		perPage = n
	}
	var after int64
	if v := q.Get("nextToken"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return serviceError(http.StatusBadRequest, "nextToken is invalid.")
		}
		after = n
	}
	end := to.AddDate(0, 0, 1)
	var page []OrderSheet
	next := ""
	skipping := after != 0
	for _, o := range s.sortedSheetsLocked() {
		if o.Status != status || o.OrderedAt.Before(from) || !o.OrderedAt.Before(end) {
			continue
		}
		if skipping {
			skipping = o.ShipmentBoxID != after
			continue
		}
		if len(page) == perPage {
			next = strconv.FormatInt(page[len(page)-1].ShipmentBoxID, 10)
			break
		}
		page = append(page, o)
	}
	data := make([]map[string]any, len(page))
	for i, o := range page {
		data[i] = orderSheetJSON(o, v5)
	}
	return jsonAnswer(http.StatusOK, map[string]any{"code": 200, "message": "OK", "data": data, "nextToken": next})
}

// orderSheetJSON is one element of the list's data.
func orderSheetJSON(o OrderSheet, v5 bool) map[string]any {
	money := func(won int64) any {
		if v5 {
			return map[string]any{"currencyCode": "KRW", "units": won, "nanos": 0}
		}
		return won
	}
	at := func(t time.Time) string {
		if v5 {
			return t.In(coupang.KoreaLocation()).Format("2006-01-02T15:04:05.000000Z07:00")
		}
		return t.In(coupang.KoreaLocation()).Format(wireLayout)
	}
	company := ""
	if c, ok := coupang.LookupCourier(o.DeliveryCompanyCode); ok {
		company = c.Name
	}
	return map[string]any{
		"shipmentBoxId": o.ShipmentBoxID,
		"orderId":       o.OrderID,
		"orderedAt":     at(o.OrderedAt),
		"paidAt":        at(o.OrderedAt),
		"status":        o.Status,
		"shippingPrice": money(o.ShippingPrice),
		"remotePrice":   money(0),
		"remoteArea":    false,
		"orderer":       map[string]any{"name": "김*수", "email": "", "safeNumber": "0502-****-1234"},
		"receiver":      map[string]any{"name": "김*수", "safeNumber": "0502-****-1234", "addr1": "서울특별시 마포구 월드컵북로 *", "addr2": "***동 ****호", "postCode": "03***"},
		"orderItems": []map[string]any{{
			"vendorItemPackageId": 0,
			"vendorItemId":        o.VendorItemID,
			"vendorItemName":      o.VendorItemName,
			"shippingCount":       o.Quantity,
			"salesPrice":          money(o.SalesPrice),
			"orderPrice":          money(o.SalesPrice * int64(o.Quantity)),
			"discountPrice":       money(0),
			"cancelCount":         0,
			"holdCountForCancel":  0,
		}},
		"splitShipping":       false,
		"ableSplitShipping":   false,
		"deliveryCompanyName": company,
		"invoiceNumber":       o.InvoiceNumber,
		"shipmentType":        "THIRD_PARTY",
	}
}

// invoiceApply is one element of the waybill upload's orderSheetInvoiceApplyDtos.
type invoiceApply struct {
	ShipmentBoxID       int64  `json:"shipmentBoxId"`
	OrderID             int64  `json:"orderId"`
	VendorItemID        int64  `json:"vendorItemId"`
	DeliveryCompanyCode string `json:"deliveryCompanyCode"`
	InvoiceNumber       string `json:"invoiceNumber"`
	SplitShipping       bool   `json:"splitShipping"`
	PreSplitShipped     bool   `json:"preSplitShipped"`
}

// uploadOrderInvoices answers POST …/orders/invoices: each box gets its own
// result in data.responseList, and data.responseCode says 0 (all
// succeeded), 1 (some failed) or 99 (all failed), inside an HTTP 200, as on
// Coupang. A box must exist, belong to the order and item given, and be
// INSTRUCT (상품준비중); the waybill moves it to DEPARTURE.
func (s *Server) uploadOrderInvoices(body []byte) answer {
	var req struct {
		VendorID string         `json:"vendorId"`
		Dtos     []invoiceApply `json:"orderSheetInvoiceApplyDtos"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return serviceError(http.StatusBadRequest, "Could not read JSON: the body is not an object of the documented shape")
	}
	if req.VendorID != s.VendorID {
		return serviceError(http.StatusBadRequest, "vendorId (%s) does not match the path's vendor", req.VendorID)
	}
	if len(req.Dtos) == 0 {
		return serviceError(http.StatusBadRequest, "orderSheetInvoiceApplyDtos is required")
	}
	results := make([]map[string]any, 0, len(req.Dtos))
	failed := 0
	for _, d := range req.Dtos {
		code, retry, msg := s.applyOrderInvoice(d)
		res := map[string]any{"shipmentBoxId": d.ShipmentBoxID, "succeed": code == "OK", "resultCode": code, "retryRequired": retry, "resultMessage": nil}
		if code != "OK" {
			failed++
			res["resultMessage"] = msg
		}
		results = append(results, res)
	}
	respCode, respMsg := 0, "SUCCESS"
	switch {
	case failed == len(results):
		respCode, respMsg = 99, "FAILED"
	case failed > 0:
		respCode, respMsg = 1, "PARTIAL_ERROR"
	}
	return jsonAnswer(http.StatusOK, map[string]any{
		"code":          "200",
		"message":       "OK",
		"transactionId": transactionID(),
		"data":          map[string]any{"responseCode": respCode, "responseMessage": respMsg, "responseList": results},
	})
}

// applyOrderInvoice applies one waybill, or says why not with the result
// codes of Coupang's table (and whether it marks them retry-required).
func (s *Server) applyOrderInvoice(d invoiceApply) (code string, retry bool, msg string) {
	o, ok := s.orders.sheets[d.ShipmentBoxID]
	switch {
	case !ok || o.OrderID != d.OrderID:
		return "NOT_FOUND_SHIPMENT_BOX", false, fmt.Sprintf("shipmentBoxId (%d) is not found.", d.ShipmentBoxID)
	case o.VendorItemID != d.VendorItemID:
		return "NOT_FOUND_VENDOR_ITEM", false, "합포장건 중 누락된 상품이 있습니다."
	case o.Status != OrderStatusInstruct:
		return "INVALID_STATUS", false, "배송진행상태가 유효하지 않습니다."
	case strings.TrimSpace(d.InvoiceNumber) == "":
		return "INVALID_INVOICE_NUMBER", true, "송장번호가 유효하지 않습니다."
	}
	o.Status = OrderStatusDeparture
	o.DeliveryCompanyCode, o.InvoiceNumber = d.DeliveryCompanyCode, strings.TrimSpace(d.InvoiceNumber)
	return "OK", false, ""
}

// replyToInquiry answers POST …/onlineInquiries/{inquiryId}/replies: content
// and vendorId required (replyBy optional); the answer is {"code":"200",
// "message":"OK"} with no data. Each reply is kept, in order.
func (s *Server) replyToInquiry(idText string, body []byte) answer {
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil || id <= 0 {
		return serviceError(http.StatusBadRequest, "inquiryId (%s) must be a positive number", idText)
	}
	var req struct {
		Content  string `json:"content"`
		VendorID string `json:"vendorId"`
		ReplyBy  string `json:"replyBy"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return serviceError(http.StatusBadRequest, "Could not read JSON: the body is not an object of the documented shape")
	}
	if req.VendorID != s.VendorID {
		return serviceError(http.StatusBadRequest, "vendorId (%s) does not match the path's vendor", req.VendorID)
	}
	if strings.TrimSpace(req.Content) == "" {
		return serviceError(http.StatusBadRequest, "content is required")
	}
	replies, ok := s.orders.inquiries[id]
	if !ok {
		return serviceError(http.StatusBadRequest, "inquiryId (%d) is not an inquiry of this vendor", id)
	}
	s.orders.inquiries[id] = append(replies, req.Content)
	return jsonAnswer(http.StatusOK, map[string]any{"code": "200", "message": "OK", "transactionId": transactionID()})
}
