package coupang_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/go-coupang/coupang"
)

func TestReturnActions(t *testing.T) {
	shipped := []coupang.ReturnItem{{VendorItemID: 1, CancelCount: 1, ReleaseStatus: coupang.ReturnReleaseStatusShipped}}
	notShipped := []coupang.ReturnItem{{VendorItemID: 1, CancelCount: 1, ReleaseStatus: coupang.ReturnReleaseStatusNotShipped}}
	waybill := []coupang.ReturnDelivery{{DeliveryCompanyCode: "CJGLS", DeliveryInvoiceNo: "123456789012"}}
	type allowed struct{ confirm, approve, stop, shipped, pickup bool }
	tests := []struct {
		name    string
		r       coupang.ReturnRequest
		next    coupang.Step
		allowed allowed
		early   bool // confirming is early
		pending bool // ReleaseStopPending
	}{
		{"release stop", coupang.ReturnRequest{Status: coupang.ReturnStatusReleaseStopUnchecked, ReleaseStopStatus: coupang.ReturnReleaseStopUnprocessed, Items: notShipped},
			coupang.StepStopShipment, allowed{stop: true, shipped: true}, false, true},
		{"unchecked with nothing shipped: a release stop too", coupang.ReturnRequest{Status: coupang.ReturnStatusReturnsUnchecked, Items: notShipped},
			coupang.StepStopShipment, allowed{confirm: true, stop: true, shipped: true}, true, true},
		{"return waiting for the courier", coupang.ReturnRequest{Status: coupang.ReturnStatusReturnsUnchecked, Items: shipped, ReturnDeliveryType: coupang.ReturnDeliveryTypeIntegrated},
			coupang.StepWaitPickup, allowed{confirm: true, pickup: true}, true, false},
		{"self-collected return without a waybill", coupang.ReturnRequest{Status: coupang.ReturnStatusReturnsUnchecked, Items: shipped, ReturnDeliveryType: coupang.ReturnDeliveryTypeManual},
			coupang.StepRegisterPickup, allowed{confirm: true, pickup: true}, true, false},
		{"return on its way back", coupang.ReturnRequest{Status: coupang.ReturnStatusReturnsUnchecked, Items: shipped, Deliveries: waybill, ReturnDeliveryType: coupang.ReturnDeliveryTypeIntegrated},
			coupang.StepConfirmOnArrival, allowed{confirm: true, pickup: true}, false, false},
		{"quick refund under the integration, picked up", coupang.ReturnRequest{Status: coupang.ReturnStatusReturnsUnchecked, Items: shipped, Deliveries: waybill, PreRefund: true, ReturnDeliveryType: coupang.ReturnDeliveryTypeIntegrated},
			coupang.StepWaitCoupang, allowed{confirm: true, pickup: true}, false, false},
		{"quick refund collected by hand: confirm", coupang.ReturnRequest{Status: coupang.ReturnStatusReturnsUnchecked, Items: shipped, Deliveries: waybill, PreRefund: true, ReturnDeliveryType: coupang.ReturnDeliveryTypeManual},
			coupang.StepConfirmOnArrival, allowed{confirm: true, pickup: true}, false, false},
		{"reported shipped: a return now", coupang.ReturnRequest{Status: coupang.ReturnStatusReturnsUnchecked, ReleaseStopStatus: coupang.ReturnReleaseStopShipped,
			Items: []coupang.ReturnItem{{ReleaseStatus: coupang.ReturnReleaseStatusAlreadyShipped, CancelCount: 1}}},
			coupang.StepWaitPickup, allowed{confirm: true, pickup: true}, true, false},
		{"confirmed", coupang.ReturnRequest{Status: coupang.ReturnStatusVendorWarehouseConfirm, Items: shipped},
			coupang.StepApprove, allowed{approve: true}, false, false},
		{"completed", coupang.ReturnRequest{Status: coupang.ReturnStatusReturnsCompleted, Items: shipped, CompleteConfirmType: coupang.ReturnCompleteConfirmVendor},
			coupang.StepNone, allowed{}, false, false},
		{"Coupang checking", coupang.ReturnRequest{Status: coupang.ReturnStatusRequestCoupangCheck},
			coupang.StepCheck, allowed{}, false, false},
		{"a cancellation", coupang.ReturnRequest{ReceiptType: coupang.ReturnReceiptTypeCancel, Status: coupang.ReturnStatusReturnsCompleted},
			coupang.StepNone, allowed{}, false, false},
		{"an unknown status", coupang.ReturnRequest{Status: "NEW_STATUS"},
			coupang.StepCheck, allowed{}, false, false},
		{"a release stop answered, not moved on yet", coupang.ReturnRequest{Status: coupang.ReturnStatusReleaseStopUnchecked, ReleaseStopStatus: coupang.ReturnReleaseStopStopped,
			Items: []coupang.ReturnItem{{ReleaseStatus: coupang.ReturnReleaseStatusStopped}}},
			coupang.StepCheck, allowed{}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.r.Actions()
			assert.Equal(t, tt.next, a.Next, a.Why)
			assert.NotEmpty(t, a.Why)
			got := allowed{a.ConfirmReceipt.Allowed, a.Approve.Allowed, a.StopShipment.Allowed, a.MarkShipped.Allowed, a.UploadPickupInvoice.Allowed}
			assert.Equal(t, tt.allowed, got)
			assert.Equal(t, tt.early, a.ConfirmReceipt.Early)
			assert.Equal(t, tt.pending, tt.r.ReleaseStopPending())
			for name, s := range map[string]coupang.ActionState{"confirm": a.ConfirmReceipt, "approve": a.Approve, "stop": a.StopShipment,
				"shipped": a.MarkShipped, "pickup": a.UploadPickupInvoice} {
				if !s.Allowed && !s.Done {
					assert.NotEmpty(t, s.Why, "%s says why not", name)
				}
			}
			assert.NotEqual(t, string(a.Next), a.Next.English(), "every step has a label")
			assert.NotEqual(t, string(a.Next), a.Next.Korean())
		})
	}
}

func TestReturnActionsDone(t *testing.T) {
	quick := coupang.ReturnRequest{Status: coupang.ReturnStatusReturnsCompleted, PreRefund: true, CompleteConfirmType: coupang.ReturnCompleteConfirmCS}
	a := quick.Actions()
	assert.False(t, a.ConfirmReceipt.Done, "Coupang completed it, the seller did not confirm")
	assert.False(t, a.Approve.Done, "a quick refund is never approved")
	assert.Contains(t, a.Why, "quick refund")

	approved := coupang.ReturnRequest{Status: coupang.ReturnStatusReturnsCompleted, CompleteConfirmType: coupang.ReturnCompleteConfirmVendor}
	a = approved.Actions()
	assert.True(t, a.ConfirmReceipt.Done)
	assert.True(t, a.Approve.Done)

	stopped := coupang.ReturnRequest{Status: coupang.ReturnStatusReturnsCompleted, CompleteConfirmType: coupang.ReturnCompleteConfirmVendor,
		ReleaseStopStatus: coupang.ReturnReleaseStopStopped, Items: []coupang.ReturnItem{{ReleaseStatus: coupang.ReturnReleaseStatusStopped}}}
	a = stopped.Actions()
	assert.True(t, a.StopShipment.Done)
	assert.False(t, a.MarkShipped.Done)
	assert.False(t, a.ConfirmReceipt.Done)
	assert.False(t, a.Approve.Done)
	assert.Contains(t, a.Why, "stopped")
}
