package coupangotel

import "time"

// WithClock replaces the clock coupang.vendor.paused reads, for tests that
// must see a pause whose real end has already passed.
func WithClock(now func() time.Time) Option {
	return func(c *config) { c.now = now }
}

// ErrorType is errorType, for its table test.
var ErrorType = errorType
