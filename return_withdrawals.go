package coupang

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Limits of the withdrawal history.
const (
	// MaxWithdrawalDays is how many Korea days one page of the withdrawal
	// history may cover, both ends included: Coupang allows 7.
	MaxWithdrawalDays = 7
	// MaxWithdrawalIDs is how many receipt ids one WithdrawalsByID call may
	// look up: Coupang allows 50.
	MaxWithdrawalIDs = 50
	// withdrawalPageSize is the page size asked for: Coupang's maximum.
	withdrawalPageSize = 100
)

// Withdrawals returns the history of returns withdrawn by customers
// (반품철회 이력) between from and to, in windows of MaxWithdrawalDays Korea
// days, oldest window first, following nextPageIndex within each; entries
// withdrawn outside [from, to] are left out. A withdrawn return vanishes
// from the return list: this is where it is confirmed. The range is bounded
// by WithMaxListRange, like All's.
//
// An entry that cannot be decoded gives a *RecordError in its place and the
// iteration goes on; any other error is yielded once and ends it, as does a
// nextPageIndex that does not move forward (ErrPagingLoop).
//
// Endpoint: GET /v2/providers/openapi/apis/api/v4/vendors/{vendorId}/returnWithdrawRequests
// (반품철회 이력 기간별 조회), one request a page.
func (s *ReturnService) Withdrawals(ctx context.Context, from, to time.Time, callOpts ...CallOption) iter.Seq2[ReturnWithdrawal, error] {
	return func(yieldTo func(ReturnWithdrawal, error) bool) {
		ctx, call := s.client.observeSeq(ctx, opReturnsWithdrawals)
		defer call.end()
		yield := func(w ReturnWithdrawal, err error) bool { return yieldTo(w, call.saw(err)) }
		if err := validateRange(from, to); err != nil {
			yield(ReturnWithdrawal{}, err)
			return
		}
		c, err := s.client.forCall(callOpts)
		if err != nil {
			yield(ReturnWithdrawal{}, err)
			return
		}
		if err := checkAllRange(from, to, c.maxListRange); err != nil {
			yield(ReturnWithdrawal{}, err)
			return
		}
		last := startOfDay(to)
		for day := startOfDay(from); !day.After(last); day = day.AddDate(0, 0, MaxWithdrawalDays) {
			end := day.AddDate(0, 0, MaxWithdrawalDays-1)
			if end.After(last) {
				end = last
			}
			if !s.withdrawalWindow(ctx, c, day, end, from, to, yield) {
				return
			}
		}
	}
}

// withdrawalWindow pages one window of days; it reports whether to go on.
func (s *ReturnService) withdrawalWindow(ctx context.Context, c *Client, day, end, from, to time.Time, yield func(ReturnWithdrawal, error) bool) bool {
	index := 1
	for n := 0; ; n++ {
		if n >= maxPagesPerWindow {
			yield(ReturnWithdrawal{}, fmt.Errorf("coupang: more than %d pages of withdrawals from %s: %w", maxPagesPerWindow, day.Format(time.DateOnly), ErrPagingLoop))
			return false
		}
		q := url.Values{}
		q.Set("dateFrom", day.Format(time.DateOnly))
		q.Set("dateTo", end.Format(time.DateOnly))
		q.Set("pageIndex", strconv.Itoa(index))
		q.Set("sizePerPage", strconv.Itoa(withdrawalPageSize))
		var env envelope[recordList[ReturnWithdrawal]]
		req := &apiRequest{method: http.MethodGet, path: c.vendorPath("v4") + "/returnWithdrawRequests", query: q.Encode(), route: routeReturnWithdrawals}
		if _, err := call(ctx, c, req, &env); err != nil {
			yield(ReturnWithdrawal{}, err)
			return false
		}
		c.observeRecordErrors(ctx, opReturnsWithdrawals, env.Data.pageError())
		if !yieldWithdrawals(&env.Data, from, to, yield) {
			return false
		}
		next := strings.TrimSpace(env.NextPageIndex)
		if next == "" {
			return true
		}
		nextIndex, err := strconv.Atoi(next)
		if err != nil || nextIndex <= index {
			yield(ReturnWithdrawal{}, fmt.Errorf("coupang: withdrawals from %s: nextPageIndex %.20q does not follow page %d: %w",
				day.Format(time.DateOnly), next, index, ErrPagingLoop))
			return false
		}
		index = nextIndex
	}
}

