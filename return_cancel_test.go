package coupang_test

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

// Returns.All and Returns.Changes run on All's cancellation-safe scheduler
// and the claims engine: the same rules as for exchanges
// (list_all_cancel_test.go, list_all_stress_test.go), on windows of days
// with four listings each and a receipt listed under two filters.

// returnStatuses cycle through every filter; a release stop is listed
// under RU and UC.
var returnStatuses = []coupang.ReturnStatus{
	coupang.ReturnStatusReleaseStopUnchecked,
	coupang.ReturnStatusReturnsUnchecked,
	coupang.ReturnStatusVendorWarehouseConfirm,
	coupang.ReturnStatusReturnsCompleted,
	coupang.ReturnStatusRequestCoupangCheck,
}

// newReturnStressSandbox holds stressExchanges returns over stressRange,
// answering after stressLatency.
func newReturnStressSandbox(t *testing.T) *coupangtest.Server {
	t.Helper()
	srv := coupangtest.NewTestServer(t, coupangtest.WithExchanges(0), coupangtest.WithReturns(0))
	now := time.Now()
	for i := range stressExchanges {
		age := time.Duration(stressExchanges-i) * 8 * time.Hour // within stressRange
		srv.AddReturn(coupang.ReturnRequest{OrderID: 32000000000000 + int64(i), Status: returnStatuses[i%len(returnStatuses)],
			ReceiptType: coupang.ReturnReceiptTypeReturn, CreatedAt: now.Add(-age), CancelCountSum: 1,
			Items: []coupang.ReturnItem{{VendorItemID: int64(i + 1), CancelCount: 1, PurchaseCount: 1}}})
	}
	srv.SetLatency(stressLatency)
	return srv
}

func returnIDs(seq iter.Seq2[coupang.ReturnRequest, error]) iter.Seq2[int64, error] {
	return func(yield func(int64, error) bool) {
		for r, err := range seq {
			if !yield(r.ReceiptID, err) {
				return
			}
		}
	}
}

func returnChangeIDs(seq iter.Seq2[coupang.ReturnChange, error]) iter.Seq2[int64, error] {
	return func(yield func(int64, error) bool) {
		for ch, err := range seq {
			if !yield(ch.Return.ReceiptID, err) {
				return
			}
		}
	}
}

// TestReturnsAllWithAnEndedContext: the context's error once, nothing
// sent, no worker left, whatever the concurrency and the range.
func TestReturnsAllWithAnEndedContext(t *testing.T) {
	srv := newReturnStressSandbox(t)
	now := time.Now()
	ranges := map[string]coupang.ReturnListOptions{
		"one window":   {CreatedAtFrom: now.Add(-time.Hour), CreatedAtTo: now},
		"nine windows": {CreatedAtFrom: now.Add(-60 * 24 * time.Hour), CreatedAtTo: now},
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
					res := drain(returnIDs(c.Returns.All(ctx, opts)), nil)
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

// TestReturnCallsWithAnEndedContext: Changes, the Ensure… calls and
// PendingReleaseStops return or yield the context's error.
func TestReturnCallsWithAnEndedContext(t *testing.T) {
	srv := newReturnStressSandbox(t)
	var unchecked coupang.ReturnRequest
	for _, r := range srv.Returns() {
		if r.Status == coupang.ReturnStatusReturnsUnchecked {
			unchecked = r
			break
		}
	}
	require.NotZero(t, unchecked.ReceiptID)
	calls := map[string]func(context.Context, *coupang.Client) error{
		"EnsureReceiptConfirmed": func(ctx context.Context, c *coupang.Client) error {
			return c.Returns.EnsureReceiptConfirmed(ctx, unchecked)
		},
		"PendingReleaseStops": func(ctx context.Context, c *coupang.Client) error {
			_, err := c.Returns.PendingReleaseStops(ctx, unchecked.OrderID)
			return err
		},
		"Changes": func(ctx context.Context, c *coupang.Client) error {
			var errs []error
			for _, err := range c.Returns.Changes(ctx, coupang.NewMemoryChangeStore(), coupang.ChangeOptions{}) {
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
				c, err := srv.Client()
				require.NoError(t, err)
				defer c.Close()
				ctx := cancelledContext(t, how)
				var callErr error
				res := drain(func(yield func(int64, error) bool) { callErr = call(ctx, c) }, nil)
				requireCalm(t, res)
				require.ErrorIs(t, callErr, ctx.Err())
				require.Zero(t, listWorkers())
				assert.Empty(t, srv.Applied(), "nothing written")
			})
		}
	}
}

// TestReturnsAllCancelledAtRandomInstants: listings of 15 days (three
// windows of days, four filters each, pages of 5) cancelled at random
// instants on new, fixed-K and warm clients: no panic, no hang, the
// receipts before the cancellation in order, each once, then the context's
// error once, and no worker left.
func TestReturnsAllCancelledAtRandomInstants(t *testing.T) {
	srv := newReturnStressSandbox(t)
	sc := newStressClients(t, srv)
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 3))
	now := time.Now()
	opts := coupang.ReturnListOptions{CreatedAtFrom: now.Add(-stressRange), CreatedAtTo: now, MaxPerPage: 5}
	start := time.Now()
	var want []int64
	for rec, err := range sc.client(t, []coupang.Option{coupang.WithListConcurrency(1)}).Returns.All(context.Background(), opts) {
		require.NoError(t, err)
		want = append(want, rec.ReceiptID)
	}
	full := time.Since(start)
	require.Len(t, want, stressExchanges, "each receipt once")
	t.Logf("an uninterrupted listing, one request at a time: %v", full)
	var st stressTally
	for i := range stressRuns(t) {
		c, kind, release := sc.pick(t, r)
		plan := planCancel(r, full, len(want))
		res := runCancelled(plan, func(ctx context.Context) iter.Seq2[int64, error] {
			return returnIDs(c.Returns.All(ctx, opts))
		})
		release()
		if !st.check(t, res, want, "run "+strconv.Itoa(i)+" ("+kind+", "+plan.String()+")") {
			break
		}
	}
	st.report(t, "Returns.All")
	require.Zero(t, st.panics)
	require.Zero(t, st.hangs)
}

