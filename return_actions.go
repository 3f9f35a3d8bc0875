package coupang

import (
	"fmt"
	"strings"
)

// This file is the one rule for what a return receipt's state allows and
// what the seller still has to do (reference §7: release stops, quick
// refund, automatic return integration). The Ensure… calls ask
// ReturnRequest.Actions, as the exchange ones ask ExchangeRequest.Actions.

// Steps of a return receipt, besides the ones it shares with exchanges
// (StepWaitPickup, StepConfirmOnArrival, StepConfirmReceipt, StepNone,
// StepCheck).
const (
	// StepStopShipment: the customer cancelled while the order was being
	// prepared (출고중지요청): stop the shipment if it has not left
	// (StopShipment), or report it shipped (MarkShipped). Shipping a
	// stopped order anyway costs the seller the round trip.
	StepStopShipment Step = "stop-shipment"
	// StepRegisterPickup: the seller collects this return itself (no
	// automatic return integration) and has registered no pickup waybill:
	// register it (회수 송장 등록, UploadPickupInvoice).
	StepRegisterPickup Step = "register-pickup"
	// StepApprove: the receipt is confirmed: approve the return (반품 승인)
	// with its whole quantity, or leave it to Coupang, which approves
	// confirmed returns by itself after a while.
	StepApprove Step = "approve"
	// StepWaitCoupang: a quick refund (빠른환불) under the automatic return
	// integration: Coupang refunds at pickup and completes the return by
	// itself; nothing to do.
	StepWaitCoupang Step = "wait-coupang"
)

// ReturnActions is what a return receipt's state allows and what the
// seller still has to do, from ReturnRequest.Actions.
type ReturnActions struct {
	// Next is the seller's next step.
	Next Step
	// Why explains Next in one English sentence, for people.
	Why string
	// ConfirmReceipt is ConfirmReceipt and EnsureReceiptConfirmed (입고
	// 확인): allowed at RETURNS_UNCHECKED; early while the goods cannot
	// have arrived (no pickup waybill yet, or a release stop unanswered);
	// done once the seller confirmed.
	ConfirmReceipt ActionState
	// Approve is Approve and EnsureApproved (반품 승인): allowed at
	// VENDOR_WAREHOUSE_CONFIRM; done once a confirmed return is completed
	// (by the seller's approval or Coupang's automatic one).
	Approve ActionState
	// StopShipment is StopShipment and EnsureShipmentStopped (출고중지완료):
	// allowed while a release-stop request waits (RELEASE_STOP_UNCHECKED,
	// or RETURNS_UNCHECKED with no item shipped).
	StopShipment ActionState
	// MarkShipped is MarkShipped and EnsureMarkedShipped (이미출고): allowed
	// when StopShipment is.
	MarkShipped ActionState
	// UploadPickupInvoice is UploadPickupInvoice and
	// EnsurePickupInvoiceUploaded (회수 송장 등록): allowed at
	// RETURNS_UNCHECKED once the order has shipped; done once the receipt
	// carries a pickup waybill (another one may still be added).
	UploadPickupInvoice ActionState
}

