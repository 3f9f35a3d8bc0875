package coupang

import (
	"sync"
	"time"
)

// What All remembers of how many records earlier listings met, so that a
// client that lists again plans windows of a few whole pages each instead of
// windows of a fixed length. With fixed windows a dense week is a few long
// chains of pages and a sparse month many windows of one partial page each:
// at 1.2 s a call, day windows over 30 days measured 51 calls where 42 are
// enough (1.21× the floor before any wait), 56-hour ones chains of six pages
// (7.2 s where the floor is 4.8 s over 7 days).

// densityMemory holds, for each set of list filters, how many records were
// created in each hour of the ranges the client listed whole. It is shared by
// the client's per-call copies, like the round trips.
type densityMemory struct {
	mu      sync.Mutex
	filters map[string]*hourCounts
	used    uint64 // a counter: which filters were used last (eviction)
}

// hourCounts is one filter set's records per hour.
type hourCounts struct {
	hours map[int64]hourCount // Unix hour → what was seen of it
	used  uint64
}

// hourCount is how many records a listing met in one hour, and how much of
// the hour it covered: the hours at a range's ends are covered in part.
type hourCount struct {
	records int32
	covered time.Duration
}

// rate is the hour's records per hour.
func (c hourCount) rate() float64 {
	return float64(c.records) * float64(time.Hour) / float64(c.covered)
}

const (
	// densityHours bounds the hours remembered per filter set: two months,
	// beyond the longest range All lists in one call by default.
	densityHours = 62 * 24
	// densityFilters bounds the filter sets remembered: a seller's jobs
	// list with few.
	densityFilters = 8
)

// unixHour is the hour t falls in, as hours since the Unix epoch.
func unixHour(t time.Time) int64 {
	s := t.Unix()
	if s < 0 {
		return (s - 3599) / 3600
	}
	return s / 3600
}

