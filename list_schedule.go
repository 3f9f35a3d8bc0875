package coupang

import "time"

// schedule is the state of one All's windows: which are planned, which are
// being paged and by whom, and which the loop has read. It holds no
// goroutines, channels or locks, so that its rules can be checked by
// themselves (FuzzSchedule): the lister keeps it under its mutex and starts
// the goroutines it calls for.
//
// Windows are started in order, so the started ones are always a prefix of
// the planned ones, and the loop reads them in order, so the read ones are a
// prefix of the started ones: cur ≤ started ≤ len(windows). Every event that
// does not apply to the state it finds (finishing a window nobody pages,
// leaving a window the loop is not in) is refused and changes nothing,
// instead of indexing past what exists.
type schedule struct {
	next    time.Time // start of the next window to plan
	end     time.Time
	resume  bool // the first window continues a caller's nextToken: it is never cut
	planned bool // the windows cover the range
	// days plans windows of whole Korea days instead of seconds (the
	// return list takes dates), consecutive windows sharing their edge day.
	days bool
	// parts is how many listings one window takes, one after the other (the
	// four filters of a return sweep); 0 or 1 for one. See slots.
	parts int

	// estimate, when set, returns how many records earlier listings met
	// in a range (list_density.go), and pageSize how many a page holds:
	// a client that lists again plans windows of whole pages.
	estimate func(from, to time.Time) (float64, bool)
	pageSize int

	// coldWeeks is how many windows were planned 7 days long by a new
	// client's cold guess (the first ones): see readAheadLimit.
	coldWeeks int

	// windows are planned as they are started, each with the concurrency in
	// force then (see windowLength).
	windows []window
	state   []windowState // one per planned window

	started int  // windows [0, started) have been started
	cur     int  // the window the loop reads, or will read next
	inside  bool // the loop has entered window cur and not left it
	active  int  // windows being paged, by workers and by the loop
	stopped bool // the context ended: nothing starts any more
}

// windowState is where one window's paging stands.
type windowState uint8

const (
	windowPlanned windowState = iota // planned, nobody pages it yet
	windowWorking                    // a worker pages it
	windowWorked                     // its worker stopped, at the end or early
	windowLooping                    // the loop pages it itself
	windowLooped                     // the loop's own paging of it stopped
)

// loopStep is what the loop does with the window enter gives it.
type loopStep uint8

const (
	stepDone    loopStep = iota // the range is covered: nothing more to read
	stepStopped                 // the context ended: report it
	stepRead                    // read the pages the window's worker sends
	stepPage                    // page the window itself
)

// windowsAhead is how many windows, the loop's own included, may be started
// for each request in flight: a worker that finishes its window early takes
// the next one while the loop is still on a longer window, up to
// windowsAhead × K windows from the loop's. Memory is bounded by the
// read-ahead budget in records (list_readahead.go), not by this; it only
// bounds the windows' bookkeeping. At 1 (when memory was bounded in pages
// per window) the dense newest windows of a listing started only once the
// loop had read most of the older ones: 1.5× the floor at 1.2 s a call.
const windowsAhead = 4

// windowLength is the length of the windows All plans when k requests may
// be in flight: MaxListWindow for one at a time, else minSplitWindow, so
// that one dense week cannot hold up the listing with a long chain of
// sequential pages (measured: 7-day windows at 600 ms a call took 1.26× the
// budget floor over 30 days, 3.5-day ones 1.2×, 56-hour ones 1.14×).
//
// From slowWindowK requests in flight (round trips of ~0.73 s and more at
// 5 a second) windows are a day long: a chain of pages takes K/rate a page
// then (1.6 s at K = 8), and a 56-hour window of a dense week is a chain of
// six pages that ends seconds after the others (measured 1.5× the floor at
// 1.2 s a call over 30 days, 1.9× over 7). Not from K = 7: 600 ms answers
// measured 0.63 s now and then, which made K 7 and the windows days: +12 %
// calls over 30 days for nothing.
func windowLength(k int) time.Duration {
	switch {
	case k <= 1:
		return MaxListWindow
	case k >= slowWindowK:
		return slowWindow
	}
	return minSplitWindow
}

// slowWindowK and slowWindow: see windowLength.
const (
	slowWindowK = DefaultMaxListConcurrency
	slowWindow  = 24 * time.Hour
)

// planNext plans the window after those planned so far, with the
// concurrency k in force now; cold says that nothing has been measured yet.
// It returns false when the range is covered. Windows share their edge
// second.
func (s *schedule) planNext(k int, cold bool) bool {
	if s.planned {
		return false
	}
	if s.days {
		return s.planDays()
	}
	first := len(s.windows) == 0
	if first && s.resume {
		k = 1 // the caller's token belongs to an unsplit first window
		cold = false
	}
	rest := s.end.Sub(s.next)
	length := windowLength(k)
	if cold && k <= coldListConcurrency && rest > MaxListWindow {
		// Nothing measured yet (a new client) and more than a week to
		// go: the two windows of the cold guess are 7 days long, which
		// costs no extra call. Once the first request has waited longer
		// than the guess allows (lister.sizing), k has grown and the
		// windows follow it (a day from slowWindowK: a 7-day window is a
		// long chain of pages if Coupang is slow); the windows after the
		// first answer follow the round trip it measured.
		length = MaxListWindow
		s.coldWeeks++
	} else if cold && s.end.Sub(s.rangeStart()) <= MaxListWindow {
		length = s.blindWindow()
	}
	if !cold && !(first && s.resume) {
		if dense, ok := s.denseLength(k); ok {
			length = min(dense, rest)
			s.appendWindow(length)
			return true
		}
	}
	if rest <= length || (rest-length < min(length, minSplitWindow)/2 && rest <= MaxListWindow) {
		// The last window; rather a little longer than a sliver after it.
		length = rest
	}
	s.appendWindow(length)
	return true
}

