package coupang_test

import (
	"context"
	"iter"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
)

const (
	v4Vendor = "/v2/providers/openapi/apis/api/v4/vendors/A00012345"
	v5Vendor = "/v2/providers/openapi/apis/api/v5/vendors/A00012345"
)

func TestReturnListOnTheWire(t *testing.T) {
	from := time.Date(2026, 3, 1, 23, 30, 0, 0, time.UTC) // 2026-03-02 in Korea
	to := time.Date(2026, 3, 8, 10, 0, 0, 0, coupang.KoreaLocation())
	tests := []struct {
		name  string
		opts  coupang.ReturnListOptions
		call  []coupang.CallOption
		path  string
		query string
	}{
		{"status, v6 by default, dates in Korea time", coupang.ReturnListOptions{CreatedAtFrom: from, CreatedAtTo: to, Status: coupang.ReturnFilterReleaseStop},
			nil, returnsV6Path, "createdAtFrom=2026-03-02&createdAtTo=2026-03-08&maxPerPage=50&status=RU"},
		{"order, v4", coupang.ReturnListOptions{CreatedAtFrom: from, CreatedAtTo: to, OrderID: 12345678901234, MaxPerPage: 20},
			[]coupang.CallOption{coupang.WithReturnListVersion("v4")}, returnsV4Path, "createdAtFrom=2026-03-02&createdAtTo=2026-03-08&maxPerPage=20&orderId=12345678901234"},
		{"cancellations without an order", coupang.ReturnListOptions{CreatedAtFrom: from, CreatedAtTo: to, CancelType: coupang.ReturnReceiptTypeCancel},
			nil, returnsV6Path, "cancelType=CANCEL&createdAtFrom=2026-03-02&createdAtTo=2026-03-08&maxPerPage=50"},
		{"cancellations with an order", coupang.ReturnListOptions{CreatedAtFrom: from, CreatedAtTo: to, CancelType: coupang.ReturnReceiptTypeCancel, OrderID: 7},
			nil, returnsV6Path, "cancelType=CANCEL&createdAtFrom=2026-03-02&createdAtTo=2026-03-08&maxPerPage=50&orderId=7"},
		{"RETURN is the default and not sent; a token", coupang.ReturnListOptions{CreatedAtFrom: from, CreatedAtTo: to, Status: coupang.ReturnFilterCompleted, CancelType: coupang.ReturnReceiptTypeReturn, NextToken: "a b+c"},
			nil, returnsV6Path, "createdAtFrom=2026-03-02&createdAtTo=2026-03-08&maxPerPage=50&nextToken=a+b%2Bc&status=CC"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMockAPI(t)
			m.onJSON(http.MethodGet, tt.path, http.StatusOK, `{"code":200,"message":"OK","data":[]}`)
			page, err := m.client.Returns.List(context.Background(), tt.opts, tt.call...)
			require.NoError(t, err)
			assert.Empty(t, page.Items)
			r := m.only()
			testMethod(t, r, http.MethodGet)
			testRawQuery(t, r, tt.query)
			testSigned(t, r)
			testNoBody(t, r)
		})
	}
}

