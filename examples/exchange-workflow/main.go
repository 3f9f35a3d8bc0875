// Command exchange-workflow walks through the whole exchange (교환) flow and
// prints a numbered account of each step with Coupang's answers:
//
//  1. find the RECEIPT exchange requests of the last 30 days, with a first
//     pass of Changes (every exchange is new to an empty store);
//  2. confirm receipt of one whose item can have come back, as
//     ExchangeRequest.Actions says (EnsureReceiptConfirmed);
//  3. wait, re-listing with backoff, for the new shipment box id that Coupang
//     creates for the replacement (WaitForShipmentBox; up to about 10
//     minutes on Coupang);
//  4. upload the replacement's waybill against that NEW box
//     (EnsureInvoicesUploaded);
//  5. reject another, rejectable, exchange because the replacement is sold
//     out (EnsureRejected);
//  6. a second pass of Changes, which yields exactly the exchanges acted on,
//     in their final states.
//
// The Ensure… calls apply each effect once however often they run, so a job
// that repeats them after a crash or a timeout does no harm.
//
// Run it with no COUPANG_* environment variables to see it on the in-process
// sandbox, in a few seconds:
//
//	go run ./examples/exchange-workflow
//
// On a real account it never picks exchanges by itself: it lists them, and
// acts only on those given with -confirm and -reject, uploading the waybill
// given with -courier and -invoice.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
	"github.com/go-coupang/coupang/examples/internal/cli"
)

const name = "exchange-workflow"

// sandboxBoxDelay is how long the sandbox takes to create the new box: long
// enough to show the waiting, short enough for a demo.
const sandboxBoxDelay = time.Second

func main() { os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr)) }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return cli.Exit(name, stderr, workflow(ctx, args, stdout, stderr))
}

type config struct {
	days              int
	confirmID         int64
	rejectID          int64
	courier, waybill  string
	wait              time.Duration
	sandbox           bool
	createdFrom, upTo time.Time
}

func workflow(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	var cfg config
	fs.IntVar(&cfg.days, "days", 30, "look back this many `days` (Korea time, today included)")
	fs.Int64Var(&cfg.confirmID, "confirm", 0, "confirm receipt of this exchange `id`; on the sandbox the default picks one")
	fs.Int64Var(&cfg.rejectID, "reject", 0, "reject this exchange `id` with SOLDOUT; on the sandbox the default picks a rejectable one")
	fs.StringVar(&cfg.courier, "courier", coupang.CourierCJ, "courier `code` of the replacement's waybill")
	fs.StringVar(&cfg.waybill, "invoice", "", "waybill `number` of the replacement; on the sandbox the default is a generated 12-digit number")
	fs.DurationVar(&cfg.wait, "wait", 15*time.Minute, "how long to wait for the new shipment box (Coupang takes up to about 10 minutes)")
	fs.Usage = cli.Usage(fs, `
Usage: exchange-workflow [-days N] [-confirm ID] [-reject ID] [-courier CODE] [-invoice NUMBER] [-wait DURATION]

Walks through the whole exchange flow and prints what Coupang answers at each
step: list RECEIPT exchanges, confirm receipt of one, wait for its new
shipment box, upload the replacement's waybill, reject a sold-out one, and
show the final states. On the sandbox it picks the exchanges itself; on a
real account it only lists, and acts on the ids given with -confirm and
-reject (and uploads only a waybill given with -invoice).`, cli.EnvHelp)
	if err := cli.Parse(fs, args, stdout); err != nil {
		return err
	}
	if cfg.days < 1 {
		return cli.Usagef("-days %d: want at least 1", cfg.days)
	}
	if cfg.wait <= 0 {
		return cli.Usagef("-wait %v: want a positive duration", cfg.wait)
	}
	if cfg.confirmID < 0 || cfg.rejectID < 0 || (cfg.confirmID != 0 && cfg.confirmID == cfg.rejectID) {
		return cli.Usagef("-confirm and -reject need two different positive exchange ids")
	}
	var err error
	if cfg.createdFrom, cfg.upTo, err = cli.DayRange("", "", cfg.days, time.Now()); err != nil {
		return err
	}

	env, err := cli.Connect(stderr, coupangtest.WithBoxDelay(sandboxBoxDelay))
	if err != nil {
		return err
	}
	defer env.Close()
	cfg.sandbox = env.Sandbox != nil
	if cfg.sandbox && cfg.waybill == "" {
		cfg.waybill = strconv.FormatInt(100_000_000_000+rand.Int64N(900_000_000_000), 10)
	}
	w := &walker{out: stdout, client: env.Client, cfg: cfg}
	return w.walk(ctx)
}

