package coupang_test

// Resources (issue 9.7): idle connections released by Close, a deadline on
// every attempt whatever the HTTP client, and the end of a context always
// visible to errors.Is. No test asserts how long anything took: waits are
// bounded generously and the tests assert on errors and counts.

import (
	"context"
	"errors"
	"net/http"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
)

// TestCloseReleasesIdleConnections: short-lived clients, each closed after
// its call, leave no goroutine behind. Not parallel: it counts goroutines.
func TestCloseReleasesIdleConnections(t *testing.T) {
	srv := rsNewServer(t, rsAlways(rsStatus(200, rsPage("", "tx", 1))))
	waitGoroutines := func(atMost int) int {
		deadline := time.Now().Add(20 * time.Second) // a bound on a hang, not a speed budget
		n := runtime.NumGoroutine()
		for n > atMost && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
			n = runtime.NumGoroutine()
		}
		return n
	}
	baseline := runtime.NumGoroutine()

	const clients = 30
	made := make([]*coupang.Client, clients)
	for i := range made {
		// The default HTTP client: each client has its own transport.
		c, err := coupang.NewClient(rsAccessKey, rsSecretKey, rsVendorID,
			coupang.WithBaseURL(srv.URL), coupang.WithRateLimit(0))
		require.NoError(t, err)
		_, err = c.Exchanges.List(context.Background(), rsListOpts())
		require.NoError(t, err)
		made[i] = c
	}
	// Each idle connection holds goroutines on both ends until closed: the
	// count proves that the test can fail.
	require.GreaterOrEqual(t, runtime.NumGoroutine(), baseline+clients, "idle connections are kept before Close")

	for _, c := range made {
		require.NoError(t, c.Close())
	}
	assert.LessOrEqual(t, waitGoroutines(baseline), baseline, "goroutines back to the baseline after Close")

	// A closed client still works.
	_, err := made[0].Exchanges.List(context.Background(), rsListOpts())
	require.NoError(t, err)
	require.NoError(t, made[0].Close())
	require.NoError(t, made[0].Close(), "Close twice is fine")
}

// rsTrickle answers 200 and then one byte of a never-ending body every
// 20 ms, until the client goes away.
func rsTrickle(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	_, _ = w.Write([]byte(`{"code":200,"data":[`))
	_ = rc.Flush()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-time.After(20 * time.Millisecond):
			if _, err := w.Write([]byte(" ")); err != nil {
				return
			}
			if err := rc.Flush(); err != nil {
				return
			}
		}
	}
}

// runBounded runs f and fails the test if it has not returned within a
// minute, which only a hang would take.
func runBounded(t *testing.T, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatal("the call hangs")
	}
}

// TestEveryAttemptHasADeadline: a caller's http.Client without Timeout and a
// server that trickles its body forever; each attempt still ends.
func TestEveryAttemptHasADeadline(t *testing.T) {
	t.Parallel()
	t.Run("GET, retried", func(t *testing.T) {
		t.Parallel()
		srv := rsNewServer(t, rsAlways(rsTrickle))
		rt := &rsCounter{base: rsTransport(t)}
		c, _ := rsClient(t, srv.URL, 0, coupang.WithHTTPClient(&http.Client{Transport: rt}),
			coupang.WithAttemptTimeout(200*time.Millisecond), coupang.WithMaxRetries(1))
		runBounded(t, func() {
			_, err := c.Exchanges.List(context.Background(), rsListOpts())
			require.Error(t, err)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			assert.NotErrorIs(t, err, coupang.ErrOutcomeUnknown)
		})
		assert.Equal(t, 2, srv.count(), "an attempt that timed out is retried")
	})
	t.Run("write, outcome unknown", func(t *testing.T) {
		t.Parallel()
		srv := rsNewServer(t, rsAlways(rsTrickle))
		c, _ := rsClient(t, srv.URL, 0, coupang.WithHTTPClient(&http.Client{Transport: rsTransport(t)}))
		runBounded(t, func() {
			err := c.Exchanges.ConfirmReceipt(context.Background(), 9, coupang.WithAttemptTimeout(200*time.Millisecond))
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			assert.ErrorIs(t, err, coupang.ErrOutcomeUnknown)
		})
		assert.Equal(t, 1, srv.count())
	})
	t.Run("option validation", func(t *testing.T) {
		t.Parallel()
		for _, d := range []time.Duration{0, -time.Second} {
			_, err := coupang.NewClient(rsAccessKey, rsSecretKey, rsVendorID, coupang.WithAttemptTimeout(d))
			requireValidation(t, err, "attemptTimeout")
		}
	})
}

