package coupangredis_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"

	"github.com/go-coupang/coupang/coupangredis"
	"github.com/go-coupang/coupang/coupangredis/internal/redistest"
)

// processCPU is the CPU time this process has used, user and system, in
// ns: the client's cost only, redis-server being a process of its own.
func processCPU() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// waiter is one vendor's limiter as a benchmark drives it.
type waiter func(ctx context.Context) error

// redisRateWaiter is the Wait a user of github.com/go-redis/redis_rate
// writes, with the same GCRA (5/s, burst 1): Allow, and sleep RetryAfter
// when refused.
func redisRateWaiter(rl *redis_rate.Limiter, key string, perSecond int) waiter {
	limit := redis_rate.Limit{Rate: perSecond, Burst: 1, Period: time.Second}
	return func(ctx context.Context) error {
		for {
			res, err := rl.Allow(ctx, key, limit)
			if err != nil {
				return err
			}
			if res.Allowed > 0 {
				return nil
			}
			t := time.NewTimer(res.RetryAfter)
			select {
			case <-t.C:
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			}
		}
	}
}

// BenchmarkManyVendors: 10,000 vendors, each paced at 5/s by its own
// limiter and driven by one goroutine calling Wait in a loop, in one process
// on one Redis — coupangredis beside redis_rate, on the same Redis and the
// same go-redis client settings. One iteration is one 3-second run; run with
// -benchtime=1x -count=N and report min/median/max (BENCHMARKS.md). The
// figures: grants/s over the run, and the client's CPU per grant.
func BenchmarkManyVendors(b *testing.B) {
	const vendors, perSecond, run = 10_000, 5, 3 * time.Second
	srv := redistest.Start(b)
	impls := []struct {
		name string
		make func(rdb *redis.Client, prefix string) []waiter
	}{
		{"coupangredis", func(rdb *redis.Client, prefix string) []waiter {
			ws := make([]waiter, vendors)
			for i := range ws {
				ws[i] = coupangredis.NewLimiter(rdb, fmt.Sprintf("%s%05d", prefix, i), perSecond, coupangredis.WithLogger(nil)).Wait
			}
			return ws
		}},
		{"redis_rate", func(rdb *redis.Client, prefix string) []waiter {
			rl := redis_rate.NewLimiter(rdb)
			ws := make([]waiter, vendors)
			for i := range ws {
				ws[i] = redisRateWaiter(rl, fmt.Sprintf("%s%05d", prefix, i), perSecond)
			}
			return ws
		}},
	}
	for _, impl := range impls {
		b.Run(impl.name, func(b *testing.B) {
			rdb := srv.Client(b)
			for range b.N {
				ws := impl.make(rdb, vendor(b))
				ctx, cancel := context.WithTimeout(context.Background(), run)
				var grants atomic.Int64
				var wg sync.WaitGroup
				cpu0, t0 := processCPU(), time.Now()
				for _, w := range ws {
					wg.Go(func() {
						for w(ctx) == nil {
							grants.Add(1)
						}
					})
				}
				wg.Wait()
				cpu, wall := processCPU()-cpu0, time.Since(t0)
				cancel()
				n := grants.Load()
				b.ReportMetric(float64(n)/wall.Seconds(), "grants/s")
				b.ReportMetric(float64(cpu)/float64(max(n, 1))/1e3, "cpu-µs/grant")
			}
		})
	}
}

// BenchmarkWaitRedisRate is BenchmarkWait for redis_rate: one Allow, when a
// slot is free, on the same loopback Redis.
func BenchmarkWaitRedisRate(b *testing.B) {
	srv := redistest.Start(b)
	w := redisRateWaiter(redis_rate.NewLimiter(srv.Client(b)), vendor(b), 1e6)
	ctx := context.Background()
	b.ReportAllocs()
	cpu0, n := processCPU(), 0
	for b.Loop() {
		if err := w(ctx); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64(processCPU()-cpu0)/float64(max(n, 1))/1e3, "cpu-µs/op")
}
