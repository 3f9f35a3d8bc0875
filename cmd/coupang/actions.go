package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/go-coupang/coupang"
)

// This file is the one place where the CLI writes to Coupang. Each write is
// made idempotent here: look at the exchange's current state first, skip a
// write that is already done, and after an outcome-unknown answer look again
// instead of writing twice. When the SDK gains its own idempotent calls
// (EnsureReceiptConfirmed and the like, issue 13), the bodies of ensure*
// become single calls to them; the commands do not change.

// outcome says what an ensure call did.
type outcome int

const (
	// applied: the write was sent and Coupang answered SUCCESS, or Coupang
	// had applied it although the answer was lost.
	applied outcome = iota + 1
	// alreadyDone: the exchange was already in the wanted state; nothing
	// was sent.
	alreadyDone
)

// confirmedReceipt reports whether ex's receipt has been confirmed.
func confirmedReceipt(ex coupang.ExchangeRequest) bool {
	return ex.CollectStatus == coupang.CollectStatusCompleteCollect &&
		(ex.Status == coupang.ExchangeStatusProgress || ex.Status == coupang.ExchangeStatusSuccess)
}

// ensureReceiptConfirmed confirms the receipt of ex unless it is confirmed.
func ensureReceiptConfirmed(ctx context.Context, c *coupang.Client, ex coupang.ExchangeRequest) (outcome, error) {
	if confirmedReceipt(ex) {
		return alreadyDone, nil
	}
	err := c.Exchanges.ConfirmReceipt(ctx, ex.ExchangeID)
	return settle(ctx, c, ex, err, confirmedReceipt)
}

// rejected reports whether ex has been rejected.
func rejected(ex coupang.ExchangeRequest) bool { return ex.Status == coupang.ExchangeStatusReject }

// ensureRejected rejects ex with code unless it is rejected.
func ensureRejected(ctx context.Context, c *coupang.Client, ex coupang.ExchangeRequest, code coupang.RejectCode) (outcome, error) {
	if rejected(ex) {
		return alreadyDone, nil
	}
	err := c.Exchanges.Reject(ctx, ex.ExchangeID, code)
	return settle(ctx, c, ex, err, rejected)
}

// hasWaybill reports whether ex's box carries the waybill inv.
func hasWaybill(inv coupang.ExchangeInvoice) func(coupang.ExchangeRequest) bool {
	return func(ex coupang.ExchangeRequest) bool {
		for _, g := range ex.DeliveryInvoiceGroups {
			if int64(g.ShipmentBoxID) != inv.ShipmentBoxID {
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
	done := hasWaybill(inv)
	if done(ex) {
		return alreadyDone, nil
	}
	err := c.Exchanges.UploadInvoices(ctx, ex.ExchangeID, []coupang.ExchangeInvoice{inv})
	return settle(ctx, c, ex, err, done)
}

// settle turns a write's error into an outcome: nil is applied; an outcome
// unknown is resolved by listing the exchange again, so that a write Coupang
// applied is reported as applied and one it did not is reported as the
// error, never sent twice.
func settle(ctx context.Context, c *coupang.Client, ex coupang.ExchangeRequest, err error, done func(coupang.ExchangeRequest) bool) (outcome, error) {
	if err == nil {
		return applied, nil
	}
	if !errors.Is(err, coupang.ErrOutcomeUnknown) {
		return 0, err
	}
	cur, rerr := c.Exchanges.Refresh(ctx, ex)
	if rerr != nil {
		return 0, fmt.Errorf("%w; listing it again to learn the outcome failed too: %v", err, rerr)
	}
	if done(*cur) {
		return applied, nil
	}
	return 0, fmt.Errorf("%w; listed again, it was not applied: it is safe to run the command again", err)
}

// waitForBox polls ex with Refresh until its new shipment box appears,
// waiting first, then twice as long each time up to maxWait, until ctx
// ends. report is told of each look.
func waitForBox(ctx context.Context, c *coupang.Client, ex coupang.ExchangeRequest, first, maxWait time.Duration, report func(n int, next time.Duration)) (int64, error) {
	wait := first
	for n := 1; ; n++ {
		cur, err := c.Exchanges.Refresh(ctx, ex)
		if err != nil {
			return 0, err
		}
		if box, ok := cur.NewShipmentBoxID(); ok {
			return box, nil
		}
		if !confirmedReceipt(*cur) {
			return 0, fmt.Errorf("exchange %d: receipt is not confirmed (status %s, pickup %s): no new shipment box will appear; confirm it first",
				ex.ExchangeID, cur.Status, cur.CollectStatus)
		}
		report(n, wait)
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return 0, ctx.Err()
		case <-timer.C:
		}
		wait = min(wait*2, maxWait)
	}
}
