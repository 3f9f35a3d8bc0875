package coupang_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

// BenchmarkAllInFlight measures All over the last 30 days of a coupangtest
// sandbox with 2,000 exchanges, every call answered after 100, 300 and
// 600 ms, through a loopback gateway that enforces 5 requests a second, with
// the client's default pacing (5 a second): one request at a time
// (WithListConcurrency(1), All before windows went in flight) side by side
// with the default automatic concurrency. It reports, per latency L:
//
//	30d-L-seq-x      one at a time: wall time / floor
//	30d-L-auto-x     automatic: wall time / floor, where floor is the
//	                 sequential calls / 5 s + one round trip (no client can
//	                 be faster: the budget, then the wait for the last
//	                 answer)
//	30d-L-extra-%    automatic's calls over the sequential calls, in %
//	30d-L-calls      sequential calls
//
// and for the last 7 days at 600 ms: 7d-600ms-seq-x, 7d-600ms-cold-x (a new
// client's first listing: no round trip measured, no cut),
// 7d-600ms-warm-x (a client that has listed before: the week in three
// parts), 7d-600ms-warm-extra-%, 7d-600ms-fixed4-x (a new client with
// WithListConcurrency(4)). Over every run: over-budget (answers the gateway
// refused, 429), max-per-s (the most requests it saw in any one second),
// conns-30d-600ms (connections the automatic 30-day listing at 600 ms
// opened), heap-10x/1x (the peak heap of a 4-in-flight listing of 20,000
// exchanges over that of 2,000, unpaced, 20 ms a call).
//
// One iteration takes about two minutes, so the benchmark runs only when
// COUPANG_BENCH_ALL=1 (the CI smoke run just compiles it):
//
//	COUPANG_BENCH_ALL=1 go test -run='^$' -bench=BenchmarkAllInFlight -benchtime=1x -count=3 .
func BenchmarkAllInFlight(b *testing.B) {
	if os.Getenv("COUPANG_BENCH_ALL") != "1" {
		b.Skip("set COUPANG_BENCH_ALL=1: one iteration takes about two minutes")
	}
	const budget = 5.0
	ctx := context.Background()
	srv := coupangtest.NewTestServer(b, coupangtest.WithExchanges(2000))
	// The gateway counts the requests over 5 in any one second instead of
	// refusing them, so that one late request on this loaded machine does
	// not end the run; they are reported per mode.
	g := newGateway(b, srv, int(budget))
	g.enforce = false
	overOf := func(f func()) float64 {
		g.mu.Lock()
		before := g.over
		g.mu.Unlock()
		f()
		g.mu.Lock()
		defer g.mu.Unlock()
		return float64(g.over - before)
	}
	list := func(c *coupang.Client, days int, opts ...coupang.CallOption) (time.Duration, int) {
		now := time.Now()
		before := g.sent.Load()
		start := time.Now()
		n := 0
		for _, err := range c.Exchanges.All(ctx, coupang.ExchangeListOptions{
			CreatedAtFrom: now.Add(-time.Duration(days) * 24 * time.Hour), CreatedAtTo: now,
		}, opts...) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n == 0 {
			b.Fatal("nothing listed")
		}
		return time.Since(start), int(g.sent.Load() - before)
	}
	// One pacer for every client, as for one vendor: clients listing one
	// after the other must not put two budgets' worth into one second.
	pacer := coupang.NewPacer(budget)
	newClient := func(opts ...coupang.Option) *coupang.Client {
		return g.client(b, append([]coupang.Option{coupang.WithLimiter(pacer)}, opts...)...)
	}
	metrics := map[string]float64{}
	for range b.N {
		for _, lat := range []time.Duration{100 * time.Millisecond, 300 * time.Millisecond, 600 * time.Millisecond} {
			srv.SetLatency(lat)
			name := fmt.Sprintf("30d-%dms-", lat.Milliseconds())
			var seqWall, autoWall time.Duration
			var seqCalls, autoCalls int
			metrics[name+"seq-over"] += overOf(func() { seqWall, seqCalls = list(newClient(coupang.WithListConcurrency(1)), 30) })
			floor := float64(seqCalls)/budget + lat.Seconds()
			g.mu.Lock()
			connsBefore := g.conns
			g.mu.Unlock()
			metrics[name+"auto-over"] += overOf(func() { autoWall, autoCalls = list(newClient(), 30) })
			if lat == 600*time.Millisecond {
				g.mu.Lock()
				metrics["conns-30d-600ms"] = float64(g.conns - connsBefore)
				g.mu.Unlock()
			}
			metrics[name+"seq-x"] = seqWall.Seconds() / floor
			metrics[name+"auto-x"] = autoWall.Seconds() / floor
			metrics[name+"extra-%"] = 100 * (float64(autoCalls)/float64(seqCalls) - 1)
			metrics[name+"calls"] = float64(seqCalls)
		}
		// The last 7 days at 600 ms.
		lat := 600 * time.Millisecond
		seqWall, seqCalls := list(newClient(coupang.WithListConcurrency(1)), 7)
		floor := float64(seqCalls)/budget + lat.Seconds()
		metrics["7d-600ms-seq-x"] = seqWall.Seconds() / floor
		warm := newClient()
		coldWall, _ := list(warm, 7)
		metrics["7d-600ms-cold-x"] = coldWall.Seconds() / floor
		warmWall, warmCalls := list(warm, 7)
		metrics["7d-600ms-warm-x"] = warmWall.Seconds() / floor
		metrics["7d-600ms-warm-extra-%"] = 100 * (float64(warmCalls)/float64(seqCalls) - 1)
		fixedWall, _ := list(newClient(coupang.WithListConcurrency(4)), 7)
		metrics["7d-600ms-fixed4-x"] = fixedWall.Seconds() / floor

		metrics["max-per-s"] = float64(g.maxPerSecond())
		metrics["heap-10x/1x"] = allPeakHeap(b, 20000) / allPeakHeap(b, 2000)
	}
	b.StopTimer()
	for k, v := range metrics {
		if strings.HasSuffix(k, "-over") {
			v /= float64(b.N)
		}
		b.ReportMetric(v, k)
	}
}

