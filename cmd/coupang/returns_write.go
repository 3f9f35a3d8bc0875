package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"slices"

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

// parse parses the flags (see parseChecked): --id is required and is
// checked first, then checks.
func (f *receiptFlags) parse(fs *flag.FlagSet, args []string, stdout io.Writer, requiredFlags []string, checks ...func(cmd string) error) error {
	return parseChecked(fs, args, stdout, append([]string{"id"}, requiredFlags...), append([]func(string) error{f.check}, checks...))
}

// check refuses an --id out of range.
func (f *receiptFlags) check(cmd string) error {
	if f.id <= 0 {
		return usageErrorf("%s: --id must be positive", cmd)
	}
	return nil
}

// find connects and reads the receipt.
func (f *receiptFlags) find(ctx context.Context, stderr io.Writer) (*target, coupang.ReturnRequest, error) {
	return connectFind(ctx, stderr, func(ctx context.Context, c *coupang.Client) (coupang.ReturnRequest, error) {
		return findReturn(ctx, c, f.id)
	})
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
	s := "status " + labelOf(r.Status)
	if r.Status == "" {
		s = "type " + labelOf(r.ReceiptType)
	}
	if r.ReleaseStopStatus != "" && r.ReleaseStopStatus != coupang.ReturnReleaseStopNotApplicable {
		s += ", release stop " + labelOf(r.ReleaseStopStatus)
	}
	if r.PreRefund {
		s += ", quick refund"
	}
	return termsafe.String(s)
}

// returnWrite is one returns write command: what sets it apart from the
// others. run is the rest, the same for each: parse and check the flags,
// read the receipt, judge it by the action's state, work out the quantity or
// warn about the waybill, and carry it out through act.
type returnWrite struct {
	name, synopsis string
	// force, when set, adds --force with this usage: it sends an early
	// action (ActionState.Early), which forceHint tells how to override.
	force, forceHint string
	// count adds --count (countFlag): the quantity to send, the receipt's
	// whole one, is worked out and put in the messages.
	count bool
	// waybill adds the waybill flags, required and checked before
	// connecting; the waybill is warned about before it is sent.
	waybill bool
	// action picks the command's action from the receipt's Actions.
	action func(coupang.ReturnActions) coupang.ActionState
	// done, when set, reports that the wanted state is there, instead of
	// the action's Done.
	done func(r coupang.ReturnRequest, wb *waybillFlags) bool
	// messages returns the act's wording (cannot, would, did, already,
	// next): n is the quantity sent (with count), wb the waybill (with
	// waybill).
	messages func(r coupang.ReturnRequest, n int64, wb *waybillFlags) act
	// send writes through the SDK's Ensure… call.
	send func(ctx context.Context, s *coupang.ReturnService, r coupang.ReturnRequest, wb *waybillFlags) error
}

// run runs the command w with args.
func (w returnWrite) run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("returns "+w.name, w.synopsis)
	f := addReceiptFlags(fs)
	force := new(bool)
	if w.force != "" {
		force = fs.Bool("force", false, w.force)
	}
	var requiredFlags []string
	var checks []func(string) error
	count := new(int64)
	if w.count {
		count = countFlag(fs)
		checks = append(checks, func(string) error { return checkCount(fs, *count) })
	}
	var wb *waybillFlags
	if w.waybill {
		wb = addWaybillFlags(fs, "deliveryCompanyCode")
		requiredFlags, checks = waybillRequired, append(checks, wb.check)
	}
	if err := f.parse(fs, args, stdout, requiredFlags, checks...); err != nil {
		return err
	}
	t, r, err := f.find(ctx, stderr)
	if err != nil {
		return err
	}
	defer t.Close()
	a := w.action(r.Actions())
	done := a.Done
	if w.done != nil {
		done = w.done(r, wb)
	}
	n := int64(0)
	if !done && a.Allowed && w.count {
		if n, err = quantity(fs, r, *count); err != nil {
			return err
		}
	}
	if !done && a.Allowed && wb != nil {
		wb.warn(stderr)
	}
	x := w.messages(r, n, wb)
	x.what, x.state, x.done, x.describe = fmt.Sprintf("return %d", r.ReceiptID), a, done, returnState(r)
	x.forceHint, x.force, x.dryRun = w.forceHint, *force, f.dryRun
	x.send = func() error { return w.send(ctx, t.Client.Returns, r, wb) }
	return x.run(stdout, stderr)
}

