package coupangotel

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/semconv/v1.43.0/httpconv"
	"go.opentelemetry.io/otel/trace"

	"github.com/go-coupang/coupang"
)

// Attribute keys of this package's own (the others are semconv's).
const (
	keyVendor        = attribute.Key("coupang.vendor.id")
	keyOperation     = attribute.Key("coupang.operation")
	keyTransaction   = attribute.Key("coupang.transaction_id")
	keyPauseReason   = attribute.Key("coupang.pause.reason")
	keyPauseUntil    = attribute.Key("coupang.pause.until")
	keyWaitDuration  = attribute.Key("coupang.limiter.wait.duration")
	keyChangesKind   = attribute.Key("coupang.changes.kind")
	keyChangesCount  = attribute.Key("coupang.changes.count")
	keyChangesLag    = attribute.Key("coupang.changes.lag")
	keyListPage      = attribute.Key("coupang.list.page")
	keyListRecords   = attribute.Key("coupang.list.records")
	keyListBad       = attribute.Key("coupang.list.record_errors")
	keyWindowFrom    = attribute.Key("coupang.list.window.from")
	keyWindowTo      = attribute.Key("coupang.list.window.to")
	keyRecordErrors  = attribute.Key("coupang.decode.record_errors")
	keyRecordFields  = attribute.Key("coupang.decode.fields")
	reasonThrottled  = "throttled"
	reasonBlocked    = "blocked"
	eventWait        = "coupang.limiter.wait"
	eventListPage    = "coupang.list.page"
	eventRecordErrs  = "coupang.decode.record_errors"
	eventChangesPass = "coupang.changes.pass"
	eventEnsure      = "coupang.ensure."
	eventVendor      = "coupang.vendor."
)

// telemetry is what one New reports to: the tracer, the instruments, and the
// vendors' pauses that coupang.vendor.paused reads.
type telemetry struct {
	tracer    trace.Tracer
	propagate bool
	now       func() time.Time

	httpDuration httpconv.ClientRequestDuration
	opDuration   metric.Float64Histogram
	waitDuration metric.Float64Histogram
	throttled    metric.Int64Counter
	recordErrors metric.Int64Counter
	changesLag   metric.Float64Gauge

	mu     sync.Mutex
	pauses map[pauseKey]time.Time // end of each vendor's pause; zero when not paused
}

type pauseKey struct {
	vendor string
	reason string
}

func newTelemetry(cfg config) (*telemetry, error) {
	t := &telemetry{
		tracer:    cfg.tp.Tracer(ScopeName, trace.WithInstrumentationVersion(coupang.Version)),
		propagate: cfg.propagate,
		now:       cfg.now,
		pauses:    map[pauseKey]time.Time{},
	}
	m := cfg.mp.Meter(ScopeName, metric.WithInstrumentationVersion(coupang.Version))
	durations := metric.WithExplicitBucketBoundaries(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60, 300)
	var err error
	if t.httpDuration, err = httpconv.NewClientRequestDuration(m); err != nil {
		return nil, err
	}
	if t.opDuration, err = m.Float64Histogram("coupang.client.operation.duration", metric.WithUnit("s"), durations,
		metric.WithDescription("Duration of each SDK call, limiter waits and retries included.")); err != nil {
		return nil, err
	}
	if t.waitDuration, err = m.Float64Histogram("coupang.limiter.wait.duration", metric.WithUnit("s"), durations,
		metric.WithDescription("Time each attempt waited for the vendor's request budget.")); err != nil {
		return nil, err
	}
	if t.throttled, err = m.Int64Counter("coupang.client.throttled", metric.WithUnit("{answer}"),
		metric.WithDescription("429 Too Many Requests answers from Coupang.")); err != nil {
		return nil, err
	}
	if t.recordErrors, err = m.Int64Counter("coupang.decode.record_errors", metric.WithUnit("{record}"),
		metric.WithDescription("Records of a page that could not be decoded.")); err != nil {
		return nil, err
	}
	if t.changesLag, err = m.Float64Gauge("coupang.changes.lag", metric.WithUnit("s"),
		metric.WithDescription("Age of the newest change a pass of Changes yielded, when it yielded it.")); err != nil {
		return nil, err
	}
	paused, err := m.Int64ObservableGauge("coupang.vendor.paused", metric.WithUnit("{pause}"),
		metric.WithDescription("1 while the vendor is paused after a 429 or blocked by Coupang, else 0."))
	if err != nil {
		return nil, err
	}
	if _, err := m.RegisterCallback(func(_ context.Context, o metric.Observer) error {
		t.observePauses(o, paused)
		return nil
	}, paused); err != nil {
		return nil, err
	}
	return t, nil
}

