package coupangredis

import (
	"sync"
	"time"
)

// SetOnGrant makes l call f with the slot of every start Redis grants, on
// Redis's clock, and whether it was handed to the caller (false: the
// caller's context ended before the slot came, and the slot is forfeited):
// what the limiter decides, free of the scheduling of the goroutine that
// hears of it. Set it before the first Wait.
func SetOnGrant(l *Limiter, f func(slot time.Time, handed bool)) { l.onGrant = f }

// SetOnProbeWait makes l call f each time a Wait is told that another
// process's probe is out and sleeps d before it asks Redis again. Set it
// before the first Wait.
func SetOnProbeWait(l *Limiter, f func(d time.Duration)) { l.onProbeWait = f }

// SetOnAnswer makes l call f with the code of every answer of the wait
// script (0 granted, 1 paused or blocked, 2 probe out, 3 slot ahead). Set it
// before the first Wait.
func SetOnAnswer(l *Limiter, f func(code int)) { l.onAnswer = f }

// SetRTT sets l's estimate of a Wait's round trip to Redis, which sets how
// far ahead Redis may reserve a slot (about two round trips, at most an
// interval). Set it before the first Wait.
func SetRTT(l *Limiter, d time.Duration) { l.rtt.Store(int64(d)) }

// WithFakeClock makes a Limiter read its own time and sleep on c. The
// scripts keep Redis's clock.
func WithFakeClock(c *FakeClock) Option { return withClock(c) }

// FakeClock is a clock the test moves by hand (Advance). Timers fire when
// Advance reaches them; Timers tells of each timer started, so that a test
// moves the clock once the Limiter sleeps.
type FakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
	timerC chan time.Duration
}

type fakeTimer struct {
	at time.Time
	c  chan time.Time
}

// NewFakeClock returns a FakeClock at the wall clock's time, so that what the
// Limiter computes from Redis's answers starts near Redis's clock.
func NewFakeClock() *FakeClock {
	return &FakeClock{now: time.Now(), timerC: make(chan time.Duration, 1024)}
}

// Now returns the clock's time.
func (c *FakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Timer starts a timer that fires when Advance reaches d from now.
func (c *FakeClock) Timer(d time.Duration) (<-chan time.Time, func() bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{at: c.now.Add(d), c: make(chan time.Time, 1)}
	c.timers = append(c.timers, t)
	select {
	case c.timerC <- d:
	default:
	}
	return t.c, func() bool { return c.stop(t) }
}

// Timers receives the duration of each timer started.
func (c *FakeClock) Timers() <-chan time.Duration { return c.timerC }

func (c *FakeClock) stop(t *fakeTimer) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, x := range c.timers {
		if x == t {
			c.timers = append(c.timers[:i], c.timers[i+1:]...)
			return true
		}
	}
	return false
}

// Advance moves the clock on by d and fires the timers due by then.
func (c *FakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	kept := c.timers[:0]
	for _, t := range c.timers {
		if t.at.After(c.now) {
			kept = append(kept, t)
			continue
		}
		t.c <- c.now
	}
	c.timers = kept
}

// PipelineWriters is how many batches a Pipeline may have on the wire at
// once: a test that wants a call left queued keeps that many busy.
const PipelineWriters = pipelineWriters

// PipelineQueued is how many calls wait in p's queue, not yet taken by a
// writer.
func PipelineQueued(p *Pipeline) int { return len(p.queue) }

// PipelineClosing reports that p.Close was called (it may still be waiting
// for its writers).
func PipelineClosing(p *Pipeline) bool { return p.closed() }

// HeldUntil is when what this process knows of a pause or block (its own
// copy, which makes Wait fail fast) ends, on l's clock; zero when nothing is
// held.
func HeldUntil(l *Limiter) time.Time {
	if e := l.known.held(l.clock.Now()); e != nil {
		return e.Until
	}
	return time.Time{}
}
