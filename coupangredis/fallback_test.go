package coupangredis_test

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangredis"
	"github.com/go-coupang/coupang/coupangredis/internal/redistest"
)

// syncBuffer collects log output from several goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Redis killed in the middle of a run: each of three "processes" (limiters
// with their own connections) falls back to its share, logs a warning, and
// the vendor never gets an unpaced burst.
//
// Redis is killed once the server has answered a few requests (an event,
// not a sleep). The starts each process lets through alone are those Redis
// did not grant (Granted less Slots): counted, not timed, so that a
// descheduled goroutine cannot bunch them. The fallback's spacing itself is
// the client's pacer, tested on its own clock in the root package.
func TestRedisKilledFallsBackToShare(t *testing.T) {
	srv := redistest.StartOwn(t)
	answered := make(chan struct{})
	var once sync.Once
	// The run ends once the server has answered 6 requests after the kill
	// (events, not a 5 s window, which a loaded machine spent on the first
	// five); the minute only bounds a hang.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rec := newRecorder(t, func(n int, _ time.Time) (int, http.Header, time.Duration) {
		switch n {
		case 5:
			once.Do(func() { close(answered) })
		case 11:
			cancel()
		}
		return http.StatusOK, nil, 0
	})
	v := vendor(t)
	var logs syncBuffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))

	const (
		procs = 3
		rate  = 5.0
		share = rate / procs
	)
	lims := make([]*coupangredis.Limiter, procs)
	for i := range lims {
		lims[i] = coupangredis.NewLimiter(srv.Client(t), v, rate, coupangredis.WithLogger(logger),
			coupangredis.WithExpectedProcesses(procs), coupangredis.WithRedisTimeout(200*time.Millisecond, time.Second))
	}
	killed := make(chan time.Time, 1)
	go func() {
		select {
		case <-answered:
		case <-ctx.Done():
		}
		killed <- time.Now() // before the kill: the time alone is over-counted, never under
		srv.Kill()
	}()
	var wg sync.WaitGroup
	results := make([]childResult, procs)
	for i, l := range lims {
		wg.Go(func() { results[i] = drive(ctx, l, rec.URL, 4) })
	}
	wg.Wait()
	endedAt := time.Now() // after the run: the time alone is over-counted, never under
	killedAt := <-killed

	// A process alone starts at most one request per interval of its share
	// from the kill to the end of the run, plus the one its pacer may have
	// been due when it fell back.
	alone := endedAt.Sub(killedAt).Seconds()
	total := 0
	for i, r := range results {
		assert.Empty(t, r.Errors, "process %d", i)
		n := len(r.Granted) - len(r.Slots)
		total += n
		assert.LessOrEqual(t, float64(n), alone*share+1, "process %d: starts without Redis in %.1fs at %.2f/s", i, alone, share)
		assert.InDelta(t, share, lims[i].State().Rate, 1e-9, "process %d paces at its share", i)
	}
	assert.Positive(t, total, "requests go on after Redis died")
	assert.Contains(t, logs.String(), "Redis unreachable")
	assert.Contains(t, logs.String(), "rate=1.66")
	t.Logf("%d starts through Redis, %d alone after the kill", len(slotTimes(results...)), total)
}

// With WithoutFallback nothing is sent without Redis: Wait says why.
func TestRedisKilledWithoutFallbackFails(t *testing.T) {
	srv := redistest.StartOwn(t)
	lim := coupangredis.NewLimiter(srv.Client(t), vendor(t), 5, coupangredis.WithLogger(nil),
		coupangredis.WithoutFallback(), coupangredis.WithRedisTimeout(200*time.Millisecond, time.Second))
	ctx := context.Background()
	require.NoError(t, lim.Wait(ctx))
	srv.Kill()
	err := lim.Wait(ctx)
	require.ErrorIs(t, err, coupangredis.ErrRedisUnavailable)
	assert.NotErrorIs(t, err, coupang.ErrBlocked)
	require.ErrorIs(t, lim.Wait(ctx), coupangredis.ErrRedisUnavailable, "and again: no fallback")
}

// A Redis that never answers counts as unreachable after the timeout, and
// the fallback still paces: at most one start per interval of its rate over
// the run (counted, not timed; the spacing is the client's pacer's, tested
// on its own clock in the root package).
func TestRedisUnreachableFromTheStart(t *testing.T) {
	rec := newRecorder(t, nil)
	var logs syncBuffer
	rdb := redistest.Unreachable(t)
	lim := coupangredis.NewLimiter(rdb, vendor(t), 4, coupangredis.WithExpectedProcesses(2),
		coupangredis.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))),
		coupangredis.WithRedisTimeout(100*time.Millisecond, time.Minute))
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 2500*time.Millisecond)
	defer cancel()
	deadline, _ := ctx.Deadline()
	res := drive(ctx, lim, rec.URL, 4)
	assert.Empty(t, res.Errors)
	assert.Empty(t, res.Slots, "nothing granted through Redis")
	assert.Positive(t, len(res.Granted))
	assert.LessOrEqual(t, float64(len(res.Granted)), deadline.Sub(start).Seconds()*2+1, "2/s alone")
	assert.Equal(t, 1, strings.Count(logs.String(), "Redis unreachable"), "one warning, not one per Wait")
	st := lim.State()
	assert.InDelta(t, 2, st.Rate, 1e-9, "the fallback's rate")
}

// While Redis is unreachable the local pacer still protects the vendor as
// far as this process can see: a 429 pauses it.
func TestFallbackKeepsLocalProtection(t *testing.T) {
	lim := coupangredis.NewLimiter(redistest.Unreachable(t), vendor(t), 5, coupangredis.WithLogger(nil),
		coupangredis.WithRedisTimeout(100*time.Millisecond, time.Minute))
	ctx := context.Background()
	require.NoError(t, lim.Wait(ctx))
	before := time.Now()
	lim.Report(ctx, coupang.Outcome{Kind: coupang.OutcomeThrottled, StatusCode: 429, RetryAfter: 30 * time.Second})
	after := time.Now()
	st := lim.State()
	require.False(t, st.PausedUntil.IsZero(), "paused locally")
	assertPausedFor(t, st.PausedUntil, 30*time.Second, before, after)
	dctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	err := lim.Wait(dctx)
	require.ErrorIs(t, err, coupang.ErrRateLimited, "nothing sent during the local pause")
}
