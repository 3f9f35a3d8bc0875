package coupangredis

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// How a Limiter calls Redis. A Wait is one script call, so what the call
// costs on top of go-redis's own work is what a Wait costs: with thousands
// of vendors in one process a goroutine, a channel and a select per call,
// every argument boxed and formatted anew and a six-element reply made a
// Wait cost ~1.5× redis_rate's client CPU (BENCHMARKS.md).

// redisDoer is what eval needs of a client: scripts, and Do for the wait
// script's prebuilt command.
type redisDoer interface {
	redis.Scripter
	Do(ctx context.Context, args ...any) *redis.Cmd
}

// directClient returns the client through which eval can call Redis on the
// caller's goroutine with every call still bounded by timeout, or nil when
// there is none and eval must bound the call itself.
//
// go-redis applies a context's deadline to reads and writes only with
// ContextTimeoutEnabled; otherwise a Redis that stopped answering would hold
// the call for the client's ReadTimeout (3 s by default). A *redis.Client
// without it is cloned with WithTimeout, which shares its connection pool,
// hooks and settings but reads and writes with timeout as deadline; the
// context's deadline still bounds the dial. go-redis never watches a
// context's cancellation during a read or write, with or without
// ContextTimeoutEnabled: on this path a cancellation is noticed only at the
// deadline (documented on WithRedisTimeout: the price of no goroutine per
// call). A cluster or ring client without ContextTimeoutEnabled cannot be
// cloned so: eval then calls it on a goroutine of its own and abandons the
// call at the timeout or the caller's cancellation, as before.
func directClient(rdb redis.UniversalClient, timeout time.Duration) redisDoer {
	switch c := rdb.(type) {
	case *redis.Client:
		if c.Options().ContextTimeoutEnabled {
			return c
		}
		return c.WithTimeout(timeout)
	case *redis.ClusterClient:
		if c.Options().ContextTimeoutEnabled {
			return c
		}
	case *redis.Ring:
		if c.Options().ContextTimeoutEnabled {
			return c
		}
	}
	return nil
}

// eval runs a script, bounded by the Redis timeout.
func (l *Limiter) eval(ctx context.Context, s *redis.Script, args ...any) (reply, error) {
	ctx, cancel := context.WithTimeout(ctx, l.cfg.timeout)
	defer cancel()
	if l.direct != nil {
		v, err := s.Run(ctx, l.direct, l.keys, args...).Slice()
		if err != nil {
			return nil, timeoutError(err, l.cfg.timeout)
		}
		return reply(v), nil
	}
	v, err := abandonAtTimeout(ctx, l.cfg.timeout, func(ctx context.Context) ([]any, error) {
		return s.Run(ctx, l.rdb, l.keys, args...).Slice()
	})
	return reply(v), err
}

// abandonAtTimeout runs call on a goroutine of its own and returns at the
// latest when ctx ends, leaving the call behind: for clients whose reads
// and writes ctx does not bound.
func abandonAtTimeout[T any](ctx context.Context, timeout time.Duration, call func(context.Context) (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := call(ctx)
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		return zero, fmt.Errorf("no answer from Redis within %v: %w", timeout, ctx.Err())
	}
}

