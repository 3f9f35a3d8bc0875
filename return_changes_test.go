package coupang_test

import (
	"context"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

// returnFeed is a sandbox without seeded data, a client and a clock shared
// with the pass options.
type returnFeed struct {
	srv    *coupangtest.Server
	client *coupang.Client
	clock  *testClock
}

func newReturnFeed(t *testing.T) *returnFeed {
	t.Helper()
	clock := &testClock{}
	srv := coupangtest.NewTestServer(t, coupangtest.WithExchanges(0), coupangtest.WithReturns(0), coupangtest.WithClock(clock.Now))
	c, err := srv.Client()
	require.NoError(t, err)
	return &returnFeed{srv: srv, client: c, clock: clock}
}

// pass runs one pass of Returns.Changes and returns what it yielded and
// the errors.
func (f *returnFeed) pass(t *testing.T, store coupang.ChangeStore) ([]coupang.ReturnChange, []error) {
	t.Helper()
	var got []coupang.ReturnChange
	var errs []error
	for ch, err := range f.client.Returns.Changes(context.Background(), store, coupang.WithChangeClock(coupang.ChangeOptions{}, f.clock.Now)) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		got = append(got, ch)
	}
	return got, errs
}

func kindsOf(changes []coupang.ReturnChange) map[int64]coupang.ChangeKind {
	out := map[int64]coupang.ChangeKind{}
	for _, ch := range changes {
		out[ch.Return.ReceiptID] = ch.Kind
	}
	return out
}

// New, updated, then withdrawn — the withdrawal reported exactly once, and
// only after the withdrawal history confirms it.
func TestReturnChangesNewUpdatedWithdrawnOnce(t *testing.T) {
	f := newReturnFeed(t)
	store := coupang.NewMemoryChangeStore()
	a := f.srv.AddReturn(coupang.ReturnRequest{CreatedAt: f.clock.Now().Add(-48 * time.Hour)})
	b := f.srv.AddReturn(coupang.ReturnRequest{Status: coupang.ReturnStatusReleaseStopUnchecked, CreatedAt: f.clock.Now().Add(-time.Hour)})

	got, errs := f.pass(t, store)
	require.Empty(t, errs)
	assert.Equal(t, map[int64]coupang.ChangeKind{a: coupang.ChangeNew, b: coupang.ChangeNew}, kindsOf(got), "b is under RU and UC: once")

	got, errs = f.pass(t, store)
	require.Empty(t, errs)
	assert.Empty(t, got, "nothing new")

	f.srv.PickUpReturn(a)
	got, _ = f.pass(t, store)
	require.Len(t, got, 1)
	assert.Equal(t, coupang.ChangeUpdated, got[0].Kind)
	assert.Contains(t, got[0].Changed, "Deliveries")

	require.True(t, f.srv.WithdrawReturn(b))
	got, errs = f.pass(t, store)
	require.Empty(t, errs)
	require.Len(t, got, 1, "the withdrawn receipt")
	w := got[0]
	assert.Equal(t, coupang.ChangeWithdrawn, w.Kind)
	assert.Equal(t, "withdrawn", w.Kind.String())
	assert.Equal(t, b, w.Return.ReceiptID)
	require.NotNil(t, w.Withdrawal)
	assert.Equal(t, b, w.Withdrawal.ReceiptID)
	assert.Equal(t, w.Withdrawal.OrderID, w.Return.OrderID)
	assert.False(t, w.Return.CreatedAt.IsZero())

	for range 3 {
		got, errs = f.pass(t, store)
		require.Empty(t, errs)
		assert.Empty(t, got, "reported once")
	}
}

// A receipt that leaves the list without being in the withdrawal history
// is not reported: no guess from a missing record.
func TestReturnChangesNeverGuessWithdrawal(t *testing.T) {
	f := newReturnFeed(t)
	store := coupang.NewMemoryChangeStore()
	id := f.srv.AddReturn(coupang.ReturnRequest{CreatedAt: f.clock.Now().Add(-time.Hour)})
	got, _ := f.pass(t, store)
	require.Len(t, got, 1)

	// Listed by no filter of the sweep now (Coupang does not say which
	// filter lists every status), but not withdrawn.
	f.srv.UpdateReturn(id, func(r *coupang.ReturnRequest) { r.Status = "SOMETHING_NEW" })
	got, errs := f.pass(t, store)
	require.Empty(t, errs)
	assert.Empty(t, got)
	looked := 0
	for _, c := range f.srv.Calls() {
		if c.Method == http.MethodPost {
			looked++
		}
	}
	assert.Equal(t, 1, looked, "looked up in the history")
}

// A pass whose listing failed does not look for withdrawals; the next good
// pass reports the withdrawal, once.
func TestReturnChangesWithdrawalAfterAFailedPass(t *testing.T) {
	f := newReturnFeed(t)
	store := coupang.NewMemoryChangeStore()
	id := f.srv.AddReturn(coupang.ReturnRequest{CreatedAt: f.clock.Now().Add(-time.Hour)})
	_, _ = f.pass(t, store)
	require.True(t, f.srv.WithdrawReturn(id))

	f.srv.FailNext(1, http.StatusBadRequest) // the first list call of the pass
	got, errs := f.pass(t, store)
	require.NotEmpty(t, errs)
	assert.Empty(t, got, "no guess from an incomplete listing")
	for _, c := range f.srv.Calls() {
		assert.NotEqual(t, http.MethodPost, c.Method, "the history was not consulted")
	}

	got, errs = f.pass(t, store)
	require.Empty(t, errs)
	require.Len(t, got, 1)
	assert.Equal(t, coupang.ChangeWithdrawn, got[0].Kind)
	got, _ = f.pass(t, store)
	assert.Empty(t, got)
}

