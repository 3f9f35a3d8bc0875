package coupang_test

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"runtime/debug"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

// errStressCause is the cause the tests give contexts they cancel with one.
var errStressCause = errors.New("test: shutting down")

// listed is what one call of All (or a Changes pass) handed its loop.
type listed struct {
	ids      []int64
	errs     []error
	panicked any    // what the call panicked with, if it did
	stack    []byte // where
	hung     bool   // the call did not return in time
}

// hangAfter bounds how long the cancellation tests wait for a call: only to
// tell a hang from a slow machine, never as a speed requirement.
const hangAfter = 30 * time.Second

// drain runs seq to its end in a goroutine of its own, asking for the next
// value after errors too (All must stop by itself), with body called after
// each record. A panic is caught and returned; a call still running after
// hangAfter is reported as hung and left behind.
func drain(seq iter.Seq2[int64, error], body func(n int)) listed {
	var res listed
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer func() {
			if r := recover(); r != nil {
				res.panicked, res.stack = r, debug.Stack()
			}
		}()
		for id, err := range seq {
			if err != nil {
				res.errs = append(res.errs, err)
				continue
			}
			res.ids = append(res.ids, id)
			if body != nil {
				body(len(res.ids))
			}
		}
	}()
	select {
	case <-done:
		return res
	case <-time.After(hangAfter):
		return listed{hung: true}
	}
}

// allIDs adapts All to drain.
func allIDs(seq iter.Seq2[coupang.ExchangeRequest, error]) iter.Seq2[int64, error] {
	return func(yield func(int64, error) bool) {
		for ex, err := range seq {
			if !yield(ex.ExchangeID, err) {
				return
			}
		}
	}
}

// changeIDsOf adapts Changes to drain.
func changeIDsOf(seq iter.Seq2[coupang.ExchangeChange, error]) iter.Seq2[int64, error] {
	return func(yield func(int64, error) bool) {
		for ch, err := range seq {
			if !yield(ch.Exchange.ExchangeID, err) {
				return
			}
		}
	}
}

// requireCalm fails the test on a panic or a hang, with the panic's stack.
func requireCalm(t *testing.T, res listed) {
	t.Helper()
	require.False(t, res.hung, "the call never returned")
	require.Nil(t, res.panicked, "the call panicked: %v\n%s", res.panicked, res.stack)
}

// cancelledContext returns a context that ended in one of the ways a
// caller's can.
func cancelledContext(t *testing.T, how string) context.Context {
	t.Helper()
	switch how {
	case "cancelled":
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		return ctx
	case "deadline passed":
		ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
		t.Cleanup(cancel)
		return ctx
	case "cancelled with a cause":
		ctx, cancel := context.WithCancelCause(context.Background())
		cancel(errStressCause)
		return ctx
	}
	t.Fatalf("unknown way %q", how)
	return nil
}

// requireContextError checks that err is ctx's error: it matches ctx.Err()
// and, when ctx was given a cause, the cause.
func requireContextError(t *testing.T, ctx context.Context, err error) {
	t.Helper()
	require.Error(t, err)
	require.ErrorIs(t, err, ctx.Err())
	if cause := context.Cause(ctx); cause != nil {
		require.ErrorIs(t, err, cause)
	}
}

var endedContexts = []string{"cancelled", "deadline passed", "cancelled with a cause"}

// TestAllWithAnEndedContext: All on a context that already ended, on a new
// client (which starts two windows at once), with a fixed concurrency and
// one at a time, over one window and many: the context's error once,
// nothing sent, no worker left.
func TestAllWithAnEndedContext(t *testing.T) {
	srv := coupangtest.NewTestServer(t, coupangtest.WithExchanges(50))
	now := time.Now()
	ranges := map[string]coupang.ExchangeListOptions{
		"one window":  {CreatedAtFrom: now.Add(-time.Hour), CreatedAtTo: now},
		"ten windows": {CreatedAtFrom: now.Add(-60 * 24 * time.Hour), CreatedAtTo: now},
	}
	clients := map[string][]coupang.Option{
		"new client, automatic": nil,
		"one at a time":         {coupang.WithListConcurrency(1)},
		"four at a time":        {coupang.WithListConcurrency(4)},
	}
	for _, how := range endedContexts {
		for cname, copts := range clients {
			for rname, opts := range ranges {
				t.Run(how+"/"+cname+"/"+rname, func(t *testing.T) {
					c, err := srv.Client(copts...)
					require.NoError(t, err)
					defer c.Close()
					ctx := cancelledContext(t, how)
					before := len(srv.Calls())
					res := drain(allIDs(c.Exchanges.All(ctx, opts)), nil)
					requireCalm(t, res)
					assert.Empty(t, res.ids)
					require.Len(t, res.errs, 1, "the context's error, once")
					requireContextError(t, ctx, res.errs[0])
					assert.Equal(t, before, len(srv.Calls()), "nothing sent")
					assert.Zero(t, listWorkers(), "no worker outlives the call")
				})
			}
		}
	}
}

