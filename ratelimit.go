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

// OutcomeKind classifies what one answer says about the vendor's standing
// with Coupang.
type OutcomeKind int

// The kinds of Outcome a client reports.
const (
	// OutcomeSuccess: a 2xx answer (a business failure included: Coupang's
	// application answered).
	OutcomeSuccess OutcomeKind = iota + 1
	// OutcomeThrottled: a 429. Coupang may keep the vendor locked out for
	// minutes; every request sent meanwhile may prolong it.
	OutcomeThrottled
	// OutcomeBlocked: a 302 redirect or a 403 HTML "Access Denied" page, how
	// Coupang's CDN answers an IP address or vendor it has blocked.
	OutcomeBlocked
	// OutcomeError: any other non-2xx answer.
	OutcomeError
	// OutcomeNoAnswer: the request went out (Wait returned nil) but no answer
	// arrived: a transport error, a timeout or a cancelled context. A limiter
	// that let one probe through must let another go after this.
	OutcomeNoAnswer
)

// Outcome is what the client learned from one attempt, reported to a Limiter
// that implements OutcomeReporter exactly once after every Wait that returned
// nil.
type Outcome struct {
	Kind OutcomeKind
	// StatusCode is the HTTP status, 0 when no answer arrived.
	StatusCode int
	// RetryAfter is the server's Retry-After, 0 when it sent none.
	RetryAfter time.Duration
	// Warning is the X-CAG-Warnings header: Coupang's gateway says the vendor
	// is near its threshold. It may come with any kind, success included.
	Warning string
}

// OutcomeReporter is implemented by a Limiter that protects the vendor
// account: the client reports every attempt's outcome to it, so that a 429, a
// block or a warning seen by one goroutine (or, with a shared limiter, one
// process) pauses or slows all of them. NewPacer's limiter implements it.
type OutcomeReporter interface {
	Report(ctx context.Context, o Outcome)
}

// LimiterState is a protecting limiter's view of the vendor, for metrics and
// dashboards.
type LimiterState struct {
	// Rate is the current pace in requests a second: the configured rate, or
	// less while Coupang warns or errors pile up.
	Rate float64
	// ConfiguredRate is the pace the limiter was made with.
	ConfiguredRate float64
	// PausedUntil is the end of a pause after a 429, zero when not paused.
	PausedUntil time.Time
	// BlockedUntil is the end of the cool-down after a block, zero when not
	// blocked.
	BlockedUntil time.Time
	// Probing reports that one probe request is out and the others wait for
	// its answer.
	Probing bool
}

// StateReader is implemented by a Limiter that can report its LimiterState.
type StateReader interface {
	State() LimiterState
}

// PauseError is returned by a protecting Limiter's Wait, without sending
// anything, while the vendor is blocked, or paused beyond the caller's
// deadline. errors.Is matches ErrBlocked for a block and ErrRateLimited for a
// pause after a 429.
type PauseError struct {
	// Kind is OutcomeBlocked or OutcomeThrottled.
	Kind OutcomeKind
	// Until is when requests may be sent again (one probe first).
	Until time.Time
}

// Error says why nothing was sent and until when.
func (e *PauseError) Error() string {
	what := "paused after a 429"
	if e.Kind == OutcomeBlocked {
		what = "blocked by Coupang (302 or 403 Access Denied)"
	}
	return fmt.Sprintf("coupang: vendor %s; not sending until %s", what, e.Until.Format(time.RFC3339))
}

// Is matches ErrBlocked or ErrRateLimited.
func (e *PauseError) Is(target error) bool {
	switch target {
	case ErrBlocked:
		return e.Kind == OutcomeBlocked
	case ErrRateLimited:
		return e.Kind == OutcomeThrottled
	}
	return false
}
