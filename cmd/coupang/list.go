package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"iter"
	"net/http"
	"strings"
	"time"

	"github.com/go-coupang/coupang"
)

// This file is the one path every list command takes, whatever kind of
// record it lists: the shared flags, the range, the renderer, the progress
// line, records Coupang sent malformed, and the summary on stderr. A kind
// supplies its layout and how to list it (a listJob).

// listFlags are the flags every list command shares.
type listFlags struct {
	from, to, format string
	days             int
	order            int64
	bom, wide        bool
}

// addListFlags adds the shared list flags to fs; wideHelp says what --wide
// adds for the kind.
func addListFlags(fs *flag.FlagSet, noun, wideHelp string) *listFlags {
	f := &listFlags{}
	fs.StringVar(&f.from, "from", "", "first `day` (YYYY-MM-DD) or time (RFC 3339) of the range; default: --days before --to")
	fs.StringVar(&f.to, "to", "", "last `day` (YYYY-MM-DD) or time (RFC 3339) of the range; default: now")
	fs.IntVar(&f.days, "days", 7, "how many days to list, today included, counting back from --to; not with --from")
	fs.Int64Var(&f.order, "order", 0, "only the "+noun+"s of this order `id`")
	fs.StringVar(&f.format, "format", "table", "output `format`: table, json (one object per line) or csv")
	fs.BoolVar(&f.bom, "bom", false, "start CSV with a UTF-8 byte order mark, so that Excel shows Korean text correctly")
	fs.BoolVar(&f.wide, "wide", false, wideHelp)
	return f
}

// prepare checks the shared flags of the list command fs and returns the
// renderer of l's rows and the creation-time range, before anything is sent.
func prepare[T any](fs *flag.FlagSet, f *listFlags, l *layout[T], stdout io.Writer) (renderer[T], time.Time, time.Time, error) {
	cmd := fs.Name()
	out, err := newRenderer(cmd, l, f.format, f.bom, f.wide, stdout)
	if err != nil {
		return nil, time.Time{}, time.Time{}, err
	}
	if f.order < 0 {
		return nil, time.Time{}, time.Time{}, usageErrorf("%s: --order must be positive", cmd)
	}
	// --days counts back from --to when --from is not given: with --from
	// it would be ignored, so the two together are refused.
	if f.from != "" && flagSet(fs, "days") {
		return nil, time.Time{}, time.Time{}, usageErrorf("%s: --days and --from both given: --days counts back from --to; give one of them", cmd)
	}
	start, end, err := listRange(cmd, f.from, f.to, f.days, time.Now())
	if err != nil {
		return nil, time.Time{}, time.Time{}, err
	}
	return out, start, end, nil
}

// listJob is one listing of one kind of record, as rows of type T.
type listJob[T any] struct {
	// noun names one record in the summary: "exchange request".
	noun string
	// records lists [start, end] with callOpts (they count the requests
	// for the progress line and the summary).
	records func(ctx context.Context, c *coupang.Client, start, end time.Time, callOpts ...coupang.CallOption) iter.Seq2[T, error]
}

// runList connects, lists job's records in [start, end] through out, shows
// progress on a terminal and sums up on stderr. A record Coupang sent
// malformed costs only itself: the listing goes on, it is named on stderr,
// and the exit status is 1.
func runList[T any](ctx context.Context, job listJob[T], out renderer[T], start, end time.Time, stderr io.Writer) error {
	t, err := connectEnv(stderr)
	if err != nil {
		return err
	}
	defer t.Close()

	counter := &progress{next: http.DefaultTransport}
	var line *progressLine
	if windows(start, end) > 1 && isTerminal(stderr) {
		line = &progressLine{w: stderr}
	}
	hc := &http.Client{Transport: counter, Timeout: coupang.DefaultTimeout}
	records, skipped := 0, 0
	for r, err := range job.records(ctx, t.Client, start, end, coupang.WithHTTPClient(hc)) {
		if recErr := (*coupang.RecordError)(nil); errors.As(err, &recErr) {
			skipped++
			if line != nil {
				line.done()
			}
			fmt.Fprintf(stderr, "coupang: left out: %s\n", oneLine(strings.TrimPrefix(err.Error(), "coupang: ")))
			continue
		}
		if err != nil {
			if line != nil {
				line.done()
			}
			return err
		}
		if err := out.row(r); err != nil {
			return err
		}
		records++
		if line != nil {
			w, r := counter.counts()
			line.show("%s · %s · %s", plural(w, "window"), plural(records, "record"), plural(r, "request"))
		}
	}
	if line != nil {
		line.done()
	}
	if err := out.flush(); err != nil {
		return err
	}
	// The windows are counted as sent: All picks their length (7 days, or
	// 56 hours with several in flight), so 7-day arithmetic would say
	// "1 window, 3 requests" of three 56-hour windows.
	w, r := counter.counts()
	kst := coupang.KoreaLocation()
	fmt.Fprintf(stderr, "%s created %s – %s (Korea time): %s, %s\n",
		plural(records, job.noun), start.In(kst).Format("2006-01-02 15:04:05"), end.In(kst).Format("2006-01-02 15:04:05"), plural(w, "window"), plural(r, "request"))
	if skipped > 0 {
		return fmt.Errorf("%s could not be read and left out (see above)", plural(skipped, job.noun))
	}
	return nil
}

// listCmd prints the exchange requests created in a range, as an aligned
// table, JSON lines or CSV.
func listCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("exchanges list", `
Usage: coupang exchanges list [--from DATE] [--to DATE] [--days N] [--status S] [--order ID] [--format table|json|csv] [--wide] [--bom]

Lists the exchange requests created in a range of up to a year (Korea time),
split into Coupang's 7-day windows. Dates are YYYY-MM-DD (whole days) or RFC
3339 times. The table fits 100 columns and names each exchange's next step
(--wide: every label, about 200 columns); JSON and CSV give times in RFC 3339
with their offset. The output holds no personal data: no names, addresses,
phone numbers or customers' words.

  coupang exchanges list --status RECEIPT
  coupang exchanges list --from 2026-10-01 --to 2026-10-31 --format csv --bom > october.csv`)
	f := addListFlags(fs, "exchange", "the wide table: English labels, the replacement's delivery, rejectable and the new box id (about 200 columns)")
	status := fs.String("status", "", "only this `status`: RECEIPT, PROGRESS, SUCCESS, REJECT or CANCEL")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	st := coupang.ExchangeStatus(strings.ToUpper(strings.TrimSpace(*status)))
	if st != "" && !st.Known() {
		return usageErrorf("exchanges list: --status %q: want RECEIPT, PROGRESS, SUCCESS, REJECT or CANCEL", *status)
	}
	out, start, end, err := prepare(fs, f, exchangeLayout, stdout)
	if err != nil {
		return err
	}
	return runList(ctx, listJob[row]{
		noun: "exchange request",
		records: func(ctx context.Context, c *coupang.Client, start, end time.Time, callOpts ...coupang.CallOption) iter.Seq2[row, error] {
			opts := coupang.ExchangeListOptions{CreatedAtFrom: start, CreatedAtTo: end, Status: st, OrderID: f.order}
			return rows(c.Exchanges.All(ctx, opts, callOpts...), newRow)
		},
	}, out, start, end, stderr)
}

// rows maps a listing's records to rows, errors passed as they come.
func rows[R, T any](seq iter.Seq2[R, error], newRow func(R) T) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for r, err := range seq {
			var x T
			if err == nil {
				x = newRow(r)
			}
			if !yield(x, err) {
				return
			}
		}
	}
}

// plural returns "1 window" or "3 windows".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
