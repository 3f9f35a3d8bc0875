package coupangotel_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/baggage"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangotel"
	"github.com/go-coupang/coupang/coupangtest"
)

// TestListIsACallSpanWithAnAttemptSpan: one List is a span named after the
// call with one client span for its HTTP attempt, each with the attributes
// the package documents, and one point of each duration metric.
func TestListIsACallSpanWithAnAttemptSpan(t *testing.T) {
	h := newHarness(t, nil)
	_, err := h.client.Exchanges.List(context.Background(), week())
	require.NoError(t, err)

	require.Len(t, h.ended(), 2, "spans: %v", spanNames(h.ended()))
	call := h.one("Exchanges.List")
	assert.Equal(t, internal, call.SpanKind)
	assert.False(t, call.Parent.IsValid(), "a root span")
	assert.Equal(t, map[string]any{"coupang.operation": "Exchanges.List", "coupang.vendor.id": h.srv.VendorID}, attrs(call.Attributes))
	assert.Equal(t, codes.Unset, call.Status.Code)

	attempt := h.one("GET " + route)
	assert.Equal(t, client, attempt.SpanKind)
	assert.True(t, childOf(attempt, call))
	u, err := url.Parse(h.srv.URL)
	require.NoError(t, err)
	port, _ := strconv.Atoi(u.Port())
	assert.Equal(t, map[string]any{
		"http.request.method":       "GET",
		"url.template":              route,
		"server.address":            "127.0.0.1",
		"server.port":               int64(port),
		"http.response.status_code": int64(200),
	}, attrs(attempt.Attributes), "no resend count on a first attempt, no error.type on a success")

	assert.Equal(t, []point{{attrs: map[string]any{
		"http.request.method": "GET", "server.address": "127.0.0.1", "server.port": int64(port),
		"url.scheme": "http", "url.template": route, "http.response.status_code": int64(200),
	}, value: 1}}, h.points("http.client.request.duration"))
	assert.Equal(t, []point{{attrs: map[string]any{"coupang.operation": "Exchanges.List", "coupang.vendor.id": h.srv.VendorID}, value: 1}},
		h.points("coupang.client.operation.duration"))
}

// TestResendCountAfterA503: a List answered 503 then 200 is one call span
// with two attempt spans, the first failed with error.type "503", the
// second with http.request.resend_count 1.
func TestResendCountAfterA503(t *testing.T) {
	h := newHarness(t, nil)
	h.srv.FailNext(1, http.StatusServiceUnavailable)
	_, err := h.client.Exchanges.List(context.Background(), week())
	require.NoError(t, err)

	call := h.one("Exchanges.List")
	attempts := h.children(call)
	require.Len(t, attempts, 2)
	first, second := attrs(attempts[0].Attributes), attrs(attempts[1].Attributes)
	assert.Equal(t, int64(503), first["http.response.status_code"])
	assert.Equal(t, "503", first["error.type"])
	assert.NotContains(t, first, "http.request.resend_count")
	assert.Equal(t, codes.Error, attempts[0].Status.Code)
	assert.Equal(t, int64(200), second["http.response.status_code"])
	assert.Equal(t, int64(1), second["http.request.resend_count"])
	assert.NotContains(t, second, "error.type")
	assert.Equal(t, codes.Unset, call.Status.Code, "the call succeeded")

	ps := h.points("http.client.request.duration")
	assert.Len(t, where(ps, map[string]any{"http.response.status_code": int64(503), "error.type": "503"}), 1)
	assert.Len(t, where(ps, map[string]any{"http.response.status_code": int64(200)}), 1)
}

