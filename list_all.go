package coupang

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"time"
)

// The listing engine of All, generic over the kind of record (exchanges,
// returns): a range cut into windows, several windows' requests in flight
// under the client's budget, records yielded oldest first and each once.
// Each service's All (exchange_all.go, return_all.go) describes its records
// to it with a listSource.

// listSource describes one kind of record to the scheduler of All (the
// lister): how to fetch a page of a window, how windows are cut, and how
// records are told apart.
type listSource[R any] struct {
	// what names the records in errors: "exchanges".
	what string
	// list fetches one page of listing part (0 ≤ part < parts) of window w,
	// continuing at token ("" for its first page). A page whose records
	// could not all be decoded comes with a *PageError.
	list func(ctx context.Context, w window, part int, token string) (recordPage[R], error)
	// parts is how many listings one window takes, one after the other:
	// 1, or the four status filters of a return sweep.
	parts int
	// key returns a record's id and creation time.
	key func(*R) (int64, time.Time)
	// days: the windows are whole Korea days (the return list takes dates,
	// not times), sharing their edge day (schedule.days), and records
	// outside [from, to] of the lister are left out. Otherwise windows are
	// cut to the second, sharing their edge second.
	days bool
	// dedupe yields each id once per window: a return sweep meets one
	// receipt under several filters.
	dedupe bool
	// density remembers the records per hour the client's listings met,
	// under filters (the source's list filters other than the range); nil
	// for none. pageSize is the records a full page holds. See
	// list_density.go.
	density  *densityMemory
	filters  string
	pageSize int
	// chainFirst orders the lister's requests before the client's limiter,
	// the longest known chain of pages first (list_gate.go): for a return
	// sweep, whose newest week is a chain of ~24 requests. Exchanges keep
	// the limiter's order: with it they measured slower (see list_gate.go).
	chainFirst bool
}

// recordPage is one page as the scheduler passes it on: the records, a
// RecordError for each record that could not be decoded, and the token of
// the next page.
type recordPage[R any] struct {
	items []R
	bad   []*RecordError
	next  string
}

// minSplitWindow is the length of the windows All plans when it keeps
// several requests in flight: a week in three. Each window ends with a
// partial page; at 2,000 exchanges a month, windows of 3.5 days cost no extra
// call, 2 days about 5 % and 1 day about 40 %.
const minSplitWindow = 56 * time.Hour

// window is one createdAt range that one List paging covers.
type window struct{ from, to time.Time }

// lister is one iteration of All: the windows to list and their workers.
type lister[R any] struct {
	src listSource[R]
	c   *Client     // the call's client, for its concurrency settings
	rt  *roundTrips // the service's measured round trips
	// firstToken resumes the first listing of the first window.
	firstToken string
	// from and to bound the records yielded, for windows of days
	// (listSource.days): the range the caller asked for.
	from, to time.Time

	// mu guards sched and feeds: the loop and the workers that finish
	// early both start windows. Only the small methods below hold it, each
	// with a deferred unlock, never across a request, a send or a yield.
	mu    sync.Mutex
	sched schedule
	feeds map[int]*windowFeed[R] // the workers' windows the loop has not read yet
	ahead readAhead              // the records fetched or on their way, not yet yielded
	// gate orders the lister's requests before the client's limiter:
	// the longest known chain of pages first (list_gate.go).
	gate listGate
	// tally counts the records of the windows the loop reads, for the
	// source's density memory. Only the loop touches it.
	tally hourTally
	// firstSent is when the first request went out (see sizing).
	firstSent time.Time
	wg        sync.WaitGroup // the workers
}

// newLister is one iteration of All over src, with sched holding the range
// (its windows not planned yet) and firstToken the caller's nextToken, if
// any. A source of several listings a window has that many times more
// windows in flight (schedule.parts); one of days plans windows of days.
func newLister[R any](src listSource[R], c *Client, rt *roundTrips, sched schedule, firstToken string) *lister[R] {
	sched.parts = src.parts
	sched.days = src.days
	if src.density != nil && !src.days {
		sched.estimate = func(from, to time.Time) (float64, bool) { return src.density.estimate(src.filters, from, to) }
		sched.pageSize = src.pageSize
	}
	return &lister[R]{
		src: src, c: c, rt: rt, firstToken: firstToken,
		from: sched.next, to: sched.end,
		sched: sched,
		feeds: map[int]*windowFeed[R]{},
		gate:  listGate{noPreempt: c == nil || !givesSlotsBack(c.limiter)},
	}
}

