package coupang_test

import (
	"context"
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
