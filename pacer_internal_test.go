package coupang

// Internal tests of the pacer's queue and of its vendor protection, driven
// through Wait and Report directly. Tests that wait run in a testing/synctest
// bubble (time moves only when every goroutine waits, so a queued caller is
// seen with synctest.Wait, not by polling); tests of what a report does at a
// given moment move a clocktest.Fake. The assertions are about order, counts,
// errors and the times the pacer decides, never about how fast anything ran.

import (
	"context"
	"errors"
	"math"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang/internal/clock/clocktest"
)

// fakeStart is where the tests' fake clocks start: a fixed time, the same
// on every run.
var fakeStart = time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)

func newTestPacer(t *testing.T, perSecond float64, opts ...PacerOption) *pacer {
	t.Helper()
	p, ok := NewPacer(perSecond, opts...).(*pacer)
	require.True(t, ok)
	return p
}

// waitQueued, in a synctest bubble, waits until every goroutine of the
// bubble is blocked and requires n callers queued in p by then.
func waitQueued(t *testing.T, p *pacer, n int) {
	t.Helper()
	synctest.Wait()
	require.Equal(t, n, p.State().Waiting)
}

// TestPacerIntervalCoversTheBudget: N intervals never add up to less than a
// second, or N+1 requests could start within one; a rate NewPacer cannot
// honour paces at one request a minute rather than overflow or panic.
func TestPacerIntervalCoversTheBudget(t *testing.T) {
	t.Parallel()
	for _, perSecond := range []float64{1, 3, 5, 6, 7, 9, 10, 11, 13, 20, 30, 300, 7000, 0.3, MinRateLimit} {
		p := newTestPacer(t, perSecond)
		n := math.Max(1, math.Floor(perSecond))
		assert.GreaterOrEqual(t, time.Duration(n)*p.interval, time.Duration(float64(time.Second)*n/perSecond), "perSecond %v: interval %v", perSecond, p.interval)
		assert.Equal(t, perSecond, p.State().ConfiguredRate)
	}
	for _, perSecond := range []float64{1e-3, 1e-300, 0, -5, math.NaN(), math.Inf(1), math.Inf(-1)} {
		p := newTestPacer(t, perSecond)
		assert.Equal(t, MinRateLimit, p.State().ConfiguredRate, "perSecond %v", perSecond)
		assert.GreaterOrEqual(t, p.interval, time.Minute, "perSecond %v", perSecond)
	}
}

func TestPacerWaitEndsWithContext(t *testing.T) {
	t.Parallel()
	t.Run("cancelled before", func(t *testing.T) {
		t.Parallel()
		p := newTestPacer(t, 5)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		assert.Same(t, context.Canceled, p.Wait(ctx))
		assert.True(t, p.last.IsZero(), "no start recorded")
		assert.InDelta(t, 1, p.lim.Tokens(), 1e-9, "no token taken")
	})
	t.Run("deadline before the slot fails at once and takes nothing", func(t *testing.T) {
		t.Parallel()
		p := newTestPacer(t, MinRateLimit) // a slot a minute
		require.NoError(t, p.Wait(context.Background()))
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		err := p.Wait(ctx)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		assert.NoError(t, ctx.Err(), "it did not wait for the deadline")
		assert.Contains(t, err.Error(), "rate limit")
		assert.Zero(t, p.State().Waiting)
	})
	t.Run("deadline behind a queue fails at once", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, testDeadlineBehindQueue)
	})
	t.Run("cancelled at the head gives the slot back", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, testCancelledHeadGivesSlotBack)
	})
}

func testDeadlineBehindQueue(t *testing.T) {
	p := newTestPacer(t, 1)
	require.NoError(t, p.Wait(context.Background()))
	bg, stop := context.WithCancel(context.Background())
	defer stop()
	for range 5 {
		go func() { _ = p.Wait(bg) }()
	}
	waitQueued(t, p, 5)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second) // 5 callers ahead at 1/s
	defer cancel()
	err := p.Wait(ctx)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.NoError(t, ctx.Err(), "it did not wait for the deadline")
	assert.Contains(t, err.Error(), "5 callers ahead")
}

func testCancelledHeadGivesSlotBack(t *testing.T) {
	p := newTestPacer(t, MinRateLimit)
	require.NoError(t, p.Wait(context.Background()))
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- p.Wait(ctx) }()
	waitQueued(t, p, 1)
	require.Less(t, p.lim.Tokens(), 0.0, "the head reserved")
	cancel()
	assert.Same(t, context.Canceled, <-errc, "Wait returns ctx.Err() itself")
	assert.InDelta(t, 0, p.lim.Tokens(), 1e-9, "the reservation is given back whole (no time passed)")
	assert.Zero(t, p.State().Waiting)
}

