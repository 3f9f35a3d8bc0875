package coupangredis

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/internal/clock"
)

// ErrRedisUnavailable is returned by Wait, with WithoutFallback, when Redis
// cannot be reached or answers too slowly: nothing was sent.
var ErrRedisUnavailable = errors.New("coupangredis: redis unavailable")

// margin stretches the interval between starts by 2%: 20 ms in every second
// for the jitter between the moment Redis grants a start and the moment the
// request reaches Coupang (a grant here also crosses the network back from
// Redis). The in-process pacer, this limiter's fallback, uses the same 2%:
// exact spacing would put N+1 arrivals into one second whenever one request
// is delayed a little more than the one N places after it.
const margin = 0.02

// catchUpMs is how late, in ms, a start may be granted and still keep its
// slot's place in the schedule rather than push every later slot back. It
// spends a quarter of the margin: N+1 consecutive starts are still at least
// N×interval − 5 ms = 1.015 s apart on Redis's clock, leaving 15 ms for
// the network; and a poller woken a few milliseconds late, which is common
// on a busy machine, no longer costs the vendor a few percent of its budget.
const catchUpMs = 5

// Limiter paces every process of one vendor through Redis and shares the
// vendor's protection state among them: a 429, a block or a throttling
// warning reported by one process pauses or slows all of them.
//
// It implements coupang.Limiter, coupang.OutcomeReporter and
// coupang.StateReader; pass it to coupang.NewClient with coupang.WithLimiter.
//
// # Pacing
//
// Starts are spaced by GCRA with a burst of one — the algorithm of
// github.com/go-redis/redis_rate with Limit{Rate: N, Burst: 1, Period:
// time.Second} — stretched by a 2% margin, so that no one-second window ever
// holds more than N starts across all processes. A start granted up to 5 ms
// after its slot keeps the slot's place instead of pushing the schedule back
// (a quarter of the margin), so late wake-ups do not eat the budget. A
// process asks for a slot about one round trip before it, and Redis reserves
// a slot that comes within about two round trips (never more than one
// interval ahead): the caller starts when it comes. So one grant costs one
// round trip, which overlaps the wait for the slot instead of adding to it,
// and a Redis 100 ms away still gives 4.9 starts a second of 5 (it was 3.2
// when each slot waited for its own round trip). It is one Lua script of our
// own rather than redis_rate because the permission to send must be decided
// together with the protection state in one atomic step: with redis_rate, a
// second round trip would read the pause, and a process could be let through
// in the instant another records a 429 or a block. The script also takes the
// slowed rate into account and hands out the single probe after a pause, and
// one Wait costs one round trip when a slot is free (see BENCHMARKS.md).
//
// Within a process only one goroutine at a time asks Redis, in the order they
// arrived; the others wait locally, which keeps Redis's load at one request
// per process per slot. Limiters of many vendors in one process share a
// Pipeline (WithPipeline), which sends their calls together.
//
// # Protection
//
// After a 429 every process pauses (Retry-After as sent, else an exponential
// cool-down, WithProtection); when the pause ends exactly one process sends
// a probe and the others wait for its answer. After a block (302, 403 "Access
// Denied") Wait fails at once with a *coupang.PauseError matching
// coupang.ErrBlocked until the cool-down ends (WithProtection), then one
// probe. An error storm (3 non-2xx answers within a second, WithProtection)
// doubles the spacing, up to 16 times, until an answer is good again. An
// X-CAG-Warnings header halves the pace (at most once a second, never below a
// tenth); each good answer gives back a twentieth of the configured rate. A
// slow-down that no answer touches for a minute is forgotten. These are the
// rules of the client's own pacer, shared by every process here.
//
// Callers that arrive during a pause or a block, or while the probe is out,
// and cannot be let through before their context's deadline get a
// *coupang.PauseError at once (Until as the client's pacer sets it: the end
// of the pause, or when the probe's answer is due); within a process, one
// round trip to Redis tells every caller waiting for its turn. The probe may
// be answered well before its answer is due, and only Redis hears of it: a
// process trusts Redis's word that the probe is out for one interval, then
// asks again, so its callers start at most about an interval after the
// probe's good answer.
//
// # Redis trouble
//
// Every process keeps its own copy of every pause, block and probe it has
// heard of, from Redis's answers and from the answers it gets itself while
// Redis is away. When Redis fails or is slower than the timeout
// (WithRedisTimeout), Wait falls back to the client's own pacer
// (coupang.NewPacer, with the same protection rules, applied locally),
// started from that copy (coupang.WithKnownPause): a vendor paused a moment
// ago gets nothing before the pause ends, then one probe. The fallback paces
// at perSecond divided by the expected number of processes
// (WithExpectedProcesses, default 4; or WithFallbackRate), logs a warning,
// and asks Redis again after a few seconds. The processes then cannot see
// each other: each keeps to its share on average, and a one-second window
// may hold up to processes×⌈share⌉ requests, so declare the number of
// processes truthfully. With WithoutFallback, Wait fails with
// ErrRedisUnavailable instead. It never lets requests through unpaced.
//
// Every Wait also hands Redis the pause (or block) this process knows of:
// a Redis that restarted empty, or lost the pause, or never heard of one
// learned while it was away, takes it, so that every process honours it and
// one probe goes first when it ends. A pause Redis knows of is left alone,
// and a copy counts only when it outlasts what Redis knows by more than a
// second: it must not lengthen the original by the trip back from Redis, nor
// bring back a pause that a probe has just ended.
// A block fails fast from the local copy without asking Redis, so it is
// handed back only while a Wait asks Redis: a block learned while Redis was
// away is honoured by this process, and reaches the others only if Redis
// hears of it again.
//
// # Keys
//
// coupang:{vendorID}:gcra, :pause, :probe, :slow, :strikes and :errors. The
// braces are a Redis Cluster hash tag, so one vendor's keys share a slot.
// Every key carries a TTL: the pacer's expires an interval after the last
// start, a pause ten minutes after it ended, the others as soon as they no
// longer change anything.
type Limiter struct {
	rdb      redis.UniversalClient
	vendorID string
	rate     float64
	interval time.Duration
	cfg      config
	keys     []string
	err      error // invalid arguments, returned by Wait

	// direct, when not nil, is rdb or a clone of it sharing its pool that
	// bounds every call by the timeout itself, so eval calls it without a
	// goroutine of its own (redis_call.go).
	direct redisDoer
	// req is the wait script's call on its way through cfg.pipeline,
	// reused by the goroutine holding the turn (pipeline.go).
	req *waitRequest

	turn chan struct{} // one goroutine at a time asks Redis
	// What only the goroutine holding the turn uses: the wait script's
	// command, built once (redis_call.go), and the timer it sleeps on.
	call  waitCall
	timer *time.Timer
	// lead is how much earlier than its round trip this process asks for
	// the next slot, after losing slots to processes that asked sooner;
	// 0 once it is granted one.
	lead time.Duration

	clock clock.Clock // withClock in tests; the real one otherwise

	probeOut atomic.Bool // this process holds the probe lease
	degraded atomic.Bool // the pace is cut: good answers must be reported to restore it

	mu            sync.Mutex
	fallbackUntil time.Time // use the fallback pacer until then
	inFallback    bool
	nextSlot      time.Time // when Redis last said the next start may be
	known         *known    // this process's copy of every pause, block and probe it heard of
	fb            *fallback
	rtt           atomic.Int64 // smoothed round trip of a Wait's script, in ns
	// onGrant, in tests, sees the slot of every start Redis grants, on
	// Redis's clock, and whether it was handed to the caller (false: the
	// caller's context ended first and the slot was forfeited).
	onGrant func(slot time.Time, handed bool)
	// onProbeWait, in tests, hears that a Wait was told another process's
	// probe is out and sleeps d before it asks Redis again.
	onProbeWait func(d time.Duration)
	// onAnswer, in tests, hears the code of every answer of the wait
	// script (see waitScript).
	onAnswer   func(code int)
	waiting    atomic.Int64 // callers in Wait in this process
	grants     atomic.Int64 // starts granted by Redis and handed to a caller
	roundTrips atomic.Int64 // Redis calls made by Wait
}

