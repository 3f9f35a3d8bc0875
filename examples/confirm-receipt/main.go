// Command confirm-receipt confirms that the item a customer sent back for an
// exchange has arrived (교환요청상품 입고 확인처리). Coupang then moves the
// exchange to PROGRESS and, within about 10 minutes, creates the shipment box
// of the replacement, whose waybill upload-invoice uploads.
//
//	go run ./examples/list-exchanges -status RECEIPT   # find candidates
//	go run ./examples/confirm-receipt -id 400179366   # on its way back: confirm on arrival
//
// With no COUPANG_* environment variables set it runs against the in-process
// sandbox, whose seeded exchanges are the same on every run.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/go-coupang/coupang/examples/internal/cli"
)

const name = "confirm-receipt"

func main() { os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr)) }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return cli.Exit(name, stderr, confirm(ctx, args, stdout, stderr))
}

func confirm(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	id := fs.Int64("id", 0, "the exchange `id` (exchangeId) whose returned item arrived; required")
	force := fs.Bool("force", false, "confirm even though the exchange's state says the item cannot have arrived yet (you have it in hand)")
	fs.Usage = cli.Usage(fs, `
Usage: confirm-receipt -id EXCHANGE_ID [-force]

Confirms receipt of the item returned for a RECEIPT exchange request. The
exchange is listed first and the SDK's ExchangeRequest.Actions decides:
until the courier has picked the item up it cannot have reached you, and
the example refuses and says why; -force confirms anyway. Find
candidates with (NEXT confirm-receipt, or confirm-on-arrival once the item
is in your hands; the SDK's ExchangeRequest.Actions decides it):
  go run ./examples/list-exchanges -status RECEIPT`, cli.EnvHelp)
	if err := cli.Parse(fs, args, stdout); err != nil {
		return err
	}
	if err := cli.Required(map[string]bool{"id": *id != 0}); err != nil {
		return err
	}
	if err := cli.PositiveID(*id); err != nil {
		return err
	}

	env, err := cli.Connect(stderr)
	if err != nil {
		return err
	}
	defer env.Close()

	// The one state rule, not a reading of Status and CollectStatus here.
	ex, err := cli.FindExchange(ctx, env.Client, *id)
	if err != nil {
		return err
	}
	a := ex.Actions().ConfirmReceipt
	switch {
	case a.Done && !*force:
		_, err = fmt.Fprintf(stdout, "exchange %d: receipt already confirmed; nothing sent\n", *id)
		return err
	case !a.Allowed && !*force:
		return fmt.Errorf("exchange %d cannot be confirmed: %s (-force sends it anyway; Coupang decides)", *id, cli.Line(a.Why))
	case a.Early && !*force:
		return fmt.Errorf("exchange %d not confirmed: %s. If you have the item already and have checked it, run again with -force", *id, cli.Line(a.Why))
	case a.Early || !a.Allowed:
		fmt.Fprintf(stderr, "exchange %d: confirming with -force although %s\n", *id, cli.Line(a.Why))
	}
	if err := env.Client.Exchanges.ConfirmReceipt(ctx, *id); err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, `exchange %d: receipt confirmed; Coupang answered SUCCESS
next: Coupang creates the replacement's shipment box within about 10 minutes.
  Its id is deliveryInvoiceGroupDtos[].shipmentBoxId in
    go run ./examples/list-exchanges -status PROGRESS -json
  then upload the waybill with
    go run ./examples/upload-invoice -id %d -box BOX_ID -courier CJGLS -invoice NUMBER
`, *id, *id)
	return err
}
