package coupang

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/go-coupang/coupang/internal/clock"
)

// MinRateLimit is the slowest pace a client or a pacer accepts: one request a
// minute. A slower rate is almost certainly a mistake (a rate given per hour,
// or 1e-300), and would leave callers waiting for hours.
const MinRateLimit = 1.0 / 60

// pacerMargin stretches the interval by 2%, which leaves 20 ms in every
// second, whatever the rate, for the jitter between the moment a request is
// let go and the moment it reaches Coupang: exact spacing would put N+1
// arrivals within one second whenever one request is delayed a little more
// than the one N places after it. 1% (10 ms) let 6 arrivals into one second
// at 5/s at a loopback server on a loaded machine; 2% is also the margin of
// coupangredis, and still sends ≥ 97% of the budget (BENCHMARKS.md, "Pacing").
const pacerMargin = 0.02

// Pacer is the limiter NewPacer returns: it paces, takes the outcome of
// every attempt (the client reports each answer to it) and reports the
// vendor's standing for metrics, with no type assertion. It is an interface
// rather than a concrete type so that WithLimiter takes it as it takes any
// other Limiter and its internals can change before v1 without an API
// change; other implementations of it are welcome (a test double, a
// wrapper that counts).
type Pacer interface {
	Limiter
	OutcomeReporter
	StateReader
}

// NewPacer returns the limiter a client uses by default: perSecond requests a
// second with a burst of one, shared by every goroutine and every client it
// is given to (WithLimiter), and the vendor protection described in the
// README (WithProtection): it pauses everyone after a 429, fails fast while
// Coupang blocks the vendor, lets exactly one probe out when a pause ends,
// widens the spacing in an error storm and slows down on X-CAG-Warnings.
//
// Two clients that should share one vendor budget (say one for exchanges and
// one for orders, or two option sets) take the same pacer:
//
//	p := coupang.NewPacer(5)
//	a, _ := coupang.NewClient(ak, sk, vendor, coupang.WithLimiter(p))
//	b, _ := coupang.NewClient(ak, sk, vendor, coupang.WithLimiter(p), coupang.WithMaxRetries(0))
//
// A perSecond below MinRateLimit, zero, negative, infinite or NaN cannot be
// honoured and is replaced by MinRateLimit (WithRateLimit refuses such rates
// with a *ValidationError instead): a mistake slows the client down rather
// than removing the pacing.
func NewPacer(perSecond float64, opts ...PacerOption) Pacer {
	cfg := defaultPacerConfig()
	for _, opt := range opts {
		if opt != nil {
			opt(&cfg)
		}
	}
	cfg.normalize()
	if !(perSecond >= MinRateLimit) || math.IsInf(perSecond, 0) { // NaN fails >=
		perSecond = MinRateLimit
	}
	p := &pacer{
		cfg:        cfg,
		configured: perSecond,
		aimd:       perSecond,
		changed:    make(chan struct{}),
	}
	p.interval = intervalFor(perSecond)
	p.lim = rate.NewLimiter(limitFor(perSecond), 1)
	if k, now := cfg.knownKind, cfg.clock.Now(); (k == OutcomeThrottled || k == OutcomeBlocked) && now.Before(cfg.knownUntil) {
		// As if it had seen the 429 or the block: the next one in a row is
		// the second, and a probe goes first when it ends.
		p.kind, p.until, p.pausedAt = k, cfg.knownUntil, now
		if k == OutcomeBlocked {
			p.blocks = 1
		} else {
			p.throttles = 1
		}
	}
	return p
}

// pacer paces starts with a rate.Limiter of burst one and keeps the vendor's
// standing (protect.go). Callers queue in arrival order; only the caller at
// the head of the queue holds a reservation, so a caller that gives up, from
// anywhere in the queue, never pushes back the ones behind it: the head's
// reservation is always the latest and is given back whole.
type pacer struct {
	cfg        pacerConfig
	configured float64 // requests a second, as made
	lim        *rate.Limiter

	mu       sync.Mutex
	queue    []*paceWaiter
	last     time.Time       // when the previous request really started
	onStart  func(time.Time) // tests: sees every real start, under mu
	interval time.Duration   // current spacing, the margin included
	changed  chan struct{}   // closed and replaced when a pause, block or probe changes

	// Vendor protection, see protect.go.
	aimd         float64     // pace allowed by X-CAG-Warnings, ≤ configured
	lastDecrease time.Time   // last decrease for a warning
	storm        int         // spacing is multiplied by 2^storm in an error storm
	errs         []time.Time // non-2xx answers within the storm window
	kind         OutcomeKind // OutcomeThrottled or OutcomeBlocked while paused or probing, 0 otherwise
	until        time.Time   // end of the pause or block
	pausedAt     time.Time   // when it began, for how long the probe's answer is waited for
	probing      bool        // the one probe is out
	probeSince   time.Time
	throttles    int // 429 pauses in a row, for the exponential cool-down
	blocks       int // blocks in a row
}