// allPeakHeap lists 30 days of a sandbox with n exchanges, served by a
// process of its own (startSandboxProcess) so that only the client's heap
// is counted, 4 windows in flight, unpaced, 20 ms a call, and returns the
// largest heap in use during the listing less the heap before it.
func allPeakHeap(b *testing.B, n int) float64 {
	srv := startSandboxProcess(b, n, 0, 20*time.Millisecond)
	c := srv.client(b, coupang.WithListConcurrency(4))
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	before := ms.HeapAlloc
	stop := sampleHeap()
	now := time.Now()
	got := 0
	for _, err := range c.Exchanges.All(context.Background(), coupang.ExchangeListOptions{
		CreatedAtFrom: now.Add(-30 * 24 * time.Hour), CreatedAtTo: now,
	}) {
		if err != nil {
			b.Fatal(err)
		}
		got++
	}
	peak := stop()
	if got != n {
		b.Fatalf("listed %d of %d", got, n)
	}
	return float64(peak - min(before, peak))
}

// BenchmarkAllReadAheadHeap measures the peak heap of All against a
// sandbox in another process (only the client's heap counts), 4 windows in
// flight, unpaced, 20 ms a call, over 30 days: exchanges (2,000 and 20,000)
// and the return sweep (2,000 and 20,000). It reports each peak in MiB and
// the ratios ex-heap-10x/1x and ret-heap-10x/1x (the budget: ≤ 1.5).
//
//	go test -run='^$' -bench=BenchmarkAllReadAheadHeap -benchtime=1x -count=5 .
func BenchmarkAllReadAheadHeap(b *testing.B) {
	m := map[string]float64{}
	for range b.N {
		ex1, ex10 := allPeakHeap(b, 2000), allPeakHeap(b, 20000)
		ret1, ret10 := returnPeakHeap(b, 2000), returnPeakHeap(b, 20000)
		m["ex-1x-MiB"] += ex1 / (1 << 20)
		m["ex-10x-MiB"] += ex10 / (1 << 20)
		m["ex-heap-10x/1x"] += ex10 / ex1
		m["ret-1x-MiB"] += ret1 / (1 << 20)
		m["ret-10x-MiB"] += ret10 / (1 << 20)
		m["ret-heap-10x/1x"] += ret10 / ret1
	}
	b.StopTimer()
	for k, v := range m {
		b.ReportMetric(v/float64(b.N), k)
	}
}

