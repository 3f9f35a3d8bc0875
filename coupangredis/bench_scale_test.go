package coupangredis_test

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangredis"
	"github.com/go-coupang/coupang/coupangredis/internal/redistest"
	"github.com/go-coupang/coupang/coupangtest"
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
// same go-redis client settings. "coupangredis" is what a process with many
// vendors writes: every Limiter shares one Pipeline; "coupangredis-direct"
// is the same without it (each Wait its own command). One iteration is one
// 3-second run; run with -benchtime=1x -count=N and report min/median/max
// (BENCHMARKS.md). The figures: grants/s over the run, the client's CPU per
// grant, redis-server's CPU per grant and in cores over the run (from INFO),
// and for the Pipeline the wait script calls per batch.
func BenchmarkManyVendors(b *testing.B) {
	const vendors, perSecond, run = 10_000, 5, 3 * time.Second
	srv := redistest.Start(b)
	limiters := func(rdb *redis.Client, prefix string, opts ...coupangredis.Option) []waiter {
		ws := make([]waiter, vendors)
		opts = append(opts, coupangredis.WithLogger(nil))
		for i := range ws {
			ws[i] = coupangredis.NewLimiter(rdb, fmt.Sprintf("%s%05d", prefix, i), perSecond, opts...).Wait
		}
		return ws
	}
	impls := []struct {
		name string
		make func(b *testing.B, rdb *redis.Client, prefix string) []waiter
	}{
		{"coupangredis", func(b *testing.B, rdb *redis.Client, prefix string) []waiter {
			p := coupangredis.NewPipeline(rdb)
			b.Cleanup(func() {
				batches, cmds := p.Stats()
				b.ReportMetric(float64(cmds)/float64(max(batches, 1)), "calls/batch")
				_ = p.Close()
			})
			return limiters(rdb, prefix, coupangredis.WithPipeline(p))
		}},
		{"coupangredis-direct", func(b *testing.B, rdb *redis.Client, prefix string) []waiter {
			return limiters(rdb, prefix)
		}},
		{"redis_rate", func(b *testing.B, rdb *redis.Client, prefix string) []waiter {
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
				ws := impl.make(b, rdb, vendor(b))
				ctx, cancel := context.WithTimeout(context.Background(), run)
				var grants atomic.Int64
				var wg sync.WaitGroup
				rcpu0, _, _ := redisServerStats(b, rdb)
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
				rcpu1, _, _ := redisServerStats(b, rdb)
				n := grants.Load()
				b.ReportMetric(float64(n)/wall.Seconds(), "grants/s")
				b.ReportMetric(float64(cpu)/float64(max(n, 1))/1e3, "cpu-µs/grant")
				b.ReportMetric(float64(rcpu1-rcpu0)/float64(max(n, 1))/1e3, "redis-cpu-µs/grant")
				b.ReportMetric((rcpu1-rcpu0).Seconds()/wall.Seconds(), "redis-cores")
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

// BenchmarkChangeStoreScale is the root module's BenchmarkChangeStoreScale
// for the Redis store (NewChangeStore on a redis-server of its own): whole
// passes of Changes at 2,000, 20,000 and 100,000 exchanges against a
// coupangtest sandbox in another process, pacing lifted; a first pass over
// an empty store, then a pass after 1 % of the exchanges changed. It
// reports, per pass, the client process's CPU time, the bytes it sent to
// Redis (counted on its connections; redis-server's total_net_input_bytes
// agrees, less the benchmark's own INFO calls) and those Redis sent back
// (total_net_output_bytes, INFO's answer included), redis-server's own CPU
// (used_cpu_user + used_cpu_sys from INFO), the client's peak heap
// (HeapAlloc high-water, sampled every 5 ms) and that peak less the heap
// before the pass, and the changes yielded. Run with -benchtime=1x and
// -count for min/median/max; n=100000 runs only with
// COUPANG_BENCH_SCALE=1, as in the root.
func BenchmarkChangeStoreScale(b *testing.B) {
	bin := scaleSandboxBinary(b)
	srv := redistest.StartOwn(b)
	sent := new(atomic.Int64)
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr, Dialer: countingDialer(sent)})
	b.Cleanup(func() { _ = rdb.Close() })
	ctx := context.Background()
	for _, n := range []int{2000, 20000, 100000} {
		b.Run(fmt.Sprintf("n=%d/store=redis", n), func(b *testing.B) {
			if n > 2000 && os.Getenv("COUPANG_BENCH_SCALE") == "" {
				b.Skip("set COUPANG_BENCH_SCALE=1 for 20k and 100k: CI's smoke runs 2k only")
			}
			var first, pct1 redisPassCost
			for range b.N {
				if err := rdb.FlushAll(ctx).Err(); err != nil {
					b.Fatal(err)
				}
				sb := startScaleSandbox(b, bin, n)
				client, err := coupang.NewClient(coupangtest.DefaultAccessKey, coupangtest.DefaultSecretKey, coupangtest.DefaultVendorID,
					coupang.WithBaseURL(sb.url), coupang.WithRateLimit(0))
				if err != nil {
					b.Fatal(err)
				}
				store, err := coupangredis.NewChangeStore(rdb, coupangtest.DefaultVendorID, 0)
				if err != nil {
					b.Fatal(err)
				}
				first = measureRedisPass(b, client, store, rdb, sent, n)
				sb.change(b)
				pct1 = measureRedisPass(b, client, store, rdb, sent, n/100)
				_ = client.Close()
				sb.stop()
			}
			first.report(b, "first")
			pct1.report(b, "pct1")
		})
	}
}

// redisPassCost is what one pass of Changes cost the client and Redis.
type redisPassCost struct {
	cpu, serverCPU      time.Duration
	sent, serverInput   int64
	serverOutput        int64
	peakHeap, heapStart uint64
	yielded             int
}

func (c redisPassCost) report(b *testing.B, name string) {
	b.ReportMetric(c.cpu.Seconds(), name+"-cpu-s")
	b.ReportMetric(c.serverCPU.Seconds(), name+"-redis-cpu-s")
	b.ReportMetric(float64(c.sent)/1e6, name+"-sent-MB")
	b.ReportMetric(float64(c.serverInput)/1e6, name+"-redis-input-MB")
	b.ReportMetric(float64(c.serverOutput)/1e6, name+"-redis-output-MB")
	b.ReportMetric(float64(c.peakHeap)/(1<<20), name+"-peak-heap-MiB")
	b.ReportMetric(float64(c.peakHeap-min(c.heapStart, c.peakHeap))/(1<<20), name+"-pass-heap-MiB")
	b.ReportMetric(float64(c.yielded), name+"-yielded")
}

func measureRedisPass(b *testing.B, client *coupang.Client, store coupang.ChangeStore, rdb *redis.Client, sent *atomic.Int64, want int) redisPassCost {
	b.Helper()
	ctx := context.Background()
	cpu0, in0, out0 := redisServerStats(b, rdb)
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	c := redisPassCost{heapStart: ms.HeapAlloc}
	stop := sampleHeap()
	pcpu0, s0 := processCPU(), sent.Load()
	for _, err := range client.Exchanges.Changes(ctx, store, coupang.ChangeOptions{Lookback: 30 * 24 * time.Hour}) {
		if err != nil {
			b.Fatal(err)
		}
		c.yielded++
	}
	c.cpu = time.Duration(processCPU() - pcpu0)
	c.sent = sent.Load() - s0
	c.peakHeap = stop()
	cpu1, in1, out1 := redisServerStats(b, rdb)
	c.serverCPU, c.serverInput, c.serverOutput = cpu1-cpu0, in1-in0, out1-out0
	if c.yielded != want {
		b.Fatalf("pass yielded %d changes, want %d", c.yielded, want)
	}
	return c
}

// redisServerStats returns redis-server's CPU time (user + system) and the
// bytes it has read from its clients and sent them, from INFO.
func redisServerStats(b *testing.B, rdb *redis.Client) (cpuTime time.Duration, input, output int64) {
	b.Helper()
	info, err := rdb.Info(context.Background(), "cpu", "stats").Result()
	if err != nil {
		b.Fatal(err)
	}
	var cpu float64
	for line := range strings.Lines(info) {
		k, v, ok := strings.Cut(strings.TrimSpace(line), ":")
		if !ok {
			continue
		}
		switch k {
		case "used_cpu_user", "used_cpu_sys":
			f, _ := strconv.ParseFloat(v, 64)
			cpu += f
		case "total_net_input_bytes":
			input, _ = strconv.ParseInt(v, 10, 64)
		case "total_net_output_bytes":
			output, _ = strconv.ParseInt(v, 10, 64)
		}
	}
	return time.Duration(cpu * float64(time.Second)), input, output
}
