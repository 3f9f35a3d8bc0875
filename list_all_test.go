package coupang_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

// gateway sits in front of a coupangtest server and counts what Coupang's
// gateway would see: requests in flight, their arrival times, connections,
// and, when it enforces a budget, the requests over it (answered 429).
type gateway struct {
	srv *coupangtest.Server
	URL string

	mu       sync.Mutex
	inFlight int // requests in the server's handler
	// sending and maxInFlight count at the clients' transport, from the
	// start of a request to the close of its body: the concurrency All
	// promises. The server's own count may exceed it by a handler that has
	// written its answer but not yet returned when the worker's next
	// request arrives (9 with 8 workers, on a loaded machine).
	sending     int
	maxInFlight int
	starts      []time.Time // when the clients' transport started each request
	arrivals    []time.Time
	over        int // more than budget in the last second (answered 429 when enforcing)
	conns       int
	budget      int          // requests a second; 0 counts nothing
	enforce     bool         // answer 429 over the budget, else only count
	sent        atomic.Int64 // requests the clients started
	// hold, when set, picks requests the gateway never answers: they end
	// only when the client cancels them (or the test ends). held counts
	// them as they arrive, heldEnded as they end.
	hold        func(*http.Request) bool
	holdDone    chan struct{}
	held        int
	heldEnded   int
	heldChanged chan struct{} // signalled when held or heldEnded changes
	// stopped is set by a test once nothing may be sent any more; late
	// counts the requests started after it.
	stopped atomic.Bool
	late    atomic.Int64
}

// awaitHeld waits until cond holds for the held requests, on the gateway's
// signal rather than by polling; false if it never does (a bound on a
// hang, not a speed budget).
func (g *gateway) awaitHeld(cond func(held, ended int) bool) bool {
	hang := time.NewTimer(20 * time.Second)
	defer hang.Stop()
	for {
		g.mu.Lock()
		ok := cond(g.held, g.heldEnded)
		g.mu.Unlock()
		if ok {
			return true
		}
		select {
		case <-g.heldChanged:
		case <-hang.C:
			return false
		}
	}
}

// signalHeld wakes awaitHeld; the channel holds one signal, which is enough
// since awaitHeld checks the counts again after each.
func (g *gateway) signalHeld() {
	select {
	case g.heldChanged <- struct{}{}:
	default:
	}
}

// stopSending marks the moment after which the clients must send nothing:
// every request started later is counted in late, which the test checks
// when it ends.
func (g *gateway) stopSending(t testing.TB) {
	g.stopped.Store(true)
	t.Cleanup(func() { assert.Zero(t, g.late.Load(), "requests started after the iteration ended") })
}

// sentCounter counts the requests a client starts, and those in flight until
// their body is closed.
type sentCounter struct {
	g    *gateway
	next http.RoundTripper
}

func (c sentCounter) RoundTrip(r *http.Request) (*http.Response, error) {
	c.g.sent.Add(1)
	if c.g.stopped.Load() {
		c.g.late.Add(1)
	}
	c.g.mu.Lock()
	c.g.starts = append(c.g.starts, time.Now())
	c.g.sending++
	c.g.maxInFlight = max(c.g.maxInFlight, c.g.sending)
	c.g.mu.Unlock()
	resp, err := c.next.RoundTrip(r)
	if err != nil {
		c.g.done()
		return nil, err
	}
	resp.Body = &doneBody{ReadCloser: resp.Body, done: c.g.done}
	return resp, nil
}

// done notes that a client's request is over.
func (g *gateway) done() {
	g.mu.Lock()
	g.sending--
	g.mu.Unlock()
}

// doneBody reports the end of a request when its body is closed, once.
type doneBody struct {
	io.ReadCloser
	once sync.Once
	done func()
}

func (b *doneBody) Close() error {
	b.once.Do(b.done)
	return b.ReadCloser.Close()
}

