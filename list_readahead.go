package coupang

import (
	"math"
	"time"
)

// The read-ahead of All is bounded in records, not in pages per window: the
// records of the pages fetched but not yet yielded, and MaxPageSize for each
// request on its way, may not exceed readAheadLimit. A page count per window
// let the memory grow with the density of the range (K windows × 13 pages of
// 50 is 5,200 exchanges, ~35 MB at K = 8, when every window is dense; a
// handful of pages when the range is sparse); a budget in records costs the
// same whatever the range holds.
//
// The loop's own window is never starved: it may always have up to
// loopWindowPages pages' worth of records fetched or on their way, budget or
// not, because the pages that fill the budget belong to later windows and
// are released only once the loop reaches them. The overshoot that allows is
// bounded too: loopWindowPages pages.

// loopWindowPages is how many pages' worth of records the window the loop
// reads may always hold, budget or not: the page the loop yields and the
// next one on its way.
const loopWindowPages = 2

// readAheadLimit is the read-ahead bound in records when k requests may be
// in flight: a page's worth (MaxPageSize) for each window paged at once
// (schedule.slots(k), a request on its way in each) and one more for each
// of the k requests, decoded and waiting for the loop; plus what the budget
// of rate requests a second brings in over readAheadRoundTrips round trips
// of rtt, so that while the loop waits for its window's last pages the
// other windows' answers still have room. None of it depends on how dense
// the range is: 8 × 50 records at K = 4 on fast answers, 52 × 50 at K = 8
// and 1.2 s.
//
// For a window of several listings (the four filters of a return sweep) the
// round-trip term counts once per listing: the newest week of a sweep is
// the critical chain (24 requests at 300 ms) and is listed first but read
// last, so its pages wait for the loop while the older windows go on; with
// the term once, the chain stalled on the budget until the loop reached it
// (1.08–1.21× the floor in a simulation of BenchmarkAllSlowAnswers' sweep,
// 1.00–1.02× with the term per listing). On fast answers the term is one
// page a listing (4 pages for a sweep at 20 ms, BenchmarkAllReadAheadHeap).
//
// Measured: 2 pages a window paged at once held the peak heap flat for
// exchanges but not for the return sweep (16 windows at K = 4: 1.37–1.57×
// for 10× the returns), 4 raised both (1.64×, 2.0×); K pages alone (16 at
// K = 8) stalled a listing at 1.2 s a call (the windows ahead filled the
// budget while the loop's window was paged alone: 1.9–2.8× the floor).
//
// Until the loop has left the 7-day windows of a new client's cold guess
// (schedule.coldWeeks), the budget is at least coldWeekPages pages for each:
// such a window is a chain of ~10 pages the loop pages one after the other,
// and a budget sized for the K measured after it (2 pages at K = 1, 11 at
// 300 ms) stalled the windows after it until the loop got there (100 and
// 300 ms answers, 5–7 % slower than main, which let each window read 12
// pages ahead). The floor is a constant (2 × 13 pages), not the density's.
func (s *schedule) readAheadLimit(k int, rate float64, rtt time.Duration) int {
	pages := s.slots(k) + k
	if k > 1 {
		pages += int(math.Ceil(rate*rtt.Seconds()*readAheadRoundTrips)) * max(s.parts, 1)
	}
	if s.cur < s.coldWeeks {
		pages = max(pages, s.coldWeeks*coldWeekPages)
	}
	return pages * MaxPageSize
}

// coldWeekPages: see readAheadLimit; main's bound per window (12 pages
// buffered and the page its worker held).
const coldWeekPages = 13

// readAheadRoundTrips: see readAheadLimit.
const readAheadRoundTrips = 3

// readAhead is the account of the records All holds ahead of the loop:
// reserved for requests on their way (MaxPageSize each) or decoded and not
// yet yielded. The lister keeps it under its mutex.
type readAhead struct {
	used int         // every window's records
	held map[int]int // per window
	// wake is closed, and replaced, whenever records are released or the
	// loop moves to another window: a worker waiting for room looks again.
	wake chan struct{}
}

// mayReserve reports whether window i may reserve n more records, the loop
// being in window cur and the budget limit records.
func (r *readAhead) mayReserve(i, cur, n, limit int) bool {
	if i == cur && r.held[i]+n <= loopWindowPages*MaxPageSize {
		return true
	}
	return r.used+n <= limit
}

// add counts n more records (negative: fewer) for window i, and wakes the
// waiting workers when it frees room.
func (r *readAhead) add(i, n int) {
	if r.held == nil {
		r.held = map[int]int{}
	}
	r.used += n
	r.held[i] += n
	if r.held[i] == 0 {
		delete(r.held, i)
	}
	if n < 0 {
		r.notify()
	}
}

// notify wakes every worker waiting for room.
func (r *readAhead) notify() {
	if r.wake != nil {
		close(r.wake)
		r.wake = nil
	}
}

// waiter is the channel closed at the next release.
func (r *readAhead) waiter() chan struct{} {
	if r.wake == nil {
		r.wake = make(chan struct{})
	}
	return r.wake
}
