package coupangotel_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangotel"
	"github.com/go-coupang/coupang/coupangtest"
)

// benchPage is a list answer of 50 of the sandbox's exchanges, as the
// sandbox encodes them (quirks included), served by a static server so that
// the benchmark measures the client, not the sandbox.
func benchPage(b *testing.B) []byte {
	srv := coupangtest.NewServer(coupangtest.WithExchanges(60))
	defer srv.Close()
	body := []byte(`{"code":"200","message":"OK","nextToken":"","data":[`)
	for i, ex := range srv.Exchanges()[:50] {
		rec, err := coupang.MarshalExchange(ex)
		if err != nil {
			b.Fatal(err)
		}
		if i > 0 {
			body = append(body, ',')
		}
		body = append(body, rec...)
	}
	return append(body, "]}"...)
}

// benchClients returns a client without an Observer and one with
// coupangotel recording everything (every span sampled, kept by an
// in-memory exporter; every metric, read by a manual reader), both for ts.
func benchClients(b *testing.B, ts *httptest.Server) (plain, observed *coupang.Client, spans *tracetest.InMemoryExporter) {
	spans = tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(spans), sdktrace.WithSampler(sdktrace.AlwaysSample()))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	b.Cleanup(func() {
		_ = tp.Shutdown(context.Background())
		_ = mp.Shutdown(context.Background())
	})
	opts := []coupang.Option{coupang.WithBaseURL(ts.URL), coupang.WithRateLimit(0), coupang.WithMaxRetries(0)}
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

func benchServer(b *testing.B) *httptest.Server {
	page := benchPage(b)
	length := strconv.Itoa(len(page))
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		w.Header().Set("Content-Length", length)
		_, _ = w.Write(page)
	}))
	b.Cleanup(ts.Close)
	return ts
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
// of each alone.
func BenchmarkList(b *testing.B) {
	ts := benchServer(b)
	plain, observed, spans := benchClients(b, ts)
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
// (process CPU: client, server and collector) and their ratio, the figure
// the budget (≤ 1.10) is judged on, besides the wall-clock ratio.
func BenchmarkListTelemetryOverhead(b *testing.B) {
	ts := benchServer(b)
	plain, observed, spans := benchClients(b, ts)
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