func newGateway(t testing.TB, srv *coupangtest.Server, budget int) *gateway {
	g := &gateway{srv: srv, budget: budget, enforce: true, heldChanged: make(chan struct{}, 1)}
	ts := httptest.NewUnstartedServer(http.HandlerFunc(g.serve))
	ts.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			g.mu.Lock()
			g.conns++
			g.mu.Unlock()
		}
	}
	ts.Start()
	t.Cleanup(ts.Close)
	g.URL = ts.URL
	return g
}

func (g *gateway) serve(w http.ResponseWriter, r *http.Request) {
	now := time.Now()
	g.mu.Lock()
	g.arrivals = append(g.arrivals, now)
	over := g.budget > 0 && countSince(g.arrivals, now.Add(-time.Second)) > g.budget
	if over {
		g.over++
	}
	if over && g.enforce {
		g.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte(`{"code":"ERROR","message":"Too many requests"}`))
		return
	}
	if g.hold != nil && g.hold(r) {
		g.held++
		g.mu.Unlock()
		g.signalHeld()
		select {
		case <-r.Context().Done():
		case <-g.holdDone:
		}
		g.mu.Lock()
		g.heldEnded++
		g.mu.Unlock()
		g.signalHeld()
		return
	}
	g.inFlight++
	g.mu.Unlock()
	defer func() {
		g.mu.Lock()
		g.inFlight--
		g.mu.Unlock()
	}()
	g.srv.ServeHTTP(w, r)
}

// countSince counts the arrivals after since (sorted ascending).
func countSince(arrivals []time.Time, since time.Time) int {
	n := 0
	for i := len(arrivals) - 1; i >= 0 && arrivals[i].After(since); i-- {
		n++
	}
	return n
}

// maxPerSecond is the most arrivals in any one-second window.
func (g *gateway) maxPerSecond() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return maxInASecond(g.arrivals)
}

// maxStartsPerSecond is the most requests the clients started in any
// one-second window: what the pacer decides, without the scheduling delays
// between the client and the server's handler that bunch arrivals together
// on a loaded machine.
func (g *gateway) maxStartsPerSecond() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return maxInASecond(g.starts)
}

// maxInASecond is the most of ts (sorted ascending) in any one-second window.
func maxInASecond(ts []time.Time) int {
	best := 0
	for i, a := range ts {
		best = max(best, countSince(ts[:i+1], a.Add(-time.Second)))
	}
	return best
}

func (g *gateway) requests() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.arrivals)
}

func (g *gateway) client(t testing.TB, opts ...coupang.Option) *coupang.Client {
	t.Helper()
	hc := &http.Client{Transport: sentCounter{g: g, next: http.DefaultTransport.(*http.Transport).Clone()}}
	all := append([]coupang.Option{coupang.WithBaseURL(g.URL), coupang.WithMaxRetries(0), coupang.WithHTTPClient(hc)}, opts...)
	c, err := coupang.NewClient(g.srv.AccessKey, g.srv.SecretKey, g.srv.VendorID, all...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// listWorkers counts All's workers still running: goroutines a lister
// started that are still in a lister's code. A worker whose function has
// returned and whose goroutine only runs its deferred WaitGroup.Done does
// not count: that is exactly what All waits for, so right after All returns
// this is 0. (It used to look for a closure name the compiler does not use,
// and counted 0 whatever ran.)
func listWorkers() int {
	n := 0
	for _, g := range strings.Split(allStacks(), "\n\n") {
		if listerCreated.MatchString(g) && listerFrame.MatchString(g) {
			n++
		}
	}
	return n
}

// listerFrame is a frame of a lister's method, not of a closure in one;
// listerCreated the line of a goroutine a lister started. The lister is
// generic, which the runtime prints as lister[...].
var (
	listerFrame   = regexp.MustCompile(`(?m)^github\.com/go-coupang/coupang\.\(\*lister(\[\.\.\.\])?\)\.\w+\(`)
	listerCreated = regexp.MustCompile(`created by github\.com/go-coupang/coupang\.\(\*lister(\[\.\.\.\])?\)`)
)

// TestListWorkersSeesRunningWorkers guards the helper the cancellation
// tests rely on: while a slow listing has several windows in flight,
// listWorkers counts them (it matched a name the generic lister does not
// have, and counted 0 whatever ran); once All returns, none.
func TestListWorkersSeesRunningWorkers(t *testing.T) {
	srv := coupangtest.NewTestServer(t, coupangtest.WithExchanges(100))
	srv.SetLatency(50 * time.Millisecond)
	c, err := srv.Client(coupang.WithListConcurrency(4))
	require.NoError(t, err)
	seen := 0
	for _, err := range c.Exchanges.All(context.Background(), last30Days()) {
		require.NoError(t, err)
		seen = max(seen, listWorkers())
	}
	assert.Positive(t, seen, "workers were running during the listing")
	assert.Zero(t, listWorkers())
}

// allStacks is the stack of every goroutine.
func allStacks() string {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return string(buf[:n])
		}
		buf = make([]byte, 2*len(buf))
	}
}

