package coupang_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

// returnSandbox is a sandbox without seeded data and a client for it.
func returnSandbox(t *testing.T, opts ...coupangtest.Option) (*coupangtest.Server, *coupang.Client) {
	t.Helper()
	srv := coupangtest.NewTestServer(t, append([]coupangtest.Option{coupangtest.WithExchanges(0), coupangtest.WithReturns(0)}, opts...)...)
	c, err := srv.Client()
	require.NoError(t, err)
	return srv, c
}

// lastMonth is the range of the last 30 days.
func lastMonth() coupang.ReturnListOptions {
	now := time.Now()
	return coupang.ReturnListOptions{CreatedAtFrom: now.Add(-30 * 24 * time.Hour), CreatedAtTo: now}
}

// allReturns collects All, failing on any error.
func allReturns(t *testing.T, c *coupang.Client, opts coupang.ReturnListOptions, callOpts ...coupang.CallOption) []coupang.ReturnRequest {
	t.Helper()
	var out []coupang.ReturnRequest
	for r, err := range c.Returns.All(context.Background(), opts, callOpts...) {
		require.NoError(t, err)
		out = append(out, r)
	}
	return out
}

func receiptIDs(rs []coupang.ReturnRequest) []int64 {
	ids := make([]int64, len(rs))
	for i, r := range rs {
		ids[i] = r.ReceiptID
	}
	return ids
}

// A release-stop request is listed under RU and under UC: the sweep yields
// it once, and every other receipt of every status once.
func TestReturnsAllYieldsAReceiptUnderRUAndUCOnce(t *testing.T) {
	srv, c := returnSandbox(t)
	stop := srv.AddReturn(coupang.ReturnRequest{Status: coupang.ReturnStatusReleaseStopUnchecked, CreatedAt: time.Now().Add(-time.Hour)})
	ctx := context.Background()
	opts := lastMonth()
	for _, f := range []coupang.ReturnFilter{coupang.ReturnFilterReleaseStop, coupang.ReturnFilterUnchecked} {
		opts.Status = f
		page, err := c.Returns.List(ctx, opts)
		require.NoError(t, err)
		require.Equal(t, []int64{stop}, receiptIDs(page.Items), "listed under %s", f)
	}
	got := allReturns(t, c, lastMonth())
	assert.Equal(t, []int64{stop}, receiptIDs(got), "yielded once")
}

func TestReturnsAllSweepsTheSeededSandbox(t *testing.T) {
	srv := coupangtest.NewTestServer(t, coupangtest.WithExchanges(0), coupangtest.WithReturns(200))
	c, err := srv.Client()
	require.NoError(t, err)
	var want []int64
	for _, r := range srv.Returns() {
		if r.ReceiptType != coupang.ReturnReceiptTypeCancel {
			want = append(want, r.ReceiptID)
		}
	}
	for _, version := range []string{"v6", "v4"} {
		t.Run(version, func(t *testing.T) {
			got := receiptIDs(allReturns(t, c, lastMonth(), coupang.WithReturnListVersion(version)))
			assert.Len(t, got, len(slices.Compact(slices.Sorted(slices.Values(got)))), "no receipt twice")
			assert.ElementsMatch(t, want, got)
		})
	}
	// Cancellations at payment-complete, listed apart.
	opts := lastMonth()
	opts.CancelType = coupang.ReturnReceiptTypeCancel
	cancels := allReturns(t, c, opts)
	require.NotEmpty(t, cancels)
	for _, r := range cancels {
		assert.Equal(t, coupang.ReturnReceiptTypeCancel, r.ReceiptType)
		assert.Equal(t, coupang.StepNone, r.Actions().Next)
	}
}

