package coupang

import (
	"cmp"
	"context"
	"iter"
	"time"
)

// All returns every exchange request created between opts.CreatedAtFrom and
// opts.CreatedAtTo, oldest window first. It is lazy: nothing is fetched
// before the loop starts, read-ahead is bounded, and nothing more is fetched
// once the loop stops.
//
// The range may be at most DefaultMaxListRange (a year; change it with
// WithMaxListRange) long, so that a mistyped year cannot start hundreds of
// calls: a longer one is refused with a *ValidationError before anything is
// sent. To go further back, call All again for the earlier part.
//
// The range is split into consecutive windows of MaxListWindow, oldest first.
// Whether Coupang's createdAtTo is inclusive is not documented, so
// consecutive windows share their edge second and a record created exactly on
// an edge is yielded once. Within a window All follows nextToken until it is
// empty.
//
// # Several windows in flight
//
// nextToken makes the pages of one window sequential, so one request at a
// time reaches Coupang's budget of 5 a second only while a call takes under
// 200 ms; real calls take 200–800 ms. All therefore pages up to K windows at
// once (see WithListConcurrency), each request still waiting for the
// client's limiter: concurrency never raises the request rate above the
// budget, it only fills it while answers are on their way. Coupang advises
// against hammering its API from many threads; All does not: K is sized to
// cover twice the budget times the round trip (5/s × 600 ms = 3 requests)
// and a spare. By default K adapts to the round trip measured by the
// client's earlier list calls: 1 while calls are fast, which is exactly the
// sequential behaviour of one request at a time, with 7-day windows and a
// page fetched only when the loop needs it. A client that has not measured
// anything yet (a new one: a cron job, a CLI) does not assume fast calls: it
// starts two windows at once and, while its first request waits longer
// than that guess allows, takes the wait as a lower bound of the round
// trip, starting the windows it calls for (two more each 200 ms at 5 a
// second, planned with the K the wait has reached); the windows after the
// first answer follow that answer's round trip.
//
// Records still come out in order: every window's records in Coupang's
// order, oldest window first, however the answers arrive. The read-ahead is
// bounded in records, not pages: the records fetched and not yet yielded,
// with 50 for each request on its way, stay under (windows paged at once +
// K) × 50 plus what the budget brings in over three round trips, and the
// window the loop reads may always have two pages' worth fetched, so memory
// stays flat however dense the range is. When the loop breaks or ctx ends,
// the requests in flight are cancelled and All returns only after every
// worker has stopped: no goroutine outlives the iteration.
//
// With K > 1, windows are shorter than 7 days, so that a single week can
// have several requests in flight and one dense week does not hold the
// listing up with a long chain of sequential pages: 56 hours (a week in
// three) below K = 8, a day at K = 8 (round trips of ~0.73 s and more at 5
// a second). Each window ends with a partial page, so this costs a few calls
// (up to two for a single week at 56 hours: +11 % at 18 pages). Windows are
// planned as they are started, with the K in force then; a new client's
// first two windows are 7 days long when more than a week is left (no extra
// call); a range of a week or less is cut in six (28 hours for a week, no
// window shorter than a day) until the first answer, so that on a slow
// Coupang every part of it is a short chain of pages already in flight. A
// new client listing one sparse week pays for it in calls, not time: up to
// two calls more than one request at a time on a fast Coupang, three at
// 300 ms, five from 600 ms, all within the first round trip (pass
// WithListConcurrency(1) to avoid them).
//
// A client that lists again plans its windows from what its earlier
// listings met: it remembers the records per hour of the ranges it listed
// (two months, per Status, in the client; not the listings of one order,
// OrderID, nor the hours of a range that had not come yet, nor the first
// window of a listing resumed from NextToken), and cuts windows at whole
// hours to hold at most three pages at K = 8 and four below (an hour that
// alone holds more is a window of its own), up to 7 days where records are
// sparse. A long-running job that lists the last days over and over so
// takes about one call a page (41 calls over 30 days where day windows took
// 51). Hours it never listed fall back to the fixed lengths above. The
// memory only plans windows: a count that changed since it was learned
// costs calls (windows planned for records that are gone, each ending with
// a partial page) or time (a window planned for fewer records is a longer
// chain of pages), never a record, and the listing learns the new count.
//
// The first window is never cut when
// opts.NextToken resumes a listing, because the token belongs to the window
// it came from.
//
// Errors, and what All does after yielding them (a zero ExchangeRequest goes
// with each):
//   - A record that cannot be decoded: a *RecordError in its place, then All
//     goes on with the next record. The other records of the page are never
//     lost to one bad record.
//   - ctx ended, at whatever instant (before the first request, while a
//     request is on its way, between windows, or while the loop's body
//     runs): All yields an error matching ctx.Err() — and context.Cause(ctx)
//     when it has another cause — once, in place of the next record, and
//     stops. Records already fetched are dropped, however the ending was
//     noticed (a cancelled request, a worker's send, the loop itself).
//   - Any other error, in any window: All yields it once, after every record
//     before it in order, and stops. Records from later windows that were
//     already fetched are dropped: All never yields records from beyond a
//     gap. That includes a paging fault (Coupang repeats a nextToken it sent
//     in the same window, sends one longer than 4 KiB, or pages past 2,000
//     pages), reported as an error matching ErrPagingLoop, as well as
//     validation, transport and Coupang's error answers.
//
// A loop that wants every good record skips errors matching *RecordError and
// goes on. Listing is read-only: after any other error, list the range again
// from the last record's window.
//
// Endpoint: GET /v2/providers/openapi/apis/api/v4/vendors/{vendorId}/exchangeRequests
// (교환요청 목록조회), one request a page.
func (s *ExchangeService) All(ctx context.Context, opts ExchangeListOptions, callOpts ...CallOption) iter.Seq2[ExchangeRequest, error] {
	return func(yieldTo func(ExchangeRequest, error) bool) {
		ctx, call := s.client.observeSeq(ctx, opAll)
		defer call.end()
		yield := func(ex ExchangeRequest, err error) bool { return yieldTo(ex, call.saw(err)) }
		if err := validateRange(opts.CreatedAtFrom, opts.CreatedAtTo); err != nil {
			yield(ExchangeRequest{}, err)
			return
		}
		if _, err := encodeListQuery(opts); err != nil {
			yield(ExchangeRequest{}, err)
			return
		}
		c, err := s.client.forCall(callOpts)
		if err != nil {
			yield(ExchangeRequest{}, err)
			return
		}
		if err := checkAllRange(opts.CreatedAtFrom, opts.CreatedAtTo, c.maxListRange); err != nil {
			yield(ExchangeRequest{}, err)
			return
		}
		sched := schedule{
			next:   opts.CreatedAtFrom.Truncate(time.Second),
			end:    opts.CreatedAtTo.Truncate(time.Second),
			resume: opts.NextToken != "",
		}
		newLister(s.listSource(opts, callOpts), c, s.roundTrips, sched, opts.NextToken).run(ctx, yield)
	}
}

