package coupangredis

import (
	"time"

	"github.com/go-coupang/coupang/internal/clock/clocktest"
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
func WithFakeClock(c *clocktest.Fake) Option { return withClock(c) }

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
