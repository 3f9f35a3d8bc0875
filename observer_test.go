package coupang_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

// obsParent carries, in a context, the operation whose CallStart made it:
// what the observer of a real tracer does with a span.
type obsParent struct{}

// obsLog is an Observer that writes every event as one line, with the
// operation the event's context belongs to in brackets.
type obsLog struct {
	mu    sync.Mutex
	lines []string
	calls []coupang.CallEvent
	tries []coupang.AttemptEvent
}

func (l *obsLog) add(ctx context.Context, format string, args ...any) {
	parent, _ := ctx.Value(obsParent{}).(string)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, "["+parent+"] "+fmt.Sprintf(format, args...))
}

func (l *obsLog) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.lines...)
}

// attempts returns the AttemptDone events.
func (l *obsLog) attempts() []coupang.AttemptEvent {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]coupang.AttemptEvent(nil), l.tries...)
}

func (l *obsLog) observer() coupang.Observer {
	return coupang.Observer{
		CallStart: func(ctx context.Context, e coupang.CallEvent) context.Context {
			l.add(ctx, "call %s", e.Operation)
			return context.WithValue(ctx, obsParent{}, e.Operation)
		},
		CallDone: func(ctx context.Context, e coupang.CallEvent) {
			l.add(ctx, "done %s err=%v", e.Operation, e.Err != nil)
			l.mu.Lock()
			l.calls = append(l.calls, e)
			l.mu.Unlock()
		},
		AttemptStart: func(ctx context.Context, e coupang.AttemptEvent) context.Context {
			l.add(ctx, "attempt %s %s resend=%d", e.Method, e.URLTemplate, e.ResendCount)
			return context.WithValue(ctx, obsParent{}, "attempt")
		},
		AttemptDone: func(ctx context.Context, e coupang.AttemptEvent) {
			l.add(ctx, "answer %d", e.StatusCode)
			l.mu.Lock()
			l.tries = append(l.tries, e)
			l.mu.Unlock()
		},
		LimiterWait: func(ctx context.Context, e coupang.LimiterWaitEvent) {
			l.add(ctx, "wait err=%t", e.Err != nil)
		},
		Vendor: func(ctx context.Context, e coupang.VendorEvent) {
			l.add(ctx, "vendor %s %d", e.Kind, e.Reason)
		},
		ListPage: func(ctx context.Context, e coupang.ListPageEvent) {
			l.add(ctx, "page %d records=%d bad=%d", e.Page, e.Records, e.RecordErrors)
		},
		RecordErrors: func(ctx context.Context, e coupang.RecordErrorsEvent) {
			l.add(ctx, "record errors %s %d", e.Operation, len(e.Errors))
		},
		ChangesPass: func(ctx context.Context, e coupang.ChangesPassEvent) {
			l.add(ctx, "changes %s %d lag=%t", e.Kind, e.Changes, e.Lag > 0 && !e.Newest.IsZero())
		},
		Ensure: func(ctx context.Context, e coupang.EnsureEvent) {
			l.add(ctx, "ensure %s %s", e.Operation, e.Step)
		},
	}
}

const obsRoute = "/v2/providers/openapi/apis/api/v4/vendors/{vendorId}/exchangeRequests"

func sandboxWeek(srv *coupangtest.Server) coupang.ExchangeListOptions {
	now := time.Now()
	return coupang.ExchangeListOptions{CreatedAtFrom: now.Add(-7 * 24 * time.Hour), CreatedAtTo: now}
}

