package coupang

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"iter"
	"math"
	"sync"
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
// starts two windows at once, and plans the windows after the first answer
// with the K that answer's round trip calls for.
//
// Records still come out in order: every window's records in Coupang's
// order, oldest window first, however the answers arrive. A worker keeps at
// most a couple of pages of its window ahead of the loop and starts no
// window more than K windows ahead of the one the loop is reading, so memory
// stays flat however many records the range holds. When the loop breaks or
// ctx ends, the requests in flight are cancelled and All returns only after
// every worker has stopped: no goroutine outlives the iteration.
//
// With K > 1, windows are 56 hours long instead of 7 days (a week in three),
// so that a single week can have several requests in flight and one dense
// week does not hold the listing up with a long chain of sequential pages.
// Each window ends with a partial page, so this costs a few calls (up to two
// for a single week: +11 % at 18 pages). Windows are planned as they are
// started, with the K in force then; a new client's first two windows are 7
// days long when more than a week is left (no extra call), 56 hours when
// the range is a week or less, so that a fresh client's first week already
// has requests in flight: a new client listing one sparse week on a fast
// Coupang pays up to two calls more than one request at a time (pass
// WithListConcurrency(1) to avoid them). The first window is never cut when
// opts.NextToken resumes a listing, because the token belongs to the window
// it came from.
//
// Errors, and what All does after yielding them (a zero ExchangeRequest goes
// with each):
//   - A record that cannot be decoded: a *RecordError in its place, then All
//     goes on with the next record. The other records of the page are never
//     lost to one bad record.
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
	return func(yield func(ExchangeRequest, error) bool) {
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
		from := opts.CreatedAtFrom.Truncate(time.Second)
		end := opts.CreatedAtTo.Truncate(time.Second)
		l := &lister[ExchangeRequest]{src: s.listSource(opts, callOpts), c: c, rt: s.roundTrips, firstToken: opts.NextToken, end: end, next: from}
		l.run(ctx, yield)
	}
}

// listSource is how All lists exchanges: one listing a window, by
// creation time to the second.
func (s *ExchangeService) listSource(opts ExchangeListOptions, callOpts []CallOption) listSource[ExchangeRequest] {
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
		key: func(ex *ExchangeRequest) (int64, time.Time) { return ex.ExchangeID, ex.CreatedAt },
	}
}

// listSource describes one kind of record to the scheduler of All (the
// lister): how to fetch a page of a window, how windows are cut, and how
// records are told apart.
type listSource[R listRecord] struct {
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
	// days cuts windows into whole Korea days (the return list takes dates,
	// not times), sharing their edge day; records outside [from, end] are
	// left out. Otherwise windows are cut to the second, sharing their edge
	// second.
	days bool
	// dedupe yields each id once per window: a return sweep meets one
	// receipt under several filters.
	dedupe bool
}

// recordPage is one page as the scheduler passes it on: the records, a
// RecordError for each record that could not be decoded, and the token of
// the next page.
type recordPage[R listRecord] struct {
	items []R
	bad   []*RecordError
	next  string
}

// minSplitWindow is the length of the windows All plans when it keeps
// several requests in flight: a week in three. Each window ends with a
// partial page; at 2,000 exchanges a month, windows of 3.5 days cost no extra
// call, 2 days about 5 % and 1 day about 40 %.
const minSplitWindow = 56 * time.Hour

// pagesAhead is how many pages a worker may fetch before the loop reads
// them, besides the one it holds: about a window of 3.5 days at 2,000
// exchanges a month, so that a window is paged at full speed while the loop
// is still on an earlier one, and memory stays bounded (K × 12 pages of
// 50) whatever the range holds.
const pagesAhead = 12

// window is one createdAt range that one List paging covers.
type window struct{ from, to time.Time }

// windowLength is the length of the windows All plans when k requests may
// be in flight: MaxListWindow for one at a time, else minSplitWindow, so
// that one dense week cannot hold up the listing with a long chain of
// sequential pages (measured: 7-day windows at 600 ms a call took 1.26× the
// budget floor over 30 days, 3.5-day ones 1.2×, 56-hour ones 1.14×).
func windowLength(k int) time.Duration {
	if k <= 1 {
		return MaxListWindow
	}
	return minSplitWindow
}