// BenchmarkAllSlowAnswers measures All and the return sweep when Coupang
// answers slowly, through the loopback gateway of BenchmarkAllInFlight with
// one shared NewPacer(5): exchanges (2,000 over 30 days) at 1.2 s a call
// over 30 and 7 days, each with a new client (nothing measured: its first
// plan) and with the same client again (warm), and the four-filter return
// sweep (2,000 returns) over 30 days at 300 ms, new and warm. Each is
// reported as wall time over the floor, the calls one request at a time
// would make (counted with WithListConcurrency(1) on instant answers) / 5 s
// plus one round trip; and its calls over those, in %.
//
//	COUPANG_BENCH_ALL=1 go test -run='^$' -bench=BenchmarkAllSlowAnswers -benchtime=1x -count=5 .
func BenchmarkAllSlowAnswers(b *testing.B) {
	if os.Getenv("COUPANG_BENCH_ALL") != "1" {
		b.Skip("set COUPANG_BENCH_ALL=1: one iteration takes about a minute")
	}
	const budget = 5.0
	ctx := context.Background()
	exSrv := coupangtest.NewTestServer(b, coupangtest.WithExchanges(2000))
	retSrv := coupangtest.NewTestServer(b, coupangtest.WithExchanges(0), coupangtest.WithReturns(2000))
	exG, retG := newGateway(b, exSrv, int(budget)), newGateway(b, retSrv, int(budget))
	exG.enforce, retG.enforce = false, false
	pacer := coupang.NewPacer(budget)
	listEx := func(c *coupang.Client, days int) (time.Duration, int) {
		now := time.Now()
		before, start, n := exG.sent.Load(), time.Now(), 0
		for _, err := range c.Exchanges.All(ctx, coupang.ExchangeListOptions{CreatedAtFrom: now.Add(-time.Duration(days) * 24 * time.Hour), CreatedAtTo: now}) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n == 0 {
			b.Fatal("nothing listed")
		}
		return time.Since(start), int(exG.sent.Load() - before)
	}
	sweep := func(c *coupang.Client) (time.Duration, int) {
		now := time.Now()
		before, start, n := retG.sent.Load(), time.Now(), 0
		for _, err := range c.Returns.All(ctx, coupang.ReturnListOptions{CreatedAtFrom: now.Add(-30 * 24 * time.Hour), CreatedAtTo: now}) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n == 0 {
			b.Fatal("nothing listed")
		}
		return time.Since(start), int(retG.sent.Load() - before)
	}
	m := map[string]float64{}
	record := func(name string, wall time.Duration, calls, seqCalls int, lat time.Duration) {
		m[name+"-x"] += wall.Seconds() / (float64(seqCalls)/budget + lat.Seconds())
		m[name+"-extra-%"] += 100 * (float64(calls)/float64(seqCalls) - 1)
	}
	for range b.N {
		exSrv.SetLatency(0)
		retSrv.SetLatency(0)
		_, seq30 := listEx(exG.client(b, coupang.WithRateLimit(0), coupang.WithListConcurrency(1)), 30)
		_, seq7 := listEx(exG.client(b, coupang.WithRateLimit(0), coupang.WithListConcurrency(1)), 7)
		_, seqRet := sweep(retG.client(b, coupang.WithRateLimit(0), coupang.WithListConcurrency(1)))
		lat := 1200 * time.Millisecond
		exSrv.SetLatency(lat)
		for _, days := range []int{30, 7} {
			seq := map[int]int{30: seq30, 7: seq7}[days]
			c := exG.client(b, coupang.WithLimiter(pacer))
			wall, calls := listEx(c, days)
			record(fmt.Sprintf("ex%dd-new", days), wall, calls, seq, lat)
			wall, calls = listEx(c, days)
			record(fmt.Sprintf("ex%dd-warm", days), wall, calls, seq, lat)
		}
		lat = 300 * time.Millisecond
		retSrv.SetLatency(lat)
		c := retG.client(b, coupang.WithLimiter(pacer))
		wall, calls := sweep(c)
		record("ret30d-new", wall, calls, seqRet, lat)
		wall, calls = sweep(c)
		record("ret30d-warm", wall, calls, seqRet, lat)
		m["ex30d-calls"] += float64(seq30)
		m["ex7d-calls"] += float64(seq7)
		m["ret30d-calls"] += float64(seqRet)
	}
	b.StopTimer()
	for k, v := range m {
		b.ReportMetric(v/float64(b.N), k)
	}
}