// TestObserverSeesCallsAndAttempts: a List retried after a 503 is one call
// with two attempts, each in the call's context, the second with a resend
// count, both with the template and the server, the 503 with Coupang's
// transactionId.
func TestObserverSeesCallsAndAttempts(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	log := &obsLog{}
	c, err := srv.Client(coupang.WithObserver(log.observer()))
	require.NoError(t, err)
	srv.FailNext(1, http.StatusServiceUnavailable)

	_, err = c.Exchanges.List(context.Background(), sandboxWeek(srv))
	require.NoError(t, err)
	assert.Equal(t, []string{
		"[] call Exchanges.List",
		"[Exchanges.List] attempt GET " + obsRoute + " resend=0",
		"[attempt] answer 503",
		"[Exchanges.List] attempt GET " + obsRoute + " resend=1",
		"[attempt] answer 200",
		"[Exchanges.List] done Exchanges.List err=false",
	}, log.all())

	tries := log.attempts()
	require.Len(t, tries, 2)
	for _, a := range tries {
		assert.Equal(t, "http", a.Scheme)
		assert.Equal(t, "127.0.0.1", a.ServerAddress)
		assert.Equal(t, strings.TrimPrefix(srv.URL, "http://127.0.0.1:"), fmt.Sprint(a.ServerPort))
		assert.Positive(t, a.Duration)
	}
	assert.Error(t, tries[0].Err)
	assert.NoError(t, tries[1].Err)
	require.Len(t, log.calls, 1)
	assert.Positive(t, log.calls[0].Duration)
}

// TestObserverURLTemplates: every write names its endpoint with the ids
// replaced; Do, whose route the client does not know, replaces the vendor id
// and every segment that is not a plain word; a base URL's prefix is kept.
func TestObserverURLTemplates(t *testing.T) {
	log := &obsLog{}
	m := newMockAPIAt(t, "https://api.test.example/proxy", coupang.WithObserver(log.observer()))
	ok := `{"code":"200","message":"OK","data":{"resultCode":"SUCCESS","resultMessage":"ok"}}`
	m.onJSON(http.MethodPut, exchangesPath+"/300000001/receiveConfirmation", 200, ok)
	m.onJSON(http.MethodPut, exchangesPath+"/300000001/rejection", 200, ok)
	m.onJSON(http.MethodPost, exchangesPath+"/300000001/invoices", 200, ok)
	m.onJSON(http.MethodGet, "/v2/providers/openapi/apis/api/v4/vendors/A00012345/returnRequests/5001", 200, `{"code":"200","message":"OK","data":{}}`)
	ctx := context.Background()

	require.NoError(t, m.client.Exchanges.ConfirmReceipt(ctx, 300000001))
	require.NoError(t, m.client.Exchanges.Reject(ctx, 300000001, coupang.RejectSoldOut))
	require.NoError(t, m.client.Exchanges.UploadInvoices(ctx, 300000001, []coupang.ExchangeInvoice{{ShipmentBoxID: 9, GoodsDeliveryCode: "CJGLS", InvoiceNumber: "123456789012"}}))
	_, err := m.client.Do(ctx, http.MethodGet, "/v2/providers/openapi/apis/api/v4/vendors/A00012345/returnRequests/5001", nil, nil, nil)
	require.NoError(t, err)

	var attempts []string
	for _, l := range log.all() {
		if strings.Contains(l, " attempt ") {
			attempts = append(attempts, l)
		}
	}
	assert.Equal(t, []string{
		"[Exchanges.ConfirmReceipt] attempt PUT /proxy" + obsRoute + "/{exchangeId}/receiveConfirmation resend=0",
		"[Exchanges.Reject] attempt PUT /proxy" + obsRoute + "/{exchangeId}/rejection resend=0",
		"[Exchanges.UploadInvoices] attempt POST /proxy" + obsRoute + "/{exchangeId}/invoices resend=0",
		"[Do] attempt GET /proxy/v2/providers/openapi/apis/api/v4/vendors/{vendorId}/returnRequests/{id} resend=0",
	}, attempts)
	for _, a := range log.attempts() {
		assert.Equal(t, "https", a.Scheme)
		assert.Equal(t, "api.test.example", a.ServerAddress)
		assert.Equal(t, 443, a.ServerPort)
	}
}