func TestReturnWritesOnTheWire(t *testing.T) {
	ctx := context.Background()
	result := `{"code":200,"message":"OK","data":{"resultCode":"SUCCESS","resultMessage":"OK"}}`
	tests := []struct {
		name   string
		call   func(c *coupang.Client) error
		method string
		path   string
		body   string
	}{
		{"confirm", func(c *coupang.Client) error { return c.Returns.ConfirmReceipt(ctx, 500000001) },
			http.MethodPut, v4Vendor + "/returnRequests/500000001/receiveConfirmation", `{"vendorId":"A00012345","receiptId":500000001}`},
		{"confirm, PATCH and v5", func(c *coupang.Client) error {
			return c.Returns.ConfirmReceipt(ctx, 500000001, coupang.WithUpdateMethod("PATCH"), coupang.WithReturnActionVersion("v5"))
		}, http.MethodPatch, v5Vendor + "/returnRequests/500000001/receiveConfirmation", `{"vendorId":"A00012345","receiptId":500000001}`},
		{"approve", func(c *coupang.Client) error { return c.Returns.Approve(ctx, 9007199254740993, 7) },
			http.MethodPut, v4Vendor + "/returnRequests/9007199254740993/approval", `{"vendorId":"A00012345","receiptId":9007199254740993,"cancelCount":7}`},
		{"approve, v5", func(c *coupang.Client) error {
			return c.Returns.Approve(ctx, 1, 1, coupang.WithReturnActionVersion("v5"))
		},
			http.MethodPut, v5Vendor + "/returnRequests/1/approval", `{"vendorId":"A00012345","receiptId":1,"cancelCount":1}`},
		{"stop, always v4", func(c *coupang.Client) error {
			return c.Returns.StopShipment(ctx, 500000002, 2, coupang.WithReturnActionVersion("v5"))
		},
			http.MethodPut, v4Vendor + "/returnRequests/500000002/stoppedShipment", `{"vendorId":"A00012345","receiptId":500000002,"cancelCount":2}`},
		{"already shipped", func(c *coupang.Client) error { return c.Returns.MarkShipped(ctx, 500000003, "CJGLS", "123412341234") },
			http.MethodPut, v4Vendor + "/returnRequests/500000003/completedShipment",
			`{"vendorId":"A00012345","receiptId":500000003,"deliveryCompanyCode":"CJGLS","invoiceNumber":"123412341234"}`},
		{"pickup waybill of a return", func(c *coupang.Client) error {
			return c.Returns.UploadPickupInvoice(ctx, 500000004, "HANJIN", "512345678901")
		},
			http.MethodPost, v4Vendor + "/return-exchange-invoices/manual",
			`{"returnExchangeDeliveryType":"RETURN","receiptId":500000004,"deliveryCompanyCode":"HANJIN","invoiceNumber":"512345678901"}`},
		{"pickup waybill of an exchange", func(c *coupang.Client) error {
			return c.Exchanges.UploadPickupInvoice(ctx, 100000070, "CJGLS", "123456789012")
		},
			http.MethodPost, v4Vendor + "/return-exchange-invoices/manual",
			`{"returnExchangeDeliveryType":"EXCHANGE","receiptId":100000070,"deliveryCompanyCode":"CJGLS","invoiceNumber":"123456789012"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMockAPI(t)
			m.onJSON(tt.method, tt.path, http.StatusOK, result)
			require.NoError(t, tt.call(m.client))
			r := m.only()
			testMethod(t, r, tt.method)
			testPath(t, r, tt.path)
			testJSONBody(t, r, tt.body)
			testSigned(t, r)
			testCommonHeaders(t, r)
		})
	}
}

// completedShipment's documented answer nests code and message in data;
// both shapes are a success, and a FAIL in either is a business failure.
func TestMarkShippedAnswerShapes(t *testing.T) {
	path := v4Vendor + "/returnRequests/5/completedShipment"
	for _, tt := range []struct {
		body string
		fail bool
	}{
		{`{"code":200,"message":"OK","data":{"code":200,"message":"OK","resultCode":"SUCCESS","resultMessage":"done"}}`, false},
		{`{"code":"200","message":"OK","data":{"resultCode":"SUCCESS"}}`, false},
		{`{"code":"200","message":"OK"}`, false},
		{`{"code":200,"message":"OK","data":{"code":200,"message":"OK","resultCode":"FAIL","resultMessage":"처리 불가"}}`, true},
	} {
		m := newMockAPI(t)
		m.onJSON(http.MethodPut, path, http.StatusOK, tt.body)
		err := m.client.Returns.MarkShipped(context.Background(), 5, "CJGLS", "123412341234")
		if tt.fail {
			require.ErrorIs(t, err, coupang.ErrBusinessFailure, tt.body)
		} else {
			require.NoError(t, err, tt.body)
		}
	}
}

// The withdrawal lookup only reads: a 503 is retried, where a write's is
// not.
func TestWithdrawalsByIDIsRetriedLikeARead(t *testing.T) {
	m := newMockAPI(t, coupang.WithMaxRetries(2), coupang.WithBackoff(time.Millisecond, time.Millisecond))
	n := 0
	m.on(http.MethodPost, v4Vendor+"/returnWithdrawList", func(*http.Request) (*http.Response, error) {
		n++
		if n == 1 {
			return jsonResponder(http.StatusServiceUnavailable, `{"code":503,"message":"busy"}`)(nil)
		}
		return jsonResponder(http.StatusOK, `{"code":200,"message":"OK","data":[{"cancelId":5,"orderId":6,"vendorId":"A00012345","refundDeliveryDuty":"CUS","createdAt":"2026-03-02T10:00:00","vendorItemIds":[1,"2"]}]}`)(nil)
	})
	got, err := m.client.Returns.WithdrawalsByID(context.Background(), []int64{5, 9})
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, []int64{1, 2}, got[0].VendorItemIDs)
	assert.Equal(t, 2, n)
	testJSONBody(t, m.calls()[1], `{"cancelIds":[5,9]}`)

	w := newMockAPI(t, coupang.WithMaxRetries(2), coupang.WithBackoff(time.Millisecond, time.Millisecond))
	w.onJSON(http.MethodPost, v4Vendor+"/return-exchange-invoices/manual", http.StatusServiceUnavailable, `{"code":503,"message":"busy"}`)
	err = w.client.Returns.UploadPickupInvoice(context.Background(), 5, "CJGLS", "123456789012")
	require.ErrorIs(t, err, coupang.ErrOutcomeUnknown)
	assert.Equal(t, 1, w.callCount(), "a write is not sent again")
}

func TestReturnWithdrawalsOnTheWire(t *testing.T) {
	m := newMockAPI(t)
	pages := []string{
		`{"code":200,"message":"OK","data":[{"cancelId":1,"orderId":2,"createdAt":"2026-03-02T10:00:00"},{"cancelId":"bad","createdAt":"x"}],"nextPageIndex":"2"}`,
		`{"code":200,"message":"OK","data":[{"cancelId":3,"orderId":4,"createdAt":"2026-03-03T10:00:00"}],"nextPageIndex":""}`,
		`{"code":200,"message":"OK","data":[],"nextPageIndex":""}`,
	}
	m.on(http.MethodGet, v4Vendor+"/returnWithdrawRequests", func(*http.Request) (*http.Response, error) {
		n := min(len(m.calls())-1, len(pages)-1)
		return jsonResponder(http.StatusOK, pages[n])(nil)
	})
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, coupang.KoreaLocation())
	var ids []int64
	var recErrs int
	for w, err := range m.client.Returns.Withdrawals(context.Background(), from, from.AddDate(0, 0, 8)) {
		if err != nil {
			var recErr *coupang.RecordError
			require.ErrorAs(t, err, &recErr)
			recErrs++
			continue
		}
		ids = append(ids, w.ReceiptID)
	}
	assert.Equal(t, []int64{1, 3}, ids)
	assert.Equal(t, 1, recErrs)
	calls := m.calls()
	require.Len(t, calls, 3)
	testRawQuery(t, calls[0], "dateFrom=2026-03-01&dateTo=2026-03-07&pageIndex=1&sizePerPage=100")
	testRawQuery(t, calls[1], "dateFrom=2026-03-01&dateTo=2026-03-07&pageIndex=2&sizePerPage=100")
	testRawQuery(t, calls[2], "dateFrom=2026-03-08&dateTo=2026-03-09&pageIndex=1&sizePerPage=100")
}

func TestReturnWithdrawalsPagingLoop(t *testing.T) {
	m := newMockAPI(t)
	m.onJSON(http.MethodGet, v4Vendor+"/returnWithdrawRequests", http.StatusOK, `{"code":200,"message":"OK","data":[],"nextPageIndex":"1"}`)
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, coupang.KoreaLocation())
	var last error
	for _, err := range m.client.Returns.Withdrawals(context.Background(), from, from) {
		last = err
	}
	require.ErrorIs(t, last, coupang.ErrPagingLoop)
	assert.Equal(t, 1, m.callCount())
}

// firstError runs seq and returns the first error.
func firstError[T any](seq iter.Seq2[T, error]) error {
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}

func TestReturnValidation(t *testing.T) {
	ctx := context.Background()
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, coupang.KoreaLocation())
	ok := coupang.ReturnListOptions{CreatedAtFrom: from, CreatedAtTo: from.AddDate(0, 0, 6), Status: coupang.ReturnFilterUnchecked}
	with := func(f func(*coupang.ReturnListOptions)) coupang.ReturnListOptions {
		o := ok
		f(&o)
		return o
	}
	r := coupang.ReturnRequest{ReceiptID: 1}
	tests := []struct {
		name  string
		call  func(c *coupang.Client) error
		field string
	}{
		{"list without status or order", func(c *coupang.Client) error {
			_, err := c.Returns.List(ctx, with(func(o *coupang.ReturnListOptions) { o.Status = "" }))
			return err
		}, "Status"},
		{"list of cancellations with a status", func(c *coupang.Client) error {
			_, err := c.Returns.List(ctx, with(func(o *coupang.ReturnListOptions) { o.CancelType = coupang.ReturnReceiptTypeCancel }))
			return err
		}, "Status"},
		{"an unknown cancel type", func(c *coupang.Client) error {
			_, err := c.Returns.List(ctx, with(func(o *coupang.ReturnListOptions) { o.CancelType = "ALL" }))
			return err
		}, "CancelType"},
		{"32 days", func(c *coupang.Client) error {
			_, err := c.Returns.List(ctx, with(func(o *coupang.ReturnListOptions) { o.CreatedAtTo = from.AddDate(0, 0, 31) }))
			return err
		}, "CreatedAtTo"},
		{"no from", func(c *coupang.Client) error {
			_, err := c.Returns.List(ctx, with(func(o *coupang.ReturnListOptions) { o.CreatedAtFrom = time.Time{} }))
			return err
		}, "CreatedAtFrom"},
		{"to before from", func(c *coupang.Client) error {
			_, err := c.Returns.List(ctx, with(func(o *coupang.ReturnListOptions) { o.CreatedAtTo = from.Add(-time.Second) }))
			return err
		}, "CreatedAtTo"},
		{"page size", func(c *coupang.Client) error {
			_, err := c.Returns.List(ctx, with(func(o *coupang.ReturnListOptions) { o.MaxPerPage = 51 }))
			return err
		}, "MaxPerPage"},
		{"negative order", func(c *coupang.Client) error {
			_, err := c.Returns.List(ctx, with(func(o *coupang.ReturnListOptions) { o.OrderID = -1 }))
			return err
		}, "OrderID"},
		{"a status with a newline", func(c *coupang.Client) error {
			_, err := c.Returns.List(ctx, with(func(o *coupang.ReturnListOptions) { o.Status = "UC\n" }))
			return err
		}, "Status"},
		{"All with a token", func(c *coupang.Client) error {
			return firstError(c.Returns.All(ctx, with(func(o *coupang.ReturnListOptions) { o.NextToken = "x" })))
		}, "NextToken"},
		{"All over two years", func(c *coupang.Client) error {
			return firstError(c.Returns.All(ctx, with(func(o *coupang.ReturnListOptions) { o.CreatedAtFrom = from.AddDate(-2, 0, 0) })))
		}, "CreatedAtFrom"},
		{"Get of 0", func(c *coupang.Client) error { _, err := c.Returns.Get(ctx, 0); return err }, "receiptID"},
		{"confirm -1", func(c *coupang.Client) error { return c.Returns.ConfirmReceipt(ctx, -1) }, "receiptID"},
		{"approve 0 items", func(c *coupang.Client) error { return c.Returns.Approve(ctx, 1, 0) }, "cancelCount"},
		{"approve -2 items", func(c *coupang.Client) error { return c.Returns.Approve(ctx, 1, -2) }, "cancelCount"},
		{"approve more than an Integer", func(c *coupang.Client) error { return c.Returns.Approve(ctx, 1, math.MaxInt32+1) }, "cancelCount"},
		{"stop 0 items", func(c *coupang.Client) error { return c.Returns.StopShipment(ctx, 1, 0) }, "cancelCount"},
		{"stop receipt 0", func(c *coupang.Client) error { return c.Returns.StopShipment(ctx, 0, 1) }, "receiptID"},
		{"shipped with a lower-case courier", func(c *coupang.Client) error { return c.Returns.MarkShipped(ctx, 1, "cjgls", "123412341234") }, "courier"},
		{"shipped with a full-width waybill", func(c *coupang.Client) error { return c.Returns.MarkShipped(ctx, 1, "CJGLS", "１２３４") }, "invoiceNumber"},
		{"pickup waybill with a space", func(c *coupang.Client) error { return c.Returns.UploadPickupInvoice(ctx, 1, "CJGLS", "1234 5678") }, "invoiceNumber"},
		{"pickup waybill of exchange 0", func(c *coupang.Client) error { return c.Exchanges.UploadPickupInvoice(ctx, 0, "CJGLS", "12345678") }, "exchangeID"},
		{"withdrawals by no id", func(c *coupang.Client) error { _, err := c.Returns.WithdrawalsByID(ctx, nil); return err }, "receiptIDs"},
		{"withdrawals by 51 ids", func(c *coupang.Client) error {
			ids := make([]int64, 51)
			for i := range ids {
				ids[i] = int64(i + 1)
			}
			_, err := c.Returns.WithdrawalsByID(ctx, ids)
			return err
		}, "receiptIDs"},
		{"withdrawals by a zero id", func(c *coupang.Client) error { _, err := c.Returns.WithdrawalsByID(ctx, []int64{1, 0}); return err }, "receiptIDs[1]"},
		{"withdrawals backwards", func(c *coupang.Client) error {
			return firstError(c.Returns.Withdrawals(ctx, from, from.Add(-time.Hour)))
		}, "CreatedAtTo"},
		{"ensure without a receipt id", func(c *coupang.Client) error { return c.Returns.EnsureReceiptConfirmed(ctx, coupang.ReturnRequest{}) }, "ReceiptID"},
		{"ensure shipped with a bad courier", func(c *coupang.Client) error { return c.Returns.EnsureMarkedShipped(ctx, r, "", "1") }, "courier"},
		{"ensure pickup with a bad waybill", func(c *coupang.Client) error {
			return c.Returns.EnsurePickupInvoiceUploaded(ctx, r, "CJGLS", strings.Repeat("1", 65))
		}, "invoiceNumber"},
		{"exchange pickup with a bad courier", func(c *coupang.Client) error {
			return c.Exchanges.EnsurePickupInvoiceUploaded(ctx, coupang.ExchangeRequest{ExchangeID: 1}, "C J", "12345678")
		}, "courier"},
		{"a list version", func(c *coupang.Client) error {
			_, err := c.Returns.List(ctx, ok, coupang.WithReturnListVersion("v5"))
			return err
		}, "returnListVersion"},
		{"an action version", func(c *coupang.Client) error {
			return c.Returns.ConfirmReceipt(ctx, 1, coupang.WithReturnActionVersion("v6"))
		}, "returnActionVersion"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMockAPI(t)
			err := tt.call(m.client)
			requireValidation(t, err, tt.field)
			assert.Zero(t, m.callCount(), "nothing sent")
		})
	}
}

// EnsureApproved and EnsureShipmentStopped send the receipt's whole
// quantity, read again, and refuse a receipt without one before sending.
func TestReturnEnsureSendsTheWholeQuantity(t *testing.T) {
	srv, c := returnSandbox(t)
	id := srv.AddReturn(coupang.ReturnRequest{Status: coupang.ReturnStatusReleaseStopUnchecked, Items: []coupang.ReturnItem{
		{VendorItemID: 1, CancelCount: 2, ReleaseStatus: coupang.ReturnReleaseStatusNotShipped},
		{VendorItemID: 2, CancelCount: 3, ReleaseStatus: coupang.ReturnReleaseStatusNotShipped},
	}})
	stale := coupang.ReturnRequest{ReceiptID: id, Status: coupang.ReturnStatusReleaseStopUnchecked, CancelCountSum: 1}
	require.NoError(t, c.Returns.EnsureShipmentStopped(context.Background(), stale))
	applied := srv.Applied()
	require.Len(t, applied, 1)
	assert.Equal(t, 5, applied[0].CancelCount, "from the receipt read again, not the stale copy")
}
