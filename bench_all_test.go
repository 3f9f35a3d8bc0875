package coupang_test

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
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

// allPeakHeap lists 30 days of a sandbox with n exchanges, 4 windows in
// flight, unpaced, 20 ms a call, and returns the largest heap in use during
// the listing less the heap before it.
func allPeakHeap(b *testing.B, n int) float64 {
	srv := coupangtest.NewServer(coupangtest.WithExchanges(n))
	defer srv.Close()
	srv.SetLatency(20 * time.Millisecond)
	c, err := srv.Client(coupang.WithListConcurrency(4))
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = c.Close() }()
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