// cold reports whether K is automatic and no list call of the client has
// been answered yet.
func (l *lister[R]) cold() bool {
	if l.rt == nil || l.c == nil || l.c.listConcurrency > 0 {
		return false
	}
	_, measured := l.rt.estimate()
	return !measured
}

// pagesAhead is how many pages a worker's feed holds before the worker waits
// for the loop to read them, for a source whose requests keep the limiter's
// order. Memory is bounded by the read-ahead budget in records
// (list_readahead.go), whatever the density; this bound is kept because the
// exchange listings measured slower without it (30 days at 1.2 s a call,
// 1.13–1.28× the floor against 1.07–1.23× with it, three alternated runs; in
// a simulation without CPU load the two were equal). A source whose chains
// go first (listSource.chainFirst) has none: a return sweep's newest week,
// its critical chain of 24 requests, is listed first and read last, and
// stalled once it held 12 pages, seconds before the loop reached it.
const pagesAhead = 12

// windowFeed carries the pages of one window from its worker to the loop.
type windowFeed[R any] struct {
	limit int // pages held before put waits; 0 for none
	mu    sync.Mutex
	pages []recordPage[R]
	done  bool  // the worker stopped
	err   error // why it stopped early, nil when the window is complete
	// ready holds a signal when pages or done changed since the loop
	// last looked; room one when the loop took a page.
	ready, room chan struct{}
}

func newWindowFeed[R any](limit int) *windowFeed[R] {
	return &windowFeed[R]{limit: limit, ready: make(chan struct{}, 1), room: make(chan struct{}, 1)}
}

