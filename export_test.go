package coupang

import "time"

// Unexported parts that the external tests (package coupang_test) reach.

// Sign is sign, for the signature's golden tests and its fuzz target.
var Sign = sign

// WithChangeClock returns opts with the pass's clock set to now, for the
// tests of Changes that move time.
func WithChangeClock(opts ChangeOptions, now func() time.Time) ChangeOptions {
	opts.now = now
	return opts
}

// ChangeClock is the clock WithChangeClock set on opts, nil when none.
func ChangeClock(opts ChangeOptions) func() time.Time { return opts.now }