// walker runs the steps and prints the account.
type walker struct {
	out    io.Writer
	client *coupang.Client
	cfg    config
	step   int
	done   []string
}

func (w *walker) title(format string, args ...any) {
	w.step++
	fmt.Fprintf(w.out, "\n%d. %s\n", w.step, cli.Safe(fmt.Sprintf(format, args...)))
}

func (w *walker) line(format string, args ...any) {
	fmt.Fprintf(w.out, "   %s\n", cli.Safe(fmt.Sprintf(format, args...)))
}

// answered prints Coupang's answer to a write: SUCCESS, or its failure.
func (w *walker) answered(err error) error {
	if err == nil {
		w.line("→ Coupang answered SUCCESS")
		return nil
	}
	if errors.Is(err, coupang.ErrNotApplicable) {
		w.line("→ not sent: the exchange's current state does not allow it")
		return err
	}
	var apiErr *coupang.APIError
	if errors.As(err, &apiErr) {
		switch {
		case apiErr.ResultCode != "":
			w.line("→ Coupang answered HTTP %d, resultCode %s: %s", apiErr.StatusCode, apiErr.ResultCode, apiErr.Message)
		default:
			w.line("→ Coupang answered HTTP %d: %s", apiErr.StatusCode, apiErr.Message)
		}
	}
	return err
}

func (w *walker) walk(ctx context.Context) error {
	cfg := w.cfg
	if cfg.sandbox {
		fmt.Fprintf(w.out, "Exchange workflow on the in-process sandbox (invented data; new boxes appear after %v)\n", sandboxBoxDelay)
	} else {
		fmt.Fprintf(w.out, "Exchange workflow for vendor %s at %s\n", w.client.VendorID(), w.client.BaseURL())
	}

	// 1. What is waiting? A first pass of Changes over an empty store yields
	// every exchange as new; a worker keeps the store (a file) between passes
	// and then sees only what changed (see examples/sync).
	w.title("List the RECEIPT exchange requests created %s to %s (Korea time)",
		cfg.createdFrom.Format(cli.DateLayout), cfg.upTo.Format(cli.DateLayout))
	w.line("a pass of Changes: GET .../exchangeRequests in windows of at most 7 days, following nextToken")
	store := coupang.NewMemoryChangeStore()
	passOpts := coupang.ChangeOptions{
		From:     cfg.createdFrom,
		Lookback: cfg.upTo.Sub(cfg.createdFrom),
	}
	var receipts []coupang.ExchangeRequest
	total := 0
	for change, err := range w.client.Exchanges.Changes(ctx, store, passOpts) {
		if err != nil {
			return err
		}
		total++
		if change.Exchange.Status == coupang.ExchangeStatusReceipt {
			receipts = append(receipts, change.Exchange)
		}
	}
	w.line("→ %d exchanges, all new to the store; %d RECEIPT found, oldest first:", total, len(receipts))
	for i, ex := range receipts {
		if i == 12 {
			w.line("    … and %d more", len(receipts)-i)
			break
		}
		w.line("    %s", summary(ex))
	}

	toConfirm, toReject, err := w.pick(receipts)
	if err != nil {
		return err
	}

	// 2–4. Confirm receipt, wait for the new box, upload the waybill.
	if toConfirm == nil {
		w.title("Confirm receipt — skipped")
		w.line("on a real account, pass -confirm EXCHANGE_ID: an exchange from the list whose returned item has arrived")
	} else if err := w.confirmAndShip(ctx, *toConfirm); err != nil {
		return err
	}

	// 5. Reject.
	if toReject == nil {
		w.title("Reject a sold-out exchange — skipped")
		if cfg.sandbox {
			w.line("no other rejectable RECEIPT exchange in the list")
		} else {
			w.line("on a real account, pass -reject EXCHANGE_ID: a rejectable exchange whose replacement is sold out")
		}
	} else {
		ex := *toReject
		w.title("Reject exchange %d (order %d) with %s: %s", ex.ExchangeID, ex.OrderID, coupang.RejectSoldOut, coupang.RejectSoldOut.English())
		if a := ex.Actions().Reject; !a.Allowed {
			w.line("note: %s, so Coupang should refuse", a.Why)
		}
		w.line("EnsureRejected: PUT .../exchangeRequests/%d/rejection {exchangeId, vendorId, exchangeRejectCode: SOLDOUT}, unless already rejected", ex.ExchangeID)
		if err := w.answered(w.client.Exchanges.EnsureRejected(ctx, ex, coupang.RejectSoldOut)); err != nil {
			return err
		}
		w.done = append(w.done, fmt.Sprintf("exchange %d rejected", ex.ExchangeID))
	}

	// 6. Where things stand now: a second pass yields only what changed.
	if len(w.done) > 0 {
		w.title("Final states, from a second pass of Changes")
		n := 0
		for change, err := range w.client.Exchanges.Changes(ctx, store, passOpts) {
			if err != nil {
				return err
			}
			n++
			w.line("%s", finalState(change.Exchange))
			w.line("    changed: %s", strings.Join(change.Changed, ", "))
		}
		w.line("→ %d changed since the first pass", n)
	}
	if len(w.done) == 0 {
		fmt.Fprintf(w.out, "\nDone: nothing changed.\n")
		return nil
	}
	fmt.Fprintf(w.out, "\nDone: ")
	for i, d := range w.done {
		if i > 0 {
			fmt.Fprint(w.out, "; ")
		}
		fmt.Fprint(w.out, d)
	}
	fmt.Fprintln(w.out, ".")
	return nil
}

