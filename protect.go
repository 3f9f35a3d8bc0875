package coupang

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"time"
)

// Vendor protection: what the pacer does with the outcomes the client
// reports. Coupang punishes a vendor that keeps calling after trouble (a 429
// may lock it out for minutes, errors in a burst draw a temporary block), and
// its budget is per vendor, so the state lives here, with the limiter every
// goroutine and client of the vendor shares.

const (
	// maxStorm caps the error-storm widening at 2^4 = 16 times the spacing.
	maxStorm = 4
	// warningDecrease is the multiplicative decrease of the pace on an
	// X-CAG-Warnings answer, at most once per warningGap.
	warningDecrease = 0.5
	warningGap      = time.Second
	// warningFloor: warnings never slow the pace below this share of the
	// configured rate.
	warningFloor = 0.1
	// warningRecovery is the additive increase, as a share of the configured
	// rate, after each good answer without a warning: from half the pace back
	// to the full pace in ten good answers.
	warningRecovery = 0.05
	// maxRetryAfter bounds a Retry-After honoured as a pause. Coupang's
	// lockouts last minutes to tens of minutes; a longer Retry-After more
	// likely comes from a proxy in between, and honouring it whole would
	// stop every caller of the vendor for as long. After this, one probe
	// goes out, and a new 429 pauses again.
	maxRetryAfter = time.Hour
)

// pauseErrorLocked returns a *PauseError while the vendor is blocked, or
// held back by a pause or an unanswered probe until after ctx's deadline: a
// caller that cannot be let through before its deadline learns why and until
// when at once, instead of waiting for its deadline.
func (p *pacer) pauseErrorLocked(ctx context.Context, now time.Time) error {
	e := p.heldLocked(now)
	if e == nil {
		return nil
	}
	if e.Kind == OutcomeBlocked && !e.Probe {
		return e
	}
	if e.Probe && !now.Before(p.probeDueLocked()) {
		return nil // the answer is overdue: it may come any moment
	}
	if deadline, ok := ctx.Deadline(); ok && deadline.Before(e.Until) {
		return e
	}
	return nil
}

// heldLocked describes what holds every request back now: a pause or a block
// that has not ended, or the probe sent after it, unanswered; nil when
// nothing does.
//
// While the probe is out, Until is when its answer is due (probeDueLocked);
// once that has passed, when the probe is presumed lost.
func (p *pacer) heldLocked(now time.Time) *PauseError {
	switch {
	case p.kind == 0:
		return nil
	case now.Before(p.until):
		return &PauseError{Kind: p.kind, Until: p.until}
	case p.probing:
		lost := p.probeSince.Add(p.cfg.probeTimeout)
		switch due := p.probeDueLocked(); {
		case now.Before(due):
			return &PauseError{Kind: p.kind, Until: due, Probe: true}
		case now.Before(lost):
			return &PauseError{Kind: p.kind, Until: lost, Probe: true}
		}
	}
	return nil
}

// probeDueLocked is when the probe's answer is due: as long after the probe
// as the pause it follows lasted, since a probe that draws another 429 brings
// a pause at least that long (the cool-down doubles), and never after the
// probe is presumed lost. A caller whose deadline comes first is told at
// once; one that can wait, or that arrives once the answer is overdue, waits
// for it, which usually takes a round trip.
func (p *pacer) probeDueLocked() time.Time {
	due := p.probeSince.Add(p.until.Sub(p.pausedAt))
	if lost := p.probeSince.Add(p.cfg.probeTimeout); due.After(lost) {
		return lost
	}
	return due
}

// heldError is what a caller gets whose context ended while it waited: the
// *PauseError that held it back when its deadline passed during a pause or a
// probe, rather than a bare context.DeadlineExceeded that does not say why;
// err itself otherwise (a cancelled caller knows why).
func (p *pacer) heldError(err error) error {
	if !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if e := p.heldLocked(p.cfg.clock.Now()); e != nil {
		return e
	}
	return err
}

// gateLocked tells the head of the queue whether it may start now; if not,
// how long to wait (-1: until the state changes).
func (p *pacer) gateLocked(now time.Time) (wait time.Duration, open bool) {
	switch {
	case p.kind == 0:
		return 0, true
	case now.Before(p.until):
		return p.until.Sub(now), false
	case !p.probing:
		return 0, true // this start is the probe
	case now.Sub(p.probeSince) >= p.cfg.probeTimeout:
		// The probe was never reported (a Wait without Report): presume it
		// lost and let another go, rather than stall forever.
		p.probing = false
		return 0, true
	default:
		return p.probeSince.Add(p.cfg.probeTimeout).Sub(now), false
	}
}

