package coupangredis_test

import (
	"context"
	"fmt"
	"runtime"
	"strings"
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

// heldPool returns a client with a pool of one connection, which a BLPOP
// holds until release is called: every Redis call of the client waits,
// queued, until then. Waits queue in the Pipeline meanwhile, so a test
// decides what is in which batch without timing anything.
func heldPool(t *testing.T, srv *redistest.Server) (rdb *redis.Client, release func()) {
	t.Helper()
	opt, err := redis.ParseURL(srv.URL)
	require.NoError(t, err)
	opt.PoolSize = 1
	opt.MaxRetries = -1       // a failed batch is not sent again
	opt.PipelinePoolSize = -1 // pipelines share the one connection too
	rdb = redis.NewClient(opt)
	t.Cleanup(func() { _ = rdb.Close() })
	key := "coupang-test:held:" + vendor(t)
	blocked := make(chan error, 1)
	go func() { blocked <- rdb.BLPop(context.Background(), 10*time.Second, key).Err() }()
	for st := rdb.PoolStats(); st.TotalConns != 1 || st.IdleConns != 0; st = rdb.PoolStats() {
		select {
		case err := <-blocked:
			t.Fatalf("BLPOP ended before the test could use it: %v", err)
		case <-time.After(time.Millisecond):
		}
	}
	other := srv.Client(t)
	var once sync.Once
	return rdb, func() {
		once.Do(func() {
			_ = other.LPush(context.Background(), key, "go").Err()
			<-blocked
		})
	}
}

// waitUntil polls cond every millisecond until it holds (the 20 s bound a
// hang).
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		require.True(t, time.Now().Before(deadline), "never: %s", what)
		time.Sleep(time.Millisecond)
	}
}

// occupy starts Waits of vendors of their own through p until one is out
// alone and every writer holds one, all waiting for the held pool: what is
// asked next queues, and goes out in one batch once the pool is released.
// It returns a function that waits for those Waits to end.
func occupy(t *testing.T, p *coupangredis.Pipeline, rdb *redis.Client) (wait func()) {
	t.Helper()
	var wg sync.WaitGroup
	base := sent(p)
	for i := range 1 + coupangredis.PipelineWriters {
		l := coupangredis.NewLimiter(rdb, fmt.Sprintf("%s%d", vendor(t), 7+i), 5, coupangredis.WithLogger(nil), coupangredis.WithPipeline(p))
		wg.Go(func() { assert.NoError(t, l.Wait(context.Background())) })
		waitUntil(t, "the call taken", func() bool { return sent(p) == base+int64(i+1) })
	}
	return wg.Wait
}

// sent is how many wait script calls p has sent or is sending.
func sent(p *coupangredis.Pipeline) int64 {
	_, n := p.Stats()
	return n
}

// The Waits of many Limiters that ask at the same moment go to Redis
// together: 60 Waits of 60 vendors queued while Redis is busy go out in a
// few batches, and each is granted through Redis in one round trip.
func TestPipelineBatchesWaitsOfManyLimiters(t *testing.T) {
	srv := redistest.Start(t)
	rdb, release := heldPool(t, srv)
	p := coupangredis.NewPipeline(rdb)
	defer p.Close()
	const n = 60
	lims := make([]*coupangredis.Limiter, n)
	for i := range lims {
		lims[i] = coupangredis.NewLimiter(rdb, fmt.Sprintf("%s%02d", vendor(t), i), 5,
			coupangredis.WithLogger(nil), coupangredis.WithPipeline(p))
	}
	errs, wait := startWaits(lims)
	waitUntil(t, "every Wait queued or taken by a writer", func() bool {
		return sent(p)+int64(coupangredis.PipelineQueued(p)) == n
	})
	release()
	wait()
	for i, err := range errs {
		require.NoError(t, err, "vendor %d", i)
		grants, trips := lims[i].Stats()
		assert.Equal(t, int64(1), grants, "vendor %d granted through Redis", i)
		assert.Equal(t, int64(1), trips, "vendor %d", i)
	}
	batches, calls := p.Stats()
	assert.Equal(t, int64(n), calls)
	// The first call goes out alone; each writer takes what is queued when
	// it starts, and one batch takes the rest.
	assert.LessOrEqual(t, batches, int64(1+coupangredis.PipelineWriters+1), "batched")
}

