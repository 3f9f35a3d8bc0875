package coupangtest_test

import (
	"cmp"
	"context"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

// The server keeps its exchanges indexed by creation time (index.go). These
// tests check that every way an exchange's CreatedAt, Status or OrderID can
// change keeps list answers and their paging what sorting every record on
// each call gave: the reference below does exactly that.

// wantListed is the reference: the stored exchanges of ids (read one by one,
// not through the index) that match the query, sorted oldest first and then
// by id.
func wantListed(srv *coupangtest.Server, ids []int64, opts coupang.ExchangeListOptions) []int64 {
	var all []coupang.ExchangeRequest
	for _, id := range ids {
		ex, ok := srv.Exchange(id)
		if ok {
			all = append(all, ex)
		}
	}
	slices.SortFunc(all, func(a, b coupang.ExchangeRequest) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ExchangeID, b.ExchangeID)
	})
	from, to := opts.CreatedAtFrom.Truncate(time.Second), opts.CreatedAtTo.Truncate(time.Second)
	var out []int64
	for _, ex := range all {
		if ex.CreatedAt.Before(from) || ex.CreatedAt.After(to) ||
			(opts.Status != "" && ex.Status != opts.Status) ||
			(opts.OrderID != 0 && ex.OrderID != opts.OrderID) {
			continue
		}
		out = append(out, ex.ExchangeID)
	}
	return out
}

// walkPages lists every page of one window through the client with List,
// following nextToken, and checks each page's size.
func walkPages(t *testing.T, c *coupang.Client, opts coupang.ExchangeListOptions) []int64 {
	t.Helper()
	var ids []int64
	for range 10_000 {
		page, err := c.Exchanges.List(context.Background(), opts)
		require.NoError(t, err)
		if page.NextToken != "" {
			require.Len(t, page.Items, opts.MaxPerPage, "a page before the last is full")
		}
		for _, ex := range page.Items {
			ids = append(ids, ex.ExchangeID)
		}
		if page.NextToken == "" {
			return ids
		}
		opts.NextToken = page.NextToken
	}
	t.Fatal("paging did not end")
	return nil
}

// checkAllQueries compares every page of several windows, page sizes and
// filters with the reference for the exchanges ids.
func checkAllQueries(t *testing.T, srv *coupangtest.Server, c *coupang.Client, now time.Time, ids []int64, orderIDs ...int64) {
	t.Helper()
	type query struct {
		status  coupang.ExchangeStatus
		orderID int64
	}
	queries := []query{{}, {status: coupang.ExchangeStatusReceipt}, {status: coupang.ExchangeStatusProgress},
		{status: coupang.ExchangeStatusSuccess}, {status: coupang.ExchangeStatusReject}, {status: coupang.ExchangeStatusCancel}}
	for _, id := range orderIDs {
		queries = append(queries, query{orderID: id})
	}
	for _, days := range []int{0, 7, 14, 21, 28} {
		to := now.Add(time.Duration(-days) * 24 * time.Hour).Add(time.Minute)
		from := to.Add(-coupang.MaxListWindow)
		for _, q := range queries {
			for _, per := range []int{1, 7, 50} {
				opts := coupang.ExchangeListOptions{CreatedAtFrom: from, CreatedAtTo: to, Status: q.status, OrderID: q.orderID, MaxPerPage: per}
				want := wantListed(srv, ids, opts)
				if per == 1 && len(want) > 60 {
					continue // the same order is checked with larger pages
				}
				assert.Equal(t, want, walkPages(t, c, opts), "window ending %d days ago, %+v, %d per page", days, q, per)
			}
		}
	}
}

func TestListOrderAndPagingSeeded(t *testing.T) {
	t.Parallel()
	srv := coupangtest.NewTestServer(t, coupangtest.WithExchanges(300))
	checkAllQueries(t, srv, memClient(t, srv), time.Now(), seededIDs(srv))
}

func seededIDs(srv *coupangtest.Server) []int64 {
	var ids []int64
	for _, ex := range srv.Exchanges() {
		ids = append(ids, ex.ExchangeID)
	}
	return ids
}