func last30Days() coupang.ExchangeListOptions {
	now := time.Now()
	return coupang.ExchangeListOptions{CreatedAtFrom: now.Add(-30 * 24 * time.Hour), CreatedAtTo: now, MaxPerPage: 10}
}

func collectIDs(t *testing.T, seq func(func(coupang.ExchangeRequest, error) bool)) []int64 {
	t.Helper()
	var ids []int64
	for ex, err := range seq {
		require.NoError(t, err)
		ids = append(ids, ex.ExchangeID)
	}
	return ids
}

// TestAllConcurrentKeepsOrder: with several windows in flight and answers
// arriving out of order, All yields exactly what one request at a time
// yields, in the same order, each record once.
func TestAllConcurrentKeepsOrder(t *testing.T) {
	srv := coupangtest.NewTestServer(t, coupangtest.WithExchanges(300))
	srv.SetLatency(20 * time.Millisecond)
	g := newGateway(t, srv, 0)
	opts := last30Days()

	seq := g.client(t, coupang.WithRateLimit(0), coupang.WithListConcurrency(1))
	want := collectIDs(t, seq.Exchanges.All(context.Background(), opts))
	require.Len(t, want, 300, "every exchange, once")
	assert.Equal(t, 1, g.maxInFlight, "one at a time")

	for _, k := range []int{2, 4, 8} {
		c := g.client(t, coupang.WithRateLimit(0))
		got := collectIDs(t, c.Exchanges.All(context.Background(), opts, coupang.WithListConcurrency(k)))
		assert.Equal(t, want, got, "concurrency %d", k)
	}
	assert.Greater(t, g.maxInFlight, 1, "windows were in flight together")
	assert.LessOrEqual(t, g.maxInFlight, 8)
	assert.Zero(t, listWorkers())
}

// TestAllConcurrentSplitsAWeek: a single week is cut into parts fetched
// together, and the records still come out in order, edge records once.
func TestAllConcurrentSplitsAWeek(t *testing.T) {
	srv := coupangtest.NewTestServer(t, coupangtest.WithExchanges(300))
	srv.SetLatency(20 * time.Millisecond)
	g := newGateway(t, srv, 0)
	now := time.Now()
	opts := coupang.ExchangeListOptions{CreatedAtFrom: now.Add(-7 * 24 * time.Hour), CreatedAtTo: now, MaxPerPage: 10}
	seq := g.client(t, coupang.WithRateLimit(0), coupang.WithListConcurrency(1))
	want := collectIDs(t, seq.Exchanges.All(context.Background(), opts))
	require.NotEmpty(t, want)
	before := g.requests()
	conc := g.client(t, coupang.WithRateLimit(0), coupang.WithListConcurrency(4))
	got := collectIDs(t, conc.Exchanges.All(context.Background(), opts))
	assert.Equal(t, want, got)
	assert.Greater(t, g.maxInFlight, 1)
	t.Logf("calls: %d one at a time, %d in three parts", before, g.requests()-before)
}