// appendWindow plans the window of length from s.next.
func (s *schedule) appendWindow(length time.Duration) {
	w := window{s.next, s.next.Add(length)}
	s.windows = append(s.windows, w)
	s.state = append(s.state, windowPlanned)
	s.next = w.to
	s.planned = !w.to.Before(s.end)
}

// blindWindow is the length of the windows a new client plans for a
// range of a week or less before its first answer, while the round trip is
// known only to be longer than the wait so far: the range in as many windows
// as the budget sends in one slow round trip (blindRequests), none shorter
// than a day. If Coupang is slow, every one of them goes out before the
// first answer, and each is a short chain; if it is fast, the first answer
// comes back after one or two of them and the rest of the range is planned
// for the round trip it measured. An empty week costs up to five calls more
// than one request at a time (from 600 ms a call), all in its first round
// trip.
func (s *schedule) blindWindow() time.Duration {
	return max(slowWindow, s.end.Sub(s.rangeStart())/blindRequests)
}

// rangeStart is where the range starts: the first window's start (windows
// follow each other from it), or the next to plan before there is one.
func (s *schedule) rangeStart() time.Time {
	if len(s.windows) > 0 {
		return s.windows[0].from
	}
	return s.next
}

// blindRequests is how many requests the budget sends in one slow round
// trip: 5 a second for 1.2 s.
const blindRequests = 6

// planDays plans the next window of whole Korea days: dayWindow days
// from the edge day of the window before (the range's first day for the
// first), the last one ending on the range's last day. The windows hold
// the days' starts; the lister leaves out the records of their days that
// are outside the range.
func (s *schedule) planDays() bool {
	first := startOfDay(s.next)
	last := startOfDay(s.end)
	to := first.AddDate(0, 0, dayWindow-1)
	if !to.Before(last) {
		to = last
	}
	s.windows = append(s.windows, window{first, to})
	s.state = append(s.state, windowPlanned)
	s.next = to
	s.planned = !to.Before(last)
	return true
}

// dayWindow is how many days one window of days covers, its edge day
// shared with the next: 7, as the exchanges' windows.
const dayWindow = 7

// startOfDay is the start of t's day in Korea time.
func startOfDay(t time.Time) time.Time {
	y, m, d := t.In(kst).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, kst)
}

// slots is how many windows may be paged at once when k requests should
// be in flight: k, or, for windows of several listings (a return sweep), k
// × the listings. Such a window is a chain of requests that many times
// longer, and with only k of them the last windows would run alone at the
// end, one request at a time; more windows only wait longer in the
// client's limiter, which still bounds the rate.
func (s *schedule) slots(k int) int {
	if k > 1 && s.parts > 1 {
		return k * s.parts
	}
	return k
}

// startWorker hands the next window to a new worker, planning it if need
// be, while fewer than slots(k) windows are being paged and none more than
// windowsAhead × slots(k) windows ahead of the loop's. When k is 1 no
// worker starts: the loop pages every window itself, a page only when it
// needs one, exactly as one request at a time. Nothing starts once
// the context ended.
func (s *schedule) startWorker(k int, cold bool) (int, bool) {
	i := s.started
	n := s.slots(k)
	if s.stopped || k <= 1 || s.active >= n || i >= s.cur+windowsAhead*n {
		return 0, false
	}
	if i >= len(s.windows) && !s.planNext(k, cold) {
		return 0, false
	}
	s.state[i] = windowWorking
	s.started++
	s.active++
	return i, true
}

// enter moves the loop into its next window and says what to do with it: a
// window a worker has started is read from the worker; one nobody started
// (the lister offers it to a worker first when k > 1) is paged by the loop.
// Once the context ended the loop only reports it, whatever was fetched.
func (s *schedule) enter(k int, cold bool) (int, loopStep) {
	i := s.cur
	switch {
	case s.inside:
		return i, stepStopped // entered twice: the lister never does this
	case s.stopped:
		return i, stepStopped
	case i >= len(s.windows) && !s.planNext(k, cold):
		return i, stepDone
	}
	s.inside = true
	if i < s.started {
		return i, stepRead
	}
	s.state[i] = windowLooping
	s.started++
	s.active++
	return i, stepPage
}

// finish notes that the paging of window i stopped, complete or not; false
// if nobody was paging it.
func (s *schedule) finish(i int) bool {
	if i < 0 || i >= len(s.state) {
		return false
	}
	switch s.state[i] {
	case windowWorking:
		s.state[i] = windowWorked
	case windowLooping:
		s.state[i] = windowLooped
	default:
		return false
	}
	s.active--
	return true
}

// leave notes that the loop read window i to its end and goes on to the
// next; false unless the loop is in window i and its paging stopped.
func (s *schedule) leave(i int) bool {
	if !s.inside || i != s.cur || (s.state[i] != windowWorked && s.state[i] != windowLooped) {
		return false
	}
	s.inside = false
	s.cur++
	return true
}

// stop notes that the context ended: no window starts any more, and the
// loop's next enter reports it.
func (s *schedule) stop() { s.stopped = true }
