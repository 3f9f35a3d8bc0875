package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/internal/termsafe"
)

// writeFlags are the flags every write command shares.
type writeFlags struct {
	id, order int64
	days      int
	dryRun    bool
}

// addWriteFlags adds the flags of a command that acts on one exchange;
// dryRun adds --dry-run, which only the commands that write have.
func addWriteFlags(fs *flag.FlagSet, dryRun bool) *writeFlags {
	w := &writeFlags{}
	fs.Int64Var(&w.id, "id", 0, "the exchange `id` (exchangeId); required")
	fs.Int64Var(&w.order, "order", 0, "its order `id`, to find it with fewer requests (optional)")
	fs.IntVar(&w.days, "days", defaultLookBack, "how many days back to look for the exchange")
	if dryRun {
		fs.BoolVar(&w.dryRun, "dry-run", false, "check and print what would be done, without changing anything")
	}
	return w
}

// parse parses the flags (see parseChecked): --id is required, --id,
// --order and --days are checked first, then checks.
func (w *writeFlags) parse(fs *flag.FlagSet, args []string, stdout io.Writer, requiredFlags []string, checks ...func(cmd string) error) error {
	return parseChecked(fs, args, stdout, append([]string{"id"}, requiredFlags...), append([]func(string) error{w.check}, checks...))
}

// check refuses an --id, --order or --days out of range.
func (w *writeFlags) check(cmd string) error {
	if w.id <= 0 || w.order < 0 {
		return usageErrorf("%s: --id and --order must be positive", cmd)
	}
	return checkDays(cmd, w.days)
}

// find connects and finds the exchange.
func (w *writeFlags) find(ctx context.Context, stderr io.Writer) (*target, coupang.ExchangeRequest, error) {
	return connectFind(ctx, stderr, func(ctx context.Context, c *coupang.Client) (coupang.ExchangeRequest, error) {
		return findExchange(ctx, c, w.id, w.order, w.days)
	})
}

// state describes an exchange's state in one line, in both languages. A
// code outside the tables is as Coupang sent it: termsafe shows it escaped.
func state(ex coupang.ExchangeRequest) string {
	return termsafe.String(fmt.Sprintf("status %s, pickup %s", labelOf(ex.Status), labelOf(ex.CollectStatus)))
}

func confirmCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("exchanges confirm", `
Usage: coupang exchanges confirm --id ID [--force] [--order ID] [--days 30] [--dry-run]

Confirms that the item returned for an exchange arrived (입고 확인). Coupang
then creates the replacement's shipment box within about 10 minutes: wait for
it with "coupang exchanges wait-box --id ID". An exchange already confirmed
is left as it is.

Coupang accepts a confirmation as soon as the exchange is filed, but the
item cannot have reached you before the courier has picked it up: until the
pickup is under way (수거중, 회수중) or delivered (업체전달완료), the command refuses
and says why. --force confirms anyway, for an item you have in hand (you
collect returns yourself, or Coupang's pickup status lags).`)
	w := addWriteFlags(fs, true)
	force := fs.Bool("force", false, "confirm even though the pickup says the item cannot have arrived yet")
	if err := w.parse(fs, args, stdout, nil); err != nil {
		return err
	}
	t, ex, err := w.find(ctx, stderr)
	if err != nil {
		return err
	}
	defer t.Close()
	id := ex.ExchangeID
	a := ex.Actions().ConfirmReceipt
	switch {
	case !a.Done && !a.Allowed:
		return fmt.Errorf("exchange %d cannot be confirmed: %s (%s)", id, a.Why, state(ex))
	case a.Early && !*force:
		return fmt.Errorf("exchange %d not confirmed: %s. If you have the item already and have checked it, run again with --force", id, a.Why)
	}
	if w.dryRun {
		if a.Done {
			_, err = fmt.Fprintf(stdout, "exchange %d: receipt already confirmed (%s); nothing to do\n", id, state(ex))
		} else {
			_, err = fmt.Fprintf(stdout, "exchange %d: would confirm receipt (%s) [dry run: nothing sent]\n", id, state(ex))
		}
		return err
	}
	if a.Early {
		fmt.Fprintf(stderr, "exchange %d: confirming with --force although %s\n", id, a.Why)
	}
	out, err := ensureReceiptConfirmed(ctx, t.Client, ex)
	if err != nil {
		return err
	}
	if out == alreadyDone {
		_, err = fmt.Fprintf(stdout, "exchange %d: receipt already confirmed (%s); nothing sent\n", id, state(ex))
		return err
	}
	_, err = fmt.Fprintf(stdout, "exchange %d: receipt confirmed\nnext: coupang exchanges wait-box --id %d\n", id, id)
	return err
}

func rejectCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("exchanges reject", `
Usage: coupang exchanges reject --id ID --code SOLDOUT|WITHDRAW [--order ID] [--days 30] [--dry-run]

Rejects an exchange request (거부): SOLDOUT when the replacement is sold out,
WITHDRAW when the customer withdrew. Coupang allows it only while the
exchange is rejectable. An exchange already rejected is left as it is.`)
	w := addWriteFlags(fs, true)
	codeFlag := fs.String("code", "", "the reject `code`: SOLDOUT or WITHDRAW; required")
	if err := w.parse(fs, args, stdout, []string{"code"}); err != nil {
		return err
	}
	// The code is checked before connecting, so that a typo costs no call;
	// refused, never rewritten: "soldout" is not upper-cased and sent.
	code := coupang.RejectCode(*codeFlag)
	if !code.Valid() {
		hint := ""
		if up := coupang.RejectCode(strings.ToUpper(strings.TrimSpace(*codeFlag))); up.Valid() {
			hint = fmt.Sprintf(" (did you mean %s?)", up)
		}
		return usageErrorf("exchanges reject: --code %q: want SOLDOUT or WITHDRAW%s", *codeFlag, hint)
	}
	t, ex, err := w.find(ctx, stderr)
	if err != nil {
		return err
	}
	defer t.Close()
	id := ex.ExchangeID
	a := ex.Actions().Reject
	if !a.Done && !a.Allowed {
		return fmt.Errorf("exchange %d cannot be rejected: %s (%s)", id, a.Why, state(ex))
	}
	if w.dryRun {
		if a.Done {
			_, err = fmt.Fprintf(stdout, "exchange %d: already rejected; nothing to do\n", id)
		} else {
			_, err = fmt.Fprintf(stdout, "exchange %d: would reject with %s (%s) [dry run: nothing sent]\n", id, code, state(ex))
		}
		return err
	}
	out, err := ensureRejected(ctx, t.Client, ex, code)
	if err != nil {
		return err
	}
	if out == alreadyDone {
		_, err = fmt.Fprintf(stdout, "exchange %d: already rejected; nothing sent\n", id)
		return err
	}
	_, err = fmt.Fprintf(stdout, "exchange %d: rejected with %s\n", id, code)
	return err
}

func uploadCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("exchanges upload-invoice", `
Usage: coupang exchanges upload-invoice --id ID --courier CODE --invoice NUMBER [--box ID] [--courier-unlisted] [--order ID] [--days 30] [--dry-run]

Uploads the waybill of the replacement shipment (송장 업로드) against the NEW
shipment box that Coupang creates after the receipt is confirmed (see
wait-box); --box defaults to it. The same waybill already on the box is
left as it is; a different one replaces it, deliberately: that is how a
mistyped waybill is corrected. Courier codes are given as Coupang writes
them (capitals): a code in another form is refused, not rewritten. A code
outside the built-in table is sent as given, with a warning, since Coupang
adds couriers; but one a single slip away from a known code (CJGSL for
CJGLS) is refused as a likely typo unless --courier-unlisted says it is
meant.`)
	w := addWriteFlags(fs, true)
	wb := addWaybillFlags(fs, "goodsDeliveryCode")
	boxFlag := fs.Int64("box", 0, "the new shipment box `id`; default: the one Coupang created for the exchange")
	checkBox := func(cmd string) error {
		if *boxFlag < 0 {
			return usageErrorf("%s: --box must be positive", cmd)
		}
		return nil
	}
	if err := w.parse(fs, args, stdout, waybillRequired, checkBox, wb.check); err != nil {
		return err
	}
	t, ex, err := w.find(ctx, stderr)
	if err != nil {
		return err
	}
	defer t.Close()
	id := ex.ExchangeID
	box := *boxFlag
	a := ex.Actions().UploadInvoice
	switch {
	case !a.Allowed && !a.Wait && ex.Actions().ConfirmReceipt.Allowed:
		return fmt.Errorf("exchange %d has no new shipment box (%s): confirm the receipt first: coupang exchanges confirm --id %d", id, state(ex), id)
	case !a.Allowed && !a.Wait:
		return fmt.Errorf("exchange %d cannot take a waybill: %s (%s)", id, a.Why, state(ex))
	case box == 0 && a.Wait:
		return fmt.Errorf("exchange %d has no new shipment box yet: %s; wait with: coupang exchanges wait-box --id %d", id, a.Why, id)
	case box == 0:
		box, _ = ex.ReplacementShipmentBoxID()
	}
	inv := coupang.ExchangeInvoice{ShipmentBoxID: box, GoodsDeliveryCode: wb.courier, InvoiceNumber: wb.invoice}
	wb.warn(stderr)
	if w.dryRun {
		if hasWaybill(inv)(ex) {
			_, err = fmt.Fprintf(stdout, "exchange %d: box %d already carries %s %s; nothing to do\n", id, box, inv.GoodsDeliveryCode, inv.InvoiceNumber)
		} else {
			_, err = fmt.Fprintf(stdout, "exchange %d: would upload %s %s for box %d [dry run: nothing sent]\n", id, inv.GoodsDeliveryCode, inv.InvoiceNumber, box)
		}
		return err
	}
	out, err := ensureInvoiceUploaded(ctx, t.Client, ex, inv)
	if err != nil {
		return err
	}
	if out == alreadyDone {
		_, err = fmt.Fprintf(stdout, "exchange %d: box %d already carries %s %s; nothing sent\n", id, box, inv.GoodsDeliveryCode, inv.InvoiceNumber)
		return err
	}
	_, err = fmt.Fprintf(stdout, "exchange %d: waybill %s %s uploaded for box %d\n", id, inv.GoodsDeliveryCode, inv.InvoiceNumber, box)
	return err
}

func waitBoxCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("exchanges wait-box", `
Usage: coupang exchanges wait-box --id ID [--timeout 15m] [--order ID] [--days 30]

Waits for the new shipment box that Coupang creates after a receipt is
confirmed (up to about 10 minutes), listing the exchange again with growing
pauses (half a second up to 30 seconds), and prints its id: the --box of
upload-invoice.`)
	w := addWriteFlags(fs, false)
	timeout := fs.Duration("timeout", 15*time.Minute, "give up after this long")
	if err := w.parse(fs, args, stdout, nil); err != nil {
		return err
	}
	if *timeout <= 0 {
		return usageErrorf("exchanges wait-box: --timeout must be positive")
	}
	t, ex, err := w.find(ctx, stderr)
	if err != nil {
		return err
	}
	defer t.Close()
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	id := ex.ExchangeID
	if ex.Actions().UploadInvoice.Wait {
		fmt.Fprintf(stderr, "exchange %d: waiting for its new shipment box (Coupang takes up to about 10 minutes; at most %v)\n", id, *timeout)
	}
	box, err := waitForBox(ctx, t.Client, ex)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil {
			return fmt.Errorf("exchange %d: no new shipment box after %v; Coupang can take about 10 minutes, run wait-box again", id, *timeout)
		}
		return err
	}
	_, err = fmt.Fprintf(stdout, "%d\n", box)
	fmt.Fprintf(stderr, "exchange %d: new shipment box %d; next: coupang exchanges upload-invoice --id %d --courier CJGLS --invoice NUMBER\n", id, box, id)
	return err
}

func pickupInvoiceCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("exchanges pickup-invoice", `
Usage: coupang exchanges pickup-invoice --id ID --courier CODE --invoice NUMBER [--courier-unlisted] [--order ID] [--days 30] [--dry-run]

Registers the waybill under which you have the item to be exchanged picked
up (회수 송장 등록), for an exchange you collect yourself. Coupang allows it
only before the pickup is directed (회수연동 전). The same waybill already on
the exchange is left as it is. Courier codes are checked as for
upload-invoice.`)
	w := addWriteFlags(fs, true)
	wb := addWaybillFlags(fs, "deliveryCompanyCode")
	if err := w.parse(fs, args, stdout, waybillRequired, wb.check); err != nil {
		return err
	}
	t, ex, err := w.find(ctx, stderr)
	if err != nil {
		return err
	}
	defer t.Close()
	// The rule of EnsurePickupInvoiceUploaded, which ExchangeActions does
	// not carry.
	a := coupang.ActionState{Allowed: ex.CollectStatus == coupang.CollectStatusBeforeDirection && !ex.Status.Terminal()}
	if !a.Allowed {
		a.Why = "a pickup waybill can be registered only before the pickup is directed (회수연동 전)"
	}
	done := slices.ContainsFunc(ex.ReturnDeliveries, func(d coupang.ExchangeReturnDelivery) bool {
		return d.DeliveryCompanyCode == wb.courier && strings.TrimSpace(d.DeliveryInvoiceNo) == wb.invoice
	})
	if !done && a.Allowed {
		wb.warn(stderr)
	}
	x := wb.pickupAct()
	x.what, x.state, x.done, x.describe, x.dryRun = fmt.Sprintf("exchange %d", ex.ExchangeID), a, done, state(ex), w.dryRun
	x.send = func() error { return t.Client.Exchanges.EnsurePickupInvoiceUploaded(ctx, ex, wb.courier, wb.invoice) }
	return x.run(stdout, stderr)
}