// observePauses reports every vendor's pauses, 1 until each one's end.
func (t *telemetry) observePauses(o metric.Observer, g metric.Int64Observable) {
	now := t.now()
	t.mu.Lock()
	defer t.mu.Unlock()
	for k, until := range t.pauses {
		v := int64(0)
		if now.Before(until) {
			v = 1
		}
		o.ObserveInt64(g, v, metric.WithAttributes(keyVendor.String(k.vendor), keyPauseReason.String(k.reason)))
	}
}

// setPause records the end of a vendor's pause; a zero until ends it.
func (t *telemetry) setPause(vendor, reason string, until time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.pauses[pauseKey{vendor, reason}] = until
}

// observer returns the coupang.Observer of one client of vendor.
func (t *telemetry) observer(vendor string) coupang.Observer {
	// Both series exist from the start, at 0, so that an alert on them
	// has something to read.
	t.mu.Lock()
	for _, r := range []string{reasonThrottled, reasonBlocked} {
		if _, ok := t.pauses[pauseKey{vendor, r}]; !ok {
			t.pauses[pauseKey{vendor, r}] = time.Time{}
		}
	}
	t.mu.Unlock()
	v := &vendorTelemetry{telemetry: t, vendor: vendor, vendorKV: keyVendor.String(vendor)}
	o := coupang.Observer{
		CallStart:    v.callStart,
		CallDone:     v.callDone,
		AttemptStart: v.attemptStart,
		AttemptDone:  v.attemptDone,
		LimiterWait:  v.limiterWait,
		Vendor:       v.vendorEvent,
		ListPage:     v.listPage,
		RecordErrors: v.recordErrorsEvent,
		ChangesPass:  v.changesPass,
		Ensure:       v.ensure,
	}
	if t.propagate {
		o.RequestHeader = injectTraceContext
	}
	return o
}

// vendorTelemetry reports the events of the clients of one vendor.
type vendorTelemetry struct {
	*telemetry
	vendor   string
	vendorKV attribute.KeyValue
}

func (v *vendorTelemetry) callStart(ctx context.Context, e coupang.CallEvent) context.Context {
	ctx, _ = v.tracer.Start(ctx, e.Operation, trace.WithSpanKind(trace.SpanKindInternal),
		trace.WithAttributes(keyOperation.String(e.Operation), v.vendorKV))
	return ctx
}

func (v *vendorTelemetry) callDone(ctx context.Context, e coupang.CallEvent) {
	span := trace.SpanFromContext(ctx)
	attrs := []attribute.KeyValue{keyOperation.String(e.Operation), v.vendorKV}
	if et := errorType(e.Err); et != "" {
		kv := semconv.ErrorTypeKey.String(et)
		attrs = append(attrs, kv)
		span.SetAttributes(kv)
		span.SetStatus(codes.Error, et)
	}
	span.End()
	v.opDuration.Record(ctx, e.Duration.Seconds(), metric.WithAttributes(attrs...))
}

func (v *vendorTelemetry) attemptStart(ctx context.Context, e coupang.AttemptEvent) context.Context {
	attrs := []attribute.KeyValue{
		semconv.HTTPRequestMethodKey.String(e.Method),
		semconv.URLTemplate(e.URLTemplate),
		semconv.ServerAddress(e.ServerAddress),
		semconv.ServerPort(e.ServerPort),
	}
	if e.ResendCount > 0 {
		attrs = append(attrs, semconv.HTTPRequestResendCount(e.ResendCount))
	}
	ctx, _ = v.tracer.Start(ctx, e.Method+" "+e.URLTemplate, trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(attrs...))
	return ctx
}

func (v *vendorTelemetry) attemptDone(ctx context.Context, e coupang.AttemptEvent) {
	span := trace.SpanFromContext(ctx)
	attrs := []attribute.KeyValue{
		semconv.URLScheme(e.Scheme),
		semconv.URLTemplate(e.URLTemplate),
	}
	if e.StatusCode > 0 {
		kv := semconv.HTTPResponseStatusCode(e.StatusCode)
		attrs = append(attrs, kv)
		span.SetAttributes(kv)
	}
	if e.TransactionID != "" {
		span.SetAttributes(keyTransaction.String(e.TransactionID))
	}
	if et := attemptErrorType(e); et != "" {
		kv := semconv.ErrorTypeKey.String(et)
		attrs = append(attrs, kv)
		span.SetAttributes(kv)
		span.SetStatus(codes.Error, et)
	}
	span.End()
	v.httpDuration.Record(ctx, e.Duration.Seconds(), httpconv.RequestMethodAttr(e.Method), e.ServerAddress, e.ServerPort, attrs...)
	if e.StatusCode == http.StatusTooManyRequests {
		v.throttled.Add(ctx, 1, metric.WithAttributes(v.vendorKV,
			semconv.HTTPRequestMethodKey.String(e.Method), semconv.URLTemplate(e.URLTemplate)))
	}
}

