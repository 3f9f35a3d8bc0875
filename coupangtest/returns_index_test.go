package coupangtest_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

// The server keeps its return receipts indexed by creation time (index.go,
// returns_index.go). These tests check that every way a receipt's
// CreatedAt, status, type, order or withdrawal can change keeps the list
// answers and their paging what the old listing, which sorted every
// receipt on each call, gives for the same state (ListReturnsBySort).

// stepClock is a server clock that moves only when told. It starts at
// time.Now, and the tests move it a few minutes at most: clients sign with
// time.Now, and the server refuses a signature more than MaxSignatureSkew
// away from its clock.
type stepClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *stepClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *stepClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// returnPages lists every page of one query through the client, following
// nextToken, as the ids of each page.
func returnPages(t *testing.T, c *coupang.Client, opts coupang.ReturnListOptions) [][]int64 {
	t.Helper()
	var pages [][]int64
	for range 10_000 {
		page, err := c.Returns.List(context.Background(), opts)
		require.NoError(t, err)
		ids := []int64{}
		for _, r := range page.Items {
			ids = append(ids, r.ReceiptID)
		}
		pages = append(pages, ids)
		if page.NextToken == "" {
			return pages
		}
		opts.NextToken = page.NextToken
	}
	t.Fatal("paging did not end")
	return nil
}

// checkReturnQueries lists several windows, filters and page sizes, all of
// them from the index first and then all of them by sorting (the old
// listing settles, and so reindexes, every receipt, which would hide a
// change the index missed), and compares page by page.
func checkReturnQueries(t *testing.T, srv *coupangtest.Server, c *coupang.Client, now time.Time, orderIDs ...int64) {
	t.Helper()
	type query struct {
		status  coupang.ReturnFilter
		cancel  bool
		orderID int64
	}
	queries := []query{
		{status: coupang.ReturnFilterReleaseStop}, {status: coupang.ReturnFilterUnchecked},
		{status: coupang.ReturnFilterCompleted}, {status: coupang.ReturnFilterCoupangCheck}, {cancel: true},
	}
	for _, id := range orderIDs {
		queries = append(queries, query{orderID: id}, query{orderID: id, status: coupang.ReturnFilterCompleted}, query{orderID: id, cancel: true})
	}
	windows := [][2]time.Time{
		{now.AddDate(0, 0, -30), now},
		{now.AddDate(0, 0, -6), now},
		{now.AddDate(0, 0, -20), now.AddDate(0, 0, -14)},
	}
	var all []coupang.ReturnListOptions
	for _, w := range windows {
		for _, q := range queries {
			for _, per := range []int{1, 7, 50} {
				opts := coupang.ReturnListOptions{CreatedAtFrom: w[0], CreatedAtTo: w[1], Status: q.status, OrderID: q.orderID, MaxPerPage: per}
				if q.cancel {
					opts.CancelType = coupang.ReturnReceiptTypeCancel
				}
				all = append(all, opts)
			}
		}
	}
	got := make([][][]int64, len(all))
	for i, opts := range all {
		got[i] = returnPages(t, c, opts)
	}
	coupangtest.ListReturnsBySort(srv, true)
	defer coupangtest.ListReturnsBySort(srv, false)
	listed := 0
	for i, opts := range all {
		want := returnPages(t, c, opts)
		assert.Equal(t, want, got[i], "%s to %s, status %q, cancel %q, order %d, %d per page",
			opts.CreatedAtFrom.Format(time.DateOnly), opts.CreatedAtTo.Format(time.DateOnly), opts.Status, opts.CancelType, opts.OrderID, opts.MaxPerPage)
		for _, p := range want {
			listed += len(p)
		}
	}
	require.NotZero(t, listed, "the queries list something")
}

// receiptWith returns the first listed receipt that ok accepts.
func receiptWith(t *testing.T, srv *coupangtest.Server, ok func(coupang.ReturnRequest) bool) coupang.ReturnRequest {
	t.Helper()
	for _, r := range srv.Returns() {
		if ok(r) {
			return r
		}
	}
	t.Fatal("no such receipt in the seed")
	return coupang.ReturnRequest{}
}

func returnStatus(st coupang.ReturnStatus) func(coupang.ReturnRequest) bool {
	return func(r coupang.ReturnRequest) bool {
		return r.Status == st && r.ReceiptType != coupang.ReturnReceiptTypeCancel
	}
}

