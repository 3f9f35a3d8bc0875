package coupang_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/go-coupang/coupang"
)

// Keys of the local stand-in server the examples talk to. Real keys come
// from Coupang's WING (판매자 센터) and belong in the environment, not in code.
const (
	exampleAccessKey = "example-access-key"
	exampleSecretKey = "example-secret-key"
	exampleVendorID  = "A00012345"
)

// exampleRecords are the exchange requests the stand-in server knows: one
// awaiting receipt, one received with its new shipment box, one on another
// day. Names and numbers are invented and masked as Coupang masks them.
var exampleRecords = []string{
	`{"exchangeId":100000070,"orderId":2000000000070,"vendorId":"A00012345","exchangeStatus":"RECEIPT","exchangeStatusLabel":"접수",
	  "reasonCode":"DIFFERENTOPT","reasonCodeText":"색상/ 사이즈가 기대와 다름","createdAt":"2026-03-05T10:54:41",
	  "collectStatus":"CompleteDirection","deliveryInvoiceGroupDtos":[],"rejectable":true,
	  "exchangeAddressDtoV1":{"returnCustomerName":"김*수","returnMobile":"0502-1234-5678"}}`,
	`{"exchangeId":100000071,"orderId":2000000000071,"vendorId":"A00012345","exchangeStatus":"PROGRESS","exchangeStatusLabel":"진행",
	  "reasonCode":"DAMAGED","reasonCodeText":"상품이 파손되어 배송됨","createdAt":"2026-03-05 14:02:00",
	  "collectStatus":"CompleteCollect","rejectable":false,
	  "deliveryInvoiceGroupDtos":[{"shipmentBoxId":100000000000000123,"deliveryInvoiceDtos":[]}]}`,
	`{"exchangeId":100000072,"orderId":2000000000072,"vendorId":"A00012345","exchangeStatus":"RECEIPT","exchangeStatusLabel":"접수",
	  "reasonCode":"WRONGSIZECOL","createdAt":1773025200000,"collectStatus":"BeforeDirection","rejectable":true}`,
}

var exampleAction = regexp.MustCompile(`^/v2/providers/openapi/apis/api/v4/vendors/(A\d+)/exchangeRequests/(\d+)/(receiveConfirmation|rejection|invoices)$`)

// newExampleServer starts a local server that answers like Coupang's gateway
// with canned data, so that the examples run offline. It checks signatures
// the way the gateway does.
func newExampleServer() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		if !exampleSignatureOK(r) {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"code":"ERROR","message":"Invalid signature.","transactionId":"ex-401"}`)
			return
		}
		listPath := "/v2/providers/openapi/apis/api/v4/vendors/" + exampleVendorID + "/exchangeRequests"
		if r.Method == http.MethodGet && r.URL.Path == listPath {
			exampleList(w, r)
			return
		}
		m := exampleAction.FindStringSubmatch(r.URL.Path)
		if m == nil || m[1] != exampleVendorID {
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"code":404,"message":"Not Found"}`)
			return
		}
		switch {
		case m[3] == "receiveConfirmation" && (r.Method == http.MethodPut || r.Method == http.MethodPatch):
			fmt.Fprint(w, `{"code":"200","message":"SUCCESS"}`)
		case m[3] == "rejection" && (r.Method == http.MethodPut || r.Method == http.MethodPatch):
			if m[2] == "100000071" { // already in progress: not rejectable
				fmt.Fprint(w, `{"code":"200","message":"SUCCESS","data":{"resultCode":"FAIL","resultMessage":"교환 거부가 불가능한 상태입니다."}}`)
				return
			}
			fmt.Fprint(w, `{"code":"200","message":"SUCCESS","data":{"resultCode":"SUCCESS","resultMessage":"요청 처리완료"}}`)
		case m[3] == "invoices" && r.Method == http.MethodPost:
			var body []map[string]any
			if err := json.NewDecoder(r.Body).Decode(&body); err != nil || len(body) == 0 {
				w.WriteHeader(http.StatusBadRequest)
				fmt.Fprint(w, `{"code":400,"message":"the body must be a JSON array"}`)
				return
			}
			fmt.Fprint(w, `{"code":"200","message":"SUCCESS","data":{"resultCode":"SUCCESS","resultMessage":"요청 처리완료"}}`)
		default:
			w.WriteHeader(http.StatusMethodNotAllowed)
			fmt.Fprint(w, `{"code":405,"message":"Method Not Allowed"}`)
		}
	}))
}