// estimate returns how many records of filters were created in [from, to),
// counting the hours in part in proportion, and false when some hour of the
// range was never listed, even in part.
func (m *densityMemory) estimate(filters string, from, to time.Time) (float64, bool) {
	if m == nil {
		return 0, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	hc := m.filters[filters]
	if hc == nil || !from.Before(to) {
		return 0, false
	}
	var n float64
	for h := unixHour(from); h <= unixHour(to.Add(-time.Nanosecond)); h++ {
		c, ok := hc.hours[h]
		if !ok {
			return 0, false
		}
		n += c.rate() * hourPart(h, from, to).Hours()
	}
	return n, true
}

// hourPart is how much of hour h [from, to) covers.
func hourPart(h int64, from, to time.Time) time.Duration {
	start := time.Unix(h*3600, 0)
	return earlier(to, start.Add(time.Hour)).Sub(later(from, start))
}

// learn replaces what is remembered of the given hours of filters, except
// where the memory saw more of an hour than the new count does (the edge
// hour of an earlier, wider range).
func (m *densityMemory) learn(filters string, hours map[int64]hourCount) {
	if m == nil || len(hours) == 0 {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.filters == nil {
		m.filters = map[string]*hourCounts{}
	}
	m.used++
	hc := m.filters[filters]
	if hc == nil {
		if len(m.filters) >= densityFilters {
			m.evictLocked()
		}
		hc = &hourCounts{hours: map[int64]hourCount{}}
		m.filters[filters] = hc
	}
	hc.used = m.used
	newest := int64(0)
	for h, c := range hours {
		if old, ok := hc.hours[h]; !ok || c.covered >= old.covered/2 {
			hc.hours[h] = c
		}
		newest = max(newest, h)
	}
	if len(hc.hours) > densityHours {
		for h := range hc.hours {
			if h <= newest-densityHours {
				delete(hc.hours, h)
			}
		}
	}
}

// evictLocked forgets the filter set used longest ago. m.mu is held.
func (m *densityMemory) evictLocked() {
	var oldest string
	first := true
	for f, hc := range m.filters {
		if first || hc.used < m.filters[oldest].used {
			oldest, first = f, false
		}
	}
	delete(m.filters, oldest)
}

// hourTally counts one listing's records per hour as the loop reads its
// windows, and hands an hour to the memory once the windows read to their
// end have covered all of it, or, at the end of the listing, what they
// covered of it.
type hourTally struct {
	hours map[int64]hourCount // hours of windows read to their end, not yet whole
	whole map[int64]hourCount // hours covered whole, for the memory
	open  map[int64]int32     // records of the window being read
}

// add counts a record created at t in window w. Records on w's end second
// belong to the next window (they are listed by both).
func (t *hourTally) add(w window, created time.Time) {
	if created.Before(w.from) || !created.Before(w.to) {
		return
	}
	if t.open == nil {
		t.open = map[int64]int32{}
	}
	t.open[unixHour(created)]++
}

// complete notes that window w was read to its end: the hours it covers
// are known to the extent it covers them.
func (t *hourTally) complete(w window) {
	if t.hours == nil {
		t.hours = map[int64]hourCount{}
		t.whole = map[int64]hourCount{}
	}
	if w.from.Before(w.to) {
		for h := unixHour(w.from); h <= unixHour(w.to.Add(-time.Nanosecond)); h++ {
			c := t.hours[h]
			c.records += t.open[h]
			c.covered += hourPart(h, w.from, w.to)
			if c.covered >= time.Hour {
				t.whole[h] = c
				delete(t.hours, h)
			} else {
				t.hours[h] = c
			}
		}
	}
	clear(t.open)
}

// take returns the hours covered whole since the last take, and with end
// (the listing read its range to its end) the hours covered in part too.
func (t *hourTally) take(end bool) map[int64]hourCount {
	got := t.whole
	t.whole = map[int64]hourCount{}
	if end {
		for h, c := range t.hours {
			got[h] = c
		}
		clear(t.hours)
	}
	return got
}

// densityPages is how many pages a window planned from the memory holds
// when k requests are in flight: three at k ≥ slowWindowK (round trips of
// ~0.73 s and more), a chain of ~3.6 s at 1.2 s a call; four below. Chosen
// by simulation (TestAllSlowAnswersSimulated) among 2–4 and 3–6 pages:
// longer chains left the budget unused at the end of a listing at 600 ms
// (six: 1.19–1.28× the floor over 30 days), shorter ones cost a partial
// page more often.
func densityPages(k int) int {
	if k >= slowWindowK {
		return 3
	}
	return 4
}

// denseLength is the length of the next window from s.next when the memory
// knows the records of the range ahead: as many whole hours as hold at most
// densityPages(k) pages, at least an hour, at most MaxListWindow. It returns
// false when the memory does not know the first hour ahead.
func (s *schedule) denseLength(k int) (time.Duration, bool) {
	if s.estimate == nil || k <= 1 || s.pageSize <= 0 {
		return 0, false
	}
	target := float64(densityPages(k) * s.pageSize)
	limit := s.next.Add(MaxListWindow)
	if s.end.Before(limit) {
		limit = s.end
	}
	if n, ok := s.estimate(s.next, limit); ok && n <= target {
		return limit.Sub(s.next), true // the rest fits in one window
	}
	// Hour by hour, adding each hour's records to those before it.
	best, full, n, from := time.Duration(0), false, 0.0, s.next
	for end := time.Unix((unixHour(s.next)+1)*3600, 0); end.Before(limit); end = end.Add(time.Hour) {
		more, ok := s.estimate(from, end)
		if !ok {
			break
		}
		if n += more; n > target {
			full = true
			break
		}
		best, from = end.Sub(s.next), end
	}
	if rest := limit.Sub(s.next) - best; !full && best > 0 && rest < best/2 {
		// What is left is short and unknown (records created since the
		// last listing): rather a little more in this window than a
		// sliver of a window after it.
		return limit.Sub(s.next), true
	}
	if best == 0 {
		hourEnd := earlier(limit, time.Unix((unixHour(s.next)+1)*3600, 0))
		if _, ok := s.estimate(s.next, hourEnd); !ok {
			return 0, false
		}
		// The first hour alone holds more than the pages: it is a window
		// of its own (or what is left of it).
		best = hourEnd.Sub(s.next)
	}
	return best, true
}

// earlier is the earlier of two times (later, protect.go, the later).
func earlier(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
