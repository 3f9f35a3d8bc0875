package coupangredis

import "time"

// clock is where a Limiter reads its own time and sleeps: how long its copy
// of a pause holds callers back, when to ask Redis again after a failure,
// how long to sleep until a slot Redis named. It is the real clock outside
// tests; tests give one they move by hand (withClock), so that they assert
// what the Limiter decides, not how fast a loaded machine ran it. (The core
// pacer has the same seam, pacer_clock.go.)
//
// What the scripts decide stays on Redis's clock (TIME): it is the one clock
// every process shares, whatever their own clocks say, so a slot or a pause
// is never moved by a process whose clock is skewed. Tests control that side
// through short configured durations and the Limiter's test hooks instead.
// Deadlines of Redis calls stay on the real clock too: the network reads
// them.
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

// withClock is for tests: the clock the Limiter reads and sleeps on.
func withClock(c clock) Option {
	return func(cfg *config) error {
		cfg.clock = c
		return nil
	}
}