// put hands the loop one page, once the feed has room for it, or returns
// ctx's error when ctx ends first.
func (f *windowFeed[R]) put(ctx context.Context, page recordPage[R]) error {
	for {
		f.mu.Lock()
		if f.limit == 0 || len(f.pages) < f.limit {
			f.pages = append(f.pages, page)
			f.mu.Unlock()
			signal(f.ready)
			return nil
		}
		f.mu.Unlock()
		select {
		case <-f.room:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// close says the worker stopped, early with err.
func (f *windowFeed[R]) close(err error) {
	f.mu.Lock()
	f.done, f.err = true, err
	f.mu.Unlock()
	signal(f.ready)
}

// signal leaves a signal in c unless one is there already.
func signal(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

// take returns the next page (ok), or whether the worker stopped and why.
func (f *windowFeed[R]) take() (page recordPage[R], ok, done bool, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.pages) > 0 {
		page = f.pages[0]
		f.pages[0] = recordPage[R]{}
		f.pages = f.pages[1:]
		signal(f.room)
		return page, true, false, nil
	}
	return page, false, f.done, f.err
}

// run pages the windows with up to K workers and yields their records in
// window order. It returns only after every worker has stopped.
//
// A window no worker has started when the loop reaches it (K is 1: calls
// are fast) is paged by the loop itself, a page only when the loop needs
// it, exactly as one request at a time.
//
// Once parent ends, run yields its error (see contextError) once, in place
// of whatever would come next — a record, a page, a window, another error —
// and returns: it checks before each record, and while it waits for a
// worker's page it also waits for parent.
func (l *lister[R]) run(parent context.Context, yield func(R, error) bool) {
	ctx, cancel := context.WithCancel(parent)
	defer func() {
		cancel() // stops the workers' requests in flight and their sends
		l.wg.Wait()
	}()
	if l.cold() {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			l.coldWatch(ctx)
		}()
	}
	var edgeIDs map[int64]bool // ids seen at the previous window's edge
	var zero R
	for {
		i, w, step, feed := l.enter(ctx)
		st := &yieldState{edge: edgeIDs, nextEdge: map[int64]bool{}}
		if l.src.dedupe {
			st.seen = map[int64]bool{}
		}
		var cut error // why the loop stopped in the middle of a page
		guarded := func(rec R, err error) bool {
			if ctx.Err() != nil {
				cut = l.contextError(parent)
				return false
			}
			if !yield(rec, err) {
				cut = errStopped
				return false
			}
			return true
		}
		each := func(page recordPage[R]) error {
			if ctx.Err() != nil {
				return l.contextError(parent)
			}
			if !l.yieldPage(page, w, st, guarded) {
				return cut
			}
			l.release(i, len(page.items)+len(page.bad))
			// The first answers measure the round trip: start the
			// windows a slower Coupang calls for.
			l.startMore(ctx)
			return nil
		}
		var err error
		switch step {
		case stepDone:
			if l.src.density != nil {
				l.src.density.learn(l.src.filters, l.tally.take(true))
			}
			return
		case stepStopped:
			err = l.contextError(parent)
		case stepRead:
			err = l.read(ctx, feed, each)
		case stepPage:
			err = l.pageWindow(ctx, i, w, each)
			l.finished(ctx, i)
		}
		if err == errStopped {
			return
		}
		if err != nil {
			if ctx.Err() != nil {
				// However the window noticed (a cancelled request, a
				// worker's send), the caller's context ended.
				err = l.contextError(parent)
			}
			yield(zero, err)
			return
		}
		l.leave(i)
		if l.src.density != nil {
			if i == 0 && l.firstToken != "" {
				// The caller's token skipped the window's first pages:
				// its count is short, and would plan it as sparse.
				l.tally.discard()
			} else {
				l.tally.complete(w, time.Now())
			}
			l.src.density.learn(l.src.filters, l.tally.take(false))
		}
		edgeIDs = st.nextEdge
	}
}

// errStopped tells pageWindow that the loop stopped.
var errStopped = errors.New("coupang: the loop stopped")

// contextError is what All yields when ctx ended: it matches ctx.Err()
// (context.Canceled or context.DeadlineExceeded) and, when the context was
// given another cause, that cause too.
func (l *lister[R]) contextError(ctx context.Context) error {
	return endedError("listing "+l.src.what, ctx)
}

// endedError says that what stopped because ctx ended, matching ctx.Err()
// and ctx's cause.
func endedError(what string, ctx context.Context) error {
	err := ctx.Err()
	if err == nil {
		err = context.Canceled // not reached: callers check ctx.Err first
	}
	if cause := context.Cause(ctx); cause != nil && cause != err {
		return fmt.Errorf("coupang: %s: %w (%w)", what, err, cause)
	}
	return fmt.Errorf("coupang: %s: %w", what, err)
}

// enter moves the loop into its next window, after offering it to a
// worker when K > 1. It returns the window, what to do with it, and the
// worker's feed (stepRead).
func (l *lister[R]) enter(ctx context.Context) (int, window, loopStep, *windowFeed[R]) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.startLocked(ctx)
	k, cold := l.sizing()
	i, step := l.sched.enter(k, cold)
	switch step {
	case stepRead:
		return i, l.sched.windows[i], step, l.feeds[i]
	case stepPage:
		return i, l.sched.windows[i], step, nil
	}
	return i, window{}, step, nil
}

// read hands the pages of a worker's window to each, and says why the
// window ended early (nil when it is complete). It waits for a page or for
// ctx, whichever comes first.
func (l *lister[R]) read(ctx context.Context, feed *windowFeed[R], each func(recordPage[R]) error) error {
	if feed == nil {
		// Not reached: the schedule reads only windows a worker started,
		// and a worker's feed is kept until the loop leaves its window.
		return fmt.Errorf("coupang: listing %s: internal error: a started window has no pages", l.src.what)
	}
	for {
		page, ok, done, err := feed.take()
		switch {
		case ok:
			if err := each(page); err != nil {
				return err
			}
			continue
		case done:
			return err
		}
		select {
		case <-feed.ready:
		case <-ctx.Done():
			return l.contextError(ctx)
		}
	}
}

// leave notes that the loop read window i to its end, and lets its pages go.
// The workers waiting for room look again: the next window may now exceed
// the budget (loopWindowPages).
func (l *lister[R]) leave(i int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sched.leave(i)
	delete(l.feeds, i)
	l.gate.forget(i)
	l.ahead.notify()
}

// reserve waits until window i may have one more page on its way (the
// read-ahead budget, list_readahead.go), or ctx ends.
func (l *lister[R]) reserve(ctx context.Context, i int) error {
	for {
		wake := l.tryReserve(i)
		if wake == nil {
			return nil
		}
		select {
		case <-wake:
		case <-ctx.Done():
			return l.contextError(ctx)
		}
	}
}

// tryReserve reserves MaxPageSize records for a request of window i and
// returns nil, or returns the channel closed when there may be room.
func (l *lister[R]) tryReserve(i int) chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	k, _ := l.sizing()
	if l.ahead.mayReserve(i, l.sched.cur, MaxPageSize, l.readAheadLimit(k)) {
		l.ahead.add(i, MaxPageSize)
		return nil
	}
	return l.ahead.waiter()
}