// pick chooses the exchanges to act on: the ones given by flags, or on the
// sandbox the oldest whose pickup is under way and the oldest other
// rejectable one.
func (w *walker) pick(receipts []coupang.ExchangeRequest) (toConfirm, toReject *coupang.ExchangeRequest, err error) {
	byID := func(id int64, flagName string) (*coupang.ExchangeRequest, error) {
		for i := range receipts {
			if int64(receipts[i].ExchangeID) == id {
				return &receipts[i], nil
			}
		}
		return nil, fmt.Errorf("-%s %d: not among the RECEIPT exchange requests of the last %d days", flagName, id, w.cfg.days)
	}
	if w.cfg.confirmID != 0 {
		if toConfirm, err = byID(w.cfg.confirmID, "confirm"); err != nil {
			return nil, nil, err
		}
		// The one rule of the SDK: no confirmation before the item can
		// have reached the seller.
		if a := toConfirm.Actions().ConfirmReceipt; a.Early {
			return nil, nil, fmt.Errorf("-confirm %d: not confirmed: %s (if you have the item, confirm it with: coupang exchanges confirm --id %d --force)", w.cfg.confirmID, a.Why, w.cfg.confirmID)
		}
	} else if w.cfg.sandbox {
		for i := range receipts {
			if a := receipts[i].Actions().ConfirmReceipt; a.Allowed && !a.Early {
				toConfirm = &receipts[i]
				break
			}
		}
	}
	if w.cfg.rejectID != 0 {
		if toReject, err = byID(w.cfg.rejectID, "reject"); err != nil {
			return nil, nil, err
		}
	} else if w.cfg.sandbox {
		for i := range receipts {
			if receipts[i].Actions().Reject.Allowed && &receipts[i] != toConfirm {
				toReject = &receipts[i]
				break
			}
		}
	}
	return toConfirm, toReject, nil
}

