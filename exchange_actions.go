package coupang

import "fmt"

// This file is the one rule for what an exchange request's state allows and
// what the seller still has to do. The Ensure… calls, the coupang command,
// the README and the examples all ask ExchangeRequest.Actions rather than
// reading Status and CollectStatus themselves, so that "ready to confirm"
// has one definition.

// Step is what the seller still has to do with a request (교환·반품 처리의
// 다음 단계), or why there is nothing to do yet or any more. It is a string
// so that it prints and serialises as itself; the set grows with the
// request kinds (returns add their own steps) and a program should treat an
// unknown value like StepCheck.
type Step string

// Steps of an exchange request.
const (
	// StepWaitPickup: the courier has not picked the returned item up
	// yet; it cannot have reached the seller, so there is nothing to do.
	StepWaitPickup Step = "wait-pickup"
	// StepConfirmOnArrival: the returned item is on its way back; confirm
	// its receipt once it is in the seller's hands and checked.
	StepConfirmOnArrival Step = "confirm-on-arrival"
	// StepConfirmReceipt: the returned item has been delivered to the
	// seller (or no pickup is needed): confirm its receipt (입고 확인).
	StepConfirmReceipt Step = "confirm-receipt"
	// StepWaitBox: the receipt is confirmed; Coupang is creating the
	// replacement's shipment box (up to about 10 minutes).
	StepWaitBox Step = "wait-box"
	// StepUploadInvoice: the replacement's box is there without a waybill:
	// ship the replacement and upload its waybill (송장 업로드).
	StepUploadInvoice Step = "upload-invoice"
	// StepWaitDelivery: the waybill is uploaded; Coupang completes the
	// exchange once the replacement is delivered.
	StepWaitDelivery Step = "wait-delivery"
	// StepNone: the request is done, rejected or withdrawn: nothing is
	// left to do.
	StepNone Step = "none"
	// StepCheck: a state the SDK cannot advise on (a status or pickup code
	// it does not know, a failed pickup): look at the request in WING.
	StepCheck Step = "check"
)

var stepLabels = map[Step]enumLabel{
	StepWaitPickup:       {"회수 대기", "wait for pickup"},
	StepConfirmOnArrival: {"도착 후 입고 확인", "confirm on arrival"},
	StepConfirmReceipt:   {"입고 확인", "confirm receipt"},
	StepWaitBox:          {"박스 생성 대기", "wait for box"},
	StepUploadInvoice:    {"송장 업로드", "upload waybill"},
	StepWaitDelivery:     {"배송 완료 대기", "wait for delivery"},
	StepNone:             {"없음", "nothing"},
	StepCheck:            {"WING 확인", "check in WING"},
	// The steps of returns (return_actions.go).
	StepStopShipment:   {"출고중지 처리", "stop the shipment"},
	StepRegisterPickup: {"회수 송장 등록", "register the pickup waybill"},
	StepApprove:        {"반품 승인", "approve the return"},
	StepWaitCoupang:    {"쿠팡 처리 대기", "wait for Coupang"},
}

// Korean returns the Korean label of s, or s itself when it is unknown.
func (s Step) Korean() string { return enumKorean(stepLabels, s) }

// English returns the English label of s, or s itself when it is unknown.
func (s Step) English() string { return enumEnglish(stepLabels, s) }

// ActionState is what a request's state says about one action: whether
// Coupang accepts it now, whether its effect is already there, and whether
// it would be premature. Every request kind uses it, one field per action,
// so that code handling exchanges and returns reads the same way.
type ActionState struct {
	// Allowed reports that Coupang accepts the action in this state.
	Allowed bool
	// Done reports that the action's effect is already there: an Ensure…
	// call sends nothing. An action can be done and still allowed (a
	// waybill can be corrected).
	Done bool
	// Early reports an allowed action that the state says cannot be right
	// yet, such as confirming the receipt of an item the courier has not
	// picked up: Coupang would accept it, but the seller cannot have
	// checked the item. The Ensure… calls leave that judgement to the
	// caller; the coupang command refuses without --force.
	Early bool
	// Wait reports an action not allowed yet that becomes allowed without
	// the seller doing anything, by waiting (a shipment box Coupang has
	// not created yet): the Ensure… calls answer ErrNotReady rather than
	// ErrNotApplicable.
	Wait bool
	// Why says, in one English sentence for people, why the action is not
	// allowed, or why it is early; "" when it is allowed and timely.
	Why string
}

