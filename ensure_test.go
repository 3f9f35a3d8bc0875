package coupang_test

import (
	"context"
	"errors"
	"io"
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

// writes counts the calls with method that the sandbox received.
func writes(srv *coupangtest.Server, method string) int {
	n := 0
	for _, c := range srv.Calls() {
		if c.Method == method {
			n++
		}
	}
	return n
}

func TestEnsureReceiptConfirmedAppliesOnce(t *testing.T) {
	tests := []struct {
		name  string
		setup func(sb *syncSandbox)
		run   func(t *testing.T, sb *syncSandbox, ex coupang.ExchangeRequest)
		puts  int // write calls that reached the server
	}{
		{"once", nil, func(t *testing.T, sb *syncSandbox, ex coupang.ExchangeRequest) {
			require.NoError(t, sb.client.Exchanges.EnsureReceiptConfirmed(context.Background(), ex))
		}, 1},
		{"twice with a stale copy", nil, func(t *testing.T, sb *syncSandbox, ex coupang.ExchangeRequest) {
			require.NoError(t, sb.client.Exchanges.EnsureReceiptConfirmed(context.Background(), ex))
			require.NoError(t, sb.client.Exchanges.EnsureReceiptConfirmed(context.Background(), ex))
		}, 1},
		{"after a gateway timeout that hid the success", nil, func(t *testing.T, sb *syncSandbox, ex coupang.ExchangeRequest) {
			// The Relist goes first; the write then times out after applying.
			require.NoError(t, sb.client.Exchanges.EnsureReceiptConfirmed(context.Background(), ex,
				coupang.WithHTTPClient(&http.Client{Transport: &afterRefresh{srv: sb.srv}})))
			calls := sb.srv.Calls()
			require.Equal(t, http.StatusGatewayTimeout, calls[1].Status, "the write was answered 504")
			assert.Equal(t, http.MethodGet, calls[2].Method, "then listed again, not sent again")
		}, 1},
		{"concurrently, one client", nil, func(t *testing.T, sb *syncSandbox, ex coupang.ExchangeRequest) {
			concurrently(t, 4, func(int) error { return sb.client.Exchanges.EnsureReceiptConfirmed(context.Background(), ex) })
		}, 1},
		{"concurrently, two clients (two workers)", nil, func(t *testing.T, sb *syncSandbox, ex coupang.ExchangeRequest) {
			other, err := sb.srv.Client()
			require.NoError(t, err)
			clients := []*coupang.Client{sb.client, other}
			concurrently(t, 4, func(i int) error {
				return clients[i%2].Exchanges.EnsureReceiptConfirmed(context.Background(), ex)
			})
		}, -1}, // the loser's write reaches the server and is refused
		{"already confirmed: nothing sent", func(sb *syncSandbox) {
			sb.srv.UpdateExchange(sb.ids[0], func(ex *coupang.ExchangeRequest) {
				ex.Status = coupang.ExchangeStatusProgress
				ex.CollectStatus = coupang.CollectStatusCompleteCollect
			})
		}, func(t *testing.T, sb *syncSandbox, ex coupang.ExchangeRequest) {
			require.NoError(t, sb.client.Exchanges.EnsureReceiptConfirmed(context.Background(), ex))
		}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sb := newSyncSandbox(t, 1)
			ex := sb.exchange(t, sb.ids[0])
			if tt.setup != nil {
				tt.setup(sb)
			}
			tt.run(t, sb, ex)
			want := 1
			if tt.puts == 0 {
				want = 0
			}
			assert.Equal(t, want, sb.srv.Confirmations(sb.ids[0]))
			if tt.puts >= 0 {
				assert.Equal(t, tt.puts, writes(sb.srv, http.MethodPut))
			}
			cur := sb.exchange(t, sb.ids[0])
			assert.Equal(t, coupang.CollectStatusCompleteCollect, cur.CollectStatus)
		})
	}
}

// afterRefresh fails the first write after applying it, like a gateway
// timeout, by arming the sandbox when the write is sent.
type afterRefresh struct {
	srv   *coupangtest.Server
	armed atomic.Bool
}

