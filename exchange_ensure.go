package coupang

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/go-coupang/coupang/internal/claims"
)

// Polling bounds of WaitForShipmentBox: Coupang takes up to about 10
// minutes to create the box, so checks back off from half a second to 30
// seconds (about 25 list calls over 10 minutes).
const (
	boxPollFirst = 500 * time.Millisecond
	boxPollMax   = 30 * time.Second
)

// EnsureReceiptConfirmed makes sure the receipt of ex is confirmed, once.
// It returns nil without sending anything when it already is (ex, or ex
// listed again, is in PROGRESS or SUCCESS with the pickup CompleteCollect or
// a collect-complete date). Otherwise it lists ex again, since the copy may
// be stale, and confirms. A confirmation that may or may not have been
// applied — answered 429, 408 or 5xx, timed out, its connection dropped, its
// answer unreadable — or that Coupang refuses, is resolved by listing ex
// again before anything else is sent: applied → nil; still RECEIPT after an
// unknown outcome → one more confirmation, which is safe because Coupang
// refuses a second one; still unknown → the error (matching
// ErrOutcomeUnknown, and ErrRateLimited for a 429). A withdrawn or rejected
// exchange gives ErrNotApplicable.
//
// The client never sends the confirmation again by itself: not after any of
// those answers, and not on a 429 even with WithRetryWritesOn429(true).
// Listing again waits in the client's pacer like any call, so after a 429
// it comes after the vendor's pause; when the pause outlasts ctx, the error
// says that the outcome is unknown (and wraps the *PauseError).
//
// Calls for one exchange are serialised within the client, and several
// workers (processes) calling it for one exchange confirm it once: the one
// that loses the race is refused by Coupang, lists again and returns nil.
//
// opts apply to every call it makes, the listings included; WithResponse
// therefore describes the last of them.
//
// Endpoints: GET /v2/providers/openapi/apis/api/v4/vendors/{vendorId}/exchangeRequests
// (교환요청 목록조회) to read the state, and
// PUT …/exchangeRequests/{exchangeId}/receiveConfirmation (교환요청상품 입고
// 확인처리) to confirm.
func (s *ExchangeService) EnsureReceiptConfirmed(ctx context.Context, ex ExchangeRequest, opts ...CallOption) (err error) {
	ctx, observed := s.client.observeCall(ctx, opEnsureReceiptConfirmed)
	defer func() { observed(err) }()
	return s.ensure(ctx, ex, opts, ensureSpec{
		op:     opEnsureReceiptConfirmed,
		action: "confirm the receipt of",
		done:   receiptConfirmed,
		check: func(cur *ExchangeRequest) error {
			if cur.Actions().ConfirmReceipt.Allowed {
				return nil
			}
			return notApplicable(cur)
		},
		send: func(cur *ExchangeRequest, opts []CallOption) error {
			return s.ConfirmReceipt(ctx, cur.ExchangeID, opts...)
		},
	})
}

// EnsureRejected makes sure ex is rejected, once. It returns nil without
// sending anything when ex (or ex listed again) is already REJECT; Coupang
// does not show the reject code, so one applied with another code counts.
// Otherwise it lists ex again and rejects with code if the exchange is
// still RECEIPT and Rejectable; if not, the error matches ErrNotApplicable.
// Unknown outcomes (a 429 included) and refusals are resolved by listing
// again before anything else is sent, as for EnsureReceiptConfirmed; a
// second rejection is refused by Coupang.
//
// Endpoints: GET /v2/providers/openapi/apis/api/v4/vendors/{vendorId}/exchangeRequests
// (교환요청 목록조회) to read the state, and
// PUT …/exchangeRequests/{exchangeId}/rejection (교환요청 거부 처리) to reject.
func (s *ExchangeService) EnsureRejected(ctx context.Context, ex ExchangeRequest, code RejectCode, opts ...CallOption) (err error) {
	ctx, observed := s.client.observeCall(ctx, opEnsureRejected)
	defer func() { observed(err) }()
	if !code.Valid() {
		return invalid("code", "must be %q or %q, got %q", RejectSoldOut, RejectWithdraw, code)
	}
	return s.ensure(ctx, ex, opts, ensureSpec{
		op:     opEnsureRejected,
		action: "reject",
		done:   func(cur *ExchangeRequest) bool { return cur.Status == ExchangeStatusReject },
		check: func(cur *ExchangeRequest) error {
			if cur.Actions().Reject.Allowed {
				return nil
			}
			return notApplicable(cur)
		},
		send: func(cur *ExchangeRequest, opts []CallOption) error {
			return s.Reject(ctx, cur.ExchangeID, code, opts...)
		},
	})
}

