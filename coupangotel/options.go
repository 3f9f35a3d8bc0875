package coupangotel

import (
	"sync"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/go-coupang/coupang"
)

// ScopeName is the instrumentation scope of the tracer and the meter.
const ScopeName = "github.com/go-coupang/coupang/coupangotel"

// Option configures New.
type Option func(*config)

type config struct {
	tp        trace.TracerProvider
	mp        metric.MeterProvider
	propagate bool
	now       func() time.Time // tests freeze it
}

// WithTracerProvider records spans with tp instead of the global
// TracerProvider (otel.GetTracerProvider). nil keeps the global one.
func WithTracerProvider(tp trace.TracerProvider) Option {
	return func(c *config) { c.tp = tp }
}

// WithMeterProvider records metrics with mp instead of the global
// MeterProvider (otel.GetMeterProvider). nil keeps the global one.
func WithMeterProvider(mp metric.MeterProvider) Option {
	return func(c *config) { c.mp = mp }
}

// WithTraceContextPropagation sends the W3C trace context (traceparent and
// tracestate, never baggage) of each attempt's span with the request. Off by
// default: Coupang's gateway signs requests and may refuse headers it does
// not know, so turn it on only for a proxy of your own in front of Coupang
// that continues the trace and removes the headers.
func WithTraceContextPropagation() Option {
	return func(c *config) { c.propagate = true }
}

// New returns the client Option that reports what the client does as
// OpenTelemetry traces and metrics (see the package documentation). Give it
// to coupang.NewClient; one New can serve several clients, of one vendor or
// of several (each is told apart by coupang.vendor.id). The instruments are
// made when the first client is: an error then (an invalid instrument of the
// MeterProvider) is NewClient's. It applies to a client, not to one call.
func New(opts ...Option) coupang.Option {
	cfg := config{now: time.Now}
	for _, opt := range opts {
		if opt != nil {
			opt(&cfg)
		}
	}
	var (
		once sync.Once
		tel  *telemetry
		err  error
	)
	return coupang.WithObserverFunc(func(vendorID string) (coupang.Observer, error) {
		once.Do(func() {
			if cfg.tp == nil {
				cfg.tp = otel.GetTracerProvider()
			}
			if cfg.mp == nil {
				cfg.mp = otel.GetMeterProvider()
			}
			tel, err = newTelemetry(cfg)
		})
		if err != nil {
			return coupang.Observer{}, err
		}
		return tel.observer(vendorID), nil
	})
}