// ExchangeActions is what an exchange request's state allows and what the
// seller still has to do, from ExchangeRequest.Actions.
type ExchangeActions struct {
	// Next is the seller's next step.
	Next Step
	// Why explains Next in one English sentence, for people.
	Why string
	// ConfirmReceipt is ConfirmReceipt and EnsureReceiptConfirmed (입고
	// 확인): allowed in RECEIPT; early until the courier has the item.
	ConfirmReceipt ActionState
	// Reject is Reject and EnsureRejected (거부): allowed in RECEIPT while
	// Coupang marks the exchange Rejectable.
	Reject ActionState
	// UploadInvoice is UploadInvoices and EnsureInvoicesUploaded (송장
	// 업로드) against the replacement's new shipment box: allowed once the
	// receipt is confirmed and the box exists; Done once the box carries
	// a waybill (another one replaces it, as a correction).
	UploadInvoice ActionState
}

// Actions returns what e's state allows and what the seller still has to
// do. It reads only e (Status, CollectStatus, CollectCompleteDate,
// Rejectable and the boxes and waybills of DeliveryInvoiceGroups): list the
// exchange again first if the copy may be stale.
//
// The rule: a RECEIPT exchange can be confirmed and, while Rejectable,
// rejected; confirming is early until the courier has the item (pickup
// Delivering, Collecting or CompleteCollect, a collect-complete date, or
// NoCollect when no pickup is needed). Its receipt counts as confirmed in
// PROGRESS or SUCCESS with the pickup CompleteCollect or a collect-complete
// date. A waybill can be uploaded in PROGRESS once the new shipment box
// exists (before that: wait). SUCCESS, REJECT and CANCEL allow nothing. A
// status the SDK does not know allows only a waybill upload against an
// existing new box, and asks the seller to check in WING.
func (e ExchangeRequest) Actions() ExchangeActions {
	a := ExchangeActions{
		ConfirmReceipt: ActionState{Done: e.receiptConfirmed()},
		Reject:         ActionState{Done: e.Status == ExchangeStatusReject},
	}
	box, hasBox := e.ReplacementShipmentBoxID()
	a.UploadInvoice.Done = hasBox && e.boxHasWaybill(box)
	state := e.describe()

	switch e.Status {
	case ExchangeStatusReceipt:
		a.ConfirmReceipt.Allowed = true
		a.Reject.Allowed = e.Rejectable
		if !e.Rejectable {
			a.Reject.Why = "Coupang marks the exchange not rejectable"
		}
		a.UploadInvoice.Why = "the receipt is not confirmed yet: Coupang creates the replacement's shipment box after the confirmation"
		a.Next, a.Why = e.pickupStep()
		if a.Next != StepConfirmReceipt && a.Next != StepConfirmOnArrival {
			a.ConfirmReceipt.Early = true
			a.ConfirmReceipt.Why = "the returned item cannot have reached you yet: " + a.Why
		}
	case ExchangeStatusProgress:
		a.ConfirmReceipt.Why = "the exchange is already " + state
		a.Reject.Why = "only an exchange in RECEIPT can be rejected; this one is " + state
		switch {
		case !hasBox:
			a.UploadInvoice.Wait = true
			a.UploadInvoice.Why = "Coupang has not created the replacement's shipment box yet (it takes up to about 10 minutes after the confirmation)"
			a.Next, a.Why = StepWaitBox, a.UploadInvoice.Why
		case a.UploadInvoice.Done:
			a.UploadInvoice.Allowed = true
			a.Next, a.Why = StepWaitDelivery, fmt.Sprintf("box %d carries a waybill; Coupang completes the exchange once the replacement is delivered", box)
		default:
			a.UploadInvoice.Allowed = true
			a.Next, a.Why = StepUploadInvoice, fmt.Sprintf("ship the replacement and upload its waybill for box %d", box)
		}
	case ExchangeStatusSuccess, ExchangeStatusReject, ExchangeStatusCancel:
		why := "the exchange is " + state + ": it accepts no further action"
		for _, s := range []*ActionState{&a.ConfirmReceipt, &a.Reject, &a.UploadInvoice} {
			if !s.Done {
				s.Why = why
			}
		}
		a.Next, a.Why = StepNone, "the exchange is "+state
	default:
		why := fmt.Sprintf("status %q is not one the SDK knows", orDash(string(e.Status)))
		a.ConfirmReceipt.Why, a.Reject.Why = why, why
		a.UploadInvoice.Allowed = hasBox
		a.UploadInvoice.Wait = !hasBox
		if !hasBox {
			a.UploadInvoice.Why = why + ", and the exchange has no new shipment box"
		}
		a.Next, a.Why = StepCheck, why+": check the exchange in WING"
	}
	return a
}

