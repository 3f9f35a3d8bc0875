package coupang_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

// TestAllListingAgainPlansWholePages: a client that lists a range again
// plans its windows from the records per hour it met the first time: each
// holds at most three pages at K = 8 (unless one hour alone holds more), it
// takes fewer calls than the fixed day windows did, and it yields exactly
// what one request at a time yields.
func TestAllListingAgainPlansWholePages(t *testing.T) {
	srv := coupangtest.NewTestServer(t, coupangtest.WithExchanges(600))
	now := time.Now()
	opts := coupang.ExchangeListOptions{CreatedAtFrom: now.Add(-30 * 24 * time.Hour), CreatedAtTo: now, MaxPerPage: 10}
	seq, err := srv.Client(coupang.WithRateLimit(0), coupang.WithListConcurrency(1))
	require.NoError(t, err)
	want := collectIDs(t, seq.Exchanges.All(context.Background(), opts))
	require.Len(t, want, 600)

	c, err := srv.Client(coupang.WithRateLimit(0), coupang.WithListConcurrency(8))
	require.NoError(t, err)
	pages := func() map[[2]string]int {
		before := len(srv.Calls())
		assert.Equal(t, want, collectIDs(t, c.Exchanges.All(context.Background(), opts)))
		windows := map[[2]string]int{}
		for _, call := range srv.Calls()[before:] {
			q, err := url.ParseQuery(call.Query)
			require.NoError(t, err)
			windows[[2]string{q.Get("createdAtFrom"), q.Get("createdAtTo")}]++
		}
		return windows
	}
	total := func(windows map[[2]string]int) (n int) {
		for _, p := range windows {
			n += p
		}
		return n
	}
	first := pages()
	again := pages()
	assert.Less(t, total(again), total(first), "calls: %d the first time", total(first))
	for w, p := range again {
		from, err := time.Parse("2006-01-02T15:04:05", w[0])
		require.NoError(t, err)
		to, err := time.Parse("2006-01-02T15:04:05", w[1])
		require.NoError(t, err)
		if to.Sub(from) > time.Hour {
			assert.LessOrEqual(t, p, 3, "pages of the window %v", w)
		}
	}
	t.Logf("calls: %d in %d windows the first time, %d in %d again", total(first), len(first), total(again), len(again))
}

// TestAllNewClientCutsAWeekInSixBeforeItsFirstAnswer: on a slow Coupang
// (1.2 s a call) a new client's listing of a week sends six windows of 28
// hours, all before the first answer, so that each part of a dense week is
// a short chain already in flight — also without a limiter in the client
// (pacing left to a proxy), whose requests start the cold clock too.
func TestAllNewClientCutsAWeekInSixBeforeItsFirstAnswer(t *testing.T) {
	for _, paced := range []bool{true, false} {
		t.Run(map[bool]string{true: "paced", false: "unpaced"}[paced], func(t *testing.T) {
			srv := coupangtest.NewServer(coupangtest.WithExchanges(0))
			defer srv.Close()
			srv.SetLatency(1200 * time.Millisecond)
			synctest.Test(t, func(t *testing.T) {
				// The bubble's clock starts in 2000; list bounds must lie in 2000–2099.
				time.Sleep(time.Until(time.Date(2000, 3, 1, 0, 0, 0, 0, time.UTC)))
				start := time.Now()
				type sent struct {
					at       time.Duration
					from, to string
				}
				var mu sync.Mutex
				var got []sent
				h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					q := r.URL.Query()
					mu.Lock()
					got = append(got, sent{time.Since(start), q.Get("createdAtFrom"), q.Get("createdAtTo")})
					mu.Unlock()
					srv.ServeHTTP(w, r)
				})
				rate := 0.0
				if paced {
					rate = 5
				}
				c := sandboxInMemory(t, srv, h, coupang.WithRateLimit(rate))
				now := time.Now()
				for _, err := range c.Exchanges.All(context.Background(), coupang.ExchangeListOptions{CreatedAtFrom: now.Add(-7 * 24 * time.Hour), CreatedAtTo: now}) {
					require.NoError(t, err)
				}
				require.Len(t, got, 6, "%v", got)
				for _, s := range got {
					from, err := time.Parse("2006-01-02T15:04:05", s.from)
					require.NoError(t, err)
					to, err := time.Parse("2006-01-02T15:04:05", s.to)
					require.NoError(t, err)
					assert.Equal(t, 28*time.Hour, to.Sub(from), "%v", s)
					assert.Less(t, s.at, 1200*time.Millisecond, "sent before the first answer: %v", s)
				}
			})
		})
	}
}

// TestAllMemoryOutlivesOrderLookups: looking up single orders (All with
// OrderID, or Relist, which the Ensure… calls use, when it does not find the
// exchange) between two listings of a
// range does not make the client forget what the first listing met. Each
// order was a filter set of its own in the memory, and eight of them pushed
// out the listing's: a job acting on eight exchanges between two passes
// planned every pass with the fixed windows again.
func TestAllMemoryOutlivesOrderLookups(t *testing.T) {
	for _, tt := range []struct {
		name   string
		lookup func(ctx context.Context, c *coupang.Client, ex coupang.ExchangeRequest) error
	}{
		{"Relist of an exchange no longer listed", func(ctx context.Context, c *coupang.Client, ex coupang.ExchangeRequest) error {
			ex.ExchangeID++ // Relist lists the order's range to its end
			_, err := c.Exchanges.Relist(ctx, ex)
			if errors.Is(err, coupang.ErrNotFound) {
				return nil
			}
			return err
		}},
		{"All of one order", func(ctx context.Context, c *coupang.Client, ex coupang.ExchangeRequest) error {
			opts := coupang.ExchangeListOptions{CreatedAtFrom: ex.CreatedAt.Add(-time.Hour), CreatedAtTo: ex.CreatedAt.Add(time.Hour), OrderID: ex.OrderID}
			for _, err := range c.Exchanges.All(ctx, opts) {
				if err != nil {
					return err
				}
			}
			return nil
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := coupangtest.NewTestServer(t, coupangtest.WithExchanges(600))
			now := time.Now()
			opts := coupang.ExchangeListOptions{CreatedAtFrom: now.Add(-30 * 24 * time.Hour), CreatedAtTo: now, MaxPerPage: 10}
			c, err := srv.Client(coupang.WithRateLimit(0), coupang.WithListConcurrency(8))
			require.NoError(t, err)
			var listed []coupang.ExchangeRequest
			calls := func() int {
				before := len(srv.Calls())
				listed = listed[:0]
				for ex, err := range c.Exchanges.All(context.Background(), opts) {
					require.NoError(t, err)
					listed = append(listed, ex)
				}
				return len(srv.Calls()) - before
			}
			first := calls()
			orders := map[int64]bool{}
			for _, ex := range listed {
				if len(orders) > 12 {
					break
				}
				if !orders[ex.OrderID] {
					orders[ex.OrderID] = true
					require.NoError(t, tt.lookup(context.Background(), c, ex))
				}
			}
			assert.Less(t, calls(), first, "calls again after looking up %d orders", len(orders))
		})
	}
}