func timeoutError(err error, timeout time.Duration) error {
	if isTimeout(err) {
		return fmt.Errorf("no answer from Redis within %v: %w", timeout, err)
	}
	return err
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

// waitCall is the wait script's command, built once per Limiter: EVALSHA,
// the script's hash, the four keys it uses and the arguments that never
// change are boxed once, and a call only sets the three that change. Only
// the goroutine holding the turn (Limiter.turn) uses it, so it needs no lock.
type waitCall struct {
	args    []any
	aheadMs int64 // the whole ms boxed in args[waitAhead]
}

// Positions in waitCall.args.
const (
	waitName  = 0  // "evalsha", or "eval" when Redis lost the script
	waitSHA   = 1  // the script's hash, or its source with "eval"
	waitAhead = 11 // ARGV[5]
	waitKind  = 12 // ARGV[6]
	waitLeft  = 13 // ARGV[7]
)

func newWaitCall(keys []string, interval, probeLease time.Duration) waitCall {
	// The grant token names this process as the probe's holder in Redis, for
	// whoever reads it there; nothing compares it, so one per Limiter does.
	var b [8]byte
	_, _ = rand.Read(b[:])
	args := []any{"evalsha", waitScript.Hash(), "4", keys[0], keys[1], keys[2], keys[3],
		ms(interval), hex.EncodeToString(b[:]), strconv.FormatInt(probeLease.Milliseconds(), 10),
		strconv.Itoa(catchUpMs), "0", "", "0", strconv.FormatInt(pauseMemory.Milliseconds(), 10)}
	return waitCall{args: args}
}

// evalWait runs the wait script: a slot may be reserved up to ahead from
// now; kind (OutcomeThrottled or OutcomeBlocked, 0 for none) is the pause
// this process knows of, which has left to run.
func (l *Limiter) evalWait(ctx context.Context, ahead time.Duration, kind string, left time.Duration) (waitReply, error) {
	c := &l.call
	// Whole ms, rounded down: the boxed value is reused while the smoothed
	// round trip stays within the same ms, and a caller's deadline still
	// bounds the reservation.
	if a := max(0, ahead.Milliseconds()); a != c.aheadMs {
		c.aheadMs = a
		c.args[waitAhead] = strconv.FormatInt(a, 10)
	}
	switch kind {
	case "throttled":
		c.args[waitKind], c.args[waitLeft] = "throttled", ms(left)
	case "blocked":
		c.args[waitKind], c.args[waitLeft] = "blocked", ms(left)
	default:
		c.args[waitKind], c.args[waitLeft] = "", "0"
	}
	var (
		s   string
		err error
		ok  bool
	)
	if p := l.cfg.pipeline; p != nil && !p.closed() {
		// A call that finds no other in the Pipeline goes out at once on
		// this goroutine, as without one: a batch of one, without the
		// hand-over to a writer and back.
		if p.inflight.Add(1) > 1 {
			s, ok, err = l.pipelined(ctx, p, c.args)
		} else {
			p.batches.Add(1)
			p.commands.Add(1)
		}
		defer p.inflight.Add(-1)
	}
	switch {
	case ok:
	case l.direct != nil:
		s, err = runWait(withDeadline(ctx, time.Now().Add(l.cfg.timeout)), l.direct, c.args)
		err = timeoutError(err, l.cfg.timeout)
	default:
		ctx, cancel := context.WithTimeout(ctx, l.cfg.timeout)
		defer cancel()
		// The call may outlive this one, which must not change its
		// arguments under it.
		args := slices.Clone(c.args)
		s, err = abandonAtTimeout(ctx, l.cfg.timeout, func(ctx context.Context) (string, error) {
			return runWait(ctx, l.rdb, args)
		})
	}
	if err != nil {
		return waitReply{}, err
	}
	return parseWaitReply(s)
}

// deadlineCtx is a context that reports a deadline its Done channel does
// not keep: the wait script's call on the direct client, without the timer
// and the four allocations of context.WithTimeout on every Wait.
//
// go-redis reads the deadline from the context for what it bounds by one: a
// dial, and reads and writes when ContextTimeoutEnabled is set (without it,
// the direct client is a WithTimeout clone that bounds them by the timeout
// itself). What only a closing Done channel would bound is the wait for one
// of the client's pooled connections: that wait is left to the client's
// PoolTimeout and to the caller's context. It is this process's own queue,
// not Redis being slow: with thousands of vendors in one process, counting
// it against the Redis timeout sent most of them to the fallback pacer (at a
// quarter of their rate) while Redis answered in well under a millisecond.
type deadlineCtx struct {
	context.Context
	deadline time.Time
}

func (c *deadlineCtx) Deadline() (time.Time, bool) { return c.deadline, true }

// withDeadline is ctx reporting deadline, or ctx's own deadline when sooner.
func withDeadline(ctx context.Context, deadline time.Time) context.Context {
	if d, ok := ctx.Deadline(); ok && !d.After(deadline) {
		return ctx
	}
	return &deadlineCtx{ctx, deadline}
}

// runWait sends the wait script's command, by hash, then by source if Redis
// lost the script (a restart, SCRIPT FLUSH).
func runWait(ctx context.Context, c redisDoer, args []any) (string, error) {
	s, err := c.Do(ctx, args...).Text()
	if err == nil || !redis.HasErrorPrefix(err, "NOSCRIPT") {
		return s, err
	}
	src := slices.Clone(args)
	src[waitName], src[waitSHA] = "eval", waitSource
	return c.Do(ctx, src...).Text()
}

// waitReply is the wait script's answer (see waitScript): code, kind, ms,
// factor, delay and slot, sent as one string "code|kind|ms|factor|delay|slot"
// so that reading it costs one string rather than six values.
type waitReply struct {
	code                    int
	kind                    string
	ms, factor, delay, slot float64
}

func parseWaitReply(s string) (waitReply, error) {
	var f [6]string
	rest := s
	for i := range f {
		var ok bool
		f[i], rest, ok = strings.Cut(rest, "|")
		if ok != (i < len(f)-1) { // too few fields, or too many
			return waitReply{}, fmt.Errorf("coupangredis: unexpected answer from the wait script: %q", s)
		}
	}
	var r waitReply
	code, err1 := strconv.Atoi(f[0])
	var errs [4]error
	r.ms, errs[0] = strconv.ParseFloat(f[2], 64)
	r.factor, errs[1] = strconv.ParseFloat(f[3], 64)
	r.delay, errs[2] = strconv.ParseFloat(f[4], 64)
	r.slot, errs[3] = strconv.ParseFloat(f[5], 64)
	if err := errors.Join(err1, errs[0], errs[1], errs[2], errs[3]); err != nil {
		return waitReply{}, fmt.Errorf("coupangredis: unexpected answer from the wait script: %q: %w", s, err)
	}
	r.code, r.kind = code, f[1]
	return r, nil
}

// msDuration reads milliseconds, rounded up.
func msDuration(f float64) time.Duration {
	return time.Duration(math.Ceil(f * float64(time.Millisecond)))
}
