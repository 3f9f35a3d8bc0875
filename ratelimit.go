package coupang

import (
	"context"
	"fmt"
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
}

func newPacer(perSecond float64) *pacer {
	return &pacer{interval: time.Duration(float64(time.Second) / perSecond)}
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
		return fmt.Errorf("coupang: rate limit wait of %v exceeds the context deadline: %w", at.Sub(now).Round(time.Millisecond), context.DeadlineExceeded)
	}
	p.next = at.Add(p.interval)
	p.mu.Unlock()

	wait := at.Sub(now)
	if wait <= 0 {
		return nil
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		p.mu.Lock()
		if p.next.Equal(at.Add(p.interval)) {
			p.next = at
		}
		p.mu.Unlock()
		return ctx.Err()
	}
}
