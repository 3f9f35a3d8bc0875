package coupangtest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/internal/courier"
)

// apiRoot is the path of every endpoint up to the version.
const apiRoot = "/v2/providers/openapi/apis/api/"

// Messages of the return service, as Coupang's users report them.
const (
	msgNoReceipt       = "취소반품접수내역이 존재하지 않습니다."
	msgAlreadyComplete = "이미 반품이 완료되었습니다."
	msgCountMismatch   = "취소반품접수수량과 cancelCount가 일치하지 않습니다."
	msgAlreadyReturned = "Product is already returned."
	msgObjectNull      = "Object is null"
)

// routeReturns answers the return endpoints, the withdrawal history and the
// shared pickup waybill; ok is false for any other path. Called with s.mu
// held, after authentication.
func (s *Server) routeReturns(r *http.Request, body []byte) (answer, bool) {
	rest, ok := strings.CutPrefix(r.URL.Path, apiRoot)
	if !ok {
		return answer{}, false
	}
	parts := strings.Split(rest, "/")
	if len(parts) < 4 || parts[1] != "vendors" {
		return answer{}, false
	}
	ver, vendor, res := parts[0], parts[2], parts[3:]
	switch res[0] {
	case "returnRequests", "returnWithdrawRequests", "returnWithdrawList", "return-exchange-invoices":
	default:
		return answer{}, false
	}
	notFound := serviceError(http.StatusNotFound, "No API found for %s %s", r.Method, r.URL.Path)
	if vendor != s.VendorID {
		return serviceError(http.StatusNotFound, "vendorId (%s) not found for this access key", vendor), true
	}
	method := func(allowed ...string) (answer, bool) {
		if !slices.Contains(allowed, r.Method) {
			return serviceError(http.StatusMethodNotAllowed, "Request method '%s' not supported", r.Method), false
		}
		return answer{}, true
	}
	in := func(versions ...string) bool { return slices.Contains(versions, ver) }
	switch {
	case res[0] == "returnRequests" && len(res) == 1 && in("v4", "v6"):
		if ans, ok := method(http.MethodGet); !ok {
			return ans, true
		}
		return s.listReturns(r, ver), true
	case res[0] == "returnRequests" && len(res) == 2 && in("v4", "v6"):
		if ans, ok := method(http.MethodGet); !ok {
			return ans, true
		}
		id, ok := parseID(res[1])
		if !ok {
			return serviceError(http.StatusBadRequest, "receiptId (%s) must be a positive number", res[1]), true
		}
		return s.getReturn(id, ver), true
	case res[0] == "returnRequests" && len(res) == 3:
		id, ok := parseID(res[1])
		if !ok {
			return serviceError(http.StatusBadRequest, "receiptId (%s) must be a positive number", res[1]), true
		}
		switch {
		case res[2] == "receiveConfirmation" && in("v4", "v5"),
			res[2] == "approval" && in("v4", "v5"),
			(res[2] == "stoppedShipment" || res[2] == "completedShipment") && ver == "v4":
		default:
			return notFound, true
		}
		if ans, ok := method(http.MethodPut, http.MethodPatch); !ok {
			return ans, true
		}
		return s.returnAction(id, res[2], body), true
	case res[0] == "returnWithdrawRequests" && len(res) == 1 && ver == "v4":
		if ans, ok := method(http.MethodGet); !ok {
			return ans, true
		}
		return s.listWithdrawals(r), true
	case res[0] == "returnWithdrawList" && len(res) == 1 && ver == "v4":
		if ans, ok := method(http.MethodPost); !ok {
			return ans, true
		}
		return s.lookupWithdrawals(body), true
	case res[0] == "return-exchange-invoices" && len(res) == 2 && res[1] == "manual" && ver == "v4":
		if ans, ok := method(http.MethodPost); !ok {
			return ans, true
		}
		return s.pickupInvoice(body), true
	}
	return notFound, true
}

func parseID(s string) (int64, bool) {
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0
}

// returnQuery is a validated return list request.
type returnQuery struct {
	from, to   time.Time // days, Korea time
	status     coupang.ReturnFilter
	orderID    int64
	cancel     bool
	maxPerPage int
	afterAt    time.Time
	afterID    int64
	hasNext    bool
}