// startLocked records a start; after a pause, the first start is the probe.
// The queued callers hear of the probe, so that those whose deadline ends
// before it can be presumed lost leave at once with a *PauseError.
func (p *pacer) startLocked(now time.Time) {
	if p.kind != 0 && !p.probing {
		p.probing, p.probeSince = true, now
		p.broadcastLocked()
	}
}

// Report updates the vendor's standing with the outcome of one attempt.
func (p *pacer) Report(ctx context.Context, o Outcome) {
	now := p.cfg.clock.Now()
	p.mu.Lock()
	was := standing{p.kind, p.until}
	event := p.reportLocked(now, o)
	is := standing{p.kind, p.until}
	p.mu.Unlock()
	if event != nil {
		event(ctx)
	}
	observeStanding(ctx, was, is)
}

// reportLocked applies o and returns the log record to write, if any, once
// the lock is released.
func (p *pacer) reportLocked(now time.Time, o Outcome) func(context.Context) {
	var logs []func(context.Context)
	if o.Warning != "" {
		logs = append(logs, p.warnedLocked(now, o))
	}
	switch o.Kind {
	case OutcomeThrottled:
		logs = append(logs, p.throttledLocked(now, o))
	case OutcomeBlocked:
		logs = append(logs, p.blockedLocked(now, o))
	case OutcomeError:
		logs = append(logs, p.answeredLocked(now, false, o), p.erredLocked(now, o))
	case OutcomeSuccess:
		logs = append(logs, p.answeredLocked(now, true, o))
	default: // no answer: a probe that got none lets another go
		if p.probing {
			p.probing = false
			p.broadcastLocked()
		}
	}
	return logAll(logs)
}

// logAll writes the records of logs that are not nil.
func logAll(logs []func(context.Context)) func(context.Context) {
	return func(ctx context.Context) {
		for _, l := range logs {
			if l != nil {
				l(ctx)
			}
		}
	}
}

// throttledLocked pauses the vendor after a 429: for Retry-After if given,
// else for the exponential cool-down. A 429 that answers a request sent before
// the pause began (while paused, no probe out) adds nothing but a longer
// Retry-After: it is not a new failure.
func (p *pacer) throttledLocked(now time.Time, o Outcome) func(context.Context) {
	fresh := p.kind == 0 || p.probing
	if !fresh {
		if o.RetryAfter > 0 {
			p.extendLocked(now.Add(min(o.RetryAfter, maxRetryAfter)))
		}
		return nil
	}
	p.throttles++
	d := backoffStep(p.cfg.protection.Cooldown, p.cfg.protection.MaxCooldown, p.throttles)
	if o.RetryAfter > 0 {
		d = min(o.RetryAfter, maxRetryAfter)
	}
	p.kind, p.probing = OutcomeThrottled, false
	p.until, p.pausedAt = now.Add(d), now
	p.broadcastLocked()
	until, n := p.until, p.throttles
	return p.logf(slog.LevelWarn, "coupang: vendor paused after a 429; one probe when the pause ends",
		slog.Int("status", o.StatusCode), slog.Time("until", until), slog.Duration("pause", d), slog.Int("inARow", n))
}

// blockedLocked starts a cool-down after a 302 or a 403 HTML block, during
// which Wait fails fast.
func (p *pacer) blockedLocked(now time.Time, o Outcome) func(context.Context) {
	if p.kind == OutcomeBlocked && !p.probing {
		return nil // an answer to a request sent before the block began
	}
	p.blocks++
	d := backoffStep(p.cfg.protection.BlockCooldown, p.cfg.protection.MaxBlockCooldown, p.blocks)
	if o.RetryAfter > d {
		d = min(o.RetryAfter, maxRetryAfter)
	}
	p.kind, p.probing = OutcomeBlocked, false
	p.until, p.pausedAt = later(p.until, now.Add(d)), now
	p.broadcastLocked()
	until, n := p.until, p.blocks
	return p.logf(slog.LevelWarn, "coupang: vendor blocked by Coupang; calls fail with ErrBlocked until the cool-down ends, then one probe",
		slog.Int("status", o.StatusCode), slog.Time("until", until), slog.Int("inARow", n))
}

