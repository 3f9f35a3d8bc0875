package coupang_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/go-coupang/coupang/internal/heapsample"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

// BenchmarkChangesPass measures one pass of Changes over 30 days with 2,000
// exchanges, every call answered after 300 ms, with the client's default
// pacing (5 requests a second): a first pass over an empty file store (all
// new) and a quiet pass (nothing changed). It reports
//
//	{first,quiet}-calls         list calls of the pass
//	{first,quiet}-wall-s        the pass's wall time
//	{first,quiet}-wall/floor    wall time over the budget floor, calls / 5 s
//	                            (no client can be faster)
//	{first,quiet}-yielded       changes yielded
//	{first,quiet}-pass-heap-MiB the largest heap in use during the pass,
//	                            less the heap before it
//	first-live-heap-KiB         the live heap halfway through the first
//	                            pass (after a forced collection), less the
//	                            heap before it: what the pass keeps
//	store-B/1000ex              store file size per 1,000 exchanges
//
// The sandbox runs in a process of its own (startSandboxProcess), so that
// its exchanges, and the garbage of the pages it encodes, are not in the
// heap measured. One iteration takes about 2 × calls × 300 ms (about 20 s);
// run it with -benchtime=1x and -count for min/median/max.
func BenchmarkChangesPass(b *testing.B) {
	const (
		exchanges = 2000
		latency   = 300 * time.Millisecond
		budget    = 5.0 // requests a second
	)
	srv := startSandboxProcess(b, exchanges, 0, latency)
	client, err := coupang.NewClient(coupangtest.DefaultAccessKey, coupangtest.DefaultSecretKey, coupangtest.DefaultVendorID,
		coupang.WithBaseURL(srv.URL))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	opts := coupang.ChangeOptions{Lookback: 30 * 24 * time.Hour}

	// Both passes in one iteration: the quiet pass needs the first pass's
	// store, and running the first pass twice would double the run time.
	type result struct {
		calls, yielded int
		wall           time.Duration
		heapBefore     uint64
		peakHeap       uint64
		liveMid        uint64 // live heap halfway through, less before
	}
	var first, quiet result
	var size int64
	for range b.N {
		path := filepath.Join(b.TempDir(), "changes.json")
		store, err := coupang.NewFileChangeStore(path)
		if err != nil {
			b.Fatal(err)
		}
		pass := func() (r result) {
			before := srv.calls(b)
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			r.heapBefore = ms.HeapAlloc
			stop := sampleHeap()
			start := time.Now()
			for _, err := range client.Exchanges.Changes(ctx, store, opts) {
				if err != nil {
					b.Fatal(err)
				}
				r.yielded++
				if r.yielded == exchanges/2 {
					runtime.GC()
					var mid runtime.MemStats
					runtime.ReadMemStats(&mid)
					r.liveMid = mid.HeapAlloc - min(r.heapBefore, mid.HeapAlloc)
				}
			}
			r.wall = time.Since(start)
			r.peakHeap = stop()
			r.calls = srv.calls(b) - before
			return r
		}
		first = pass()
		if st, err := os.Stat(path); err == nil {
			size = st.Size()
		}
		quiet = pass()
	}
	for name, r := range map[string]result{"first": first, "quiet": quiet} {
		floor := float64(r.calls) / budget
		b.ReportMetric(float64(r.calls), name+"-calls")
		b.ReportMetric(r.wall.Seconds(), name+"-wall-s")
		b.ReportMetric(r.wall.Seconds()/floor, name+"-wall/floor")
		b.ReportMetric(float64(r.yielded), name+"-yielded")
		b.ReportMetric(float64(r.peakHeap-min(r.heapBefore, r.peakHeap))/(1<<20), name+"-pass-heap-MiB")
	}
	b.ReportMetric(float64(first.liveMid)/(1<<10), "first-live-heap-KiB")
	b.ReportMetric(float64(size)*1000/exchanges, "store-B/1000ex")
}

// sampleHeap samples the heap in use every 5 ms until the returned function
// is called, which returns the largest value seen.
func sampleHeap() (stop func() uint64) { return heapsample.Start() }
