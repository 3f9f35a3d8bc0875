package coupang_test

// Vendor protection end to end: clients sharing a NewPacer against servers
// that lock out, block and warn like Coupang. The assertions count requests
// at the server, never how fast anything ran. The tests whose servers keep
// time (a lockout of so long) run in a testing/synctest bubble over an
// in-memory transport: the server's clock is the pacer's, so a request sent
// during a lockout is one the pacer let out during it, not one a loaded
// machine delayed on its way.

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
)

// ptServer answers every request with a page, except during a penalty: a
// request that draws the penalty (chosen by trigger, from the arrival number)
// is answered with the penalty's status and starts a penalty of length d,
// during which every request is answered the same way. It records, for each
// penalty, how many requests arrived during it after the one that began it.
type ptServer struct {
	http.Handler
	mu      sync.Mutex
	arrived int
	until   time.Time
	during  []int // per penalty: requests that arrived during it
	ok      int
}

func ptNewServer(t testing.TB, d time.Duration, trigger func(n int) bool, penalty func(w http.ResponseWriter)) *ptServer {
	s := &ptServer{}
	page := rsPage("", "tx", 1001)
	s.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		now := time.Now()
		s.mu.Lock()
		s.arrived++
		n := s.arrived
		locked := now.Before(s.until)
		switch {
		case locked:
			s.during[len(s.during)-1]++
		case trigger(n):
			s.until = now.Add(d)
			s.during = append(s.during, 0)
			locked = true
		default:
			s.ok++
		}
		s.mu.Unlock()
		if locked {
			penalty(w)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(page))
	})
	return s
}

func (s *ptServer) penalties() (during []int, ok, arrived int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]int(nil), s.during...), s.ok, s.arrived
}

func ptTooMany(w http.ResponseWriter) {
	rsStatus(429, `{"code":"ERROR","message":"Too many requests"}`)(w, nil)
}

func ptAccessDenied(w http.ResponseWriter) {
	rsStatus(403, "<html><head><title>Access Denied</title></head><body>Access Denied</body></html>")(w, nil)
}

// ptLogs is a slog handler's buffer safe for the pacer's goroutines.
type ptLogs struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *ptLogs) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *ptLogs) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// ptHammer runs workers goroutines that make calls until total calls have
// succeeded; a call refused with a *PauseError waits until it ends, as a
// caller should. It returns the errors of the calls that failed.
func ptHammer(ctx context.Context, workers, total int, call func(context.Context) error) []error {
	var done atomic.Int64
	var mu sync.Mutex
	var errs []error
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for done.Load() < int64(total) && ctx.Err() == nil {
				err := call(ctx)
				if err == nil {
					done.Add(1)
					continue
				}
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
				var pe *coupang.PauseError
				if errors.As(err, &pe) {
					_ = sleepUntil(ctx, pe.Until)
				}
			}
		}()
	}
	wg.Wait()
	return errs
}