// paceWaiter is one caller in the queue; turn is closed when it reaches the head.
type paceWaiter struct{ turn chan struct{} }

// intervalFor is the spacing for perSecond, the margin included, rounded up
// so that N intervals never add up to less than a second.
func intervalFor(perSecond float64) time.Duration {
	return time.Duration(math.Ceil(float64(time.Second) / perSecond * (1 + pacerMargin)))
}

func limitFor(perSecond float64) rate.Limit {
	return rate.Limit(perSecond / (1 + pacerMargin))
}

// Wait blocks until the caller may send, in arrival order, or until ctx ends.
// It fails at once, without waiting, when the wait cannot end before ctx's
// deadline, and with a *PauseError while the vendor is blocked, or paused or
// waiting for the probe's answer beyond the deadline.
func (p *pacer) Wait(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	w := &paceWaiter{turn: make(chan struct{})}
	p.mu.Lock()
	if err := p.refuseLocked(ctx, p.cfg.clock.Now(), len(p.queue)); err != nil {
		p.mu.Unlock()
		return err
	}
	p.queue = append(p.queue, w)
	if len(p.queue) == 1 {
		close(w.turn)
	}
	p.mu.Unlock()
	defer p.leave(w)

	// Behind others: hold nothing, and leave at once if a block or a pause
	// that outlasts the deadline begins meanwhile.
	for {
		p.mu.Lock()
		changed := p.changed
		p.mu.Unlock()
		select {
		case <-w.turn:
			return p.head(ctx)
		case <-ctx.Done():
			return p.heldError(ctx.Err())
		case <-changed:
			p.mu.Lock()
			err := p.refuseLocked(ctx, p.cfg.clock.Now(), -1)
			p.mu.Unlock()
			if err != nil {
				return err
			}
		}
	}
}

// head waits, at the head of the queue, for the vendor protection to let a
// request out and for the next start: a reservation of the rate.Limiter, and
// no earlier than the floor (floorLocked).
func (p *pacer) head(ctx context.Context) error {
	var r *rate.Reservation
	for {
		p.mu.Lock()
		now := p.cfg.clock.Now()
		if err := p.refuseLocked(ctx, now, -1); err != nil {
			p.cancelLocked(&r, now)
			p.mu.Unlock()
			return err
		}
		if wait, open := p.gateLocked(now); !open {
			// Paused or a probe is out: hold no slot meanwhile.
			p.cancelLocked(&r, now)
			changed := p.changed
			p.mu.Unlock()
			if err := p.sleepOrChange(ctx, wait, changed); err != nil {
				return p.heldError(err)
			}
			continue
		}
		if r == nil {
			r = p.lim.ReserveN(now, 1)
		}
		d := r.DelayFrom(now)
		if gap := p.floorLocked().Sub(now); gap > d {
			d = gap
		}
		if d <= 0 {
			p.recordStartLocked(now)
			probe := VendorEvent{Kind: VendorProbe, Reason: p.kind}
			probing := p.probing
			p.startLocked(now)
			p.mu.Unlock()
			if probe.Reason != 0 && !probing {
				ObserveVendor(ctx, probe)
			}
			return nil
		}
		if deadline, ok := ctx.Deadline(); ok && deadline.Before(now.Add(d)) {
			p.cancelLocked(&r, now)
			p.mu.Unlock()
			return fmt.Errorf("rate limit wait of %v exceeds the context deadline: %w", d.Round(time.Millisecond), context.DeadlineExceeded)
		}
		changed := p.changed
		p.mu.Unlock()
		if err := p.sleepOrChange(ctx, d, changed); err != nil {
			p.mu.Lock()
			p.cancelLocked(&r, p.cfg.clock.Now())
			p.mu.Unlock()
			return err
		}
	}
}

// floorLocked is the earliest real start the next request may have: one
// interval after the previous real start. It is measured from when requests
// really started, not from when the rate.Limiter scheduled them: a caller
// woken late by the scheduler must not let the next one start less than an
// interval after it. (A floor over N starts instead, N intervals for any N
// consecutive starts, recovers that lateness, but measured at a loopback
// server it let 6 requests arrive within one second at 5/s: the lateness the
// per-start floor keeps is what absorbs the network's jitter. See
// BENCHMARKS.md, "Pacing".)
func (p *pacer) floorLocked() time.Time {
	if p.last.IsZero() {
		return time.Time{}
	}
	return p.last.Add(p.interval)
}

// recordStartLocked records a real start.
func (p *pacer) recordStartLocked(now time.Time) {
	p.last = now
	if p.onStart != nil {
		p.onStart(now)
	}
}

