package coupang

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// densityAt is a fixed hour to count from, in Korea time like Coupang's.
var densityAt = time.Date(2026, 3, 1, 0, 0, 0, 0, kst)

func TestDensityMemoryEstimate(t *testing.T) {
	m := &densityMemory{}
	h0 := unixHour(densityAt)
	m.learn("f", map[int64]hourCount{
		h0:     {records: 60, covered: time.Hour},
		h0 + 1: {records: 10, covered: 30 * time.Minute}, // an edge hour, seen in half: 20 an hour
		h0 + 3: {records: 0, covered: time.Hour},
	})
	at := func(min int) time.Time { return densityAt.Add(time.Duration(min) * time.Minute) }
	for _, tt := range []struct {
		name     string
		filters  string
		from, to time.Time
		want     float64
		ok       bool
	}{
		{"a whole hour", "f", at(0), at(60), 60, true},
		{"part of an hour, in proportion", "f", at(15), at(45), 30, true},
		{"an hour seen in part counts at its rate", "f", at(60), at(120), 20, true},
		{"across hours", "f", at(30), at(90), 30 + 10, true},
		{"an hour never listed", "f", at(0), at(150), 0, false},
		{"an empty hour is known", "f", at(180), at(240), 0, true},
		{"other filters know nothing", "g", at(0), at(60), 0, false},
		{"an empty range", "f", at(60), at(60), 0, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			n, ok := m.estimate(tt.filters, tt.from, tt.to)
			assert.Equal(t, tt.ok, ok)
			assert.InDelta(t, tt.want, n, 1e-9)
		})
	}
	var none *densityMemory
	_, ok := none.estimate("f", at(0), at(60))
	assert.False(t, ok, "a nil memory knows nothing")
}

func TestDensityMemoryKeepsTheWiderCount(t *testing.T) {
	m := &densityMemory{}
	h := unixHour(densityAt)
	m.learn("f", map[int64]hourCount{h: {records: 60, covered: time.Hour}})
	// A later range that only clips the hour does not replace what a
	// whole hour showed.
	m.learn("f", map[int64]hourCount{h: {records: 0, covered: time.Minute}})
	n, ok := m.estimate("f", densityAt, densityAt.Add(time.Hour))
	require.True(t, ok)
	assert.InDelta(t, 60, n, 1e-9)
	// One that saw the hour whole again does.
	m.learn("f", map[int64]hourCount{h: {records: 90, covered: time.Hour}})
	n, _ = m.estimate("f", densityAt, densityAt.Add(time.Hour))
	assert.InDelta(t, 90, n, 1e-9)
}

func TestDensityMemoryIsBounded(t *testing.T) {
	m := &densityMemory{}
	h := unixHour(densityAt)
	hours := map[int64]hourCount{}
	for i := range int64(densityHours + 100) {
		hours[h+i] = hourCount{records: 1, covered: time.Hour}
	}
	m.learn("f", hours)
	assert.Equal(t, densityHours, m.filters["f"].known(), "the oldest hours are forgotten")
	assert.Len(t, m.filters["f"].hours, densityHours)
	_, ok := m.estimate("f", densityAt, densityAt.Add(time.Hour))
	assert.False(t, ok)

	for i := range densityFilters + 3 {
		m.learn(fmt.Sprint(i), map[int64]hourCount{h: {records: 1, covered: time.Hour}})
	}
	assert.Len(t, m.filters, densityFilters)
	_, ok = m.estimate(fmt.Sprint(densityFilters+2), densityAt, densityAt.Add(time.Hour))
	assert.True(t, ok, "the filters used last are kept")
	_, ok = m.estimate("f", densityAt.Add(200*time.Hour), densityAt.Add(201*time.Hour))
	assert.False(t, ok, "the filters used longest ago went first")
}

