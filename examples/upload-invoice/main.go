// Command upload-invoice uploads the waybill of the replacement shipment of
// an exchange (교환상품 송장 업로드 처리). Confirm receipt first, then use the
// NEW shipment box id that Coupang creates (deliveryInvoiceGroupDtos[].
// shipmentBoxId), never the item's originalShipmentBoxId: Coupang refuses it
// with "status [NONE_TRACKING] is not suitable for applyInvoice".
//
//	go run ./examples/list-exchanges -status PROGRESS -json   # find boxes
//	go run ./examples/upload-invoice -id 400177819 -box 500000789279679787 -courier CJGLS -invoice 123456789012
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

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/examples/internal/cli"
	courierpkg "github.com/go-coupang/coupang/internal/courier"
)

const name = "upload-invoice"

func main() { os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr)) }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return cli.Exit(name, stderr, upload(ctx, args, stdout, stderr))
}

func upload(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	id := fs.Int64("id", 0, "the exchange `id` (exchangeId); required")
	box := fs.Int64("box", 0, "the NEW shipment `box id` of the replacement (deliveryInvoiceGroupDtos[].shipmentBoxId); required")
	courier := fs.String("courier", "", "the courier `code` (goodsDeliveryCode), such as CJGLS, HANJIN, HYUNDAI (Lotte), EPOST; required")
	invoice := fs.String("invoice", "", "the waybill `number`; required")
	fs.Usage = cli.Usage(fs, `
Usage: upload-invoice -id EXCHANGE_ID -box BOX_ID -courier CODE -invoice NUMBER

Uploads the waybill of an exchange's replacement shipment. The exchange's
next step must be upload-invoice (list-exchanges' NEXT column, from the
SDK's ExchangeRequest.Actions), and -box must be the new box Coupang created
after the receipt was confirmed. Courier codes are given as Coupang writes
them: a code in another form is refused, not rewritten. Find them with:
  go run ./examples/list-exchanges -status PROGRESS -json`, cli.EnvHelp)
	if err := cli.Parse(fs, args, stdout); err != nil {
		return err
	}
	if err := cli.Required(map[string]bool{"id": *id != 0, "box": *box != 0, "courier": *courier != "", "invoice": *invoice != ""}); err != nil {
		return err
	}
	// Refused, never rewritten: "cj" is not upper-cased into a code that
	// was not given.
	code := *courier
	if !courierpkg.WellFormed(code) {
		var known []string
		for _, c := range coupang.Couriers() {
			known = append(known, c.Code)
		}
		hint := ""
		if s := courierpkg.Suggest(code, known); s != "" {
			hint = " (did you mean " + s + "?)"
		}
		return cli.Usagef("-courier %q: want a courier code of capital letters, digits and underscores, such as CJGLS%s", code, hint)
	}
	if c, ok := coupang.LookupCourier(code); !ok {
		fmt.Fprintf(stderr, "warning: courier code %s is not in the built-in table (Coupang adds couriers); sending it as given\n", code)
	} else {
		if c.Retired {
			fmt.Fprintf(stderr, "warning: courier %s (%s) is retired; Coupang will likely refuse it\n", c.Code, c.Name)
		}
		if !c.AcceptsInvoiceNumber(*invoice) {
			fmt.Fprintf(stderr, "warning: %s waybill numbers have %v characters, not %d\n", c.Code, c.InvoiceLengths, len(*invoice))
		}
	}

	env, err := cli.Connect(stderr)
	if err != nil {
		return err
	}
	defer env.Close()

	err = env.Client.Exchanges.UploadInvoices(ctx, *id, []coupang.ExchangeInvoice{
		{ShipmentBoxID: *box, GoodsDeliveryCode: code, InvoiceNumber: *invoice},
	})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "exchange %d: waybill %s %s uploaded for box %d; Coupang answered SUCCESS\n", *id, code, *invoice, *box)
	return err
}