// A caller whose context ends while its call waits in the queue leaves at
// once, and nothing is sent for it: no slot spent in Redis.
func TestPipelineCallerLeavesWhileQueued(t *testing.T) {
	srv := redistest.Start(t)
	rdb, release := heldPool(t, srv)
	p := coupangredis.NewPipeline(rdb)
	defer p.Close()
	newLim := func(v string) *coupangredis.Limiter {
		return coupangredis.NewLimiter(rdb, v, 5, coupangredis.WithLogger(nil), coupangredis.WithPipeline(p))
	}
	occupied := occupy(t, p, rdb)
	lim := newLim(vendor(t))
	var grants []bool
	coupangredis.SetOnGrant(lim, func(_ time.Time, handed bool) { grants = append(grants, handed) })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- lim.Wait(ctx) }()
	waitUntil(t, "the call queued", func() bool { return coupangredis.PipelineQueued(p) == 1 })
	cancel()
	require.ErrorIs(t, <-done, context.Canceled, "left while Redis was still busy")
	release()
	occupied()

	require.NoError(t, lim.Wait(context.Background()), "the Limiter works on")
	assert.Equal(t, []bool{true}, grants, "Redis granted only the second Wait: nothing was sent for the first")
	assert.Equal(t, int64(1+coupangredis.PipelineWriters+1), sent(p))
	g, trips := lim.Stats()
	assert.Equal(t, int64(1), g)
	assert.Equal(t, int64(1), trips)
}

// A caller whose context ends while its call is on the wire leaves at once;
// the callers in the same batch are not held to its deadline, and the slot
// Redis reserved for it is forfeited, as when a caller leaves before its
// reserved slot comes (the grant hook hears of it as not handed). When it
// was the probe after a pause, the probe is given back, so that another
// process probes instead of waiting out the 15-second lease.
func TestPipelineCallerLeavesWhileOnTheWire(t *testing.T) {
	for _, probe := range []bool{false, true} {
		t.Run(fmt.Sprintf("probe=%v", probe), func(t *testing.T) {
			srv := redistest.Start(t)
			rdb, release := heldPool(t, srv)
			p := coupangredis.NewPipeline(rdb)
			t.Cleanup(func() { _ = p.Close() })
			v := vendor(t)
			if probe {
				endedPause(t, srv.Client(t), v)
			}
			lim := coupangredis.NewLimiter(rdb, v, 5, coupangredis.WithLogger(nil), coupangredis.WithPipeline(p))
			other := coupangredis.NewLimiter(rdb, v+"1", 5, coupangredis.WithLogger(nil), coupangredis.WithPipeline(p))
			type grant struct {
				slot   time.Time
				handed bool
			}
			grants := make(chan grant, 4)
			coupangredis.SetOnGrant(lim, func(slot time.Time, handed bool) { grants <- grant{slot, handed} })

			// A call out alone first, so that the next go to the writers.
			alone := coupangredis.NewLimiter(rdb, v+"2", 5, coupangredis.WithLogger(nil), coupangredis.WithPipeline(p))
			aloneDone := make(chan error, 1)
			go func() { aloneDone <- alone.Wait(context.Background()) }()
			waitUntil(t, "a call out alone", func() bool { return sent(p) == 1 })

			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- lim.Wait(ctx) }()
			waitUntil(t, "the call taken by a writer", func() bool { return sent(p) == 2 })
			otherDone := make(chan error, 1)
			go func() { otherDone <- other.Wait(context.Background()) }()
			waitUntil(t, "the other call queued or taken", func() bool { return sent(p)+int64(coupangredis.PipelineQueued(p)) == 3 })
			cancel()
			require.ErrorIs(t, <-done, context.Canceled, "left while its call was on the wire")
			release()
			require.NoError(t, <-otherDone, "the other caller is granted")
			require.NoError(t, <-aloneDone)
			var g grant
			select {
			case g = <-grants:
			case <-time.After(20 * time.Second): // bounds a hang only
				t.Fatal("Redis's grant to the caller who left was never heard of")
			}
			assert.False(t, g.handed, "the slot Redis granted is forfeited")
			require.NoError(t, p.Close()) // also waits for the probe to be given back
			handed, _ := lim.Stats()
			assert.Zero(t, handed)

			second := coupangredis.NewLimiter(srv.Client(t), v, 5, coupangredis.WithLogger(nil))
			if probe {
				assert.False(t, second.State().Probing, "the probe was given back")
			}
			wctx, cancelW := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancelW()
			require.NoError(t, second.Wait(wctx), "another process goes on")
		})
	}
}

