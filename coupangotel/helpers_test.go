package coupangotel_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangotel"
	"github.com/go-coupang/coupang/coupangtest"
)

// route is the URL template of the list endpoint.
const route = "/v2/providers/openapi/apis/api/v4/vendors/{vendorId}/exchangeRequests"

// harness is a client of a sandbox whose telemetry goes to an in-memory span
// exporter and a manual metric reader.
type harness struct {
	t      *testing.T
	srv    *coupangtest.Server
	spans  *tracetest.InMemoryExporter
	reader *sdkmetric.ManualReader
	client *coupang.Client
}

func newHarness(t *testing.T, clientOpts []coupang.Option, otelOpts ...coupangotel.Option) *harness {
	t.Helper()
	h := sandboxOnly(t)
	h.connect(clientOpts, otelOpts...)
	return h
}

// sandboxOnly is a harness without its client yet: connect makes it.
func sandboxOnly(t *testing.T, opts ...coupangtest.Option) *harness {
	return &harness{t: t, srv: coupangtest.NewTestServer(t, opts...), spans: tracetest.NewInMemoryExporter(), reader: sdkmetric.NewManualReader()}
}

// connect makes the harness's client, with the sandbox's credentials and
// clientOpts (WithBaseURL sends it elsewhere).
func (h *harness) connect(clientOpts []coupang.Option, otelOpts ...coupangotel.Option) {
	t := h.t
	t.Helper()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(h.spans), sdktrace.WithSampler(sdktrace.AlwaysSample()))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(h.reader))
	t.Cleanup(func() {
		_ = tp.Shutdown(context.Background())
		_ = mp.Shutdown(context.Background())
	})
	otelOpts = append([]coupangotel.Option{coupangotel.WithTracerProvider(tp), coupangotel.WithMeterProvider(mp)}, otelOpts...)
	c, err := h.srv.Client(append(clientOpts, coupangotel.New(otelOpts...))...)
	require.NoError(t, err)
	h.client = c
}

// week is the list window of the last seven days.
func week() coupang.ExchangeListOptions {
	now := time.Now()
	return coupang.ExchangeListOptions{CreatedAtFrom: now.Add(-7 * 24 * time.Hour), CreatedAtTo: now}
}

// ended returns the spans ended so far, in the order they ended.
func (h *harness) ended() tracetest.SpanStubs { return h.spans.GetSpans() }

// named returns the ended spans called name.
func (h *harness) named(name string) tracetest.SpanStubs {
	var out tracetest.SpanStubs
	for _, s := range h.ended() {
		if s.Name == name {
			out = append(out, s)
		}
	}
	return out
}

// one returns the one ended span called name.
func (h *harness) one(name string) tracetest.SpanStub {
	h.t.Helper()
	s := h.named(name)
	require.Len(h.t, s, 1, "spans named %q among %v", name, spanNames(h.ended()))
	return s[0]
}

func spanNames(spans tracetest.SpanStubs) []string {
	names := make([]string, len(spans))
	for i, s := range spans {
		names[i] = s.Name
	}
	return names
}

// attrs returns kvs as a map of their values.
func attrs(kvs []attribute.KeyValue) map[string]any {
	m := map[string]any{}
	for _, kv := range kvs {
		m[string(kv.Key)] = kv.Value.AsInterface()
	}
	return m
}

// childOf reports whether s's parent is p.
func childOf(s, p tracetest.SpanStub) bool {
	return s.Parent.SpanID() == p.SpanContext.SpanID() && s.SpanContext.TraceID() == p.SpanContext.TraceID()
}

// children returns the ended spans whose parent is p, in the order they ended.
func (h *harness) children(p tracetest.SpanStub) tracetest.SpanStubs {
	var out tracetest.SpanStubs
	for _, s := range h.ended() {
		if childOf(s, p) {
			out = append(out, s)
		}
	}
	return out
}

// eventNames returns the names of s's events.
func eventNames(s tracetest.SpanStub) []string {
	names := make([]string, len(s.Events))
	for i, e := range s.Events {
		names[i] = e.Name
	}
	return names
}

// event returns s's first event called name.
func event(t *testing.T, s tracetest.SpanStub, name string) sdktrace.Event {
	t.Helper()
	for _, e := range s.Events {
		if e.Name == name {
			return e
		}
	}
	t.Fatalf("span %s has no event %s, only %v", s.Name, name, eventNames(s))
	return sdktrace.Event{}
}

// collect reads every metric.
func (h *harness) collect() map[string]metricdata.Metrics {
	h.t.Helper()
	var rm metricdata.ResourceMetrics
	require.NoError(h.t, h.reader.Collect(context.Background(), &rm))
	out := map[string]metricdata.Metrics{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			out[m.Name] = m
		}
	}
	return out
}

// point is one data point of any kind, reduced to what the tests read.
type point struct {
	attrs map[string]any
	value float64 // the value of a sum or a gauge, the count of a histogram
}

// points returns the data points of metric name.
func (h *harness) points(name string) []point {
	h.t.Helper()
	m, ok := h.collect()[name]
	require.True(h.t, ok, "no metric %s", name)
	return pointsOf(m)
}

func pointsOf(m metricdata.Metrics) []point {
	var out []point
	add := func(set attribute.Set, v float64) {
		out = append(out, point{attrs: attrs(set.ToSlice()), value: v})
	}
	switch d := m.Data.(type) {
	case metricdata.Sum[int64]:
		for _, p := range d.DataPoints {
			add(p.Attributes, float64(p.Value))
		}
	case metricdata.Sum[float64]:
		for _, p := range d.DataPoints {
			add(p.Attributes, p.Value)
		}
	case metricdata.Gauge[int64]:
		for _, p := range d.DataPoints {
			add(p.Attributes, float64(p.Value))
		}
	case metricdata.Gauge[float64]:
		for _, p := range d.DataPoints {
			add(p.Attributes, p.Value)
		}
	case metricdata.Histogram[float64]:
		for _, p := range d.DataPoints {
			add(p.Attributes, float64(p.Count))
		}
	default:
		panic(fmt.Sprintf("metric %s: unexpected data %T", m.Name, m.Data))
	}
	return out
}

// where returns the points whose attributes hold every pair of want.
func where(ps []point, want map[string]any) []point {
	var out []point
	for _, p := range ps {
		ok := true
		for k, v := range want {
			if p.attrs[k] != v {
				ok = false
			}
		}
		if ok {
			out = append(out, p)
		}
	}
	return out
}

// spanKind names are compared through trace.SpanKind.
var (
	internal = trace.SpanKindInternal
	client   = trace.SpanKindClient
)
