package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/go-coupang/coupang"
)

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
	from := fs.String("from", "", "first `day` (YYYY-MM-DD) or time (RFC 3339) of the range; default: --days before --to")
	to := fs.String("to", "", "last `day` (YYYY-MM-DD) or time (RFC 3339) of the range; default: now")
	days := fs.Int("days", 7, "how many days to list, today included, counting back from --to; not with --from")
	status := fs.String("status", "", "only this `status`: RECEIPT, PROGRESS, SUCCESS, REJECT or CANCEL")
	order := fs.Int64("order", 0, "only the exchanges of this order `id`")
	format := fs.String("format", "table", "output `format`: table, json (one object per line) or csv")
	bom := fs.Bool("bom", false, "start CSV with a UTF-8 byte order mark, so that Excel shows Korean text correctly")
	wide := fs.Bool("wide", false, "the wide table: English labels, the replacement's delivery, rejectable and the new box id (about 200 columns)")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	st := coupang.ExchangeStatus(strings.ToUpper(strings.TrimSpace(*status)))
	if st != "" && !st.Known() {
		return usageErrorf("exchanges list: --status %q: want RECEIPT, PROGRESS, SUCCESS, REJECT or CANCEL", *status)
	}
	out, err := newRenderer(*format, *bom, *wide, stdout)
	if err != nil {
		return err
	}
	if *order < 0 {
		return usageErrorf("exchanges list: --order must be positive")
	}
	// --days counts back from --to when --from is not given: with --from
	// it would be ignored, so the two together are refused.
	if *from != "" && flagSet(fs, "days") {
		return usageErrorf("exchanges list: --days and --from both given: --days counts back from --to; give one of them")
	}
	start, end, err := listRange(*from, *to, *days, time.Now())
	if err != nil {
		return err
	}

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
	opts := coupang.ExchangeListOptions{CreatedAtFrom: start, CreatedAtTo: end, Status: st, OrderID: *order}
	hc := &http.Client{Transport: counter, Timeout: coupang.DefaultTimeout}
	records, skipped := 0, 0
	for ex, err := range t.Client.Exchanges.All(ctx, opts, coupang.WithHTTPClient(hc)) {
		// A record Coupang sent malformed costs only itself: the listing
		// goes on, it is named on stderr, and the exit status is 1.
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
		if err := out.row(newRow(ex)); err != nil {
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
		plural(records, "exchange request"), start.In(kst).Format("2006-01-02 15:04:05"), end.In(kst).Format("2006-01-02 15:04:05"), plural(w, "window"), plural(r, "request"))
	if skipped > 0 {
		return fmt.Errorf("%s could not be read and left out (see above)", plural(skipped, "exchange request"))
	}
	return nil
}

// plural returns "1 window" or "3 windows".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
