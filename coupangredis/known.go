package coupangredis

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/internal/clock"
)

// known is this process's own copy of the vendor's protection state: every
// pause, block and probe it has heard of, from Redis's answers to its Waits
// and Reports, and from the answers it got itself while Redis was away.
//
// Redis is the shared truth, but it can die, restart empty or be cut off in
// the middle of a pause. Without a copy, the process would then start afresh
// and send a burst into the lockout: the fallback pacer starts from this
// copy (WithKnownPause), and every Wait hands it to Redis, which takes it
// when it has lost the pause (waitScript), so that the other processes
// honour it too and one probe goes first when it ends.
type known struct {
	mu         sync.Mutex
	kind       coupang.OutcomeKind // OutcomeThrottled or OutcomeBlocked; 0 for none
	until      time.Time           // end of the pause or block
	probeKind  coupang.OutcomeKind // the pause another process's probe follows
	probeDue   time.Time           // when that probe's answer is due
	probeUntil time.Time           // when its lease ends
	probeSeen  time.Time           // when Redis last said that probe was out
	changed    chan struct{}       // closed and replaced on every change
	clock      clock.Clock         // the Limiter's

	// recheck is how long Redis's word that another process's probe is
	// out holds callers back here. That probe may be answered any moment,
	// and only Redis hears of it: a copy trusted until the answer was due
	// (up to the 15 s lease) kept refusing callers for that long after the
	// probe had succeeded. An interval, the pace at which a waiting caller
	// asks Redis again, bounds both how late the process hears of the
	// answer and how often it asks.
	recheck time.Duration
}

func newKnown(c clock.Clock) *known { return &known{changed: make(chan struct{}), clock: c} }

// pause records a pause (OutcomeThrottled) or block (OutcomeBlocked) that
// lasts until until. A block outranks a pause that runs meanwhile, as in
// Redis (reportScript); a pause only ever grows, since Redis ends one only
// after its end has passed.
func (k *known) pause(kind coupang.OutcomeKind, until time.Time) {
	if kind != coupang.OutcomeThrottled && kind != coupang.OutcomeBlocked {
		return
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if now := k.clock.Now(); now.Before(k.until) {
		if k.kind == coupang.OutcomeBlocked && kind != coupang.OutcomeBlocked {
			return // an answer sent before the block began
		}
		if !until.After(k.until) && kind == k.kind {
			return
		}
		until = later(until, k.until)
	}
	k.kind, k.until = kind, until
	k.probeKind, k.probeDue, k.probeUntil = 0, time.Time{}, time.Time{}
	k.broadcastLocked()
}

// probe records that another process holds the probe sent after a pause of
// kind, whose answer is due at due and whose lease ends at until, as Redis
// said at now.
func (k *known) probe(kind coupang.OutcomeKind, due, until, now time.Time) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if kind != 0 {
		k.probeSeen = now
	}
	if kind == 0 || (kind == k.probeKind && until.Equal(k.probeUntil) && due.Equal(k.probeDue)) {
		return
	}
	k.probeKind, k.probeDue, k.probeUntil = kind, due, until
	k.broadcastLocked()
}

// clearProbe records that no probe holds anyone back: Redis granted a start.
func (k *known) clearProbe() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.probeKind, k.probeDue, k.probeUntil = 0, time.Time{}, time.Time{}
}

// resumed records that a probe was answered well: the pause is over.
func (k *known) resumed() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.kind, k.until = 0, time.Time{}
	k.probeKind, k.probeDue, k.probeUntil = 0, time.Time{}, time.Time{}
	k.broadcastLocked()
}

func (k *known) broadcastLocked() {
	close(k.changed)
	k.changed = make(chan struct{})
}

// changes returns a channel closed at the next change.
func (k *known) changes() <-chan struct{} {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.changed
}

// held describes what holds every request back now, as far as this process
// knows: a pause or block that has not ended, or another process's probe
// (Until is then when its answer is due, and once that has passed when its
// lease ends), as the client's pacer does; nil when nothing does.
func (k *known) held(now time.Time) *coupang.PauseError {
	k.mu.Lock()
	defer k.mu.Unlock()
	switch {
	case k.kind != 0 && now.Before(k.until):
		return &coupang.PauseError{Kind: k.kind, Until: k.until}
	case k.probeKind != 0 && now.Before(k.probeDue):
		return &coupang.PauseError{Kind: k.probeKind, Until: k.probeDue, Probe: true}
	case k.probeKind != 0 && now.Before(k.probeUntil):
		return &coupang.PauseError{Kind: k.probeKind, Until: k.probeUntil, Probe: true}
	}
	return nil
}

// running is the pause or block that has not ended, for the fallback and
// for Redis (probe false), or the probe that another process sent after it
// and nobody here knows the answer to, with when its lease ends (probe
// true); kind 0 when there is neither.
func (k *known) running(now time.Time) (kind coupang.OutcomeKind, until time.Time, probe bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	switch {
	case k.kind != 0 && now.Before(k.until):
		return k.kind, k.until, false
	case k.probeKind != 0 && now.Before(k.probeUntil):
		return k.probeKind, k.probeUntil, true
	}
	return 0, time.Time{}, false
}

// refuse returns the *PauseError that ends a Wait at once: a block, or a
// pause, or a probe whose answer is due, that holds requests back until
// after ctx's deadline. A caller that arrives once the answer is overdue
// waits for it, as with the client's pacer. Another process's probe counts
// only for recheck after Redis last told of it: then the caller asks Redis,
// which knows whether it has been answered.
func (k *known) refuse(ctx context.Context, now time.Time) error {
	e := k.held(now)
	if e == nil {
		return nil
	}
	if e.Kind == coupang.OutcomeBlocked && !e.Probe {
		return e
	}
	if e.Probe {
		due, seen := k.probeTimes()
		if !now.Before(due) {
			return nil // the answer is overdue: it may come any moment
		}
		if now.Sub(seen) >= k.recheck {
			return nil // it may have been answered: ask Redis
		}
	}
	if d, ok := ctx.Deadline(); ok && d.Before(e.Until) {
		return e
	}
	return nil
}

// probeTimes is when the answer to another process's probe is due, and
// when Redis last said it was out.
func (k *known) probeTimes() (due, seen time.Time) {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.probeDue, k.probeSeen
}

// heldError is what a caller gets whose context ended while it waited: the
// *PauseError that held it back when its deadline passed during a pause or a
// probe, rather than a bare context.DeadlineExceeded; err itself otherwise.
func (k *known) heldError(err error) error {
	if !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if e := k.held(k.clock.Now()); e != nil {
		return e
	}
	return err
}

// learnFallback copies what the fallback pacer learned from the answers of
// this process while Redis was away.
func (k *known) learnFallback(s coupang.LimiterState) {
	if !s.BlockedUntil.IsZero() {
		k.pause(coupang.OutcomeBlocked, s.BlockedUntil)
	}
	if !s.PausedUntil.IsZero() {
		k.pause(coupang.OutcomeThrottled, s.PausedUntil)
	}
}

// kindName is an OutcomeKind as the scripts name it.
func kindName(k coupang.OutcomeKind) string {
	switch k {
	case coupang.OutcomeThrottled:
		return "throttled"
	case coupang.OutcomeBlocked:
		return "blocked"
	}
	return ""
}

// kindOf is the OutcomeKind a script names.
func kindOf(s string) coupang.OutcomeKind {
	switch s {
	case "throttled":
		return coupang.OutcomeThrottled
	case "blocked":
		return coupang.OutcomeBlocked
	}
	return 0
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