// TestAllBreakStopsEverything: after the loop breaks, the requests in flight
// are cancelled, no request is sent any more and no worker is left.
//
// The gateway answers the first window and holds every request of the
// others unanswered, so that when the loop breaks some requests are
// certainly in flight and can end only by being cancelled: counting
// cancellations of requests with a 50 ms latency instead depended on
// whether one happened to be in flight at the break (on a loaded machine
// the workers may all be idle, or a handler still counted as busy after
// answering).
func TestAllBreakStopsEverything(t *testing.T) {
	srv := coupangtest.NewTestServer(t, coupangtest.WithExchanges(300))
	srv.SetLatency(50 * time.Millisecond)
	g := newGateway(t, srv, 0)
	opts := last30Days()
	first := opts.CreatedAtFrom.In(coupang.KoreaLocation()).Format("2006-01-02T15:04:05")
	g.holdDone = make(chan struct{})
	t.Cleanup(func() { close(g.holdDone) }) // before the server closes
	g.hold = func(r *http.Request) bool { return r.URL.Query().Get("createdAtFrom") != first }
	held := func() (held, ended int) {
		g.mu.Lock()
		defer g.mu.Unlock()
		return g.held, g.heldEnded
	}
	c := g.client(t, coupang.WithRateLimit(0), coupang.WithListConcurrency(4))
	var (
		n       int
		errs    []error
		waitErr bool
	)
	runBounded(t, func() { // a break that waited for the held requests would hang
		for _, err := range c.Exchanges.All(context.Background(), opts) {
			if err != nil {
				errs = append(errs, err)
				break
			}
			n++
			if n == 1 { // let a later window's request reach the gateway
				waitErr = !g.awaitHeld(func(held, _ int) bool { return held > 0 })
			}
			if n == 3 {
				break
			}
		}
	})
	g.stopSending(t)
	require.Empty(t, errs)
	require.False(t, waitErr, "no request of a later window was sent while the first was read")
	require.Equal(t, 3, n)
	assert.Zero(t, listWorkers(), "no worker outlives the iteration")
	require.True(t, g.awaitHeld(func(held, ended int) bool { return held == ended }),
		"the requests held in flight at the break were cancelled, not waited for")
	sent := g.sent.Load()
	// Read-ahead is bounded: each of the 4 windows in flight holds at most
	// the two pages it may buffer and the one it is fetching.
	assert.LessOrEqual(t, sent, int64(4*3), "read-ahead is bounded")
	// Nothing is sent after the loop stopped: no worker is left to send
	// (listWorkers above), and stopSending counts any start until the test
	// ends.
	h, _ := held()
	t.Logf("%d requests sent, %d held in flight at the break and cancelled", sent, h)
}

// TestAllContextEndStopsEverything: when the caller's context ends, All
// yields the context's error once, after the records before it, and stops
// its workers.
func TestAllContextEndStopsEverything(t *testing.T) {
	srv := coupangtest.NewTestServer(t, coupangtest.WithExchanges(300))
	srv.SetLatency(50 * time.Millisecond)
	g := newGateway(t, srv, 0)
	c := g.client(t, coupang.WithRateLimit(0), coupang.WithListConcurrency(4))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var errs []error
	n := 0
	for _, err := range c.Exchanges.All(ctx, last30Days()) {
		if err != nil {
			errs = append(errs, err)
			continue // keep asking: All must stop by itself
		}
		n++
		if n == 3 {
			cancel()
		}
	}
	g.stopSending(t) // nothing is sent after the context ended, until the test ends
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], context.Canceled)
	assert.Zero(t, listWorkers(), "no worker is left that could send")
}

