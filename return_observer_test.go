package coupang_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

const (
	obsReturnsV6 = "/v2/providers/openapi/apis/api/v6/vendors/{vendorId}/returnRequests"
	obsReturnsV4 = "/v2/providers/openapi/apis/api/v4/vendors/{vendorId}/returnRequests"
)

// attemptLines are the lines of log about attempts, without the answers.
func attemptLines(log *obsLog) []string {
	var out []string
	for _, l := range log.all() {
		if strings.Contains(l, " attempt ") {
			out = append(out, l)
		}
	}
	return out
}

// TestObserverSeesReturnCalls: every return call is a call of its own
// ("Returns.…"), with a URL template whose ids are names and whose version
// is the one sent.
func TestObserverSeesReturnCalls(t *testing.T) {
	srv := coupangtest.NewTestServer(t, coupangtest.WithExchanges(0), coupangtest.WithReturns(0))
	log := &obsLog{}
	c, err := srv.Client(coupang.WithObserver(log.observer()))
	require.NoError(t, err)
	ctx := context.Background()
	now := time.Now()
	id := srv.AddReturn(coupang.ReturnRequest{OrderID: 7, Status: coupang.ReturnStatusReturnsUnchecked,
		ReceiptType: coupang.ReturnReceiptTypeReturn, CreatedAt: now.Add(-time.Hour), CancelCountSum: 1,
		Items: []coupang.ReturnItem{{VendorItemID: 1, CancelCount: 1, PurchaseCount: 1}}})

	week := coupang.ReturnListOptions{CreatedAtFrom: now.Add(-24 * time.Hour), CreatedAtTo: now, Status: coupang.ReturnFilterUnchecked}
	_, err = c.Returns.List(ctx, week)
	require.NoError(t, err)
	_, err = c.Returns.Get(ctx, id, coupang.WithReturnListVersion("v4"))
	require.NoError(t, err)
	require.NoError(t, c.Returns.UploadPickupInvoice(ctx, id, coupang.CourierCJ, "123456789012"))
	require.NoError(t, c.Returns.ConfirmReceipt(ctx, id, coupang.WithReturnActionVersion("v5")))
	_, err = c.Returns.WithdrawalsByID(ctx, []int64{id})
	require.NoError(t, err)
	for _, err := range c.Returns.Withdrawals(ctx, now.Add(-24*time.Hour), now) {
		require.NoError(t, err)
	}

	assert.Equal(t, []string{
		"[Returns.List] attempt GET " + obsReturnsV6 + " resend=0",
		"[Returns.Get] attempt GET " + obsReturnsV4 + "/{receiptId} resend=0",
		"[Returns.UploadPickupInvoice] attempt POST /v2/providers/openapi/apis/api/v4/vendors/{vendorId}/return-exchange-invoices/manual resend=0",
		"[Returns.ConfirmReceipt] attempt PUT /v2/providers/openapi/apis/api/v5/vendors/{vendorId}/returnRequests/{receiptId}/receiveConfirmation resend=0",
		"[Returns.WithdrawalsByID] attempt POST /v2/providers/openapi/apis/api/v4/vendors/{vendorId}/returnWithdrawList resend=0",
		"[Returns.Withdrawals] attempt GET /v2/providers/openapi/apis/api/v4/vendors/{vendorId}/returnWithdrawRequests resend=0",
	}, attemptLines(log))
	for _, line := range log.all() {
		assert.NotContains(t, line, fmt.Sprint(id), "no id in a template: %s", line)
	}
}