// TestA429PausesTheVendor: a 429 is counted, its attempt span carries
// Coupang's transactionId and the pause as an event, coupang.vendor.paused
// reads 1; the next call's probe is an event of its span, the probe's answer
// resumes the vendor (an event of its attempt) and the gauge reads 0.
func TestA429PausesTheVendor(t *testing.T) {
	frozen := time.Now() // the pause's real end (a millisecond) has not come for the gauge
	p := coupang.NewPacer(100, coupang.WithProtection(coupang.Protection{Cooldown: time.Millisecond, MaxCooldown: time.Millisecond}))
	h := newHarness(t, []coupang.Option{coupang.WithLimiter(p), coupang.WithMaxRetries(0)},
		coupangotel.WithClock(func() time.Time { return frozen }))
	ctx := context.Background()
	vendor := h.srv.VendorID
	paused := func(reason string) float64 {
		ps := where(h.points("coupang.vendor.paused"), map[string]any{"coupang.vendor.id": vendor, "coupang.pause.reason": reason})
		require.Len(t, ps, 1)
		return ps[0].value
	}
	assert.Zero(t, paused("throttled"), "the series exists before any pause")
	assert.Zero(t, paused("blocked"))

	h.srv.FailNext(1, http.StatusTooManyRequests)
	_, err := h.client.Exchanges.List(ctx, week())
	require.ErrorIs(t, err, coupang.ErrRateLimited)
	assert.Equal(t, 1.0, paused("throttled"))
	assert.Zero(t, paused("blocked"))
	assert.Equal(t, []point{{attrs: map[string]any{"coupang.vendor.id": vendor, "http.request.method": "GET", "url.template": route}, value: 1}},
		h.points("coupang.client.throttled"))

	call := h.one("Exchanges.List")
	assert.Equal(t, "429", attrs(call.Attributes)["error.type"])
	assert.Equal(t, codes.Error, call.Status.Code)
	assert.Equal(t, "429", call.Status.Description, "the type, never the error's text")
	attempt := h.children(call)[0]
	assert.Regexp(t, `^[0-9a-f-]{36}$`, attrs(attempt.Attributes)["coupang.transaction_id"])
	pause := attrs(event(t, attempt, "coupang.vendor.paused").Attributes)
	assert.Equal(t, "throttled", pause["coupang.pause.reason"])
	until, err := time.Parse(time.RFC3339Nano, pause["coupang.pause.until"].(string))
	require.NoError(t, err)
	assert.True(t, until.After(frozen))
	assert.Contains(t, eventNames(call), "coupang.limiter.wait")

	h.spans.Reset()
	_, err = h.client.Exchanges.List(ctx, week())
	require.NoError(t, err)
	assert.Zero(t, paused("throttled"), "the probe's answer resumed the vendor")
	call = h.one("Exchanges.List")
	assert.Equal(t, []string{"coupang.vendor.probe", "coupang.limiter.wait"}, eventNames(call))
	assert.Equal(t, "throttled", attrs(event(t, call, "coupang.vendor.probe").Attributes)["coupang.pause.reason"])
	assert.Equal(t, []string{"coupang.vendor.resumed"}, eventNames(h.children(call)[0]))

	waits := h.points("coupang.limiter.wait.duration")
	assert.Equal(t, []point{{attrs: map[string]any{"coupang.vendor.id": vendor}, value: 2}}, waits)
}

// TestABlockRefusesCalls: a block is a pause with reason "blocked"; while
// it lasts the limiter refuses at once, which the wait event, the wait
// histogram and the call span show as error.type coupang.blocked.
func TestABlockRefusesCalls(t *testing.T) {
	p := coupang.NewPacer(100, coupang.WithProtection(coupang.Protection{BlockCooldown: time.Hour, MaxBlockCooldown: time.Hour}))
	h := newHarness(t, []coupang.Option{coupang.WithLimiter(p), coupang.WithMaxRetries(0)})
	ctx := context.Background()
	h.srv.FailNext(1, http.StatusForbidden)
	_, err := h.client.Exchanges.List(ctx, week())
	require.ErrorIs(t, err, coupang.ErrForbidden)
	assert.Len(t, where(h.points("coupang.vendor.paused"), map[string]any{"coupang.pause.reason": "blocked"}), 1)
	assert.Equal(t, 1.0, where(h.points("coupang.vendor.paused"), map[string]any{"coupang.pause.reason": "blocked"})[0].value)
	assert.Equal(t, "403", attrs(h.one("GET " + route).Attributes)["error.type"])

	h.spans.Reset()
	_, err = h.client.Exchanges.List(ctx, week())
	require.ErrorIs(t, err, coupang.ErrBlocked)
	call := h.one("Exchanges.List")
	assert.Empty(t, h.children(call), "nothing sent")
	assert.Equal(t, "coupang.blocked", attrs(call.Attributes)["error.type"])
	assert.Equal(t, "coupang.blocked", attrs(event(t, call, "coupang.limiter.wait").Attributes)["error.type"])
	assert.Len(t, where(h.points("coupang.limiter.wait.duration"), map[string]any{"error.type": "coupang.blocked"}), 1)
}

