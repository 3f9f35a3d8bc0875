// Package clocktest is the clock the tests of every module move by hand, for
// the seam of package clock: the pacer's and the limiter's decisions then
// depend on the times the test sets, not on how fast a loaded machine runs
// them. It is for tests only.
package clocktest

import (
	"sync"
	"time"

	"github.com/go-coupang/coupang/internal/clock"
)

var _ clock.Clock = (*Fake)(nil)

// Fake is a clock.Clock the test moves by hand (Advance). Timers fire when
// Advance reaches them; Timers tells of each timer started, so that a test
// moves the clock once the code under test sleeps.
type Fake struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
	timerC chan time.Duration
}

type fakeTimer struct {
	at time.Time
	c  chan time.Time
}

// NewFake returns a Fake at start. A fixed start keeps a test's times the
// same on every run; a test whose code also reads another clock (Redis's
// TIME) starts at time.Now() instead, so that what it computes from that
// clock's answers starts near it.
func NewFake(start time.Time) *Fake {
	return &Fake{now: start, timerC: make(chan time.Duration, 1024)}
}

// Now returns the clock's time.
func (c *Fake) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Timer starts a timer that fires when Advance reaches d from now. A timer
// of d <= 0 has fired already: its channel holds the time, and stopping it
// reports false, as a time.Timer that fired.
func (c *Fake) Timer(d time.Duration) (<-chan time.Time, func() bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{at: c.now.Add(d), c: make(chan time.Time, 1)}
	select {
	case c.timerC <- d:
	default: // nobody reads Timers: the first 1024 are kept, the rest not told
	}
	if d <= 0 {
		t.c <- c.now
		return t.c, func() bool { return false }
	}
	c.timers = append(c.timers, t)
	return t.c, func() bool { return c.stop(t) }
}

// Timers receives the duration of each timer started (the first 1024 not
// yet received are kept).
func (c *Fake) Timers() <-chan time.Duration { return c.timerC }

func (c *Fake) stop(t *fakeTimer) bool {
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
func (c *Fake) Advance(d time.Duration) {
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
