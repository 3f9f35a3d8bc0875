package main

import (
	"context"
	"fmt"
	"slices"

	"github.com/go-coupang/coupang"
)

// This file is the one place where the CLI writes to Coupang, through the
// SDK's idempotent Ensure… calls: they list the exchange again before
// writing, skip a write that is already done, and resolve an answer that
// leaves the outcome unknown by listing again instead of writing twice. The
// CLI looks at the state it already has first (through the SDK's one rule,
// ExchangeRequest.Actions) only to say "already done" without sending
// anything.

// outcome says what an ensure call did.
type outcome int

const (
	// applied: the write was sent and applied (or found applied when
	// Coupang's answer was lost or the exchange was listed again).
	applied outcome = iota + 1
	// alreadyDone: the exchange was already in the wanted state; nothing
	// was sent.
	alreadyDone
)

// ensureReceiptConfirmed confirms the receipt of ex unless it is confirmed.
func ensureReceiptConfirmed(ctx context.Context, c *coupang.Client, ex coupang.ExchangeRequest) (outcome, error) {
	if ex.Actions().ConfirmReceipt.Done {
		return alreadyDone, nil
	}
	return applied, c.Exchanges.EnsureReceiptConfirmed(ctx, ex)
}

// ensureRejected rejects ex with code unless it is rejected.
func ensureRejected(ctx context.Context, c *coupang.Client, ex coupang.ExchangeRequest, code coupang.RejectCode) (outcome, error) {
	if ex.Actions().Reject.Done {
		return alreadyDone, nil
	}
	return applied, c.Exchanges.EnsureRejected(ctx, ex, code)
}

// hasWaybill reports whether ex's box carries the waybill inv.
func hasWaybill(inv coupang.ExchangeInvoice) func(coupang.ExchangeRequest) bool {
	return func(ex coupang.ExchangeRequest) bool {
		for _, g := range ex.DeliveryInvoiceGroups {
			if g.ShipmentBoxID != inv.ShipmentBoxID {
				continue
			}
			if slices.ContainsFunc(g.Invoices, func(d coupang.DeliveryInvoice) bool {
				return string(d.InvoiceNumber) == inv.InvoiceNumber && d.DeliverCode == inv.GoodsDeliveryCode
			}) {
				return true
			}
		}
		return false
	}
}

// ensureInvoiceUploaded uploads inv for ex unless its box already carries it.
func ensureInvoiceUploaded(ctx context.Context, c *coupang.Client, ex coupang.ExchangeRequest, inv coupang.ExchangeInvoice) (outcome, error) {
	if hasWaybill(inv)(ex) {
		return alreadyDone, nil
	}
	return applied, c.Exchanges.EnsureInvoicesUploaded(ctx, ex, []coupang.ExchangeInvoice{inv})
}

// waitForBox waits for ex's new shipment box. An exchange still waiting
// for its receipt to be confirmed would never get one from waiting alone,
// so that is an error at once rather than a wait until the timeout.
func waitForBox(ctx context.Context, c *coupang.Client, ex coupang.ExchangeRequest) (int64, error) {
	if box, ok := ex.ReplacementShipmentBoxID(); ok {
		return box, nil
	}
	if ex.Actions().ConfirmReceipt.Allowed {
		return 0, fmt.Errorf("exchange %d: receipt is not confirmed (%s): no new shipment box will appear; confirm it first: coupang exchanges confirm --id %d",
			ex.ExchangeID, state(ex), ex.ExchangeID)
	}
	return c.Exchanges.WaitForShipmentBox(ctx, ex)
}
