package coupangredis_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/go-coupang/coupang/coupangredis"
	"github.com/go-coupang/coupang/coupangredis/internal/redistest"
)

// budgetServer answers 429 to a request that makes more than perSecond
// arrivals within one second, as Coupang's per-vendor counter does.
func budgetServer(perSecond int) func(n int, at time.Time) (int, http.Header, time.Duration) {
	var (
		mu     sync.Mutex
		recent []time.Time
	)
	return func(_ int, at time.Time) (int, http.Header, time.Duration) {
		mu.Lock()
		defer mu.Unlock()
		recent = append(recent, at)
		for len(recent) > 0 && at.Sub(recent[0]) >= time.Second {
			recent = recent[1:]
		}
		if len(recent) > perSecond {
			return http.StatusTooManyRequests, nil, 0
		}
		return http.StatusOK, nil, 0
	}
}

// BenchmarkSharedBudget: 3 processes × 4 goroutines share 5/s through Redis
// against a loopback server that allows 5/s. One iteration is one 5-second
// run; the figures are per run. Run with -benchtime=1x -count=N and report
// min/median/max (BENCHMARKS.md).
func BenchmarkSharedBudget(b *testing.B) {
	srv := redistest.Start(b)
	for range b.N {
		rec := newRecorder(b, budgetServer(5))
		res := children(b, 3, map[string]string{
			"REDIS_ADDR": srv.Addr, "VENDOR": vendor(b), "SERVER_URL": rec.URL,
			"RATE": "5", "GOROUTINES": "4", "DURATION_MS": "5000",
		})
		rec.Close()
		ts := rec.times()
		var throttled, grants, trips int64
		for _, r := range res {
			throttled += int64(r.Statuses["429"])
			grants += r.Grants
			trips += r.RoundTrips
		}
		b.ReportMetric(achievedRate(ts), "req/s")
		b.ReportMetric(float64(maxInWindow(ts, time.Second)), "max-in-1s")
		b.ReportMetric(float64(throttled), "429s")
		b.ReportMetric(float64(minSpan(ts, 5).Milliseconds()), "ms-min-span-6")
		b.ReportMetric(float64(trips)/float64(max(grants, 1)), "redis-trips/wait")
	}
}

// BenchmarkWait is the cost of one Wait when a slot is free: one round trip
// to a loopback Redis running the pacing script. cpu-µs/op is this process's
// CPU (getrusage) per Wait, the client's cost; compare it with
// BenchmarkWaitRedisRate's in the same run.
func BenchmarkWait(b *testing.B) {
	srv := redistest.Start(b)
	lim := coupangredis.NewLimiter(srv.Client(b), vendor(b), 1e6, coupangredis.WithLogger(nil))
	benchWaits(b, lim)
}

// benchWaits measures lim's Wait, one at a time: the process's CPU per
// call and the Redis round trips per grant.
func benchWaits(b *testing.B, lim *coupangredis.Limiter) {
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := processCPU()
	for range b.N {
		if err := lim.Wait(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(processCPU()-cpu0)/float64(b.N)/1e3, "cpu-µs/op")
	grants, trips := lim.Stats()
	b.ReportMetric(float64(trips)/float64(max(grants, 1)), "redis-trips/wait")
}

// BenchmarkWaitPipeline is BenchmarkWait through a Pipeline: one Wait at a
// time, so every batch holds one call; the cost of the hand-over to the
// writer goroutine when nothing else is waiting.
func BenchmarkWaitPipeline(b *testing.B) {
	srv := redistest.Start(b)
	rdb := srv.Client(b)
	p := coupangredis.NewPipeline(rdb)
	defer p.Close()
	lim := coupangredis.NewLimiter(rdb, vendor(b), 1e6, coupangredis.WithLogger(nil), coupangredis.WithPipeline(p))
	benchWaits(b, lim)
}
