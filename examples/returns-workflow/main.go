// Command returns-workflow walks through the return (반품) flow the way a
// seller's worker runs it — the feed, the state rule, the right action — and
// prints a numbered account:
//
//  1. a first pass of Returns.Changes over an empty store: every return
//     receipt of the look-back is new, each with the next step its state
//     calls for (ReturnRequest.Actions);
//  2. before shipping an order, ask whether a release-stop request is
//     pending for it (PendingReleaseStops);
//  3. act on each receipt as its step says, through the Ensure… calls,
//     which apply each effect once however often they run: stop the
//     shipment of a release stop, confirm the receipt of returned goods,
//     approve a confirmed return;
//  4. a second pass of Changes: the receipts acted on come back updated,
//     and a return the customer withdrew meanwhile is reported withdrawn —
//     confirmed through the withdrawal history, once.
//
// Run it with no COUPANG_* environment variables to see it on the in-process
// sandbox, where it acts by itself and a customer withdraws one return
// between the passes:
//
//	go run ./examples/returns-workflow
//
// On a real account it only lists and prints each receipt's next step,
// unless -apply is given: then it stops release-stopped shipments, confirms
// the returns whose goods are on their way back and approves confirmed
// returns. Confirming means the goods are back and checked: use -apply only
// where that holds.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/examples/internal/cli"
)

const name = "returns-workflow"

func main() { os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr)) }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return cli.Exit(name, stderr, workflow(ctx, args, stdout, stderr))
}

func workflow(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	days := fs.Int("days", 30, "look back this many `days`")
	apply := fs.Bool("apply", false, "on a real account, act on the receipts as their next step says (the sandbox always does)")
	fs.Usage = cli.Usage(fs, `
Usage: returns-workflow [-days N] [-apply]

Runs a pass of the return feed, prints each receipt's next step, answers
release stops, confirms and approves returns through the Ensure… calls, and
runs a second pass that shows what changed and what was withdrawn. On a
real account it acts only with -apply.`, cli.EnvHelp)
	if err := cli.Parse(fs, args, stdout); err != nil {
		return err
	}
	if *days < 1 || *days > 366 {
		return cli.Usagef("-days %d: want 1 to 366", *days)
	}
	env, err := cli.Connect(stderr)
	if err != nil {
		return err
	}
	defer env.Close()
	w := &walker{out: stdout, client: env.Client, act: *apply || env.Sandbox != nil}
	opts := coupang.ChangeOptions{Lookback: time.Duration(*days) * 24 * time.Hour}
	store := coupang.NewMemoryChangeStore()

	if env.Sandbox != nil {
		fmt.Fprintln(w.out, "Return workflow on the in-process sandbox (invented data)")
	} else {
		fmt.Fprintf(w.out, "Return workflow for vendor %s at %s\n", env.Client.VendorID(), env.Client.BaseURL())
	}

	w.title("A first pass of the return feed over the last %d days", *days)
	w.line("GET .../returnRequests: four status filters (RU, UC, CC, PR) in windows of 7 days")
	var receipts []coupang.ReturnRequest
	for ch, err := range w.client.Returns.Changes(ctx, store, opts) {
		if err != nil {
			return err
		}
		receipts = append(receipts, ch.Return)
	}
	w.line("→ %d receipts, all new to the store; their next steps:", len(receipts))
	for _, r := range receipts {
		w.line("    %s", summary(r))
	}

	w.title("Before shipping an order: is a release stop pending for it?")
	var stop *coupang.ReturnRequest
	for i := range receipts {
		if receipts[i].ReleaseStopPending() {
			stop = &receipts[i]
			break
		}
	}
	if stop == nil {
		w.line("→ no receipt waits for a release-stop answer")
	} else {
		pending, err := w.client.Returns.PendingReleaseStops(ctx, stop.OrderID)
		if err != nil {
			return err
		}
		w.line("order %d: %d release stop(s) pending → do not ship it; stop the shipment", stop.OrderID, len(pending))
	}

	w.title("Act on each receipt as its next step says")
	if !w.act {
		w.line("not acting on a real account without -apply")
	} else if err := w.actAll(ctx, receipts); err != nil {
		return err
	}

	if env.Sandbox != nil {
		// A customer withdraws one of the returns still open: it vanishes
		// from the list, and only the withdrawal history tells.
		for _, r := range env.Sandbox.Returns() {
			if r.Status == coupang.ReturnStatusReturnsUnchecked && r.ReceiptType == coupang.ReturnReceiptTypeReturn {
				env.Sandbox.WithdrawReturn(r.ReceiptID)
				w.line("(meanwhile the customer of receipt %d withdraws the return)", r.ReceiptID)
				break
			}
		}
	}

	w.title("A second pass of the feed: what changed since the first")
	n := 0
	for ch, err := range w.client.Returns.Changes(ctx, store, opts) {
		if err != nil {
			return err
		}
		n++
		switch ch.Kind {
		case coupang.ChangeWithdrawn:
			w.line("    %d  withdrawn by the customer at %s (in the withdrawal history)", ch.Return.ReceiptID, cli.FormatTime(ch.Withdrawal.CreatedAt))
		default:
			w.line("    %s: %s", ch.Kind, summary(ch.Return))
		}
	}
	w.line("→ %d changes", n)
	return nil
}

// walker prints the account; every line goes through cli.Safe, since
// statuses and errors carry Coupang's text.
type walker struct {
	out    io.Writer
	client *coupang.Client
	act    bool
	step   int
}

func (w *walker) title(format string, args ...any) {
	w.step++
	fmt.Fprintf(w.out, "\n%d. %s\n", w.step, cli.Safe(fmt.Sprintf(format, args...)))
}

func (w *walker) line(format string, args ...any) {
	fmt.Fprintf(w.out, "   %s\n", cli.Safe(fmt.Sprintf(format, args...)))
}

// actAll applies each receipt's next step that the example acts on.
func (w *walker) actAll(ctx context.Context, receipts []coupang.ReturnRequest) error {
	acted := 0
	for _, r := range receipts {
		var err error
		switch r.Actions().Next {
		case coupang.StepStopShipment:
			w.line("receipt %d: stop the shipment of order %d (출고중지완료, whole quantity %d)", r.ReceiptID, r.OrderID, r.CancelCountSum)
			err = w.client.Returns.EnsureShipmentStopped(ctx, r)
		case coupang.StepConfirmOnArrival, coupang.StepConfirmReceipt:
			w.line("receipt %d: the goods are back and checked: confirm their receipt (입고 확인)", r.ReceiptID)
			err = w.client.Returns.EnsureReceiptConfirmed(ctx, r)
		case coupang.StepApprove:
			w.line("receipt %d: approve the return (반품 승인, whole quantity %d)", r.ReceiptID, r.CancelCountSum)
			err = w.client.Returns.EnsureApproved(ctx, r)
		default:
			continue
		}
		acted++
		switch {
		case err == nil:
			w.line("→ done")
		case errors.Is(err, coupang.ErrNotApplicable):
			w.line("→ not sent: %s", cli.Line(err.Error()))
		default:
			return err
		}
	}
	w.line("→ %d receipts acted on; the others wait for the courier, the customer or Coupang", acted)
	return nil
}

// summary describes a receipt by ids, status and next step: never the
// requester's name, phone or address.
func summary(r coupang.ReturnRequest) string {
	a := r.Actions()
	return fmt.Sprintf("%d  %s  order %d  → %s: %s", r.ReceiptID, r.Status, r.OrderID, a.Next, a.Why)
}