// Actions returns what r's state allows and what the seller still has to
// do. It reads only r (Status, ReceiptType, ReleaseStopStatus, the items'
// ReleaseStatus, PreRefund, ReturnDeliveryType, the pickup waybills and the
// completion fields): read the receipt again first (Get) if the copy may be
// stale. A withdrawn receipt is not in Coupang's list any more; Actions
// cannot tell (see the Ensure… calls and Changes).
//
// The rule (reference §7): a release-stop request (RELEASE_STOP_UNCHECKED,
// or RETURNS_UNCHECKED with every item not shipped) is answered with
// StopShipment or MarkShipped. A return (RETURNS_UNCHECKED) is confirmed
// once its goods are back — except a quick refund under the automatic
// return integration with a pickup waybill, which Coupang refunds at pickup
// and completes by itself; a seller collecting returns itself registers
// the pickup waybill first. A confirmed return (VENDOR_WAREHOUSE_CONFIRM)
// is approved, or left to Coupang's automatic approval. RETURNS_COMPLETED,
// REQUEST_COUPANG_CHECK (handled in WING) and cancellations at
// payment-complete allow nothing.
func (r ReturnRequest) Actions() ReturnActions {
	stopped := r.ReleaseStopStatus == ReturnReleaseStopStopped || r.allItems(ReturnReleaseStatusStopped)
	shipped := r.ReleaseStopStatus == ReturnReleaseStopShipped || r.ReleaseStopStatus == ReturnReleaseStopAutoShipped ||
		r.anyItem(ReturnReleaseStatusAlreadyShipped)
	waybills := r.PickupWaybills()
	a := ReturnActions{
		ConfirmReceipt:      ActionState{Done: r.receiptConfirmed()},
		Approve:             ActionState{Done: r.approved()},
		StopShipment:        ActionState{Done: stopped},
		MarkShipped:         ActionState{Done: shipped},
		UploadPickupInvoice: ActionState{Done: len(waybills) > 0},
	}
	state := r.describe()
	none := func(why string) {
		for _, s := range a.all() {
			if !s.Done && s.Why == "" {
				s.Why = why
			}
		}
	}
	if r.ReceiptType == ReturnReceiptTypeCancel {
		none("a cancellation at payment-complete (결제완료): Coupang cancelled it at once and no action applies")
		a.Next, a.Why = StepNone, "the order was cancelled at payment-complete: nothing to do"
		return a
	}
	open := r.releaseStopOpen() && !stopped && !shipped
	switch r.Status {
	case ReturnStatusReleaseStopUnchecked, ReturnStatusReturnsUnchecked:
		if open {
			a.StopShipment.Allowed, a.MarkShipped.Allowed = true, true
			a.Next, a.Why = StepStopShipment, fmt.Sprintf(
				"the customer cancelled while the order was being prepared: stop the shipment if it has not left (whole quantity %d), or report it shipped with its waybill",
				r.CancelCountSum)
			a.ConfirmReceipt.Why = "a release-stop request: answer it first (stop the shipment, or report it shipped)"
			a.Approve.Why = a.ConfirmReceipt.Why
			a.UploadPickupInvoice.Why = "the order has not shipped: there is nothing to pick up"
			if r.Status == ReturnStatusReturnsUnchecked {
				a.ConfirmReceipt.Allowed, a.ConfirmReceipt.Early = true, true
			}
			break
		}
		if r.Status == ReturnStatusReleaseStopUnchecked {
			// Answered, and Coupang has not moved it on yet.
			why := "the release-stop request is answered (" + string(r.ReleaseStopStatus) + "); Coupang moves the receipt on"
			none(why)
			a.Next, a.Why = StepCheck, why+": check it in WING if it stays so"
			break
		}
		r.returnSteps(&a, waybills, stopped)
	case ReturnStatusVendorWarehouseConfirm:
		a.Approve.Allowed = true
		a.Next, a.Why = StepApprove, fmt.Sprintf(
			"the receipt is confirmed: approve the return with its whole quantity %d, or leave it to Coupang's automatic approval", r.CancelCountSum)
		none("the receipt is " + state + ": only the approval is left")
	case ReturnStatusReturnsCompleted:
		how := "completed"
		switch {
		case stopped:
			how = "cancelled: the shipment was stopped"
		case r.PreRefund && !a.ConfirmReceipt.Done:
			how = "completed by Coupang's quick refund"
		case r.PreRefund:
			how = "completed: the quick refund was done at the confirmation"
		}
		none("the return is " + how + ": it accepts no further action")
		a.Next, a.Why = StepNone, "the return is "+how
	case ReturnStatusRequestCoupangCheck:
		none("Coupang is checking the refund (쿠팡확인요청): it is handled in WING")
		a.Next, a.Why = StepCheck, "Coupang is checking the refund (쿠팡확인요청): follow it in WING"
	default:
		why := fmt.Sprintf("status %q is not one the SDK knows", orDash(string(r.Status)))
		none(why)
		a.Next, a.Why = StepCheck, why+": check the receipt in WING"
	}
	return a
}

// returnSteps fills a for a return waiting at RETURNS_UNCHECKED.
func (r ReturnRequest) returnSteps(a *ReturnActions, waybills []ReturnDelivery, stopped bool) {
	a.ConfirmReceipt.Allowed = true
	a.UploadPickupInvoice.Allowed = true
	a.Approve.Why = "the receipt is not confirmed yet: confirm it once the goods are back"
	if a.MarkShipped.Done {
		a.StopShipment.Why = "the order was reported shipped: it is handled as a return"
		a.MarkShipped.Why = ""
	} else {
		a.StopShipment.Why = "the order had shipped: there is no release-stop request to answer"
		a.MarkShipped.Why = a.StopShipment.Why
	}
	if stopped {
		a.MarkShipped.Why = "the shipment was stopped"
	}
	integrated := r.ReturnDeliveryType == ReturnDeliveryTypeIntegrated || r.ReturnDeliveryType == ReturnDeliveryTypeDedicated
	switch {
	case len(waybills) == 0 && !integrated && r.ReturnDeliveryType != "":
		a.ConfirmReceipt.Early = true
		a.ConfirmReceipt.Why = "the goods cannot be back yet: no pickup waybill is registered"
		a.Next, a.Why = StepRegisterPickup, "you collect this return yourself: register its pickup waybill (회수 송장)"
	case len(waybills) == 0:
		a.ConfirmReceipt.Early = true
		a.ConfirmReceipt.Why = "the goods cannot be back yet: the courier has not picked them up"
		a.Next, a.Why = StepWaitPickup, "the courier has not picked the goods up yet (no pickup waybill)"
	case r.PreRefund && integrated:
		a.Next, a.Why = StepWaitCoupang, fmt.Sprintf(
			"a quick refund under the automatic return integration (pickup %s): Coupang refunds at pickup and completes the return itself",
			waybills[0].DeliveryInvoiceNo)
	default:
		why := fmt.Sprintf("the goods are on their way back (pickup %s %s): confirm their receipt once they are back and checked",
			waybills[0].DeliveryCompanyCode, waybills[0].DeliveryInvoiceNo)
		if r.PreRefund {
			why += "; Coupang then refunds, approves and completes the quick refund at once"
		}
		a.Next, a.Why = StepConfirmOnArrival, why
	}
}

