package coupang

// Internal tests of the retry loop and the pacer that need to replace the
// client's clock and its sleep: the waits it asks for are recorded instead of
// slept, so Retry-After values of seconds cost nothing.

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	riAccessKey = "ri-access-0b5c"
	riSecretKey = "ri-secret-81f2aa"
	riVendorID  = "A00055555"
)

type riRequest struct {
	method, path, query, auth string
	body                      []byte
}

// riServer answers arrival n (1-based) with script(n) and records requests.
type riServer struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []riRequest
}

func riNewServer(t *testing.T, script func(w http.ResponseWriter, n int)) *riServer {
	s := &riServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.reqs = append(s.reqs, riRequest{r.Method, r.URL.EscapedPath(), r.URL.RawQuery, r.Header.Get("Authorization"), body})
		n := len(s.reqs)
		s.mu.Unlock()
		script(w, n)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *riServer) requests() []riRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]riRequest(nil), s.reqs...)
}

// riAnswer writes status with body and an optional Retry-After.
func riAnswer(w http.ResponseWriter, status int, retryAfter, body string) {
	if retryAfter != "" {
		w.Header().Set("Retry-After", retryAfter)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

const (
	riPageOK  = `{"code":200,"message":"OK","data":[{"exchangeId":1}],"nextToken":""}`
	riWriteOK = `{"code":"200","message":"SUCCESS","data":{"resultCode":"SUCCESS","resultMessage":"OK"}}`
)

// riSleeps records the waits the client asks for and returns at once.
type riSleeps struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *riSleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.waits = append(s.waits, d)
	s.mu.Unlock()
	return ctx.Err()
}

func riNewClient(t *testing.T, baseURL string, opts ...Option) *Client {
	t.Helper()
	c, err := NewClient(riAccessKey, riSecretKey, riVendorID, append([]Option{WithBaseURL(baseURL), WithRateLimit(0)}, opts...)...)
	require.NoError(t, err)
	return c
}

func riListOpts() ExchangeListOptions {
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, kst)
	return ExchangeListOptions{CreatedAtFrom: from, CreatedAtTo: from.Add(24 * time.Hour)}
}

