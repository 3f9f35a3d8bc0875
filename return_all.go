package coupang

import (
	"context"
	"iter"
	"time"
)

// All returns every return request created between opts.CreatedAtFrom and
// opts.CreatedAtTo, on the same scheduler as ExchangeService.All: lazy,
// bounded read-ahead, several windows in flight under the client's budget
// when answers are slow (see WithListConcurrency), nothing left running
// when the loop stops, and the range limited by WithMaxListRange.
//
// Coupang lists returns by status filter or by order. With a zero Status
// and no OrderID, All sweeps the four filters — RU, UC, CC and PR, in the
// order of a receipt's life — and yields each receipt once: a release-stop
// request is listed under both RU and UC, and a receipt that moves on while
// All lists is seen again under the next filter. With Status, All lists
// that filter; with OrderID and no Status, the order's receipts of every
// status in one listing; with CancelType ReturnReceiptTypeCancel, the
// cancellations at payment-complete in one listing (with OrderID only when
// it is set: see ReturnService).
//
// The return list takes dates: the range is cut into windows of 7 Korea
// days, consecutive windows sharing their edge day (whether Coupang's
// createdAtTo is inclusive is not documented; a receipt of the shared day
// is yielded once), and records created outside [CreatedAtFrom,
// CreatedAtTo] are left out. Windows come oldest first; within a window,
// the filters in the order above, each in Coupang's order. A window's
// filters are one chain of requests, the newest week's often the longest:
// of the sweep's requests ready at once, the one on the longest chain known
// so far gets the client's limiter first (the limiter still paces them all;
// with NewPacer's or a *rate.Limiter, a shorter chain's wait already in it
// gives its slot to the longer one; any other Limiter, coupangredis's among
// them, may keep a cancelled wait's slot, so no wait is cut there).
//
// Errors, as for ExchangeService.All: a record that cannot be decoded
// gives a *RecordError in its place and All goes on; ctx ended, at
// whatever instant, gives an error matching ctx.Err() (and its cause) once,
// in place of the next receipt; any other error is yielded once, after
// every record before it, and ends the iteration.
// NextToken is refused (a sweep has one listing per filter and window: use
// List to resume one).
//
// Endpoint: GET /v2/providers/openapi/apis/api/v6/vendors/{vendorId}/returnRequests
// (반품/취소 요청 목록 조회), one request a page of each filter and window.
func (s *ReturnService) All(ctx context.Context, opts ReturnListOptions, callOpts ...CallOption) iter.Seq2[ReturnRequest, error] {
	return func(yieldTo func(ReturnRequest, error) bool) {
		ctx, call := s.client.observeSeq(ctx, opReturnsAll)
		defer call.end()
		yield := func(r ReturnRequest, err error) bool { return yieldTo(r, call.saw(err)) }
		if opts.NextToken != "" {
			yield(ReturnRequest{}, invalid("NextToken", "All cannot resume a listing (a sweep has one per filter and window); use List"))
			return
		}
		if _, err := encodeReturnQuery(opts, false); err != nil {
			yield(ReturnRequest{}, err)
			return
		}
		c, err := s.client.forCall(callOpts)
		if err != nil {
			yield(ReturnRequest{}, err)
			return
		}
		if err := checkAllRange(opts.CreatedAtFrom, opts.CreatedAtTo, c.maxListRange); err != nil {
			yield(ReturnRequest{}, err)
			return
		}
		sched := schedule{next: opts.CreatedAtFrom, end: opts.CreatedAtTo}
		newLister(s.listSource(opts, sweepFilters(opts), callOpts), c, s.roundTrips, sched, "").run(ctx, yield)
	}
}

// sweepFilters are the status filters All lists for opts: "" stands for a
// listing without one (by order, or of cancellations).
func sweepFilters(opts ReturnListOptions) []ReturnFilter {
	switch {
	case opts.Status != "":
		return []ReturnFilter{opts.Status}
	case opts.OrderID != 0 || opts.CancelType == ReturnReceiptTypeCancel:
		return []ReturnFilter{""}
	}
	return returnFilters[:]
}

// listSource is how All lists returns: per window of days, one listing per
// filter, receipts deduplicated within the window.
func (s *ReturnService) listSource(opts ReturnListOptions, filters []ReturnFilter, callOpts []CallOption) listSource[ReturnRequest] {
	return listSource[ReturnRequest]{
		what:  "returns",
		parts: len(filters),
		list: func(ctx context.Context, w window, part int, token string) (recordPage[ReturnRequest], error) {
			wopts := opts
			wopts.CreatedAtFrom, wopts.CreatedAtTo = w.from, w.to
			wopts.Status, wopts.NextToken = filters[part], token
			page, err := s.List(ctx, wopts, callOpts...)
			if page == nil {
				return recordPage[ReturnRequest]{}, err
			}
			return recordPage[ReturnRequest]{items: page.Items, bad: page.bad, next: page.NextToken}, err
		},
		key:    func(r *ReturnRequest) (int64, time.Time) { return r.ReceiptID, r.CreatedAt },
		days:   true,
		dedupe: true,
		// The four filters of a window are one chain, listed in order:
		// the newest week's is the critical path of a sweep.
		chainFirst: len(filters) > 1,
	}
}