// planNext plans the window after those planned so far, with the
// concurrency k in force now; false when the range is covered. Windows share
// their edge second (their edge day, for windows of days).
func (l *lister[R]) planNext(k int) bool {
	if l.planned {
		return false
	}
	if l.src.days {
		return l.planDays()
	}
	first := len(l.windows) == 0
	if first && l.firstToken != "" {
		k = 1 // the caller's token belongs to an unsplit first window
	}
	rest := l.end.Sub(l.next)
	length := windowLength(k)
	if rest > MaxListWindow && l.cold() {
		// Nothing measured yet and more than a week to go: two 7-day
		// windows in flight cost no extra call; the windows after the
		// first answer are planned with the K it calls for.
		length = MaxListWindow
	}
	if rest <= length || (rest-length < minSplitWindow/2 && rest <= MaxListWindow) {
		// The last window; rather a little longer than a sliver after it.
		length = rest
	}
	w := window{l.next, l.next.Add(length)}
	l.windows = append(l.windows, w)
	l.next = w.to
	l.planned = !w.to.Before(l.end)
	return true
}

// planDays plans the next window of whole Korea days: dayWindow days
// from the edge day of the window before (the range's first day for the
// first), the last one ending on the range's last day.
func (l *lister[R]) planDays() bool {
	first := startOfDay(l.next)
	last := startOfDay(l.end)
	to := first.AddDate(0, 0, dayWindow-1)
	if !to.Before(last) {
		to = last
	}
	l.windows = append(l.windows, window{first, to})
	l.next = to
	l.planned = !to.Before(last)
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

// cold reports whether K is automatic and no list call of the client has
// been answered yet.
func (l *lister[R]) cold() bool {
	if l.rt == nil || l.c == nil || l.c.listConcurrency > 0 {
		return false
	}
	_, measured := l.rt.estimate()
	return !measured
}

// lister is one iteration of All: the windows to list and their workers.
type lister[R listRecord] struct {
	src listSource[R]
	c   *Client     // the call's client, for its concurrency settings
	rt  *roundTrips // the service's measured round trips
	// firstToken resumes the first listing of the first window.
	firstToken string
	// from and to bound the records yielded, for windows of days
	// (listSource.days): the range the caller asked for.
	from, to time.Time

	// windows are planned as they are started, each with the concurrency
	// measured by then (see windowLength).
	windows []window
	next    time.Time // start of the next window to plan
	end     time.Time
	planned bool // the windows cover the range

	// mu guards the planning and starting of windows, which the loop and
	// the workers that finish early both do.
	mu     sync.Mutex
	feeds  []*windowFeed[R] // one per started window
	cur    int              // the window the loop is reading
	active int              // windows being paged: workers and the loop's own
	wg     sync.WaitGroup
}

// windowFeed carries the pages of one window from its worker to the loop.
type windowFeed[R listRecord] struct {
	pages chan recordPage[R] // closed by the worker when it stops
	// err is why the worker stopped early, nil when the window is complete.
	// It is written before pages is closed, so reading it after seeing the
	// close is safe.
	err error
}

// run pages the windows with up to K workers and yields their records in
// window order. It returns only after every worker has stopped.
//
// A window no worker has started when the loop reaches it (K is 1: calls
// are fast) is paged by the loop itself, a page only when the loop needs
// it, exactly as one request at a time.
func (l *lister[R]) run(parent context.Context, yield func(R, error) bool) {
	ctx, cancel := context.WithCancel(parent)
	defer func() {
		cancel() // stops the workers' requests in flight and their sends
		l.wg.Wait()
	}()
	var edgeIDs map[int64]bool // ids seen at the previous window's end second
	for i := 0; ; i++ {
		l.mu.Lock()
		l.cur = i
		k := listConcurrency(l.c, l.rt)
		if i >= len(l.windows) && !l.planNext(k) {
			l.mu.Unlock()
			return
		}
		w := l.windows[i]
		inline := i >= len(l.feeds) && k == 1
		var feed *windowFeed[R]
		if inline {
			l.feeds = append(l.feeds, nil) // paged here, not by a worker
			l.active++                     // a request in flight all the same
		} else {
			l.startLocked(ctx)
			feed = l.feeds[i]
		}
		l.mu.Unlock()

		st := &windowState{edge: edgeIDs, nextEdge: map[int64]bool{}}
		if l.src.dedupe {
			st.seen = map[int64]bool{}
		}
		stopped := false
		each := func(page recordPage[R]) error {
			if !l.yieldPage(page, w, st, yield) {
				stopped = true
				return errStopped
			}
			// The first answers measure the round trip: start the
			// windows a slower Coupang calls for.
			l.startUpTo(ctx)
			return nil
		}
		var err error
		if inline {
			err = l.pageWindow(ctx, i, w, each)
			l.mu.Lock()
			l.active--
			l.mu.Unlock()
		} else {
			for page := range feed.pages {
				if err = each(page); err != nil {
					break
				}
			}
			if err == nil {
				err = feed.err
			}
			l.mu.Lock()
			l.feeds[i] = nil // let the window's pages go
			l.mu.Unlock()
		}
		if stopped {
			return
		}
		if err != nil {
			var zero R
			yield(zero, err)
			return
		}
		edgeIDs = st.nextEdge
	}
}

// errStopped tells pageWindow that the loop stopped.
var errStopped = errors.New("coupang: the loop stopped")

// startUpTo starts the windows K workers call for (see startLocked).
func (l *lister[R]) startUpTo(ctx context.Context) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.startLocked(ctx)
}