// TestPacerCancelledWaitersDoNotDelayOthers is the case of issue 9: 20
// callers queued with their own contexts, cancelled oldest first; the next
// caller must start within one interval. The next caller's deadline of two
// intervals makes the pacer fail at once if it would start later.
func TestPacerCancelledWaitersDoNotDelayOthers(t *testing.T) {
	t.Parallel()
	for _, order := range []string{"oldest first", "newest first"} {
		t.Run(order, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) { testCancelledWaiters(t, order) })
		})
	}
}

func testCancelledWaiters(t *testing.T, order string) {
	p := newTestPacer(t, 5)
	require.NoError(t, p.Wait(context.Background()))
	cancels := make([]context.CancelFunc, 20)
	errs := make([]chan error, 20)
	for i := range cancels {
		ctx, cancel := context.WithCancel(context.Background())
		cancels[i], errs[i] = cancel, make(chan error, 1)
		go func() { errs[i] <- p.Wait(ctx) }()
		waitQueued(t, p, i+1)
	}
	for k := range cancels {
		i := k
		if order == "newest first" {
			i = len(cancels) - 1 - k
		}
		cancels[i]()
		err := <-errs[i]
		if err != nil { // the head may have started before its cancel
			require.ErrorIs(t, err, context.Canceled)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*p.interval)
	defer cancel()
	require.NoError(t, p.Wait(ctx), "the next caller starts within one interval")
}

// TestPacerIsFair: callers start in the order they arrived.
func TestPacerIsFair(t *testing.T) {
	t.Parallel()
	synctest.Test(t, testPacerIsFair)
}

func testPacerIsFair(t *testing.T) {
	p := newTestPacer(t, 1000)
	// Hold the queue: the next start is an hour away until released below.
	p.mu.Lock()
	p.aimd = 1 // N = 1
	p.applyRateLocked(time.Now())
	p.last = time.Now().Add(time.Hour)
	p.mu.Unlock()
	var mu sync.Mutex
	var order []int
	var wg sync.WaitGroup
	for i := range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if assert.NoError(t, p.Wait(context.Background())) {
				mu.Lock()
				order = append(order, i)
				mu.Unlock()
			}
		}()
		waitQueued(t, p, i+1)
	}
	p.mu.Lock()
	p.aimd = 1000
	p.applyRateLocked(time.Now())
	p.last = time.Time{}
	p.broadcastLocked()
	p.mu.Unlock()
	wg.Wait()
	assert.Equal(t, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, order)
}

// TestPacerSpacesRealStarts: when the previous caller really started late
// (woken late by the scheduler), the next one still starts a full interval
// after it, although the rate.Limiter would let it go now.
func TestPacerSpacesRealStarts(t *testing.T) {
	t.Parallel()
	synctest.Test(t, testPacerSpacesRealStarts)
}

func testPacerSpacesRealStarts(t *testing.T) {
	p := newTestPacer(t, 20) // 50.5 ms
	p.mu.Lock()
	p.last = time.Now() // a start the limiter did not see
	first := p.last
	p.mu.Unlock()
	require.NoError(t, p.Wait(context.Background()))
	p.mu.Lock()
	second := p.last
	p.mu.Unlock()
	assert.Equal(t, p.interval, second.Sub(first), "one interval after the start the limiter did not see")
}

// TestPacerNeverExceedsTheBudget: 8 goroutines drive the pacer flat out;
// no window of one second holds more than N real starts.
func TestPacerNeverExceedsTheBudget(t *testing.T) {
	t.Parallel()
	synctest.Test(t, testPacerNeverExceedsTheBudget)
}

func testPacerNeverExceedsTheBudget(t *testing.T) {
	const perSecond = 40
	p := newTestPacer(t, perSecond)
	var starts []time.Time
	p.onStart = func(t time.Time) { starts = append(starts, t) } // under p.mu
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 9 {
				assert.NoError(t, p.Wait(context.Background()))
			}
		}()
	}
	wg.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	require.Len(t, starts, 72)
	for i := perSecond; i < len(starts); i++ {
		assert.GreaterOrEqual(t, starts[i].Sub(starts[i-perSecond]), time.Second, "starts %d..%d", i-perSecond, i)
	}
}