// key binds a paging token to the query's filters.
func (q returnQuery) key(ver string) string {
	return fmt.Sprintf("returns|%s|%d|%d|%s|%d|%t", ver, q.from.Unix(), q.to.Unix(), q.status, q.orderID, q.cancel)
}

// listReturns answers GET …/returnRequests (daily mode).
func (s *Server) listReturns(r *http.Request, ver string) answer {
	vals := r.URL.Query()
	if vals.Get("searchType") != "" {
		return serviceError(http.StatusBadRequest, "searchType (%s): the sandbox serves the daily mode only", vals.Get("searchType"))
	}
	var q returnQuery
	day := func(name string) (time.Time, answer, bool) {
		v := vals.Get(name)
		if v == "" {
			return time.Time{}, serviceError(http.StatusBadRequest, "%s is required.", name), false
		}
		t, err := time.ParseInLocation(time.DateOnly, v, coupang.KoreaLocation())
		if err != nil || t.Format(time.DateOnly) != v {
			return time.Time{}, serviceError(http.StatusBadRequest, "%s (%s) must be in yyyy-MM-dd format.", name, v), false
		}
		return t, answer{}, true
	}
	var ans answer
	var ok bool
	if q.from, ans, ok = day("createdAtFrom"); !ok {
		return ans
	}
	if q.to, ans, ok = day("createdAtTo"); !ok {
		return ans
	}
	if q.to.Before(q.from) {
		return serviceError(http.StatusBadRequest, "createdAtTo must not be before createdAtFrom.")
	}
	if q.to.Sub(q.from) > 30*24*time.Hour+time.Hour {
		return serviceError(http.StatusBadRequest, "The search period can be up to 31 days.")
	}
	switch ct := vals.Get("cancelType"); ct {
	case "", "RETURN":
	case "CANCEL":
		q.cancel = true
	default:
		return serviceError(http.StatusBadRequest, "cancelType (%s) is invalid: use RETURN or CANCEL.", ct)
	}
	if v := vals.Get("status"); v != "" {
		if q.cancel {
			return serviceError(http.StatusBadRequest, "status must not be given with cancelType=CANCEL.")
		}
		switch f := coupang.ReturnFilter(v); f {
		case coupang.ReturnFilterReleaseStop, coupang.ReturnFilterUnchecked, coupang.ReturnFilterCompleted, coupang.ReturnFilterCoupangCheck:
			q.status = f
		default:
			return serviceError(http.StatusBadRequest, "status (%s) is invalid: use RU, UC, CC or PR.", v)
		}
	}
	if v := vals.Get("orderId"); v != "" {
		n, ok := parseID(v)
		if !ok {
			return serviceError(http.StatusBadRequest, "orderId (%s) must be a positive number.", v)
		}
		q.orderID = n
	}
	if !q.cancel && q.status == "" && q.orderID == 0 {
		return serviceError(http.StatusBadRequest, "OrderId can't be null , if doesn't pass the parameter status")
	}
	q.maxPerPage = 50 // Coupang's default for returns
	if v := vals.Get("maxPerPage"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 50 {
			return serviceError(http.StatusBadRequest, "maxPerPage (%s) must be between 1 and 50.", v)
		}
		q.maxPerPage = n
	}
	if v := vals.Get("nextToken"); v != "" {
		at, id, ok := s.parseKeyToken(q.key(ver), v)
		if !ok {
			return serviceError(http.StatusBadRequest, "nextToken is invalid for this query.")
		}
		q.afterAt, q.afterID, q.hasNext = at, id, true
	}

	var page []*returnRecord
	var more bool
	if s.returnPageBySort != nil {
		page, more = s.returnPageBySort(q)
	} else {
		page, more = s.returnPage(q)
	}
	data := make([]json.RawMessage, 0, len(page))
	for _, rec := range page {
		b, err := encodeReturn(rec.r, ver, s.cfg.quirks)
		if err != nil {
			return serviceError(http.StatusInternalServerError, "coupangtest: encoding receipt %d: %v", rec.r.ReceiptID, err)
		}
		data = append(data, b)
	}
	var next any = ""
	if more {
		lastRec := page[len(page)-1].r
		next = s.keyToken(q.key(ver), lastRec.CreatedAt, lastRec.ReceiptID)
	}
	env := map[string]any{"code": 200, "message": "OK", "data": data, "nextToken": next}
	s.returnLists++
	if s.cfg.quirks && s.returnLists%2 == 0 {
		env["code"] = "200"
		if !more {
			delete(env, "nextToken") // absent on the last page
		}
	}
	return jsonAnswer(http.StatusOK, env)
}