// Records outside the range asked for are left out although the list
// takes whole days, and a receipt of a window's shared edge day is yielded
// once.
func TestReturnsAllKeepsToTheRange(t *testing.T) {
	srv, c := returnSandbox(t)
	day := func(d, h int) time.Time {
		return time.Date(2026, 3, d, h, 0, 0, 0, coupang.KoreaLocation())
	}
	before := srv.AddReturn(coupang.ReturnRequest{CreatedAt: day(1, 8)})
	first := srv.AddReturn(coupang.ReturnRequest{CreatedAt: day(1, 12)})
	edge := srv.AddReturn(coupang.ReturnRequest{CreatedAt: day(7, 12)}) // the 7th is the edge of the first window
	last := srv.AddReturn(coupang.ReturnRequest{CreatedAt: day(20, 9)})
	after := srv.AddReturn(coupang.ReturnRequest{CreatedAt: day(20, 18)})
	got := allReturns(t, c, coupang.ReturnListOptions{CreatedAtFrom: day(1, 10), CreatedAtTo: day(20, 10)})
	assert.Equal(t, []int64{first, edge, last}, receiptIDs(got))
	assert.NotContains(t, receiptIDs(got), before)
	assert.NotContains(t, receiptIDs(got), after)
	var windows []string
	for _, call := range srv.Calls() {
		if strings.Contains(call.Query, "status=UC") {
			windows = append(windows, call.Query[strings.Index(call.Query, "createdAtFrom="):strings.Index(call.Query, "&maxPerPage")])
		}
	}
	assert.ElementsMatch(t, []string{
		"createdAtFrom=2026-03-01&createdAtTo=2026-03-07",
		"createdAtFrom=2026-03-07&createdAtTo=2026-03-13",
		"createdAtFrom=2026-03-13&createdAtTo=2026-03-19",
		"createdAtFrom=2026-03-19&createdAtTo=2026-03-20",
	}, windows, "windows of 7 days sharing their edge day")
}