func (a *afterRefresh) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method != http.MethodGet && a.armed.CompareAndSwap(false, true) {
		a.srv.FailNextAfterApplying(1, http.StatusGatewayTimeout)
	}
	return http.DefaultTransport.RoundTrip(r)
}

// dropFirstWrite loses the first write before it reaches the server, as a
// connection reset after sending would: the client cannot know it was not
// applied.
type dropFirstWrite struct{ dropped atomic.Bool }

func (d *dropFirstWrite) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method != http.MethodGet && d.dropped.CompareAndSwap(false, true) {
		if r.Body != nil {
			_, _ = io.Copy(io.Discard, r.Body)
			_ = r.Body.Close()
		}
		return nil, io.ErrUnexpectedEOF
	}
	return http.DefaultTransport.RoundTrip(r)
}

func concurrently(t *testing.T, n int, fn func(i int) error) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = fn(i)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
}

func TestEnsureRetriesOnceWhenCertainlyNotApplied(t *testing.T) {
	sb := newSyncSandbox(t, 1)
	ex := sb.exchange(t, sb.ids[0])
	err := sb.client.Exchanges.EnsureReceiptConfirmed(context.Background(), ex,
		coupang.WithHTTPClient(&http.Client{Transport: &dropFirstWrite{}}))
	require.NoError(t, err)
	assert.Equal(t, 1, sb.srv.Confirmations(sb.ids[0]))
}

func TestEnsureGivesUpWhenStillUnknown(t *testing.T) {
	sb := newSyncSandbox(t, 1)
	ex := sb.exchange(t, sb.ids[0])
	// Every write is lost; every list answers.
	err := sb.client.Exchanges.EnsureReceiptConfirmed(context.Background(), ex,
		coupang.WithHTTPClient(&http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			if r.Method != http.MethodGet {
				return nil, io.ErrUnexpectedEOF
			}
			return http.DefaultTransport.RoundTrip(r)
		})}))
	require.ErrorIs(t, err, coupang.ErrOutcomeUnknown)
	assert.Equal(t, 0, sb.srv.Confirmations(sb.ids[0]))
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestEnsureNotApplicable(t *testing.T) {
	sb := newSyncSandbox(t, 3)
	ctx := context.Background()
	withdrawn := sb.exchange(t, sb.ids[0])
	sb.srv.Withdraw(sb.ids[0]) // after the copy was taken: the copy is stale
	sb.srv.UpdateExchange(sb.ids[1], func(ex *coupang.ExchangeRequest) { ex.Rejectable = false })
	notRejectable := sb.exchange(t, sb.ids[1])

	err := sb.client.Exchanges.EnsureReceiptConfirmed(ctx, withdrawn)
	require.ErrorIs(t, err, coupang.ErrNotApplicable)
	assert.Contains(t, err.Error(), "CANCEL")
	require.ErrorIs(t, sb.client.Exchanges.EnsureRejected(ctx, withdrawn, coupang.RejectSoldOut), coupang.ErrNotApplicable)
	require.ErrorIs(t, sb.client.Exchanges.EnsureRejected(ctx, notRejectable, coupang.RejectSoldOut), coupang.ErrNotApplicable)
	_, err = sb.client.Exchanges.WaitForShipmentBox(ctx, withdrawn)
	require.ErrorIs(t, err, coupang.ErrNotApplicable)
	err = sb.client.Exchanges.EnsureInvoicesUploaded(ctx, sb.exchange(t, sb.ids[2]), []coupang.ExchangeInvoice{
		{ShipmentBoxID: 1, GoodsDeliveryCode: coupang.CourierCJ, InvoiceNumber: "123456789012"},
	})
	require.ErrorIs(t, err, coupang.ErrNotApplicable, "not confirmed yet")
	assert.Equal(t, 0, writes(sb.srv, http.MethodPut)+writes(sb.srv, http.MethodPost), "nothing sent")
}