// Redis fails while a batch waits to go: every caller of the batch gets the
// failure (here ErrRedisUnavailable, WithoutFallback), none a grant; once
// Redis is back, the Pipeline serves them again.
func TestPipelineRedisFailureFailsEveryCallerOfTheBatch(t *testing.T) {
	srv := redistest.StartOwn(t)
	rdb, _ := heldPool(t, srv)
	p := coupangredis.NewPipeline(rdb)
	defer p.Close()
	clk := newFakeClock() // for when to ask Redis again
	const n = 10
	lims := make([]*coupangredis.Limiter, n)
	for i := range lims {
		lims[i] = coupangredis.NewLimiter(rdb, fmt.Sprintf("%s%02d", vendor(t), i), 5, coupangredis.WithLogger(nil),
			coupangredis.WithPipeline(p), coupangredis.WithoutFallback(), coupangredis.WithFakeClock(clk),
			coupangredis.WithRedisTimeout(time.Second, time.Second))
	}
	errs, wait := startWaits(lims)
	waitUntil(t, "every Wait queued or taken by a writer", func() bool {
		return sent(p)+int64(coupangredis.PipelineQueued(p)) == n
	})
	srv.Kill()
	wait()
	for i, err := range errs {
		require.ErrorIs(t, err, coupangredis.ErrRedisUnavailable, "vendor %d", i)
		grants, trips := lims[i].Stats()
		assert.Zero(t, grants, "vendor %d", i)
		assert.Zero(t, trips, "vendor %d", i)
	}

	srv.Restart(t)
	// go-redis answers its last dial error for a moment after failed dials.
	waitUntil(t, "the client reaches Redis again", func() bool { return rdb.Ping(context.Background()).Err() == nil })
	clk.Advance(time.Second)
	before := sent(p)
	for i, l := range lims {
		require.NoError(t, l.Wait(context.Background()), "vendor %d, Redis back", i)
	}
	assert.Equal(t, before+n, sent(p), "through the Pipeline")
}

// A command's own error (here a vendor whose pacing key Redis holds as
// another type) goes to its caller only: the others in the batch are
// granted.
func TestPipelineCommandErrorGoesToItsCallerOnly(t *testing.T) {
	srv := redistest.Start(t)
	rdb, release := heldPool(t, srv)
	p := coupangredis.NewPipeline(rdb)
	defer p.Close()
	bad := vendor(t) + "9"
	require.NoError(t, srv.Client(t).HSet(context.Background(), "coupang:{"+bad+"}:gcra", "x", "1").Err())
	opts := []coupangredis.Option{coupangredis.WithLogger(nil), coupangredis.WithPipeline(p), coupangredis.WithoutFallback()}
	lims := []*coupangredis.Limiter{
		coupangredis.NewLimiter(rdb, vendor(t)+"1", 5, opts...),
		coupangredis.NewLimiter(rdb, bad, 5, opts...),
		coupangredis.NewLimiter(rdb, vendor(t)+"2", 5, opts...),
	}
	occupied := occupy(t, p, rdb)
	errs, wait := startWaits(lims)
	waitUntil(t, "every Wait queued", func() bool { return coupangredis.PipelineQueued(p) == len(lims) })
	release()
	wait()
	occupied()
	batches, calls := p.Stats()
	require.Equal(t, int64(1+coupangredis.PipelineWriters+1), batches, "the three in one batch")
	require.Equal(t, int64(1+coupangredis.PipelineWriters+len(lims)), calls)
	assert.NoError(t, errs[0])
	assert.ErrorIs(t, errs[1], coupangredis.ErrRedisUnavailable)
	assert.Contains(t, errs[1].Error(), "WRONGTYPE")
	assert.NoError(t, errs[2])
}