// TestObserverSeesPauseProbeAndResume: a 429 pauses the vendor, reported in
// the context of the attempt it answered; the next call's wait lets the
// probe out, whose answer resumes the vendor. A block is reported the same
// way with its own reason.
func TestObserverSeesPauseProbeAndResume(t *testing.T) {
	for _, tt := range []struct {
		status int
		reason coupang.OutcomeKind
	}{
		{http.StatusTooManyRequests, coupang.OutcomeThrottled},
		{http.StatusForbidden, coupang.OutcomeBlocked},
	} {
		t.Run(fmt.Sprint(tt.status), func(t *testing.T) {
			srv := coupangtest.NewTestServer(t)
			log := &obsLog{}
			p := coupang.NewPacer(100, coupang.WithProtection(coupang.Protection{
				Cooldown: time.Millisecond, MaxCooldown: time.Millisecond, BlockCooldown: time.Millisecond, MaxBlockCooldown: time.Millisecond}))
			c, err := srv.Client(coupang.WithLimiter(p), coupang.WithMaxRetries(0), coupang.WithObserver(log.observer()))
			require.NoError(t, err)
			ctx := context.Background()
			srv.FailNext(1, tt.status)
			_, err = c.Exchanges.List(ctx, sandboxWeek(srv))
			require.Error(t, err)
			if tt.reason == coupang.OutcomeThrottled {
				assert.NotEmpty(t, log.attempts()[0].TransactionID, "the 429's transactionId")
			} else {
				// A block fails fast until its cool-down ends, a millisecond.
				time.Sleep(time.Until(p.State().BlockedUntil))
			}
			_, err = c.Exchanges.List(ctx, sandboxWeek(srv))
			require.NoError(t, err)

			assert.Equal(t, []string{
				"[] call Exchanges.List",
				"[Exchanges.List] wait err=false",
				"[Exchanges.List] attempt GET " + obsRoute + " resend=0",
				fmt.Sprintf("[attempt] vendor paused %d", tt.reason),
				fmt.Sprintf("[attempt] answer %d", tt.status),
				"[Exchanges.List] done Exchanges.List err=true",
				"[] call Exchanges.List",
				fmt.Sprintf("[Exchanges.List] vendor probe %d", tt.reason),
				"[Exchanges.List] wait err=false",
				"[Exchanges.List] attempt GET " + obsRoute + " resend=0",
				fmt.Sprintf("[attempt] vendor resumed %d", tt.reason),
				"[attempt] answer 200",
				"[Exchanges.List] done Exchanges.List err=false",
			}, log.all())
		})
	}
}

// TestObserverSeesRefusedWaits: while the vendor is blocked the limiter
// refuses at once, and the wait is reported with its *PauseError.
func TestObserverSeesRefusedWaits(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	var waits []coupang.LimiterWaitEvent
	p := coupang.NewPacer(100, coupang.WithProtection(coupang.Protection{BlockCooldown: time.Hour, MaxBlockCooldown: time.Hour}))
	c, err := srv.Client(coupang.WithLimiter(p), coupang.WithMaxRetries(0), coupang.WithObserver(coupang.Observer{
		LimiterWait: func(_ context.Context, e coupang.LimiterWaitEvent) { waits = append(waits, e) },
	}))
	require.NoError(t, err)
	srv.FailNext(1, http.StatusForbidden)
	_, err = c.Exchanges.List(context.Background(), sandboxWeek(srv))
	require.Error(t, err)
	_, err = c.Exchanges.List(context.Background(), sandboxWeek(srv))
	require.ErrorIs(t, err, coupang.ErrBlocked)
	require.Len(t, waits, 2)
	assert.NoError(t, waits[0].Err)
	var pe *coupang.PauseError
	assert.ErrorAs(t, waits[1].Err, &pe)
}

// obsLimiter is a Limiter of a user's own that reports through ObserveVendor.
type obsLimiter struct{}

