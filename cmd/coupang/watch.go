package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"iter"
	"strings"
	"time"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/internal/termsafe"
)

// This file is the one watch loop of every kind of record: passes of the
// SDK's change feed (ExchangeService.Changes, ReturnService.Changes) over a
// store, pass after pass. A kind supplies how to read its feed and how to
// print one change (a watchJob).

// watchFlags are the flags every watch command shares.
type watchFlags struct {
	every     time.Duration
	statePath string
	days      int
	format    string
	all, once bool
}

// addWatchFlags adds the shared watch flags to fs.
func addWatchFlags(fs *flag.FlagSet) *watchFlags {
	f := &watchFlags{}
	fs.DurationVar(&f.every, "every", time.Minute, "pause between passes")
	fs.StringVar(&f.statePath, "state", "", "`file` that remembers what was seen, across restarts")
	fs.IntVar(&f.days, "days", 30, "how many days back each pass looks")
	fs.StringVar(&f.format, "format", "text", "output `format`: text or json (one object per line)")
	fs.BoolVar(&f.all, "all", false, "also print what exists at start when there is no --state")
	fs.BoolVar(&f.once, "once", false, "make one pass and exit")
	return f
}

// check refuses flags that could never work, before anything is sent.
func (f *watchFlags) check(cmd string) error {
	if f.every < time.Second {
		return usageErrorf("%s: --every must be at least 1s", cmd)
	}
	if err := checkDays(cmd, f.days); err != nil {
		return err
	}
	if f.format != "text" && f.format != "json" {
		return usageErrorf("%s: --format %q: want text or json", cmd, f.format)
	}
	return nil
}

// change is one change of the feed, whatever the kind, with the record as
// its kind's row.
type change[T any] struct {
	kind    coupang.ChangeKind
	changed []string
	row     T
	// withdrawnAt is when the customer withdrew a ChangeWithdrawn return,
	// when the withdrawal history says.
	withdrawnAt time.Time
}

// watchJob is what a watch command needs of one kind of record.
type watchJob[T any] struct {
	// noun names one record: "exchange request".
	noun string
	// changes makes one pass over store.
	changes func(ctx context.Context, c *coupang.Client, store coupang.ChangeStore, opts coupang.ChangeOptions) iter.Seq2[change[T], error]
	// text describes a change's record on a text line, after the time and
	// the kind; kindWidth pads the kind so the ids line up.
	text      func(change[T]) string
	kindWidth int
	// json is a change as one JSON object: its seen_at, kind and changed
	// keys, then the record's row (see changeLine).
	json func(seenAt string, ch change[T]) any
}

// runWatch prints the records that are new, changed or withdrawn, pass
// after pass, until ctx ends (Ctrl-C) or, with --once, after one pass.
func runWatch[T any](ctx context.Context, cmd string, job watchJob[T], f *watchFlags, opts coupang.ChangeOptions, stdout, stderr io.Writer) error {
	store := coupang.NewMemoryChangeStore()
	if f.statePath != "" {
		var err error
		if store, err = coupang.NewFileChangeStore(f.statePath); err != nil {
			return fmt.Errorf("%s: --state: %w", cmd, err)
		}
	}

	t, err := connectEnv(stderr)
	if err != nil {
		return err
	}
	defer t.Close()

	opts.Lookback = time.Duration(f.days) * 24 * time.Hour
	emitChange := changePrinter(job, f.format, stdout)
	quiet := f.statePath == "" && !f.all // the first pass is the baseline
	for pass := 1; ; pass++ {
		n, err := watchPass(job.changes(ctx, t.Client, store, opts), func(ch change[T]) error {
			if quiet {
				return nil
			}
			return emitChange(ch)
		}, func(err error) {
			fmt.Fprintf(stderr, "coupang: %s: pass %d: a record could not be read, skipped until it can: %s\n", cmd, pass, oneLine(strings.TrimPrefix(err.Error(), "coupang: ")))
		})
		switch {
		case ctx.Err() != nil:
			return nil // Ctrl-C
		case errors.Is(err, coupang.ErrPassInProgress):
			return fmt.Errorf("%s: another watch is using %s: %w", cmd, f.statePath, err)
		case err != nil && f.once:
			return err
		case errors.As(err, new(*coupang.ValidationError)):
			return err // refused before sending: the next pass would be too
		case err != nil:
			fmt.Fprintf(stderr, "coupang: %s: pass %d: %s (trying again in %v)\n", cmd, pass, oneLine(err.Error()), f.every)
		case quiet:
			fmt.Fprintf(stderr, "watching %s of the last %d days; printing changes from now on\n", plural(n, job.noun), f.days)
		}
		quiet = false
		if f.once {
			return nil
		}
		timer := time.NewTimer(f.every)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil
		case <-timer.C:
		}
	}
}