// TestCallsOnAllWithAnEndedContext: the calls that list through All —
// Relist, WaitForShipmentBox, the Ensure… calls, Changes — return or yield
// the context's error on a new client whose context already ended.
func TestCallsOnAllWithAnEndedContext(t *testing.T) {
	srv := coupangtest.NewTestServer(t, coupangtest.WithExchanges(0))
	received := coupang.ExchangeRequest{OrderID: 31000000000001, Status: coupang.ExchangeStatusReceipt,
		CollectStatus: coupang.CollectStatusCompleteCollect, CreatedAt: time.Now().Add(-time.Hour)}
	received.ExchangeID = srv.AddExchange(received)
	received, _ = srv.Exchange(received.ExchangeID)
	confirmed := coupang.ExchangeRequest{OrderID: 31000000000002, Status: coupang.ExchangeStatusProgress,
		CollectStatus: coupang.CollectStatusCompleteCollect, CreatedAt: time.Now().Add(-time.Hour)}
	confirmed.ExchangeID = srv.AddExchange(confirmed)
	confirmed, _ = srv.Exchange(confirmed.ExchangeID)

	calls := map[string]func(context.Context, *coupang.Client) error{
		"Relist": func(ctx context.Context, c *coupang.Client) error {
			_, err := c.Exchanges.Relist(ctx, received)
			return err
		},
		"WaitForShipmentBox": func(ctx context.Context, c *coupang.Client) error {
			_, err := c.Exchanges.WaitForShipmentBox(ctx, confirmed)
			return err
		},
		"EnsureReceiptConfirmed": func(ctx context.Context, c *coupang.Client) error {
			return c.Exchanges.EnsureReceiptConfirmed(ctx, received)
		},
		"EnsureRejected": func(ctx context.Context, c *coupang.Client) error {
			return c.Exchanges.EnsureRejected(ctx, received, coupang.RejectSoldOut)
		},
		"Changes": func(ctx context.Context, c *coupang.Client) error {
			var errs []error
			for _, err := range c.Exchanges.Changes(ctx, coupang.NewMemoryChangeStore(), coupang.ChangeOptions{}) {
				if err != nil {
					errs = append(errs, err)
				}
			}
			if len(errs) != 1 {
				return fmt.Errorf("%d errors, want the context's once: %v", len(errs), errs)
			}
			return errs[0]
		},
	}
	for name, call := range calls {
		for _, how := range endedContexts {
			t.Run(name+"/"+how, func(t *testing.T) {
				// The Ensure… calls take the exchange's lock first, which
				// may win against the ended context: try a few times so
				// that the listing is reached.
				for range 20 {
					c, err := srv.Client()
					require.NoError(t, err)
					ctx := cancelledContext(t, how)
					var callErr error
					res := drain(func(yield func(int64, error) bool) { callErr = call(ctx, c) }, nil)
					_ = c.Close()
					requireCalm(t, res)
					// The cause is All's to report; an Ensure… call may
					// stop at the exchange's lock, and Changes at its
					// store, which report ctx.Err().
					require.ErrorIs(t, callErr, ctx.Err())
					require.Zero(t, listWorkers())
				}
				assert.Empty(t, srv.Applied(), "nothing written")
			})
		}
	}
}

// TestCallsOnAllReturnWhenTheContextEndsDuringTheListing: a deadline that
// ends while Relist's request is on its way (the sandbox answers after a
// minute) ends Relist, WaitForShipmentBox and an Ensure… call with the
// deadline's error, without waiting for the answer.
func TestCallsOnAllReturnWhenTheContextEndsDuringTheListing(t *testing.T) {
	srv := coupangtest.NewTestServer(t, coupangtest.WithExchanges(0))
	srv.SetLatency(time.Minute)
	ex := coupang.ExchangeRequest{OrderID: 31000000000003, Status: coupang.ExchangeStatusProgress,
		CollectStatus: coupang.CollectStatusCompleteCollect, CreatedAt: time.Now().Add(-time.Hour)}
	ex.ExchangeID = srv.AddExchange(ex)
	ex, _ = srv.Exchange(ex.ExchangeID)
	calls := map[string]func(context.Context, *coupang.Client) error{
		"Relist": func(ctx context.Context, c *coupang.Client) error {
			_, err := c.Exchanges.Relist(ctx, ex)
			return err
		},
		"WaitForShipmentBox": func(ctx context.Context, c *coupang.Client) error {
			_, err := c.Exchanges.WaitForShipmentBox(ctx, ex)
			return err
		},
		"EnsureInvoicesUploaded": func(ctx context.Context, c *coupang.Client) error {
			return c.Exchanges.EnsureInvoicesUploaded(ctx, ex, []coupang.ExchangeInvoice{{
				ShipmentBoxID: 1, GoodsDeliveryCode: coupang.CourierCJ, InvoiceNumber: "123456789012"}})
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			c, err := srv.Client()
			require.NoError(t, err)
			defer c.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			defer cancel()
			var callErr error
			res := drain(func(yield func(int64, error) bool) { callErr = call(ctx, c) }, nil)
			requireCalm(t, res)
			requireContextError(t, ctx, callErr)
			assert.Zero(t, listWorkers())
		})
	}
}
