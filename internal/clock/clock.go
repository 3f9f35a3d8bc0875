// Package clock is the seam where the core pacer (NewPacer) and
// coupangredis's Limiter read the time and sleep, for every module of the
// repository. Outside tests it is the wall clock (Real); tests give one they
// move by hand (package clocktest), so that they assert what the pacer or
// the limiter decides, not how fast a loaded machine ran it: a wait of an
// hour costs nothing, and no assertion depends on when the scheduler let a
// goroutine run.
package clock

import "time"

// Clock is where the pacer and the limiter read the time and sleep.
type Clock interface {
	Now() time.Time
	// Timer returns a channel that receives once d has passed, and a
	// function that stops the timer.
	Timer(d time.Duration) (<-chan time.Time, func() bool)
}

// Real is the wall clock.
type Real struct{}

// Now returns time.Now().
func (Real) Now() time.Time { return time.Now() }

// Timer starts a time.Timer of d.
func (Real) Timer(d time.Duration) (<-chan time.Time, func() bool) {
	t := time.NewTimer(d)
	return t.C, t.Stop
}