// TestAllErrorInALaterWindowEndsInOrder: window 2 fails on its second page
// while window 3 is already fetched: All yields window 1, window 2 up to the
// failure, the error, and nothing from window 3.
func TestAllErrorInALaterWindowEndsInOrder(t *testing.T) {
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, kst)
	// With 3 in flight, the week is listed in three windows of 56 hours.
	w2 := start.Add(56 * time.Hour)
	w3 := w2.Add(56 * time.Hour)
	m := newMockAPI(t, coupang.WithListConcurrency(3))
	window3Fetched := make(chan struct{})
	var once sync.Once
	m.onList(func(w listWindow) (int, string) {
		switch {
		case w.from.Equal(start):
			return 200, listJSON("", exchangeJSON(1, start.Add(time.Hour)), exchangeJSON(2, start.Add(2*time.Hour)))
		case w.from.Equal(w2) && w.token == "":
			return 200, listJSON("p2", exchangeJSON(3, w2.Add(time.Hour)))
		case w.from.Equal(w2):
			<-window3Fetched // fail only once window 3 is in
			return 500, `{"code":500,"message":"internal error"}`
		default:
			defer once.Do(func() { close(window3Fetched) })
			return 200, listJSON("", exchangeJSON(4, w3.Add(time.Hour)))
		}
	})
	var ids []int64
	var errs []error
	for ex, err := range m.client.Exchanges.All(context.Background(), coupang.ExchangeListOptions{
		CreatedAtFrom: start, CreatedAtTo: start.Add(coupang.MaxListWindow),
	}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ids = append(ids, ex.ExchangeID)
	}
	assert.Equal(t, []int64{1, 2, 3}, ids, "nothing from beyond the gap")
	require.Len(t, errs, 1)
	assert.Equal(t, 500, requireAPIError(t, errs[0]).StatusCode)
	assert.Equal(t, 4, m.callCount(), "window 3 was fetched, and dropped")
	assert.Zero(t, listWorkers())
}

// TestAllConcurrentStaysWithinTheBudget: with calls slow enough that All
// keeps several in flight, the client starts no more than 5 requests in any
// one second. The budget is checked where the client starts requests, not
// where the gateway sees them arrive: a descheduled goroutine bunches
// arrivals on a loaded machine. The gateway counts (and logs) arrivals over
// the budget without answering 429, so that such bunching cannot fail the
// listing either; the arrival-side figure is BenchmarkPacing's
// (BENCHMARKS.md).
func TestAllConcurrentStaysWithinTheBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("takes a few seconds of paced calls")
	}
	srv := coupangtest.NewTestServer(t, coupangtest.WithExchanges(100))
	srv.SetLatency(300 * time.Millisecond)
	g := newGateway(t, srv, 5)
	g.enforce = false
	// 4.5 a second: the pacer leaves 10 ms a second for jitter, and on a
	// loaded machine a request can lose more on its way to the gateway, one
	// at a time as well. Without the limiter, 6 windows in flight at
	// 300 ms would send 20 a second.
	c := g.client(t, coupang.WithRateLimit(4.5))
	opts := last30Days()
	opts.MaxPerPage = 10
	ids := collectIDs(t, c.Exchanges.All(context.Background(), opts, coupang.WithListConcurrency(6)))
	assert.Len(t, ids, 100)
	assert.LessOrEqual(t, g.maxStartsPerSecond(), 5, "requests started in one second")
	assert.Greater(t, g.maxInFlight, 1, "several requests were in flight")
	t.Logf("at the gateway: %d in the busiest second, %d arrivals over the budget", g.maxPerSecond(), g.over)
}

func TestWithListConcurrencyValidation(t *testing.T) {
	for _, n := range []int{-1, coupang.MaxListConcurrency + 1} {
		_, err := coupang.NewClient(testAccessKey, testSecretKey, testVendorID, coupang.WithListConcurrency(n))
		requireValidation(t, err, "listConcurrency")
		m := newMockAPI(t)
		res := collectAll(m.client.Exchanges.All(context.Background(), listOpts(), coupang.WithListConcurrency(n)))
		require.Len(t, res.errs, 1)
		requireValidation(t, res.errs[0], "listConcurrency")
		assert.Zero(t, m.callCount())
	}
	for _, n := range []int{0, 1, coupang.MaxListConcurrency} {
		_, err := coupang.NewClient(testAccessKey, testSecretKey, testVendorID, coupang.WithListConcurrency(n))
		assert.NoError(t, err)
	}
}
