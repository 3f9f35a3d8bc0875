package coupang_test

import (
	"context"
	"errors"
	"iter"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

// Cancellation stress: All and Changes cancelled at random instants, many
// times, under whatever the test binary runs with (-race in CI). Each run
// must end without a panic, return (a hang is a failure), yield the
// records of an uninterrupted run up to some point in the same order and
// then the context's error once, or all of them, and leave no worker
// behind.
//
// COUPANG_STRESS=1 runs 10,000 cancellations of each; the default is a few
// hundred, fewer with -short.

// stressRuns is how many cancelled calls each stress test makes.
func stressRuns(t *testing.T) int {
	if n, err := strconv.Atoi(os.Getenv("COUPANG_STRESS_RUNS")); err == nil && n > 0 {
		return n
	}
	switch {
	case os.Getenv("COUPANG_STRESS") == "1":
		return 10000
	case testing.Short():
		return 50
	}
	return 200
}

// The stress sandbox holds stressExchanges exchanges over stressRange and
// answers after stressLatency: a listing of the range in pages of 10 takes
// 3 windows one at a time, 7 with several in flight (3 to 4 for a new
// client: two weeks, then the measured K), about 10 requests.
const (
	stressExchanges = 40
	stressLatency   = 3 * time.Millisecond
	stressRange     = 15 * 24 * time.Hour
)

func newStressSandbox(t *testing.T) *coupangtest.Server {
	t.Helper()
	srv := coupangtest.NewTestServer(t, coupangtest.WithExchanges(0))
	now := time.Now()
	for i := range stressExchanges {
		age := time.Duration(stressExchanges-i) * 9 * time.Hour
		srv.AddExchange(coupang.ExchangeRequest{OrderID: 31000000000000 + int64(i), CreatedAt: now.Add(-age)})
	}
	srv.SetLatency(stressLatency)
	return srv
}

// stressClients hands out clients of the sandbox that share one transport
// (thousands of clients with a connection pool each would run out of
// ports). Most are new, so that the cold start (two 7-day windows at once,
// then the measured K) is cancelled as often as the steady state.
type stressClients struct {
	srv  *coupangtest.Server
	hc   *http.Client
	warm *coupang.Client // automatic K, measured
}

func newStressClients(t *testing.T, srv *coupangtest.Server) *stressClients {
	t.Helper()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(tr.CloseIdleConnections)
	sc := &stressClients{srv: srv, hc: &http.Client{Transport: tr}}
	sc.warm = sc.client(t, nil)
	return sc
}

func (sc *stressClients) client(t *testing.T, opts []coupang.Option) *coupang.Client {
	t.Helper()
	c, err := sc.srv.Client(append([]coupang.Option{coupang.WithHTTPClient(sc.hc), coupang.WithMaxRetries(0)}, opts...)...)
	require.NoError(t, err)
	return c
}

// pick returns a client for one run: new (automatic K), new with a fixed K
// of 1 to 8, or the shared warm one; close releases it.
func (sc *stressClients) pick(t *testing.T, r *rand.Rand) (c *coupang.Client, kind string, release func()) {
	switch x := r.IntN(10); {
	case x < 4:
		c := sc.client(t, nil)
		return c, "new", func() { _ = c.Close() }
	case x < 8:
		k := 1 + r.IntN(8)
		c := sc.client(t, []coupang.Option{coupang.WithListConcurrency(k)})
		return c, "K=" + strconv.Itoa(k), func() { _ = c.Close() }
	}
	return sc.warm, "warm", func() {}
}

// cancelPlan is when one run's context ends.
type cancelPlan struct {
	how      string        // see planCancel
	after    time.Duration // timer, deadline and cause: from the call's start
	atRecord int           // in the loop: after this record
}

// planCancel draws a cancellation instant: before the call, at a random
// time within (a little more than) a whole listing — in a worker's request,
// between windows, while a page waits in a feed — as a cancel, a deadline
// or a cancel with a cause, or from the loop's body after a random record.
func planCancel(r *rand.Rand, full time.Duration, records int) cancelPlan {
	after := time.Duration(r.Int64N(int64(full + full/2 + 1)))
	switch x := r.IntN(20); {
	case x < 1:
		return cancelPlan{how: "before"}
	case x < 8:
		return cancelPlan{how: "timer", after: after}
	case x < 12:
		return cancelPlan{how: "deadline", after: after}
	case x < 14:
		return cancelPlan{how: "cause", after: after}
	}
	return cancelPlan{how: "in the loop", atRecord: 1 + r.IntN(records)}
}

// stressResult is the outcome of one cancelled run.
type stressResult struct {
	listed
	ctx      context.Context
	cancelAt time.Time     // when the context ended (zero: it did not)
	delay    time.Duration // from cancelAt to the return, if cancelAt came first
}

// runCancelled makes one call with plan's cancellation.
func runCancelled(plan cancelPlan, call func(context.Context) iter.Seq2[int64, error]) stressResult {
	var (
		res      stressResult
		ctx      context.Context
		cancel   context.CancelFunc
		cancelAt atomic.Int64 // UnixNano; 0 while the context has not ended
	)
	now := func() { cancelAt.CompareAndSwap(0, time.Now().UnixNano()) }
	start := time.Now()
	var body func(n int)
	switch plan.how {
	case "before":
		ctx, cancel = context.WithCancel(context.Background())
		now()
		cancel()
	case "timer":
		ctx, cancel = context.WithCancel(context.Background())
		t := time.AfterFunc(plan.after, func() { now(); cancel() })
		defer t.Stop()
	case "deadline":
		ctx, cancel = context.WithDeadline(context.Background(), start.Add(plan.after))
		stop := context.AfterFunc(ctx, now)
		defer stop()
	case "cause":
		var cancelCause context.CancelCauseFunc
		ctx, cancelCause = context.WithCancelCause(context.Background())
		cancel = func() { cancelCause(errStressCause) }
		t := time.AfterFunc(plan.after, func() { now(); cancel() })
		defer t.Stop()
	case "in the loop":
		ctx, cancel = context.WithCancel(context.Background())
		body = func(n int) {
			if n == plan.atRecord {
				now()
				cancel()
			}
		}
	}
	defer cancel()
	res.listed = drain(call(ctx), body)
	returned := time.Now()
	res.ctx = ctx
	if at := cancelAt.Load(); at != 0 {
		res.cancelAt = time.Unix(0, at)
		if res.cancelAt.Before(returned) {
			res.delay = returned.Sub(res.cancelAt)
		}
	}
	return res
}

// stressTally gathers the figures of a stress test.
type stressTally struct {
	runs, panics, hangs, complete, cut int
	failures                           int // runs that broke another rule
	slowest                            time.Duration
	slowestRun                         string
	delays                             []time.Duration
}

// check checks one run against the uninterrupted listing want, and notes
// its figures. It reports whether to go on (a few failures tell enough).
func (st *stressTally) check(t *testing.T, res stressResult, want []int64, desc string) bool {
	t.Helper()
	st.runs++
	switch {
	case res.hung:
		st.hangs++
		t.Errorf("%s: the call never returned", desc)
		return st.panics+st.hangs+st.failures < 3
	case res.panicked != nil:
		st.panics++
		t.Errorf("%s: the call panicked: %v\n%s", desc, res.panicked, res.stack)
		return st.panics+st.hangs+st.failures < 3
	}
	if res.delay > 0 {
		st.delays = append(st.delays, res.delay)
		if res.delay > st.slowest {
			st.slowest, st.slowestRun = res.delay, desc
		}
	}
	ok := true
	fail := func(format string, args ...any) {
		t.Errorf("%s: "+format, append([]any{desc}, args...)...)
		ok = false
	}
	if n := listWorkers(); n != 0 {
		fail("%d workers outlive the call", n)
	}
	if len(res.ids) > len(want) || !slices.Equal(res.ids, want[:len(res.ids)]) {
		fail("yielded %d records that are not the first of the listing, in order", len(res.ids))
	}
	switch len(res.errs) {
	case 0:
		st.complete++
		if len(res.ids) != len(want) {
			fail("ended without an error after %d of %d records", len(res.ids), len(want))
		}
	case 1:
		st.cut++
		err := res.errs[0]
		if res.ctx.Err() == nil || !errors.Is(err, res.ctx.Err()) {
			fail("ended with %v, not the context's error (%v)", err, res.ctx.Err())
		} else if cause := context.Cause(res.ctx); !errors.Is(err, cause) {
			fail("ended with %v, without the context's cause %v", err, cause)
		}
	default:
		fail("%d errors, want the context's once: %v", len(res.errs), res.errs)
	}
	if !ok {
		st.failures++
	}
	return st.panics+st.hangs+st.failures < 3
}

// report logs the figures: runs, panics, hangs, and the delay from the
// context's end to the call's return (min, median, max).
func (st *stressTally) report(t *testing.T, what string) {
	t.Helper()
	slices.Sort(st.delays)
	var lo, med, p99, hi time.Duration
	if n := len(st.delays); n > 0 {
		lo, med, p99, hi = st.delays[0], st.delays[n/2], st.delays[n*99/100], st.delays[n-1]
	}
	slow := 0 // returns later than ten of the sandbox's latencies
	for _, d := range st.delays {
		if d > 10*stressLatency {
			slow++
		}
	}
	t.Logf("%s: %d runs: %d panics, %d hangs; %d cut by the context, %d complete; return after the context ended: min %v, median %v, p99 %v, max %v, %d over %v (%d measured; latency %v a request)",
		what, st.runs, st.panics, st.hangs, st.cut, st.complete, lo, med, p99, hi, slow, 10*stressLatency, len(st.delays), stressLatency)
	if st.slowestRun != "" {
		t.Logf("%s: the slowest return: %s", what, st.slowestRun)
	}
}

// fullListing lists the sandbox's 30 days uninterrupted and says how long
// it took.
func fullListing(t *testing.T, c *coupang.Client, opts coupang.ExchangeListOptions) ([]int64, time.Duration) {
	t.Helper()
	start := time.Now()
	ids := collectIDs(t, c.Exchanges.All(context.Background(), opts))
	return ids, time.Since(start)
}

// TestAllCancelledAtRandomInstants: thousands of listings of 15 days,
// cancelled at random instants (see planCancel) on new, fixed-K and warm
// clients: no panic, no hang, the records before the cancellation in
// order, then the context's error once, and no worker left.
func TestAllCancelledAtRandomInstants(t *testing.T) {
	srv := newStressSandbox(t)
	sc := newStressClients(t, srv)
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 1))
	now := time.Now()
	opts := coupang.ExchangeListOptions{CreatedAtFrom: now.Add(-stressRange), CreatedAtTo: now, MaxPerPage: 10}
	want, full := fullListing(t, sc.client(t, []coupang.Option{coupang.WithListConcurrency(1)}), opts)
	require.Len(t, want, stressExchanges)
	t.Logf("an uninterrupted listing, one request at a time: %v", full)
	var st stressTally
	for i := range stressRuns(t) {
		c, kind, release := sc.pick(t, r)
		plan := planCancel(r, full, len(want))
		res := runCancelled(plan, func(ctx context.Context) iter.Seq2[int64, error] {
			return allIDs(c.Exchanges.All(ctx, opts))
		})
		release()
		if !st.check(t, res, want, "run "+strconv.Itoa(i)+" ("+kind+", "+plan.String()+")") {
			break
		}
	}
	st.report(t, "All")
	require.Zero(t, st.panics)
	require.Zero(t, st.hangs)
}