// TestReturnChangesCancelledAtRandomInstants: the same for passes of
// Returns.Changes on a new memory store each time; the store's pass is
// closed however the pass ended.
func TestReturnChangesCancelledAtRandomInstants(t *testing.T) {
	srv := newReturnStressSandbox(t)
	sc := newStressClients(t, srv)
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 4))
	now := time.Now()
	copts := coupang.WithChangeClock(coupang.ChangeOptions{Lookback: stressRange}, func() time.Time { return now })
	start := time.Now()
	var want []int64
	for ch, err := range sc.client(t, []coupang.Option{coupang.WithListConcurrency(1)}).Returns.Changes(context.Background(), coupang.NewMemoryChangeStore(), copts) {
		require.NoError(t, err)
		want = append(want, ch.Return.ReceiptID)
	}
	full := time.Since(start)
	require.Len(t, want, stressExchanges)
	var st stressTally
	for i := range stressRuns(t) {
		c, kind, release := sc.pick(t, r)
		plan := planCancel(r, full, len(want))
		store := coupang.NewMemoryChangeStore()
		res := runCancelled(plan, func(ctx context.Context) iter.Seq2[int64, error] {
			return returnChangeIDs(c.Returns.Changes(ctx, store, copts))
		})
		release()
		desc := "pass " + strconv.Itoa(i) + " (" + kind + ", " + plan.String() + ")"
		if !st.check(t, res, want, desc) {
			break
		}
		if !res.hung && res.panicked == nil {
			pass, err := store.(coupang.ChangeKindStore).BeginKindPass(context.Background(), coupang.ClaimReturns)
			if err != nil {
				t.Errorf("%s: the store's pass was left open: %v", desc, err)
				break
			}
			require.NoError(t, pass.Close())
		}
	}
	st.report(t, "Returns.Changes")
	require.Zero(t, st.panics)
	require.Zero(t, st.hangs)
}

// TestReturnChangesRefusesAClockJump: the clock check of the exchange feed
// applies to returns, each kind against its own last pass: a pass of
// returns a year ahead is refused before it lists or forgets anything,
// whatever the exchanges' last pass says, and AcceptClockJump lets it run.
func TestReturnChangesRefusesAClockJump(t *testing.T) {
	for storeName, newStore := range changeStores {
		t.Run(storeName, func(t *testing.T) {
			f := newReturnFeed(t)
			now := f.clock.Now()
			f.srv.AddReturn(coupang.ReturnRequest{OrderID: 1, Status: coupang.ReturnStatusReturnsUnchecked,
				ReceiptType: coupang.ReturnReceiptTypeReturn, CreatedAt: now.Add(-time.Hour)})
			store := newStore(t)
			got, errs := f.pass(t, store)
			require.Empty(t, errs)
			require.Len(t, got, 1)

			// The exchanges' feed, a year ahead with AcceptClockJump,
			// marks its own last pass only.
			ahead := now.Add(365 * day)
			for _, err := range f.client.Exchanges.Changes(context.Background(), store, coupang.WithChangeClock(coupang.ChangeOptions{AcceptClockJump: true}, at(ahead))) {
				require.NoError(t, err)
			}

			calls := len(f.srv.Calls())
			var jumps []error
			for _, err := range f.client.Returns.Changes(context.Background(), store, coupang.WithChangeClock(coupang.ChangeOptions{}, at(ahead))) {
				jumps = append(jumps, err)
			}
			require.Len(t, jumps, 1)
			require.ErrorIs(t, jumps[0], coupang.ErrClockJump)
			var jump *coupang.ClockJumpError
			require.True(t, errors.As(jumps[0], &jump))
			assert.Equal(t, ahead, jump.Now)
			assert.Equal(t, calls, len(f.srv.Calls()), "nothing listed")

			// Nothing was forgotten: the receipt is not new again.
			got, errs = f.pass(t, store)
			require.Empty(t, errs)
			assert.Empty(t, got, "the store kept the receipt")

			// Accepted, the pass runs (and forgets what is older than its
			// look-back).
			n := 0
			for _, err := range f.client.Returns.Changes(context.Background(), store, coupang.WithChangeClock(coupang.ChangeOptions{AcceptClockJump: true}, at(ahead))) {
				require.NoError(t, err)
				n++
			}
			assert.Zero(t, n)
		})
	}
}
