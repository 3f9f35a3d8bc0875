package coupang

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// denseSource lists pagesPerListing full pages in every listing of every
// window, counting the records it hands out; each answer takes latency.
func denseSource(parts, pagesPerListing int, latency time.Duration, served *atomic.Int64) listSource[int64] {
	return listSource[int64]{
		what:  "records",
		parts: parts,
		list: func(ctx context.Context, w window, part int, token string) (recordPage[int64], error) {
			limiterPassed(ctx) // as Client.List does when its limiter lets it go
			select {
			case <-time.After(latency):
			case <-ctx.Done():
				return recordPage[int64]{}, ctx.Err()
			}
			n := 0
			if token != "" {
				_, _ = fmt.Sscan(token, &n)
			}
			items := make([]int64, MaxPageSize)
			for j := range items {
				items[j] = w.from.Unix()*1_000_000 + int64(part*100_000+n*MaxPageSize+j)
			}
			served.Add(int64(len(items)))
			next := ""
			if n+1 < pagesPerListing {
				next = fmt.Sprint(n + 1)
			}
			return recordPage[int64]{items: items, next: next}, nil
		},
		key: func(id *int64) (int64, time.Time) { return *id, time.Time{} },
	}
}

// TestAllReadAheadIsBoundedInRecords: while the loop holds its first
// record, the workers fetch no more than the read-ahead budget in records
// (and the loop's window its own two pages), however many pages each window
// holds. With 12 pages buffered per window, K windows of dense data held
// K × 13 pages.
func TestAllReadAheadIsBoundedInRecords(t *testing.T) {
	for _, tt := range []struct {
		name            string
		k, parts, pages int
	}{
		{name: "exchanges, 4 in flight, 40 pages a window", k: 4, parts: 1, pages: 40},
		{name: "exchanges, 8 in flight, 40 pages a window", k: 8, parts: 1, pages: 40},
		{name: "return sweep, 4 in flight, 10 pages a filter", k: 4, parts: 4, pages: 10},
	} {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var served atomic.Int64
				c, err := NewClient("ak", "sk", "A00012345", WithRateLimit(0), WithListConcurrency(tt.k))
				require.NoError(t, err)
				from := time.Date(2026, 3, 1, 0, 0, 0, 0, kst)
				sched := schedule{next: from, end: from.Add(30 * 24 * time.Hour)}
				l := newLister(denseSource(tt.parts, tt.pages, 100*time.Millisecond, &served), c, &roundTrips{}, sched, "")
				yielded := 0
				l.run(t.Context(), func(_ int64, err error) bool {
					require.NoError(t, err)
					yielded++
					if yielded == 1 || yielded == 10*MaxPageSize {
						// The bubble's clock: a minute of answers while
						// the loop holds this record, then every worker
						// waits, for room or to send.
						time.Sleep(time.Minute)
						synctest.Wait()
					}
					if yielded == 1 || yielded == 10*MaxPageSize {
						l.mu.Lock()
						limit := l.readAheadLimit(tt.k) // with the round trip measured so far
						l.mu.Unlock()
						ahead := int(served.Load()) - yielded
						assert.LessOrEqual(t, ahead, limit+loopWindowPages*MaxPageSize,
							"records fetched and not yet yielded after %d yielded", yielded)
						assert.Greater(t, ahead, limit/2, "the budget is used: workers read ahead")
					}
					return yielded < 10*MaxPageSize
				})
				assert.Equal(t, 10*MaxPageSize, yielded)
			})
		})
	}
}

// TestSlowAnswersPlanDays: from slowWindowK requests in flight windows are a
// day long, 56 hours below.
func TestSlowAnswersPlanDays(t *testing.T) {
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, kst)
	for k, want := range map[int]time.Duration{MaxListConcurrency: 24 * time.Hour, slowWindowK: 24 * time.Hour, slowWindowK - 1: minSplitWindow} {
		s := &schedule{next: from, end: from.Add(30 * 24 * time.Hour)}
		for s.planNext(k, false) {
		}
		for i, w := range s.windows[:len(s.windows)-1] {
			assert.Equal(t, want, w.to.Sub(w.from), "K %d, window %d", k, i)
		}
	}
}