// returnPage is the page q asks for, from the index, and whether more
// follow. Called with s.mu held.
func (s *Server) returnPage(q returnQuery) (page []*returnRecord, more bool) {
	s.applyDueReturns()
	last := q.to.AddDate(0, 0, 1)
	for _, rec := range s.returnCandidates(q) {
		rr := &rec.r
		if !rr.CreatedAt.Before(last) {
			break
		}
		// An order's list holds every receipt of the order: filter it.
		if q.cancel != (rr.ReceiptType == coupang.ReturnReceiptTypeCancel) {
			continue
		}
		if q.status != "" && !inFilter(rr.Status, q.status) {
			continue
		}
		if len(page) == q.maxPerPage {
			return page, true
		}
		page = append(page, rec)
	}
	return page, false
}

// inFilter reports whether a receipt in status st is listed under f. A
// release-stop request is listed under RU and under UC; which filter lists
// VENDOR_WAREHOUSE_CONFIRM is not documented: the sandbox lists it under UC.
func inFilter(st coupang.ReturnStatus, f coupang.ReturnFilter) bool {
	switch f {
	case coupang.ReturnFilterReleaseStop:
		return st == coupang.ReturnStatusReleaseStopUnchecked
	case coupang.ReturnFilterUnchecked:
		return st == coupang.ReturnStatusReturnsUnchecked || st == coupang.ReturnStatusReleaseStopUnchecked ||
			st == coupang.ReturnStatusVendorWarehouseConfirm
	case coupang.ReturnFilterCompleted:
		return st == coupang.ReturnStatusReturnsCompleted
	case coupang.ReturnFilterCoupangCheck:
		return st == coupang.ReturnStatusRequestCoupangCheck
	}
	return false
}

// keyToken is a paging token after (at, id), bound to key by a MAC.
func (s *Server) keyToken(key string, at time.Time, id int64) string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(at.Unix()))
	binary.BigEndian.PutUint64(b[8:], uint64(id))
	return base64.RawURLEncoding.EncodeToString(append(b[:], s.keyMAC(key, b[:])...))
}

func (s *Server) parseKeyToken(key, tok string) (time.Time, int64, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || len(raw) != 16+12 || !hmac.Equal(raw[16:], s.keyMAC(key, raw[:16])) {
		return time.Time{}, 0, false
	}
	at := time.Unix(int64(binary.BigEndian.Uint64(raw[:8])), 0).In(coupang.KoreaLocation())
	return at, int64(binary.BigEndian.Uint64(raw[8:16])), true
}

func (s *Server) keyMAC(key string, b []byte) []byte {
	mac := hmac.New(sha256.New, s.tokenKey)
	mac.Write([]byte(key))
	mac.Write(b)
	return mac.Sum(nil)[:12]
}

// getReturn answers GET …/returnRequests/{receiptId}.
func (s *Server) getReturn(id int64, ver string) answer {
	rec, ok := s.returns[id]
	if ok {
		s.settleReturn(rec)
	}
	if !ok || rec.withdrawn {
		return serviceError(http.StatusBadRequest, "%s (receiptId: %d)", msgNoReceipt, id)
	}
	if rec.r.ReceiptType == coupang.ReturnReceiptTypeCancel {
		return serviceError(http.StatusBadRequest, "취소 접수번호는 조회할 수 없습니다. (receiptId: %d)", id)
	}
	b, err := encodeReturn(rec.r, ver, s.cfg.quirks)
	if err != nil {
		return serviceError(http.StatusInternalServerError, "coupangtest: encoding receipt %d: %v", id, err)
	}
	var data any = []json.RawMessage{b}
	if s.cfg.quirks && id%3 == 0 {
		data = b // some answers carry the object itself
	}
	return jsonAnswer(http.StatusOK, map[string]any{"code": 200, "message": "OK", "data": data})
}

// returnActionBody is the body of the four actions.
type returnActionBody struct {
	VendorID            *string         `json:"vendorId"`
	ReceiptID           json.RawMessage `json:"receiptId"`
	CancelCount         json.RawMessage `json:"cancelCount"`
	DeliveryCompanyCode *string         `json:"deliveryCompanyCode"`
	InvoiceNumber       *string         `json:"invoiceNumber"`
}