// attemptErrorType is error.type for an attempt: the status of an answer
// that is not a success (a 302 is a block), else the error's type.
func attemptErrorType(e coupang.AttemptEvent) string {
	if e.StatusCode >= 300 {
		return strconv.Itoa(e.StatusCode)
	}
	return errorType(e.Err)
}

func (v *vendorTelemetry) limiterWait(ctx context.Context, e coupang.LimiterWaitEvent) {
	secs := e.Duration.Seconds()
	attrs := []attribute.KeyValue{v.vendorKV}
	event := []attribute.KeyValue{keyWaitDuration.Float64(secs)}
	if et := errorType(e.Err); et != "" {
		kv := semconv.ErrorTypeKey.String(et)
		attrs = append(attrs, kv)
		event = append(event, kv)
	}
	v.waitDuration.Record(ctx, secs, metric.WithAttributes(attrs...))
	trace.SpanFromContext(ctx).AddEvent(eventWait, trace.WithAttributes(event...))
}

func (v *vendorTelemetry) vendorEvent(ctx context.Context, e coupang.VendorEvent) {
	reason := reasonName(e.Reason)
	var attrs []attribute.KeyValue
	if reason != "" {
		attrs = append(attrs, keyPauseReason.String(reason))
	}
	switch e.Kind {
	case coupang.VendorPaused:
		if reason != "" {
			v.setPause(v.vendor, reason, e.Until)
		}
		attrs = append(attrs, keyPauseUntil.String(e.Until.UTC().Format(time.RFC3339Nano)))
	case coupang.VendorResumed:
		if reason != "" {
			v.setPause(v.vendor, reason, time.Time{})
		} else {
			v.setPause(v.vendor, reasonThrottled, time.Time{})
			v.setPause(v.vendor, reasonBlocked, time.Time{})
		}
	}
	trace.SpanFromContext(ctx).AddEvent(eventVendor+e.Kind.String(), trace.WithAttributes(attrs...))
}

func reasonName(k coupang.OutcomeKind) string {
	switch k {
	case coupang.OutcomeThrottled:
		return reasonThrottled
	case coupang.OutcomeBlocked:
		return reasonBlocked
	}
	return ""
}

func (v *vendorTelemetry) listPage(ctx context.Context, e coupang.ListPageEvent) {
	trace.SpanFromContext(ctx).AddEvent(eventListPage, trace.WithAttributes(
		keyWindowFrom.String(e.WindowFrom.UTC().Format(time.RFC3339)),
		keyWindowTo.String(e.WindowTo.UTC().Format(time.RFC3339)),
		keyListPage.Int(e.Page),
		keyListRecords.Int(e.Records),
		keyListBad.Int(e.RecordErrors),
	))
}

func (v *vendorTelemetry) recordErrorsEvent(ctx context.Context, e coupang.RecordErrorsEvent) {
	v.recordErrors.Add(ctx, int64(len(e.Errors)), metric.WithAttributes(v.vendorKV, keyOperation.String(e.Operation)))
	fields := make([]string, 0, len(e.Errors))
	for _, r := range e.Errors {
		fields = append(fields, fieldPattern(r.Field))
	}
	trace.SpanFromContext(ctx).AddEvent(eventRecordErrs, trace.WithAttributes(
		keyRecordErrors.Int(len(e.Errors)), keyRecordFields.StringSlice(fields)))
}

// fieldPattern drops the indexes of a field path ("items[0].quantity"
// becomes "items[].quantity"): they say nothing a dashboard needs.
func fieldPattern(field string) string {
	if field == "" {
		return "(record)"
	}
	var b strings.Builder
	skip := false
	for _, r := range field {
		switch {
		case r == '[':
			skip = true
			b.WriteRune(r)
		case r == ']':
			skip = false
			b.WriteRune(r)
		case !skip:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func (v *vendorTelemetry) changesPass(ctx context.Context, e coupang.ChangesPassEvent) {
	kind := keyChangesKind.String(e.Kind)
	event := []attribute.KeyValue{kind, keyChangesCount.Int(e.Changes)}
	if e.Changes > 0 {
		v.changesLag.Record(ctx, e.Lag.Seconds(), metric.WithAttributes(v.vendorKV, kind))
		event = append(event, keyChangesLag.Float64(e.Lag.Seconds()))
	}
	trace.SpanFromContext(ctx).AddEvent(eventChangesPass, trace.WithAttributes(event...))
}

func (v *vendorTelemetry) ensure(ctx context.Context, e coupang.EnsureEvent) {
	trace.SpanFromContext(ctx).AddEvent(eventEnsure + e.Step.String())
}

// traceContext is W3C trace context alone: baggage may hold what the
// application put there, and none of it is for Coupang.
var traceContext = propagation.TraceContext{}

func injectTraceContext(ctx context.Context, h http.Header) {
	traceContext.Inject(ctx, propagation.HeaderCarrier(h))
}
