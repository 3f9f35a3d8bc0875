package coupang_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

// applyThenFail makes the sandbox apply every write that passes through
// it and then answer it with an unknown outcome: 504, 429, 503, a dropped
// connection, in turn. Reads pass untouched.
type applyThenFail struct {
	srv    *coupangtest.Server
	writes atomic.Int64
	// before, when set, runs before each write reaches the sandbox.
	before func()
}

func (a *applyThenFail) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodGet && req.URL.Path[len(req.URL.Path)-len("returnWithdrawList"):] != "returnWithdrawList" {
		if a.before != nil {
			a.before()
		}
		switch a.writes.Add(1) % 4 {
		case 0:
			a.srv.FailNextAfterApplying(1, http.StatusGatewayTimeout)
		case 1:
			a.srv.FailNextAfterApplying(1, http.StatusTooManyRequests)
		case 2:
			a.srv.FailNextAfterApplying(1, http.StatusServiceUnavailable)
		default:
			a.srv.DropNextAfterApplying(1)
		}
	}
	return http.DefaultTransport.RoundTrip(req)
}

// returnCase is one kind of receipt and the Ensure call that acts on it.
type returnCase struct {
	name   string
	kind   coupangtest.ActionKind
	add    coupang.ReturnRequest
	ensure func(ctx context.Context, c *coupang.Client, r coupang.ReturnRequest) error
}

func returnCases() []returnCase {
	return []returnCase{
		{"confirm", coupangtest.ActionReturnConfirmReceipt,
			coupang.ReturnRequest{Deliveries: []coupang.ReturnDelivery{{DeliveryCompanyCode: "CJGLS", DeliveryInvoiceNo: "123456789012"}}},
			func(ctx context.Context, c *coupang.Client, r coupang.ReturnRequest) error {
				return c.Returns.EnsureReceiptConfirmed(ctx, r)
			}},
		{"approve", coupangtest.ActionReturnApprove,
			coupang.ReturnRequest{Status: coupang.ReturnStatusVendorWarehouseConfirm, Items: []coupang.ReturnItem{{VendorItemID: 9, CancelCount: 3}}},
			func(ctx context.Context, c *coupang.Client, r coupang.ReturnRequest) error {
				return c.Returns.EnsureApproved(ctx, r)
			}},
		{"stop", coupangtest.ActionReturnStopShipment,
			coupang.ReturnRequest{Status: coupang.ReturnStatusReleaseStopUnchecked},
			func(ctx context.Context, c *coupang.Client, r coupang.ReturnRequest) error {
				return c.Returns.EnsureShipmentStopped(ctx, r)
			}},
		{"shipped", coupangtest.ActionReturnMarkShipped,
			coupang.ReturnRequest{Status: coupang.ReturnStatusReleaseStopUnchecked},
			func(ctx context.Context, c *coupang.Client, r coupang.ReturnRequest) error {
				return c.Returns.EnsureMarkedShipped(ctx, r, coupang.CourierCJ, "123456789012")
			}},
		{"pickup waybill", coupangtest.ActionPickupInvoice,
			coupang.ReturnRequest{ReturnDeliveryType: coupang.ReturnDeliveryTypeManual},
			func(ctx context.Context, c *coupang.Client, r coupang.ReturnRequest) error {
				return c.Returns.EnsurePickupInvoiceUploaded(ctx, r, coupang.CourierHanjin, "512345678901")
			}},
	}
}

// 1,000 writes, every one applied by the sandbox and then answered with an
// unknown outcome (504, 429, 503, or no answer at all): through the Ensure
// calls each takes effect exactly once, and each call returns nil.
func TestReturnEnsureThousandUnknownOutcomesNoDuplicate(t *testing.T) {
	const perCase = 200 // 5 cases: 1,000 writes
	srv, _ := returnSandbox(t)
	tr := &applyThenFail{srv: srv}
	c, err := srv.Client(coupang.WithHTTPClient(&http.Client{Transport: tr}))
	require.NoError(t, err)
	ctx := context.Background()
	applied := 0
	for _, tc := range returnCases() {
		for range perCase {
			id := srv.AddReturn(tc.add)
			r, _ := srv.Return(id)
			require.NoError(t, tc.ensure(ctx, c, r), "%s %d", tc.name, id)
			require.Equal(t, 1, srv.Count(tc.kind, id), "%s applied once on receipt %d", tc.name, id)
			applied++
		}
	}
	assert.Equal(t, int64(1000), tr.writes.Load(), "every write was sent once: never again after its unknown outcome")
	assert.Len(t, srv.Applied(), applied)
	assert.Equal(t, 1000, applied)
}

