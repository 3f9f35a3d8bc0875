package coupang_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"

	"github.com/go-coupang/coupang"
)

// newReturnsServer stands in for Coupang's return-request (반품) endpoint: it
// checks the signature as the gateway does and answers one page.
func newReturnsServer() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		if !exampleSignatureOK(r) {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"code":"ERROR","message":"Invalid signature."}`)
			return
		}
		q := r.URL.Query()
		if r.URL.Path != "/v2/providers/openapi/apis/api/v4/vendors/"+exampleVendorID+"/returnRequests" ||
			q.Get("createdAtFrom") == "" || q.Get("createdAtTo") == "" || q.Get("status") == "" {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"code":400,"message":"createdAtFrom, createdAtTo and status are required"}`)
			return
		}
		fmt.Fprint(w, `{"code":200,"message":"OK","transactionId":"ex-returns-1","nextToken":"",
		  "data":[{"receiptId":365937,"orderId":500004398,"receiptStatus":"RELEASE_STOP_UNCHECKED","createdAt":"2026-03-05T10:54:41"},
		          {"receiptId":365940,"orderId":500004412,"receiptStatus":"RELEASE_STOP_UNCHECKED","createdAt":"2026-03-06T09:12:03"}]}`)
	}))
}

// Do reaches endpoints the client has no method for, such as return
// requests, under the same pacing, retries and errors as the exchange calls.
// The path is from the API root; data is decoded into out.
func ExampleClient_Do() {
	srv := newReturnsServer() // stands in for Coupang
	defer srv.Close()

	client, err := coupang.NewClient(exampleAccessKey, exampleSecretKey, exampleVendorID,
		coupang.WithBaseURL(srv.URL)) // omit WithBaseURL to call Coupang
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()

	type returnRequest struct {
		ReceiptID     int64  `json:"receiptId"`
		OrderID       int64  `json:"orderId"`
		ReceiptStatus string `json:"receiptStatus"`
		CreatedAt     string `json:"createdAt"` // Korea time
	}
	var returns []returnRequest
	resp, err := client.Do(context.Background(), http.MethodGet,
		"/v2/providers/openapi/apis/api/v4/vendors/"+client.VendorID()+"/returnRequests",
		url.Values{
			"createdAtFrom": {"2026-03-01"},
			"createdAtTo":   {"2026-03-07"},
			"status":        {"UC"},
		}, nil, &returns)
	if err != nil {
		log.Fatal(err)
	}
	for _, rr := range returns {
		fmt.Println(rr.ReceiptID, rr.OrderID, rr.ReceiptStatus, rr.CreatedAt)
	}
	fmt.Printf("HTTP %d, transactionId %s, more pages: %t\n", resp.StatusCode, resp.TransactionID, resp.NextToken != "")
	// Output:
	// 365937 500004398 RELEASE_STOP_UNCHECKED 2026-03-05T10:54:41
	// 365940 500004412 RELEASE_STOP_UNCHECKED 2026-03-06T09:12:03
	// HTTP 200, transactionId ex-returns-1, more pages: false
}
