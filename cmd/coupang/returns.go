package main

import (
	"context"
	"fmt"
	"io"
	"iter"
	"strings"
	"time"

	"github.com/go-coupang/coupang"
)

// returns is "coupang returns SUBCOMMAND": return and cancellation requests
// (반품·취소), through the same list, watch and write paths as exchanges.
var returns = group{name: "returns", subs: []subcommand{
	{[]string{"list", "ls"}, returnsListCmd},
	{[]string{"confirm"}, returnsConfirm.run},
	{[]string{"approve"}, returnsApprove.run},
	{[]string{"stop"}, returnsStop.run},
	{[]string{"shipped"}, returnsShipped.run},
	{[]string{"pickup-invoice"}, returnsPickup.run},
	{[]string{"watch"}, returnsWatchCmd},
}}

// returnsListCmd prints the return or cancellation requests created in a
// range, as an aligned table, JSON lines or CSV.
func returnsListCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("returns list", `
Usage: coupang returns list [--from DATE] [--to DATE] [--days N] [--status RU|UC|CC|PR] [--order ID] [--cancelled] [--format table|json|csv] [--wide] [--bom]

Lists the return requests (반품) created in a range of up to a year (Korea
time), split into Coupang's 7-day windows; --cancelled lists the orders
cancelled at payment-complete (결제완료 취소) instead. Without --status or
--order every status filter is swept (RU release stop, UC unchecked, CC
completed, PR Coupang check) and each receipt printed once. Dates are
YYYY-MM-DD (whole days) or RFC 3339 times; Coupang lists returns by day, and
receipts outside the times given are left out. The table fits 100 columns and
names each receipt's next step (--wide: every label); JSON and CSV give times
in RFC 3339 with their offset. The output holds no personal data: no names,
addresses, phone numbers, customers' words or waybill numbers.

  coupang returns list --status RU
  coupang returns list --from 2026-10-01 --to 2026-10-31 --format csv --bom > october.csv`)
	f := addListFlags(fs, "return", "the wide table: English labels, type, release stop, pickup, quick refund and waybill count (about 200 columns)")
	status := fs.String("status", "", "only this status `filter`: RU (release stop), UC (unchecked), CC (completed) or PR (Coupang check)")
	cancelled := fs.Bool("cancelled", false, "list the orders cancelled at payment-complete instead of returns; not with --status")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	st := coupang.ReturnFilter(strings.ToUpper(strings.TrimSpace(*status)))
	if st != "" && !st.Known() {
		return usageErrorf("returns list: --status %q: want RU, UC, CC or PR", *status)
	}
	if st != "" && *cancelled {
		return usageErrorf("returns list: --status and --cancelled both given: Coupang lists cancellations without a status filter")
	}
	out, start, end, err := prepare(fs, f, returnLayout, stdout)
	if err != nil {
		return err
	}
	opts := coupang.ReturnListOptions{Status: st, OrderID: f.order}
	noun := "return request"
	if *cancelled {
		opts.CancelType, noun = coupang.ReturnReceiptTypeCancel, "cancelled order"
	}
	return runList(ctx, listJob[returnRow]{
		noun: noun,
		records: func(ctx context.Context, c *coupang.Client, start, end time.Time, callOpts ...coupang.CallOption) iter.Seq2[returnRow, error] {
			opts.CreatedAtFrom, opts.CreatedAtTo = start, end
			return rows(c.Returns.All(ctx, opts, callOpts...), newReturnRow)
		},
	}, out, start, end, stderr)
}

// returnsWatchCmd prints the return receipts that are new, changed or
// withdrawn, pass after pass, from the SDK's change feed
// (ReturnService.Changes).
func returnsWatchCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("returns watch", `
Usage: coupang returns watch [--every 1m] [--state FILE] [--days 30] [--format text|json] [--all] [--once]

Lists the return requests of the last --days every --every, sweeping the four
status filters, and prints each receipt that is new, whose state changed
(status, release stop, quick refund, completion, items, pickup waybills), with
the names of the changed fields, or that the customer withdrew (Coupang then
no longer lists it: the withdrawal history is asked about receipts that
vanish), until Ctrl-C.

Without --state, what exists at start is taken as known and only later
changes are printed (--all prints it too). With --state the file remembers
what was printed, so a restarted watch prints what changed while it was
stopped; one watch at a time may use a file, and one file may serve an
exchanges watch and a returns watch, one after the other. Each pass costs
four requests per 7-day window and page, from the vendor's budget of 5 a
second.`)
	f := addWatchFlags(fs)
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if err := f.check("returns watch"); err != nil {
		return err
	}
	return runWatch(ctx, "returns watch", returnWatch, f, coupang.ChangeOptions{}, stdout, stderr)
}

// returnWatch is how watch reads and prints return receipts.
var returnWatch = watchJob[returnRow]{
	noun: "return request",
	changes: func(ctx context.Context, c *coupang.Client, store coupang.ChangeStore, opts coupang.ChangeOptions) iter.Seq2[change[returnRow], error] {
		return func(yield func(change[returnRow], error) bool) {
			for ch, err := range c.Returns.Changes(ctx, store, opts) {
				x := change[returnRow]{kind: ch.Kind, changed: ch.Changed, row: newReturnRow(ch.Return)}
				if ch.Kind == coupang.ChangeWithdrawn {
					// Only the ids and the creation time are known: a
					// next step read from an empty status would mislead.
					x.row.NextStep = ""
				}
				if ch.Withdrawal != nil {
					x.withdrawnAt = ch.Withdrawal.CreatedAt
				}
				if !yield(x, err) {
					return
				}
			}
		}
	},
	kindWidth: 9,
	text: func(ch change[returnRow]) string {
		r := ch.row
		if ch.kind == coupang.ChangeWithdrawn {
			s := fmt.Sprintf("%d  order %d · withdrawn by the customer 반품철회", r.ReceiptID, r.OrderID)
			if !ch.withdrawnAt.IsZero() {
				s += " at " + ch.withdrawnAt.In(coupang.KoreaLocation()).Format(timeLayout)
			}
			return s
		}
		s := fmt.Sprintf("%d  %s", r.ReceiptID, label(r.Status, r.StatusKo, r.StatusEn))
		if r.Status == "" {
			s = fmt.Sprintf("%d  %s", r.ReceiptID, label(r.ReceiptType, r.ReceiptTypeKo, r.ReceiptTypeEn))
		}
		if r.ReleaseStopStatus != "" && r.ReleaseStopStatus != string(coupang.ReturnReleaseStopNotApplicable) {
			s += " · release stop " + label(r.ReleaseStopStatus, r.ReleaseStopStatusKo, r.ReleaseStopStatusEn)
		}
		if step := coupang.Step(r.NextStep); step != coupang.StepNone && step != "" {
			s += " · next: " + step.English()
		}
		return s
	},
	json: func(seenAt string, ch change[returnRow]) any {
		l := returnChangeLine{SeenAt: seenAt, Kind: ch.kind.String(), Changed: ch.changed, returnRow: ch.row.safe()}
		l.WithdrawnAt = dataTime(ch.withdrawnAt)
		return l
	},
}

// returnChangeLine is one return change as JSON: when it was seen, what
// kind, which fields, when it was withdrawn (for "withdrawn": then only
// the ids and the creation time of the receipt are known), and the receipt
// as the list prints it (no personal data).
type returnChangeLine struct {
	SeenAt      string   `json:"seen_at"`
	Kind        string   `json:"kind"`
	Changed     []string `json:"changed,omitempty"`
	WithdrawnAt string   `json:"withdrawn_at,omitempty"`
	returnRow
}