// windowsAhead is how many windows, the loop's own included, may be started
// for each request in flight: a worker that finishes its window early takes
// the next one while the loop is still on a longer window, up to
// windowsAhead × K windows from the loop's, so that the pages read ahead
// stay bounded (K windows of pagesAhead pages each). 2 was tried: the peak
// heap for 10× the records rose to 1.63× (budget 1.5×) and the 30-day
// listing at 600 ms was no faster.
const windowsAhead = 1

// startLocked starts windows while fewer than K requests are in flight and
// no window more than windowsAhead × K windows ahead of the loop's. l.mu is
// held.
func (l *lister[R]) startLocked(ctx context.Context) {
	k := listConcurrency(l.c, l.rt)
	slots := l.windowSlots(k)
	for l.active < slots && len(l.feeds) < l.cur+windowsAhead*slots && ctx.Err() == nil {
		i := len(l.feeds)
		if i >= len(l.windows) && !l.planNext(k) {
			return
		}
		feed := &windowFeed[R]{pages: make(chan recordPage[R], pagesAhead)}
		w := l.windows[i]
		l.feeds = append(l.feeds, feed)
		l.active++
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			feed.err = l.pageWindow(ctx, i, w, func(page recordPage[R]) error {
				select {
				case feed.pages <- page:
					return nil
				case <-ctx.Done():
					// The loop stopped, or the caller's context ended:
					// the loop reports the latter if it is still reading.
					return fmt.Errorf("coupang: listing %s: %w", l.src.what, context.Cause(ctx))
				}
			})
			close(feed.pages)
			// Done early: take the next window.
			l.mu.Lock()
			defer l.mu.Unlock()
			l.active--
			l.startLocked(ctx)
		}()
	}
}

// windowSlots is how many windows may be paged at once when k requests
// should be in flight: k, or, for a source of several listings a window (a
// return sweep), k × the listings. Such a window is a chain of requests
// that many times longer, and with only k of them the last windows would
// run alone at the end, one request at a time; more windows only wait
// longer in the client's limiter, which still bounds the rate.
func (l *lister[R]) windowSlots(k int) int {
	if k > 1 && l.src.parts > 1 {
		return k * l.src.parts
	}
	return k
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
		if err := l.pageListing(ctx, w, part, token, each); err != nil {
			return err
		}
	}
	return nil
}

// pageListing follows the nextTokens of one listing of window w.
func (l *lister[R]) pageListing(ctx context.Context, w window, part int, token string, each func(recordPage[R]) error) error {
	var tokens tokenSet
	for n := 1; ; n++ {
		if n > maxPagesPerWindow {
			return fmt.Errorf("coupang: more than %d pages in the window from %s: Coupang's paging seems to loop: %w",
				maxPagesPerWindow, formatWireTime(w.from), ErrPagingLoop)
		}
		start := time.Now()
		page, err := l.src.list(ctx, w, part, token)
		var pageErr *PageError
		if err != nil && !errors.As(err, &pageErr) {
			return err
		}
		l.rt.observe(time.Since(start))
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

// listConcurrency is K for one All of exchanges (see listConcurrency).
func (s *ExchangeService) listConcurrency(c *Client) int { return listConcurrency(c, s.roundTrips) }

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

// windowState is what the loop remembers while it yields one window.
type windowState struct {
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
func (l *lister[R]) yieldPage(page recordPage[R], w window, st *windowState, yield func(R, error) bool) bool {
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

// tokenSet remembers the nextTokens of one window by their SHA-256, so that
// memory stays at 32 bytes a page whatever the tokens' size.
type tokenSet map[[sha256.Size]byte]struct{}

// add records tok, or says why All must not follow it.
func (ts *tokenSet) add(tok string) error {
	// The bound a caller's NextToken is held to: a server that sends huge
	// tokens should not cost memory or request size.
	if len(tok) > maxNextTokenLength {
		return fmt.Errorf("nextToken of %d bytes is longer than %d: %w", len(tok), maxNextTokenLength, ErrPagingLoop)
	}
	if *ts == nil {
		*ts = tokenSet{}
	}
	h := sha256.Sum256([]byte(tok))
	if _, seen := (*ts)[h]; seen {
		return fmt.Errorf("Coupang repeated a nextToken of this window: %w", ErrPagingLoop)
	}
	(*ts)[h] = struct{}{}
	return nil
}