func TestReturnListMatchesSortedListing(t *testing.T) {
	tests := []struct {
		name string
		// change changes srv and returns the order ids to query by.
		change func(t *testing.T, srv *coupangtest.Server, c *coupang.Client, clock *stepClock) []int64
	}{
		{"seeded", func(*testing.T, *coupangtest.Server, *coupang.Client, *stepClock) []int64 { return nil }},
		{"WithdrawReturn removes receipts of each filter", func(t *testing.T, srv *coupangtest.Server, _ *coupang.Client, _ *stepClock) []int64 {
			var orders []int64
			for _, st := range []coupang.ReturnStatus{coupang.ReturnStatusReturnsUnchecked, coupang.ReturnStatusReleaseStopUnchecked,
				coupang.ReturnStatusReturnsCompleted, coupang.ReturnStatusRequestCoupangCheck} {
				r := receiptWith(t, srv, returnStatus(st))
				require.True(t, srv.WithdrawReturn(r.ReceiptID))
				orders = append(orders, r.OrderID)
			}
			return orders
		}},
		{"WithdrawReturnAt removes a receipt when due", func(t *testing.T, srv *coupangtest.Server, _ *coupang.Client, clock *stepClock) []int64 {
			due := receiptWith(t, srv, returnStatus(coupang.ReturnStatusReturnsUnchecked))
			later := receiptWith(t, srv, returnStatus(coupang.ReturnStatusReleaseStopUnchecked))
			require.True(t, srv.WithdrawReturnAt(clock.now().Add(time.Minute), due.ReceiptID))
			require.True(t, srv.WithdrawReturnAt(clock.now().Add(time.Hour), later.ReceiptID))
			clock.advance(2 * time.Minute)
			return []int64{due.OrderID, later.OrderID}
		}},
		{"UpdateReturn moves receipts between filters", func(t *testing.T, srv *coupangtest.Server, _ *coupang.Client, _ *stepClock) []int64 {
			moves := []struct{ from, to coupang.ReturnStatus }{
				{coupang.ReturnStatusReturnsUnchecked, coupang.ReturnStatusReturnsCompleted},                 // UC → CC
				{coupang.ReturnStatusReturnsCompleted, coupang.ReturnStatusRequestCoupangCheck},              // CC → PR
				{coupang.ReturnStatusReleaseStopUnchecked, coupang.ReturnStatusReturnsUnchecked},             // RU+UC → UC
				{coupang.ReturnStatusRequestCoupangCheck, coupang.ReturnStatusReleaseStopUnchecked},          // PR → RU+UC
				{coupang.ReturnStatusVendorWarehouseConfirm, coupang.ReturnStatus("SOMETHING_UNDOCUMENTED")}, // UC → none
			}
			var orders []int64
			for _, m := range moves {
				r := receiptWith(t, srv, returnStatus(m.from))
				require.True(t, srv.UpdateReturn(r.ReceiptID, func(r *coupang.ReturnRequest) { r.Status = m.to }))
				orders = append(orders, r.OrderID)
			}
			return orders
		}},
		{"UpdateReturnAt moves a receipt when due", func(t *testing.T, srv *coupangtest.Server, _ *coupang.Client, clock *stepClock) []int64 {
			due := receiptWith(t, srv, returnStatus(coupang.ReturnStatusReturnsUnchecked))
			later := receiptWith(t, srv, returnStatus(coupang.ReturnStatusReturnsCompleted))
			require.True(t, srv.UpdateReturnAt(clock.now().Add(time.Minute), due.ReceiptID, func(r *coupang.ReturnRequest) {
				r.Status = coupang.ReturnStatusRequestCoupangCheck
			}))
			require.True(t, srv.UpdateReturnAt(clock.now().Add(time.Hour), later.ReceiptID, func(r *coupang.ReturnRequest) {
				r.Status = coupang.ReturnStatusReturnsUnchecked
			}))
			clock.advance(2 * time.Minute)
			return []int64{due.OrderID, later.OrderID}
		}},
		{"the seller's actions move receipts between filters", func(t *testing.T, srv *coupangtest.Server, c *coupang.Client, _ *stepClock) []int64 {
			ctx := context.Background()
			confirm := receiptWith(t, srv, func(r coupang.ReturnRequest) bool {
				return returnStatus(coupang.ReturnStatusReturnsUnchecked)(r) && !r.PreRefund
			})
			require.NoError(t, c.Returns.ConfirmReceipt(ctx, confirm.ReceiptID)) // UC, stays UC
			approve := receiptWith(t, srv, returnStatus(coupang.ReturnStatusVendorWarehouseConfirm))
			require.NoError(t, c.Returns.Approve(ctx, approve.ReceiptID, int(approve.CancelCountSum))) // UC → CC
			stops := 0
			var stop, ship coupang.ReturnRequest
			for _, r := range srv.Returns() {
				if returnStatus(coupang.ReturnStatusReleaseStopUnchecked)(r) {
					if stops == 0 {
						stop = r
					} else {
						ship = r
					}
					if stops++; stops == 2 {
						break
					}
				}
			}
			require.Equal(t, 2, stops, "two release-stop requests in the seed")
			require.NoError(t, c.Returns.StopShipment(ctx, stop.ReceiptID, int(stop.CancelCountSum)))         // RU+UC → CC
			require.NoError(t, c.Returns.MarkShipped(ctx, ship.ReceiptID, coupang.CourierCJ, "612345678901")) // RU+UC → UC
			return []int64{confirm.OrderID, approve.OrderID, stop.OrderID, ship.OrderID}
		}},
		{"a quick refund completes after its delay", func(t *testing.T, srv *coupangtest.Server, _ *coupang.Client, clock *stepClock) []int64 {
			// The servers of these cases have WithQuickRefundDelay(3 minutes).
			early := srv.AddReturn(coupang.ReturnRequest{CreatedAt: clock.now().Add(-3 * time.Hour), PreRefund: true})
			late := srv.AddReturn(coupang.ReturnRequest{CreatedAt: clock.now().Add(-2 * time.Hour), PreRefund: true})
			require.True(t, srv.PickUpReturn(early))
			clock.advance(2 * time.Minute)
			require.True(t, srv.PickUpReturn(late))
			clock.advance(2 * time.Minute) // early is due, late is not
			// (Returns reads the index; Return would settle the receipt.)
			status := map[int64]coupang.ReturnStatus{}
			for _, r := range srv.Returns() {
				status[r.ReceiptID] = r.Status
			}
			assert.Equal(t, coupang.ReturnStatusReturnsCompleted, status[early])
			assert.Equal(t, coupang.ReturnStatusReturnsUnchecked, status[late])
			return []int64{early + 41_000_000_000_000, late + 41_000_000_000_000}
		}},
		{"ties in createdAt", func(t *testing.T, srv *coupangtest.Server, _ *coupang.Client, _ *stepClock) []int64 {
			all := srv.Returns()
			for _, i := range []int{5, 40, len(all) - 1} {
				at := all[i].CreatedAt
				srv.AddReturn(coupang.ReturnRequest{CreatedAt: at})
				srv.AddReturn(coupang.ReturnRequest{CreatedAt: at, Status: coupang.ReturnStatusReturnsCompleted})
				srv.AddReturn(coupang.ReturnRequest{CreatedAt: at, ReceiptType: coupang.ReturnReceiptTypeCancel, Status: coupang.ReturnStatusReturnsCompleted})
			}
			require.True(t, srv.UpdateReturn(all[60].ReceiptID, func(r *coupang.ReturnRequest) { r.CreatedAt = all[10].CreatedAt }))
			return nil
		}},
		{"AddReturn replaces an id; UpdateReturn changes the order", func(t *testing.T, srv *coupangtest.Server, _ *coupang.Client, _ *stepClock) []int64 {
			all := srv.Returns()
			replaced := all[30]
			replaced.CreatedAt = all[0].CreatedAt.Add(-26 * time.Hour)
			replaced.ReceiptType = coupang.ReturnReceiptTypeCancel
			replaced.Status = coupang.ReturnStatusReturnsCompleted
			srv.AddReturn(replaced)
			moved := all[50]
			require.True(t, srv.UpdateReturn(moved.ReceiptID, func(r *coupang.ReturnRequest) { r.OrderID = 39_000_000_000_000 }))
			return []int64{replaced.OrderID, moved.OrderID, 39_000_000_000_000}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := &stepClock{t: time.Now()}
			srv := coupangtest.NewTestServer(t, coupangtest.WithExchanges(0), coupangtest.WithReturns(150),
				coupangtest.WithClock(clock.now), coupangtest.WithQuickRefundDelay(3*time.Minute))
			c := memClient(t, srv)
			orders := tt.change(t, srv, c, clock)
			checkReturnQueries(t, srv, c, clock.now(), orders...)
		})
	}
}