// NewLimiter returns a Limiter that lets every process using the same Redis
// and vendorID start at most perSecond requests a second, all together.
//
// Invalid arguments (nil rdb, an empty vendorID or one with braces or spaces,
// a rate that is not a positive number) and invalid options do not panic:
// Wait then returns a *coupang.ValidationError.
func NewLimiter(rdb redis.UniversalClient, vendorID string, perSecond float64, opts ...Option) *Limiter {
	l := &Limiter{rdb: rdb, vendorID: vendorID, rate: perSecond, cfg: defaultConfig(), turn: make(chan struct{}, 1)}
	vendorErr := coupang.ValidateVendorID(vendorID)
	switch {
	case rdb == nil:
		l.err = &coupang.ValidationError{Field: "rdb", Reason: "must not be nil"}
	case vendorErr != nil:
		l.err = vendorErr
	case !(perSecond > 0) || math.IsInf(perSecond, 0):
		l.err = &coupang.ValidationError{Field: "perSecond", Reason: fmt.Sprintf("must be a positive number, got %v", perSecond)}
	}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&l.cfg); err != nil && l.err == nil {
			l.err = &coupang.ValidationError{Field: "option", Reason: err.Error()}
		}
	}
	if p := l.cfg.pipeline; p != nil && p.rdb != rdb && l.err == nil {
		l.err = &coupang.ValidationError{Field: "option", Reason: "WithPipeline: the pipeline sends through another Redis client than the Limiter's"}
	}
	l.clock = l.cfg.clock
	l.known = newKnown(l.clock)
	if l.err != nil {
		return l
	}
	iv := math.Ceil(float64(time.Second) / perSecond * (1 + margin))
	l.interval = time.Duration(min(iv, float64(math.MaxInt64/2)))
	prefix := "coupang:{" + vendorID + "}:"
	l.keys = []string{prefix + "gcra", prefix + "pause", prefix + "probe", prefix + "slow", prefix + "strikes", prefix + "errors"}
	share := l.cfg.fallbackRate
	if share == 0 {
		share = perSecond / float64(l.cfg.processes)
	}
	l.known.recheck = l.interval
	l.direct = directClient(rdb, l.cfg.timeout)
	l.call = newWaitCall(l.keys, l.interval, l.cfg.probeLease)
	l.fb = &fallback{perSecond: share, cfg: &l.cfg}
	l.fb.reset(0, time.Time{}, l.clock.Now())
	return l
}

