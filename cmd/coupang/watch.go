package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/internal/termsafe"
)

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
	every := fs.Duration("every", time.Minute, "pause between passes")
	statePath := fs.String("state", "", "`file` that remembers what was seen, across restarts")
	days := fs.Int("days", 30, "how many days back each pass looks")
	status := fs.String("status", "", "only exchanges of this `status`")
	format := fs.String("format", "text", "output `format`: text or json (one object per line)")
	all := fs.Bool("all", false, "also print what exists at start when there is no --state")
	once := fs.Bool("once", false, "make one pass and exit")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if *every < time.Second {
		return usageErrorf("exchanges watch: --every must be at least 1s")
	}
	if err := checkDays("exchanges watch", *days); err != nil {
		return err
	}
	if *format != "text" && *format != "json" {
		return usageErrorf("exchanges watch: --format %q: want text or json", *format)
	}
	st := coupang.ExchangeStatus(strings.ToUpper(strings.TrimSpace(*status)))
	if st != "" && !st.Known() {
		return usageErrorf("exchanges watch: --status %q: want RECEIPT, PROGRESS, SUCCESS, REJECT or CANCEL", *status)
	}
	store := coupang.NewMemoryChangeStore()
	if *statePath != "" {
		var err error
		if store, err = coupang.NewFileChangeStore(*statePath); err != nil {
			return fmt.Errorf("exchanges watch: --state: %w", err)
		}
	}

	t, err := connectEnv(stderr)
	if err != nil {
		return err
	}
	defer t.Close()

	opts := coupang.ChangeOptions{Lookback: time.Duration(*days) * 24 * time.Hour, Status: st}
	emitChange := changePrinter(*format, stdout)
	quiet := *statePath == "" && !*all // the first pass is the baseline
	for pass := 1; ; pass++ {
		n, err := watchPass(ctx, t.Client, store, opts, func(ch coupang.ExchangeChange) error {
			if quiet {
				return nil
			}
			return emitChange(ch)
		}, func(err error) {
			fmt.Fprintf(stderr, "coupang: exchanges watch: pass %d: a record could not be read, skipped until it can: %s\n", pass, oneLine(strings.TrimPrefix(err.Error(), "coupang: ")))
		})
		switch {
		case ctx.Err() != nil:
			return nil // Ctrl-C
		case errors.Is(err, coupang.ErrPassInProgress):
			return fmt.Errorf("exchanges watch: another watch is using %s: %w", *statePath, err)
		case err != nil && *once:
			return err
		case errors.As(err, new(*coupang.ValidationError)):
			return err // refused before sending: the next pass would be too
		case err != nil:
			fmt.Fprintf(stderr, "coupang: exchanges watch: pass %d: %s (trying again in %v)\n", pass, oneLine(err.Error()), *every)
		case quiet:
			fmt.Fprintf(stderr, "watching %s of the last %d days; printing changes from now on\n", plural(n, "exchange request"), *days)
		}
		quiet = false
		if *once {
			return nil
		}
		timer := time.NewTimer(*every)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil
		case <-timer.C:
		}
	}
}

// watchPass makes one pass and hands each change to emit, which must
// succeed for the change to be recorded; it returns how many there were.
// A record that could not be decoded goes to skipped and the pass goes on,
// as the change feed does: stopping there would hide every exchange listed
// after it, pass after pass; it is not recorded, so it comes once it decodes.
func watchPass(ctx context.Context, c *coupang.Client, store coupang.ChangeStore, opts coupang.ChangeOptions,
	emit func(coupang.ExchangeChange) error, skipped func(error)) (int, error) {
	n := 0
	for ch, err := range c.Exchanges.Changes(ctx, store, opts) {
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

// changeLine is one change as JSON: when it was seen, what kind, which
// fields, and the exchange as the list prints it (no personal data).
type changeLine struct {
	SeenAt  string   `json:"seen_at"`
	Kind    string   `json:"kind"`
	Changed []string `json:"changed,omitempty"`
	row
}

// changePrinter returns a function printing one change in format.
func changePrinter(format string, w io.Writer) func(coupang.ExchangeChange) error {
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		return func(ch coupang.ExchangeChange) error {
			return enc.Encode(changeLine{
				SeenAt:  time.Now().In(coupang.KoreaLocation()).Format(dataTimeLayout),
				Kind:    ch.Kind.String(),
				Changed: ch.Changed,
				row:     newRow(ch.Exchange).safe(),
			})
		}
	}
	return func(ch coupang.ExchangeChange) error {
		r := newRow(ch.Exchange)
		line := fmt.Sprintf("%s  %-7s  %d  %s · %s", time.Now().In(coupang.KoreaLocation()).Format(timeLayout), ch.Kind,
			r.ExchangeID, label(r.Status, r.StatusKo, r.StatusEn), label(r.CollectStatus, r.CollectStatusKo, r.CollectStatusEn))
		if r.NewShipmentBoxID != "" {
			line += " · box " + r.NewShipmentBoxID
		}
		if len(ch.Changed) > 0 {
			line += " · changed: " + strings.Join(ch.Changed, ", ")
		}
		_, err := fmt.Fprintln(w, termsafe.String(line))
		return err
	}
}
