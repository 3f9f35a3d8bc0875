package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/internal/termsafe"
)

// The write commands of returns. Each reads the receipt (Coupang serves one
// receipt by id, unlike exchanges), judges it by the SDK's one rule
// (ReturnRequest.Actions), and writes through an Ensure… call (see act).

// receiptFlags are the flags every returns write command shares.
type receiptFlags struct {
	id     int64
	dryRun bool
}

// addReceiptFlags adds --id and --dry-run.
func addReceiptFlags(fs *flag.FlagSet) *receiptFlags {
	f := &receiptFlags{}
	fs.Int64Var(&f.id, "id", 0, "the return's receipt `id` (receiptId); required")
	fs.BoolVar(&f.dryRun, "dry-run", false, "check and print what would be done, without changing anything")
	return f
}

// parse parses the flags and checks the required ones.
func (f *receiptFlags) parse(fs *flag.FlagSet, args []string, stdout io.Writer, requiredFlags ...string) error {
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if err := required(fs, append([]string{"id"}, requiredFlags...)...); err != nil {
		return err
	}
	if f.id <= 0 {
		return usageErrorf("%s: --id must be positive", fs.Name())
	}
	return nil
}

// find connects and reads the receipt.
func (f *receiptFlags) find(ctx context.Context, stderr io.Writer) (*target, coupang.ReturnRequest, error) {
	t, err := connectEnv(stderr)
	if err != nil {
		return nil, coupang.ReturnRequest{}, err
	}
	r, err := findReturn(ctx, t.Client, f.id)
	if err != nil {
		t.Close()
		return nil, coupang.ReturnRequest{}, err
	}
	return t, r, nil
}

// findReturn reads receipt id. Coupang answers one it no longer has with a
// 400 (or 404) whose message says little: the withdrawal history then says
// whether the customer withdrew it, which is the likelier case.
func findReturn(ctx context.Context, c *coupang.Client, id int64) (coupang.ReturnRequest, error) {
	r, err := c.Returns.Get(ctx, id)
	if err == nil {
		return *r, nil
	}
	var apiErr *coupang.APIError
	if !errors.Is(err, coupang.ErrNotFound) && !(errors.As(err, &apiErr) && (apiErr.StatusCode == 400 || apiErr.StatusCode == 404)) {
		return coupang.ReturnRequest{}, err
	}
	found, werr := c.Returns.WithdrawalsByID(ctx, []int64{id})
	if werr != nil {
		return coupang.ReturnRequest{}, err
	}
	for _, w := range found {
		if w.ReceiptID == id {
			return coupang.ReturnRequest{}, fmt.Errorf("return %d was withdrawn by the customer at %s (Korea time): nothing to do",
				id, w.CreatedAt.In(coupang.KoreaLocation()).Format(timeLayout))
		}
	}
	return coupang.ReturnRequest{}, err
}

// returnState describes a receipt's state in one line, in both languages.
// A code outside the tables is as Coupang sent it: termsafe shows it
// escaped.
func returnState(r coupang.ReturnRequest) string {
	s := "status " + label(string(r.Status), r.Status.Korean(), r.Status.English())
	if r.Status == "" {
		s = "type " + label(string(r.ReceiptType), r.ReceiptType.Korean(), r.ReceiptType.English())
	}
	if r.ReleaseStopStatus != "" && r.ReleaseStopStatus != coupang.ReturnReleaseStopNotApplicable {
		s += ", release stop " + label(string(r.ReleaseStopStatus), r.ReleaseStopStatus.Korean(), r.ReleaseStopStatus.English())
	}
	if r.PreRefund {
		s += ", quick refund"
	}
	return termsafe.String(s)
}

func returnsConfirmCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("returns confirm", `
Usage: coupang returns confirm --id ID [--force] [--dry-run]

Confirms that the returned goods arrived (입고 확인). A receipt already
confirmed is left as it is. Coupang accepts a confirmation as soon as the
return is filed, but the goods cannot be back before they are picked up:
while no pickup waybill is registered, or a release-stop request is
unanswered, the command refuses and says why. --force confirms anyway, for
goods you have in hand.`)
	f := addReceiptFlags(fs)
	force := fs.Bool("force", false, "confirm even though the state says the goods cannot be back yet")
	if err := f.parse(fs, args, stdout); err != nil {
		return err
	}
	t, r, err := f.find(ctx, stderr)
	if err != nil {
		return err
	}
	defer t.Close()
	id := r.ReceiptID
	a := r.Actions().ConfirmReceipt
	return act{
		what: fmt.Sprintf("return %d", id), state: a, done: a.Done, describe: returnState(r),
		cannot: "be confirmed", would: "confirm the receipt", did: "receipt confirmed", already: "receipt already confirmed",
		next:      fmt.Sprintf("coupang returns approve --id %d (or leave it to Coupang's automatic approval)", id),
		forceHint: "If you have the goods already and have checked them, run again with --force", force: *force,
		dryRun: f.dryRun,
		send:   func() error { return t.Client.Returns.EnsureReceiptConfirmed(ctx, r) },
	}.run(stdout, stderr)
}

// countFlag is --count of approve and stop: the quantity the user expects
// to send. Coupang accepts only the receipt's whole quantity, which the
// command sends by itself; a --count that differs is refused, so that a
// receipt that is not what its user thinks is not acted on.
func countFlag(fs *flag.FlagSet) *int64 {
	return fs.Int64("count", 0, "the quantity (cancelCount) you expect; refused unless it is the receipt's whole quantity, which is sent without it too")
}

// checkCount checks --count before connecting.
func checkCount(fs *flag.FlagSet, count int64) error {
	if flagSet(fs, "count") && (count <= 0 || count > math.MaxInt32) {
		return usageErrorf("%s: --count must be between 1 and %d", fs.Name(), math.MaxInt32)
	}
	return nil
}

// quantity returns the cancelCount to send for r: its whole quantity,
// which a given --count must equal.
func quantity(fs *flag.FlagSet, r coupang.ReturnRequest, count int64) (int64, error) {
	whole := wholeQuantity(r)
	switch {
	case whole <= 0 || whole > math.MaxInt32:
		return 0, fmt.Errorf("return %d has no whole quantity to send (cancelCountSum %d, no item counts): check it in WING", r.ReceiptID, r.CancelCountSum)
	case flagSet(fs, "count") && count != whole:
		return 0, usageErrorf("%s: --count %d: return %d's whole quantity is %d, and Coupang accepts only that", fs.Name(), count, r.ReceiptID, whole)
	}
	return whole, nil
}

func returnsApproveCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("returns approve", `
Usage: coupang returns approve --id ID [--count N] [--dry-run]

Approves a return whose receipt is confirmed (반품 승인), with its whole
quantity: Coupang accepts no other. Coupang approves confirmed returns by
itself after a while; a return already approved is left as it is.`)
	f := addReceiptFlags(fs)
	count := countFlag(fs)
	if err := f.parse(fs, args, stdout); err != nil {
		return err
	}
	if err := checkCount(fs, *count); err != nil {
		return err
	}
	t, r, err := f.find(ctx, stderr)
	if err != nil {
		return err
	}
	defer t.Close()
	a := r.Actions().Approve
	n := int64(0)
	if !a.Done && a.Allowed {
		if n, err = quantity(fs, r, *count); err != nil {
			return err
		}
	}
	return act{
		what: fmt.Sprintf("return %d", r.ReceiptID), state: a, done: a.Done, describe: returnState(r),
		cannot: "be approved", would: fmt.Sprintf("approve with cancelCount %d", n), did: fmt.Sprintf("approved with cancelCount %d", n), already: "already approved",
		dryRun: f.dryRun,
		send:   func() error { return t.Client.Returns.EnsureApproved(ctx, r) },
	}.run(stdout, stderr)
}

func returnsStopCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("returns stop", `
Usage: coupang returns stop --id ID [--count N] [--dry-run]

Answers a release-stop request (출고중지요청: the customer cancelled while the
order was being prepared) with a stopped shipment (출고중지완료), with the
receipt's whole quantity. Only for an order that has not left: one that has
is reported with "coupang returns shipped". A shipment already stopped is
left as it is.`)
	f := addReceiptFlags(fs)
	count := countFlag(fs)
	if err := f.parse(fs, args, stdout); err != nil {
		return err
	}
	if err := checkCount(fs, *count); err != nil {
		return err
	}
	t, r, err := f.find(ctx, stderr)
	if err != nil {
		return err
	}
	defer t.Close()
	a := r.Actions().StopShipment
	n := int64(0)
	if !a.Done && a.Allowed {
		if n, err = quantity(fs, r, *count); err != nil {
			return err
		}
	}
	return act{
		what: fmt.Sprintf("return %d", r.ReceiptID), state: a, done: a.Done, describe: returnState(r),
		cannot: "have its shipment stopped", would: fmt.Sprintf("stop the shipment (cancelCount %d)", n),
		did: fmt.Sprintf("shipment stopped (cancelCount %d)", n), already: "shipment already stopped",
		dryRun: f.dryRun,
		send:   func() error { return t.Client.Returns.EnsureShipmentStopped(ctx, r) },
	}.run(stdout, stderr)
}

func returnsShippedCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("returns shipped", `
Usage: coupang returns shipped --id ID --courier CODE --invoice NUMBER [--courier-unlisted] [--dry-run]

Answers a release-stop request (출고중지요청) as already shipped (이미출고), with
the waybill the order left under: Coupang then handles it as a return. A
receipt already answered so is left as it is. Courier codes are checked as
for "coupang exchanges upload-invoice".`)
	f := addReceiptFlags(fs)
	wb := addWaybillFlags(fs, "deliveryCompanyCode")
	if err := f.parse(fs, args, stdout, "courier", "invoice"); err != nil {
		return err
	}
	if err := wb.check(fs.Name()); err != nil {
		return err
	}
	t, r, err := f.find(ctx, stderr)
	if err != nil {
		return err
	}
	defer t.Close()
	a := r.Actions().MarkShipped
	if !a.Done && a.Allowed {
		wb.warn(stderr)
	}
	return act{
		what: fmt.Sprintf("return %d", r.ReceiptID), state: a, done: a.Done, describe: returnState(r),
		cannot: "be reported shipped", would: fmt.Sprintf("report it shipped under %s %s", wb.courier, wb.invoice),
		did: fmt.Sprintf("reported shipped under %s %s", wb.courier, wb.invoice), already: "already reported shipped",
		dryRun: f.dryRun,
		send:   func() error { return t.Client.Returns.EnsureMarkedShipped(ctx, r, wb.courier, wb.invoice) },
	}.run(stdout, stderr)
}

func returnsPickupCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("returns pickup-invoice", `
Usage: coupang returns pickup-invoice --id ID --courier CODE --invoice NUMBER [--courier-unlisted] [--dry-run]

Registers the waybill under which you have the returned goods picked up
(회수 송장 등록), for a return you collect yourself. The same waybill already
on the receipt is left as it is; another one is added. Courier codes are
checked as for "coupang exchanges upload-invoice".`)
	f := addReceiptFlags(fs)
	wb := addWaybillFlags(fs, "deliveryCompanyCode")
	if err := f.parse(fs, args, stdout, "courier", "invoice"); err != nil {
		return err
	}
	if err := wb.check(fs.Name()); err != nil {
		return err
	}
	t, r, err := f.find(ctx, stderr)
	if err != nil {
		return err
	}
	defer t.Close()
	a := r.Actions().UploadPickupInvoice
	done := false
	for _, w := range r.PickupWaybills() {
		done = done || (w.DeliveryCompanyCode == wb.courier && w.DeliveryInvoiceNo == wb.invoice)
	}
	if !done && a.Allowed {
		wb.warn(stderr)
	}
	return act{
		what: fmt.Sprintf("return %d", r.ReceiptID), state: a, done: done, describe: returnState(r),
		cannot: "take a pickup waybill", would: fmt.Sprintf("register pickup waybill %s %s", wb.courier, wb.invoice),
		did: fmt.Sprintf("pickup waybill %s %s registered", wb.courier, wb.invoice), already: fmt.Sprintf("already carries pickup waybill %s %s", wb.courier, wb.invoice),
		dryRun: f.dryRun,
		send:   func() error { return t.Client.Returns.EnsurePickupInvoiceUploaded(ctx, r, wb.courier, wb.invoice) },
	}.run(stdout, stderr)
}