// VendorID returns the vendor whose budget the Limiter paces, as given to
// NewLimiter. It implements coupang.VendorBound: coupang.NewClient refuses
// the Limiter for a client of another vendor.
func (l *Limiter) VendorID() string { return l.vendorID }

// Protection tuning, the same as the client's in-process pacer's.
const (
	warningDecrease = 0.5              // an X-CAG-Warnings answer halves the pace, at most once a second
	warningFloor    = 0.1              // warnings never slow the pace below a tenth of the configured rate
	warningRecovery = 0.05             // each good answer without a warning gives back a twentieth
	maxStorm        = 4                // error storms double the spacing at most 4 times (16×)
	pauseMemory     = 10 * time.Minute // after a pause ends, the probe rule and the strikes hold this long
	slowMemory      = time.Minute      // a slow-down no answer touches for this long is forgotten
	maxRetryAfter   = time.Hour        // the longest Retry-After honoured as a pause
)

// Wait blocks until this process may start a request, or returns an error
// without the caller sending anything: the context ended, the vendor is
// blocked, or paused or waiting for a probe's answer beyond the context's
// deadline (*coupang.PauseError, at once when this process knows of it), or
// Redis failed under WithoutFallback (ErrRedisUnavailable).
//
// A slot Redis reserved for a caller whose context ends before the slot
// comes is forfeited: it stays spent in Redis, and nobody starts in it.
// Only a slot a little ahead is reserved (about two round trips, at most one
// interval, and none past the context's deadline as far as the round trip
// estimate goes), so at most one slot is lost per such caller, and the
// vendor's budget is under-used, never exceeded. Giving the slot back would
// cost a round trip and could reopen a slot after another process has been
// scheduled behind it. Stats counts only the slots handed to a caller.
func (l *Limiter) Wait(ctx context.Context) error {
	if l.err != nil {
		return l.err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if l.useFallback() {
		if l.cfg.noFallback { // fail fast rather than wait for a dead Redis again
			return fmt.Errorf("%w: it failed less than %v ago", ErrRedisUnavailable, l.cfg.retryRedisAfter)
		}
		return l.fb.wait(ctx)
	}
	if err := l.known.refuse(ctx, l.clock.Now()); err != nil {
		return err
	}

	l.waiting.Add(1)
	defer l.waiting.Add(-1)
	if err := l.takeTurn(ctx); err != nil {
		return err
	}
	err, redisErr := l.waitRedis(ctx)
	<-l.turn
	if redisErr == nil {
		return err
	}
	if redisErr != errFellBack {
		l.enterFallback(redisErr)
	}
	if l.cfg.noFallback {
		return fmt.Errorf("%w: %v", ErrRedisUnavailable, redisErr)
	}
	return l.fb.wait(ctx)
}

// takeTurn waits for this process's turn to ask Redis. A caller that learns
// meanwhile, from another's answer, that it cannot be let through before its
// deadline leaves at once with the *coupang.PauseError: 50 callers that
// arrive during a pause or a probe learn why from the first one's round trip,
// instead of taking turns to ask Redis until their deadlines pass.
func (l *Limiter) takeTurn(ctx context.Context) error {
	select {
	case l.turn <- struct{}{}: // nobody is asking: no need to watch for news
		return nil
	default:
	}
	for {
		changed := l.known.changes()
		select {
		case l.turn <- struct{}{}:
			return nil
		case <-ctx.Done():
			return l.known.heldError(ctx.Err())
		case <-changed:
			if err := l.known.refuse(ctx, l.clock.Now()); err != nil {
				return err
			}
		}
	}
}

// errFellBack: another goroutine found Redis failing while this one waited
// for its turn.
var errFellBack = errors.New("redis failed in another goroutine")

// waitRedis asks Redis until it grants a start. It returns the caller's
// error, or the Redis failure when the fallback should take over.
//
// A grant costs one round trip when the vendor's next slot is free: the
// request for a slot leaves a round trip before the slot, and Redis reserves
// a slot that comes within about two round trips (never more than one
// interval ahead), so that with Redis far away the round trip overlaps the
// wait for the slot instead of adding to it.
func (l *Limiter) waitRedis(ctx context.Context) (err, redisErr error) {
	for {
		if l.useFallback() { // another goroutine found Redis down meanwhile
			return nil, errFellBack
		}
		if err := l.known.refuse(ctx, l.clock.Now()); err != nil {
			return err, nil
		}
		// Asking much before the slot Redis announced would cost a round
		// trip for nothing. Another process may take that slot: then Redis
		// names the next one.
		rtt := time.Duration(l.rtt.Load())
		l.mu.Lock()
		next := l.nextSlot
		l.mu.Unlock()
		if wait := next.Sub(l.clock.Now()); wait > 0 {
			if d, ok := ctx.Deadline(); ok && d.Before(next) {
				return fmt.Errorf("rate limit wait of %v exceeds the context deadline: %w", wait.Round(time.Millisecond), context.DeadlineExceeded), nil
			}
			if err := l.sleep(ctx, wait-rtt-l.lead); err != nil {
				return l.known.heldError(err), nil
			}
		}
		ahead := min(2*rtt+catchUpMs*time.Millisecond+l.lead, l.interval)
		if d, ok := ctx.Deadline(); ok {
			ahead = max(0, min(ahead, d.Sub(l.clock.Now())-rtt))
		}
		// The pause this process knows of goes along, for Redis to take
		// should it have lost it; another process's probe does not (Redis
		// holds its lease, or it is lost).
		knownKind, knownUntil, probe := l.known.running(l.clock.Now())
		if probe {
			knownKind = 0
		}
		sent := l.clock.Now()
		r, err := l.evalWait(ctx, ahead, kindName(knownKind), knownUntil.Sub(sent))
		if err != nil {
			if ctx.Err() != nil {
				return l.known.heldError(ctx.Err()), nil
			}
			return nil, err
		}
		now := l.clock.Now()
		l.observeRTT(now.Sub(sent))
		l.roundTrips.Add(1)
		l.leaveFallback()
		wait := msDuration(r.ms)
		l.degraded.Store(r.factor < 1)
		if l.onAnswer != nil {
			l.onAnswer(r.code)
		}
		switch r.code {
		case 0:
			l.lead = 0
			l.known.clearProbe()
			if r.kind == "probe" {
				l.probeOut.Store(true)
				coupang.ObserveVendor(ctx, coupang.VendorEvent{Kind: coupang.VendorProbe})
			}
			// Redis's schedule, not "an interval from now": a hint
			// counted from each reply would drift later by a round
			// trip every slot.
			l.setNextSlot(now.Add(wait))
			// A reserved slot: start when it comes. The wait is at most
			// ahead, which the deadline allows as far as the round trip
			// estimate goes. A caller whose context ends meanwhile
			// forfeits the slot (see Wait) and gives the probe back, if
			// it was the probe.
			err := l.sleep(ctx, msDuration(r.delay))
			if l.onGrant != nil {
				l.onGrant(time.Unix(0, int64(r.slot*1e6)), err == nil)
			}
			if err != nil {
				if r.kind == "probe" {
					l.Report(ctx, coupang.Outcome{Kind: coupang.OutcomeNoAnswer})
				}
				return err, nil
			}
			l.grants.Add(1)
			return nil, nil
		case 1:
			until := now.Add(wait)
			l.known.pause(kindOf(r.kind), until)
			if r.kind == "blocked" {
				return &coupang.PauseError{Kind: coupang.OutcomeBlocked, Until: until}, nil
			}
			if d, ok := ctx.Deadline(); ok && d.Before(until) {
				return &coupang.PauseError{Kind: coupang.OutcomeThrottled, Until: until}, nil
			}
		case 2:
			// Another process's probe is out: a caller whose deadline
			// comes before its answer is due is told at once; the others
			// wait for the answer, asking again an interval from now,
			// until the lease ends.
			kind, lease, due := kindOf(r.kind), now.Add(wait), now.Add(msDuration(r.delay))
			l.known.probe(kind, due, lease, now)
			if err := l.known.refuse(ctx, now); err != nil {
				return err, nil
			}
			wait = min(wait, l.interval)
			if l.onProbeWait != nil {
				l.onProbeWait(wait)
			}
		case 3:
			if !next.IsZero() && now.Add(wait).After(next.Add(time.Millisecond)) {
				// The slot this process asked for went to another
				// process, which asked earlier (a larger round trip
				// sends the request sooner): ask earlier next time,
				// twice as early after each loss, until a slot comes.
				// Without this, the process nearest Redis lost every
				// slot to the others as long as they wanted them.
				l.lead = min(max(2*l.lead, catchUpMs*time.Millisecond), l.interval/2)
			}
			l.setNextSlot(now.Add(wait))
			if d, ok := ctx.Deadline(); ok && d.Before(now.Add(wait)) {
				return fmt.Errorf("rate limit wait of %v exceeds the context deadline: %w", wait.Round(time.Millisecond), context.DeadlineExceeded), nil
			}
			continue
		default:
			if d, ok := ctx.Deadline(); ok && d.Before(now.Add(wait)) {
				return fmt.Errorf("rate limit wait of %v exceeds the context deadline: %w", wait.Round(time.Millisecond), context.DeadlineExceeded), nil
			}
		}
		if err := l.sleep(ctx, wait); err != nil {
			return l.known.heldError(err), nil
		}
	}
}

// observeRTT folds one round trip of the wait script into the smoothed
// estimate (a quarter of the new sample), which sets how early Wait asks for
// a slot.
func (l *Limiter) observeRTT(d time.Duration) {
	d = min(d, l.cfg.timeout)
	for {
		old := l.rtt.Load()
		v := int64(d)
		if old != 0 {
			v = old + (int64(d)-old)/4
		}
		if l.rtt.CompareAndSwap(old, v) {
			return
		}
	}
}

// ms formats a duration as milliseconds with a fraction, as the scripts
// read them.
func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d)/1e6, 'f', 3, 64)
}

