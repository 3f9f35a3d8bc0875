package coupang

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-coupang/coupang/internal/claims"
)

// The Ensure… calls of returns: each applies one action once, whatever the
// answers, on the claims engine (as the exchange ones do). They read the
// receipt with Get, which Coupang serves for one receipt (unlike
// exchanges, which must be listed again); a receipt Coupang no longer has
// is looked up in the withdrawal history.

// EnsureReceiptConfirmed makes sure the receipt of r's returned goods is
// confirmed (입고 확인), once. It returns nil without sending anything when
// r already shows it (Actions().ConfirmReceipt.Done); otherwise it reads
// the receipt again, since the copy may be stale, and confirms while the
// state allows it. An answer that leaves open whether the confirmation was
// applied (429, 408, 5xx, timeout, dropped connection, unreadable answer),
// or a refusal, is resolved by reading the receipt again before anything
// else is sent: applied → nil; not applied after an unknown outcome → one
// more confirmation (Coupang refuses a second one); unknown twice → the
// error, matching ErrOutcomeUnknown. The client never resends it by itself,
// not even on a 429 with WithRetryWritesOn429(true).
//
// A receipt whose state no longer allows it gives an error matching
// ErrNotApplicable that says why: withdrawn by the customer (found in the
// withdrawal history), already completed, or a quick refund Coupang
// completed itself. Confirming is allowed before the goods can be back
// (Actions().ConfirmReceipt.Early): that judgement is the caller's.
//
// Calls for one receipt are serialised within the client. opts apply to
// every call it makes.
//
// Endpoints: GET /v2/providers/openapi/apis/api/v6/vendors/{vendorId}/returnRequests/{receiptId}
// (반품요청 단건 조회) to read the state, POST …/v4/…/returnWithdrawList
// (반품철회 이력 접수번호로 조회) for a receipt Coupang no longer has, and PUT
// …/v4/…/returnRequests/{receiptId}/receiveConfirmation (반품상품 입고
// 확인처리) to confirm.
func (s *ReturnService) EnsureReceiptConfirmed(ctx context.Context, r ReturnRequest, opts ...CallOption) (err error) {
	ctx, observed := s.client.observeCall(ctx, opReturnsEnsureReceiptConfirmed)
	defer func() { observed(err) }()
	return s.ensure(ctx, r, opts, returnEnsureSpec{
		op:     opReturnsEnsureReceiptConfirmed,
		action: "confirm the receipt of",
		state:  func(a ReturnActions) ActionState { return a.ConfirmReceipt },
		send: func(cur *ReturnRequest, opts []CallOption) error {
			return s.ConfirmReceipt(ctx, cur.ReceiptID, opts...)
		},
	})
}

// EnsureApproved makes sure the return r is approved (반품 승인), once, with
// its whole quantity taken from the receipt read again (CancelCountSum, or
// the sum of its items' CancelCount when Coupang leaves it out): Coupang
// refuses any other count. It returns nil when the return is already
// completed after a confirmation (approved by the seller, or by Coupang
// automatically). Unknown outcomes and refusals are resolved by reading
// again, as for EnsureReceiptConfirmed. A receipt not confirmed yet, a
// quick refund Coupang completed, a cancelled order or a withdrawn return
// gives ErrNotApplicable.
//
// Endpoints: GET …/v6/…/returnRequests/{receiptId} (반품요청 단건 조회) and PUT
// …/v4/…/returnRequests/{receiptId}/approval (반품요청 승인 처리).
func (s *ReturnService) EnsureApproved(ctx context.Context, r ReturnRequest, opts ...CallOption) (err error) {
	ctx, observed := s.client.observeCall(ctx, opReturnsEnsureApproved)
	defer func() { observed(err) }()
	return s.ensure(ctx, r, opts, returnEnsureSpec{
		op:     opReturnsEnsureApproved,
		action: "approve",
		state:  func(a ReturnActions) ActionState { return a.Approve },
		send: func(cur *ReturnRequest, opts []CallOption) error {
			n, err := cur.wholeQuantity()
			if err != nil {
				return err
			}
			return s.Approve(ctx, cur.ReceiptID, n, opts...)
		},
	})
}