// cancelLocked gives an unused reservation back. It is the latest one (only
// the head reserves), so the rate.Limiter restores it whole.
func (p *pacer) cancelLocked(r **rate.Reservation, now time.Time) {
	if *r != nil {
		(*r).CancelAt(now)
		*r = nil
	}
}

// leave takes w out of the queue and hands the turn to the next caller.
func (p *pacer) leave(w *paceWaiter) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, q := range p.queue {
		if q != w {
			continue
		}
		p.queue = append(p.queue[:i], p.queue[i+1:]...)
		if i == 0 && len(p.queue) > 0 {
			close(p.queue[0].turn)
		}
		return
	}
}

// refuseLocked returns the error that ends a wait before it starts: a block,
// a pause that ends after ctx's deadline, or (ahead > 0, when joining the
// queue) a deadline that comes before the callers ahead can have started.
func (p *pacer) refuseLocked(ctx context.Context, now time.Time, ahead int) error {
	if err := p.pauseErrorLocked(ctx, now); err != nil {
		return err
	}
	deadline, ok := ctx.Deadline()
	if !ok || ahead <= 0 {
		return nil
	}
	earliest := now
	if next := p.floorLocked(); next.After(earliest) {
		earliest = next
	}
	earliest = earliest.Add(time.Duration(ahead) * p.interval)
	if deadline.Before(earliest) {
		return fmt.Errorf("rate limit wait of %v (%d callers ahead) exceeds the context deadline: %w",
			earliest.Sub(now).Round(time.Millisecond), ahead, context.DeadlineExceeded)
	}
	return nil
}

// sleepOrChange sleeps d (forever if d < 0) or until ctx ends or changed is
// closed; only the end of ctx is an error.
func (p *pacer) sleepOrChange(ctx context.Context, d time.Duration, changed <-chan struct{}) error {
	var timeout <-chan time.Time
	if d >= 0 {
		c, stop := p.cfg.clock.Timer(d)
		defer stop()
		timeout = c
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timeout:
	case <-changed:
	}
	return nil
}

// broadcastLocked wakes every caller waiting for the protection state.
func (p *pacer) broadcastLocked() {
	close(p.changed)
	p.changed = make(chan struct{})
}

// PacerOption configures NewPacer. Out-of-range values are corrected as each
// option says, never refused: NewPacer has no error to return.
type PacerOption func(*pacerConfig)

type pacerConfig struct {
	logger       *slog.Logger
	protection   Protection    // WithProtection, WithDefaults applied by normalize
	probeTimeout time.Duration // a probe not reported after this long is presumed lost
	knownKind    OutcomeKind   // WithKnownPause
	knownUntil   time.Time
	clock        clock.Clock // withClock; the real one by default
}

func defaultPacerConfig() pacerConfig {
	return pacerConfig{
		protection:   DefaultProtection(),
		probeTimeout: 2 * time.Minute,
		clock:        clock.Real{},
	}
}

func (c *pacerConfig) normalize() {
	d := defaultPacerConfig()
	c.protection = c.protection.WithDefaults()
	if c.probeTimeout <= 0 {
		c.probeTimeout = d.probeTimeout
	}
	if c.clock == nil {
		c.clock = d.clock
	}
}

// WithPacerLogger logs a warning when the vendor pauses, is blocked or slows
// down, and an info record when it resumes. NewClient gives the pacer it makes
// the client's WithLogger logger. (It is a PacerOption, which is why it
// cannot be named WithLogger too.)
func WithPacerLogger(l *slog.Logger) PacerOption {
	return func(c *pacerConfig) { c.logger = l }
}

// WithKnownPause starts the pacer knowing of a pause after a 429 (kind
// OutcomeThrottled) or a block (OutcomeBlocked) that lasts until until, as if
// it had seen the answer itself: nothing is let through before until (a
// block fails fast with a *PauseError), then one probe, and the next 429 or
// block counts as the second in a row. It is for a limiter that replaces its
// pacer and must not forget what it knew: coupangredis falls back to a new
// pacer when Redis stops answering, and a vendor paused a moment ago must
// not be sent a burst then. Another kind, or an until not in the future, is
// ignored.
func WithKnownPause(kind OutcomeKind, until time.Time) PacerOption {
	return func(c *pacerConfig) { c.knownKind, c.knownUntil = kind, until }
}

// withProbeTimeout is for tests: how long a probe may stay unreported.
func withProbeTimeout(d time.Duration) PacerOption {
	return func(c *pacerConfig) { c.probeTimeout = d }
}

// withClock is for tests: the clock the pacer and its vendor protection
// read and sleep on (package clock says why).
func withClock(c clock.Clock) PacerOption {
	return func(cfg *pacerConfig) { cfg.clock = c }
}