// Report records the outcome of an attempt that Wait let through. Only what
// changes the shared state costs a Redis round trip: a 429, a block, an
// error, a warning, or the answer to this process's probe.
func (l *Limiter) Report(ctx context.Context, o coupang.Outcome) {
	if l.err != nil {
		return
	}
	var kind string
	switch o.Kind {
	case coupang.OutcomeThrottled:
		kind = "throttled"
	case coupang.OutcomeBlocked:
		kind = "blocked"
	case coupang.OutcomeError:
		kind = "error"
	case coupang.OutcomeSuccess:
		kind = "success"
	case coupang.OutcomeNoAnswer:
		kind = "noanswer"
	default:
		return
	}
	probe := false
	if o.Kind != coupang.OutcomeThrottled && o.Kind != coupang.OutcomeBlocked {
		probe = l.probeOut.CompareAndSwap(true, false)
	} else {
		l.probeOut.Store(false)
	}
	if l.fallenBack() {
		// Every answer, a quiet one too: it may answer the fallback's
		// own probe. What it teaches is kept for when Redis is back.
		// Until Redis has answered again, answers go to the fallback,
		// which let the attempts out, also after it is time to ask Redis
		// again.
		l.fb.report(ctx, o)
		l.known.learnFallback(l.fb.state())
		return
	}
	quiet := o.Kind == coupang.OutcomeNoAnswer || (o.Kind == coupang.OutcomeSuccess && !l.degraded.Load())
	if !probe && o.Warning == "" && quiet {
		return
	}
	// The attempt's context may have ended (that is often why no answer
	// came): the report must reach Redis all the same.
	ctx = context.WithoutCancel(ctx)
	warning := "0"
	if o.Warning != "" {
		warning = "1"
	}
	// Bounded as the core pacer bounds it: a Retry-After of hours is more
	// likely a proxy's than Coupang's, and would stop every process.
	retryAfter := min(o.RetryAfter, maxRetryAfter)
	r, err := l.eval(ctx, reportScript, kind, retryAfter.Milliseconds(), warning,
		l.cfg.pauseMin.Milliseconds(), l.cfg.pauseMax.Milliseconds(),
		l.cfg.blockMin.Milliseconds(), l.cfg.blockMax.Milliseconds(),
		warningDecrease, warningFloor, warningRecovery, l.cfg.stormErrors, l.cfg.stormWindow.Milliseconds(),
		maxStorm, pauseMemory.Milliseconds(), slowMemory.Milliseconds())
	if err != nil {
		// The fallback starts from what the process knew, then hears of
		// this answer: a 429 that Redis could not record still pauses.
		l.enterFallback(err)
		l.fb.report(ctx, o)
		l.known.learnFallback(l.fb.state())
		l.cfg.logger.LogAttrs(ctx, slog.LevelWarn, "coupangredis: could not share an outcome through Redis",
			slog.String("vendorId", l.vendorID), slog.String("outcome", kind), slog.String("error", err.Error()))
		return
	}
	l.degraded.Store(r.float(2) < 1)
	switch event, d := r.str(0), r.duration(1); event {
	case "throttled", "extended":
		l.known.pause(coupang.OutcomeThrottled, l.clock.Now().Add(d))
	case "blocked":
		l.known.pause(coupang.OutcomeBlocked, l.clock.Now().Add(d))
	case "resumed":
		l.known.resumed()
	}
	l.logEvent(ctx, r.str(0), r.duration(1), r.float(2), o)
	observe(ctx, r.str(0), l.clock.Now().Add(r.duration(1)))
}