// returnAction answers PUT/PATCH …/returnRequests/{receiptId}/{action}.
func (s *Server) returnAction(id int64, action string, body []byte) answer {
	var in returnActionBody
	if err := decodeStrict(body, &in); err != nil {
		return serviceError(http.StatusBadRequest, "Malformed JSON request body: %v", err)
	}
	if ans, ok := s.checkVendor(in.VendorID); !ok {
		return ans
	}
	n, ans, ok := jsonID("receiptId", in.ReceiptID)
	if !ok {
		return ans
	}
	if n != id {
		return serviceError(http.StatusBadRequest, "receiptId (%d) in the body does not match the path (%d).", n, id)
	}
	rec, found := s.returns[id]
	if found {
		s.settleReturn(rec)
	}
	if !found || rec.withdrawn || rec.r.ReceiptType == coupang.ReturnReceiptTypeCancel {
		return serviceError(http.StatusBadRequest, "%s (receiptId: %d)", msgNoReceipt, id)
	}
	defer s.returnIdx.update(rec) // the actions change the status
	count := func() (int64, answer, bool) {
		c, ans, ok := jsonID("cancelCount", in.CancelCount)
		if !ok {
			return 0, ans, false
		}
		return c, answer{}, true
	}
	now := s.now()
	r := &rec.r
	switch action {
	case "receiveConfirmation":
		switch r.Status {
		case coupang.ReturnStatusReturnsUnchecked:
		case coupang.ReturnStatusReturnsCompleted:
			return serviceError(http.StatusBadRequest, "%s (receiptId: %d)", msgAlreadyComplete, id)
		default:
			return serviceError(http.StatusBadRequest, "입고 확인 처리가 불가능한 상태입니다. (receiptStatus: %s)", r.Status)
		}
		if r.PreRefund {
			// A quick refund whose pickup could not be tracked: refunded,
			// approved and completed at once.
			completeReturn(r, now, coupang.ReturnCompleteConfirmVendor)
		} else {
			r.Status = coupang.ReturnStatusVendorWarehouseConfirm
			r.CompleteConfirmType, r.CompleteConfirmDate = coupang.ReturnCompleteConfirmVendor, wireTime(now)
			r.ModifiedAt = wireTime(now)
		}
		rec.completeAt = time.Time{}
		s.applied = append(s.applied, Action{Kind: ActionReturnConfirmReceipt, ReceiptID: id, At: now})
		return jsonAnswer(http.StatusOK, map[string]string{"code": "200", "message": "OK"})
	case "approval":
		c, ans, ok := count()
		if !ok {
			return ans
		}
		switch r.Status {
		case coupang.ReturnStatusVendorWarehouseConfirm:
		case coupang.ReturnStatusReturnsCompleted:
			return serviceError(http.StatusBadRequest, "%s (receiptId: %d)", msgAlreadyComplete, id)
		default:
			return serviceError(http.StatusBadRequest, "반품 승인 처리가 불가능한 상태입니다. (receiptStatus: %s)", r.Status)
		}
		if c != r.CancelCountSum {
			return serviceError(http.StatusBadRequest, "%s", msgCountMismatch)
		}
		completeReturn(r, now, coupang.ReturnCompleteConfirmVendor)
		s.applied = append(s.applied, Action{Kind: ActionReturnApprove, ReceiptID: id, CancelCount: int(c), At: now})
		return jsonAnswer(http.StatusOK, map[string]string{"code": "200", "message": "OK"})
	case "stoppedShipment", "completedShipment":
		if r.Status == coupang.ReturnStatusReturnsCompleted || strings.Contains(string(r.ReleaseStopStatus), "처리(") {
			return serviceError(http.StatusBadRequest, "%s", msgAlreadyReturned)
		}
		if !releaseStopOpen(r) {
			return writeResult(false, fmt.Sprintf("출고중지 처리가 불가능한 상태입니다. (receiptStatus: %s)", r.Status))
		}
		if action == "stoppedShipment" {
			c, ans, ok := count()
			if !ok {
				return ans
			}
			if c != r.CancelCountSum {
				return serviceError(http.StatusBadRequest, "[INTERNAL_SERVER_ERROR] %s", msgCountMismatch)
			}
			for i := range r.Items {
				r.Items[i].ReleaseStatus = coupang.ReturnReleaseStatusStopped
			}
			r.ReleaseStopStatus = coupang.ReturnReleaseStopStopped
			completeReturn(r, now, coupang.ReturnCompleteConfirmVendor)
			s.applied = append(s.applied, Action{Kind: ActionReturnStopShipment, ReceiptID: id, CancelCount: int(c), At: now})
			return writeResult(true, "출고중지 처리되었습니다.")
		}
		if in.DeliveryCompanyCode == nil || in.InvoiceNumber == nil || *in.DeliveryCompanyCode == "" || *in.InvoiceNumber == "" {
			return serviceError(http.StatusBadRequest, "deliveryCompanyCode and invoiceNumber are required.")
		}
		if !courier.WellFormed(*in.DeliveryCompanyCode) {
			return writeResult(false, fmt.Sprintf("deliveryCompanyCode (%s) is not a supported courier", *in.DeliveryCompanyCode))
		}
		for i := range r.Items {
			r.Items[i].ReleaseStatus = coupang.ReturnReleaseStatusAlreadyShipped
		}
		r.ReleaseStopStatus = coupang.ReturnReleaseStopShipped
		r.Status = coupang.ReturnStatusReturnsUnchecked
		r.ModifiedAt = wireTime(now)
		w := coupang.ReturnDelivery{DeliveryCompanyCode: *in.DeliveryCompanyCode, DeliveryInvoiceNo: *in.InvoiceNumber}
		s.applied = append(s.applied, Action{Kind: ActionReturnMarkShipped, ReceiptID: id, Waybill: w, At: now})
		// The documented answer nests code and message in data.
		return jsonAnswer(http.StatusOK, map[string]any{"code": 200, "message": "OK", "data": map[string]any{
			"code": 200, "message": "OK", "resultCode": "SUCCESS", "resultMessage": "이미출고 처리되었습니다.",
		}})
	}
	return serviceError(http.StatusNotFound, "No API found for %s", action)
}

