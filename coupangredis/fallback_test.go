package coupangredis_test

import (
	"context"
	"log/slog"
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
func TestRedisKilledFallsBackToShare(t *testing.T) {
	srv := redistest.StartOwn(t)
	rec := newRecorder(t, nil)
	v := vendor(t)
	var logs syncBuffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))

	const procs = 3
	lims := make([]*coupangredis.Limiter, procs)
	for i := range lims {
		lims[i] = coupangredis.NewLimiter(srv.Client(t), v, 5, coupangredis.WithLogger(logger),
			coupangredis.WithExpectedProcesses(procs), coupangredis.WithRedisTimeout(200*time.Millisecond, time.Second))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Second)
	defer cancel()
	killed := make(chan time.Time, 1)
	go func() {
		time.Sleep(2 * time.Second)
		srv.Kill()
		killed <- time.Now()
	}()
	var wg sync.WaitGroup
	results := make([]childResult, procs)
	for i, l := range lims {
		wg.Add(1)
		go func() { defer wg.Done(); results[i] = drive(ctx, l, rec.URL, 4) }()
	}
	wg.Wait()
	killedAt := <-killed

	ts := rec.times()
	for i, r := range results {
		assert.Empty(t, r.Errors, "process %d", i)
	}
	after := between(ts, killedAt, killedAt.Add(time.Hour))
	assert.Positive(t, after, "requests go on after Redis died")
	// Each process keeps 5/3 a second on its own: over the 4 s after the
	// kill, about 20 in all; never the unpaced thousands.
	assert.LessOrEqual(t, after, 4*5+procs, "requests after the kill")
	// Uncoordinated processes can meet within one second: at most
	// processes × ⌈share⌉, counted on the grant times (arrivals at the
	// server bunch on a loaded machine).
	grants := grantTimes(results...)
	assert.LessOrEqual(t, maxInWindow(grants, time.Second), procs*2, densest(grants))
	assert.Contains(t, logs.String(), "Redis unreachable")
	assert.Contains(t, logs.String(), "rate=1.66")
	t.Logf("%d before the kill, %d after", len(ts)-after, after)
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
// the fallback still paces.
func TestRedisUnreachableFromTheStart(t *testing.T) {
	rec := newRecorder(t, nil)
	var logs syncBuffer
	rdb := redistest.Unreachable(t)
	lim := coupangredis.NewLimiter(rdb, vendor(t), 4, coupangredis.WithExpectedProcesses(2),
		coupangredis.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))),
		coupangredis.WithRedisTimeout(100*time.Millisecond, time.Minute))
	ctx, cancel := context.WithTimeout(context.Background(), 2500*time.Millisecond)
	defer cancel()
	res := drive(ctx, lim, rec.URL, 4)
	assert.Empty(t, res.Errors)
	ts := rec.times()
	assert.LessOrEqual(t, maxInWindow(ts, time.Second), 2, "2/s alone: %s", densest(ts))
	assert.Positive(t, len(ts))
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
	lim.Report(ctx, coupang.Outcome{Kind: coupang.OutcomeThrottled, StatusCode: 429, RetryAfter: 30 * time.Second})
	st := lim.State()
	require.False(t, st.PausedUntil.IsZero(), "paused locally")
	assert.InDelta(t, 30, time.Until(st.PausedUntil).Seconds(), 2)
	dctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	err := lim.Wait(dctx)
	require.ErrorIs(t, err, coupang.ErrRateLimited, "nothing sent during the local pause")
}
