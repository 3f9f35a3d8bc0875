package coupang_test

import (
	"context"
	"errors"
	"net/url"
	"testing"
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