func pauseErr(t *testing.T, err error) *PauseError {
	t.Helper()
	var pe *PauseError
	require.ErrorAs(t, err, &pe)
	return pe
}

func TestPacerPausesAfter429(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("a caller whose deadline comes first fails at once", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			p := newTestPacer(t, 100, WithProtection(Protection{Cooldown: time.Hour, MaxCooldown: time.Hour}))
			require.NoError(t, p.Wait(ctx))
			p.Report(ctx, Outcome{Kind: OutcomeThrottled, StatusCode: 429})
			st := p.State()
			require.False(t, st.PausedUntil.IsZero())
			dctx, cancel := context.WithTimeout(ctx, time.Minute)
			defer cancel()
			err := p.Wait(dctx)
			pe := pauseErr(t, err)
			assert.ErrorIs(t, err, ErrRateLimited)
			assert.NotErrorIs(t, err, ErrBlocked)
			assert.Equal(t, st.PausedUntil, pe.Until)
			assert.NoError(t, dctx.Err(), "it did not wait")
		})
	})

	t.Run("queued callers with an earlier deadline leave when the pause begins", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			p := newTestPacer(t, 0.1, WithProtection(Protection{Cooldown: time.Hour, MaxCooldown: time.Hour})) // 10 s apart
			require.NoError(t, p.Wait(ctx))
			dctx, cancel := context.WithTimeout(ctx, time.Minute)
			defer cancel()
			errc := make(chan error, 1)
			go func() { errc <- p.Wait(dctx) }()
			waitQueued(t, p, 1)
			p.Report(ctx, Outcome{Kind: OutcomeThrottled, StatusCode: 429})
			assert.ErrorIs(t, <-errc, ErrRateLimited)
			assert.NoError(t, dctx.Err(), "it left at once")
		})
	})

	t.Run("after the pause one probe, the others wait for its answer", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, testOneProbeAfterPause)
	})

	t.Run("a probe answered 429 pauses longer", func(t *testing.T) {
		t.Parallel()
		clk := clocktest.NewFake(fakeStart)
		p := newTestPacer(t, 1000, WithProtection(Protection{Cooldown: 20 * time.Millisecond, MaxCooldown: time.Hour}), withClock(clk))
		require.NoError(t, p.Wait(ctx)) // the first request
		for _, want := range []time.Duration{20, 40, 80, 160} {
			p.Report(ctx, Outcome{Kind: OutcomeThrottled, StatusCode: 429})
			until := p.State().PausedUntil
			assert.Equal(t, clk.Now().Add(want*time.Millisecond), until, "the cool-down doubles")
			clk.Advance(want * time.Millisecond)
			require.NoError(t, p.Wait(ctx), "the probe goes when the pause ends")
			require.True(t, p.State().Probing)
		}
	})

	t.Run("429s of requests sent before the pause do not lengthen it", func(t *testing.T) {
		t.Parallel()
		clk := clocktest.NewFake(fakeStart)
		p := newTestPacer(t, 1000, WithProtection(Protection{Cooldown: time.Hour, MaxCooldown: 10 * time.Hour}), withClock(clk))
		p.Report(ctx, Outcome{Kind: OutcomeThrottled, StatusCode: 429})
		until := p.State().PausedUntil
		for range 7 {
			clk.Advance(time.Second)
			p.Report(ctx, Outcome{Kind: OutcomeThrottled, StatusCode: 429})
		}
		assert.Equal(t, until, p.State().PausedUntil)
		assert.Equal(t, 1, p.throttles)
	})

	t.Run("Retry-After sets the pause", func(t *testing.T) {
		t.Parallel()
		clk := clocktest.NewFake(fakeStart)
		p := newTestPacer(t, 1000, WithProtection(Protection{Cooldown: time.Millisecond, MaxCooldown: time.Millisecond}), withClock(clk))
		now := clk.Now()
		p.Report(ctx, Outcome{Kind: OutcomeThrottled, StatusCode: 429, RetryAfter: 20 * time.Minute})
		assert.Equal(t, now.Add(20*time.Minute), p.State().PausedUntil)
		p.Report(ctx, Outcome{Kind: OutcomeThrottled, StatusCode: 429, RetryAfter: 24 * time.Hour})
		assert.Equal(t, now.Add(time.Hour), p.State().PausedUntil, "a day is capped at an hour")
		p.Report(ctx, Outcome{Kind: OutcomeThrottled, StatusCode: 429, RetryAfter: math.MaxInt64})
		assert.Equal(t, now.Add(maxRetryAfter), p.State().PausedUntil, "no overflow")
	})

	t.Run("a probe without an answer lets another go", func(t *testing.T) {
		t.Parallel()
		clk := clocktest.NewFake(fakeStart)
		p := newTestPacer(t, 1000, WithProtection(Protection{Cooldown: time.Millisecond, MaxCooldown: time.Millisecond}), withClock(clk))
		p.Report(ctx, Outcome{Kind: OutcomeThrottled, StatusCode: 429})
		clk.Advance(time.Millisecond)
		require.NoError(t, p.Wait(ctx))
		require.True(t, p.State().Probing)
		p.Report(ctx, Outcome{Kind: OutcomeNoAnswer})
		clk.Advance(p.interval)
		require.NoError(t, p.Wait(ctx))
		assert.True(t, p.State().Probing, "the second caller is the new probe")
	})

	t.Run("a probe never reported is presumed lost", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			p := newTestPacer(t, 1000, WithProtection(Protection{Cooldown: time.Millisecond, MaxCooldown: time.Millisecond}), withProbeTimeout(30*time.Second))
			p.Report(ctx, Outcome{Kind: OutcomeThrottled, StatusCode: 429})
			require.NoError(t, p.Wait(ctx))
			probe := time.Now()
			require.NoError(t, p.Wait(ctx), "not stalled forever")
			assert.Equal(t, probe.Add(30*time.Second), time.Now(), "the next goes when the probe is presumed lost")
		})
	})
}