// releaseStopOpen reports whether a release-stop request waits for the
// seller's answer: RELEASE_STOP_UNCHECKED, or RETURNS_UNCHECKED with every
// item not shipped.
func releaseStopOpen(r *coupang.ReturnRequest) bool {
	switch r.Status {
	case coupang.ReturnStatusReleaseStopUnchecked:
		return true
	case coupang.ReturnStatusReturnsUnchecked:
		if len(r.Items) == 0 {
			return false
		}
		for _, it := range r.Items {
			if it.ReleaseStatus != coupang.ReturnReleaseStatusNotShipped {
				return false
			}
		}
		return true
	}
	return false
}

// checkVendor checks the vendorId of a write body.
func (s *Server) checkVendor(vendorID *string) (answer, bool) {
	if vendorID == nil || *vendorID == "" {
		return serviceError(http.StatusBadRequest, "vendorId is required."), false
	}
	if *vendorID != s.VendorID {
		return serviceError(http.StatusBadRequest, "vendorId (%s) in the body does not match the path (%s).", *vendorID, s.VendorID), false
	}
	return answer{}, true
}

// jsonID reads a required JSON number (never a string).
func jsonID(name string, raw json.RawMessage) (int64, answer, bool) {
	if len(raw) == 0 || string(raw) == "null" {
		return 0, serviceError(http.StatusBadRequest, "%s is required.", name), false
	}
	if raw[0] == '"' {
		return 0, serviceError(http.StatusBadRequest, "%s must be a number, not a string: %s", name, raw), false
	}
	n, err := strconv.ParseInt(string(raw), 10, 64)
	if err != nil || n <= 0 {
		return 0, serviceError(http.StatusBadRequest, "%s (%s) must be a positive number.", name, raw), false
	}
	return n, answer{}, true
}

// pickupBody is the body of the shared pickup waybill.
type pickupBody struct {
	Type                string          `json:"returnExchangeDeliveryType"`
	ReceiptID           json.RawMessage `json:"receiptId"`
	DeliveryCompanyCode string          `json:"deliveryCompanyCode"`
	InvoiceNumber       string          `json:"invoiceNumber"`
	RegNumber           *string         `json:"regNumber"`
}