// listSource is how All lists exchanges: one listing a window, by
// creation time to the second.
func (s *ExchangeService) listSource(opts ExchangeListOptions, callOpts []CallOption) listSource[ExchangeRequest] {
	density := s.density
	if opts.OrderID != 0 {
		// One order's exchanges (Relist, a lookup): a page, nothing to
		// plan, and as a filter set of its own each order would push out
		// what the client's listings of a range met (densityFilters).
		density = nil
	}
	return listSource[ExchangeRequest]{
		what:  "exchanges",
		parts: 1,
		list: func(ctx context.Context, w window, _ int, token string) (recordPage[ExchangeRequest], error) {
			wopts := opts
			wopts.CreatedAtFrom, wopts.CreatedAtTo, wopts.NextToken = w.from, w.to, token
			page, err := s.List(ctx, wopts, callOpts...)
			if page == nil {
				return recordPage[ExchangeRequest]{}, err
			}
			return recordPage[ExchangeRequest]{items: page.Items, bad: page.bad, next: page.NextToken}, err
		},
		key:      func(ex *ExchangeRequest) (int64, time.Time) { return ex.ExchangeID, ex.CreatedAt },
		density:  density,
		filters:  string(opts.Status),
		pageSize: cmp.Or(opts.MaxPerPage, DefaultMaxPerPage),
	}
}

// listConcurrency is K for one All of exchanges (see listConcurrency).
func (s *ExchangeService) listConcurrency(c *Client) int { return listConcurrency(c, s.roundTrips) }
