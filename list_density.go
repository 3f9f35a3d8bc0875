package coupang

import (
	"math"
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

// hourCounts is one filter set's records per hour: a run of hours from
// first, 8 bytes an hour (a month measured 6.4 KB, a map 27 KB), so that
// a process with a client for each of thousands of vendors keeps them all.
type hourCounts struct {
	first int64       // the Unix hour of hours[0]
	hours []hourStore // covered 0: never listed
	used  uint64
}

// hourStore is an hourCount as kept: records saturate at 2³²−1, and an hour
// covers at most 3,600 seconds.
type hourStore struct {
	records uint32
	covered uint16 // seconds
}

// get returns hour h, and false if it was never listed.
func (hc *hourCounts) get(h int64) (hourCount, bool) {
	i := h - hc.first
	if i < 0 || i >= int64(len(hc.hours)) || hc.hours[i].covered == 0 {
		return hourCount{}, false
	}
	st := hc.hours[i]
	return hourCount{records: int32(min(st.records, math.MaxInt32)), covered: time.Duration(st.covered) * time.Second}, true
}

// span makes the run reach from hour lo to hour hi, keeping only the newest
// densityHours of it: the run is cut before it grows, so that a listing far
// from the hours kept (a year back, or ahead) allocates two months, not the
// gap between them.
func (hc *hourCounts) span(lo, hi int64) {
	if len(hc.hours) == 0 {
		hc.first = lo
	}
	oldLast := hc.first + int64(len(hc.hours)) - 1
	last := max(oldLast, hi)
	first := max(min(hc.first, lo), last-densityHours+1)
	if first == hc.first && last == oldLast {
		return
	}
	grown := make([]hourStore, last-first+1)
	if keep := max(hc.first, first); keep <= oldLast {
		copy(grown[keep-first:], hc.hours[keep-hc.first:])
	}
	hc.hours, hc.first = grown, first
}

// set keeps c for hour h, if the run reaches it.
func (hc *hourCounts) set(h int64, c hourCount) {
	i := h - hc.first
	if i < 0 || i >= int64(len(hc.hours)) || c.covered < time.Second {
		return
	}
	hc.hours[i] = hourStore{
		records: uint32(max(c.records, 0)),
		covered: uint16(min(c.covered, time.Hour) / time.Second),
	}
}

// known is how many hours are known.
func (hc *hourCounts) known() int {
	n := 0
	for _, st := range hc.hours {
		if st.covered > 0 {
			n++
		}
	}
	return n
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
	// densityHours bounds the hours remembered per filter set: two months
	// (11.9 KB), twice the range a pass of Changes lists by default
	// (DefaultChangeLookback). All lists up to a year in one call
	// (DefaultMaxListRange); of a longer range only the newest two months
	// are remembered.
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
		c, ok := hc.get(h)
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
// where the memory saw more than twice as much of an hour as the new count
// does (the edge hour of an earlier, wider range).
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
		hc = &hourCounts{}
		m.filters[filters] = hc
	}
	hc.used = m.used
	lo, hi := int64(math.MaxInt64), int64(math.MinInt64)
	for h := range hours {
		lo, hi = min(lo, h), max(hi, h)
	}
	hc.span(lo, hi)
	for h, c := range hours {
		if old, ok := hc.get(h); !ok || c.covered >= old.covered/2 {
			hc.set(h, c)
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

// complete notes that window w was read to its end at now: the hours it
// covers are known to the extent it covers them, up to now. The part of w
// after now holds no records yet, not none: learned as empty, it would plan
// those hours, full by the next listing, into one long window.
func (t *hourTally) complete(w window, now time.Time) {
	if t.hours == nil {
		t.hours = map[int64]hourCount{}
		t.whole = map[int64]hourCount{}
	}
	if to := earlier(w.to, now); w.from.Before(to) {
		for h := unixHour(w.from); h <= unixHour(to.Add(-time.Nanosecond)); h++ {
			c := t.hours[h]
			c.records += t.open[h]
			c.covered += hourPart(h, w.from, to)
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

// discard forgets the records of the window being read, which teaches
// nothing: its hours stay uncovered.
func (t *hourTally) discard() { clear(t.open) }

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
		// sliver of a window after it. Not when it is known: the walk
		// stops before limit's hour, which may hold more than the pages
		// by itself (the whole range ahead did not fit).
		if _, known := s.estimate(s.next.Add(best), limit); !known {
			return limit.Sub(s.next), true
		}
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