// TestHourTally: the hours the windows read to their end cover whole go to
// the memory; the hours at the range's ends, covered in part, go only once
// the listing read its range to the end; a window the loop did not finish
// teaches nothing.
func TestHourTally(t *testing.T) {
	at := func(min int) time.Time { return densityAt.Add(time.Duration(min) * time.Minute) }
	h0 := unixHour(densityAt)
	var tally hourTally
	w1 := window{at(30), at(90)}  // half of hour 0, half of hour 1
	w2 := window{at(90), at(200)} // the rest of hour 1, hour 2, part of hour 3
	tally.add(w1, at(40))
	tally.add(w1, at(70))
	tally.add(w1, at(90)) // on w1's end second: w2 counts it
	tally.complete(w1, at(1000))
	assert.Empty(t, tally.take(false), "no hour covered whole yet")

	tally.add(w2, at(90))
	tally.add(w2, at(100))
	tally.add(w2, at(150))
	tally.add(w2, at(250)) // outside w2: not counted
	tally.complete(w2, at(1000))
	assert.Equal(t, map[int64]hourCount{
		h0 + 1: {records: 3, covered: time.Hour},
		h0 + 2: {records: 1, covered: time.Hour},
	}, tally.take(false))

	tally.add(window{at(200), at(300)}, at(220)) // never completed
	assert.Equal(t, map[int64]hourCount{
		h0:     {records: 1, covered: 30 * time.Minute},
		h0 + 3: {records: 0, covered: 20 * time.Minute},
	}, tally.take(true))
	assert.Empty(t, tally.take(true))
}

