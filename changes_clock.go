package coupang

import (
	"errors"
	"fmt"
	"time"
)

// ErrClockJump means that a pass of Changes was refused, before it listed or forgot
// anything, because its clock is further past the store's last complete
// pass than the pass reaches back (its look-back, or From when that is
// earlier). Either the clock is wrong, and the pass would forget every
// exchange, which would all come again as new once the clock is right; or
// the worker really was stopped that long, and the exchanges created in
// between would never be listed. A *ClockJumpError says when. After a real
// stop, set ChangeOptions.From to the last pass (or earlier) to list the gap,
// or ChangeOptions.AcceptClockJump to skip it.
var ErrClockJump = errors.New("coupang: the clock is past the change store's last pass by more than the look-back")

// ClockJumpError is the error of a pass refused for ErrClockJump, which it
// matches.
type ClockJumpError struct {
	// LastPass is the store's last complete pass (ChangePass.LastPass).
	LastPass time.Time
	// Now is the refused pass's clock.
	Now time.Time
	// From is how far back the pass reaches (ChangeOptions.From or now −
	// Lookback, the earlier): it would have forgotten what was created
	// before it, and listed nothing created between LastPass and it.
	From time.Time
}

// Error says when the last pass was and how to go on.
func (e *ClockJumpError) Error() string {
	return fmt.Sprintf("coupang: change pass refused: its clock (%s) is %s past the store's last complete pass (%s) and it would list only from %s; "+
		"if the clock is right, set ChangeOptions.From to %s to list the requests (exchanges or returns) created in between, or ChangeOptions.AcceptClockJump to skip them",
		e.Now.Format(time.RFC3339), e.Now.Sub(e.LastPass).Round(time.Second), e.LastPass.Format(time.RFC3339),
		e.From.Format(time.RFC3339), e.LastPass.Format(time.RFC3339))
}

// Is matches ErrClockJump.
func (e *ClockJumpError) Is(target error) bool { return target == ErrClockJump }