// TestAllPagesAndRecordErrors: All is a span holding a List span per page,
// each page an event of All's span; a record that cannot be decoded is
// counted and named by its field, never its value, and does not fail All.
func TestAllPagesAndRecordErrors(t *testing.T) {
	pages := map[string]string{
		"":  `{"code":"200","message":"OK","nextToken":"2","data":[{"exchangeId":1,"orderId":11,"createdAt":"2026-03-02T10:00:00"},{"exchangeId":2,"orderId":12,"createdAt":"2026-03-02T11:00:00","exchangeItemDtoV1s":[{"quantity":{"x":1}}]}]}`,
		"2": `{"code":"200","message":"OK","nextToken":"","data":[{"exchangeId":3,"orderId":13,"createdAt":"2026-03-02T12:00:00"}]}`,
	}
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(pages[r.URL.Query().Get("nextToken")]))
	}))
	t.Cleanup(front.Close)
	h := newHarness(t, []coupang.Option{coupang.WithBaseURL(front.URL)})
	c := h.client
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	var got, bad int
	// One request at a time: the range is one window, whatever All's
	// plan for a new client (the server answers every window alike).
	for _, err := range c.Exchanges.All(context.Background(), coupang.ExchangeListOptions{CreatedAtFrom: from, CreatedAtTo: from.Add(72 * time.Hour)}, coupang.WithListConcurrency(1)) {
		if err != nil {
			var recErr *coupang.RecordError
			require.ErrorAs(t, err, &recErr)
			bad++
			continue
		}
		got++
	}
	assert.Equal(t, 2, got)
	assert.Equal(t, 1, bad)

	all := h.one("Exchanges.All")
	assert.Equal(t, codes.Unset, all.Status.Code, "a bad record does not fail All")
	lists := h.named("Exchanges.List")
	require.Len(t, lists, 2)
	for _, l := range lists {
		assert.True(t, childOf(l, all))
		require.Len(t, h.children(l), 1)
	}
	assert.Equal(t, "coupang.record_errors", attrs(lists[0].Attributes)["error.type"], "List returns its page with a *PageError")
	decode := attrs(event(t, lists[0], "coupang.decode.record_errors").Attributes)
	assert.Equal(t, int64(1), decode["coupang.decode.record_errors"])
	assert.Equal(t, []string{"exchangeItemDtoV1s[].quantity"}, decode["coupang.decode.fields"])

	assert.Equal(t, []string{"coupang.list.page", "coupang.list.page"}, eventNames(all))
	page1 := attrs(all.Events[0].Attributes)
	assert.Equal(t, map[string]any{
		"coupang.list.page": int64(1), "coupang.list.records": int64(1), "coupang.list.record_errors": int64(1),
		"coupang.list.window.from": "2026-03-01T00:00:00Z", "coupang.list.window.to": "2026-03-04T00:00:00Z",
	}, page1)
	assert.Equal(t, int64(2), attrs(all.Events[1].Attributes)["coupang.list.page"])

	assert.Equal(t, []point{{attrs: map[string]any{"coupang.vendor.id": h.srv.VendorID, "coupang.operation": "Exchanges.List"}, value: 1}},
		h.points("coupang.decode.record_errors"))
}