// pickupStep is the next step of a RECEIPT exchange, from its pickup.
func (e ExchangeRequest) pickupStep() (Step, string) {
	pickup := fmt.Sprintf("pickup %s", orDash(string(e.CollectStatus)))
	if ko := e.CollectStatus.Korean(); ko != string(e.CollectStatus) {
		pickup += " " + ko
	}
	if !e.CollectCompleteDate.IsZero() {
		return StepConfirmReceipt, "the returned item has been delivered to you: check it and confirm its receipt"
	}
	switch e.CollectStatus {
	case CollectStatusCompleteCollect:
		return StepConfirmReceipt, "the returned item has been delivered to you: check it and confirm its receipt"
	case CollectStatusNoCollect:
		return StepConfirmReceipt, "no pickup is needed: confirm the receipt to start the replacement"
	case CollectStatusDelivering, CollectStatusCollecting:
		return StepConfirmOnArrival, "the returned item is on its way back to you (" + pickup + "): confirm its receipt once it has arrived and you have checked it"
	case CollectStatusBeforeDirection, CollectStatusCompleteDirection, "":
		return StepWaitPickup, "the courier has not picked it up yet (" + pickup + ")"
	case CollectStatusDirectionFail, CollectStatusFail:
		return StepCheck, "the pickup failed (" + pickup + "): check the exchange in WING"
	case CollectStatusWithdraw, CollectStatusNoneData:
		return StepCheck, "the pickup is withdrawn or unknown to Coupang (" + pickup + "): check the exchange in WING"
	}
	return StepCheck, "the SDK does not know " + pickup + ": check the exchange in WING"
}

// receiptConfirmed reports whether e's receipt has been confirmed.
func (e ExchangeRequest) receiptConfirmed() bool {
	switch e.Status {
	case ExchangeStatusProgress, ExchangeStatusSuccess:
		return e.CollectStatus == CollectStatusCompleteCollect || !e.CollectCompleteDate.IsZero()
	}
	return false
}

// boxHasWaybill reports whether box carries a waybill number.
func (e ExchangeRequest) boxHasWaybill(box int64) bool {
	for _, g := range e.DeliveryInvoiceGroups {
		if g.ShipmentBoxID != box {
			continue
		}
		for _, inv := range g.Invoices {
			if string(inv.InvoiceNumber) != "" {
				return true
			}
		}
	}
	return false
}

// describe names e's status for a sentence: "withdrawn (CANCEL)".
func (e ExchangeRequest) describe() string {
	if en := e.Status.English(); en != string(e.Status) {
		return en + " (" + string(e.Status) + ")"
	}
	return orDash(string(e.Status))
}