func TestReturnsAndWithdrawalsFromTheIndex(t *testing.T) {
	// Returns (oldest first, without the withdrawn) and Withdrawals settle
	// the due withdrawals, as the listing does.
	clock := &stepClock{t: time.Now()}
	base := clock.now().Truncate(time.Second)
	srv := coupangtest.NewTestServer(t, coupangtest.WithExchanges(0), coupangtest.WithReturns(0), coupangtest.WithClock(clock.now))
	a := srv.AddReturn(coupang.ReturnRequest{ReceiptID: 500000003, CreatedAt: base.Add(-time.Hour)})
	b := srv.AddReturn(coupang.ReturnRequest{ReceiptID: 500000002, CreatedAt: base.Add(-time.Hour)})
	c := srv.AddReturn(coupang.ReturnRequest{ReceiptID: 500000001, CreatedAt: base.Add(-time.Minute)})
	require.True(t, srv.WithdrawReturnAt(base.Add(time.Minute), a))

	ids := func() []int64 {
		var out []int64
		for _, r := range srv.Returns() {
			out = append(out, r.ReceiptID)
		}
		return out
	}
	assert.Equal(t, []int64{b, a, c}, ids(), "a tie in createdAt goes by receipt id")
	assert.Empty(t, srv.Withdrawals())
	clock.advance(time.Minute)
	assert.Equal(t, []int64{b, c}, ids())
	w := srv.Withdrawals()
	require.Len(t, w, 1)
	assert.Equal(t, a, w[0].ReceiptID)
	assert.Equal(t, fmt.Sprint(base.Add(time.Minute).Unix()), fmt.Sprint(w[0].CreatedAt.Unix()))
}