// TestChangesCancelledAtRandomInstants: the same for passes of Changes (a
// new memory store each time, so that every exchange is new): no panic, no
// hang, the changes before the cancellation in order, the context's error
// once, no worker left, and the store's pass closed (the next one begins).
func TestChangesCancelledAtRandomInstants(t *testing.T) {
	srv := newStressSandbox(t)
	sc := newStressClients(t, srv)
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 2))
	now := time.Now()
	copts := coupang.WithChangeClock(coupang.ChangeOptions{Lookback: stressRange}, func() time.Time { return now })
	opts := coupang.ExchangeListOptions{CreatedAtFrom: now.Add(-stressRange), CreatedAtTo: now}
	want, _ := fullListing(t, sc.client(t, []coupang.Option{coupang.WithListConcurrency(1)}), opts)
	require.NotEmpty(t, want)
	start := time.Now()
	for _, err := range sc.client(t, nil).Exchanges.Changes(context.Background(), coupang.NewMemoryChangeStore(), copts) {
		require.NoError(t, err)
	}
	full := time.Since(start)
	t.Logf("an uninterrupted pass on a new client: %v", full)
	var st stressTally
	for i := range stressRuns(t) {
		c, kind, release := sc.pick(t, r)
		plan := planCancel(r, full, len(want))
		store := coupang.NewMemoryChangeStore()
		res := runCancelled(plan, func(ctx context.Context) iter.Seq2[int64, error] {
			return changeIDsOf(c.Exchanges.Changes(ctx, store, copts))
		})
		release()
		desc := "pass " + strconv.Itoa(i) + " (" + kind + ", " + plan.String() + ")"
		if !st.check(t, res, want, desc) {
			break
		}
		if !res.hung && res.panicked == nil {
			pass, err := store.BeginPass(context.Background())
			if err != nil {
				t.Errorf("%s: the store's pass was left open: %v", desc, err)
				break
			}
			require.NoError(t, pass.Close())
		}
	}
	st.report(t, "Changes")
	require.Zero(t, st.panics)
	require.Zero(t, st.hangs)
}

func (p cancelPlan) String() string {
	switch p.how {
	case "before":
		return "cancelled before the call"
	case "in the loop":
		return "cancelled in the loop after record " + strconv.Itoa(p.atRecord)
	}
	return p.how + " after " + p.after.String()
}
