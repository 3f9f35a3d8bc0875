package coupang

// Tests of what callers hear while the vendor is paused or a probe is out,
// and of a pacer that starts from a pause it was told of. They run in a
// testing/synctest bubble: time only moves when every goroutine waits, so
// "at once" is exactly no time at all, and a pause of minutes costs nothing.

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// callResult is what one caller of Wait got, and when.
type callResult struct {
	err      error
	at       time.Time
	ctxEnded bool // its context had ended when Wait returned
}

// callers starts n goroutines that each call p.Wait with a deadline of
// timeout, and returns their results once all have returned.
func callers(p *pacer, n int, timeout time.Duration) func() []callResult {
	res := make([]callResult, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(context.Background(), timeout)
			defer cancel()
			err := p.Wait(ctx)
			res[i] = callResult{err: err, at: time.Now(), ctxEnded: ctx.Err() != nil}
		})
	}
	return func() []callResult { wg.Wait(); return res }
}

// The case: 50 callers that arrive while the probe is out, with
// deadlines shorter than the pause it follows, each get a *PauseError saying
// why and until when (the probe's answer is due a pause's length after it),
// at once, instead of waiting for their deadline and ending with a bare
// context.DeadlineExceeded.
func TestPacerCallersDuringProbeGetPauseErrorAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		p := newTestPacer(t, 5)
		require.NoError(t, p.Wait(ctx))
		p.Report(ctx, Outcome{Kind: OutcomeThrottled, StatusCode: 429, RetryAfter: 30 * time.Second})
		time.Sleep(30 * time.Second) // the pause ends
		require.NoError(t, p.Wait(ctx), "the probe")
		probeAt := time.Now()
		require.True(t, p.State().Probing)

		res := callers(p, 50, 10*time.Second)()
		for i, r := range res {
			pe := pauseErr(t, r.err)
			assert.ErrorIs(t, r.err, ErrRateLimited, "caller %d", i)
			assert.True(t, pe.Probe, "caller %d: the probe holds it back", i)
			assert.Equal(t, probeAt.Add(30*time.Second), pe.Until, "caller %d", i)
			assert.Equal(t, probeAt, r.at, "caller %d returned at once", i)
			assert.False(t, r.ctxEnded, "caller %d", i)
		}
		assert.Contains(t, res[0].err.Error(), "probe")
		assert.Zero(t, p.State().Waiting)
	})
}

// A caller that can wait longer than the pause waits for the probe's answer;
// if its deadline comes first, it still learns why: a *PauseError, not a
// bare context.DeadlineExceeded. When the answer is good, the others go.
func TestPacerCallersOutlastingThePauseWaitForTheProbe(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		p := newTestPacer(t, 5, withProbeTimeout(2*time.Minute))
		require.NoError(t, p.Wait(ctx))
		p.Report(ctx, Outcome{Kind: OutcomeThrottled, StatusCode: 429, RetryAfter: 10 * time.Second})
		time.Sleep(10 * time.Second)
		require.NoError(t, p.Wait(ctx), "the probe")
		probeAt := time.Now()

		short := callers(p, 3, 40*time.Second) // the probe is slow: no answer within 40 s
		long := callers(p, 3, time.Hour)
		for i, r := range short() {
			pe := pauseErr(t, r.err)
			assert.True(t, pe.Probe, "caller %d", i)
			assert.Equal(t, probeAt.Add(40*time.Second), r.at, "caller %d waited for the answer until its deadline", i)
			assert.Equal(t, probeAt.Add(2*time.Minute), pe.Until, "caller %d: when the probe is presumed lost", i)
		}
		// Once the answer is overdue it may come any moment: a caller that
		// arrives then waits for it, whatever its deadline.
		late := time.Now()
		for i, r := range callers(p, 3, 5*time.Second)() {
			pe := pauseErr(t, r.err)
			assert.Equal(t, late.Add(5*time.Second), r.at, "late caller %d waited", i)
			assert.Equal(t, probeAt.Add(2*time.Minute), pe.Until, "late caller %d", i)
		}
		p.Report(ctx, Outcome{Kind: OutcomeSuccess, StatusCode: 200})
		for i, r := range long() {
			assert.NoError(t, r.err, "caller %d goes after the good answer", i)
		}
	})
}

