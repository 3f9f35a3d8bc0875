package coupang_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-coupang/coupang"
)

// BenchmarkPacing measures that a client limited to N requests a second
// sends at N a second and never more: b.N List calls, one after another or
// from 8 goroutines sharing the client, against a local server. It reports
//
//	req/s          the achieved rate, (attempts-1) / (last start - first start)
//	max-req/1s     the most attempts started within any one second, at the
//	               client (must not exceed N: the benchmark fails otherwise)
//	max-arrivals/1s the same counted at the server, loopback jitter included
//
// Run it for a few seconds to measure (-benchtime=5s), or once each
// (-benchtime=1x) to check that it works.
func BenchmarkPacing(b *testing.B) {
	for _, perSecond := range []int{5, 20} {
		for _, workers := range []int{1, 8, -8} {
			mode := "sequential"
			// -8: 8 goroutines, half of them calling Do on another endpoint
			// (return requests) and half List: one vendor budget for both.
			mixed := workers < 0
			if mixed {
				workers = -workers
				mode = fmt.Sprintf("do+list-%d", workers)
			} else if workers > 1 {
				mode = fmt.Sprintf("concurrent-%d", workers)
			}
			b.Run(fmt.Sprintf("rate=%d/%s", perSecond, mode), func(b *testing.B) {
				srv := rsNewServer(b, rsAlways(rsStatus(200, rsPage("", "tx", 1001))))
				c, rt := rsClient(b, srv.URL, 0, coupang.WithRateLimit(float64(perSecond)))
				ctx := context.Background()
				var next atomic.Int64
				var wg sync.WaitGroup
				b.ResetTimer()
				for w := 0; w < workers; w++ {
					wg.Add(1)
					call := func() error { return rsList(ctx, c) }
					if mixed && w%2 == 0 {
						call = func() error {
							var raw json.RawMessage
							_, err := c.Do(ctx, http.MethodGet, "/v2/providers/openapi/apis/api/v4/vendors/"+rsVendorID+"/returnRequests", nil, nil, &raw)
							return err
						}
					}
					go func() {
						defer wg.Done()
						for next.Add(1) <= int64(b.N) {
							if err := call(); err != nil {
								b.Error(err)
								return
							}
						}
					}()
				}
				wg.Wait()
				b.StopTimer()

				starts := rt.times()
				sort.Slice(starts, func(i, j int) bool { return starts[i].Before(starts[j]) })
				if n := len(starts); n >= 2 {
					if span := starts[n-1].Sub(starts[0]); span > 0 {
						b.ReportMetric(float64(n-1)/span.Seconds(), "req/s")
					}
				}
				arrivals := make([]time.Time, 0, len(starts))
				for _, r := range srv.requests() {
					arrivals = append(arrivals, r.At)
				}
				most := rsMaxPerSecond(starts)
				b.ReportMetric(float64(most), "max-req/1s")
				b.ReportMetric(float64(rsMaxPerSecond(arrivals)), "max-arrivals/1s")
				if most > perSecond {
					b.Errorf("%d requests started within one second, budget %d", most, perSecond)
				}
			})
		}
	}
}