func TestRetryWaits(t *testing.T) {
	t.Parallel()
	type bounds struct{ lo, hi time.Duration }
	ms := time.Millisecond
	cases := []struct {
		name       string
		status     int
		retryAfter func() string
		faults     int
		min, max   time.Duration // backoff
		want       []bounds      // one per retry
	}{
		{name: "Retry-After seconds", status: 429, retryAfter: func() string { return "3" }, faults: 2,
			min: 100 * ms, max: 10 * time.Second, want: []bounds{{3 * time.Second, 3 * time.Second}, {3 * time.Second, 3 * time.Second}}},
		// 0 or a past date is no reason to resend at once: the minimum backoff.
		{name: "Retry-After 0", status: 429, retryAfter: func() string { return "0" }, faults: 1,
			min: 100 * ms, max: 10 * time.Second, want: []bounds{{100 * ms, 100 * ms}}},
		{name: "Retry-After 0 on a 503", status: 503, retryAfter: func() string { return "0" }, faults: 1,
			min: 100 * ms, max: 10 * time.Second, want: []bounds{{100 * ms, 100 * ms}}},
		{name: "Retry-After 1 below the minimum", status: 503, retryAfter: func() string { return "1" }, faults: 1,
			min: 3 * time.Second, max: 10 * time.Second, want: []bounds{{3 * time.Second, 3 * time.Second}}},
		{name: "Retry-After equal to the max", status: 503, retryAfter: func() string { return "10" }, faults: 1,
			min: 100 * ms, max: 10 * time.Second, want: []bounds{{10 * time.Second, 10 * time.Second}}},
		{name: "Retry-After HTTP date", status: 503, faults: 1, min: 100 * ms, max: 10 * time.Second,
			retryAfter: func() string { return time.Now().Add(5 * time.Second).UTC().Format(http.TimeFormat) },
			want:       []bounds{{3 * time.Second, 5 * time.Second}}},
		{name: "Retry-After HTTP date in the past", status: 429, faults: 1, min: 100 * ms, max: 10 * time.Second,
			retryAfter: func() string { return time.Now().Add(-time.Minute).UTC().Format(http.TimeFormat) },
			want:       []bounds{{100 * ms, 100 * ms}}},
		{name: "no Retry-After: exponential with jitter, capped", status: 503, retryAfter: func() string { return "" }, faults: 3,
			min: 100 * ms, max: 300 * ms, want: []bounds{{50 * ms, 100 * ms}, {100 * ms, 200 * ms}, {150 * ms, 300 * ms}}},
		// After a 429 the waits start at four times the minimum.
		{name: "no Retry-After on 429", status: 429, retryAfter: func() string { return "" }, faults: 3,
			min: 100 * ms, max: time.Second, want: []bounds{{200 * ms, 400 * ms}, {400 * ms, 800 * ms}, {500 * ms, time.Second}}},
		{name: "unreadable Retry-After", status: 429, retryAfter: func() string { return "soon" }, faults: 1,
			min: 100 * ms, max: time.Second, want: []bounds{{200 * ms, 400 * ms}}},
		{name: "negative Retry-After", status: 429, retryAfter: func() string { return "-5" }, faults: 1,
			min: 100 * ms, max: time.Second, want: []bounds{{200 * ms, 400 * ms}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := riNewServer(t, func(w http.ResponseWriter, n int) {
				if n <= tc.faults {
					riAnswer(w, tc.status, tc.retryAfter(), `{"code":"ERROR","message":"busy"}`)
					return
				}
				riAnswer(w, 200, "", riPageOK)
			})
			c := riNewClient(t, srv.URL, WithBackoff(tc.min, tc.max))
			s := &riSleeps{}
			c.sleep = s.sleep

			_, err := c.Exchanges.List(context.Background(), riListOpts())
			require.NoError(t, err)
			require.Len(t, s.waits, len(tc.want))
			for i, b := range tc.want {
				assert.GreaterOrEqual(t, s.waits[i], b.lo, "wait %d", i+1)
				assert.LessOrEqual(t, s.waits[i], b.hi, "wait %d", i+1)
			}
			assert.Len(t, srv.requests(), tc.faults+1)
		})
	}
}

func TestRetryAfterBeyondMaxEndsRetries(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		header string
		want   time.Duration
	}{
		{"11", 11 * time.Second},
		// Would overflow time.Duration into a negative wait if multiplied.
		{"9300000000", time.Duration(math.MaxInt64)},
	} {
		t.Run(tc.header, func(t *testing.T) {
			srv := riNewServer(t, func(w http.ResponseWriter, _ int) {
				riAnswer(w, 429, tc.header, `{"code":"ERROR","message":"locked out"}`)
			})
			c := riNewClient(t, srv.URL, WithBackoff(time.Millisecond, 10*time.Second))
			s := &riSleeps{}
			c.sleep = s.sleep

			_, err := c.Exchanges.List(context.Background(), riListOpts())
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tc.want, apiErr.RetryAfter)
			assert.Equal(t, 1, apiErr.Attempts)
			assert.Equal(t, "locked out", apiErr.Message)
			assert.Empty(t, s.waits, "no wait at all")
			assert.Len(t, srv.requests(), 1)
		})
	}
}

// TestBackoffBounds: every wait without Retry-After lies within
// [d/2, d] for d = min·2^(attempt-1) capped at max, so within [min/2, max],
// for any attempt number, and it is jittered.
func TestBackoffBounds(t *testing.T) {
	t.Parallel()
	c := riNewClient(t, "http://127.0.0.1:1", WithBackoff(100*time.Millisecond, 30*time.Second))
	for attempt := 1; attempt <= 100; attempt++ {
		d := c.maxBackoff
		if attempt <= 10 {
			d = min(c.minBackoff<<(attempt-1), c.maxBackoff)
		}
		seen := map[time.Duration]bool{}
		for i := 0; i < 50; i++ {
			w, ok := c.backoff(attempt, attemptResult{})
			require.True(t, ok)
			require.GreaterOrEqual(t, w, d/2, "attempt %d", attempt)
			require.LessOrEqual(t, w, d, "attempt %d", attempt)
			seen[w] = true
		}
		assert.Greater(t, len(seen), 1, "attempt %d: waits are jittered", attempt)
	}
}