// TestChangesLag: a pass of Changes is a span over All, ends with an event
// of its count and lag, and sets coupang.changes.lag for kind "exchange" to
// the age of the newest change.
func TestChangesLag(t *testing.T) {
	h := newHarness(t, nil)
	var newest time.Time
	n := 0
	before := time.Now()
	for ch, err := range h.client.Exchanges.Changes(context.Background(), coupang.NewMemoryChangeStore(), coupang.ChangeOptions{}) {
		require.NoError(t, err)
		n++
		if ch.Exchange.ModifiedAt.After(newest) {
			newest = ch.Exchange.ModifiedAt
		}
	}
	after := time.Now()
	require.Positive(t, n)

	changes := h.one("Exchanges.Changes")
	assert.True(t, childOf(h.one("Exchanges.All"), changes))
	pass := attrs(event(t, changes, "coupang.changes.pass").Attributes)
	assert.Equal(t, "exchange", pass["coupang.changes.kind"])
	assert.Equal(t, int64(n), pass["coupang.changes.count"])

	lag := h.points("coupang.changes.lag")
	require.Len(t, lag, 1)
	assert.Equal(t, map[string]any{"coupang.vendor.id": h.srv.VendorID, "coupang.changes.kind": "exchange"}, lag[0].attrs)
	assert.GreaterOrEqual(t, lag[0].value, before.Sub(newest).Seconds())
	assert.LessOrEqual(t, lag[0].value, after.Sub(newest).Seconds())
}

// TestEnsureNestsItsCalls: EnsureRejected holds its Relist (All, List, GET)
// and its Reject (PUT …/{exchangeId}/rejection), with a "sending" event; a
// second one finds it done and sends nothing.
func TestEnsureNestsItsCalls(t *testing.T) {
	h := newHarness(t, nil)
	var ex coupang.ExchangeRequest
	for _, e := range h.srv.Exchanges() {
		if e.Status == coupang.ExchangeStatusReceipt && e.Rejectable {
			ex = e
			break
		}
	}
	require.NotZero(t, ex.ExchangeID)
	require.NoError(t, h.client.Exchanges.EnsureRejected(context.Background(), ex, coupang.RejectSoldOut))

	ensure := h.one("Exchanges.EnsureRejected")
	assert.Equal(t, []string{"coupang.ensure.sending"}, eventNames(ensure))
	assert.Equal(t, []string{"Exchanges.Relist", "Exchanges.Reject"}, spanNames(h.children(ensure)))
	refresh, reject := h.one("Exchanges.Relist"), h.one("Exchanges.Reject")
	assert.Equal(t, []string{"Exchanges.All"}, spanNames(h.children(refresh)))
	assert.Equal(t, []string{"Exchanges.List"}, spanNames(h.children(h.one("Exchanges.All"))))
	put := h.children(reject)
	require.Len(t, put, 1)
	assert.Equal(t, "PUT "+route+"/{exchangeId}/rejection", put[0].Name)
	assert.Equal(t, route+"/{exchangeId}/rejection", attrs(put[0].Attributes)["url.template"])

	h.spans.Reset()
	ex.Status = coupang.ExchangeStatusReject
	require.NoError(t, h.client.Exchanges.EnsureRejected(context.Background(), ex, coupang.RejectSoldOut))
	assert.Equal(t, []string{"Exchanges.EnsureRejected"}, spanNames(h.ended()))
	assert.Equal(t, []string{"coupang.ensure.already_done"}, eventNames(h.one("Exchanges.EnsureRejected")))
}

// headerFront puts a server in front of the sandbox that keeps the headers
// of every request.
func headerFront(t *testing.T, srv *coupangtest.Server) (string, func() []http.Header) {
	var mu sync.Mutex
	var seen []http.Header
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Clone())
		mu.Unlock()
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	return front.URL, func() []http.Header {
		mu.Lock()
		defer mu.Unlock()
		return append([]http.Header(nil), seen...)
	}
}