func sleepUntil(ctx context.Context, t time.Time) error {
	timer := time.NewTimer(time.Until(t))
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

// TestLockoutGetsOneProbe: 8 goroutines share a pacer; the server locks the
// vendor out after a 429 (twice). Each lockout sees at most one request after
// the one that drew it: the probe. Without the pacer's pause, every goroutine
// would send its own retries into it.
func TestLockoutGetsOneProbe(t *testing.T) {
	t.Parallel()
	synctest.Test(t, testLockoutGetsOneProbe)
}

func testLockoutGetsOneProbe(t *testing.T) {
	srv := ptNewServer(t, 500*time.Millisecond, func(n int) bool { return n == 3 || n == 12 }, ptTooMany)
	logs := &ptLogs{}
	p := coupang.NewPacer(10, coupang.WithProtection(coupang.Protection{Cooldown: 300 * time.Millisecond, MaxCooldown: 2 * time.Second}),
		coupang.WithPacerLogger(slog.New(slog.NewJSONHandler(logs, nil))))
	c := inMemoryClient(t, srv, coupang.WithLimiter(p), coupang.WithMaxRetries(10))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	errs := ptHammer(ctx, 8, 16, func(ctx context.Context) error { return rsList(ctx, c) })
	assert.Empty(t, errs, "every call succeeds in the end")

	during, ok, arrived := srv.penalties()
	require.Len(t, during, 2, "two lockouts")
	for i, n := range during {
		assert.Equal(t, 1, n, "lockout %d: requests after the 429 that began it: the probe at the cool-down's end", i+1)
	}
	assert.GreaterOrEqual(t, ok, 16)
	t.Logf("arrivals %d, ok %d, during lockouts %v", arrived, ok, during)
	assert.Contains(t, logs.String(), `"level":"WARN","msg":"coupang: vendor paused after a 429`)
	assert.Contains(t, logs.String(), `vendor resumes`)
	st := p.State()
	assert.True(t, st.PausedUntil.IsZero())
	assert.False(t, st.Probing)
}

// TestBlockSendsNothing: after a 403 "Access Denied" page, 8 goroutines get
// ErrBlocked without sending until the cool-down ends; then one probe.
func TestBlockSendsNothing(t *testing.T) {
	t.Parallel()
	synctest.Test(t, testBlockSendsNothing)
}

func testBlockSendsNothing(t *testing.T) {
	const block = 400 * time.Millisecond
	srv := ptNewServer(t, block, func(n int) bool { return n == 3 }, ptAccessDenied)
	p := coupang.NewPacer(20, coupang.WithProtection(coupang.Protection{BlockCooldown: block + 100*time.Millisecond, MaxBlockCooldown: time.Second}))
	c := inMemoryClient(t, srv, coupang.WithLimiter(p))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	errs := ptHammer(ctx, 8, 12, func(ctx context.Context) error { return rsList(ctx, c) })

	during, ok, _ := srv.penalties()
	require.Len(t, during, 1)
	assert.Zero(t, during[0], "no request reaches the server during the block")
	assert.GreaterOrEqual(t, ok, 12)

	var denied, refused int
	for _, err := range errs {
		var apiErr *coupang.APIError
		var pe *coupang.PauseError
		switch {
		case errors.As(err, &pe):
			refused++
			assert.ErrorIs(t, err, coupang.ErrBlocked)
			var reqErr *coupang.RequestError
			if assert.ErrorAs(t, err, &reqErr) {
				assert.Zero(t, reqErr.Attempts, "nothing was sent")
			}
		case errors.As(err, &apiErr):
			denied++
			assert.Equal(t, 403, apiErr.StatusCode)
			assert.ErrorIs(t, err, coupang.ErrForbidden)
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	assert.Equal(t, 1, denied, "only the call that drew the block saw it")
	assert.Positive(t, refused, "the others were refused without sending")
}

// TestBlockedWriteIsCertainlyNotSent: a write refused during a block is not an
// outcome-unknown failure: it never left the machine.
func TestBlockedWriteIsCertainlyNotSent(t *testing.T) {
	t.Parallel()
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Location", "https://blocked.example/denied")
		w.WriteHeader(http.StatusFound)
	}))
	t.Cleanup(srv.Close)
	p := coupang.NewPacer(20)
	c, _ := rsClient(t, srv.URL, 10*time.Second, coupang.WithLimiter(p))
	ctx := context.Background()

	err := rsList(ctx, c)
	require.ErrorIs(t, err, coupang.ErrForbidden, "the 302 itself")
	for _, op := range rsWriteOps {
		err := op.call(ctx, c)
		require.ErrorIs(t, err, coupang.ErrBlocked, op.name)
		assert.NotErrorIs(t, err, coupang.ErrOutcomeUnknown, op.name)
		assert.Contains(t, err.Error(), "blocked", op.name)
	}
	assert.EqualValues(t, 1, hits.Load())
	assert.False(t, p.State().BlockedUntil.IsZero())
}

// TestSharedPacerPausesEveryClient: two clients of one vendor share a pacer;
// a 429 seen by one pauses the other, which fails at once when the pause
// outlasts its deadline.
func TestSharedPacerPausesEveryClient(t *testing.T) {
	t.Parallel()
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		ptTooMany(w)
	}))
	t.Cleanup(srv.Close)
	p := coupang.NewPacer(20, coupang.WithProtection(coupang.Protection{Cooldown: time.Hour, MaxCooldown: time.Hour}))
	a, _ := rsClient(t, srv.URL, 10*time.Second, coupang.WithLimiter(p), coupang.WithMaxRetries(0))
	b, _ := rsClient(t, srv.URL, 10*time.Second, coupang.WithLimiter(p))

	require.ErrorIs(t, rsList(context.Background(), a), coupang.ErrRateLimited)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := rsList(ctx, b)
	var pe *coupang.PauseError
	require.ErrorAs(t, err, &pe)
	assert.ErrorIs(t, err, coupang.ErrRateLimited)
	assert.NoError(t, ctx.Err(), "it did not wait for a pause it cannot outlast")
	assert.EqualValues(t, 1, hits.Load())
}