// confirmAndShip confirms receipt of ex, waits for its new box and uploads
// the replacement's waybill.
func (w *walker) confirmAndShip(ctx context.Context, ex coupang.ExchangeRequest) error {
	w.title("Confirm receipt of exchange %d (order %d, pickup %s)", ex.ExchangeID, ex.OrderID, dash(string(ex.CollectStatus)))
	w.line("EnsureReceiptConfirmed: PUT .../exchangeRequests/%d/receiveConfirmation {exchangeId, vendorId}, unless already confirmed", ex.ExchangeID)
	if err := w.answered(w.client.Exchanges.EnsureReceiptConfirmed(ctx, ex)); err != nil {
		return err
	}
	w.done = append(w.done, fmt.Sprintf("receipt of exchange %d confirmed", ex.ExchangeID))

	w.title("Wait for the new shipment box of exchange %d (at most %v)", ex.ExchangeID, w.cfg.wait)
	w.line("Coupang creates it up to about 10 minutes after the confirmation; WaitForShipmentBox re-lists order %d with backoff", ex.OrderID)
	box, err := w.waitForBox(ctx, ex)
	if err != nil {
		return err
	}

	if w.cfg.waybill == "" {
		w.title("Upload the waybill — skipped")
		w.line("on a real account, pass -invoice NUMBER (and -courier CODE) to upload the replacement's real waybill")
		return nil
	}
	w.title("Upload the waybill of the replacement: courier %s, number %s, box %d", w.cfg.courier, w.cfg.waybill, box)
	if len(ex.Items) > 0 {
		w.line("the NEW box, not the original box %d of the returned item", ex.Items[0].OriginalShipmentBoxID)
	}
	w.line("EnsureInvoicesUploaded: POST .../exchangeRequests/%d/invoices [{exchangeId, vendorId, shipmentBoxId, goodsDeliveryCode, invoiceNumber}], unless already there", ex.ExchangeID)
	err = w.client.Exchanges.EnsureInvoicesUploaded(ctx, ex, []coupang.ExchangeInvoice{
		{ShipmentBoxID: box, GoodsDeliveryCode: w.cfg.courier, InvoiceNumber: w.cfg.waybill},
	})
	if err := w.answered(err); err != nil {
		return err
	}
	w.done = append(w.done, fmt.Sprintf("waybill %s %s uploaded for exchange %d", w.cfg.courier, w.cfg.waybill, ex.ExchangeID))
	return nil
}

// waitForBox waits for the new box of ex for at most cfg.wait.
func (w *walker) waitForBox(ctx context.Context, ex coupang.ExchangeRequest) (int64, error) {
	ctx, cancel := context.WithTimeout(ctx, w.cfg.wait)
	defer cancel()
	start := time.Now()
	box, err := w.client.Exchanges.WaitForShipmentBox(ctx, ex)
	if errors.Is(err, context.DeadlineExceeded) {
		return 0, fmt.Errorf("no new shipment box for exchange %d after %v; list it again later", ex.ExchangeID, w.cfg.wait)
	}
	if err != nil {
		return 0, err
	}
	w.line("→ new shipment box %d (after %v)", box, time.Since(start).Round(100*time.Millisecond))
	return box, nil
}

func summary(ex coupang.ExchangeRequest) string {
	rejectable := "not rejectable"
	if ex.Rejectable {
		rejectable = "rejectable"
	}
	return fmt.Sprintf("%d  order %d  created %s  pickup %-17s  %-14s  next: %-18s  %s", ex.ExchangeID, ex.OrderID,
		cli.FormatTime(ex.CreatedAt), dash(string(ex.CollectStatus)), rejectable, ex.Actions().Next.English(), dash(ex.ReasonInfo().English))
}

// finalState describes where an exchange stands, without personal data.
func finalState(ex coupang.ExchangeRequest) string {
	s := fmt.Sprintf("%d  %s (%s)  pickup %s  delivery %s", ex.ExchangeID, ex.Status, ex.Status.English(),
		dash(string(ex.CollectStatus)), dash(string(ex.DeliveryStatus)))
	for _, g := range ex.DeliveryInvoiceGroups {
		s += fmt.Sprintf("  box %d", g.ShipmentBoxID)
		for _, inv := range g.Invoices {
			s += fmt.Sprintf("  waybill %s %s", inv.DeliverCode, inv.InvoiceNumber)
		}
	}
	return s
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