// testOneProbeAfterPause: when the pause ends, one probe starts and the
// others stay queued, however long its answer takes, until it is answered.
func testOneProbeAfterPause(t *testing.T) {
	ctx := context.Background()
	p := newTestPacer(t, 1000, WithProtection(Protection{Cooldown: 50 * time.Millisecond, MaxCooldown: time.Second}))
	require.NoError(t, p.Wait(ctx))
	p.Report(ctx, Outcome{Kind: OutcomeThrottled, StatusCode: 429})
	pausedUntil := p.State().PausedUntil

	done := make(chan time.Time, 3)
	for range 3 {
		go func() {
			if assert.NoError(t, p.Wait(ctx)) {
				done <- time.Now()
			}
		}()
	}
	probe := <-done
	assert.Equal(t, pausedUntil, probe, "the probe starts when the pause ends, not before")
	synctest.Wait()
	st := p.State()
	require.True(t, st.Probing)
	require.Equal(t, 2, st.Waiting, "the others are held while the probe is out")
	require.Empty(t, done, "no second start while the probe is out")
	// Its answer is slow: long after it was due the others still wait
	// (only a lost probe, after two minutes, would let another go).
	time.Sleep(time.Minute)
	synctest.Wait()
	require.Empty(t, done, "no second start before the probe's answer")
	answered := time.Now()
	p.Report(ctx, Outcome{Kind: OutcomeSuccess, StatusCode: 200})
	for range 2 {
		assert.False(t, (<-done).Before(answered))
	}
	st = p.State()
	assert.False(t, st.Probing)
	assert.True(t, st.PausedUntil.IsZero(), "resumed")
}

func TestPacerFailsFastWhileBlocked(t *testing.T) {
	t.Parallel()
	synctest.Test(t, testPacerFailsFastWhileBlocked)
}

func testPacerFailsFastWhileBlocked(t *testing.T) {
	ctx := context.Background()
	p := newTestPacer(t, 0.1, WithProtection(Protection{BlockCooldown: 200 * time.Millisecond, MaxBlockCooldown: time.Hour}))
	require.NoError(t, p.Wait(ctx))
	errc := make(chan error, 1)
	go func() { errc <- p.Wait(ctx) }() // queued, no deadline
	waitQueued(t, p, 1)

	blockedAt := time.Now()
	p.Report(ctx, Outcome{Kind: OutcomeBlocked, StatusCode: 403})
	queued := <-errc
	assert.ErrorIs(t, queued, ErrBlocked, "a queued caller leaves at once")
	err := p.Wait(ctx)
	pe := pauseErr(t, err)
	assert.ErrorIs(t, err, ErrBlocked)
	assert.NotErrorIs(t, err, ErrRateLimited)
	assert.Equal(t, blockedAt.Add(200*time.Millisecond), pe.Until)
	assert.Equal(t, pe.Until, p.State().BlockedUntil)
	assert.Contains(t, err.Error(), "blocked")

	// After the cool-down: one probe (the rate is slow, so free the spacing).
	p.mu.Lock()
	p.last = time.Time{}
	p.lim.SetLimit(1000)
	p.mu.Unlock()
	time.Sleep(time.Until(pe.Until))
	require.NoError(t, p.Wait(ctx))
	assert.True(t, p.State().Probing)
	// The probe is blocked again: the cool-down doubles.
	p.Report(ctx, Outcome{Kind: OutcomeBlocked, StatusCode: 302})
	assert.Equal(t, time.Now().Add(400*time.Millisecond), p.State().BlockedUntil)
}

