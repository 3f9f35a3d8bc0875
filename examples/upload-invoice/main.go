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
	"strings"

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
	force := fs.Bool("force", false, "send the waybill even though the exchange's state or -box says Coupang will refuse it")
	unlisted := fs.Bool("courier-unlisted", false, "send a -courier code outside the built-in table even though it is one slip from a known one")
	fs.Usage = cli.Usage(fs, `
Usage: upload-invoice -id EXCHANGE_ID -box BOX_ID -courier CODE -invoice NUMBER [-force] [-courier-unlisted]

Uploads the waybill of an exchange's replacement shipment. The exchange is
listed first: the SDK's ExchangeRequest.Actions must allow the upload (the
receipt is confirmed and Coupang has created the new box; list-exchanges'
NEXT column), and -box must be that new box. Otherwise the example refuses
and says why; -force sends it anyway. Courier codes are given as Coupang
writes them: a code in another form is refused, not rewritten. A code
outside the built-in table is sent with a warning, since Coupang adds
couriers, but one a single slip from a known code (CJGSL for CJGLS) is
refused as a likely typo unless -courier-unlisted says it is meant. Find
exchanges and boxes with:
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
		hint := ""
		if s := courierpkg.Suggest(code, knownCouriers()); s != "" {
			hint = " (did you mean " + s + "?)"
		}
		return cli.Usagef("-courier %q: want a courier code of capital letters, digits and underscores, such as CJGLS%s", code, hint)
	}
	if near := courierpkg.Near(code, knownCouriers()); len(near) > 0 && !*unlisted {
		return cli.Usagef("-courier %s is not in the built-in table: did you mean %s? (-courier-unlisted sends it as given)", code, strings.Join(near, " or "))
	}
	if !waybillShaped(*invoice) {
		return cli.Usagef("-invoice: want a waybill number of ASCII letters, digits and \"-\", at most %d", coupang.MaxInvoiceNumberLength)
	}
	if err := cli.PositiveID(*id); err != nil {
		return err
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

	// The one state rule, not a reading of Status and the boxes here.
	ex, err := cli.FindExchange(ctx, env.Client, *id)
	if err != nil {
		return err
	}
	acts := ex.Actions()
	a := acts.UploadInvoice
	newBox, hasBox := ex.ReplacementShipmentBoxID()
	var why string
	switch {
	case a.Wait:
		why = a.Why + "; wait and run again"
	case !a.Allowed && a.Why != "":
		why = a.Why
	case !a.Allowed: // done, and the state allows no correction
		why = acts.Why + ": its box carries a waybill and it accepts no further action"
	case hasBox && *box != newBox:
		why = fmt.Sprintf("-box %d is not the exchange's new shipment box %d (the original box cannot take the replacement's waybill)", *box, newBox)
	}
	switch {
	case why != "" && !*force:
		return fmt.Errorf("exchange %d cannot take a waybill: %s (-force sends it anyway; Coupang decides)", *id, cli.Line(why))
	case why != "":
		fmt.Fprintf(stderr, "exchange %d: uploading with -force although %s\n", *id, cli.Line(why))
	}
	err = env.Client.Exchanges.UploadInvoices(ctx, *id, []coupang.ExchangeInvoice{
		{ShipmentBoxID: *box, GoodsDeliveryCode: code, InvoiceNumber: *invoice},
	})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "exchange %d: waybill %s %s uploaded for box %d; Coupang answered SUCCESS\n", *id, code, *invoice, *box)
	return err
}

// knownCouriers is the codes of the built-in courier table.
func knownCouriers() []string {
	var known []string
	for _, c := range coupang.Couriers() {
		known = append(known, c.Code)
	}
	return known
}

// waybillShaped reports whether n has the shape the client accepts for a
// waybill number, so that a typo is refused before the exchange is listed.
func waybillShaped(n string) bool {
	if n == "" || len(n) > coupang.MaxInvoiceNumberLength {
		return false
	}
	for _, r := range n {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}