// returnsConfirm is "coupang returns confirm": the goods are back (입고 확인).
var returnsConfirm = returnWrite{
	name: "confirm",
	synopsis: `
Usage: coupang returns confirm --id ID [--force] [--dry-run]

Confirms that the returned goods arrived (입고 확인). A receipt already
confirmed is left as it is. Coupang accepts a confirmation as soon as the
return is filed, but the goods cannot be back before they are picked up:
while no pickup waybill is registered, or a release-stop request is
unanswered, the command refuses and says why. --force confirms anyway, for
goods you have in hand.`,
	force:     "confirm even though the state says the goods cannot be back yet",
	forceHint: "If you have the goods already and have checked them, run again with --force",
	action:    func(a coupang.ReturnActions) coupang.ActionState { return a.ConfirmReceipt },
	messages: func(r coupang.ReturnRequest, _ int64, _ *waybillFlags) act {
		return act{
			cannot: "be confirmed", would: "confirm the receipt", did: "receipt confirmed", already: "receipt already confirmed",
			next: fmt.Sprintf("coupang returns approve --id %d (or leave it to Coupang's automatic approval)", r.ReceiptID),
		}
	},
	send: func(ctx context.Context, s *coupang.ReturnService, r coupang.ReturnRequest, _ *waybillFlags) error {
		return s.EnsureReceiptConfirmed(ctx, r)
	},
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

// returnsApprove is "coupang returns approve" (반품 승인).
var returnsApprove = returnWrite{
	name: "approve",
	synopsis: `
Usage: coupang returns approve --id ID [--count N] [--dry-run]

Approves a return whose receipt is confirmed (반품 승인), with its whole
quantity: Coupang accepts no other. Coupang approves confirmed returns by
itself after a while; a return already approved is left as it is.`,
	count:  true,
	action: func(a coupang.ReturnActions) coupang.ActionState { return a.Approve },
	messages: func(_ coupang.ReturnRequest, n int64, _ *waybillFlags) act {
		return act{
			cannot: "be approved", would: fmt.Sprintf("approve with cancelCount %d", n), did: fmt.Sprintf("approved with cancelCount %d", n),
			already: "already approved",
		}
	},
	send: func(ctx context.Context, s *coupang.ReturnService, r coupang.ReturnRequest, _ *waybillFlags) error {
		return s.EnsureApproved(ctx, r)
	},
}

// returnsStop is "coupang returns stop": a stopped shipment (출고중지완료).
var returnsStop = returnWrite{
	name: "stop",
	synopsis: `
Usage: coupang returns stop --id ID [--count N] [--dry-run]

Answers a release-stop request (출고중지요청: the customer cancelled while the
order was being prepared) with a stopped shipment (출고중지완료), with the
receipt's whole quantity. Only for an order that has not left: one that has
is reported with "coupang returns shipped". A shipment already stopped is
left as it is.`,
	count:  true,
	action: func(a coupang.ReturnActions) coupang.ActionState { return a.StopShipment },
	messages: func(_ coupang.ReturnRequest, n int64, _ *waybillFlags) act {
		return act{
			cannot: "have its shipment stopped", would: fmt.Sprintf("stop the shipment (cancelCount %d)", n),
			did: fmt.Sprintf("shipment stopped (cancelCount %d)", n), already: "shipment already stopped",
		}
	},
	send: func(ctx context.Context, s *coupang.ReturnService, r coupang.ReturnRequest, _ *waybillFlags) error {
		return s.EnsureShipmentStopped(ctx, r)
	},
}

// returnsShipped is "coupang returns shipped": already shipped (이미출고).
var returnsShipped = returnWrite{
	name: "shipped",
	synopsis: `
Usage: coupang returns shipped --id ID --courier CODE --invoice NUMBER [--courier-unlisted] [--dry-run]

Answers a release-stop request (출고중지요청) as already shipped (이미출고), with
the waybill the order left under: Coupang then handles it as a return. A
receipt already answered so is left as it is. Courier codes are checked as
for "coupang exchanges upload-invoice".`,
	waybill: true,
	action:  func(a coupang.ReturnActions) coupang.ActionState { return a.MarkShipped },
	messages: func(_ coupang.ReturnRequest, _ int64, wb *waybillFlags) act {
		return act{
			cannot: "be reported shipped", would: fmt.Sprintf("report it shipped under %s %s", wb.courier, wb.invoice),
			did: fmt.Sprintf("reported shipped under %s %s", wb.courier, wb.invoice), already: "already reported shipped",
		}
	},
	send: func(ctx context.Context, s *coupang.ReturnService, r coupang.ReturnRequest, wb *waybillFlags) error {
		return s.EnsureMarkedShipped(ctx, r, wb.courier, wb.invoice)
	},
}

// returnsPickup is "coupang returns pickup-invoice" (회수 송장 등록).
var returnsPickup = returnWrite{
	name: "pickup-invoice",
	synopsis: `
Usage: coupang returns pickup-invoice --id ID --courier CODE --invoice NUMBER [--courier-unlisted] [--dry-run]

Registers the waybill under which you have the returned goods picked up
(회수 송장 등록), for a return you collect yourself. The same waybill already
on the receipt is left as it is; another one is added. Courier codes are
checked as for "coupang exchanges upload-invoice".`,
	waybill: true,
	action:  func(a coupang.ReturnActions) coupang.ActionState { return a.UploadPickupInvoice },
	// The action's Done is any waybill; this one may still be missing.
	done: func(r coupang.ReturnRequest, wb *waybillFlags) bool {
		return slices.ContainsFunc(r.PickupWaybills(), func(w coupang.ReturnDelivery) bool {
			return w.DeliveryCompanyCode == wb.courier && w.DeliveryInvoiceNo == wb.invoice
		})
	},
	messages: func(_ coupang.ReturnRequest, _ int64, wb *waybillFlags) act { return wb.pickupAct() },
	send: func(ctx context.Context, s *coupang.ReturnService, r coupang.ReturnRequest, wb *waybillFlags) error {
		return s.EnsurePickupInvoiceUploaded(ctx, r, wb.courier, wb.invoice)
	},
}
