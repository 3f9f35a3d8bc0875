// Package heapsample measures the peak heap of a benchmark, for every
// module of the repository: runtime.MemStats' HeapAlloc read every 5 ms
// (the runtime keeps no peak of its own). It is for benchmarks only.
package heapsample

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Start samples HeapAlloc every 5 ms until the returned function is
// called, which returns the largest value seen.
func Start() (stop func() uint64) {
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > peak.Load() {
				peak.Store(ms.HeapAlloc)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	return func() uint64 {
		close(done)
		wg.Wait()
		return peak.Load()
	}
}
