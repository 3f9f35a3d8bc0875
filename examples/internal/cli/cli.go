// Package cli holds what the examples share: choosing between a real
// Coupang account (the COUPANG_* environment variables) and the in-process
// sandbox, parsing flags and dates, and reporting errors on one line with the
// right exit code.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
	"github.com/go-coupang/coupang/internal/connect"
	"github.com/go-coupang/coupang/internal/termsafe"
)

// Exit codes of the examples.
const (
	ExitOK    = 0
	ExitAPI   = 1 // Coupang (or the network) answered with an error
	ExitUsage = 2 // bad flags, dates or environment
)

// EnvHelp describes the environment variables, for the examples' -help.
const EnvHelp = `Environment:
  COUPANG_ACCESS_KEY, COUPANG_SECRET_KEY, COUPANG_VENDOR_ID
        your Open API keys and vendor id (A00012345); set all three to use
        your Coupang account
  COUPANG_BASE_URL
        optional: another gateway, such as a coupangtest server; set alone
        to a loopback address (a sandbox started with "coupang sandbox"),
        the sandbox's default keys are used; requests with any other keys
        are paced to Coupang's budget, also at a loopback address
  With none of them set, the example starts the in-process sandbox
  (package coupangtest) with deterministic invented data.
`

// Env is where an example sends its requests.
type Env struct {
	// Client calls Coupang or the sandbox.
	Client *coupang.Client
	// Sandbox is the in-process sandbox, or nil on a real account.
	Sandbox *coupangtest.Server
}

// Close stops the sandbox, if one was started.
func (e *Env) Close() {
	if e.Sandbox != nil {
		e.Sandbox.Close()
	}
}

// Connect returns a client for the account in the COUPANG_* environment
// variables, or, when none is set, for an in-process sandbox started with
// sandboxOpts. It says which on stderr. COUPANG_BASE_URL alone pointing at a
// loopback address uses the sandbox's default keys there (a sandbox kept
// running with `coupang sandbox`). Setting some of the variables but not all
// the required ones is a usage error. The coupang command chooses the same
// way (package internal/connect).
func Connect(stderr io.Writer, sandboxOpts ...coupangtest.Option) (*Env, error) {
	t, err := connect.FromEnv(stderr, "", sandboxOpts...)
	if err != nil {
		var usage *connect.UsageError
		if errors.As(err, &usage) {
			return nil, Usagef("%v", err)
		}
		return nil, err
	}
	return &Env{Client: t.Client, Sandbox: t.Sandbox}, nil
}

// UsageError is a mistake in how the example was called: exit code 2.
type UsageError struct{ msg string }

// Error returns the message.
func (e *UsageError) Error() string { return e.msg }

// Usagef returns a *UsageError.
func Usagef(format string, args ...any) error {
	return &UsageError{msg: fmt.Sprintf(format, args...)}
}

// errHelp reports that -help was asked for and printed.
var errHelp = errors.New("help printed")

// Parse parses args with fs. It prints the usage to stdout and returns an
// error that Exit turns into 0 for -h and -help; any other mistake, extra
// arguments included, is a *UsageError.
func Parse(fs *flag.FlagSet, args []string, stdout io.Writer) error {
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stdout)
			fs.Usage()
			return errHelp
		}
		return Usagef("%v (see -help)", err)
	}
	if fs.NArg() > 0 {
		return Usagef("unexpected argument %q (see -help)", fs.Arg(0))
	}
	return nil
}

// Usage returns a flag.FlagSet.Usage function that prints synopsis, the
// flags and then more (such as EnvHelp) to the flag set's output.
func Usage(fs *flag.FlagSet, synopsis, more string) func() {
	return func() {
		w := fs.Output()
		fmt.Fprintf(w, "%s\n\nFlags:\n", strings.TrimSpace(synopsis))
		fs.PrintDefaults()
		if more != "" {
			fmt.Fprintf(w, "\n%s", more)
		}
	}
}