// watchPass makes one pass over feed and hands each change to emit, which
// must succeed for the change to be recorded; it returns how many there
// were. A record that could not be decoded goes to skipped and the pass
// goes on, as the change feed does: stopping there would hide every record
// listed after it, pass after pass; it is not recorded, so it comes once it
// decodes.
func watchPass[C any](feed iter.Seq2[C, error], emit func(C) error, skipped func(error)) (int, error) {
	n := 0
	for ch, err := range feed {
		var recErr *coupang.RecordError
		if errors.As(err, &recErr) {
			skipped(err)
			continue
		}
		if err != nil {
			return n, err
		}
		if err := emit(ch); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// changePrinter returns a function printing one change in format.
func changePrinter[T any](job watchJob[T], format string, w io.Writer) func(change[T]) error {
	now := func() time.Time { return time.Now().In(coupang.KoreaLocation()) }
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		return func(ch change[T]) error { return enc.Encode(job.json(now().Format(dataTimeLayout), ch)) }
	}
	return func(ch change[T]) error {
		line := fmt.Sprintf("%s  %-*s  %s", now().Format(timeLayout), job.kindWidth, ch.kind, job.text(ch))
		if len(ch.changed) > 0 {
			line += " · changed: " + strings.Join(ch.changed, ", ")
		}
		_, err := fmt.Fprintln(w, termsafe.String(line))
		return err
	}
}

// watchCmd prints the exchanges that are new or changed, pass after pass,
// from the SDK's change feed (ExchangeService.Changes).
func watchCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("exchanges watch", `
Usage: coupang exchanges watch [--every 1m] [--state FILE] [--days 30] [--status S] [--format text|json] [--all] [--once]

Lists the exchange requests of the last --days every --every and prints each
one that is new or whose state changed (status, pickup, delivery, boxes,
waybills, flags), with the names of the changed fields, until Ctrl-C.

Without --state, what exists at start is taken as known and only later
changes are printed (--all prints it too). With --state the file remembers
what was printed, so a restarted watch prints what changed while it was
stopped; one watch at a time may use a file. Each pass costs one request per
7-day window and page, from the vendor's budget of 5 a second.`)
	f := addWatchFlags(fs)
	status := fs.String("status", "", "only exchanges of this `status`")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if err := f.check("exchanges watch"); err != nil {
		return err
	}
	st := coupang.ExchangeStatus(strings.ToUpper(strings.TrimSpace(*status)))
	if st != "" && !st.Known() {
		return usageErrorf("exchanges watch: --status %q: want RECEIPT, PROGRESS, SUCCESS, REJECT or CANCEL", *status)
	}
	return runWatch(ctx, "exchanges watch", exchangeWatch, f, coupang.ChangeOptions{Status: st}, stdout, stderr)
}

// exchangeWatch is how watch reads and prints exchanges.
var exchangeWatch = watchJob[row]{
	noun: "exchange request",
	changes: func(ctx context.Context, c *coupang.Client, store coupang.ChangeStore, opts coupang.ChangeOptions) iter.Seq2[change[row], error] {
		return func(yield func(change[row], error) bool) {
			for ch, err := range c.Exchanges.Changes(ctx, store, opts) {
				if !yield(change[row]{kind: ch.Kind, changed: ch.Changed, row: newRow(ch.Exchange)}, err) {
					return
				}
			}
		}
	},
	kindWidth: 7,
	text: func(ch change[row]) string {
		r := ch.row
		s := fmt.Sprintf("%d  %s · %s", r.ExchangeID, label(r.Status, r.StatusKo, r.StatusEn), label(r.CollectStatus, r.CollectStatusKo, r.CollectStatusEn))
		if r.NewShipmentBoxID != "" {
			s += " · box " + r.NewShipmentBoxID
		}
		return s
	},
	json: func(seenAt string, ch change[row]) any {
		return changeLine{SeenAt: seenAt, Kind: ch.kind.String(), Changed: ch.changed, row: ch.row.safe()}
	},
}

// changeLine is one exchange change as JSON: when it was seen, what kind,
// which fields, and the exchange as the list prints it (no personal data).
type changeLine struct {
	SeenAt  string   `json:"seen_at"`
	Kind    string   `json:"kind"`
	Changed []string `json:"changed,omitempty"`
	row
}