// TestNewClientGrowsWithTheWait: a new client (nothing measured) plans
// the two windows of its cold guess as main does, 7 days long when more
// than a week is left (no extra call on a fast Coupang), and while its
// first request waits longer than a fast answer takes, starts more windows,
// as many as the wait calls for, planned with the K it has grown to (a day
// long from slowWindowK), before any answer.
func TestNewClientGrowsWithTheWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var served atomic.Int64
		c, err := NewClient("ak", "sk", "A00012345", WithRateLimit(0))
		require.NoError(t, err)
		from := time.Date(2026, 3, 1, 0, 0, 0, 0, kst)
		var sent atomic.Int64
		src := denseSource(1, 1, 1200*time.Millisecond, &served)
		inner := src.list
		src.list = func(ctx context.Context, w window, part int, token string) (recordPage[int64], error) {
			sent.Add(1)
			return inner(ctx, w, part, token)
		}
		l := newLister(src, c, &roundTrips{}, schedule{next: from, end: from.Add(30 * 24 * time.Hour)}, "")
		go func() {
			time.Sleep(1100 * time.Millisecond) // before the first answer
			synctest.Wait()
			assert.GreaterOrEqual(t, sent.Load(), int64(6), "requests out before the first answer at 1.2 s")
		}()
		n := 0
		l.run(t.Context(), func(int64, error) bool { n++; return true })
		assert.Equal(t, len(l.sched.windows)*MaxPageSize, n)
		require.Greater(t, len(l.sched.windows), 3)
		for i, w := range l.sched.windows[:2] {
			assert.Equal(t, MaxListWindow, w.to.Sub(w.from), "window %d: the cold guess's", i)
		}
		days := 0
		for i, w := range l.sched.windows[2 : len(l.sched.windows)-1] {
			assert.LessOrEqual(t, w.to.Sub(w.from), minSplitWindow, "window %d, planned once K had grown", i+2)
			if w.to.Sub(w.from) == slowWindow {
				days++
			}
		}
		assert.Positive(t, days, "no day windows once the wait called for K ≥ %d", slowWindowK)
	})
}

// TestNewClientResumingKeepsTheFirstWindowWhole: a caller's nextToken
// belongs to an unsplit first window, new client or not; the next window of
// the cold guess is 7 days long when more than a week is left.
func TestNewClientResumingKeepsTheFirstWindowWhole(t *testing.T) {
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, kst)
	s := &schedule{next: from, end: from.Add(20 * 24 * time.Hour), resume: true}
	require.True(t, s.planNext(coldListConcurrency, true))
	assert.Equal(t, MaxListWindow, s.windows[0].to.Sub(s.windows[0].from))
	require.True(t, s.planNext(coldListConcurrency, true))
	assert.Equal(t, MaxListWindow, s.windows[1].to.Sub(s.windows[1].from), "the cold guess's second window")
}

// TestOneAtATimeStartsNoWorker: with K = 1 the loop pages every window
// itself, also the ones after the window it has finished paging and not yet
// left (with windowsAhead above 1 a worker took the next window there: one
// request more than one at a time after an error).
func TestOneAtATimeStartsNoWorker(t *testing.T) {
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, kst)
	s := &schedule{next: from, end: from.Add(30 * 24 * time.Hour)}
	i, step := s.enter(1, false)
	require.Equal(t, stepPage, step)
	require.True(t, s.finish(i))
	_, ok := s.startWorker(1, false)
	assert.False(t, ok, "a worker started with K 1")
}

// TestAnswersOf600msKeep56HourWindows: round trips a little over 600 ms
// (the answer and the machine's own noise) plan 56-hour windows, as 600 ms
// does; day windows, which cost +12 % calls over 30 days, are for round
// trips that call for DefaultMaxListConcurrency requests.
func TestAnswersOf600msKeep56HourWindows(t *testing.T) {
	c, err := NewClient("ak", "sk", "A00012345")
	require.NoError(t, err)
	for _, tc := range []struct {
		rtt  time.Duration
		want time.Duration
	}{
		{600 * time.Millisecond, minSplitWindow},
		{640 * time.Millisecond, minSplitWindow},
		{700 * time.Millisecond, minSplitWindow},
		{1200 * time.Millisecond, slowWindow},
	} {
		assert.Equal(t, tc.want, windowLength(concurrencyFor(c, tc.rtt)), "round trips of %v", tc.rtt)
	}
}

// TestColdWeeksKeepMainsReadAhead: while the loop is in the 7-day windows
// of a new client's cold guess, the budget lets the windows after it read
// ahead as main did (13 pages each), whatever K the first answer measured;
// after them it is the budget of that K.
func TestColdWeeksKeepMainsReadAhead(t *testing.T) {
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, kst)
	s := &schedule{next: from, end: from.Add(30 * 24 * time.Hour)}
	require.True(t, s.planNext(coldListConcurrency, true))
	require.True(t, s.planNext(coldListConcurrency, true))
	assert.Equal(t, 2*coldWeekPages*MaxPageSize, s.readAheadLimit(1, 5, 100*time.Millisecond), "K 1 in the cold weeks")
	assert.Equal(t, 2*coldWeekPages*MaxPageSize, s.readAheadLimit(3, 5, 300*time.Millisecond), "K 3 in the cold weeks")
	s.cur = 2
	assert.Equal(t, 2*MaxPageSize, s.readAheadLimit(1, 5, 100*time.Millisecond), "K 1 after them")
	assert.Equal(t, (3+3+5)*MaxPageSize, s.readAheadLimit(3, 5, 300*time.Millisecond), "K 3 after them")
}