// riHMAC is an independent implementation of the signature, with crypto/hmac.
func riHMAC(secret, message string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(message))
	return hex.EncodeToString(mac.Sum(nil))
}

// TestAttemptsResignedAndReplayed: each attempt carries a signature made at
// its own time, and the same body.
func TestAttemptsResignedAndReplayed(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 3, 5, 1, 54, 41, 0, time.UTC)
	cases := []struct {
		name     string
		call     func(context.Context, *Client) error
		statuses []int // of the failed attempts
		ok       string
		wantBody string
	}{
		{
			name: "List",
			call: func(ctx context.Context, c *Client) error {
				_, err := c.Exchanges.List(ctx, riListOpts())
				return err
			},
			statuses: []int{503, 429},
			ok:       riPageOK,
		},
		{
			name: "UploadInvoices",
			call: func(ctx context.Context, c *Client) error {
				return c.Exchanges.UploadInvoices(ctx, 40003, []ExchangeInvoice{{ShipmentBoxID: 100000000000000123, GoodsDeliveryCode: CourierCJ, InvoiceNumber: "123456789012"}})
			},
			statuses: []int{429, 429},
			ok:       riWriteOK,
			wantBody: `[{"exchangeId":40003,"vendorId":"A00055555","shipmentBoxId":100000000000000123,"goodsDeliveryCode":"CJGLS","invoiceNumber":"123456789012"}]`,
		},
		{
			name:     "Reject",
			call:     func(ctx context.Context, c *Client) error { return c.Exchanges.Reject(ctx, 40002, RejectWithdraw) },
			statuses: []int{429},
			ok:       riWriteOK,
			wantBody: `{"exchangeId":40002,"vendorId":"A00055555","exchangeRejectCode":"WITHDRAW"}`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := riNewServer(t, func(w http.ResponseWriter, n int) {
				if n <= len(tc.statuses) {
					riAnswer(w, tc.statuses[n-1], "", `{"code":"ERROR","message":"busy"}`)
					return
				}
				riAnswer(w, 200, "", tc.ok)
			})
			// Writes are resent on a 429 only when opted in.
			c := riNewClient(t, srv.URL, WithBackoff(time.Millisecond, time.Millisecond), WithRetryWritesOn429(true))
			c.sleep = (&riSleeps{}).sleep
			var ticks atomic.Int64
			c.now = func() time.Time { return t0.Add(time.Duration(ticks.Add(1)-1) * time.Minute) }

			require.NoError(t, tc.call(context.Background(), c))
			reqs := srv.requests()
			require.Len(t, reqs, len(tc.statuses)+1)
			sigs := map[string]bool{}
			for i, r := range reqs {
				date := t0.Add(time.Duration(i) * time.Minute).Format(SignedDateLayout)
				sig := riHMAC(riSecretKey, date+r.method+r.path+r.query)
				assert.Equal(t, "CEA algorithm=HmacSHA256, access-key="+riAccessKey+", signed-date="+date+", signature="+sig, r.auth, "attempt %d", i+1)
				sigs[sig] = true
				if tc.wantBody == "" {
					assert.Empty(t, r.body, "attempt %d", i+1)
				} else {
					assert.Equal(t, tc.wantBody, string(r.body), "attempt %d sends the same bytes", i+1)
				}
			}
			assert.Len(t, sigs, len(reqs), "every attempt has its own signature")
		})
	}
}

func TestFinalErrorKeepsContextCause(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		last error
	}{
		{"APIError", &APIError{StatusCode: 503, Message: "busy"}},
		{"RequestError", &RequestError{Method: "GET", Path: "/p", Err: io.ErrUnexpectedEOF}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := riNewClient(t, "http://127.0.0.1:1")
			stop := errors.Join(errors.New("waiting to retry"), context.Canceled)
			err := c.finalError(&apiRequest{method: "GET", path: "/p"}, 2, attemptResult{err: tc.last}, stop)
			assert.ErrorIs(t, err, context.Canceled)
			assert.ErrorIs(t, err, tc.last)
			assert.True(t, strings.Contains(err.Error(), "waiting to retry"), err.Error())
		})
	}
}