// pickupInvoice answers POST …/return-exchange-invoices/manual.
func (s *Server) pickupInvoice(body []byte) answer {
	var in pickupBody
	if err := decodeStrict(body, &in); err != nil {
		return serviceError(http.StatusBadRequest, "Malformed JSON request body: %v", err)
	}
	if in.Type == "" || len(in.ReceiptID) == 0 || in.DeliveryCompanyCode == "" || in.InvoiceNumber == "" {
		return serviceError(http.StatusBadRequest, "%s", msgObjectNull)
	}
	id, ans, ok := jsonID("receiptId", in.ReceiptID)
	if !ok {
		return ans
	}
	if !courier.WellFormed(in.DeliveryCompanyCode) {
		return serviceError(http.StatusBadRequest, "deliveryCompanyCode (%s) is not a supported courier", in.DeliveryCompanyCode)
	}
	now := s.now()
	w := coupang.ReturnDelivery{DeliveryCompanyCode: in.DeliveryCompanyCode, DeliveryInvoiceNo: in.InvoiceNumber}
	var returnDeliveryID int64
	switch in.Type {
	case "RETURN":
		rec, found := s.returns[id]
		if found {
			s.settleReturn(rec)
		}
		if !found || rec.withdrawn || rec.r.ReceiptType == coupang.ReturnReceiptTypeCancel {
			return serviceError(http.StatusBadRequest, "%s (receiptId: %d)", msgNoReceipt, id)
		}
		r := &rec.r
		if slices.Contains(r.PickupWaybills(), w) {
			return serviceError(http.StatusBadRequest, "이미 등록된 회수 송장입니다. (invoiceNumber: %s)", in.InvoiceNumber)
		}
		if r.Status != coupang.ReturnStatusReturnsUnchecked {
			return serviceError(http.StatusBadRequest, "회수 송장 등록이 불가능한 상태입니다. (receiptStatus: %s)", r.Status)
		}
		r.Deliveries = append(r.Deliveries, w)
		r.ModifiedAt = wireTime(now)
		if r.ReturnDeliveryID == 0 {
			r.ReturnDeliveryID = 80_000_000 + id%10_000_000
		}
		returnDeliveryID = r.ReturnDeliveryID
		s.applied = append(s.applied, Action{Kind: ActionPickupInvoice, ReceiptID: id, Waybill: w, At: now})
	case "EXCHANGE":
		rec, found := s.exchanges[id]
		if !found || !s.visible(rec) {
			return serviceError(http.StatusBadRequest, "exchangeId (%d) not found.", id)
		}
		s.settle(rec)
		ex := &rec.ex
		for _, d := range ex.ReturnDeliveries {
			if d.DeliveryCompanyCode == w.DeliveryCompanyCode && strings.TrimSpace(d.DeliveryInvoiceNo) == w.DeliveryInvoiceNo {
				return serviceError(http.StatusBadRequest, "이미 등록된 회수 송장입니다. (invoiceNumber: %s)", in.InvoiceNumber)
			}
		}
		if ex.CollectStatus != coupang.CollectStatusBeforeDirection {
			return serviceError(http.StatusBadRequest, "회수 송장 등록이 불가능한 상태입니다. (collectStatus: %s)", ex.CollectStatus)
		}
		// Replace the placeholder without a number the pickup starts with.
		kept := ex.ReturnDeliveries[:0]
		for _, d := range ex.ReturnDeliveries {
			if d.DeliveryInvoiceNo != "" {
				kept = append(kept, d)
			}
		}
		ex.ReturnDeliveries = append(kept, coupang.ExchangeReturnDelivery(w))
		ex.CollectStatus = coupang.CollectStatusCompleteDirection
		ex.ModifiedAt = wireTime(now)
		returnDeliveryID = ex.CollectInformation.Destination.ReturnDeliveryID
		s.applied = append(s.applied, Action{Kind: ActionPickupInvoice, ExchangeID: id, Waybill: w, At: now})
	default:
		return serviceError(http.StatusBadRequest, "returnExchangeDeliveryType (%s) must be RETURN or EXCHANGE.", in.Type)
	}
	reg := ""
	if in.RegNumber != nil {
		reg = *in.RegNumber
	}
	return jsonAnswer(http.StatusOK, map[string]any{"code": 200, "message": "OK", "data": map[string]any{
		"deliveryCompanyCode": in.DeliveryCompanyCode, "invoiceNumber": in.InvoiceNumber,
		"invoiceNumberId": 90_000_000 + len(s.applied), "receiptId": id, "regNumber": reg,
		"returnDeliveryId": returnDeliveryID, "returnExchangeDeliveryType": in.Type,
	}})
}

