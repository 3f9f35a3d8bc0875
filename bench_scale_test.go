package coupang_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-coupang/coupang"
)

// BenchmarkChangeStoreScale measures whole passes of Changes with the
// memory and the file store at 2,000, 20,000 and 100,000 exchanges, against
// a coupangtest sandbox served by another process (startSandboxProcess),
// so that only the client's CPU and heap are counted, with pacing lifted
// (WithRateLimit(0)) and no answer latency. One iteration is two passes
// over a new store and a new sandbox:
//
//   - first: an empty store, every exchange new;
//   - pct1: the next pass after the sandbox changed 1 % of the exchanges
//     (withdrawn: status and modification time changed).
//
// It reports, per pass, the process's CPU time (user + system), the bytes
// the store wrote (write system calls from /proc/self/io less what went to
// the sandbox's sockets: the file store's appends; 0 for the memory store),
// the peak heap (HeapAlloc high-water, sampled every 5 ms; the memory
// store's records included, since they live on the heap) and that peak
// less the heap before the pass; and the changes yielded (n, then n/100).
// The Redis store's figures come from the same benchmark in coupangredis.
//
// Run with -benchtime=1x and -count for min/median/max. n=20000 and 100000
// run only with COUPANG_BENCH_SCALE=1: at 100k an iteration takes one to two minutes on
// two shared vCPUs, most of it the sandbox process's.
func BenchmarkChangeStoreScale(b *testing.B) {
	stores := []struct {
		name string
		open func(b *testing.B) coupang.ChangeStore
	}{
		{"memory", func(*testing.B) coupang.ChangeStore { return coupang.NewMemoryChangeStore() }},
		{"file", func(b *testing.B) coupang.ChangeStore {
			s, err := coupang.NewFileChangeStore(filepath.Join(b.TempDir(), "changes.json"))
			if err != nil {
				b.Fatal(err)
			}
			return s
		}},
	}
	for _, n := range []int{2000, 20000, 100000} {
		for _, st := range stores {
			b.Run(fmt.Sprintf("n=%d/store=%s", n, st.name), func(b *testing.B) {
				if n > 2000 && os.Getenv("COUPANG_BENCH_SCALE") == "" {
					b.Skip("set COUPANG_BENCH_SCALE=1 for 20k and 100k: CI's smoke runs 2k only")
				}
				var first, pct1 scalePassCost
				for range b.N {
					sb := startSandboxProcess(b, n, 0, 0)
					client, sent := scaleClient(b, sb.URL)
					store := st.open(b)
					first = measureChangesPass(b, client, store, sent, n)
					sb.change(b)
					pct1 = measureChangesPass(b, client, store, sent, n/100)
					sb.stop()
				}
				first.report(b, "first")
				pct1.report(b, "pct1")
			})
		}
	}
}

// scalePassCost is what one pass of Changes cost the client's process.
type scalePassCost struct {
	cpu       time.Duration
	written   int64 // by write system calls, less what went to the sandbox
	peakHeap  uint64
	heapStart uint64
	yielded   int
}

func (c scalePassCost) report(b *testing.B, name string) {
	b.ReportMetric(c.cpu.Seconds(), name+"-cpu-s")
	b.ReportMetric(float64(c.written)/1e6, name+"-written-MB")
	b.ReportMetric(float64(c.peakHeap)/(1<<20), name+"-peak-heap-MiB")
	b.ReportMetric(float64(c.peakHeap-min(c.heapStart, c.peakHeap))/(1<<20), name+"-pass-heap-MiB")
	b.ReportMetric(float64(c.yielded), name+"-yielded")
}

// measureChangesPass runs one pass of Changes over 30 days and measures it;
// sent counts the bytes the client wrote to the sandbox's connections.
func measureChangesPass(b *testing.B, client *coupang.Client, store coupang.ChangeStore, sent *atomic.Int64, want int) scalePassCost {
	b.Helper()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	c := scalePassCost{heapStart: ms.HeapAlloc}
	stop := sampleHeap()
	cpu0, w0, s0 := processCPU(), bytesWritten(), sent.Load()
	for _, err := range client.Exchanges.Changes(context.Background(), store, coupang.ChangeOptions{Lookback: 30 * 24 * time.Hour}) {
		if err != nil {
			b.Fatal(err)
		}
		c.yielded++
	}
	c.cpu = time.Duration(processCPU() - cpu0)
	c.written = bytesWritten() - w0 - (sent.Load() - s0)
	c.peakHeap = stop()
	if c.yielded != want {
		b.Fatalf("pass yielded %d changes, want %d", c.yielded, want)
	}
	return c
}