// answeredLocked handles an answer that is neither a 429 nor a block: if it
// answers the probe, the pause is over. A success also ends an error storm
// and recovers part of the pace a warning took.
func (p *pacer) answeredLocked(now time.Time, success bool, o Outcome) func(context.Context) {
	var logs []func(context.Context)
	if p.kind != 0 && p.probing {
		was := p.kind
		p.kind, p.probing, p.until = 0, false, time.Time{}
		if was == OutcomeBlocked {
			p.blocks = 0
		} else {
			p.throttles = 0
		}
		p.broadcastLocked()
		logs = append(logs, p.logf(slog.LevelInfo, "coupang: probe answered; vendor resumes", slog.Int("status", o.StatusCode)))
	}
	if success {
		if p.kind == 0 {
			p.throttles, p.blocks = 0, 0
		}
		p.errs = p.errs[:0]
		changed := false
		if p.storm > 0 {
			p.storm, changed = 0, true
			logs = append(logs, p.logf(slog.LevelInfo, "coupang: answers good again; error-storm slowdown ends"))
		}
		if o.Warning == "" && p.aimd < p.configured {
			p.aimd, changed = min(p.configured, p.aimd+p.configured*warningRecovery), true
		}
		if changed {
			p.applyRateLocked(now)
		}
	}
	return logAll(logs)
}

// erredLocked counts a non-2xx answer; several within the storm window widen
// the spacing, again for every further storm, until an answer is good.
func (p *pacer) erredLocked(now time.Time, o Outcome) func(context.Context) {
	cut := 0
	for cut < len(p.errs) && now.Sub(p.errs[cut]) > p.cfg.protection.StormWindow {
		cut++
	}
	p.errs = append(p.errs[cut:], now)
	if len(p.errs) < p.cfg.protection.StormErrors {
		return nil
	}
	p.errs = p.errs[:0]
	if p.storm >= maxStorm {
		return nil
	}
	p.storm++
	p.applyRateLocked(now)
	r, n := p.effectiveLocked(), p.cfg.protection.StormErrors
	return p.logf(slog.LevelWarn, "coupang: error storm; widening the spacing until answers are good",
		slog.Int("status", o.StatusCode), slog.Int("errors", n), slog.Float64("rate", r))
}

// warnedLocked slows down on X-CAG-Warnings: the gateway says the vendor is
// near its threshold.
func (p *pacer) warnedLocked(now time.Time, o Outcome) func(context.Context) {
	if !p.lastDecrease.IsZero() && now.Sub(p.lastDecrease) < warningGap {
		return nil
	}
	floor := max(p.configured*warningFloor, MinRateLimit)
	if p.aimd <= floor {
		return nil
	}
	p.lastDecrease = now
	p.aimd = max(floor, p.aimd*warningDecrease)
	p.applyRateLocked(now)
	r := p.effectiveLocked()
	warning := o.Warning
	if len(warning) > 200 {
		warning = warning[:200]
	}
	return p.logf(slog.LevelWarn, "coupang: X-CAG-Warnings; slowing down",
		slog.String("warning", warning), slog.Float64("rate", r))
}

// effectiveLocked is the pace now: the warning-adjusted rate, divided in an
// error storm, never below MinRateLimit.
func (p *pacer) effectiveLocked() float64 {
	return max(MinRateLimit, p.aimd/float64(int(1)<<p.storm))
}

// applyRateLocked sets the limiter and the start spacing to the current pace.
func (p *pacer) applyRateLocked(now time.Time) {
	r := p.effectiveLocked()
	p.interval = intervalFor(r)
	p.lim.SetLimitAt(now, limitFor(r))
}

// extendLocked makes the pause last at least until t.
func (p *pacer) extendLocked(t time.Time) {
	if t.After(p.until) {
		p.until = t
		p.broadcastLocked()
	}
}

// State reports the vendor's standing, for metrics.
func (p *pacer) State() LimiterState {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := LimiterState{
		Rate:           p.effectiveLocked(),
		ConfiguredRate: p.configured,
		Probing:        p.probing,
		Waiting:        len(p.queue),
	}
	switch p.kind {
	case OutcomeThrottled:
		s.PausedUntil = p.until
	case OutcomeBlocked:
		s.BlockedUntil = p.until
	}
	return s
}

// backoffStep is first doubled n-1 times, at most maxWait.
func backoffStep(first, maxWait time.Duration, n int) time.Duration {
	f := float64(first) * math.Pow(2, float64(n-1))
	if f >= float64(maxWait) {
		return maxWait
	}
	return time.Duration(f)
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// logf returns a function that logs one record, or nil without a logger.
func (p *pacer) logf(level slog.Level, msg string, attrs ...slog.Attr) func(context.Context) {
	l := p.cfg.logger
	if l == nil {
		return nil
	}
	return func(ctx context.Context) { l.LogAttrs(ctx, level, msg, attrs...) }
}

var _ interface {
	Limiter
	OutcomeReporter
	StateReader
} = (*pacer)(nil)