// The same with an exchange's pickup waybill on the shared endpoint.
func TestExchangeEnsurePickupInvoiceUnknownOutcomes(t *testing.T) {
	srv := coupangtest.NewTestServer(t, coupangtest.WithExchanges(0), coupangtest.WithReturns(0))
	tr := &applyThenFail{srv: srv}
	c, err := srv.Client(coupang.WithHTTPClient(&http.Client{Transport: tr}))
	require.NoError(t, err)
	ctx := context.Background()
	for i := range 40 {
		id := srv.AddExchange(coupang.ExchangeRequest{CollectStatus: coupang.CollectStatusBeforeDirection,
			ReturnDeliveries: []coupang.ExchangeReturnDelivery{{DeliveryCompanyCode: "CJGLS"}}})
		ex, _ := srv.Exchange(id)
		require.NoError(t, c.Exchanges.EnsurePickupInvoiceUploaded(ctx, ex, coupang.CourierCJ, fmt.Sprintf("1234567890%02d", i)))
		require.Equal(t, 1, srv.Count(coupangtest.ActionPickupInvoice, id))
		got, _ := srv.Exchange(id)
		assert.Equal(t, coupang.CollectStatusCompleteDirection, got.CollectStatus)
		// Again: done, nothing sent.
		before := tr.writes.Load()
		require.NoError(t, c.Exchanges.EnsurePickupInvoiceUploaded(ctx, got, coupang.CourierCJ, fmt.Sprintf("1234567890%02d", i)))
		assert.Equal(t, before, tr.writes.Load())
	}
	// A pickup already directed: not applicable, nothing sent.
	id := srv.AddExchange(coupang.ExchangeRequest{CollectStatus: coupang.CollectStatusDelivering})
	ex, _ := srv.Exchange(id)
	before := tr.writes.Load()
	err = c.Exchanges.EnsurePickupInvoiceUploaded(ctx, ex, coupang.CourierCJ, "123456789012")
	require.ErrorIs(t, err, coupang.ErrNotApplicable)
	assert.Equal(t, before, tr.writes.Load())
}

func TestReturnEnsureIsOnceAndSendsNothingWhenDone(t *testing.T) {
	ctx := context.Background()
	for _, tc := range returnCases() {
		t.Run(tc.name, func(t *testing.T) {
			srv, c := returnSandbox(t)
			id := srv.AddReturn(tc.add)
			r, _ := srv.Return(id)
			require.NoError(t, tc.ensure(ctx, c, r))
			require.NoError(t, tc.ensure(ctx, c, r), "a stale copy: read again, found done")
			after, _ := srv.Return(id)
			calls := len(srv.Calls())
			require.NoError(t, tc.ensure(ctx, c, after), "an up-to-date copy")
			assert.Equal(t, calls, len(srv.Calls()), "nothing sent when the copy shows it done")
			assert.Equal(t, 1, srv.Count(tc.kind, id))
		})
	}
}

func TestReturnEnsureConcurrentWorkers(t *testing.T) {
	ctx := context.Background()
	for _, tc := range returnCases() {
		t.Run(tc.name, func(t *testing.T) {
			srv, c := returnSandbox(t)
			other, err := srv.Client()
			require.NoError(t, err)
			id := srv.AddReturn(tc.add)
			r, _ := srv.Return(id)
			var wg sync.WaitGroup
			errs := make([]error, 6)
			for i := range errs {
				wg.Go(func() {
					cl := c
					if i%2 == 1 {
						cl = other
					}
					errs[i] = tc.ensure(ctx, cl, r)
				})
			}
			wg.Wait()
			for _, err := range errs {
				assert.NoError(t, err)
			}
			assert.Equal(t, 1, srv.Count(tc.kind, id), "applied once by two workers")
		})
	}
}