func TestPacerErrorStormWidensSpacing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := newTestPacer(t, 5, WithProtection(Protection{StormErrors: 3, StormWindow: time.Hour}))
	iv := p.interval
	for range 2 {
		p.Report(ctx, Outcome{Kind: OutcomeError, StatusCode: 404})
	}
	assert.Equal(t, 5.0, p.State().Rate, "two errors are no storm")
	p.Report(ctx, Outcome{Kind: OutcomeError, StatusCode: 404})
	assert.Equal(t, 2.5, p.State().Rate)
	assert.Greater(t, p.interval, iv)
	for range 3 {
		p.Report(ctx, Outcome{Kind: OutcomeError, StatusCode: 500})
	}
	assert.Equal(t, 1.25, p.State().Rate, "a further storm widens again")
	for range 100 {
		p.Report(ctx, Outcome{Kind: OutcomeError, StatusCode: 500})
	}
	assert.Equal(t, 5.0/16, p.State().Rate, "capped")
	p.Report(ctx, Outcome{Kind: OutcomeSuccess, StatusCode: 200})
	assert.Equal(t, 5.0, p.State().Rate, "a good answer ends the storm")
	assert.Equal(t, iv, p.interval)

	t.Run("errors spread out are no storm", func(t *testing.T) {
		clk := clocktest.NewFake(fakeStart)
		p := newTestPacer(t, 5, WithProtection(Protection{StormErrors: 3, StormWindow: 10 * time.Millisecond}), withClock(clk))
		for range 5 {
			p.Report(ctx, Outcome{Kind: OutcomeError, StatusCode: 404})
			clk.Advance(11 * time.Millisecond)
		}
		assert.Equal(t, 5.0, p.State().Rate)
	})

	t.Run("errors within the window are a storm", func(t *testing.T) {
		clk := clocktest.NewFake(fakeStart)
		p := newTestPacer(t, 5, WithProtection(Protection{StormErrors: 3, StormWindow: 10 * time.Millisecond}), withClock(clk))
		for range 3 {
			p.Report(ctx, Outcome{Kind: OutcomeError, StatusCode: 404})
			clk.Advance(5 * time.Millisecond) // the third is 10 ms after the first
		}
		assert.Equal(t, 2.5, p.State().Rate)
	})
}

func TestPacerSlowsOnWarnings(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := newTestPacer(t, 5)
	p.Report(ctx, Outcome{Kind: OutcomeSuccess, StatusCode: 200, Warning: "near threshold"})
	assert.Equal(t, 2.5, p.State().Rate, "multiplicative decrease")
	p.Report(ctx, Outcome{Kind: OutcomeSuccess, StatusCode: 200, Warning: "near threshold"})
	assert.Equal(t, 2.5, p.State().Rate, "at most one decrease a second")
	for i := range 9 {
		p.Report(ctx, Outcome{Kind: OutcomeSuccess, StatusCode: 200})
		assert.Less(t, p.State().Rate, 5.0, "slow additive recovery: answer %d", i+1)
	}
	p.Report(ctx, Outcome{Kind: OutcomeSuccess, StatusCode: 200})
	assert.InDelta(t, 5.0, p.State().Rate, 1e-9, "back to the configured rate")
	p.Report(ctx, Outcome{Kind: OutcomeSuccess, StatusCode: 200})
	assert.InDelta(t, 5.0, p.State().Rate, 1e-9, "never above it")
}

func TestPauseErrorIs(t *testing.T) {
	t.Parallel()
	blocked := error(&PauseError{Kind: OutcomeBlocked, Until: time.Now()})
	throttled := error(&PauseError{Kind: OutcomeThrottled, Until: time.Now()})
	assert.True(t, errors.Is(blocked, ErrBlocked))
	assert.False(t, errors.Is(blocked, ErrRateLimited))
	assert.True(t, errors.Is(throttled, ErrRateLimited))
	assert.False(t, errors.Is(throttled, ErrBlocked))
}