func TestEnsureRejectedAppliesOnce(t *testing.T) {
	sb := newSyncSandbox(t, 1)
	ex := sb.exchange(t, sb.ids[0])
	ctx := context.Background()
	other, err := sb.srv.Client()
	require.NoError(t, err)
	concurrently(t, 4, func(i int) error {
		c := sb.client
		if i%2 == 1 {
			c = other
		}
		return c.Exchanges.EnsureRejected(ctx, ex, coupang.RejectSoldOut)
	})
	require.NoError(t, sb.client.Exchanges.EnsureRejected(ctx, ex, coupang.RejectSoldOut))
	assert.Equal(t, 1, sb.srv.Rejections(sb.ids[0]))

	requireValidation(t, sb.client.Exchanges.EnsureRejected(ctx, ex, "NOPE"), "code")
}

func TestEnsureInvoicesUploaded(t *testing.T) {
	sb := newSyncSandbox(t, 1, coupangtest.WithBoxDelay(time.Hour))
	ctx := context.Background()
	ex := sb.exchange(t, sb.ids[0])
	require.NoError(t, sb.client.Exchanges.EnsureReceiptConfirmed(ctx, ex))

	// Before the box exists: not ready.
	err := sb.client.Exchanges.EnsureInvoicesUploaded(ctx, ex, []coupang.ExchangeInvoice{
		{ShipmentBoxID: 7, GoodsDeliveryCode: coupang.CourierCJ, InvoiceNumber: "123456789012"},
	})
	require.ErrorIs(t, err, coupang.ErrNotReady)

	// WaitForShipmentBox polls until the box appears.
	done := make(chan struct{})
	var box int64
	var waitErr error
	go func() {
		defer close(done)
		box, waitErr = sb.client.Exchanges.WaitForShipmentBox(ctx, ex)
	}()
	require.Eventually(t, func() bool { return len(sb.srv.Calls()) >= 4 }, 10*time.Second, 5*time.Millisecond)
	require.Equal(t, 1, sb.srv.CreatePendingBoxes())
	<-done
	require.NoError(t, waitErr)
	cur := sb.exchange(t, sb.ids[0])
	want, ok := cur.ReplacementShipmentBoxID()
	require.True(t, ok)
	require.Equal(t, want, box)

	invoices := []coupang.ExchangeInvoice{{ShipmentBoxID: box, GoodsDeliveryCode: coupang.CourierCJ, InvoiceNumber: "123456789012"}}
	require.NoError(t, sb.client.Exchanges.EnsureInvoicesUploaded(ctx, ex, invoices,
		coupang.WithHTTPClient(&http.Client{Transport: &afterRefresh{srv: sb.srv}})))
	require.NoError(t, sb.client.Exchanges.EnsureInvoicesUploaded(ctx, ex, invoices))
	concurrently(t, 3, func(int) error { return sb.client.Exchanges.EnsureInvoicesUploaded(ctx, ex, invoices) })
	assert.Equal(t, invoices, sb.srv.Invoices(sb.ids[0]), "uploaded once")

	// A corrected waybill replaces the first.
	fixed := []coupang.ExchangeInvoice{{ShipmentBoxID: box, GoodsDeliveryCode: coupang.CourierCJ, InvoiceNumber: "123456789013"}}
	require.NoError(t, sb.client.Exchanges.EnsureInvoicesUploaded(ctx, ex, fixed))
	assert.Len(t, sb.srv.Invoices(sb.ids[0]), 2)
}

func TestWaitForShipmentBoxEndsWithTheContext(t *testing.T) {
	sb := newSyncSandbox(t, 1, coupangtest.WithBoxDelay(time.Hour))
	ex := sb.exchange(t, sb.ids[0])
	require.NoError(t, sb.client.Exchanges.EnsureReceiptConfirmed(context.Background(), ex))
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for len(sb.srv.Calls()) < 4 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	_, err := sb.client.Exchanges.WaitForShipmentBox(ctx, ex)
	require.ErrorIs(t, err, context.Canceled)
	assert.False(t, errors.Is(err, coupang.ErrNotApplicable))
}

func TestWaitForShipmentBoxBeforeTheConfirmation(t *testing.T) {
	sb := newSyncSandbox(t, 1)
	ex := sb.exchange(t, sb.ids[0])
	_, err := sb.client.Exchanges.WaitForShipmentBox(context.Background(), ex)
	require.ErrorIs(t, err, coupang.ErrNotReady)
	assert.Contains(t, err.Error(), "confirm it first")
	assert.Len(t, sb.srv.Calls(), 1, "one look, no waiting")
}