// Required returns a usage error naming the first flag whose value is its
// zero value.
func Required(flags map[string]bool) error {
	for _, name := range slices.Sorted(maps.Keys(flags)) {
		if !flags[name] {
			return Usagef("-%s is required (see -help)", name)
		}
	}
	return nil
}

// Exit reports err on stderr as one line prefixed with the example's name
// and returns the exit code: 0 for nil and -help, 2 for usage mistakes and
// input the client refused before sending, 1 for everything else.
func Exit(name string, stderr io.Writer, err error) int {
	if err == nil || errors.Is(err, errHelp) {
		return ExitOK
	}
	msg := err.Error()
	if hint := connect.RefusedHint(err); hint != "" {
		msg += "; " + hint
	}
	fmt.Fprintf(stderr, "%s: %s\n", name, Line(msg))
	var usage *UsageError
	var invalid *coupang.ValidationError
	if errors.As(err, &usage) || errors.As(err, &invalid) {
		return ExitUsage
	}
	return ExitAPI
}

// DateLayout is how the examples take dates.
const DateLayout = "2006-01-02"

// ParseDay parses a YYYY-MM-DD date as the start of that day in Korea time.
func ParseDay(flagName, s string) (time.Time, error) {
	t, err := time.ParseInLocation(DateLayout, s, coupang.KoreaLocation())
	if err != nil {
		return time.Time{}, Usagef("-%s %q: want a date as YYYY-MM-DD", flagName, s)
	}
	return t, nil
}

// DayRange turns -from and -to dates (YYYY-MM-DD, Korea time, both days
// included) into a creation-time range. An empty to is today; an empty from
// is days-1 days before to, so the range covers days days. The end is
// clamped to now.
func DayRange(from, to string, days int, now time.Time) (start, end time.Time, err error) {
	now = now.In(coupang.KoreaLocation())
	last := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, coupang.KoreaLocation())
	if to != "" {
		if last, err = ParseDay("to", to); err != nil {
			return time.Time{}, time.Time{}, err
		}
	}
	first := last.AddDate(0, 0, -(days - 1))
	if from != "" {
		if first, err = ParseDay("from", from); err != nil {
			return time.Time{}, time.Time{}, err
		}
	}
	if first.After(now) {
		return time.Time{}, time.Time{}, Usagef("-from %s is in the future", first.Format(DateLayout))
	}
	if last.Before(first) {
		return time.Time{}, time.Time{}, Usagef("-to %s is before -from %s", last.Format(DateLayout), first.Format(DateLayout))
	}
	end = last.AddDate(0, 0, 1).Add(-time.Second)
	if end.After(now) {
		end = now.Truncate(time.Second)
	}
	return first, end, nil
}

// ParseStatus checks an exchange status given on the command line; "" means
// all.
func ParseStatus(s string) (coupang.ExchangeStatus, error) {
	st := coupang.ExchangeStatus(strings.ToUpper(strings.TrimSpace(s)))
	if st == "" || st.Known() {
		return st, nil
	}
	return "", Usagef("-status %q: want RECEIPT, PROGRESS, SUCCESS, REJECT or CANCEL", s)
}

// FormatTime formats a Coupang time for a table, in Korea time.
func FormatTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(coupang.KoreaLocation()).Format("2006-01-02 15:04:05")
}

// Safe returns text from Coupang (a message, a code outside the tables, a
// record's text) with everything that could act on a terminal shown
// escaped: escape sequences, control and bidi characters (package
// termsafe, which the coupang command uses too). Print no server text
// without it.
func Safe(s string) string { return termsafe.String(s) }

// Line is Safe on one line: runs of white space, line breaks included,
// become one space. Error messages go through it.
func Line(s string) string { return termsafe.Line(s) }

// JSON returns encoded JSON with every character that could act on a
// terminal written as a JSON escape (\u202e): the bytes are inert, and a
// JSON reader decodes the very same strings. For output that promises
// Coupang's records whole.
func JSON(b []byte) []byte { return termsafe.JSON(b) }
