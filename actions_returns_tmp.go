package coupang

// TEMPORARY until the cli branch lands: it adds Step, ActionState and the
// exchange steps in exchange_actions.go with these exact definitions; this
// file stands in for them so that ReturnRequest.Actions compiles, and is
// deleted (its return step labels moved next to theirs) when that file is
// on main.

// Step is what the seller still has to do with a request, or why there is
// nothing to do yet or any more. It is a string so that it prints and
// serialises as itself; the set grows with the request kinds and a program
// should treat an unknown value like StepCheck.
type Step string

// Steps shared with exchanges.
const (
	// StepWaitPickup: the courier has not picked the returned item up
	// yet; there is nothing to do.
	StepWaitPickup Step = "wait-pickup"
	// StepConfirmOnArrival: the returned item is on its way back; confirm
	// its receipt once it is in the seller's hands and checked.
	StepConfirmOnArrival Step = "confirm-on-arrival"
	// StepConfirmReceipt: the returned item has been delivered to the
	// seller: confirm its receipt (입고 확인).
	StepConfirmReceipt Step = "confirm-receipt"
	// StepNone: the request is done or withdrawn: nothing is left to do.
	StepNone Step = "none"
	// StepCheck: a state the SDK cannot advise on: look at the request in
	// WING.
	StepCheck Step = "check"
)

var stepLabels = map[Step]enumLabel{
	StepWaitPickup:       {"회수 대기", "wait for pickup"},
	StepConfirmOnArrival: {"도착 후 입고 확인", "confirm on arrival"},
	StepConfirmReceipt:   {"입고 확인", "confirm receipt"},
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
// it would be premature.
type ActionState struct {
	// Allowed reports that Coupang accepts the action in this state.
	Allowed bool
	// Done reports that the action's effect is already there: an Ensure…
	// call sends nothing.
	Done bool
	// Early reports an allowed action that the state says cannot be right
	// yet.
	Early bool
	// Wait reports an action not allowed yet that becomes allowed without
	// the seller doing anything, by waiting.
	Wait bool
	// Why says, in one English sentence for people, why the action is not
	// allowed, or why it is early; "" when it is allowed and timely.
	Why string
}
