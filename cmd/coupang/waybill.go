package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/internal/courier"
)

// waybillFlags are --courier, --invoice and --courier-unlisted of every
// command that sends a waybill (exchanges upload-invoice and
// pickup-invoice, returns shipped and pickup-invoice): one set of checks,
// so that a typo is refused the same way by each of them.
type waybillFlags struct {
	courier, invoice string
	unlisted         bool
}

// waybillRequired names the waybill flags a command requires.
var waybillRequired = []string{"courier", "invoice"}

// addWaybillFlags adds the waybill flags to fs; wireName is the courier
// code's key on the wire (goodsDeliveryCode, deliveryCompanyCode).
func addWaybillFlags(fs *flag.FlagSet, wireName string) *waybillFlags {
	w := &waybillFlags{}
	fs.StringVar(&w.courier, "courier", "", "courier `code` ("+wireName+"), such as CJGLS, HANJIN or HYUNDAI (Lotte); required")
	fs.StringVar(&w.invoice, "invoice", "", "waybill `number`; required")
	fs.BoolVar(&w.unlisted, "courier-unlisted", false, "send a --courier code outside the built-in table even though it is one slip from a known one")
	return w
}

// check refuses a malformed courier code or waybill number, before
// connecting, as the client would before sending: a typo is a usage
// mistake, found without a call, also with --dry-run. Nothing is
// rewritten: "cj" is refused, with a suggestion. A code outside the
// built-in table is accepted (Coupang adds couriers), unless it is one slip
// from a known one and --courier-unlisted does not say it is meant.
func (w *waybillFlags) check(cmd string) error {
	if !courier.WellFormed(w.courier) {
		hint := ""
		if s := courier.Suggest(w.courier, courierCodes()); s != "" {
			hint = fmt.Sprintf(" (did you mean %s?)", s)
		}
		return usageErrorf("%s: --courier %q: want a courier code of capital letters, digits and underscores, such as CJGLS%s", cmd, w.courier, hint)
	}
	if near := courier.Near(w.courier, courierCodes()); len(near) > 0 && !w.unlisted {
		return usageErrorf("%s: --courier %s is not in the built-in table: did you mean %s? (--courier-unlisted sends it as given)", cmd, w.courier, strings.Join(near, " or "))
	}
	if !wordOf(w.invoice, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-", coupang.MaxInvoiceNumberLength) {
		return usageErrorf("%s: --invoice %q: want a waybill number of ASCII letters, digits and \"-\"", cmd, w.invoice)
	}
	return nil
}

// warn says on stderr what is odd but sent: a courier outside the table, a
// waybill number of a length the courier does not use.
func (w *waybillFlags) warn(stderr io.Writer) {
	if c, ok := coupang.LookupCourier(w.courier); !ok {
		fmt.Fprintf(stderr, "warning: courier code %s is not in the built-in table (Coupang adds couriers); it is used as given\n", w.courier)
	} else if !c.AcceptsInvoiceNumber(w.invoice) {
		fmt.Fprintf(stderr, "warning: %s waybill numbers have %v characters, not %d\n", c.Code, c.InvoiceLengths, len(w.invoice))
	}
}

// pickupAct is the wording of registering w as a pickup waybill (회수 송장),
// the same for an exchange and a return; the caller fills in the rest.
func (w *waybillFlags) pickupAct() act {
	return act{
		cannot: "take a pickup waybill", would: fmt.Sprintf("register pickup waybill %s %s", w.courier, w.invoice),
		did:     fmt.Sprintf("pickup waybill %s %s registered", w.courier, w.invoice),
		already: fmt.Sprintf("already carries pickup waybill %s %s", w.courier, w.invoice),
	}
}

// wordOf reports whether s is 1 to max bytes, each of them in chars.
func wordOf(s, chars string, max int) bool {
	if s == "" || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !strings.ContainsRune(chars, rune(s[i])) {
			return false
		}
	}
	return true
}

// courierCodes lists the codes of the built-in courier table.
func courierCodes() []string {
	var codes []string
	for _, c := range coupang.Couriers() {
		codes = append(codes, c.Code)
	}
	return codes
}