func TestListFollowsChanges(t *testing.T) {
	tests := []struct {
		name string
		// change changes srv and returns the order ids to query by.
		change func(t *testing.T, srv *coupangtest.Server, c *coupang.Client, clock *movableClock, added *[]int64) []int64
	}{
		{"UpdateExchange moves CreatedAt back", func(t *testing.T, srv *coupangtest.Server, _ *coupang.Client, _ *movableClock, _ *[]int64) []int64 {
			ex := srv.Exchanges()[250]
			require.True(t, srv.UpdateExchange(ex.ExchangeID, func(e *coupang.ExchangeRequest) { e.CreatedAt = e.CreatedAt.Add(-10 * 24 * time.Hour) }))
			return nil
		}},
		{"UpdateExchange moves CreatedAt onto another's", func(t *testing.T, srv *coupangtest.Server, _ *coupang.Client, _ *movableClock, _ *[]int64) []int64 {
			all := srv.Exchanges()
			require.True(t, srv.UpdateExchange(all[280].ExchangeID, func(e *coupang.ExchangeRequest) { e.CreatedAt = all[100].CreatedAt }))
			return nil
		}},
		{"UpdateExchange changes status and order", func(t *testing.T, srv *coupangtest.Server, _ *coupang.Client, _ *movableClock, _ *[]int64) []int64 {
			ex := firstWith(t, srv, isStatus(coupang.ExchangeStatusSuccess))
			require.True(t, srv.UpdateExchange(ex.ExchangeID, func(e *coupang.ExchangeRequest) {
				e.Status = coupang.ExchangeStatusCancel
				e.OrderID = 39_000_000_000_000
			}))
			return []int64{ex.OrderID, 39_000_000_000_000}
		}},
		{"AddExchange replaces an id with another CreatedAt", func(t *testing.T, srv *coupangtest.Server, _ *coupang.Client, _ *movableClock, _ *[]int64) []int64 {
			ex := srv.Exchanges()[20]
			ex.CreatedAt = time.Now().Add(-time.Hour)
			ex.Status = coupang.ExchangeStatusReject
			srv.AddExchange(ex)
			return []int64{ex.OrderID}
		}},
		{"AddExchange at an existing CreatedAt", func(t *testing.T, srv *coupangtest.Server, _ *coupang.Client, _ *movableClock, added *[]int64) []int64 {
			all := srv.Exchanges()
			for _, i := range []int{50, 150, 299} {
				*added = append(*added, srv.AddExchange(coupang.ExchangeRequest{CreatedAt: all[i].CreatedAt}))
			}
			return nil
		}},
		{"UpdateExchangeAt moves CreatedAt when due", func(t *testing.T, srv *coupangtest.Server, _ *coupang.Client, clock *movableClock, _ *[]int64) []int64 {
			all := srv.Exchanges()
			for _, i := range []int{10, 200} {
				require.True(t, srv.UpdateExchangeAt(clock.now().Add(time.Minute), all[i].ExchangeID, func(e *coupang.ExchangeRequest) {
					e.CreatedAt = clock.now().Add(-2 * time.Hour).Truncate(time.Second)
					e.Status = coupang.ExchangeStatusSuccess
				}))
			}
			clock.advance(2 * time.Minute)
			return nil
		}},
		{"confirmation moves RECEIPT to PROGRESS", func(t *testing.T, srv *coupangtest.Server, c *coupang.Client, _ *movableClock, _ *[]int64) []int64 {
			ex := firstWith(t, srv, isStatus(coupang.ExchangeStatusReceipt))
			err := c.Exchanges.ConfirmReceipt(context.Background(), ex.ExchangeID)
			require.NoError(t, err)
			return nil
		}},
		{"rejection moves RECEIPT to REJECT", func(t *testing.T, srv *coupangtest.Server, c *coupang.Client, _ *movableClock, _ *[]int64) []int64 {
			ex := firstWith(t, srv, rejectableReceipt)
			err := c.Exchanges.Reject(context.Background(), ex.ExchangeID, coupang.RejectSoldOut)
			require.NoError(t, err)
			return nil
		}},
		{"Withdraw moves to CANCEL", func(t *testing.T, srv *coupangtest.Server, _ *coupang.Client, _ *movableClock, _ *[]int64) []int64 {
			ex := firstWith(t, srv, isStatus(coupang.ExchangeStatusReceipt))
			require.True(t, srv.Withdraw(ex.ExchangeID))
			return nil
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var added []int64 // the ids AddExchange gave, for the reference
			clock := &movableClock{}
			srv := coupangtest.NewTestServer(t, coupangtest.WithExchanges(300), coupangtest.WithClock(clock.now))
			c := memClient(t, srv)
			before := srv.Exchanges()
			ids := seededIDs(srv)
			orders := tt.change(t, srv, c, clock, &added)
			require.NotEqual(t, before, srv.Exchanges(), "the change changed something")
			checkAllQueries(t, srv, c, clock.now(), append(ids, added...), orders...)
		})
	}
}
