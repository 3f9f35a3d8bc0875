package main

import (
	"fmt"
	"io"

	"github.com/go-coupang/coupang"
)

// act is one write on one record as the newer write commands carry it out
// (returns confirm, approve, stop, shipped, pickup-invoice; exchanges
// pickup-invoice), whatever the kind: refuse what the state does not
// allow, say "already done" without sending anything, print what a dry run
// would send, or send it through the SDK's Ensure… call, which writes at
// most once.
type act struct {
	// what names the record: "return 500100001".
	what string
	// state is the action's state, from the record's Actions.
	state coupang.ActionState
	// done reports that the wanted state is there already.
	done bool
	// describe is the record's state, for messages, terminal-safe.
	describe string
	// cannot completes "<what> cannot …": "be approved".
	cannot string
	// would completes "would …" and did "<what>: …": what is sent,
	// "approve with cancelCount 2" and "approved with cancelCount 2".
	would, did string
	// already completes "<what>: …" when done: "already approved".
	already string
	// next, when set, is the command to run next.
	next string
	// forceHint, for a command with --force, is how to override an early
	// action (ActionState.Early); force reports --force given.
	forceHint string
	force     bool
	dryRun    bool
	// send writes, through an Ensure… call.
	send func() error
}

// run carries a out; its messages go to stdout, a warning to stderr.
func (a act) run(stdout, stderr io.Writer) error {
	st := a.state
	switch {
	case !a.done && !st.Allowed:
		why := st.Why
		if why == "" {
			// Actions explains only what is not done; a waybill other
			// than the one on the record is not done, and yet its state
			// may have moved on.
			why = "its state no longer allows it"
		}
		return fmt.Errorf("%s cannot %s: %s (%s)", a.what, a.cannot, why, a.describe)
	case !a.done && st.Early && a.forceHint != "" && !a.force:
		return fmt.Errorf("%s: not sent: %s. %s", a.what, st.Why, a.forceHint)
	}
	var err error
	switch {
	case a.done && a.dryRun:
		_, err = fmt.Fprintf(stdout, "%s: %s (%s); nothing to do\n", a.what, a.already, a.describe)
	case a.done:
		_, err = fmt.Fprintf(stdout, "%s: %s (%s); nothing sent\n", a.what, a.already, a.describe)
	case a.dryRun:
		_, err = fmt.Fprintf(stdout, "%s: would %s (%s) [dry run: nothing sent]\n", a.what, a.would, a.describe)
	default:
		if st.Early && a.forceHint != "" {
			fmt.Fprintf(stderr, "%s: sending with --force although %s\n", a.what, st.Why)
		}
		if err := a.send(); err != nil {
			return err
		}
		_, err = fmt.Fprintf(stdout, "%s: %s\n", a.what, a.did)
		if err == nil && a.next != "" {
			_, err = fmt.Fprintf(stdout, "next: %s\n", a.next)
		}
	}
	return err
}
