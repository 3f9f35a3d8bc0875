package coupang

// A Retry-After of 0 or a date in the past never makes the client resend at
// once, whatever limiter it has. The client runs in a testing/synctest bubble
// over an in-memory transport, so the time between two attempts is measured
// on the bubble's clock, exactly, and seconds of waiting cost nothing.

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"
)

// fakeTransport answers the first request with a 429 and Retry-After, then
// 200s, and records when each request arrived.
type fakeTransport struct {
	retryAfter string
	mu         sync.Mutex
	arrivals   []time.Time
}

func (f *fakeTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	f.mu.Lock()
	f.arrivals = append(f.arrivals, time.Now())
	n := len(f.arrivals)
	f.mu.Unlock()
	if req.Body != nil {
		_ = req.Body.Close()
	}
	status, body, h := http.StatusOK, riPageOK, http.Header{"Content-Type": {"application/json"}}
	if n == 1 {
		status, body = http.StatusTooManyRequests, `{"code":"ERROR","message":"Too many requests"}`
		h.Set("Retry-After", f.retryAfter)
	}
	return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(strings.NewReader(body)), Request: req}, nil
}

func (f *fakeTransport) times() []time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Time(nil), f.arrivals...)
}

func TestRetryAfterZeroOrPastNeverResendsAtOnce(t *testing.T) {
	headers := map[string]func() string{
		"0":           func() string { return "0" },
		"a past date": func() string { return time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat) },
	}
	limiters := []struct {
		name string
		opts []Option
		min  time.Duration // the least the retry must wait
	}{
		{"pacing off", []Option{WithRateLimit(0)}, DefaultMinBackoff},
		{"a limiter that does not protect", []Option{WithLimiter(rate.NewLimiter(rate.Inf, 1))}, DefaultMinBackoff},
		{"the default pacer", nil, intervalFor(DefaultRateLimit)},
	}
	for hname, header := range headers {
		for _, lc := range limiters {
			t.Run("Retry-After "+hname+", "+lc.name, func(t *testing.T) {
				synctest.Test(t, func(t *testing.T) {
					ft := &fakeTransport{retryAfter: header()}
					opts := append([]Option{WithHTTPClient(&http.Client{Transport: ft}), WithMaxRetries(3)}, lc.opts...)
					c, err := NewClient(riAccessKey, riSecretKey, riVendorID, opts...)
					require.NoError(t, err)
					_, err = c.Exchanges.List(context.Background(), riListOpts())
					require.NoError(t, err)
					ts := ft.times()
					require.Len(t, ts, 2)
					assert.GreaterOrEqual(t, ts[1].Sub(ts[0]), lc.min, "the retry waited")
				})
			})
		}
	}
}
