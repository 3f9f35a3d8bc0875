package coupang

import (
	"context"
	"fmt"
	"math"
	"sync"
	"time"
)

// Limiter paces requests. The client calls Wait before every attempt,
// retries included, and gives up the attempt if Wait returns an error.
//
// Coupang's budget is per vendor, not per process: a seller running several
// servers with one vendor id can implement Limiter over a shared store (Redis
// or similar) and pass it with WithLimiter. *rate.Limiter from
// golang.org/x/time/rate satisfies Limiter.
type Limiter interface {
	Wait(ctx context.Context) error
}

// pacer is a token bucket with a burst of one: requests start at least one
// interval apart. With a burst of one, no window of one second ever holds more
// than the budget, which is what Coupang's per-second counter checks; a larger
// burst could put two seconds' worth of requests into one.
type pacer struct {
	interval time.Duration

	mu   sync.Mutex
	next time.Time // earliest start of the next request
	last time.Time // when the previous request really started
}

// pacerMargin stretches the interval by 1%, which leaves 10 ms in every
// second, whatever the rate, for the jitter between the moment a request is
// let go and the moment it reaches Coupang: exact spacing would put N+1
// arrivals within one second whenever one request is delayed a little more
// than the one N places after it.
const pacerMargin = 0.01

func newPacer(perSecond float64) *pacer {
	// Rounded up, so that budget intervals never add up to less than a second.
	iv := math.Ceil(float64(time.Second) / perSecond * (1 + pacerMargin))
	if iv >= math.MaxInt64 { // a rate so low that the interval does not fit
		return &pacer{interval: math.MaxInt64}
	}
	return &pacer{interval: time.Duration(iv)}
}

// Wait blocks until the caller may send, or until ctx ends. A caller whose
// context ends gives its slot back when no later caller has queued behind it,
// so cancelled waits do not slow the others down.
func (p *pacer) Wait(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	p.mu.Lock()
	now := time.Now()
	at := p.next
	if at.Before(now) {
		at = now
	}
	if deadline, ok := ctx.Deadline(); ok && deadline.Before(at) {
		p.mu.Unlock()
		return fmt.Errorf("rate limit wait of %v exceeds the context deadline: %w", at.Sub(now).Round(time.Millisecond), context.DeadlineExceeded)
	}
	p.next = at.Add(p.interval)
	p.mu.Unlock()

	if wait := at.Sub(now); wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			p.mu.Lock()
			if p.next.Equal(at.Add(p.interval)) {
				p.next = at
			}
			p.mu.Unlock()
			return ctx.Err()
		}
	}
	return p.claim(ctx)
}

// claim records the start of a request at least one interval after the start
// of the previous one, measured when each really started: a caller woken late
// by the scheduler must not let the next one start less than an interval
// after it, or N+1 requests could fall within one second.
func (p *pacer) claim(ctx context.Context) error {
	for {
		p.mu.Lock()
		now := time.Now()
		gap := p.last.Add(p.interval).Sub(now)
		if p.last.IsZero() || gap <= 0 {
			p.last = now
			p.mu.Unlock()
			return nil
		}
		p.mu.Unlock()
		if err := sleepContext(ctx, gap); err != nil {
			return err
		}
	}
}
