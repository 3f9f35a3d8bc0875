package coupangredis

import (
	"fmt"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/internal/clock"
	"log/slog"
	"math"
	"time"
)

// Option configures a Limiter. An invalid option does not panic: the
// Limiter's Wait returns a *coupang.ValidationError naming it.
type Option func(*config) error

// Defaults. They match what the client's in-process protection does, so that
// moving from one process to several changes nothing but the reach.
const (
	// DefaultExpectedProcesses is how many processes are assumed to share a
	// vendor when Redis fails and WithExpectedProcesses was not given: each
	// then falls back to perSecond/4 on its own.
	DefaultExpectedProcesses = 4
	// DefaultRedisTimeout bounds every Redis call made by Wait, Report and
	// State: a Redis slower than this counts as unreachable (see
	// WithRedisTimeout for what it bounds).
	DefaultRedisTimeout = 500 * time.Millisecond
	// DefaultRetryRedisAfter is how long a Limiter stays on its fallback pacer
	// after a Redis failure before it asks Redis again.
	DefaultRetryRedisAfter = 5 * time.Second
)

type config struct {
	processes       int
	fallbackRate    float64 // 0: perSecond / processes
	noFallback      bool
	timeout         time.Duration
	retryRedisAfter time.Duration
	// From WithProtection (coupang.Protection, defaults applied).
	stormErrors int
	stormWindow time.Duration
	pauseMin    time.Duration
	pauseMax    time.Duration
	blockMin    time.Duration
	blockMax    time.Duration
	probeLease  time.Duration
	logger      *slog.Logger
	clock       clock.Clock // withClock; the real one by default
	pipeline    *Pipeline   // WithPipeline; nil: each Wait calls Redis itself
}

func defaultConfig() config {
	return config{
		processes:       DefaultExpectedProcesses,
		timeout:         DefaultRedisTimeout,
		retryRedisAfter: DefaultRetryRedisAfter,
		stormErrors:     coupang.DefaultStormErrors,
		stormWindow:     coupang.DefaultStormWindow,
		pauseMin:        coupang.DefaultCooldown,
		pauseMax:        coupang.DefaultMaxCooldown,
		blockMin:        coupang.DefaultBlockCooldown,
		blockMax:        coupang.DefaultMaxBlockCooldown,
		probeLease:      15 * time.Second,
		logger:          slog.Default(),
		clock:           clock.Real{},
	}
}

// WithExpectedProcesses says how many processes share the vendor's budget
// (default DefaultExpectedProcesses). It only matters while Redis is
// unreachable: each process then paces itself alone at perSecond/n.
func WithExpectedProcesses(n int) Option {
	return func(c *config) error {
		if n < 1 {
			return fmt.Errorf("expected processes must be at least 1, got %d", n)
		}
		c.processes = n
		return nil
	}
}

// WithFallbackRate sets the pace, in requests a second, a process keeps on
// its own while Redis is unreachable, instead of perSecond divided by the
// expected processes.
func WithFallbackRate(perSecond float64) Option {
	return func(c *config) error {
		if !(perSecond > 0) || math.IsInf(perSecond, 0) {
			return fmt.Errorf("fallback rate must be a positive number, got %v", perSecond)
		}
		c.fallbackRate = perSecond
		return nil
	}
}

// WithoutFallback makes Wait fail with an error matching ErrRedisUnavailable
// while Redis is unreachable, instead of pacing locally: nothing is sent
// without Redis's permission.
func WithoutFallback() Option {
	return func(c *config) error {
		c.noFallback = true
		return nil
	}
}

// WithRedisTimeout bounds each Redis call (default DefaultRedisTimeout).
// After a failure the Limiter uses its fallback for retryAfter (default
// DefaultRetryRedisAfter) before it asks Redis again, so that a dead Redis
// does not cost every Wait a timeout.
//
// For Wait's call the timeout bounds the dial and each read and write, not
// the wait for one of the Redis client's pooled connections: that is this
// process's own queue (thousands of vendors in one process share a pool of
// a few connections), bounded by the client's PoolTimeout and by the
// caller's context, and counting it as Redis failing would send vendors to
// the fallback while Redis answers in microseconds.
//
// The timeout also bounds how late a Wait notices that its context was
// cancelled while a Redis command is on the wire: go-redis does not
// interrupt a read or a write when a context is cancelled, with or without
// ContextTimeoutEnabled, and a *redis.Client is called on the caller's
// goroutine (a goroutine per call cost more CPU than the call itself), so a
// cancellation is noticed when the command ends, at the latest at the
// timeout (for the write and the read, so at most about twice it); with
// ContextTimeoutEnabled a context's deadline bounds the read and the write
// too. A cancellation while the Wait waits for its slot, for a pooled
// connection or for its turn is noticed at once. Cluster and ring clients
// without ContextTimeoutEnabled are called on a goroutine that is abandoned
// at cancellation. Through a Pipeline (WithPipeline), a call sent in a batch
// is bounded by the longest timeout among the Limiters in the batch, and
// its caller leaves at once when its context ends, queued or on the wire.
func WithRedisTimeout(timeout, retryAfter time.Duration) Option {
	return func(c *config) error {
		if timeout <= 0 || retryAfter <= 0 {
			return fmt.Errorf("redis timeout and retry delay must be positive, got %v and %v", timeout, retryAfter)
		}
		c.timeout, c.retryRedisAfter = timeout, retryAfter
		return nil
	}
}

// WithProtection sets how every process treats the vendor after a 429, a
// block or an error storm, with the settings NewPacer takes (default
// coupang.DefaultProtection(); a zero field keeps its default and a Max
// below its first value is raised to it, see coupang.Protection). A 429's
// Retry-After is honoured as sent; the storm counts non-2xx answers from any
// process. A negative field is refused: Wait returns a
// *coupang.ValidationError naming it.
func WithProtection(p coupang.Protection) Option {
	return func(c *config) error {
		for _, f := range []struct {
			name string
			neg  bool
		}{
			{"Cooldown", p.Cooldown < 0}, {"MaxCooldown", p.MaxCooldown < 0},
			{"BlockCooldown", p.BlockCooldown < 0}, {"MaxBlockCooldown", p.MaxBlockCooldown < 0},
			{"StormErrors", p.StormErrors < 0}, {"StormWindow", p.StormWindow < 0},
		} {
			if f.neg {
				return fmt.Errorf("protection: %s must not be negative", f.name)
			}
		}
		p = p.WithDefaults()
		c.pauseMin, c.pauseMax = p.Cooldown, p.MaxCooldown
		c.blockMin, c.blockMax = p.BlockCooldown, p.MaxBlockCooldown
		c.stormErrors, c.stormWindow = p.StormErrors, p.StormWindow
		return nil
	}
}

// WithProbeLease sets how long the other processes wait for the answer to the
// one probe sent after a pause before another may probe (default 15 s). It
// only matters when the prober dies without reporting: a reported answer ends
// the wait at once.
func WithProbeLease(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("probe lease must be positive, got %v", d)
		}
		c.probeLease = d
		return nil
	}
}

// WithLogger sets where pauses, blocks, slow-downs and Redis failures are
// logged (default slog.Default()). nil discards them.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			l = slog.New(slog.DiscardHandler)
		}
		c.logger = l
		return nil
	}
}