// TestWarningsSlowThePace: X-CAG-Warnings halves the pace; good answers
// bring it back to the configured rate, step by step.
func TestWarningsSlowThePace(t *testing.T) {
	t.Parallel()
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 2 {
			w.Header().Set("X-CAG-Warnings", "vendor A00012345 near threshold")
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(rsPage("", "tx", 1001)))
	}))
	t.Cleanup(srv.Close)
	logs := &ptLogs{}
	p := coupang.NewPacer(50, coupang.WithPacerLogger(slog.New(slog.NewJSONHandler(logs, nil))))
	state := p
	c, _ := rsClient(t, srv.URL, 10*time.Second, coupang.WithLimiter(p))
	ctx := context.Background()

	var rates []float64
	for range 14 {
		require.NoError(t, rsList(ctx, c))
		rates = append(rates, state.State().Rate)
	}
	assert.Equal(t, 50.0, rates[0])
	assert.Equal(t, 25.0, rates[1], "the warning halves the pace")
	for i := 2; i < 11; i++ {
		assert.Greater(t, rates[i], rates[i-1], "recovers step by step: %v", rates)
	}
	assert.InDelta(t, 50.0, rates[13], 1e-9, "back to the configured rate: %v", rates)
	assert.Contains(t, logs.String(), "X-CAG-Warnings; slowing down")
}

// TestErrorStormWidensSpacing: persistent 404s (a wrong vendor id) slow the
// pace; a good answer restores it.
func TestErrorStormWidensSpacing(t *testing.T) {
	t.Parallel()
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) <= 6 {
			rsStatus(404, `{"code":404,"message":"not found"}`)(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(rsPage("", "tx", 1001)))
	}))
	t.Cleanup(srv.Close)
	p := coupang.NewPacer(100, coupang.WithProtection(coupang.Protection{StormErrors: 3, StormWindow: time.Minute}))
	state := p
	c, _ := rsClient(t, srv.URL, 10*time.Second, coupang.WithLimiter(p))
	ctx := context.Background()
	for range 6 {
		require.ErrorIs(t, rsList(ctx, c), coupang.ErrNotFound)
	}
	assert.Equal(t, 25.0, state.State().Rate, "two storms: a quarter of the pace")
	require.NoError(t, rsList(ctx, c))
	assert.Equal(t, 100.0, state.State().Rate)
}

// TestCancelledListCallsDoNotStallThePacer is issue 9's case through the
// client: WithRateLimit(1), 20 queued List calls with their own contexts,
// cancelled oldest first; the next call starts within one interval (its
// deadline of two intervals would fail it at once otherwise).
func TestCancelledListCallsDoNotStallThePacer(t *testing.T) {
	t.Parallel()
	synctest.Test(t, testCancelledListCallsDoNotStallThePacer)
}

func testCancelledListCallsDoNotStallThePacer(t *testing.T) {
	p := coupang.NewPacer(1)
	state := p
	c := inMemoryClient(t, http.HandlerFunc(rsStatus(200, rsPage("", "tx", 1001))), coupang.WithLimiter(p))
	require.NoError(t, rsList(context.Background(), c))

	cancels := make([]context.CancelFunc, 20)
	done := make([]chan error, 20)
	for i := range cancels {
		ctx, cancel := context.WithCancel(context.Background())
		cancels[i], done[i] = cancel, make(chan error, 1)
		go func() { done[i] <- rsList(ctx, c) }()
		synctest.Wait()
		require.Equal(t, i+1, state.State().Waiting)
	}
	for i := range cancels {
		cancels[i]()
		if err := <-done[i]; err != nil {
			require.ErrorIs(t, err, context.Canceled)
		}
	}
	start := time.Now()
	require.NoError(t, rsList(context.Background(), c))
	// Exactly one interval (a second and the pacer's 2% margin) after the
	// last real start, on the bubble's clock: the cancelled calls left no
	// slot behind.
	assert.Equal(t, 1020*time.Millisecond, time.Since(start))
}

func TestRateLimitRefusesTinyRates(t *testing.T) {
	t.Parallel()
	for _, perSecond := range []float64{1e-300, 1.0 / 61, 1.0 / 3600, math.Inf(1), math.NaN(), -1} {
		_, err := coupang.NewClient("ak", "sk", "A00012345", coupang.WithRateLimit(perSecond))
		var ve *coupang.ValidationError
		require.ErrorAs(t, err, &ve, "perSecond %v", perSecond)
		assert.Equal(t, "rateLimit", ve.Field)
	}
	for _, perSecond := range []float64{0, coupang.MinRateLimit, 1, 5, 1000} {
		_, err := coupang.NewClient("ak", "sk", "A00012345", coupang.WithRateLimit(perSecond))
		assert.NoError(t, err, "perSecond %v", perSecond)
	}
}