// rsCutErrorBody answers status with a declared body length it never
// completes: it sends part of a JSON error, then waits for the client to
// give up. started is closed once the headers are out.
func rsCutErrorBody(status int, started chan<- struct{}) rsFault {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(200))
		w.WriteHeader(status)
		_, _ = w.Write([]byte(`{"code":"ERROR","message":"Invalid sig`))
		_ = http.NewResponseController(w).Flush()
		if started != nil {
			close(started)
		}
		rsHang(w, r)
	}
}

// TestContextEndVisibleThroughCutBodies: a deadline or a cancellation that
// cuts an answer's body short is visible to errors.Is, error bodies included
// (they were reported as "unreadable JSON error body" only).
func TestContextEndVisibleThroughCutBodies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		status int
		write  bool
		cancel bool
	}{
		{name: "400 cut by the deadline", status: 400},
		{name: "400 cut by a cancellation", status: 400, cancel: true},
		{name: "401 to a write cut by the deadline", status: 401, write: true},
		{name: "503 cut by the deadline", status: 503},
		{name: "200 cut by the deadline", status: 200},
		{name: "200 to a write cut by a cancellation", status: 200, write: true, cancel: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := rsNewServer(t, rsAlways(rsCutErrorBody(tt.status, nil)))
			// The context ends once the answer's headers are in, while the
			// client reads the body that never completes: at that moment,
			// not after a sleep or a timer that a loaded machine may beat.
			in := &headersIn{base: rsTransport(t), in: make(chan struct{})}
			c, _ := rsClient(t, srv.URL, 0, coupang.WithHTTPClient(&http.Client{Transport: in}))

			var ctx context.Context
			var end func()
			want := context.Canceled
			if tt.cancel {
				ctx, end = context.WithCancel(context.Background())
			} else {
				exp := newExpiring()
				ctx, end, want = exp, exp.expire, context.DeadlineExceeded
			}
			defer end()
			go func() {
				<-in.in
				end()
			}()
			var err error
			runBounded(t, func() {
				if tt.write {
					err = c.Exchanges.ConfirmReceipt(ctx, 9)
				} else {
					_, err = c.Exchanges.List(ctx, rsListOpts())
				}
			})
			require.Error(t, err)
			assert.ErrorIs(t, err, want)
			assert.Equal(t, 1, srv.count(), "never retried once the caller gave up")
			if tt.status != 200 {
				var apiErr *coupang.APIError
				require.True(t, errors.As(err, &apiErr), "%v", err)
				assert.Equal(t, tt.status, apiErr.StatusCode)
				assert.NotEqual(t, "unreadable JSON error body", apiErr.Message)
				assert.NotContains(t, err.Error(), "Invalid sig", "part of a JSON body is never quoted")
			}
			if tt.write && tt.status >= 500 || tt.write && tt.status == 200 {
				assert.ErrorIs(t, err, coupang.ErrOutcomeUnknown)
			}
		})
	}
}

// headersIn closes in once the first answer's headers have arrived.
type headersIn struct {
	base http.RoundTripper
	in   chan struct{}
	once sync.Once
}

func (h *headersIn) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := h.base.RoundTrip(r)
	if err == nil {
		h.once.Do(func() { close(h.in) })
	}
	return resp, err
}

// expiring is a context whose deadline passes when the test calls expire:
// its Err is then context.DeadlineExceeded, as at a real deadline, at the
// moment the test chooses rather than when a timer fires.
type expiring struct {
	context.Context
	done chan struct{}
	once sync.Once
}

func newExpiring() *expiring {
	return &expiring{Context: context.Background(), done: make(chan struct{})}
}

func (e *expiring) Done() <-chan struct{} { return e.done }

func (e *expiring) Err() error {
	select {
	case <-e.done:
		return context.DeadlineExceeded
	default:
		return nil
	}
}

func (e *expiring) expire() { e.once.Do(func() { close(e.done) }) }