// yieldWithdrawals yields a page's entries in [from, to] in page order, a
// *RecordError in place of each that could not be decoded.
func yieldWithdrawals(l *recordList[ReturnWithdrawal], from, to time.Time, yield func(ReturnWithdrawal, error) bool) bool {
	items, bad := l.items, l.bad
	for pos := 0; len(items) > 0 || len(bad) > 0; pos++ {
		if len(bad) > 0 && (len(items) == 0 || bad[0].Index <= pos) {
			if !yield(ReturnWithdrawal{}, bad[0]) {
				return false
			}
			bad = bad[1:]
			continue
		}
		w := items[0]
		items = items[1:]
		if w.CreatedAt.Before(from) || w.CreatedAt.After(to) {
			continue
		}
		if !yield(w, nil) {
			return false
		}
	}
	return true
}

// withdrawalLookup is the body of WithdrawalsByID.
type withdrawalLookup struct {
	CancelIDs []int64 `json:"cancelIds"`
}

// WithdrawalsByID looks receipts up in the withdrawal history (반품철회 이력
// 접수번호로 조회): the entries of those among receiptIDs (1 to
// MaxWithdrawalIDs positive ids) that customers withdrew; a receipt that
// was not withdrawn is simply absent. Entries that cannot be decoded come
// back with the others and a *PageError.
//
// It only reads, although Coupang has it as a POST: it is retried like a
// GET.
//
// Endpoint: POST /v2/providers/openapi/apis/api/v4/vendors/{vendorId}/returnWithdrawList
// (반품철회 이력 접수번호로 조회), one request.
func (s *ReturnService) WithdrawalsByID(ctx context.Context, receiptIDs []int64, callOpts ...CallOption) (_ []ReturnWithdrawal, err error) {
	ctx, observed := s.client.observeCall(ctx, opReturnsWithdrawalsByID)
	defer func() { observed(err) }()
	if len(receiptIDs) == 0 || len(receiptIDs) > MaxWithdrawalIDs {
		return nil, invalid("receiptIDs", "must hold 1 to %d ids, got %d", MaxWithdrawalIDs, len(receiptIDs))
	}
	for i, id := range receiptIDs {
		if id <= 0 {
			return nil, invalid("receiptIDs["+strconv.Itoa(i)+"]", "must be positive, got %d", id)
		}
	}
	c, err := s.client.forCall(callOpts)
	if err != nil {
		return nil, err
	}
	payload, err := json.Marshal(withdrawalLookup{CancelIDs: receiptIDs})
	if err != nil {
		return nil, fmt.Errorf("coupang: encoding the request: %w", err)
	}
	var env envelope[recordList[ReturnWithdrawal]]
	req := &apiRequest{method: http.MethodPost, path: c.vendorPath("v4") + "/returnWithdrawList", body: payload, route: routeReturnWithdrawIDs, readOnly: true}
	if _, err := call(ctx, c, req, &env); err != nil {
		return nil, err
	}
	err = env.Data.pageError()
	c.observeRecordErrors(ctx, opReturnsWithdrawalsByID, err)
	return env.Data.items, err
}

// withdrawnReceipts looks ids up in the withdrawal history, MaxWithdrawalIDs
// at a time, and returns the withdrawn ones by id. A page with entries that
// cannot be decoded is an error: the caller must not take a receipt for not
// withdrawn on the strength of it.
func (s *ReturnService) withdrawnReceipts(ctx context.Context, ids []int64, callOpts []CallOption) (map[int64]ReturnWithdrawal, error) {
	out := map[int64]ReturnWithdrawal{}
	for len(ids) > 0 {
		n := min(len(ids), MaxWithdrawalIDs)
		found, err := s.WithdrawalsByID(ctx, ids[:n], callOpts...)
		var pageErr *PageError
		if errors.As(err, &pageErr) {
			return nil, fmt.Errorf("coupang: reading the withdrawal history: %w", err)
		}
		if err != nil {
			return nil, err
		}
		for _, w := range found {
			out[w.ReceiptID] = w
		}
		ids = ids[n:]
	}
	return out, nil
}
