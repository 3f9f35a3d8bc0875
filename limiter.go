package coupang

import (
	"context"
	"fmt"
	"time"
)

// Limiter paces requests. The client calls Wait before every attempt,
// retries included, and gives up the attempt if Wait returns an error.
//
// Coupang's budget is per vendor, not per process: a seller running several
// servers with one vendor id can implement Limiter over a shared store (Redis
// or similar) and pass it with WithLimiter. NewPacer returns the default one,
// which also protects the vendor (see OutcomeReporter); *rate.Limiter from
// golang.org/x/time/rate satisfies Limiter too, without the protection.
type Limiter interface {
	// Wait blocks until one request may be sent, or returns an error (ctx's,
	// or one saying why nothing may be sent now) and sends nothing.
	Wait(ctx context.Context) error
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
	// Kind is what the answer says about the vendor's standing.
	Kind OutcomeKind
	// StatusCode is the HTTP status, 0 when no answer arrived.
	StatusCode int
	// RetryAfter is the server's Retry-After, 0 when it sent none or one that
	// is 0 or a date in the past: a protecting limiter then pauses for its
	// own cool-down, never for nothing.
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
	// Report records the outcome of one attempt. The client calls it before
	// returning to its caller, so it must not block for long; ctx keeps the
	// caller's values but is never cancelled, so that a cancelled caller
	// still releases a probe.
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
	// Waiting is how many callers are queued in Wait.
	Waiting int
}

// StateReader is implemented by a Limiter that can report its LimiterState.
type StateReader interface {
	// State returns the limiter's current view of the vendor.
	State() LimiterState
}

// VendorBound is implemented by a Limiter that paces the budget of one
// vendor only, such as coupangredis.Limiter, whose state in Redis is keyed by
// the vendor id. NewClient refuses such a limiter, with a *ValidationError,
// for a client of another vendor: the client's requests would be counted
// against the wrong budget, and its own vendor's budget split without anyone
// noticing. A limiter that does not implement it (NewPacer's, *rate.Limiter)
// may be given to any client; sharing it between vendors is then the
// caller's choice.
type VendorBound interface {
	// VendorID returns the vendor whose budget the limiter paces.
	VendorID() string
}

// PauseError is returned by a protecting Limiter's Wait, without sending
// anything, while the vendor is blocked, or paused beyond the caller's
// deadline: after a 429, and also after the pause while the one probe sent
// when it ended awaits its answer. A caller whose deadline ends before Until
// gets it at once rather than waiting for its deadline, so that it learns
// why and until when (while a probe is out, only until its answer is due: an
// overdue answer may come any moment, so a caller then waits for it, and
// gets a PauseError, not a bare context.DeadlineExceeded, if its deadline
// comes first). errors.Is matches ErrBlocked for a block and ErrRateLimited
// for a pause after a 429.
type PauseError struct {
	// Kind is OutcomeBlocked or OutcomeThrottled: the reason.
	Kind OutcomeKind
	// Until is when requests may be sent again (one probe first). While a
	// probe is out (Probe), it is when the probe's answer is due: as long
	// after the probe as the pause it follows lasted (a probe that draws
	// another 429 brings a pause at least as long), and once that has
	// passed, when the probe is presumed lost and another may go. A good
	// answer may end the wait sooner: a caller that can wait that long
	// waits for it instead of being refused.
	Until time.Time
	// Probe reports that the pause or block itself has ended and that the one
	// probe sent after it has not been answered yet: no other request may go
	// before its answer.
	Probe bool
}

// Error says why nothing was sent and until when.
func (e *PauseError) Error() string {
	what := "paused after a 429"
	if e.Kind == OutcomeBlocked {
		what = "blocked by Coupang (302 or 403 Access Denied)"
	}
	if e.Probe {
		return fmt.Sprintf("coupang: vendor %s; a probe is out, not sending before its answer (at the latest %s)", what, e.Until.Format(time.RFC3339))
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
