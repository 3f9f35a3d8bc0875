package coupang_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-coupang/coupang"
)

// BenchmarkFileStoreScale measures the file ChangeStore's own cost in the
// two passes that matter, at 2,000, 20,000 and 100,000 exchanges, for the
// journal (NewFileChangeStore) and for version 0.1.0's store, which
// rewrote the whole file at every commit (NewBaselineFileChangeStore, kept
// in a test file). The passes replay what Changes does to its store,
// without the listing (whose cost is the same for every store):
//
//   - first: an empty store; every exchange looked up and committed in
//     batches of 100 (Changes commits every 100 acknowledged changes), then
//     the end-of-pass commit that forgets (nothing here) and MarkPass.
//   - pct1: the next pass, 1 % of the exchanges changed: every exchange
//     looked up, the changed ones committed about once a second at real
//     pacing (5 list calls a second of 50 exchanges: a pass over n
//     exchanges lasts n/250 s, so n/250 commits of 2–3 records each), then
//     the end-of-pass commit that forgets.
//
// It reports, per pass, the process's CPU time (user + system, so the
// syncs' kernel time too), the bytes it wrote (write system calls, from
// /proc/self/io; 0 elsewhere), and its peak heap over the heap before it;
// and the file's size after the passes. Run it with -benchtime=1x and
// -count for min/median/max. The 100,000 case of 0.1.0 writes gigabytes
// and takes minutes: it runs only with COUPANG_BENCH_BASELINE_100K=1.
func BenchmarkFileStoreScale(b *testing.B) {
	stores := []struct {
		name string
		open func(string) (coupang.ChangeStore, error)
	}{
		{"journal", coupang.NewFileChangeStore},
		{"v0.1.0", coupang.NewBaselineFileChangeStore},
	}
	for _, n := range []int{2000, 20000, 100000} {
		for _, st := range stores {
			b.Run(fmt.Sprintf("n=%d/store=%s", n, st.name), func(b *testing.B) {
				if n == 100000 && st.name != "journal" && os.Getenv("COUPANG_BENCH_BASELINE_100K") == "" {
					b.Skip("set COUPANG_BENCH_BASELINE_100K=1: minutes of CPU and gigabytes written")
				}
				recs := scaleRecords(n)
				var first, pct1 storeCost
				var size int64
				for range b.N {
					path := filepath.Join(b.TempDir(), "changes.json")
					store, err := st.open(path)
					if err != nil {
						b.Fatal(err)
					}
					first = measureStore(func() error { return firstStorePass(store, recs) })
					pct1 = measureStore(func() error { return changedStorePass(store, recs) })
					if fi, err := os.Stat(path); err == nil {
						size = fi.Size()
					}
				}
				for name, c := range map[string]storeCost{"first": first, "pct1": pct1} {
					b.ReportMetric(c.cpu.Seconds(), name+"-cpu-s")
					b.ReportMetric(float64(c.written)/1e6, name+"-written-MB")
					b.ReportMetric(float64(c.peakHeap)/(1<<20), name+"-heap-MiB")
				}
				b.ReportMetric(float64(size)/1e6, "file-MB")
			})
		}
	}
}

// storeCost is what one pass cost.
type storeCost struct {
	cpu      time.Duration
	written  int64
	peakHeap uint64
}

func measureStore(pass func() error) storeCost {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	heapBefore := ms.HeapAlloc
	stop := sampleHeap()
	cpu, written := processCPU(), bytesWritten()
	if err := pass(); err != nil {
		panic(err) // a benchmark helper: b is not at hand in the closure's caller
	}
	c := storeCost{cpu: time.Duration(processCPU() - cpu), written: bytesWritten() - written}
	peak := stop()
	c.peakHeap = peak - min(heapBefore, peak)
	return c
}

// bytesWritten is what the process has written through write system calls
// (wchar of /proc/self/io), or 0 where that file does not exist.
func bytesWritten() int64 {
	f, err := os.Open("/proc/self/io")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "wchar: "); ok {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
	return 0
}

// scaleRecords returns n records as Changes stores them: ids, creation
// times over 30 days, and 78-character fingerprints.
func scaleRecords(n int) []coupang.ChangeRecord {
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	recs := make([]coupang.ChangeRecord, n)
	for i := range recs {
		recs[i] = coupang.ChangeRecord{
			ExchangeID:  400_000_000 + int64(i)*7,
			CreatedAt:   start.Add(time.Duration(i) * (30 * 24 * time.Hour / time.Duration(n))),
			Fingerprint: fmt.Sprintf("f1.AAAEAX3ltSMAAAAA0I1d4gAAAAAAAAACAAAAAQAAAAEAAAAAAAAAAAAAAAAAAAAA%011d", i),
		}
	}
	return recs
}

func firstStorePass(store coupang.ChangeStore, recs []coupang.ChangeRecord) error {
	ctx := context.Background()
	p, err := store.BeginPass(ctx)
	if err != nil {
		return err
	}
	defer p.Close()
	for i := 0; i < len(recs); i += 100 {
		batch := recs[i:min(i+100, len(recs))]
		for _, r := range batch {
			if _, _, err := p.Lookup(ctx, r.ExchangeID); err != nil {
				return err
			}
		}
		if err := p.Commit(ctx, batch, time.Time{}); err != nil {
			return err
		}
	}
	if err := p.Commit(ctx, nil, recs[0].CreatedAt.Add(-time.Hour)); err != nil {
		return err
	}
	return p.MarkPass(ctx, recs[len(recs)-1].CreatedAt)
}

func changedStorePass(store coupang.ChangeStore, recs []coupang.ChangeRecord) error {
	ctx := context.Background()
	p, err := store.BeginPass(ctx)
	if err != nil {
		return err
	}
	defer p.Close()
	commits := max(1, len(recs)/250)
	every := (len(recs) + commits - 1) / commits
	var pending []coupang.ChangeRecord
	for i, r := range recs {
		if _, _, err := p.Lookup(ctx, r.ExchangeID); err != nil {
			return err
		}
		if i%100 == 50 {
			r.Fingerprint = "f2" + r.Fingerprint[2:]
			pending = append(pending, r)
		}
		if (i+1)%every == 0 && len(pending) > 0 {
			if err := p.Commit(ctx, pending, time.Time{}); err != nil {
				return err
			}
			pending = pending[:0]
		}
	}
	return p.Commit(ctx, pending, recs[0].CreatedAt.Add(-time.Hour))
}