// EnsureShipmentStopped makes sure the release-stop request r is answered
// with a stopped shipment (출고중지완료), once, with the receipt's whole
// quantity. It returns nil when the shipment is already stopped.
// Unknown outcomes and refusals are resolved by reading again, as for
// EnsureReceiptConfirmed. A receipt already reported shipped, or no
// release-stop request, gives ErrNotApplicable.
//
// Endpoints: GET …/v6/…/returnRequests/{receiptId} (반품요청 단건 조회) and PUT
// …/v4/…/returnRequests/{receiptId}/stoppedShipment (출고중지완료 처리).
func (s *ReturnService) EnsureShipmentStopped(ctx context.Context, r ReturnRequest, opts ...CallOption) (err error) {
	ctx, observed := s.client.observeCall(ctx, opReturnsEnsureShipmentStopped)
	defer func() { observed(err) }()
	return s.ensure(ctx, r, opts, returnEnsureSpec{
		op:     opReturnsEnsureShipmentStopped,
		action: "stop the shipment of",
		state:  func(a ReturnActions) ActionState { return a.StopShipment },
		send: func(cur *ReturnRequest, opts []CallOption) error {
			n, err := cur.wholeQuantity()
			if err != nil {
				return err
			}
			return s.StopShipment(ctx, cur.ReceiptID, n, opts...)
		},
	})
}

// EnsureMarkedShipped makes sure the release-stop request r is answered as
// already shipped (이미출고), once, with the waybill it shipped under. It
// returns nil when the receipt already shows it answered so (its release
// stop processed as shipped: the waybill itself is not shown, so one sent
// with another waybill counts). Unknown outcomes and refusals are resolved
// by reading again, as for EnsureReceiptConfirmed. A receipt whose shipment
// was stopped, or no release-stop request, gives ErrNotApplicable.
//
// Endpoints: GET …/v6/…/returnRequests/{receiptId} (반품요청 단건 조회) and PUT
// …/v4/…/returnRequests/{receiptId}/completedShipment (이미출고 처리).
func (s *ReturnService) EnsureMarkedShipped(ctx context.Context, r ReturnRequest, courier, invoiceNumber string, opts ...CallOption) (err error) {
	ctx, observed := s.client.observeCall(ctx, opReturnsEnsureMarkedShipped)
	defer func() { observed(err) }()
	if err := checkCourierCode("courier", courier); err != nil {
		return err
	}
	if err := checkInvoiceNumber("invoiceNumber", invoiceNumber); err != nil {
		return err
	}
	return s.ensure(ctx, r, opts, returnEnsureSpec{
		op:     opReturnsEnsureMarkedShipped,
		action: "report as shipped",
		state:  func(a ReturnActions) ActionState { return a.MarkShipped },
		send: func(cur *ReturnRequest, opts []CallOption) error {
			return s.MarkShipped(ctx, cur.ReceiptID, courier, invoiceNumber, opts...)
		},
	})
}

// EnsurePickupInvoiceUploaded makes sure r carries the pickup waybill
// courier/invoiceNumber (회수 송장 등록), once: it is sent only when the
// receipt read again does not show it among its pickup waybills. Whether
// Coupang refuses or adds a repeated waybill is not documented: after an
// unknown outcome the receipt is read again before anything else is sent,
// as for EnsureReceiptConfirmed. A receipt past RETURNS_UNCHECKED, a
// release-stop request or a withdrawn return gives ErrNotApplicable.
//
// Endpoints: GET …/v6/…/returnRequests/{receiptId} (반품요청 단건 조회) and POST
// …/v4/…/return-exchange-invoices/manual (회수 송장 등록).
func (s *ReturnService) EnsurePickupInvoiceUploaded(ctx context.Context, r ReturnRequest, courier, invoiceNumber string, opts ...CallOption) (err error) {
	ctx, observed := s.client.observeCall(ctx, opReturnsEnsurePickupInvoiceUploaded)
	defer func() { observed(err) }()
	if err := checkCourierCode("courier", courier); err != nil {
		return err
	}
	if err := checkInvoiceNumber("invoiceNumber", invoiceNumber); err != nil {
		return err
	}
	return s.ensure(ctx, r, opts, returnEnsureSpec{
		op:     opReturnsEnsurePickupInvoiceUploaded,
		action: "register the pickup waybill of",
		done:   func(cur *ReturnRequest) bool { return cur.hasWaybill(courier, invoiceNumber) },
		state:  func(a ReturnActions) ActionState { return a.UploadPickupInvoice },
		send: func(cur *ReturnRequest, opts []CallOption) error {
			return s.UploadPickupInvoice(ctx, cur.ReceiptID, courier, invoiceNumber, opts...)
		},
	})
}