func (a *ReturnActions) all() []*ActionState {
	return []*ActionState{&a.ConfirmReceipt, &a.Approve, &a.StopShipment, &a.MarkShipped, &a.UploadPickupInvoice}
}

// ReleaseStopPending reports whether r is a release-stop request
// (출고중지요청) still waiting for the seller's answer: the order must not be
// shipped; stop it (StopShipment), or report it shipped (MarkShipped) if it
// already left. See ReturnService.PendingReleaseStops to ask Coupang before
// shipping an order.
func (r ReturnRequest) ReleaseStopPending() bool { return r.Actions().StopShipment.Allowed }

// releaseStopOpen reports whether r's state waits for an answer to a
// release stop: RELEASE_STOP_UNCHECKED, or RETURNS_UNCHECKED with every
// item not shipped.
func (r ReturnRequest) releaseStopOpen() bool {
	switch r.Status {
	case ReturnStatusReleaseStopUnchecked:
		return r.ReleaseStopStatus == "" || r.ReleaseStopStatus == ReturnReleaseStopUnprocessed || !r.ReleaseStopStatus.Known()
	case ReturnStatusReturnsUnchecked:
		return r.allItems(ReturnReleaseStatusNotShipped)
	}
	return false
}

// receiptConfirmed reports whether the seller confirmed r's receipt: it
// moved on from RETURNS_UNCHECKED with the seller's confirmation (a
// cancellation by stopped shipment is no confirmation).
func (r ReturnRequest) receiptConfirmed() bool {
	switch r.Status {
	case ReturnStatusVendorWarehouseConfirm:
		return true
	case ReturnStatusReturnsCompleted, ReturnStatusRequestCoupangCheck:
		return r.CompleteConfirmType == ReturnCompleteConfirmVendor && !r.allItems(ReturnReleaseStatusStopped) &&
			r.ReleaseStopStatus != ReturnReleaseStopStopped
	}
	return false
}

// approved reports whether r is a return completed after its receipt was
// confirmed, by the seller's approval or Coupang's automatic one; a quick
// refund or a stopped shipment completes without an approval.
func (r ReturnRequest) approved() bool {
	return r.Status == ReturnStatusReturnsCompleted && !r.PreRefund && r.CompleteConfirmType.Confirmed() &&
		!r.allItems(ReturnReleaseStatusStopped) && r.ReleaseStopStatus != ReturnReleaseStopStopped
}

// allItems reports whether r has items and every one has release status s.
func (r ReturnRequest) allItems(s ReturnReleaseStatus) bool {
	for _, it := range r.Items {
		if it.ReleaseStatus != s {
			return false
		}
	}
	return len(r.Items) > 0
}

// anyItem reports whether an item of r has release status s.
func (r ReturnRequest) anyItem(s ReturnReleaseStatus) bool {
	for _, it := range r.Items {
		if it.ReleaseStatus == s {
			return true
		}
	}
	return false
}

// describe names r's status for a sentence: "return completed
// (RETURNS_COMPLETED)".
func (r ReturnRequest) describe() string {
	if en := r.Status.English(); en != string(r.Status) {
		return en + " (" + string(r.Status) + ")"
	}
	return orDash(string(r.Status))
}

// hasWaybill reports whether r carries the pickup waybill courier/number.
func (r ReturnRequest) hasWaybill(courier, number string) bool {
	for _, w := range r.PickupWaybills() {
		if w.DeliveryCompanyCode == courier && w.DeliveryInvoiceNo == strings.TrimSpace(number) {
			return true
		}
	}
	return false
}