// Redis lost the script (SCRIPT FLUSH, a restart): a batch's calls are
// sent again by source, and granted.
func TestPipelineScriptFlushed(t *testing.T) {
	srv := redistest.Start(t)
	rdb, release := heldPool(t, srv)
	p := coupangredis.NewPipeline(rdb)
	defer p.Close()
	ctx := context.Background()
	const n = 5
	lims := make([]*coupangredis.Limiter, n)
	for i := range lims {
		lims[i] = coupangredis.NewLimiter(rdb, fmt.Sprintf("%s%d", vendor(t), i), 5, coupangredis.WithLogger(nil),
			coupangredis.WithPipeline(p), coupangredis.WithoutFallback())
	}
	occupied := occupy(t, p, rdb)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i, l := range lims {
		wg.Go(func() { errs[i] = l.Wait(ctx) })
	}
	waitUntil(t, "every Wait queued", func() bool { return coupangredis.PipelineQueued(p) == n })
	require.NoError(t, srv.Client(t).ScriptFlush(ctx).Err())
	release()
	wg.Wait()
	occupied()
	for i, err := range errs {
		require.NoError(t, err, "vendor %d", i)
	}
	batches, _ := p.Stats()
	assert.Equal(t, int64(1+coupangredis.PipelineWriters+1), batches, "the five in one batch")
}

// Close stops the writers and returns once they have: no goroutine of the
// Pipeline is left. The Limiters then call Redis directly.
func TestPipelineCloseStopsWriters(t *testing.T) {
	srv := redistest.Start(t)
	rdb := srv.Client(t)
	p := coupangredis.NewPipeline(rdb)
	lim := coupangredis.NewLimiter(rdb, vendor(t), 1e6, coupangredis.WithLogger(nil), coupangredis.WithPipeline(p))
	ctx := context.Background()
	require.NoError(t, lim.Wait(ctx))
	require.Positive(t, pipelineGoroutines(), "writers running")

	require.NoError(t, p.Close())
	assert.Zero(t, pipelineGoroutines(), "no writer left")
	require.NoError(t, p.Close(), "idempotent")

	before := sent(p)
	require.NoError(t, lim.Wait(ctx))
	grants, trips := lim.Stats()
	assert.Equal(t, int64(2), grants)
	assert.Equal(t, int64(2), trips)
	assert.Equal(t, before, sent(p), "the second Wait called Redis directly")
}

// A Wait still queued when Close is called is not lost: once the writers
// have finished their batches, it calls Redis directly and is granted.
func TestPipelineCloseWithACallQueued(t *testing.T) {
	srv := redistest.Start(t)
	rdb, release := heldPool(t, srv)
	p := coupangredis.NewPipeline(rdb)
	occupied := occupy(t, p, rdb)
	lim := coupangredis.NewLimiter(rdb, vendor(t), 5, coupangredis.WithLogger(nil), coupangredis.WithPipeline(p))
	done := make(chan error, 1)
	go func() { done <- lim.Wait(context.Background()) }()
	waitUntil(t, "the call queued", func() bool { return coupangredis.PipelineQueued(p) == 1 })
	closed := make(chan error, 1)
	go func() { closed <- p.Close() }()
	waitUntil(t, "Close called", func() bool { return coupangredis.PipelineClosing(p) })
	release()
	require.NoError(t, <-closed)
	occupied()
	require.NoError(t, <-done)
	grants, trips := lim.Stats()
	assert.Equal(t, int64(1), grants, "granted through Redis")
	assert.Equal(t, int64(1), trips)
	assert.Equal(t, int64(1+coupangredis.PipelineWriters), sent(p), "directly, not through the Pipeline")
	assert.Zero(t, pipelineGoroutines(), "no writer left")
}