// EnsureInvoicesUploaded makes sure each of invoices is the waybill of its
// shipment box, once. An invoice counts as uploaded when the box in
// DeliveryInvoiceGroups holds a waybill with the same courier code and
// number; only the missing ones are sent (a box holding another waybill
// gets this one, as a correction). ex is listed again first unless it
// already shows every waybill. A box the exchange does not have yet gives
// ErrNotReady (see WaitForShipmentBox); an exchange withdrawn, rejected,
// completed or not confirmed gives ErrNotApplicable. Unknown outcomes (a 429
// included) and refusals are resolved by listing again before anything else
// is sent, as for EnsureReceiptConfirmed: Coupang does not refuse a repeated
// upload, so the waybill is sent again only when the exchange listed again
// does not show it.
//
// Calls within one client are serialised per exchange, so they upload once.
// Unlike a confirmation or a rejection, a waybill upload is not refused
// when repeated (that is how a waybill is corrected), so two processes
// racing on one exchange may both send the same waybill: the result is the
// same waybill on the box, sent twice. Give each exchange to one worker (or
// hold a lock of your own) if that matters.
//
// Endpoints: GET /v2/providers/openapi/apis/api/v4/vendors/{vendorId}/exchangeRequests
// (교환요청 목록조회) to read the state, and
// POST …/exchangeRequests/{exchangeId}/invoices (교환상품 송장 업로드 처리) to
// upload the missing waybills.
func (s *ExchangeService) EnsureInvoicesUploaded(ctx context.Context, ex ExchangeRequest, invoices []ExchangeInvoice, opts ...CallOption) (err error) {
	ctx, observed := s.client.observeCall(ctx, opEnsureInvoicesUploaded)
	defer func() { observed(err) }()
	if len(invoices) == 0 {
		return invalid("invoices", "at least one invoice is required")
	}
	return s.ensure(ctx, ex, opts, ensureSpec{
		op:     opEnsureInvoicesUploaded,
		action: "upload the waybills of",
		done:   func(cur *ExchangeRequest) bool { return len(missingInvoices(cur, invoices)) == 0 },
		check: func(cur *ExchangeRequest) error {
			if a := cur.Actions().UploadInvoice; !a.Allowed && !a.Wait {
				return notApplicable(cur)
			}
			for _, inv := range missingInvoices(cur, invoices) {
				if !hasBox(cur, inv.ShipmentBoxID) {
					return fmt.Errorf("coupang: exchange %d has no shipment box %d (yet; Coupang creates it up to about 10 minutes after the receipt is confirmed): %w",
						cur.ExchangeID, inv.ShipmentBoxID, ErrNotReady)
				}
			}
			return nil
		},
		send: func(cur *ExchangeRequest, opts []CallOption) error {
			return s.UploadInvoices(ctx, cur.ExchangeID, missingInvoices(cur, invoices), opts...)
		},
	})
}

// WaitForShipmentBox returns the id of the replacement's new shipment box
// (see ExchangeRequest.ReplacementShipmentBoxID), listing ex again with backoff —
// from half a second up to 30 seconds between checks — until Coupang has
// created it or ctx ends. It returns at once if ex already shows it. An
// exchange whose receipt is not confirmed yet gives ErrNotReady at once (no
// box appears before; confirm first), a withdrawn, rejected or completed
// one without a box ErrNotApplicable. Bound the wait with ctx: Coupang
// takes up to about 10 minutes.
//
// Endpoint: GET /v2/providers/openapi/apis/api/v4/vendors/{vendorId}/exchangeRequests
// (교환요청 목록조회), one request a check; it writes nothing to Coupang.
func (s *ExchangeService) WaitForShipmentBox(ctx context.Context, ex ExchangeRequest) (_ int64, err error) {
	ctx, observed := s.client.observeCall(ctx, opWaitForShipmentBox)
	defer func() { observed(err) }()
	if box, ok := ex.ReplacementShipmentBoxID(); ok {
		return box, nil
	}
	delay := boxPollFirst
	for {
		cur, err := s.Relist(ctx, ex)
		if err != nil {
			return 0, err
		}
		if box, ok := cur.ReplacementShipmentBoxID(); ok {
			return box, nil
		}
		switch {
		case cur.Status.Terminal():
			// Withdrawn, rejected, or completed without a box: none will
			// appear any more.
			return 0, notApplicable(cur)
		case !receiptConfirmed(cur):
			// No box appears before the receipt is confirmed: waiting would
			// only hide the missing step until ctx ends.
			return 0, fmt.Errorf("coupang: exchange %d is %s (pickup %s): its receipt is not confirmed, so no new shipment box will appear; confirm it first: %w",
				cur.ExchangeID, orDash(string(cur.Status)), orDash(string(cur.CollectStatus)), ErrNotReady)
		}
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return 0, fmt.Errorf("coupang: no new shipment box for exchange %d yet: %w", ex.ExchangeID, ctx.Err())
		case <-t.C:
		}
		delay = min(2*delay, boxPollMax)
	}
}