// readAheadLimit is the read-ahead budget in records for K = k, with the
// client's rate (Coupang's budget when unpaced) and the round trip measured
// so far (none while nothing is). l.mu is held.
func (l *lister[R]) readAheadLimit(k int) int {
	rate := DefaultRateLimit
	if l.c != nil && l.c.rateLimit > 0 {
		rate = l.c.rateLimit
	}
	var rtt time.Duration
	if l.rt != nil {
		rtt, _ = l.rt.estimate()
	}
	return l.sched.readAheadLimit(k, rate, rtt)
}

// settle turns window i's reservation for one request into the n records
// its page holds (0 when the request failed).
func (l *lister[R]) settle(i, n int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ahead.add(i, n-MaxPageSize)
}

// release notes that the loop yielded n records of window i.
func (l *lister[R]) release(i, n int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ahead.add(i, -n)
}

// finished notes that the paging of window i stopped, and starts the
// windows that frees.
func (l *lister[R]) finished(ctx context.Context, i int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sched.finish(i)
	l.startLocked(ctx)
}

// sizing is K and whether it is still the cold guess. l.mu is held.
//
// While cold, the first request's wait is a lower bound of the round trip:
// once it has waited longer than a fast answer takes, K grows with that
// wait as if an answer had come back then (see coldWatch), so that a new
// client does not leave the budget unused for a whole slow round trip.
func (l *lister[R]) sizing() (k int, cold bool) {
	k, cold = listConcurrency(l.c, l.rt), l.cold()
	if cold && !l.firstSent.IsZero() {
		// The wait is a lower bound of the round trip: K follows it,
		// and the windows planned while it grows follow K
		// (schedule.planNext).
		k = max(k, concurrencyFor(l.c, time.Since(l.firstSent)))
	}
	return k, cold
}

// coldWatchEvery is how often a new client's listing looks again at K while
// its first request waits for an answer: once per request the budget
// allows.
const coldWatchEvery = 200 * time.Millisecond

// coldWatch starts the windows a growing wait calls for (see sizing) while
// the client has measured nothing, until ctx ends. It runs under l.wg.
func (l *lister[R]) coldWatch(ctx context.Context) {
	t := time.NewTicker(coldWatchEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		l.mu.Lock()
		cold := l.cold()
		l.mu.Unlock()
		if !cold {
			return
		}
		l.startMore(ctx)
	}
}

// sent notes that a request is on its way: the first one starts the cold
// clock (see sizing).
func (l *lister[R]) sent() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.firstSent.IsZero() {
		l.firstSent = time.Now()
	}
}

// startMore starts the windows K workers call for (see startLocked).
func (l *lister[R]) startMore(ctx context.Context) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.startLocked(ctx)
}

// startLocked starts a worker for each window the schedule hands out: while
// fewer than K requests (K × the listings of a window, see
// schedule.slots) are in flight and no window more than windowsAhead × that
// many windows ahead of the loop's. Once ctx ended nothing starts. l.mu is
// held.
func (l *lister[R]) startLocked(ctx context.Context) {
	if ctx.Err() != nil {
		l.sched.stop()
		return
	}
	k, cold := l.sizing()
	for {
		i, ok := l.sched.startWorker(k, cold)
		if !ok {
			return
		}
		limit := pagesAhead
		if l.src.chainFirst {
			limit = 0
		}
		feed := newWindowFeed[R](limit)
		l.feeds[i] = feed
		w := l.sched.windows[i]
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			l.work(ctx, i, w, feed)
		}()
	}
}