// Through a ring client without ContextTimeoutEnabled, whose reads ignore a
// context's deadline, a batch Redis does not answer within the timeout is
// abandoned: each caller gets the failure at the timeout, and the slots
// Redis granted them when it did answer are forfeited, not lost unheard of.
// Redis answers 600 ms late (through a proxy), six times the timeout, so
// that a stalled machine cannot let the answer win.
func TestPipelineBatchAbandonedAtTheTimeout(t *testing.T) {
	srv := redistest.Start(t)
	ring := redis.NewRing(&redis.RingOptions{Addrs: map[string]string{"a": slowProxy(t, srv.Addr, 300*time.Millisecond)}})
	t.Cleanup(func() { _ = ring.Close() })
	require.NoError(t, ring.Ping(context.Background()).Err())
	p := coupangredis.NewPipeline(ring)
	const n = 6
	forfeited := make(chan string, n)
	lims := make([]*coupangredis.Limiter, n)
	for i := range lims {
		lims[i] = coupangredis.NewLimiter(ring, fmt.Sprintf("%s%d", vendor(t), i), 5, coupangredis.WithLogger(nil),
			coupangredis.WithPipeline(p), coupangredis.WithoutFallback(), coupangredis.WithRedisTimeout(100*time.Millisecond, time.Minute))
		coupangredis.SetOnGrant(lims[i], func(_ time.Time, handed bool) {
			if !handed {
				forfeited <- lims[i].VendorID()
			}
		})
	}
	errs, wait := startWaits(lims)
	wait()
	for i, err := range errs {
		require.ErrorIs(t, err, coupangredis.ErrRedisUnavailable, "vendor %d", i)
		assert.Contains(t, err.Error(), "no answer from Redis within 100ms")
	}
	require.NoError(t, p.Close()) // waits for the late answers
	close(forfeited)
	seen := map[string]bool{}
	for v := range forfeited {
		seen[v] = true
	}
	// The first call went out alone, on its caller's goroutine, abandoned
	// as without a Pipeline; the others were batched.
	_, calls := p.Stats()
	assert.Len(t, seen, int(calls)-1, "every batched call's slot heard of as forfeited")
	assert.GreaterOrEqual(t, len(seen), 1)
}

// pipelineGoroutines counts the goroutines running a Pipeline's code.
func pipelineGoroutines() int {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	n := 0
	for g := range strings.SplitSeq(string(buf), "\n\n") {
		if strings.Contains(g, "coupangredis.(*Pipeline)") {
			n++
		}
	}
	return n
}

// WithPipeline refuses a nil Pipeline and one that sends through another
// Redis client: Wait says so, before anything is sent.
func TestWithPipelineInvalid(t *testing.T) {
	srv := redistest.Start(t)
	rdb := srv.Client(t)
	other := srv.Client(t)
	p := coupangredis.NewPipeline(other)
	defer p.Close()
	for name, opt := range map[string]coupangredis.Option{
		"nil":          coupangredis.WithPipeline(nil),
		"other client": coupangredis.WithPipeline(p),
	} {
		t.Run(name, func(t *testing.T) {
			err := coupangredis.NewLimiter(rdb, vendor(t), 5, opt).Wait(context.Background())
			var ve *coupang.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, "option", ve.Field)
			assert.True(t, strings.Contains(ve.Reason, "pipeline"), ve.Reason)
		})
	}
}

// startWaits calls Wait on every limiter at once, each in a goroutine of
// its own; wait returns once all have returned, their errors in errs.
func startWaits(lims []*coupangredis.Limiter) (errs []error, wait func()) {
	errs = make([]error, len(lims))
	var wg sync.WaitGroup
	for i, l := range lims {
		wg.Go(func() { errs[i] = l.Wait(context.Background()) })
	}
	return errs, wg.Wait
}