// ensureSpec describes one idempotent action.
type ensureSpec struct {
	op     string // the call's name, for an Observer
	action string
	// done reports whether the effect is there.
	done func(*ExchangeRequest) bool
	// check returns nil if the action can be sent in this state, or why not.
	check func(*ExchangeRequest) error
	// send sends the write with opts (the caller's, made safe by
	// ensureWriteOpts).
	send func(cur *ExchangeRequest, opts []CallOption) error
}

// ensure is the algorithm shared by the Ensure… calls (the claims engine's
// Ensure): look, act, and resolve an unclear answer by listing again.
func (s *ExchangeService) ensure(ctx context.Context, ex ExchangeRequest, opts []CallOption, spec ensureSpec) error {
	if ex.ExchangeID <= 0 {
		return invalid("ExchangeID", "must be positive, got %d", ex.ExchangeID)
	}
	writeOpts := ensureWriteOpts(opts)
	return claims.Ensure[ExchangeRequest]{
		ID:    ex.ExchangeID,
		Done:  spec.done,
		Check: spec.check,
		Send:  func(cur *ExchangeRequest) error { return spec.send(cur, writeOpts) },
		Read:  func(ctx context.Context) (*ExchangeRequest, error) { return s.Relist(ctx, ex, opts...) },
		// Every answer that leaves open whether the write was applied (a
		// 429 included: writeOpts keep the client from resending it)
		// matches ErrOutcomeUnknown; a *PauseError does not, as nothing
		// was sent.
		Unknown: func(err error) bool { return errors.Is(err, ErrOutcomeUnknown) },
		Refused: func(err error) bool { return errors.Is(err, ErrBusinessFailure) },
		ReadFailed: func(readErr, sendErr error) error {
			return fmt.Errorf("coupang: could not list exchange %d again to learn whether %s it applied (%w); it may or may not have: %w",
				ex.ExchangeID, spec.action, readErr, sendErr)
		},
		Step: func(step claims.Step) { s.client.observeEnsure(ctx, spec.op, ensureStep(step)) },
	}.Run(ctx, s.locks, ex)
}

// ensureStep is the EnsureStep of a step of the claims engine.
func ensureStep(s claims.Step) EnsureStep {
	switch s {
	case claims.AlreadyDone:
		return EnsureAlreadyDone
	case claims.Sending:
		return EnsureSending
	case claims.Reading:
		return EnsureRelisting
	}
	return 0
}

// ensureWriteOpts are the options of an Ensure… call's write: the caller's,
// then WithRetryWritesOn429(false), so that a 429 is resolved by listing the
// exchange again, never by the client resending a write that may have been
// applied.
func ensureWriteOpts(opts []CallOption) []CallOption {
	return append(slices.Clip(opts), WithRetryWritesOn429(false))
}

// receiptConfirmed reports whether the receipt of e has been confirmed.
func receiptConfirmed(e *ExchangeRequest) bool { return e.Actions().ConfirmReceipt.Done }

func notApplicable(e *ExchangeRequest) error {
	return fmt.Errorf("coupang: exchange %d is %s (pickup %s, rejectable %t): %w",
		e.ExchangeID, orDash(string(e.Status)), orDash(string(e.CollectStatus)), e.Rejectable, ErrNotApplicable)
}

func hasBox(e *ExchangeRequest, box int64) bool {
	for _, g := range e.DeliveryInvoiceGroups {
		if g.ShipmentBoxID == box {
			return true
		}
	}
	return false
}

// missingInvoices returns the invoices whose box does not hold that exact
// waybill.
func missingInvoices(e *ExchangeRequest, invoices []ExchangeInvoice) []ExchangeInvoice {
	var out []ExchangeInvoice
	for _, inv := range invoices {
		found := false
		for _, g := range e.DeliveryInvoiceGroups {
			if g.ShipmentBoxID != inv.ShipmentBoxID {
				continue
			}
			for _, w := range g.Invoices {
				found = found || (w.InvoiceNumber == inv.InvoiceNumber && w.DeliverCode == inv.GoodsDeliveryCode)
			}
		}
		if !found {
			out = append(out, inv)
		}
	}
	return out
}
