package claims

import (
	"context"
	"fmt"
)

// Ensure is one idempotent action on one record: look, act, and resolve an
// unclear answer by looking again, so that the write takes effect once.
type Ensure[R any] struct {
	// ID is the record's id, the key of the lock.
	ID int64
	// Done reports whether the action's effect is there.
	Done func(*R) bool
	// Check returns nil if the action can be sent in this state, or why
	// not.
	Check func(*R) error
	// Send sends the write.
	Send func(*R) error
	// Read reads the record's current state again.
	Read func(context.Context) (*R, error)
	// Unknown reports an answer that leaves open whether the write was
	// applied; Refused one that refused it (a business failure), which may
	// be about a state the copy did not show. Both are resolved by reading
	// again; any other error is returned as it is.
	Unknown, Refused func(error) bool
	// ReadFailed is the error when reading again after sendErr failed.
	ReadFailed func(readErr, sendErr error) error
	// Step, when set, hears each step that decides what is sent (for an
	// Observer): found done, sending, reading again after an unclear
	// answer.
	Step func(Step)
}

// Step is one step of an Ensure that decides what is sent.
type Step int

// The steps Ensure reports.
const (
	// AlreadyDone: the effect is there; nothing is sent.
	AlreadyDone Step = iota + 1
	// Sending: the write goes out.
	Sending
	// Reading: the write's answer was unclear; the record is read again.
	Reading
)

func (e Ensure[R]) step(s Step) {
	if e.Step != nil {
		e.Step(s)
	}
}

// Run applies the action to given, a copy of the record that may be
// stale: nothing is sent when given already shows the effect; otherwise,
// under the record's lock, the record is read again and the write sent
// while the state allows it. After an unknown outcome or a refusal the
// record is read before anything else is sent: effect there → nil; state
// no longer allows it → Check's error (wrapping the answer); still not
// applied after an unknown outcome → one more write (a repeated write is
// refused or harmless, see each caller); unknown twice or refused in a
// state that allows it → the answer's error.
func (e Ensure[R]) Run(ctx context.Context, locks *Locks, given R) error {
	if e.Done(&given) {
		e.step(AlreadyDone)
		return nil
	}
	unlock, err := locks.Lock(ctx, e.ID)
	if err != nil {
		return err
	}
	defer unlock()

	// The given copy may be stale: another worker may have acted since.
	cur, err := e.Read(ctx)
	if err != nil {
		return err
	}
	retried := false
	for {
		if e.Done(cur) {
			e.step(AlreadyDone)
			return nil
		}
		if err := e.Check(cur); err != nil {
			return err
		}
		e.step(Sending)
		sendErr := e.Send(cur)
		if sendErr == nil {
			return nil
		}
		unknown := e.Unknown(sendErr)
		if !unknown && !e.Refused(sendErr) {
			return sendErr // certainly not applied, and not about the state
		}
		// Applied or not? Only reading again can tell.
		e.step(Reading)
		again, err := e.Read(ctx)
		if err != nil {
			return e.ReadFailed(err, sendErr)
		}
		cur = again
		if e.Done(cur) {
			return nil
		}
		if err := e.Check(cur); err != nil {
			return fmt.Errorf("%w (the write was answered: %w)", err, sendErr)
		}
		if !unknown || retried {
			// Refused in a state that allows the action, or unknown twice.
			return sendErr
		}
		retried = true // certainly not applied: one more attempt
	}
}
