package coupang

import "time"

// clock is where the pacer and its vendor protection read the time and
// sleep. It is the real clock outside tests; tests give one they move by hand
// (withClock), so that they assert what the pacer decides, not how fast a
// loaded machine ran it.
type clock interface {
	Now() time.Time
	// Timer returns a channel that receives once d has passed, and a
	// function that stops the timer.
	Timer(d time.Duration) (<-chan time.Time, func() bool)
}

// realClock is the wall clock.
type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Timer(d time.Duration) (<-chan time.Time, func() bool) {
	t := time.NewTimer(d)
	return t.C, t.Stop
}