// returnEnsureSpec describes one idempotent action on a receipt.
type returnEnsureSpec struct {
	op     string // the call's name, for an Observer
	action string
	// state picks the action's ActionState from Actions.
	state func(ReturnActions) ActionState
	// done, when set, replaces state's Done.
	done func(*ReturnRequest) bool
	// send sends the write with opts made safe by ensureWriteOpts.
	send func(cur *ReturnRequest, opts []CallOption) error
}

// ensure runs spec on the claims engine.
func (s *ReturnService) ensure(ctx context.Context, r ReturnRequest, opts []CallOption, spec returnEnsureSpec) error {
	if r.ReceiptID <= 0 {
		return invalid("ReceiptID", "must be positive, got %d", r.ReceiptID)
	}
	done := spec.done
	if done == nil {
		done = func(cur *ReturnRequest) bool { return spec.state(cur.Actions()).Done }
	}
	writeOpts := ensureWriteOpts(opts)
	id := r.ReceiptID
	return claims.Ensure[ReturnRequest]{
		ID:   id,
		Done: done,
		Check: func(cur *ReturnRequest) error {
			st := spec.state(cur.Actions())
			switch {
			case st.Allowed:
				return nil
			case st.Wait:
				return fmt.Errorf("coupang: return receipt %d is %s: %s: %w", id, cur.describe(), st.Why, ErrNotReady)
			}
			return fmt.Errorf("coupang: cannot %s return receipt %d: it is %s: %s: %w", spec.action, id, cur.describe(), st.Why, ErrNotApplicable)
		},
		Send:    func(cur *ReturnRequest) error { return spec.send(cur, writeOpts) },
		Read:    func(ctx context.Context) (*ReturnRequest, error) { return s.current(ctx, id, opts) },
		Unknown: func(err error) bool { return errors.Is(err, ErrOutcomeUnknown) },
		// Coupang answers a write on a receipt past that step with a 400
		// (already completed, withdrawn, count mismatch): read again too.
		Refused: func(err error) bool {
			var apiErr *APIError
			return errors.Is(err, ErrBusinessFailure) || (errors.As(err, &apiErr) && apiErr.StatusCode == 400)
		},
		ReadFailed: func(readErr, sendErr error) error {
			if errors.Is(readErr, ErrNotApplicable) {
				return fmt.Errorf("%w (the write was answered: %w)", readErr, sendErr)
			}
			return fmt.Errorf("coupang: could not read return receipt %d again to learn whether %s it applied (%w); it may or may not have: %w",
				id, spec.action, readErr, sendErr)
		},
		Step: func(step claims.Step) { s.client.observeEnsure(ctx, spec.op, ensureStep(step)) },
	}.Run(ctx, s.locks, r)
}

// current reads receipt id; one Coupang no longer has is looked up in the
// withdrawal history, and a withdrawn one gives ErrNotApplicable.
func (s *ReturnService) current(ctx context.Context, id int64, opts []CallOption) (*ReturnRequest, error) {
	cur, err := s.Get(ctx, id, opts...)
	if err == nil || !errNoReceipt(err) {
		return cur, err
	}
	found, werr := s.WithdrawalsByID(ctx, []int64{id}, opts...)
	if werr != nil {
		return nil, fmt.Errorf("%w (and the withdrawal history could not be read: %w)", err, werr)
	}
	for _, w := range found {
		if w.ReceiptID == id {
			return nil, fmt.Errorf("coupang: return receipt %d was withdrawn by the customer at %s: %w",
				id, formatWireTime(w.CreatedAt), ErrNotApplicable)
		}
	}
	return nil, err
}

// wholeQuantity is the cancelCount Approve and StopShipment must send:
// CancelCountSum, or the sum of the items' CancelCount when Coupang left it
// out.
func (r *ReturnRequest) wholeQuantity() (int, error) {
	n := r.CancelCountSum
	if n <= 0 {
		for _, it := range r.Items {
			n += it.CancelCount
		}
	}
	if n <= 0 || n > maxCancelCount {
		return 0, invalid("CancelCountSum", "return receipt %d has no whole quantity to send (got %d)", r.ReceiptID, n)
	}
	return int(n), nil
}