func (obsLimiter) Wait(ctx context.Context) error {
	coupang.ObserveVendor(ctx, coupang.VendorEvent{Kind: coupang.VendorProbe, Reason: coupang.OutcomeThrottled})
	return nil
}

// TestObserveVendorFromALimiterOfYourOwn: a custom limiter reaches the
// Observer of the client whose call it serves, and ObserveVendor outside a
// call does nothing.
func TestObserveVendorFromALimiterOfYourOwn(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	log := &obsLog{}
	c, err := srv.Client(coupang.WithLimiter(obsLimiter{}), coupang.WithObserver(log.observer()))
	require.NoError(t, err)
	_, err = c.Exchanges.List(context.Background(), sandboxWeek(srv))
	require.NoError(t, err)
	assert.Contains(t, log.all(), fmt.Sprintf("[Exchanges.List] vendor probe %d", coupang.OutcomeThrottled))

	assert.NotPanics(t, func() {
		coupang.ObserveVendor(context.Background(), coupang.VendorEvent{Kind: coupang.VendorPaused})
	})
	plain, err := srv.Client(coupang.WithLimiter(obsLimiter{}))
	require.NoError(t, err)
	_, err = plain.Exchanges.List(context.Background(), sandboxWeek(srv))
	require.NoError(t, err, "no observer: nothing to report to")
}

// TestObserverReplaced: a later WithObserver replaces an earlier one. (One
// call cannot have an Observer of its own: WithObserver is not a
// CallOption, TestOptionKinds.)
func TestObserverReplaced(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	first, second := &obsLog{}, &obsLog{}
	c, err := srv.Client(coupang.WithObserver(first.observer()), coupang.WithObserver(second.observer()))
	require.NoError(t, err)
	_, err = c.Exchanges.List(context.Background(), sandboxWeek(srv))
	require.NoError(t, err)
	assert.Empty(t, first.all())
	assert.NotEmpty(t, second.all())
}

// TestObserverSeesAllAndItsPages: All is a call of its own; its List calls
// and its pages are reported within it, a bad record as record errors, and
// a *RecordError does not make All fail.
func TestObserverSeesAllAndItsPages(t *testing.T) {
	log := &obsLog{}
	m := newMockAPI(t, coupang.WithObserver(log.observer()))
	m.onJSON(http.MethodGet, exchangesPath, http.StatusOK, fixture(t, "one_bad_record.json"))
	n := 0
	for _, err := range m.client.Exchanges.All(context.Background(), listOpts()) {
		n++
		var recErr *coupang.RecordError
		if err != nil {
			require.ErrorAs(t, err, &recErr)
		}
	}
	assert.Equal(t, 5, n)
	assert.Equal(t, []string{
		"[] call Exchanges.All",
		"[Exchanges.All] call Exchanges.List",
		"[Exchanges.List] attempt GET " + obsRoute + " resend=0",
		"[attempt] answer 200",
		"[Exchanges.List] record errors Exchanges.List 1",
		"[Exchanges.List] done Exchanges.List err=true",
		"[Exchanges.All] page 1 records=4 bad=1",
		"[Exchanges.All] done Exchanges.All err=false",
	}, log.all())
}