func (l *Limiter) logEvent(ctx context.Context, event string, d time.Duration, frac float64, o coupang.Outcome) {
	log := l.cfg.logger
	vendor := slog.String("vendorId", l.vendorID)
	switch event {
	case "throttled":
		log.LogAttrs(ctx, slog.LevelWarn, "coupang: vendor paused after a 429, every process waits", vendor,
			slog.Duration("pause", d), slog.Duration("retryAfter", o.RetryAfter))
	case "extended":
		log.LogAttrs(ctx, slog.LevelWarn, "coupang: vendor pause extended by Retry-After", vendor, slog.Duration("pause", d))
	case "blocked":
		log.LogAttrs(ctx, slog.LevelWarn, "coupang: vendor blocked by Coupang, every process stops sending", vendor,
			slog.Int("status", o.StatusCode), slog.Duration("coolDown", d))
	case "resumed":
		log.LogAttrs(ctx, slog.LevelInfo, "coupang: probe answered, vendor resumes", vendor)
	case "released":
		log.LogAttrs(ctx, slog.LevelDebug, "coupang: probe got no good answer, another may probe", vendor)
	case "storm", "slowed":
		why := "X-CAG-Warnings"
		if event == "storm" {
			why = "error storm"
		}
		log.LogAttrs(ctx, slog.LevelWarn, "coupang: vendor slowed down", vendor, slog.String("reason", why),
			slog.Float64("rate", l.rate*frac))
	case "calm":
		log.LogAttrs(ctx, slog.LevelInfo, "coupang: good answer after an error storm, spacing restored", vendor,
			slog.Float64("rate", l.rate*frac))
	}
}