// PendingReleaseStops returns the release-stop requests (출고중지요청) of
// orderID that still wait for the seller's answer (see
// ReturnRequest.ReleaseStopPending): ask before shipping the order, and
// stop the shipment instead (StopShipment, EnsureShipmentStopped) when
// there is one. It lists the order's receipts filed in the last
// MaxReturnListDays days (a release stop is filed while the order is being
// prepared), usually in one request.
//
// Endpoint: GET /v2/providers/openapi/apis/api/v6/vendors/{vendorId}/returnRequests
// (반품/취소 요청 목록 조회) with orderId.
func (s *ReturnService) PendingReleaseStops(ctx context.Context, orderID int64, callOpts ...CallOption) (_ []ReturnRequest, err error) {
	ctx, observed := s.client.observeCall(ctx, opReturnsPendingReleaseStops)
	defer func() { observed(err) }()
	if orderID <= 0 {
		return nil, invalid("orderID", "must be positive, got %d", orderID)
	}
	now := time.Now()
	opts := ReturnListOptions{
		CreatedAtFrom: startOfDay(now).AddDate(0, 0, -(MaxReturnListDays - 1)),
		CreatedAtTo:   now,
		OrderID:       orderID,
	}
	var out []ReturnRequest
	var tokens tokenSet
	for {
		page, err := s.List(ctx, opts, callOpts...)
		if err != nil {
			// A record that cannot be decoded may be the pending one:
			// no answer is better than a wrong "none".
			return nil, err
		}
		for _, r := range page.Items {
			if r.ReleaseStopPending() {
				out = append(out, r)
			}
		}
		if page.NextToken == "" {
			return out, nil
		}
		if err := tokens.add(page.NextToken); err != nil {
			return nil, fmt.Errorf("coupang: release stops of order %d: %w", orderID, err)
		}
		opts.NextToken = strings.TrimSpace(page.NextToken)
	}
}

// EnsurePickupInvoiceUploaded makes sure ex carries the pickup waybill
// courier/invoiceNumber (회수 송장 등록), once: it is sent only when ex
// listed again does not show it among its ReturnDeliveries. Coupang allows
// it while the pickup is BeforeDirection (회수연동 전); an exchange past that
// (the pickup already directed, collected or withdrawn) gives
// ErrNotApplicable. Unknown outcomes and refusals are resolved by listing
// again before anything else is sent, as for EnsureReceiptConfirmed.
//
// Endpoints: GET /v2/providers/openapi/apis/api/v4/vendors/{vendorId}/exchangeRequests
// (교환요청 목록조회) to read the state, and POST
// …/v4/…/return-exchange-invoices/manual (회수 송장 등록) with
// returnExchangeDeliveryType EXCHANGE.
func (s *ExchangeService) EnsurePickupInvoiceUploaded(ctx context.Context, ex ExchangeRequest, courier, invoiceNumber string, opts ...CallOption) (err error) {
	ctx, observed := s.client.observeCall(ctx, opEnsurePickupInvoiceUploaded)
	defer func() { observed(err) }()
	if err := checkCourierCode("courier", courier); err != nil {
		return err
	}
	if err := checkInvoiceNumber("invoiceNumber", invoiceNumber); err != nil {
		return err
	}
	return s.ensure(ctx, ex, opts, ensureSpec{
		op:     opEnsurePickupInvoiceUploaded,
		action: "register the pickup waybill of",
		done: func(cur *ExchangeRequest) bool {
			for _, d := range cur.ReturnDeliveries {
				if d.DeliveryCompanyCode == courier && strings.TrimSpace(d.DeliveryInvoiceNo) == invoiceNumber {
					return true
				}
			}
			return false
		},
		check: func(cur *ExchangeRequest) error {
			if cur.CollectStatus == CollectStatusBeforeDirection && !cur.Status.Terminal() {
				return nil
			}
			return fmt.Errorf("coupang: exchange %d is %s with pickup %s: a pickup waybill can be registered only before the pickup is directed (BeforeDirection): %w",
				cur.ExchangeID, orDash(string(cur.Status)), orDash(string(cur.CollectStatus)), ErrNotApplicable)
		},
		send: func(cur *ExchangeRequest, opts []CallOption) error {
			return s.UploadPickupInvoice(ctx, cur.ExchangeID, courier, invoiceNumber, opts...)
		},
	})
}
