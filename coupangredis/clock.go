package coupangredis

import "github.com/go-coupang/coupang/internal/clock"

// withClock is for tests: the clock the Limiter reads its own time and
// sleeps on (the seam the core pacer shares; package clock says why). That
// clock says how long its copy of a pause holds callers back, when to ask
// Redis again after a failure, how long to sleep until a slot Redis named;
// it is the real one outside tests.
//
// What the scripts decide stays on Redis's clock (TIME): it is the one clock
// every process shares, whatever their own clocks say, so a slot or a pause
// is never moved by a process whose clock is skewed. Tests control that side
// through short configured durations and the Limiter's test hooks instead.
// Deadlines of Redis calls stay on the real clock too: the network reads
// them.
func withClock(c clock.Clock) Option {
	return func(cfg *config) error {
		cfg.clock = c
		return nil
	}
}