// State reads the vendor's current protection state from Redis (one round
// trip), or the local fallback's while Redis is unreachable. Waiting counts
// the callers in Wait in this process only.
func (l *Limiter) State() coupang.LimiterState {
	s := coupang.LimiterState{Rate: l.rate, ConfiguredRate: l.rate}
	if l.err != nil {
		return s
	}
	if !l.useFallback() {
		r, err := l.eval(context.Background(), stateScript)
		if err == nil {
			until := l.clock.Now().Add(r.duration(1))
			switch r.str(0) {
			case "throttled":
				s.PausedUntil = until
			case "blocked":
				s.BlockedUntil = until
			}
			s.Probing = r.int(2) > 0
			s.Rate = l.rate * r.float(3)
			s.Waiting = int(l.waiting.Load())
			return s
		}
	}
	fs := l.fb.state()
	s.Rate, s.PausedUntil, s.BlockedUntil, s.Probing, s.Waiting = fs.Rate, fs.PausedUntil, fs.BlockedUntil, fs.Probing, fs.Waiting
	if l.cfg.noFallback {
		s.Rate = 0 // nothing goes without Redis
	}
	return s
}

// Stats reports what Wait did in this process: starts granted through Redis
// and handed to a caller (not the slots forfeited by callers whose context
// ended, see Wait) and Redis round trips made, for measuring the cost of a
// Wait. Through a Pipeline each wait script call counts as one round trip
// here, also when it shared one with other Limiters' calls
// (Pipeline.Stats counts those).
func (l *Limiter) Stats() (grants, roundTrips int64) {
	return l.grants.Load(), l.roundTrips.Load()
}