// TestObserverSeesChangesAndEnsure: a pass of Changes reports its changes
// and their lag; Ensure… calls report their steps, the writes and listings
// they make nested within them.
func TestObserverSeesChangesAndEnsure(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	log := &obsLog{}
	c, err := srv.Client(coupang.WithObserver(log.observer()))
	require.NoError(t, err)
	ctx := context.Background()
	var receipt coupang.ExchangeRequest
	n := 0
	for ch, err := range c.Exchanges.Changes(ctx, coupang.NewMemoryChangeStore(), coupang.ChangeOptions{}) {
		require.NoError(t, err)
		n++
		if receipt.ExchangeID == 0 && ch.Exchange.Status == coupang.ExchangeStatusReceipt {
			receipt = ch.Exchange
		}
	}
	require.NotZero(t, receipt.ExchangeID)
	assert.Contains(t, log.all(), fmt.Sprintf("[Exchanges.Changes] changes exchange %d lag=true", n))
	assert.Contains(t, log.all(), "[Exchanges.Changes] call Exchanges.All")

	before := len(log.all())
	require.NoError(t, c.Exchanges.EnsureReceiptConfirmed(ctx, receipt))
	require.NoError(t, c.Exchanges.EnsureReceiptConfirmed(ctx, receipt))
	var got []string
	for _, l := range log.all()[before:] {
		if !strings.Contains(l, "attempt") && !strings.Contains(l, "answer") && !strings.Contains(l, "page") {
			got = append(got, l)
		}
	}
	assert.Equal(t, []string{
		"[] call Exchanges.EnsureReceiptConfirmed",
		"[Exchanges.EnsureReceiptConfirmed] call Exchanges.Relist",
		"[Exchanges.Relist] call Exchanges.All",
		"[Exchanges.All] call Exchanges.List",
		"[Exchanges.List] done Exchanges.List err=false",
		"[Exchanges.All] done Exchanges.All err=false",
		"[Exchanges.Relist] done Exchanges.Relist err=false",
		"[Exchanges.EnsureReceiptConfirmed] ensure Exchanges.EnsureReceiptConfirmed sending",
		"[Exchanges.EnsureReceiptConfirmed] call Exchanges.ConfirmReceipt",
		"[Exchanges.ConfirmReceipt] done Exchanges.ConfirmReceipt err=false",
		"[Exchanges.EnsureReceiptConfirmed] done Exchanges.EnsureReceiptConfirmed err=false",
		// The second call lists, finds it confirmed and sends nothing.
		"[] call Exchanges.EnsureReceiptConfirmed",
		"[Exchanges.EnsureReceiptConfirmed] call Exchanges.Relist",
		"[Exchanges.Relist] call Exchanges.All",
		"[Exchanges.All] call Exchanges.List",
		"[Exchanges.List] done Exchanges.List err=false",
		"[Exchanges.All] done Exchanges.All err=false",
		"[Exchanges.Relist] done Exchanges.Relist err=false",
		"[Exchanges.EnsureReceiptConfirmed] ensure Exchanges.EnsureReceiptConfirmed already_done",
		"[Exchanges.EnsureReceiptConfirmed] done Exchanges.EnsureReceiptConfirmed err=false",
	}, got)
}

// TestObserverAddsHeaders: RequestHeader adds headers to each attempt, in
// the attempt's context, and cannot replace the Authorization header.
func TestObserverAddsHeaders(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	var mu sync.Mutex
	var seen []http.Header
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Clone())
		mu.Unlock()
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	c, err := coupang.NewClient(srv.AccessKey, srv.SecretKey, srv.VendorID, coupang.WithBaseURL(front.URL), coupang.WithRateLimit(0),
		coupang.WithObserver(coupang.Observer{
			AttemptStart: func(ctx context.Context, e coupang.AttemptEvent) context.Context {
				return context.WithValue(ctx, obsParent{}, fmt.Sprint("try-", e.ResendCount))
			},
			RequestHeader: func(ctx context.Context, h http.Header) {
				h.Set("Traceparent", ctx.Value(obsParent{}).(string))
				h.Set("Authorization", "mine")
			},
		}))
	require.NoError(t, err)
	_, err = c.Exchanges.List(context.Background(), sandboxWeek(srv))
	require.NoError(t, err, "the request is signed after the observer's headers")
	require.Len(t, seen, 1)
	assert.Equal(t, "try-0", seen[0].Get("Traceparent"))
	assert.True(t, strings.HasPrefix(seen[0].Get("Authorization"), "CEA "))
}
