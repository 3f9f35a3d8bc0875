package coupang_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"time"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

// orderSheetRow is what a program keeps of an order sheet (발주서). Money and
// Time read both the v4 answers (plain numbers, Korea time without offset)
// and the v5 ones (money objects, times with an offset).
type orderSheetRow struct {
	ShipmentBoxID int64         `json:"shipmentBoxId"`
	OrderID       int64         `json:"orderId"`
	OrderedAt     coupang.Time  `json:"orderedAt"`
	ShippingPrice coupang.Money `json:"shippingPrice"`
	OrderItems    []struct {
		VendorItemID int64         `json:"vendorItemId"`
		SalesPrice   coupang.Money `json:"salesPrice"`
	} `json:"orderItems"`
}

// Order sheets by day: DoAll follows nextToken page after page, every page
// paced with the client's other calls.
func ExampleDoAll() {
	srv := coupangtest.NewServer(coupangtest.WithOrderSheets(0)) // a sandbox; use coupang.NewClient on a real account
	defer srv.Close()
	now := time.Now()
	for i, box := range []int64{642538971116401429, 642538971116401430, 642538971116401431} {
		srv.AddOrderSheet(coupangtest.OrderSheet{ShipmentBoxID: box, OrderID: 22000009546234 + int64(i),
			VendorItemID: 3242596358, SalesPrice: 19000 + int64(i)*500, ShippingPrice: 2500, OrderedAt: now.Add(time.Duration(i-3) * time.Minute)})
	}
	client, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}

	today := now.In(coupang.KoreaLocation())
	path := "/v2/providers/openapi/apis/api/v5/vendors/" + client.VendorID() + "/ordersheets"
	query := url.Values{
		// Days in Korea time, both included; v5 takes them with their
		// offset (url.Values encodes the + as %2B, and that is signed).
		"createdAtFrom": {today.AddDate(0, 0, -1).Format("2006-01-02") + "+09:00"},
		"createdAtTo":   {today.Format("2006-01-02") + "+09:00"},
		"status":        {"INSTRUCT"}, // 상품준비중: ready for a waybill
		"maxPerPage":    {"2"},
	}
	for sheet, err := range coupang.DoAll[orderSheetRow](context.Background(), client, path, query) {
		if err != nil {
			log.Print(err) // a record that does not fit, or the error that ended the listing
			continue
		}
		fmt.Println(sheet.ShipmentBoxID, sheet.OrderItems[0].SalesPrice, "+ shipping", sheet.ShippingPrice)
	}
	// Output:
	// 642538971116401429 19000 KRW + shipping 2500 KRW
	// 642538971116401430 19500 KRW + shipping 2500 KRW
	// 642538971116401431 20000 KRW + shipping 2500 KRW
}

// The shipping-waybill upload (송장업로드) answers HTTP 200 with a result per
// box: a box Coupang refused is a *BatchError, never a silent success.
func ExampleBatchError() {
	srv := coupangtest.NewServer(coupangtest.WithOrderSheets(0))
	defer srv.Close()
	ready := srv.AddOrderSheet(coupangtest.OrderSheet{ShipmentBoxID: 102391542, OrderID: 806, VendorItemID: 22063200})
	paidOnly := srv.AddOrderSheet(coupangtest.OrderSheet{ShipmentBoxID: 102391599, OrderID: 807, VendorItemID: 22063201,
		Status: coupangtest.OrderStatusAccept}) // not yet 상품준비중
	client, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}

	waybill := func(box, order, item int64, number string) map[string]any {
		return map[string]any{"shipmentBoxId": box, "orderId": order, "vendorItemId": item,
			"deliveryCompanyCode": coupang.CourierCJ, "invoiceNumber": number,
			"splitShipping": false, "preSplitShipped": false, "estimatedShippingDate": ""}
	}
	_, err = client.Do(context.Background(), http.MethodPost,
		"/v2/providers/openapi/apis/api/v4/vendors/"+client.VendorID()+"/orders/invoices", nil,
		map[string]any{"vendorId": client.VendorID(), "orderSheetInvoiceApplyDtos": []map[string]any{
			waybill(ready, 806, 22063200, "340010913442"),
			waybill(paidOnly, 807, 22063201, "340010913443"),
		}}, nil)
	var batch *coupang.BatchError
	if errors.As(err, &batch) {
		for _, it := range batch.Succeeded {
			fmt.Println("uploaded:", it.ID)
		}
		for _, it := range batch.Failed {
			fmt.Println("refused:", it.ID, it.Code, "retry allowed:", it.RetryAllowed)
		}
		fmt.Println(errors.Is(err, coupang.ErrBusinessFailure))
	}
	// Output:
	// uploaded: 102391542
	// refused: 102391599 INVALID_STATUS retry allowed: false
	// true
}

// A reply to a customer inquiry (고객문의 답변): the answer carries no data,
// and a write is never sent twice by the client.
func ExampleClient_Do_inquiryReply() {
	srv := coupangtest.NewServer()
	defer srv.Close()
	inquiryID := srv.AddInquiry()
	client, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}

	resp, err := client.Do(context.Background(), http.MethodPost,
		"/v2/providers/openapi/apis/api/v4/vendors/"+client.VendorID()+"/onlineInquiries/"+strconv.FormatInt(inquiryID, 10)+"/replies",
		nil, map[string]string{
			"content":  "안녕하세요.\n주문하신 상품은 19일에 입고될 예정입니다.", // \n is sent escaped, as Coupang asks
			"vendorId": client.VendorID(),
			"replyBy":  "wing-user-id", // the WING user who answers
		}, nil)
	if err != nil {
		log.Fatal(err) // errors.Is(err, coupang.ErrOutcomeUnknown): look before replying again
	}
	fmt.Println(resp.StatusCode, resp.Code, len(srv.InquiryReplies(inquiryID)))
	// Output:
	// 200 200 1
}

// The return withdrawal history (반품철회 이력) pages by index, not by token:
// WithPageIndex sends pageIndex and follows the answer's nextPageIndex.
func ExampleWithPageIndex() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !exampleSignatureOK(r) {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		switch r.URL.Query().Get("pageIndex") {
		case "1":
			fmt.Fprint(w, `{"code":200,"message":"OK","data":[{"cancelId":500000004,"orderId":9000001,"createdAt":"2026-03-02T10:00:00"}],"nextPageIndex":"2"}`)
		default:
			fmt.Fprint(w, `{"code":200,"message":"OK","data":[{"cancelId":500000005,"orderId":9000002,"createdAt":"2026-03-03T11:30:00"}],"nextPageIndex":""}`)
		}
	}))
	defer srv.Close()
	client, err := coupang.NewClient(exampleAccessKey, exampleSecretKey, exampleVendorID, coupang.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()

	type withdrawal struct {
		CancelID  int64        `json:"cancelId"` // the receiptId of the withdrawn return
		OrderID   int64        `json:"orderId"`
		CreatedAt coupang.Time `json:"createdAt"`
	}
	path := "/v2/providers/openapi/apis/api/v4/vendors/" + client.VendorID() + "/returnWithdrawRequests"
	query := url.Values{"dateFrom": {"2026-03-01"}, "dateTo": {"2026-03-07"}, "sizePerPage": {"100"}}
	for wd, err := range coupang.DoAll[withdrawal](context.Background(), client, path, query, coupang.WithPageIndex("pageIndex")) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(wd.CancelID, wd.OrderID, wd.CreatedAt.Format("2006-01-02 15:04 MST"))
	}
	// Output:
	// 500000004 9000001 2026-03-02 10:00 KST
	// 500000005 9000002 2026-03-03 11:30 KST
}