// fallenBack reports that Redis failed and has not answered since.
func (l *Limiter) fallenBack() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.inFallback
}

// useFallback reports that Wait uses the fallback: Redis failed, less than
// the retry delay ago.
func (l *Limiter) useFallback() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.inFallback && l.clock.Now().Before(l.fallbackUntil)
}

func (l *Limiter) enterFallback(cause error) {
	l.mu.Lock()
	was := l.inFallback
	if !was && !l.cfg.noFallback {
		// The fresh pacer is in place before any goroutine can see the
		// fallback in use: one that took the old one would pace on a
		// schedule of its own, beside the others. It starts from what
		// the process knows; another process's probe counts as the pause
		// it follows until its lease ends, since nobody here will hear
		// its answer.
		kind, until, _ := l.known.running(l.clock.Now())
		l.fb.reset(kind, until, l.clock.Now())
	}
	l.inFallback = true
	l.fallbackUntil = l.clock.Now().Add(l.cfg.retryRedisAfter)
	l.mu.Unlock()
	switch {
	case was:
	case l.cfg.noFallback:
		l.cfg.logger.LogAttrs(context.Background(), slog.LevelError,
			"coupangredis: Redis unreachable; Wait fails until it answers (WithoutFallback)",
			slog.String("vendorId", l.vendorID), slog.String("error", cause.Error()))
	default:
		l.cfg.logger.LogAttrs(context.Background(), slog.LevelWarn,
			"coupangredis: Redis unreachable; pacing this process alone at its share of the vendor budget",
			slog.String("vendorId", l.vendorID), slog.Float64("rate", l.fb.perSecond),
			slog.Int("expectedProcesses", l.cfg.processes), slog.String("error", cause.Error()))
	}
}