// TestAllSlowAnswersSimulated runs the listings of BenchmarkAllSlowAnswers
// and BenchmarkAllInFlight in a testing/synctest bubble: the sandbox served
// in memory, its latency and the pacer on the bubble's clock, so that the
// figures are the scheduler's alone, free of the machine's load (no CPU
// time counts). It logs each listing's time over the floor and its calls;
// set COUPANG_SIM_TRACE to a listing's name (ret-new, ex30d-warm, ...) to
// print its requests as they were let go. Deterministic but for the order
// of goroutines woken at one instant.
//
//	COUPANG_BENCH_ALL=1 go test -run=TestAllSlowAnswersSimulated -v .
func TestAllSlowAnswersSimulated(t *testing.T) {
	if os.Getenv("COUPANG_BENCH_ALL") != "1" {
		t.Skip("set COUPANG_BENCH_ALL=1: a figure, not a check")
	}
	d0 := time.Date(2000, 3, 1, 0, 0, 0, 0, time.UTC)
	var inBubble atomic.Bool
	var trace *strings.Builder
	var traceStart time.Time
	clock := func() time.Time {
		if inBubble.Load() {
			return time.Now()
		}
		return d0
	}
	exSrv := coupangtest.NewServer(coupangtest.WithExchanges(2000), coupangtest.WithClock(clock))
	retSrv := coupangtest.NewServer(coupangtest.WithExchanges(0), coupangtest.WithReturns(2000), coupangtest.WithClock(clock))
	defer exSrv.Close()
	defer retSrv.Close()
	synctest.Test(t, func(t *testing.T) {
		time.Sleep(time.Until(d0))
		inBubble.Store(true)
		var sent atomic.Int64
		mk := func(srv *coupangtest.Server, opts ...coupang.Option) *coupang.Client {
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				sent.Add(1)
				if trace != nil {
					q := r.URL.Query()
					fmt.Fprintf(trace, "%6.2f %s %s %s %s\n", time.Since(traceStart).Seconds(), q.Get("createdAtFrom"), q.Get("createdAtTo"), q.Get("status"), q.Get("nextToken"))
				}
				srv.ServeHTTP(w, r)
			})
			return sandboxInMemory(t, srv, h, append([]coupang.Option{coupang.WithMaxRetries(0)}, opts...)...)
		}
		ctx := context.Background()
		listEx := func(c *coupang.Client, days int) (time.Duration, int) {
			now := time.Now()
			before, start, n := sent.Load(), time.Now(), 0
			for _, err := range c.Exchanges.All(ctx, coupang.ExchangeListOptions{CreatedAtFrom: now.Add(-time.Duration(days) * 24 * time.Hour), CreatedAtTo: now}) {
				if err != nil {
					t.Fatal(err)
				}
				n++
			}
			return time.Since(start), int(sent.Load() - before)
		}
		sweep := func(c *coupang.Client) (time.Duration, int) {
			now := time.Now()
			before, start, n := sent.Load(), time.Now(), 0
			for _, err := range c.Returns.All(ctx, coupang.ReturnListOptions{CreatedAtFrom: now.Add(-30 * 24 * time.Hour), CreatedAtTo: now}) {
				if err != nil {
					t.Fatal(err)
				}
				n++
			}
			return time.Since(start), int(sent.Load() - before)
		}
		pacer := coupang.NewPacer(5)
		_, seq30 := listEx(mk(exSrv, coupang.WithRateLimit(0), coupang.WithListConcurrency(1)), 30)
		_, seq7 := listEx(mk(exSrv, coupang.WithRateLimit(0), coupang.WithListConcurrency(1)), 7)
		_, seqRet := sweep(mk(retSrv, coupang.WithRateLimit(0), coupang.WithListConcurrency(1)))
		only := os.Getenv("COUPANG_SIM_TRACE")
		rep := func(name string, wall time.Duration, calls, seq int, lat time.Duration) {
			if trace != nil && only == name {
				fmt.Fprintf(os.Stderr, "%s", trace.String())
			}
			trace = nil
			if only != "" {
				trace = &strings.Builder{}
			}
			traceStart = time.Now()
			t.Logf("%-14s %.3fx  calls %d (+%.1f%%)", name, wall.Seconds()/(float64(seq)/5+lat.Seconds()), calls, 100*(float64(calls)/float64(seq)-1))
		}
		if only != "" {
			trace = &strings.Builder{}
		}
		traceStart = time.Now()
		for _, lat := range []time.Duration{100 * time.Millisecond, 300 * time.Millisecond, 600 * time.Millisecond} {
			exSrv.SetLatency(lat)
			wall, calls := listEx(mk(exSrv, coupang.WithLimiter(pacer)), 30)
			rep(fmt.Sprintf("ex30d-%v-new", lat), wall, calls, seq30, lat)
		}
		for _, lat := range []time.Duration{100 * time.Millisecond, 300 * time.Millisecond, 600 * time.Millisecond} {
			exSrv.SetLatency(lat)
			c := mk(exSrv, coupang.WithLimiter(pacer))
			listEx(c, 30)
			wall, calls := listEx(c, 30)
			rep(fmt.Sprintf("ex30d-%v-warm", lat), wall, calls, seq30, lat)
		}
		exSrv.SetLatency(600 * time.Millisecond)
		c := mk(exSrv, coupang.WithLimiter(pacer))
		wall, calls := listEx(c, 7)
		rep("ex7d-600-new", wall, calls, seq7, 600*time.Millisecond)
		wall, calls = listEx(c, 7)
		rep("ex7d-600-warm", wall, calls, seq7, 600*time.Millisecond)
		lat := 1200 * time.Millisecond
		exSrv.SetLatency(lat)
		for _, days := range []int{30, 7} {
			seq := map[int]int{30: seq30, 7: seq7}[days]
			c := mk(exSrv, coupang.WithLimiter(pacer))
			wall, calls := listEx(c, days)
			rep(fmt.Sprintf("ex%dd-new", days), wall, calls, seq, lat)
			wall, calls = listEx(c, days)
			rep(fmt.Sprintf("ex%dd-warm", days), wall, calls, seq, lat)
		}
		lat = 300 * time.Millisecond
		retSrv.SetLatency(lat)
		c = mk(retSrv, coupang.WithLimiter(pacer))
		wall, calls = sweep(c)
		rep("ret-new", wall, calls, seqRet, lat)
		wall, calls = sweep(c)
		rep("ret-warm", wall, calls, seqRet, lat)
		t.Logf("seq30 %d seq7 %d seqRet %d", seq30, seq7, seqRet)
	})
}