// exampleSignatureOK verifies the CEA Authorization header over what was
// received.
func exampleSignatureOK(r *http.Request) bool {
	m := authHeaderRE.FindStringSubmatch(r.Header.Get("Authorization"))
	if m == nil || m[1] != exampleAccessKey {
		return false
	}
	path, query, _ := strings.Cut(r.RequestURI, "?")
	mac := hmac.New(sha256.New, []byte(exampleSecretKey))
	mac.Write([]byte(m[2] + r.Method + path + query))
	return hmac.Equal([]byte(m[3]), []byte(hex.EncodeToString(mac.Sum(nil))))
}

// exampleList answers a list call with the records created in the window,
// one page of maxPerPage at a time; the token is the next offset.
func exampleList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	from, err1 := coupang.ParseTime(q.Get("createdAtFrom"))
	to, err2 := coupang.ParseTime(q.Get("createdAtTo"))
	if err1 != nil || err2 != nil || from.IsZero() || to.IsZero() {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"code":400,"message":"createdAtFrom and createdAtTo are required"}`)
		return
	}
	var in []string
	for _, rec := range exampleRecords {
		var v coupang.ExchangeRequest
		_ = coupang.UnmarshalExchange([]byte(rec), &v)
		if !v.CreatedAt.Before(from) && !v.CreatedAt.After(to) {
			in = append(in, rec)
		}
	}
	per, _ := strconv.Atoi(q.Get("maxPerPage"))
	if per <= 0 {
		per = 10
	}
	start, _ := strconv.Atoi(q.Get("nextToken"))
	start = min(start, len(in))
	end := min(start+per, len(in))
	next := ""
	if end < len(in) {
		next = strconv.Itoa(end)
	}
	fmt.Fprintf(w, `{"code":200,"message":"OK","data":[%s],"nextToken":%q}`, strings.Join(in[start:end], ","), next)
}

// exampleClient returns a client for the stand-in server.
func exampleClient(srv *httptest.Server) *coupang.Client {
	client, err := coupang.NewClient(exampleAccessKey, exampleSecretKey, exampleVendorID,
		coupang.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	return client
}

func ExampleNewClient() {
	// In production, read the keys from the environment (NewClientFromEnv)
	// or a secret store; never put them in code.
	client, err := coupang.NewClient("your-access-key", "your-secret-key", "A00012345",
		coupang.WithRateLimit(5),                 // Coupang's per-vendor budget, shared by all goroutines
		coupang.WithUpdateMethod(http.MethodPut), // PUT is the default; PATCH for the 2017 spelling
	)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(client.VendorID())
	fmt.Println(client.BaseURL())
	fmt.Println(client) // never shows the keys

	_, err = coupang.NewClient("your-access-key", "your-secret-key", "vendor-1")
	var invalid *coupang.ValidationError
	fmt.Println(errors.As(err, &invalid), invalid.Field)
	// Output:
	// A00012345
	// https://api-gateway.coupang.com
	// coupang.Client{vendorID: A00012345, baseURL: https://api-gateway.coupang.com}
	// true vendorID
}

func ExampleExchangeService_List() {
	srv := newExampleServer()
	defer srv.Close()
	client := exampleClient(srv)

	kst := coupang.KoreaLocation()
	page, err := client.Exchanges.List(context.Background(), coupang.ExchangeListOptions{
		CreatedAtFrom: time.Date(2026, 3, 5, 0, 0, 0, 0, kst),
		CreatedAtTo:   time.Date(2026, 3, 5, 23, 59, 59, 0, kst),
		// Status, OrderID and MaxPerPage narrow the list further.
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, ex := range page.Items {
		reason := ex.ReasonInfo()
		fmt.Println(ex.ExchangeID, ex.Status, ex.Status.Korean(), ex.CreatedAt.Format(time.DateTime), reason.Code, reason.English)
	}
	fmt.Printf("next page: %q\n", page.NextToken)
	// Output:
	// 100000070 RECEIPT 접수 2026-03-05 10:54:41 DIFFERENTOPT colour/size not as expected
	// 100000071 PROGRESS 진행 2026-03-05 14:02:00 DAMAGED arrived damaged
	// next page: ""
}

func ExampleExchangeService_All() {
	srv := newExampleServer()
	defer srv.Close()
	client := exampleClient(srv)

	// Any length of range: All splits it into 7-day windows and follows
	// nextToken within each, fetching lazily.
	kst := coupang.KoreaLocation()
	opts := coupang.ExchangeListOptions{
		CreatedAtFrom: time.Date(2026, 3, 1, 0, 0, 0, 0, kst),
		CreatedAtTo:   time.Date(2026, 3, 15, 0, 0, 0, 0, kst),
		MaxPerPage:    1,
	}
	for ex, err := range client.Exchanges.All(context.Background(), opts) {
		if err != nil {
			log.Fatal(err) // listing is read-only: it is safe to list the range again
		}
		box, ok := ex.ReplacementShipmentBoxID()
		fmt.Println(ex.ExchangeID, ex.CreatedAt.Format("2006-01-02"), ex.CollectStatus, box, ok)
	}
	// Output:
	// 100000070 2026-03-05 CompleteDirection 0 false
	// 100000071 2026-03-05 CompleteCollect 100000000000000123 true
	// 100000072 2026-03-09 BeforeDirection 0 false
}

func ExampleExchangeService_ConfirmReceipt() {
	srv := newExampleServer()
	defer srv.Close()
	client := exampleClient(srv)

	// Once the returned item has arrived: Coupang then moves the exchange to
	// PROGRESS and, within about 10 minutes, creates the replacement's
	// shipment box.
	if err := client.Exchanges.ConfirmReceipt(context.Background(), 100000070); err != nil {
		log.Fatal(err)
	}
	fmt.Println("receipt confirmed")
	// Output:
	// receipt confirmed
}

func ExampleExchangeService_Reject() {
	srv := newExampleServer()
	defer srv.Close()
	client := exampleClient(srv)

	err := client.Exchanges.Reject(context.Background(), 100000070, coupang.RejectSoldOut)
	fmt.Println("rejected:", err == nil, coupang.RejectSoldOut.English())
	// Output:
	// rejected: true replacement item sold out
}

func ExampleExchangeService_UploadInvoices() {
	srv := newExampleServer()
	defer srv.Close()
	client := exampleClient(srv)
	ctx := context.Background()

	kst := coupang.KoreaLocation()
	page, err := client.Exchanges.List(ctx, coupang.ExchangeListOptions{
		CreatedAtFrom: time.Date(2026, 3, 5, 0, 0, 0, 0, kst),
		CreatedAtTo:   time.Date(2026, 3, 6, 0, 0, 0, 0, kst),
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, ex := range page.Items {
		// The waybill goes against the NEW shipment box, which appears only
		// after receipt is confirmed; never the item's original box.
		box, ok := ex.ReplacementShipmentBoxID()
		if !ok {
			fmt.Println(ex.ExchangeID, "no shipment box yet")
			continue
		}
		err := client.Exchanges.UploadInvoices(ctx, ex.ExchangeID, []coupang.ExchangeInvoice{
			{ShipmentBoxID: box, GoodsDeliveryCode: coupang.CourierCJ, InvoiceNumber: "123456789012"},
		})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(ex.ExchangeID, "waybill uploaded for box", box)
	}
	// Output:
	// 100000070 no shipment box yet
	// 100000071 waybill uploaded for box 100000000000000123
}

func ExampleLookupReason() {
	r, ok := coupang.LookupReason("DAMAGED")
	fmt.Println(ok, r.Korean, "/", r.English, "/", r.Fault.English())

	_, ok = coupang.LookupReason("SOMETHING_NEW")
	fmt.Println(ok)
	// Output:
	// true 상품이 파손되어 배송됨 / arrived damaged / seller at fault
	// false
}

func ExampleAPIError() {
	srv := newExampleServer()
	defer srv.Close()
	client := exampleClient(srv)

	// Coupang reports some failures inside an HTTP 200: they come back as an
	// *APIError with ResultCode "FAIL".
	err := client.Exchanges.Reject(context.Background(), 100000071, coupang.RejectWithdraw)
	var apiErr *coupang.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.ResultCode, apiErr.Message)
	}

	// Gateway failures carry their HTTP status and match the sentinels.
	wrongKeys, _ := coupang.NewClient(exampleAccessKey, "not-the-secret", exampleVendorID, coupang.WithBaseURL(srv.URL))
	_, err = wrongKeys.Exchanges.List(context.Background(), coupang.ExchangeListOptions{
		CreatedAtFrom: time.Date(2026, 3, 5, 0, 0, 0, 0, coupang.KoreaLocation()),
		CreatedAtTo:   time.Date(2026, 3, 6, 0, 0, 0, 0, coupang.KoreaLocation()),
	})
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Message, errors.Is(err, coupang.ErrUnauthorized))
	}
	// Output:
	// 200 FAIL 교환 거부가 불가능한 상태입니다.
	// 401 Invalid signature. true
}
