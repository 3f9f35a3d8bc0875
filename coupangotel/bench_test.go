package coupangotel_test

import (
	"context"
	"testing"
	"time"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangotel"
	"github.com/go-coupang/coupang/coupangtest"
)

// benchClients returns a client without an Observer and one with
// coupangotel recording everything (every span sampled, kept by an
// in-memory exporter; every metric, read by a manual reader), both for the
// server at url.
func benchClients(b *testing.B, url string) (plain, observed *coupang.Client, spans *tracetest.InMemoryExporter) {
	spans = tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(spans), sdktrace.WithSampler(sdktrace.AlwaysSample()))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	b.Cleanup(func() {
		_ = tp.Shutdown(context.Background())
		_ = mp.Shutdown(context.Background())
	})
	opts := []coupang.Option{coupang.WithBaseURL(url), coupang.WithRateLimit(0), coupang.WithMaxRetries(0)}
	var err error
	if plain, err = coupang.NewClient(coupangtest.DefaultAccessKey, coupangtest.DefaultSecretKey, coupangtest.DefaultVendorID, opts...); err != nil {
		b.Fatal(err)
	}
	opts = append(opts, coupangotel.New(coupangotel.WithTracerProvider(tp), coupangotel.WithMeterProvider(mp)))
	if observed, err = coupang.NewClient(coupangtest.DefaultAccessKey, coupangtest.DefaultSecretKey, coupangtest.DefaultVendorID, opts...); err != nil {
		b.Fatal(err)
	}
	return plain, observed, spans
}

func benchList(b *testing.B, c *coupang.Client, opts coupang.ExchangeListOptions) {
	p, err := c.Exchanges.List(context.Background(), opts)
	if err != nil {
		b.Fatal(err)
	}
	if len(p.Items) != 50 {
		b.Fatalf("%d exchanges, want 50", len(p.Items))
	}
}

// BenchmarkList is one List of 50 exchanges without an Observer ("plain")
// and with coupangotel recording everything ("otel"): allocations and time
// of each alone, against a server in a process of its own (startBenchServer).
func BenchmarkList(b *testing.B) {
	plain, observed, spans := benchClients(b, startBenchServer(b))
	opts := week()
	for _, bc := range []struct {
		name string
		c    *coupang.Client
	}{{"plain", plain}, {"otel", observed}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				benchList(b, bc.c, opts)
				if i%512 == 511 {
					spans.Reset() // memory stays bounded
				}
			}
		})
	}
}

// BenchmarkListTelemetryOverhead calls List without and with coupangotel
// alternately, the order swapped every iteration, so that both meet the
// same machine at the same moment, and reports the CPU time of each
// (process CPU: client and collector; the server runs in a process of its
// own, startBenchServer) and their ratio, the figure
// the budget (≤ 1.10) is judged on, besides the wall-clock ratio.
func BenchmarkListTelemetryOverhead(b *testing.B) {
	plain, observed, spans := benchClients(b, startBenchServer(b))
	opts := week()
	clients := [2]*coupang.Client{plain, observed}
	var wall [2]time.Duration
	var cpu [2]int64
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for k := 0; k < 2; k++ {
			which := (i + k) % 2
			start, startCPU := time.Now(), processCPU()
			benchList(b, clients[which], opts)
			cpu[which] += processCPU() - startCPU
			wall[which] += time.Since(start)
		}
		if i%512 == 511 {
			b.StopTimer()
			spans.Reset()
			b.StartTimer()
		}
	}
	n := float64(b.N)
	b.ReportMetric(float64(wall[0])/n, "plain-ns/op")
	b.ReportMetric(float64(wall[1])/n, "otel-ns/op")
	b.ReportMetric(float64(wall[1])/float64(wall[0]), "time-ratio")
	if cpu[0] > 0 && cpu[1] > 0 {
		b.ReportMetric(float64(cpu[0])/n, "plain-cpu-ns/op")
		b.ReportMetric(float64(cpu[1])/n, "otel-cpu-ns/op")
		b.ReportMetric(float64(cpu[1])/float64(cpu[0]), "cpu-ratio")
	}
}