// TestObserverSeesReturnsAllChangesAndEnsure: All is one call whose List
// calls and pages are reported within it; a pass of Changes reports its
// changes with the kind "return"; an Ensure… call its steps.
func TestObserverSeesReturnsAllChangesAndEnsure(t *testing.T) {
	srv := coupangtest.NewTestServer(t, coupangtest.WithExchanges(0), coupangtest.WithReturns(0))
	log := &obsLog{}
	c, err := srv.Client(coupang.WithObserver(log.observer()), coupang.WithListConcurrency(1))
	require.NoError(t, err)
	ctx := context.Background()
	now := time.Now()
	id := srv.AddReturn(coupang.ReturnRequest{OrderID: 8, Status: coupang.ReturnStatusReturnsUnchecked,
		ReceiptType: coupang.ReturnReceiptTypeReturn, CreatedAt: now.Add(-time.Hour), CancelCountSum: 1,
		Items: []coupang.ReturnItem{{VendorItemID: 1, CancelCount: 1, PurchaseCount: 1}}})

	n := 0
	for _, err := range c.Returns.All(ctx, coupang.ReturnListOptions{CreatedAtFrom: now.Add(-24 * time.Hour), CreatedAtTo: now}) {
		require.NoError(t, err)
		n++
	}
	require.Equal(t, 1, n)
	lines := log.all()
	assert.Equal(t, "[] call Returns.All", lines[0])
	assert.Equal(t, "[Returns.All] done Returns.All err=false", lines[len(lines)-1])
	// The four filters of the one window, each a List within All, each a
	// page of its window.
	assert.Equal(t, 4, count(lines, "[Returns.All] call Returns.List"))
	assert.Equal(t, 4, count(lines, "[Returns.All] page 1 records="))

	var receipt coupang.ReturnRequest
	for ch, err := range c.Returns.Changes(ctx, coupang.NewMemoryChangeStore(), coupang.ChangeOptions{}) {
		require.NoError(t, err)
		receipt = ch.Return
	}
	require.Equal(t, id, receipt.ReceiptID)
	assert.Contains(t, log.all(), "[Returns.Changes] changes return 1 lag=true")
	assert.Contains(t, log.all(), "[Returns.Changes] call Returns.All")
	assert.Contains(t, log.all(), "[Returns.Changes] done Returns.Changes err=false")

	before := len(log.all())
	require.NoError(t, c.Returns.EnsureReceiptConfirmed(ctx, receipt))
	require.NoError(t, c.Returns.EnsureReceiptConfirmed(ctx, receipt))
	var got []string
	for _, l := range log.all()[before:] {
		if strings.Contains(l, "ensure") || strings.Contains(l, "call ") {
			got = append(got, l)
		}
	}
	assert.Equal(t, []string{
		"[] call Returns.EnsureReceiptConfirmed",
		"[Returns.EnsureReceiptConfirmed] call Returns.Get",
		"[Returns.EnsureReceiptConfirmed] ensure Returns.EnsureReceiptConfirmed sending",
		"[Returns.EnsureReceiptConfirmed] call Returns.ConfirmReceipt",
		// The second call reads the receipt, finds it confirmed and sends
		// nothing.
		"[] call Returns.EnsureReceiptConfirmed",
		"[Returns.EnsureReceiptConfirmed] call Returns.Get",
		"[Returns.EnsureReceiptConfirmed] ensure Returns.EnsureReceiptConfirmed already_done",
	}, got)
}

// TestObserverSeesAReturnEnsureReadAgain: an answer that leaves the
// outcome open makes the Ensure… call read the receipt again, reported as
// the step "relisting".
func TestObserverSeesAReturnEnsureReadAgain(t *testing.T) {
	srv := coupangtest.NewTestServer(t, coupangtest.WithExchanges(0), coupangtest.WithReturns(0))
	log := &obsLog{}
	// The first write is applied, then answered 503: its outcome is open.
	var failed atomic.Bool
	rt := roundTripFunc(func(req *http.Request) (*http.Response, error) {
		if req.Method == http.MethodPut && failed.CompareAndSwap(false, true) {
			srv.FailNextAfterApplying(1, http.StatusServiceUnavailable)
		}
		return http.DefaultTransport.RoundTrip(req)
	})
	c, err := srv.Client(coupang.WithObserver(log.observer()), coupang.WithHTTPClient(&http.Client{Transport: rt}))
	require.NoError(t, err)
	id := srv.AddReturn(coupang.ReturnRequest{OrderID: 9, Status: coupang.ReturnStatusReturnsUnchecked,
		ReceiptType: coupang.ReturnReceiptTypeReturn, CreatedAt: time.Now().Add(-time.Hour), CancelCountSum: 1,
		Items: []coupang.ReturnItem{{VendorItemID: 1, CancelCount: 1, PurchaseCount: 1}}})
	r, ok := srv.Return(id)
	require.True(t, ok)
	require.NoError(t, c.Returns.EnsureReceiptConfirmed(context.Background(), r))
	var steps []string
	for _, l := range log.all() {
		if strings.Contains(l, "] ensure ") {
			steps = append(steps, l[strings.LastIndex(l, " ")+1:])
		}
	}
	assert.Equal(t, []string{"sending", "relisting"}, steps, "found applied on the second read: nothing more")
	assert.Equal(t, 1, srv.Count(coupangtest.ActionReturnConfirmReceipt, id), "applied once")
}

func count(lines []string, prefix string) int {
	return len(slices.DeleteFunc(slices.Clone(lines), func(l string) bool { return !strings.HasPrefix(l, prefix) }))
}