// A state that no longer allows the action gives a clear error, and nothing
// is sent.
func TestReturnEnsureNotApplicable(t *testing.T) {
	ctx := context.Background()
	quickRefundDone := coupang.ReturnRequest{Status: coupang.ReturnStatusReturnsCompleted, PreRefund: true,
		CompleteConfirmType: coupang.ReturnCompleteConfirmCS, CompleteConfirmDate: time.Now()}
	stopped := coupang.ReturnRequest{Status: coupang.ReturnStatusReturnsCompleted, ReleaseStopStatus: coupang.ReturnReleaseStopStopped,
		Items: []coupang.ReturnItem{{VendorItemID: 1, CancelCount: 1, ReleaseStatus: coupang.ReturnReleaseStatusStopped}}}
	shipped := coupang.ReturnRequest{Status: coupang.ReturnStatusReturnsUnchecked, ReleaseStopStatus: coupang.ReturnReleaseStopShipped,
		Items: []coupang.ReturnItem{{VendorItemID: 1, CancelCount: 1, ReleaseStatus: coupang.ReturnReleaseStatusAlreadyShipped}}}
	tests := []struct {
		name string
		add  coupang.ReturnRequest
		run  func(c *coupang.Client, r coupang.ReturnRequest) error
		want string
	}{
		{"confirm a quick refund Coupang completed", quickRefundDone, func(c *coupang.Client, r coupang.ReturnRequest) error {
			return c.Returns.EnsureReceiptConfirmed(ctx, r)
		}, "quick refund"},
		{"approve a quick refund Coupang completed", quickRefundDone, func(c *coupang.Client, r coupang.ReturnRequest) error {
			return c.Returns.EnsureApproved(ctx, r)
		}, "quick refund"},
		{"approve before the confirmation", coupang.ReturnRequest{}, func(c *coupang.Client, r coupang.ReturnRequest) error {
			return c.Returns.EnsureApproved(ctx, r)
		}, "not confirmed"},
		{"confirm a stopped shipment", stopped, func(c *coupang.Client, r coupang.ReturnRequest) error {
			return c.Returns.EnsureReceiptConfirmed(ctx, r)
		}, "stopped"},
		{"report shipped after a stop", stopped, func(c *coupang.Client, r coupang.ReturnRequest) error {
			return c.Returns.EnsureMarkedShipped(ctx, r, coupang.CourierCJ, "123456789012")
		}, "stopped"},
		{"stop after reporting shipped", shipped, func(c *coupang.Client, r coupang.ReturnRequest) error {
			return c.Returns.EnsureShipmentStopped(ctx, r)
		}, "reported shipped"},
		{"stop a return", coupang.ReturnRequest{}, func(c *coupang.Client, r coupang.ReturnRequest) error {
			return c.Returns.EnsureShipmentStopped(ctx, r)
		}, "had shipped"},
		{"pickup waybill on a confirmed return", coupang.ReturnRequest{Status: coupang.ReturnStatusVendorWarehouseConfirm}, func(c *coupang.Client, r coupang.ReturnRequest) error {
			return c.Returns.EnsurePickupInvoiceUploaded(ctx, r, coupang.CourierCJ, "123456789012")
		}, "approval"},
		{"pickup waybill on a release stop", coupang.ReturnRequest{Status: coupang.ReturnStatusReleaseStopUnchecked}, func(c *coupang.Client, r coupang.ReturnRequest) error {
			return c.Returns.EnsurePickupInvoiceUploaded(ctx, r, coupang.CourierCJ, "123456789012")
		}, "nothing to pick up"},
		{"confirm a completed return", coupang.ReturnRequest{Status: coupang.ReturnStatusReturnsCompleted, CompleteConfirmType: coupang.ReturnCompleteConfirmCS},
			func(c *coupang.Client, r coupang.ReturnRequest) error {
				return c.Returns.EnsureReceiptConfirmed(ctx, r)
			}, "completed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, c := returnSandbox(t)
			id := srv.AddReturn(tt.add)
			r, _ := srv.Return(id)
			err := tt.run(c, r)
			require.ErrorIs(t, err, coupang.ErrNotApplicable)
			assert.Contains(t, err.Error(), tt.want)
			assert.Empty(t, srv.Applied())
			for _, call := range srv.Calls() {
				assert.Equal(t, http.MethodGet, call.Method, "only reads")
			}
		})
	}
}

// The customer withdraws between the read and the write: the write is
// refused, the receipt read again is found in the withdrawal history.
func TestReturnEnsureWithdrawnMeanwhile(t *testing.T) {
	srv, _ := returnSandbox(t)
	id := srv.AddReturn(coupang.ReturnRequest{Deliveries: []coupang.ReturnDelivery{{DeliveryCompanyCode: "CJGLS", DeliveryInvoiceNo: "123456789012"}}})
	tr := &withdrawBeforeWrite{srv: srv, id: id}
	c, err := srv.Client(coupang.WithHTTPClient(&http.Client{Transport: tr}))
	require.NoError(t, err)
	r, _ := srv.Return(id)
	err = c.Returns.EnsureReceiptConfirmed(context.Background(), r)
	require.ErrorIs(t, err, coupang.ErrNotApplicable)
	assert.Contains(t, err.Error(), "withdrawn by the customer")
	assert.Empty(t, srv.Applied())
}

type withdrawBeforeWrite struct {
	srv *coupangtest.Server
	id  int64
}

func (w *withdrawBeforeWrite) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method == http.MethodPut {
		w.srv.WithdrawReturn(w.id)
	}
	return http.DefaultTransport.RoundTrip(req)
}

func TestPendingReleaseStops(t *testing.T) {
	srv, c := returnSandbox(t)
	const order = 77_000_000_000_001
	pending := srv.AddReturn(coupang.ReturnRequest{OrderID: order, Status: coupang.ReturnStatusReleaseStopUnchecked, CreatedAt: time.Now().Add(-time.Hour)})
	answered := srv.AddReturn(coupang.ReturnRequest{OrderID: order, Status: coupang.ReturnStatusReleaseStopUnchecked, CreatedAt: time.Now().Add(-2 * time.Hour)})
	srv.AddReturn(coupang.ReturnRequest{OrderID: order, CreatedAt: time.Now().Add(-3 * time.Hour)})
	srv.AddReturn(coupang.ReturnRequest{OrderID: order + 1, Status: coupang.ReturnStatusReleaseStopUnchecked})
	require.NoError(t, c.Returns.StopShipment(context.Background(), answered, 1))

	got, err := c.Returns.PendingReleaseStops(context.Background(), order)
	require.NoError(t, err)
	assert.Equal(t, []int64{pending}, receiptIDs(got))
	none, err := c.Returns.PendingReleaseStops(context.Background(), order+2)
	require.NoError(t, err)
	assert.Empty(t, none)
	_, err = c.Returns.PendingReleaseStops(context.Background(), 0)
	requireValidation(t, err, "orderID")
}