// The loop breaks on the withdrawn change: it was not acknowledged, so it
// comes again, once more.
func TestReturnChangesWithdrawnAtLeastOnce(t *testing.T) {
	f := newReturnFeed(t)
	store := coupang.NewMemoryChangeStore()
	id := f.srv.AddReturn(coupang.ReturnRequest{CreatedAt: f.clock.Now().Add(-time.Hour)})
	_, _ = f.pass(t, store)
	f.srv.WithdrawReturn(id)
	for ch, err := range f.client.Returns.Changes(context.Background(), store, coupang.WithChangeClock(coupang.ChangeOptions{}, f.clock.Now)) {
		require.NoError(t, err)
		require.Equal(t, coupang.ChangeWithdrawn, ch.Kind)
		break
	}
	got, _ := f.pass(t, store)
	require.Len(t, got, 1)
	assert.Equal(t, coupang.ChangeWithdrawn, got[0].Kind)
	got, _ = f.pass(t, store)
	assert.Empty(t, got)
}

// One store serves exchanges and returns: the same id in both kinds does
// not collide, a short exchange look-back does not forget returns, each
// kind has its last pass, and passes of both kinds run at once.
func TestOneStoreHoldsBothKinds(t *testing.T) {
	stores := map[string]func(t *testing.T) coupang.ChangeStore{
		"memory": func(*testing.T) coupang.ChangeStore { return coupang.NewMemoryChangeStore() },
		"file": func(t *testing.T) coupang.ChangeStore {
			s, err := coupang.NewFileChangeStore(filepath.Join(t.TempDir(), "changes.json"))
			require.NoError(t, err)
			return s
		},
	}
	for name, newStore := range stores {
		t.Run(name, func(t *testing.T) {
			clock := &testClock{}
			srv := coupangtest.NewTestServer(t, coupangtest.WithExchanges(0), coupangtest.WithReturns(0), coupangtest.WithClock(clock.Now))
			c, err := srv.Client()
			require.NoError(t, err)
			const id = 600_000_001
			srv.AddExchange(coupang.ExchangeRequest{ExchangeID: id, CreatedAt: clock.Now().Add(-20 * 24 * time.Hour)})
			srv.AddReturn(coupang.ReturnRequest{ReceiptID: id, CreatedAt: clock.Now().Add(-20 * 24 * time.Hour)})
			store := newStore(t)
			ctx := context.Background()
			passes := func(exLookback time.Duration) (ex []coupang.ExchangeChange, ret []coupang.ReturnChange) {
				for ch, err := range c.Exchanges.Changes(ctx, store, coupang.WithChangeClock(coupang.ChangeOptions{Lookback: exLookback}, clock.Now)) {
					require.NoError(t, err)
					ex = append(ex, ch)
				}
				for ch, err := range c.Returns.Changes(ctx, store, coupang.WithChangeClock(coupang.ChangeOptions{}, clock.Now)) {
					require.NoError(t, err)
					ret = append(ret, ch)
				}
				return ex, ret
			}
			ex, ret := passes(0)
			require.Len(t, ex, 1)
			require.Len(t, ret, 1, "the same id as the exchange, reported for returns too")
			ex, ret = passes(0)
			assert.Empty(t, ex)
			assert.Empty(t, ret)
			// An exchange pass reaching back 10 days forgets the exchange
			// (20 days old); the return stays.
			ex, ret = passes(10 * 24 * time.Hour)
			assert.Empty(t, ex)
			assert.Empty(t, ret, "the return was not forgotten by the exchange pass")

			// Both kinds at once: a pass of each open together.
			ks := store.(coupang.ChangeKindStore)
			p1, err := ks.BeginKindPass(ctx, coupang.ClaimExchanges)
			require.NoError(t, err)
			p2, err := ks.BeginKindPass(ctx, coupang.ClaimReturns)
			require.NoError(t, err, "a pass over returns while one over exchanges is open")
			_, err = ks.BeginKindPass(ctx, coupang.ClaimReturns)
			require.ErrorIs(t, err, coupang.ErrPassInProgress)
			require.NoError(t, p1.Close())
			require.NoError(t, p2.Close())
			_, err = ks.BeginKindPass(ctx, "Returns!")
			requireValidation(t, err, "kind")
		})
	}
}

// plainStore is a ChangeStore that does not keep kinds apart.
type plainStore struct{ coupang.ChangeStore }

func TestReturnChangesRefusesAStoreWithoutKinds(t *testing.T) {
	f := newReturnFeed(t)
	store := plainStore{coupang.NewMemoryChangeStore()}
	_, errs := f.pass(t, store)
	require.Len(t, errs, 1)
	requireValidation(t, errs[0], "store")
	assert.Empty(t, f.srv.Calls(), "nothing sent")

	var got []error
	for _, err := range f.client.Returns.Changes(context.Background(), coupang.NewMemoryChangeStore(), coupang.ChangeOptions{Status: coupang.ExchangeStatusReceipt}) {
		got = append(got, err)
	}
	require.Len(t, got, 1)
	requireValidation(t, got[0], "Status")
}