// Each documented transition, through the client, on the sandbox.
func TestReturnTransitions(t *testing.T) {
	ctx := context.Background()
	t.Run("return: confirm, then approve", func(t *testing.T) {
		srv, c := returnSandbox(t)
		id := srv.AddReturn(coupang.ReturnRequest{Items: []coupang.ReturnItem{
			{VendorItemID: 1, CancelCount: 5, ReleaseStatus: coupang.ReturnReleaseStatusShipped},
			{VendorItemID: 2, CancelCount: 2, ReleaseStatus: coupang.ReturnReleaseStatusShipped},
		}})
		srv.PickUpReturn(id)
		r, err := c.Returns.Get(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, coupang.StepConfirmOnArrival, r.Actions().Next)
		assert.Equal(t, int64(7), r.CancelCountSum)
		require.NoError(t, c.Returns.ConfirmReceipt(ctx, id))
		r, err = c.Returns.Get(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, coupang.ReturnStatusVendorWarehouseConfirm, r.Status)
		assert.Equal(t, coupang.StepApprove, r.Actions().Next)
		err = c.Returns.Approve(ctx, id, 5)
		assert.Contains(t, requireAPIError(t, err).Message, "cancelCount", "the whole quantity is needed")
		require.NoError(t, c.Returns.Approve(ctx, id, 7))
		r, err = c.Returns.Get(ctx, id, coupang.WithReturnListVersion("v4"))
		require.NoError(t, err)
		assert.Equal(t, coupang.ReturnStatusReturnsCompleted, r.Status)
		assert.True(t, r.Actions().Approve.Done)
		assert.Equal(t, coupang.StepNone, r.Actions().Next)
	})
	t.Run("quick refund: the confirmation completes it", func(t *testing.T) {
		srv, c := returnSandbox(t)
		id := srv.AddReturn(coupang.ReturnRequest{PreRefund: true, ReturnDeliveryType: coupang.ReturnDeliveryTypeManual,
			Deliveries: []coupang.ReturnDelivery{{DeliveryCompanyCode: "CJGLS", DeliveryInvoiceNo: "123456789012"}}})
		require.NoError(t, c.Returns.ConfirmReceipt(ctx, id))
		r, _ := srv.Return(id)
		assert.Equal(t, coupang.ReturnStatusReturnsCompleted, r.Status)
		assert.True(t, r.Actions().ConfirmReceipt.Done)
		assert.False(t, r.Actions().Approve.Allowed, "no approval for a quick refund")
	})
	t.Run("quick refund with the integration: completes by itself at pickup", func(t *testing.T) {
		var now time.Time
		clock := func() time.Time { return time.Now().Add(now.Sub(time.Time{})) }
		srv, c := returnSandbox(t, coupangtest.WithClock(clock), coupangtest.WithQuickRefundDelay(3*time.Minute))
		id := srv.AddReturn(coupang.ReturnRequest{PreRefund: true, ReturnDeliveryType: coupang.ReturnDeliveryTypeIntegrated})
		r, _ := srv.Return(id)
		assert.Equal(t, coupang.StepWaitPickup, r.Actions().Next)
		require.True(t, srv.PickUpReturn(id))
		got, err := c.Returns.Get(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, coupang.StepWaitCoupang, got.Actions().Next, "nothing to do: Coupang refunds at pickup")
		assert.Equal(t, coupang.ReturnStatusReturnsUnchecked, got.Status)
		now = now.Add(3 * time.Minute) // within the signature skew the sandbox allows
		r, _ = srv.Return(id)
		assert.Equal(t, coupang.ReturnStatusReturnsCompleted, r.Status, "completed by Coupang after the delay")
		assert.Equal(t, coupang.ReturnCompleteConfirmCS, r.CompleteConfirmType)
		err = c.Returns.EnsureReceiptConfirmed(ctx, r)
		require.ErrorIs(t, err, coupang.ErrNotApplicable)
		assert.Contains(t, err.Error(), "quick refund")
		assert.Zero(t, writes(srv, http.MethodPut))
	})
	t.Run("release stop: stopped", func(t *testing.T) {
		srv, c := returnSandbox(t)
		id := srv.AddReturn(coupang.ReturnRequest{Status: coupang.ReturnStatusReleaseStopUnchecked})
		r, _ := srv.Return(id)
		assert.True(t, r.ReleaseStopPending())
		assert.Equal(t, coupang.StepStopShipment, r.Actions().Next)
		err := c.Returns.ConfirmReceipt(ctx, id)
		requireAPIError(t, err)
		require.NoError(t, c.Returns.StopShipment(ctx, id, 1))
		r, _ = srv.Return(id)
		assert.Equal(t, coupang.ReturnStatusReturnsCompleted, r.Status)
		assert.Equal(t, coupang.ReturnReleaseStopStopped, r.ReleaseStopStatus)
		assert.True(t, r.Actions().StopShipment.Done)
		assert.False(t, r.ReleaseStopPending())
		err = c.Returns.StopShipment(ctx, id, 1)
		assert.Contains(t, requireAPIError(t, err).Message, "already returned")
	})
	t.Run("release stop: already shipped, then handled as a return", func(t *testing.T) {
		srv, c := returnSandbox(t)
		id := srv.AddReturn(coupang.ReturnRequest{Status: coupang.ReturnStatusReleaseStopUnchecked})
		require.NoError(t, c.Returns.MarkShipped(ctx, id, coupang.CourierCJ, "123456789012"))
		r, err := c.Returns.Get(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, coupang.ReturnStatusReturnsUnchecked, r.Status)
		assert.Equal(t, coupang.ReturnReleaseStopShipped, r.ReleaseStopStatus)
		assert.Equal(t, coupang.ReturnReleaseStatusAlreadyShipped, r.Items[0].ReleaseStatus)
		assert.True(t, r.Actions().MarkShipped.Done)
		assert.False(t, r.Actions().StopShipment.Allowed)
		err = c.Returns.StopShipment(ctx, id, 1)
		requireAPIError(t, err)
		srv.PickUpReturn(id)
		require.NoError(t, c.Returns.ConfirmReceipt(ctx, id))
		require.NoError(t, c.Returns.Approve(ctx, id, 1))
		done, _ := srv.Return(id)
		assert.Equal(t, coupang.ReturnStatusReturnsCompleted, done.Status)
	})
	t.Run("unchecked return with nothing shipped: a stop is allowed", func(t *testing.T) {
		srv, c := returnSandbox(t)
		id := srv.AddReturn(coupang.ReturnRequest{Items: []coupang.ReturnItem{{VendorItemID: 1, CancelCount: 2, ReleaseStatus: coupang.ReturnReleaseStatusNotShipped}}})
		r, _ := srv.Return(id)
		assert.True(t, r.Actions().StopShipment.Allowed)
		require.NoError(t, c.Returns.StopShipment(ctx, id, 2))
	})
	t.Run("a stop on a shipped return is a business failure", func(t *testing.T) {
		srv, c := returnSandbox(t)
		id := srv.AddReturn(coupang.ReturnRequest{})
		err := c.Returns.StopShipment(ctx, id, 1)
		require.ErrorIs(t, err, coupang.ErrBusinessFailure)
		assert.Equal(t, "FAIL", requireAPIError(t, err).ResultCode)
	})
	t.Run("self-collected return: pickup waybill, then confirm", func(t *testing.T) {
		srv, c := returnSandbox(t)
		id := srv.AddReturn(coupang.ReturnRequest{ReturnDeliveryType: coupang.ReturnDeliveryTypeManual})
		r, _ := srv.Return(id)
		assert.Equal(t, coupang.StepRegisterPickup, r.Actions().Next)
		assert.True(t, r.Actions().ConfirmReceipt.Early)
		require.NoError(t, c.Returns.UploadPickupInvoice(ctx, id, coupang.CourierHanjin, "512345678901"))
		r2, err := c.Returns.Get(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, []coupang.ReturnDelivery{{DeliveryCompanyCode: "HANJIN", DeliveryInvoiceNo: "512345678901"}}, r2.PickupWaybills())
		assert.Equal(t, coupang.StepConfirmOnArrival, r2.Actions().Next)
		require.NoError(t, c.Returns.ConfirmReceipt(ctx, id))
	})
	t.Run("withdrawal: gone from the list, in the history", func(t *testing.T) {
		srv, c := returnSandbox(t)
		id := srv.AddReturn(coupang.ReturnRequest{CreatedAt: time.Now().Add(-time.Hour)})
		require.True(t, srv.WithdrawReturn(id))
		assert.Empty(t, allReturns(t, c, lastMonth()))
		_, err := c.Returns.Get(ctx, id)
		assert.Contains(t, requireAPIError(t, err).Message, "존재하지 않습니다")
		err = c.Returns.ConfirmReceipt(ctx, id)
		requireAPIError(t, err)
		found, err := c.Returns.WithdrawalsByID(ctx, []int64{id, 999})
		require.NoError(t, err)
		require.Len(t, found, 1)
		assert.Equal(t, id, found[0].ReceiptID)
		assert.Equal(t, coupang.RefundDeliveryDutyCustomer, found[0].RefundDeliveryDuty)
		now := time.Now()
		var history []coupang.ReturnWithdrawal
		for w, err := range c.Returns.Withdrawals(ctx, now.Add(-24*time.Hour), now) {
			require.NoError(t, err)
			history = append(history, w)
		}
		require.Len(t, history, 1)
		assert.Equal(t, id, history[0].ReceiptID)
		err = c.Returns.EnsureReceiptConfirmed(ctx, coupang.ReturnRequest{ReceiptID: id})
		require.ErrorIs(t, err, coupang.ErrNotApplicable)
		assert.Contains(t, err.Error(), "withdrawn")
	})
	t.Run("a cancellation cannot be read alone", func(t *testing.T) {
		srv, c := returnSandbox(t)
		id := srv.AddReturn(coupang.ReturnRequest{ReceiptType: coupang.ReturnReceiptTypeCancel, Status: coupang.ReturnStatusReturnsCompleted})
		_, err := c.Returns.Get(ctx, id)
		requireAPIError(t, err)
	})
}

