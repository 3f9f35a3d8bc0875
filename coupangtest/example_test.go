package coupangtest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

// The sandbox plays Coupang for a whole exchange: confirm receipt, wait for
// the new shipment box, upload the waybill, and read back what was applied.
func ExampleNewServer() {
	srv := coupangtest.NewServer(coupangtest.WithExchanges(0))
	defer srv.Close()

	// Set up the state to test: one exchange whose item is on its way back.
	id := srv.AddExchange(coupang.ExchangeRequest{
		OrderID:       20000000012345,
		Status:        coupang.ExchangeStatusReceipt,
		CollectStatus: coupang.CollectStatusDelivering,
		Items:         []coupang.ExchangeItem{{OriginalShipmentBoxID: 100000000000000123, Quantity: 1}},
	})

	client, err := coupang.NewClient(srv.AccessKey, srv.SecretKey, srv.VendorID, coupang.WithBaseURL(srv.URL))
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	if err := client.Exchanges.ConfirmReceipt(ctx, id); err != nil {
		fmt.Println(err)
		return
	}

	// The original box is refused, as on Coupang.
	err = client.Exchanges.UploadInvoices(ctx, id, []coupang.ExchangeInvoice{
		{ShipmentBoxID: 100000000000000123, GoodsDeliveryCode: coupang.CourierCJ, InvoiceNumber: "123456789012"},
	})
	var apiErr *coupang.APIError
	if errors.As(err, &apiErr) {
		fmt.Println("original box:", apiErr.ResultCode, apiErr.Message)
	}

	// List the exchange again to find its new box.
	now := time.Now()
	page, err := client.Exchanges.List(ctx, coupang.ExchangeListOptions{
		CreatedAtFrom: now.Add(-time.Hour), CreatedAtTo: now, OrderID: 20000000012345,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	ex := page.Items[0]
	box, ok := ex.ReplacementShipmentBoxID()
	fmt.Println("status:", ex.Status, ex.CollectStatus, "new box:", ok)

	err = client.Exchanges.UploadInvoices(ctx, id, []coupang.ExchangeInvoice{
		{ShipmentBoxID: box, GoodsDeliveryCode: coupang.CourierCJ, InvoiceNumber: "123456789012"},
	})
	fmt.Println("new box:", err)
	fmt.Println("confirmations:", srv.Confirmations(id), "waybills:", len(srv.Invoices(id)))
	// Output:
	// original box: FAIL shipmentBoxId (100000000000000123)'s status [NONE_TRACKING] is not suitable for applyInvoice
	// status: PROGRESS CompleteCollect new box: true
	// new box: <nil>
	// confirmations: 1 waybills: 1
}

// FailNext injects the failures a client must survive, here Coupang's rate
// limit: the client waits and retries, and the server records both calls.
func ExampleServer_FailNext() {
	srv := coupangtest.NewServer()
	defer srv.Close()
	client, err := srv.Client()
	if err != nil {
		fmt.Println(err)
		return
	}

	srv.FailNext(1, http.StatusTooManyRequests)
	now := time.Now()
	_, err = client.Exchanges.List(context.Background(), coupang.ExchangeListOptions{
		CreatedAtFrom: now.Add(-24 * time.Hour), CreatedAtTo: now,
	})
	fmt.Println("error:", err)
	for _, call := range srv.Calls() {
		fmt.Println(call.Method, call.Status)
	}
	// Output:
	// error: <nil>
	// GET 429
	// GET 200
}