// Callers queued during the pause, whose deadlines come after the pause but
// before the probe's answer is due, leave with a *PauseError the moment the
// probe goes out, not at their deadline.
func TestPacerQueuedCallersLeaveWhenTheProbeGoesOut(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		p := newTestPacer(t, 5)
		require.NoError(t, p.Wait(ctx))
		p.Report(ctx, Outcome{Kind: OutcomeThrottled, StatusCode: 429, RetryAfter: 5 * time.Second})
		pauseEnd := p.State().PausedUntil

		// 20, so that the queue itself (20 starts at 5/s) fits the deadline.
		res := callers(p, 20, 8*time.Second)()
		probes := 0
		for i, r := range res {
			if r.err == nil {
				probes++
				continue
			}
			pe := pauseErr(t, r.err)
			assert.True(t, pe.Probe, "caller %d", i)
			assert.Equal(t, pauseEnd.Add(5*time.Second), pe.Until, "caller %d", i)
			assert.Equal(t, pauseEnd, r.at, "caller %d left when the probe went out", i)
			assert.False(t, r.ctxEnded, "caller %d", i)
		}
		assert.Equal(t, 1, probes, "one probe")
	})
}

// During the pause itself the same holds (it did before the probe case was
// fixed): deadlines before the pause's end are told at once.
func TestPacerCallersDuringPauseGetPauseErrorAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		p := newTestPacer(t, 5)
		require.NoError(t, p.Wait(ctx))
		p.Report(ctx, Outcome{Kind: OutcomeThrottled, StatusCode: 429, RetryAfter: time.Minute})
		until := p.State().PausedUntil
		now := time.Now()
		for i, r := range callers(p, 50, 10*time.Second)() {
			pe := pauseErr(t, r.err)
			assert.False(t, pe.Probe)
			assert.Equal(t, until, pe.Until, "caller %d", i)
			assert.Equal(t, now, r.at, "caller %d", i)
		}
	})
}

// A caller with no deadline still waits for the probe's answer, and goes
// when it is good.
func TestPacerCallerWithoutDeadlineWaitsForTheProbe(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		p := newTestPacer(t, 5, WithProtection(Protection{Cooldown: time.Second, MaxCooldown: time.Minute}))
		require.NoError(t, p.Wait(ctx))
		p.Report(ctx, Outcome{Kind: OutcomeThrottled, StatusCode: 429})
		time.Sleep(time.Second)
		require.NoError(t, p.Wait(ctx), "the probe")
		done := make(chan error, 1)
		go func() { done <- p.Wait(ctx) }()
		time.Sleep(30 * time.Second)
		synctest.Wait()
		require.Empty(t, done, "nothing before the probe's answer")
		p.Report(ctx, Outcome{Kind: OutcomeSuccess, StatusCode: 200})
		require.NoError(t, <-done)
	})
}

// WithKnownPause: a pacer told of a running pause lets nothing through before
// it ends, then one probe; told of a block, it fails fast.
func TestPacerWithKnownPause(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		until := time.Now().Add(3 * time.Second)
		p := newTestPacer(t, 5, WithKnownPause(OutcomeThrottled, until))
		st := p.State()
		assert.Equal(t, until, st.PausedUntil)

		short, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		pe := pauseErr(t, p.Wait(short))
		assert.Equal(t, until, pe.Until)

		require.NoError(t, p.Wait(ctx))
		assert.Equal(t, until, time.Now(), "the first start is when the pause ends")
		assert.True(t, p.State().Probing, "and it is the probe")
		p.Report(ctx, Outcome{Kind: OutcomeThrottled, StatusCode: 429})
		assert.Equal(t, 2, p.throttles, "the next 429 is the second in a row")

		b := newTestPacer(t, 5, WithKnownPause(OutcomeBlocked, time.Now().Add(time.Minute)))
		err := b.Wait(ctx)
		assert.ErrorIs(t, err, ErrBlocked)
		assert.Equal(t, until, time.Now(), "failed fast")

		for _, opt := range []PacerOption{
			WithKnownPause(OutcomeThrottled, time.Now()),
			WithKnownPause(OutcomeThrottled, time.Now().Add(-time.Second)),
			WithKnownPause(OutcomeError, time.Now().Add(time.Minute)),
			WithKnownPause(0, time.Now().Add(time.Minute)),
		} {
			q := newTestPacer(t, 5, opt)
			require.NoError(t, q.Wait(ctx), "ignored")
			assert.Equal(t, LimiterState{Rate: 5, ConfiguredRate: 5}, q.State())
		}
	})
}