// The withdrawal history pages by index within windows of 7 days, and
// leaves out what is outside the range.
func TestReturnWithdrawalsPageAndWindow(t *testing.T) {
	start := time.Date(2026, 3, 1, 9, 0, 0, 0, coupang.KoreaLocation())
	var offset time.Duration
	clock := func() time.Time { return start.Add(offset) }
	srv, _ := returnSandbox(t, coupangtest.WithClock(clock))
	var ids []int64
	for i := range 230 {
		id := srv.AddReturn(coupang.ReturnRequest{CreatedAt: start})
		offset = time.Duration(i) * time.Hour // 230 over 10 days
		require.True(t, srv.WithdrawReturn(id))
		ids = append(ids, id)
	}
	// The client signs with the real clock; a sandbox clock in the past
	// would find every signature expired, so read through a raw client.
	c, err := coupang.NewClient(srv.AccessKey, srv.SecretKey, srv.VendorID, coupang.WithBaseURL(srv.URL), coupang.WithRateLimit(0))
	require.NoError(t, err)
	offset = time.Since(start) // the sandbox clock back to now for signatures
	var got []int64
	from, to := start.Add(time.Hour), start.Add(200*time.Hour)
	for w, err := range c.Returns.Withdrawals(context.Background(), from, to) {
		require.NoError(t, err)
		got = append(got, w.ReceiptID)
	}
	assert.Equal(t, ids[1:201], got, "in order, without the first (before from) or those after to")
	pages := 0
	for _, call := range srv.Calls() {
		if strings.Contains(call.Path, "returnWithdrawRequests") {
			pages++
			assert.Contains(t, call.Query, "sizePerPage=100")
		}
	}
	assert.Equal(t, 3, pages, "two windows (9 days), the first one on two pages")
}

func TestReturnEnvelopeErrorsSurface(t *testing.T) {
	_, c := returnSandbox(t)
	opts := lastMonth()
	opts.CancelType = coupang.ReturnReceiptTypeCancel
	opts.OrderID = 123
	_, err := c.Returns.List(context.Background(), opts)
	require.NoError(t, err, "CANCEL with an order id is passed on as given")
	var apiErr *coupang.APIError
	assert.False(t, errors.As(err, &apiErr))
}