// TestTraceContextIsNotSentUnlessAsked: by default no trace header reaches
// Coupang; WithTraceContextPropagation sends the attempt span's traceparent,
// and never baggage.
func TestTraceContextIsNotSentUnlessAsked(t *testing.T) {
	for _, propagate := range []bool{false, true} {
		t.Run(strconv.FormatBool(propagate), func(t *testing.T) {
			var opts []coupangotel.Option
			if propagate {
				opts = append(opts, coupangotel.WithTraceContextPropagation())
			}
			h := sandboxOnly(t)
			base, headers := headerFront(t, h.srv)
			h.connect([]coupang.Option{coupang.WithBaseURL(base)}, opts...)
			member, _ := baggage.NewMember("customer", "kim")
			bag, _ := baggage.New(member)
			ctx := baggage.ContextWithBaggage(context.Background(), bag)
			// The global propagator, baggage included, is never used.
			prev := otel.GetTextMapPropagator()
			otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
			t.Cleanup(func() { otel.SetTextMapPropagator(prev) })
			_, err := h.client.Exchanges.List(ctx, week())
			require.NoError(t, err)

			seen := headers()
			require.Len(t, seen, 1)
			assert.Empty(t, seen[0].Get("Baggage"))
			if !propagate {
				assert.Empty(t, seen[0].Get("Traceparent"))
				assert.Empty(t, seen[0].Get("Tracestate"))
				return
			}
			attempt := h.one("GET " + route)
			want := "00-" + attempt.SpanContext.TraceID().String() + "-" + attempt.SpanContext.SpanID().String() + "-01"
			assert.Equal(t, want, seen[0].Get("Traceparent"))
		})
	}
}

// TestGlobalProvidersByDefault: without WithTracerProvider and
// WithMeterProvider, the global providers record.
func TestGlobalProvidersByDefault(t *testing.T) {
	spans := tracetest.NewInMemoryExporter()
	reader := sdkmetric.NewManualReader()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(spans))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	prevTP, prevMP := otel.GetTracerProvider(), otel.GetMeterProvider()
	otel.SetTracerProvider(tp)
	otel.SetMeterProvider(mp)
	t.Cleanup(func() { otel.SetTracerProvider(prevTP); otel.SetMeterProvider(prevMP) })

	srv := coupangtest.NewTestServer(t)
	c, err := srv.Client(coupangotel.New())
	require.NoError(t, err)
	_, err = c.Exchanges.List(context.Background(), week())
	require.NoError(t, err)
	assert.Equal(t, []string{"GET " + route, "Exchanges.List"}, spanNames(spans.GetSpans()))
	h := &harness{t: t, reader: reader}
	assert.Len(t, h.points("coupang.client.operation.duration"), 1)
}

// TestNewIsForAClient: New is a client Option, not a CallOption, so giving
// it to one call does not compile.
func TestNewIsForAClient(t *testing.T) {
	var opt any = coupangotel.New()
	_, isCall := opt.(coupang.CallOption)
	assert.False(t, isCall)
	_, isOption := opt.(coupang.Option)
	assert.True(t, isOption)
}

// TestDoTemplate: Do's path, which the client has no route for, is traced
// with its ids replaced.
func TestDoTemplate(t *testing.T) {
	h := newHarness(t, nil)
	path := "/v2/providers/openapi/apis/api/v4/vendors/" + h.srv.VendorID + "/exchangeRequests/123456789/receiveConfirmation"
	_, _ = h.client.Do(context.Background(), http.MethodPut, path, nil, map[string]any{"exchangeId": 123456789}, nil)
	h.one("Do")
	attempt := h.one("PUT " + route + "/{id}/receiveConfirmation")
	assert.NotContains(t, attempt.Name, "123456789")
	assert.False(t, strings.Contains(attrs(attempt.Attributes)["url.template"].(string), h.srv.VendorID))
}