// listWithdrawals answers GET …/returnWithdrawRequests.
func (s *Server) listWithdrawals(r *http.Request) answer {
	vals := r.URL.Query()
	day := func(name string) (time.Time, answer, bool) {
		v := vals.Get(name)
		if v == "" {
			return time.Time{}, serviceError(http.StatusBadRequest, "Required String parameter '%s' is not present", name), false
		}
		t, err := time.ParseInLocation(time.DateOnly, v, coupang.KoreaLocation())
		if err != nil || t.Format(time.DateOnly) != v {
			return time.Time{}, serviceError(http.StatusBadRequest, "%s (%s)의 날짜 형식이 올바르지 않습니다. (yyyy-MM-dd)", name, v), false
		}
		return t, answer{}, true
	}
	from, ans, ok := day("dateFrom")
	if !ok {
		return ans
	}
	to, ans, ok := day("dateTo")
	if !ok {
		return ans
	}
	if to.Before(from) {
		return serviceError(http.StatusBadRequest, "종료일자는 시작일자보다 작거나 같아야 합니다.")
	}
	if to.Sub(from) > 6*24*time.Hour+time.Hour {
		return serviceError(http.StatusBadRequest, "최대 조회 기간은 7 일 입니다.")
	}
	index, size := 1, 10
	if v := vals.Get("pageIndex"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return serviceError(http.StatusBadRequest, "pageindex must be greater than 0.")
		}
		index = n
	}
	if v := vals.Get("sizePerPage"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 || n > 100 {
			return serviceError(http.StatusBadRequest, "sizePerPage must be between 1 and 100.")
		}
		size = n
	}
	s.applyDueReturns() // settles withdrawals that are due
	var in []coupang.ReturnWithdrawal
	end := to.AddDate(0, 0, 1)
	for _, w := range s.withdrawals {
		if !w.CreatedAt.Before(from) && w.CreatedAt.Before(end) {
			in = append(in, w)
		}
	}
	start := min((index-1)*size, len(in))
	stop := min(start+size, len(in))
	next := ""
	if stop < len(in) {
		next = strconv.Itoa(index + 1)
	}
	return jsonAnswer(http.StatusOK, map[string]any{"code": 200, "message": "OK", "data": encodeWithdrawals(in[start:stop]), "nextPageIndex": next})
}

// lookupWithdrawals answers POST …/returnWithdrawList.
func (s *Server) lookupWithdrawals(body []byte) answer {
	var in struct {
		CancelIDs []json.RawMessage `json:"cancelIds"`
	}
	if err := decodeStrict(body, &in); err != nil {
		return serviceError(http.StatusBadRequest, "Malformed JSON request body: %v", err)
	}
	if len(in.CancelIDs) == 0 || len(in.CancelIDs) > 50 {
		return serviceError(http.StatusBadRequest, "cancelIds must hold 1 to 50 ids.")
	}
	want := map[int64]bool{}
	for _, raw := range in.CancelIDs {
		id, ans, ok := jsonID("cancelIds", raw)
		if !ok {
			return ans
		}
		want[id] = true
	}
	s.applyDueReturns()
	var out []coupang.ReturnWithdrawal
	for _, w := range s.withdrawals {
		if want[w.ReceiptID] {
			out = append(out, w)
		}
	}
	return jsonAnswer(http.StatusOK, map[string]any{"code": 200, "message": "OK", "data": encodeWithdrawals(out)})
}

// encodeWithdrawals writes history entries as Coupang does.
func encodeWithdrawals(ws []coupang.ReturnWithdrawal) []map[string]any {
	out := make([]map[string]any, 0, len(ws))
	for _, w := range ws {
		ids := w.VendorItemIDs
		if ids == nil {
			ids = []int64{}
		}
		out = append(out, map[string]any{
			"cancelId": w.ReceiptID, "orderId": w.OrderID, "vendorId": w.VendorID,
			"refundDeliveryDuty": w.RefundDeliveryDuty, "createdAt": w.CreatedAt.In(coupang.KoreaLocation()).Format(wireLayout),
			"vendorItemIds": ids,
		})
	}
	return out
}