func (l *Limiter) leaveFallback() {
	l.mu.Lock()
	was := l.inFallback
	l.inFallback = false
	l.mu.Unlock()
	if was {
		l.cfg.logger.LogAttrs(context.Background(), slog.LevelInfo, "coupangredis: Redis reachable again; sharing the vendor budget",
			slog.String("vendorId", l.vendorID))
	}
}

// reply is a script's answer.
type reply []any

func (r reply) str(i int) string {
	if i >= len(r) {
		return ""
	}
	switch v := r[i].(type) {
	case string:
		return v
	case int64:
		return strconv.FormatInt(v, 10)
	}
	return ""
}

func (r reply) float(i int) float64 {
	f, _ := strconv.ParseFloat(r.str(i), 64)
	return f
}

func (r reply) int(i int) int64 { return int64(r.float(i)) }

// duration reads milliseconds, rounded up.
func (r reply) duration(i int) time.Duration {
	return time.Duration(math.Ceil(r.float(i) * float64(time.Millisecond)))
}

func (l *Limiter) setNextSlot(t time.Time) {
	l.mu.Lock()
	l.nextSlot = t
	l.mu.Unlock()
}

// sleep waits d or until ctx ends, on the Limiter's one timer: only the
// goroutine holding the turn sleeps here.
func (l *Limiter) sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 { // a free slot: no timer, no trip through the scheduler
		return ctx.Err()
	}
	if _, real := l.clock.(clock.Real); !real {
		c, stop := l.clock.Timer(d)
		select {
		case <-c:
			return nil
		case <-ctx.Done():
			stop()
			return ctx.Err()
		}
	}
	if l.timer == nil {
		l.timer = time.NewTimer(d)
	} else {
		l.timer.Reset(d) // stopped or fired: Go's timers keep no stale tick
	}
	select {
	case <-l.timer.C:
		return nil
	case <-ctx.Done():
		l.timer.Stop()
		return ctx.Err()
	}
}
