package coupangredis_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangredis"
	"github.com/go-coupang/coupang/coupangredis/internal/redistest"
)

// Protection survives Redis trouble: each process keeps its own copy of the
// pauses it heard of, the fallback pacer starts from it, and a Redis that
// comes back empty is told of it again.

// pausedPair returns two limiters ("processes") of one vendor, the first of
// which has reported a 429 with a Retry-After of pause, and the second has
// only heard of it from Redis's answer to a Wait. It returns the earliest
// moment the pause can end.
func pausedPair(t *testing.T, srv *redistest.Server, pause time.Duration, opts ...coupangredis.Option) (a, b *coupangredis.Limiter, pauseEnd time.Time) {
	t.Helper()
	v := vendor(t)
	opts = append([]coupangredis.Option{coupangredis.WithLogger(nil)}, opts...)
	a = coupangredis.NewLimiter(srv.Client(t), v, 5, opts...)
	b = coupangredis.NewLimiter(srv.Client(t), v, 5, opts...)
	ctx := context.Background()
	require.NoError(t, a.Wait(ctx))
	before := time.Now()
	a.Report(ctx, coupang.Outcome{Kind: coupang.OutcomeThrottled, StatusCode: 429, RetryAfter: pause})
	short, cancel := context.WithTimeout(ctx, pause/2)
	defer cancel()
	require.ErrorIs(t, b.Wait(short), coupang.ErrRateLimited, "b hears of the pause from Redis")
	return a, b, before.Add(pause)
}

// driveAll drives every limiter with two goroutines until the deadline and
// returns what each did.
func driveAll(deadline time.Time, url string, lims ...*coupangredis.Limiter) []childResult {
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	return driveAllCtx(ctx, url, lims...)
}

// driveAllCtx drives every limiter with two goroutines until ctx ends.
func driveAllCtx(ctx context.Context, url string, lims ...*coupangredis.Limiter) []childResult {
	res := make([]childResult, len(lims))
	var wg sync.WaitGroup
	for i, l := range lims {
		wg.Go(func() { res[i] = drive(ctx, l, url, 2) })
	}
	wg.Wait()
	return res
}

// Redis dies during a pause: the processes fall back to their own pacers,
// which start from the pause they knew of, so nothing is sent before it ends
// (it was 10 starts in the next 8 s), and then one probe goes first.
func TestRedisKilledDuringPauseFallbackKeepsThePause(t *testing.T) {
	srv := redistest.StartOwn(t)
	// The run ends once the server has answered four requests: the probe of
	// each process and one more (an event, not a window after the pause,
	// which a loaded machine may spend before either process sends). The
	// minute only bounds a hang.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rec := newRecorder(t, func(n int, _ time.Time) (int, http.Header, time.Duration) {
		if n == 4 {
			cancel()
		}
		return http.StatusOK, nil, 0
	})
	a, b, pauseEnd := pausedPair(t, srv, 2*time.Second, coupangredis.WithRedisTimeout(200*time.Millisecond, 500*time.Millisecond))
	srv.Kill()

	grants := grantTimes(driveAllCtx(ctx, rec.URL, a, b)...)
	assert.Zero(t, between(grants, time.Time{}, pauseEnd), "starts before the pause ends: %v", grants)
	assert.Positive(t, len(grants), "the fallback resumes after the pause")
	assert.True(t, a.State().PausedUntil.IsZero(), "resumed after the probe")
}

// Redis restarts empty during a pause: the first process to ask hands Redis
// the pause it knows of, so that no process gets a burst (41 starts before),
// a process that never heard of the pause honours it too, and one probe goes
// first when it ends.
func TestRedisRestartedEmptyDuringPauseNoBurst(t *testing.T) {
	srv := redistest.StartOwn(t)
	rec := newRecorder(t, nil)
	a, b, pauseEnd := pausedPair(t, srv, 3*time.Second)
	srv.Restart(t)
	fresh := coupangredis.NewLimiter(srv.Client(t), b.VendorID(), 5, coupangredis.WithLogger(nil))
	require.True(t, fresh.State().PausedUntil.IsZero(), "Redis lost the pause")

	end := pauseEnd.Add(1500 * time.Millisecond)
	var (
		wg       sync.WaitGroup
		informed []childResult // the processes that heard of the pause
	)
	// The first answer Redis gives a or b after the restart: the Wait that
	// asked handed Redis the pause, and Redis answers with it.
	answers := make(chan int, 1)
	for _, l := range []*coupangredis.Limiter{a, b} {
		coupangredis.SetOnAnswer(l, func(code int) {
			select {
			case answers <- code:
			default:
			}
		})
	}
	wg.Go(func() { informed = driveAll(end, rec.URL, a, b) })
	require.Equal(t, 1, <-answers, "paused: the pause is published again")
	published := fresh.State().PausedUntil
	require.False(t, published.IsZero(), "the pause is published again")
	assert.False(t, published.Before(pauseEnd), "as long as it was")
	uninformed := driveAll(end, rec.URL, fresh)
	wg.Wait()

	all := append(informed, uninformed...)
	grants := grantTimes(all...)
	assert.Zero(t, between(grants, time.Time{}, pauseEnd), "starts before the pause ends: %v", grants)
	assert.Positive(t, len(grants), "resumed after the pause")
	slots := spentSlots(all...)
	assert.LessOrEqual(t, maxInWindow(slots, time.Second), 5, densest(slots))
}