// TestDenseLength: with the memory's counts, windows hold whole pages up to
// densityPages(k); what the memory does not know falls back to the fixed
// lengths.
func TestDenseLength(t *testing.T) {
	hour := time.Hour
	// perHour gives records per hour for hours after densityAt; a
	// negative count is an hour never listed.
	est := func(perHour func(h int) int) func(from, to time.Time) (float64, bool) {
		return func(from, to time.Time) (float64, bool) {
			var n float64
			for h := unixHour(from); h <= unixHour(to.Add(-time.Nanosecond)); h++ {
				c := perHour(int(h - unixHour(densityAt)))
				if c < 0 {
					return 0, false
				}
				n += float64(c) * hourPart(h, from, to).Hours()
			}
			return n, true
		}
	}
	flat := func(n int) func(int) int { return func(int) int { return n } }
	for _, tt := range []struct {
		name    string
		perHour func(int) int
		next    time.Duration // the window's start after densityAt
		span    time.Duration // the range's length from densityAt
		k       int
		want    time.Duration
		ok      bool
	}{
		{"slow: three pages", flat(10), 0, 30 * 24 * hour, 8, 15 * hour, true},
		{"faster: four pages", flat(10), 0, 30 * 24 * hour, 4, 20 * hour, true},
		{"one at a time: not used", flat(10), 0, 30 * 24 * hour, 1, 0, false},
		{"sparse: a week at most", flat(0), 0, 30 * 24 * hour, 8, MaxListWindow, true},
		{"the rest fits: one window", flat(10), 0, 10 * hour, 8, 10 * hour, true},
		{"from the middle of an hour", flat(10), 30 * time.Minute, 30 * 24 * hour, 8, 14*hour + 30*time.Minute, true},
		{"a dense hour is a window of its own", flat(400), 0, 30 * 24 * hour, 8, hour, true},
		{"the first hour unknown: fall back", func(h int) int { return map[bool]int{true: -1, false: 10}[h == 0] }, 0, 30 * 24 * hour, 8, 0, false},
		{"unknown further on: stop before it", func(h int) int { return map[bool]int{true: -1, false: 10}[h >= 6] }, 0, 30 * 24 * hour, 8, 6 * hour, true},
		{"a short unknown tail joins the window", func(h int) int { return map[bool]int{true: -1, false: 1}[h >= 20] }, 0, 20*hour + 40*time.Minute, 8, 20*hour + 40*time.Minute, true},
		{"a known tail is a window of its own", flat(10), 0, 20 * hour, 8, 15 * hour, true},
		{"a sparse week's dense last hour is left to the next window", func(h int) int { return map[bool]int{true: 1000, false: 0}[h == 167] }, 0, 30 * 24 * hour, 8, 167 * hour, true},
		{"a sparse week's dense last part hour too", func(h int) int { return map[bool]int{true: 1000, false: 0}[h == 168] }, 30 * time.Minute, 30 * 24 * hour, 8, 167*hour + 30*time.Minute, true},
		{"a dense last hour that ends the range too", func(h int) int { return map[bool]int{true: 1000, false: 0}[h == 167] }, 0, 168 * hour, 8, 167 * hour, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := &schedule{next: densityAt.Add(tt.next), end: densityAt.Add(tt.span), estimate: est(tt.perHour), pageSize: 50}
			got, ok := s.denseLength(tt.k)
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestBlindWindows: before its first answer a new client cuts a range of a
// week or less in six (what the budget sends in a slow round trip), none
// shorter than a day, however long it has waited; longer ranges keep the
// cold guess's 7-day windows, then the lengths of the K the wait reached.
func TestBlindWindows(t *testing.T) {
	for _, tt := range []struct {
		name string
		span time.Duration
		k    int
		want []time.Duration
	}{
		{"a week", 7 * 24 * time.Hour, 4, []time.Duration{28 * time.Hour, 28 * time.Hour, 28 * time.Hour}},
		{"a week, a long wait already", 7 * 24 * time.Hour, 8, []time.Duration{28 * time.Hour, 28 * time.Hour, 28 * time.Hour}},
		{"ten days: the cold guess, then K's", 10 * 24 * time.Hour, 4, []time.Duration{minSplitWindow, minSplitWindow}},
		{"three days: days", 3 * 24 * time.Hour, 4, []time.Duration{24 * time.Hour, 24 * time.Hour, 24 * time.Hour}},
		{"a day", 24 * time.Hour, 2, []time.Duration{24 * time.Hour}},
		{"a month, cold guess", 30 * 24 * time.Hour, coldListConcurrency, []time.Duration{MaxListWindow, MaxListWindow}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := &schedule{next: densityAt, end: densityAt.Add(tt.span)}
			var got []time.Duration
			for range tt.want {
				if !s.planNext(tt.k, true) {
					break
				}
				w := s.windows[len(s.windows)-1]
				got = append(got, w.to.Sub(w.from))
			}
			assert.Equal(t, tt.want, got)
		})
	}
	// Measured, a client plans for its round trip as before.
	s := &schedule{next: densityAt, end: densityAt.Add(7 * 24 * time.Hour)}
	require.True(t, s.planNext(4, false))
	assert.Equal(t, minSplitWindow, s.windows[0].to.Sub(s.windows[0].from))
}

// TestDensityMemoryRunGrowsBothWays: the hours are kept as one run, which
// grows towards newer hours and, for a listing of an older range, towards
// older ones, keeping what it held; a gap between two ranges stays unknown.
func TestDensityMemoryRunGrowsBothWays(t *testing.T) {
	m := &densityMemory{}
	h := unixHour(densityAt)
	one := func(at int64, n int32) map[int64]hourCount {
		return map[int64]hourCount{at: {records: n, covered: time.Hour}}
	}
	m.learn("f", one(h+10, 7))
	m.learn("f", one(h+20, 9)) // newer
	m.learn("f", one(h, 5))    // older
	hour := func(i int64) time.Time { return densityAt.Add(time.Duration(i) * time.Hour) }
	for _, tt := range []struct {
		at   int64
		want float64
		ok   bool
	}{{0, 5, true}, {10, 7, true}, {20, 9, true}, {15, 0, false}, {21, 0, false}, {-1, 0, false}} {
		n, ok := m.estimate("f", hour(tt.at), hour(tt.at+1))
		assert.Equal(t, tt.ok, ok, "hour %d", tt.at)
		assert.InDelta(t, tt.want, n, 1e-9, "hour %d", tt.at)
	}
	assert.Len(t, m.filters["f"].hours, 21, "one run from the oldest hour to the newest")
	// An hour older than the two months kept is not made room for.
	m.learn("f", one(h+20-densityHours, 1))
	_, ok := m.estimate("f", hour(20-densityHours), hour(21-densityHours))
	assert.False(t, ok)
	assert.LessOrEqual(t, len(m.filters["f"].hours), densityHours)
}

// stamped is a record of stampedSource: an id and its creation time.
type stamped struct {
	id int64
	at time.Time
}

// stampedSource lists recs (oldest first) in pages of pageSize, the token
// being the offset of the page in its window, and remembers their density
// in mem.
func stampedSource(recs []stamped, pageSize int, mem *densityMemory) listSource[stamped] {
	return listSource[stamped]{
		what:  "records",
		parts: 1,
		list: func(_ context.Context, w window, _ int, token string) (recordPage[stamped], error) {
			var in []stamped
			for _, r := range recs {
				if !r.at.Before(w.from) && !r.at.After(w.to) {
					in = append(in, r)
				}
			}
			off := 0
			if token != "" {
				_, _ = fmt.Sscan(token, &off)
			}
			end := min(off+pageSize, len(in))
			page := recordPage[stamped]{items: in[min(off, end):end]}
			if end < len(in) {
				page.next = fmt.Sprint(end)
			}
			return page, nil
		},
		key:      func(r *stamped) (int64, time.Time) { return r.id, r.at },
		density:  mem,
		filters:  "f",
		pageSize: pageSize,
	}
}

// TestDensityResumedWindowIsNotLearned: a listing resumed from a caller's
// nextToken skipped its first window's first pages, so that window's count
// is short: it is not learned. The memory learned a week of 1,008 records
// as the last page's 8, and the next listing planned that week as one
// window, a chain of 101 pages.
func TestDensityResumedWindowIsNotLearned(t *testing.T) {
	week := window{densityAt, densityAt.Add(MaxListWindow)}
	var recs []stamped
	for at, id := week.from, int64(1); at.Before(week.to); at, id = at.Add(10*time.Minute), id+1 {
		recs = append(recs, stamped{id, at})
	}
	for _, tt := range []struct {
		name   string
		token  string
		yields int
		known  bool
	}{
		{"from the start: the week is learned", "", len(recs), true},
		{"resumed at the last page: nothing is learned", "1000", len(recs) - 1000, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, err := NewClient("ak", "sk", "A00012345", WithRateLimit(0), WithListConcurrency(8))
			require.NoError(t, err)
			mem := &densityMemory{}
			sched := schedule{next: week.from, end: week.to, resume: tt.token != ""}
			l := newLister(stampedSource(recs, 10, mem), c, &roundTrips{}, sched, tt.token)
			n := 0
			l.run(t.Context(), func(_ stamped, err error) bool {
				require.NoError(t, err)
				n++
				return true
			})
			require.Equal(t, tt.yields, n)
			got, ok := mem.estimate("f", week.from, week.to)
			assert.Equal(t, tt.known, ok, "the week is known, with %v records", got)
			if tt.known {
				assert.InDelta(t, float64(len(recs)), got, 1e-9)
			}
		})
	}
}

// TestDensityFutureHoursAreNotLearned: the hours of a range that had not
// come yet when the listing read them hold no records so far, not none at
// all: they are not learned. A listing to the end of today learned the
// rest of the day as empty, and the next day's listing planned those hours,
// by then full, into one long window.
func TestDensityFutureHoursAreNotLearned(t *testing.T) {
	hour := time.Now().Truncate(time.Hour)
	from, to := hour.Add(-24*time.Hour), hour.Add(48*time.Hour)
	var recs []stamped
	for at, id := from, int64(1); at.Before(hour); at, id = at.Add(10*time.Minute), id+1 {
		recs = append(recs, stamped{id, at})
	}
	c, err := NewClient("ak", "sk", "A00012345", WithRateLimit(0), WithListConcurrency(8))
	require.NoError(t, err)
	mem := &densityMemory{}
	l := newLister(stampedSource(recs, 10, mem), c, &roundTrips{}, schedule{next: from, end: to}, "")
	n := 0
	l.run(t.Context(), func(_ stamped, err error) bool {
		require.NoError(t, err)
		n++
		return true
	})
	require.Equal(t, len(recs), n)
	for _, tt := range []struct {
		name     string
		from, to time.Time
		want     float64
		known    bool
	}{
		{"the past day is learned", from, hour, float64(len(recs)), true},
		{"an hour to come is not", hour.Add(2 * time.Hour), hour.Add(3 * time.Hour), 0, false},
		{"the range's last hour is not", to.Add(-time.Hour), to, 0, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := mem.estimate("f", tt.from, tt.to)
			assert.Equal(t, tt.known, ok, "known, with %v records", got)
			assert.InDelta(t, tt.want, got, 1e-9)
		})
	}
}