// work is one worker: it pages window i into feed, then takes the next
// window if one is due. The schedule learns that the window stopped before
// the loop sees the feed close, so that the loop never finds a finished
// window still counted as in flight.
func (l *lister[R]) work(ctx context.Context, i int, w window, feed *windowFeed[R]) {
	err := l.pageWindow(ctx, i, w, func(page recordPage[R]) error {
		if ctx.Err() != nil || feed.put(ctx, page) != nil {
			// The loop stopped, or the caller's context ended: the loop
			// reports the latter if it is still reading.
			return l.contextError(ctx)
		}
		return nil
	})
	l.finished(ctx, i)
	feed.close(err)
}

// maxPagesPerWindow bounds the pages All follows in one 7-day window: 2,000
// pages of 50 is 100,000 exchange requests in a week, far beyond any seller.
const maxPagesPerWindow = 2000

// pageWindow follows the nextTokens of window i's listings (one, or one per
// part), handing each page to each, and says why it stopped early (nil when
// the window is complete).
func (l *lister[R]) pageWindow(ctx context.Context, i int, w window, each func(recordPage[R]) error) error {
	for part := range max(l.src.parts, 1) {
		token := ""
		if i == 0 && part == 0 {
			token = l.firstToken // the caller's token resumes the first listing only
		}
		if err := l.pageListing(ctx, i, w, part, token, each); err != nil {
			return err
		}
	}
	return nil
}

// pageListing follows the nextTokens of one listing of window i (w),
// reserving room in the read-ahead budget before each request.
func (l *lister[R]) pageListing(ctx context.Context, i int, w window, part int, token string, each func(recordPage[R]) error) error {
	var tokens tokenSet
	for n := 1; ; n++ {
		if n > maxPagesPerWindow {
			return fmt.Errorf("coupang: more than %d pages in the window from %s: Coupang's paging seems to loop: %w",
				maxPagesPerWindow, formatWireTime(w.from), ErrPagingLoop)
		}
		if err := l.reserve(ctx, i); err != nil {
			return err
		}
		// The round trip runs from when the limiter lets the request go
		// (the last time, after a retry): a wait in the client's limiter
		// is no round trip, and counting it would make K, and so the
		// requests waiting in the limiter, grow with itself.
		start := time.Now()
		lctx := context.WithValue(ctx, limiterPassedKey{}, func(at time.Time) {
			start = at
			l.sent()
		})
		if l.src.chainFirst {
			lctx = withGate(lctx, gateTicket{gate: &l.gate, window: i, cont: token != ""})
		}
		page, err := l.src.list(lctx, w, part, token)
		l.settle(i, len(page.items)+len(page.bad))
		l.gate.answered(i)
		var pageErr *PageError
		if err != nil && !errors.As(err, &pageErr) {
			return err
		}
		l.rt.observe(time.Since(start))
		l.c.observeListPage(ctx, w, n, len(page.items), len(page.bad))
		if err := each(page); err != nil {
			return err
		}
		if page.next == "" {
			return nil
		}
		if err := tokens.add(page.next); err != nil {
			l.c.logPagingLoop(ctx, page.next)
			return fmt.Errorf("coupang: window from %s ended early: %w", formatWireTime(w.from), err)
		}
		token = page.next
	}
}

// Automatic list concurrency (WithListConcurrency 0): enough requests in
// flight to cover the budget times the round trip twice over, so that a
// window denser than the others does not leave the budget unused, never
// more than DefaultMaxListConcurrency.
const (
	// DefaultMaxListConcurrency caps the automatic concurrency of All: at
	// 5 requests a second it covers round trips up to 1.6 s.
	DefaultMaxListConcurrency = 8
	// MaxListConcurrency is the largest value WithListConcurrency accepts.
	MaxListConcurrency = 32
	concurrencySpare   = 2
	// coldListConcurrency is K before any list call of the client has
	// been answered.
	coldListConcurrency = 2
)