// A 429 whose report cannot reach Redis (it just died) still pauses the
// process: the fallback hears of it, instead of starting afresh after it.
// When Redis is back, empty, the process hands it the pause.
func TestThrottleReportedWhileRedisDiesStillPauses(t *testing.T) {
	srv := redistest.StartOwn(t)
	const retryRedis = 300 * time.Millisecond
	clk := newFakeClock() // for when to ask Redis again
	lim := coupangredis.NewLimiter(srv.Client(t), vendor(t), 5, coupangredis.WithLogger(nil),
		coupangredis.WithRedisTimeout(200*time.Millisecond, retryRedis), coupangredis.WithFakeClock(clk))
	ctx := context.Background()
	require.NoError(t, lim.Wait(ctx))
	srv.Kill()
	before := clk.Now() // not after the wall clock: the fallback's pause is on it
	lim.Report(ctx, coupang.Outcome{Kind: coupang.OutcomeThrottled, StatusCode: 429, RetryAfter: 3 * time.Second})

	dctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	err := lim.Wait(dctx)
	var pe *coupang.PauseError
	require.ErrorAs(t, err, &pe, "nothing sent during the pause")
	assert.ErrorIs(t, err, coupang.ErrRateLimited)
	assert.False(t, pe.Until.Before(before.Add(3*time.Second)))
	assert.NoError(t, dctx.Err(), "told at once")

	srv.Restart(t)
	clk.Advance(retryRedis) // the limiter asks Redis again after this
	fresh := coupangredis.NewLimiter(srv.Client(t), lim.VendorID(), 5, coupangredis.WithLogger(nil))
	waitCtx, stop := context.WithCancel(ctx)
	defer stop()
	waited := make(chan error, 1)
	go func() { waited <- lim.Wait(waitCtx) }() // asks Redis, and hands it the pause
	// Redis answers that the vendor is paused, and the Wait sleeps until
	// the end, on the clock the test holds.
	// Redis's answer is the time the pause has left there, which is what
	// the process handed it: the time its own copy had left, to the tenth
	// of a millisecond Redis keeps of a time (Lua's tostring: 14 digits).
	select {
	case d := <-clk.Timers():
		assert.GreaterOrEqual(t, d, pe.Until.Sub(clk.Now())-100*time.Microsecond, "published with all the time it had left")
	case err := <-waited:
		t.Fatalf("Wait returned %v instead of waiting for the pause", err)
	}
	require.False(t, fresh.State().PausedUntil.IsZero(), "the pause learned while Redis was away is published")
	stop()
	assert.ErrorIs(t, <-waited, context.Canceled)
}

// A Wait that waits for one of the client's pooled connections, all busy
// with this process's other commands, is not Redis failing: it waits for
// the connection (bounded by the client's PoolTimeout and the caller's
// context) and is granted through Redis. (The wait counted against the
// Redis timeout: with thousands of vendors in one process most of them fell
// back to a quarter of their rate while Redis answered in microseconds.)
func TestPoolWaitIsNotRedisTrouble(t *testing.T) {
	srv := redistest.Start(t)
	opt, err := redis.ParseURL(srv.URL)
	require.NoError(t, err)
	opt.PoolSize = 1
	rdb := redis.NewClient(opt)
	t.Cleanup(func() { _ = rdb.Close() })
	// A timeout a loaded machine's Redis call does not reach (50 ms was
	// reached, with -race and a load of 19), and a pool wait ten times it.
	lim := coupangredis.NewLimiter(rdb, vendor(t), 5, coupangredis.WithLogger(nil),
		coupangredis.WithRedisTimeout(500*time.Millisecond, time.Minute))
	ctx := context.Background()

	// Another command of this process holds the only connection for 10
	// times the Redis timeout.
	blocked := make(chan error, 1)
	go func() { blocked <- rdb.BLPop(ctx, 5*time.Second, "coupang-test:"+vendor(t)).Err() }()
	for st := rdb.PoolStats(); st.TotalConns != 1 || st.IdleConns != 0; st = rdb.PoolStats() {
		select {
		case err := <-blocked:
			t.Fatalf("BLPOP ended before the test could use it: %v", err)
		case <-time.After(time.Millisecond):
		}
	}
	require.NoError(t, lim.Wait(ctx))
	require.ErrorIs(t, <-blocked, redis.Nil, "the Wait went out after the BLPOP ended")
	grants, trips := lim.Stats()
	assert.Equal(t, int64(1), grants, "granted through Redis, not by the fallback")
	assert.Equal(t, int64(1), trips)
}

// A Wait whose context is cancelled while it waits for a pooled connection
// returns at once with the cancellation, not when a connection frees up.
func TestCancelDuringPoolWait(t *testing.T) {
	srv := redistest.Start(t)
	opt, err := redis.ParseURL(srv.URL)
	require.NoError(t, err)
	opt.PoolSize = 1
	rdb := redis.NewClient(opt)
	t.Cleanup(func() { _ = rdb.Close() })
	lim := coupangredis.NewLimiter(rdb, vendor(t), 5, coupangredis.WithLogger(nil))
	ctx := context.Background()

	blocked := make(chan error, 1)
	go func() { blocked <- rdb.BLPop(ctx, 10*time.Second, "coupang-test:"+vendor(t)).Err() }()
	for st := rdb.PoolStats(); st.TotalConns != 1 || st.IdleConns != 0; st = rdb.PoolStats() {
		select {
		case err := <-blocked:
			t.Fatalf("BLPOP ended before the test could use it: %v", err)
		case <-time.After(time.Millisecond):
		}
	}
	wctx, cancel := context.WithCancel(ctx)
	time.AfterFunc(100*time.Millisecond, cancel)
	require.ErrorIs(t, lim.Wait(wctx), context.Canceled)
	select {
	case err := <-blocked:
		t.Fatalf("the Wait returned only after the BLPOP ended (%v)", err)
	default:
	}
	grants, _ := lim.Stats()
	assert.Zero(t, grants)
}
