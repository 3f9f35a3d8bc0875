// Command confirm-receipt confirms that the item a customer sent back for an
// exchange has arrived (교환요청상품 입고 확인처리). Coupang then moves the
// exchange to PROGRESS and, within about 10 minutes, creates the shipment box
// of the replacement, whose waybill upload-invoice uploads.
//
//	go run ./examples/list-exchanges -status RECEIPT   # find candidates
//	go run ./examples/confirm-receipt -id 400178534
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
	fs.Usage = cli.Usage(fs, `
Usage: confirm-receipt -id EXCHANGE_ID

Confirms receipt of the item returned for a RECEIPT exchange request. Find
candidates with (NEXT confirm-receipt, or confirm-on-arrival once the item
is in your hands; the SDK's ExchangeRequest.Actions decides it):
  go run ./examples/list-exchanges -status RECEIPT`, cli.EnvHelp)
	if err := cli.Parse(fs, args, stdout); err != nil {
		return err
	}
	if err := cli.Required(map[string]bool{"id": *id != 0}); err != nil {
		return err
	}

	env, err := cli.Connect(stderr)
	if err != nil {
		return err
	}
	defer env.Close()

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