// listConcurrency is K for one All: the call's WithListConcurrency, or
// derived from the round trips rt measured so far.
func listConcurrency(c *Client, rt *roundTrips) int {
	if c.listConcurrency > 0 {
		return c.listConcurrency
	}
	rtt, ok := rt.estimate()
	if !ok {
		// Nothing measured yet (a new client: a cron job, a CLI): do not
		// assume fast calls. Two windows go out at once; the first answer
		// measures the round trip, and the windows started after it are
		// planned with the K it calls for.
		return coldListConcurrency
	}
	return concurrencyFor(c, rtt)
}

// concurrencyFor is the automatic K for round trips of rtt.
func concurrencyFor(c *Client, rtt time.Duration) int {
	rate := c.rateLimit
	if rate <= 0 {
		// Unpaced (tests, or pacing left to a proxy): size for Coupang's
		// budget all the same, more would only read ahead.
		rate = DefaultRateLimit
	}
	// A quarter below the next whole number still rounds down, so that a
	// round trip just over 1/rate (100 ms plus the server's own work, at
	// 5/s) does not make a second request, and shorter windows, for nothing.
	k := math.Ceil(concurrencySpare*rate*rtt.Seconds() - 0.25)
	return int(max(1, min(k, DefaultMaxListConcurrency)))
}

// roundTrips remembers the durations of the latest list calls of a client.
// Their minimum is the round trip: a call that also waited for the limiter
// only looks slower.
type roundTrips struct {
	mu     sync.Mutex
	recent [8]time.Duration
	n      int
}

func (r *roundTrips) observe(d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.recent[r.n%len(r.recent)] = d
	r.n++
}

// estimate returns the round trip, or false before the first call.
func (r *roundTrips) estimate() (time.Duration, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.n == 0 {
		return 0, false
	}
	best := time.Duration(math.MaxInt64)
	for _, d := range r.recent[:min(r.n, len(r.recent))] {
		best = min(best, d)
	}
	return best, true
}

// yieldState is what the loop remembers while it yields one window.
type yieldState struct {
	// edge holds the ids the previous window yielded on its edge (second,
	// or day); nextEdge collects this window's.
	edge, nextEdge map[int64]bool
	// seen holds every id yielded in this window, when the source dedupes.
	seen map[int64]bool
}

// yieldPage yields the records of one page of window w in page order, with
// a *RecordError in place of each record that could not be decoded. It
// skips records the previous window yielded on its edge, and notes those on
// this window's edge; for a source that dedupes, records this window
// yielded already; for windows of days, records outside the range asked
// for. It reports whether to go on.
func (l *lister[R]) yieldPage(page recordPage[R], w window, st *yieldState, yield func(R, error) bool) bool {
	items, bad := page.items, page.bad
	var zero R
	for pos := 0; len(items) > 0 || len(bad) > 0; pos++ {
		if len(bad) > 0 && (len(items) == 0 || bad[0].Index <= pos) {
			if !yield(zero, bad[0]) {
				return false
			}
			bad = bad[1:]
			continue
		}
		rec := &items[0]
		items = items[1:]
		id, created := l.src.key(rec)
		if l.src.density != nil {
			l.tally.add(w, created)
		}
		if l.src.days {
			if created.Before(l.from) || created.After(l.to) {
				continue // on a day of the window, outside the range
			}
			if st.edge[id] && sameDay(created, w.from) {
				continue // yielded by the previous window
			}
			if sameDay(created, w.to) {
				st.nextEdge[id] = true
			}
		} else {
			if st.edge[id] && created.Equal(w.from) {
				continue // yielded by the previous window
			}
			if created.Equal(w.to) {
				st.nextEdge[id] = true
			}
		}
		if st.seen != nil {
			if st.seen[id] {
				continue // listed under another filter of this window
			}
			st.seen[id] = true
		}
		if !yield(*rec, nil) {
			return false
		}
	}
	return true
}

// sameDay reports whether a and b fall on the same Korea day.
func sameDay(a, b time.Time) bool {
	ay, am, ad := a.In(kst).Date()
	by, bm, bd := b.In(kst).Date()
	return ay == by && am == bm && ad == bd
}