// TestDensityMemoryFarRangeAllocatesTwoMonths: learning hours far from those
// kept (here fifty years later) allocates the two months kept, not the gap
// between them (3.5 MB at 8 bytes an hour).
func TestDensityMemoryFarRangeAllocatesTwoMonths(t *testing.T) {
	for _, tt := range []struct {
		name string
		gap  int64
	}{{"later", 50 * 365 * 24}, {"earlier", -50 * 365 * 24}} {
		t.Run(tt.name, func(t *testing.T) {
			m := &densityMemory{}
			h := unixHour(densityAt)
			m.learn("f", map[int64]hourCount{h: {records: 1, covered: time.Hour}})
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			m.learn("f", map[int64]hourCount{h + tt.gap: {records: 2, covered: time.Hour}})
			runtime.ReadMemStats(&after)
			assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(1<<20), "bytes allocated")
			assert.LessOrEqual(t, len(m.filters["f"].hours), densityHours)
			n, ok := m.estimate("f", densityAt.Add(time.Duration(tt.gap)*time.Hour), densityAt.Add(time.Duration(tt.gap+1)*time.Hour))
			if tt.gap > 0 {
				assert.True(t, ok, "the newer hour is kept")
				assert.InDelta(t, 2, n, 1e-9)
			} else {
				assert.False(t, ok, "an hour older than the two months kept is not")
			}
		})
	}
}
