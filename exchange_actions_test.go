package coupang_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

// actionsExchange is an exchange in a state: status, pickup, rejectable,
// and the replacement's new box with or without a waybill (box 0: none).
func actionsExchange(st coupang.ExchangeStatus, cs coupang.CollectStatus, rejectable bool, box int64, waybill string) coupang.ExchangeRequest {
	ex := coupang.ExchangeRequest{Status: st, CollectStatus: cs, Rejectable: rejectable}
	ex.ExchangeID = 400000001
	ex.Items = []coupang.ExchangeItem{{OriginalShipmentBoxID: 100000000000000001}}
	if box != 0 {
		g := coupang.DeliveryInvoiceGroup{ShipmentBoxID: box, ShippingDeliveryType: coupang.ShippingDeliveryTypeExchangeDelivery}
		if waybill != "" {
			inv := coupang.DeliveryInvoice{DeliverCode: "CJGLS"}
			inv.InvoiceNumber = waybill
			g.Invoices = []coupang.DeliveryInvoice{inv}
		}
		ex.DeliveryInvoiceGroups = []coupang.DeliveryInvoiceGroup{g}
	}
	return ex
}

// One rule for every state (issue 22): what Coupang accepts, what is done,
// what is early, and the seller's next step.
func TestExchangeActions(t *testing.T) {
	const box = 500000000000000001
	type want struct {
		next                               coupang.Step
		confirm, confirmDone, confirmEarly bool
		reject, rejectDone                 bool
		upload, uploadDone, uploadWait     bool
	}
	tests := []struct {
		name string
		ex   coupang.ExchangeRequest
		want want
	}{
		{"RECEIPT, pickup not handed to the courier",
			actionsExchange(coupang.ExchangeStatusReceipt, coupang.CollectStatusBeforeDirection, true, 0, ""),
			want{next: coupang.StepWaitPickup, confirm: true, confirmEarly: true, reject: true}},
		{"RECEIPT, pickup ordered from the courier",
			actionsExchange(coupang.ExchangeStatusReceipt, coupang.CollectStatusCompleteDirection, false, 0, ""),
			want{next: coupang.StepWaitPickup, confirm: true, confirmEarly: true}},
		{"RECEIPT, no pickup status",
			actionsExchange(coupang.ExchangeStatusReceipt, "", true, 0, ""),
			want{next: coupang.StepWaitPickup, confirm: true, confirmEarly: true, reject: true}},
		{"RECEIPT, item on its way back",
			actionsExchange(coupang.ExchangeStatusReceipt, coupang.CollectStatusDelivering, true, 0, ""),
			want{next: coupang.StepConfirmOnArrival, confirm: true, reject: true}},
		{"RECEIPT, collecting (real data)",
			actionsExchange(coupang.ExchangeStatusReceipt, coupang.CollectStatusCollecting, true, 0, ""),
			want{next: coupang.StepConfirmOnArrival, confirm: true, reject: true}},
		{"RECEIPT, item delivered to the seller",
			actionsExchange(coupang.ExchangeStatusReceipt, coupang.CollectStatusCompleteCollect, true, 0, ""),
			want{next: coupang.StepConfirmReceipt, confirm: true, reject: true}},
		{"RECEIPT, no pickup needed",
			actionsExchange(coupang.ExchangeStatusReceipt, coupang.CollectStatusNoCollect, false, 0, ""),
			want{next: coupang.StepConfirmReceipt, confirm: true}},
		{"RECEIPT, pickup failed",
			actionsExchange(coupang.ExchangeStatusReceipt, coupang.CollectStatusFail, true, 0, ""),
			want{next: coupang.StepCheck, confirm: true, confirmEarly: true, reject: true}},
		{"RECEIPT, pickup code unknown to the SDK",
			actionsExchange(coupang.ExchangeStatusReceipt, coupang.CollectStatus("Teleported"), true, 0, ""),
			want{next: coupang.StepCheck, confirm: true, confirmEarly: true, reject: true}},
		{"PROGRESS, box not created yet",
			actionsExchange(coupang.ExchangeStatusProgress, coupang.CollectStatusCompleteCollect, false, 0, ""),
			want{next: coupang.StepWaitBox, confirmDone: true, uploadWait: true}},
		{"PROGRESS, only the original box",
			actionsExchange(coupang.ExchangeStatusProgress, coupang.CollectStatusCompleteCollect, false, 100000000000000001, ""),
			want{next: coupang.StepWaitBox, confirmDone: true, uploadWait: true}},
		{"PROGRESS, box without a waybill",
			actionsExchange(coupang.ExchangeStatusProgress, coupang.CollectStatusCompleteCollect, false, box, ""),
			want{next: coupang.StepUploadInvoice, confirmDone: true, upload: true}},
		{"PROGRESS, box with a waybill",
			actionsExchange(coupang.ExchangeStatusProgress, coupang.CollectStatusCompleteCollect, false, box, "123456789012"),
			want{next: coupang.StepWaitDelivery, confirmDone: true, upload: true, uploadDone: true}},
		{"SUCCESS",
			actionsExchange(coupang.ExchangeStatusSuccess, coupang.CollectStatusCompleteCollect, false, box, "123456789012"),
			want{next: coupang.StepNone, confirmDone: true, uploadDone: true}},
		{"REJECT",
			actionsExchange(coupang.ExchangeStatusReject, coupang.CollectStatusCompleteDirection, false, 0, ""),
			want{next: coupang.StepNone, rejectDone: true}},
		{"CANCEL",
			actionsExchange(coupang.ExchangeStatusCancel, coupang.CollectStatusWithdraw, true, 0, ""),
			want{next: coupang.StepNone}},
		{"status unknown to the SDK, with a box",
			actionsExchange(coupang.ExchangeStatus("ON_HOLD"), coupang.CollectStatusCompleteCollect, true, box, ""),
			want{next: coupang.StepCheck, upload: true}},
		{"status unknown to the SDK, no box",
			actionsExchange(coupang.ExchangeStatus("ON_HOLD"), coupang.CollectStatusCompleteCollect, true, 0, ""),
			want{next: coupang.StepCheck, uploadWait: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.ex.Actions()
			got := want{
				next:    a.Next,
				confirm: a.ConfirmReceipt.Allowed, confirmDone: a.ConfirmReceipt.Done, confirmEarly: a.ConfirmReceipt.Early,
				reject: a.Reject.Allowed, rejectDone: a.Reject.Done,
				upload: a.UploadInvoice.Allowed, uploadDone: a.UploadInvoice.Done, uploadWait: a.UploadInvoice.Wait,
			}
			assert.Equal(t, tt.want, got)
			assert.NotEmpty(t, a.Why, "the next step is explained")
			assert.NotEqual(t, string(a.Next), a.Next.English(), "every step has a label")
			assert.NotEqual(t, string(a.Next), a.Next.Korean(), "every step has a Korean label")
			for name, s := range map[string]coupang.ActionState{"confirm": a.ConfirmReceipt, "reject": a.Reject, "upload": a.UploadInvoice} {
				if (!s.Allowed && !s.Done) || s.Early {
					assert.NotEmpty(t, s.Why, "%s: why not, or why early", name)
				}
				assert.False(t, s.Early && !s.Allowed, "%s: early implies allowed", name)
				assert.False(t, s.Wait && s.Allowed, "%s: wait implies not allowed", name)
			}
		})
	}
}

// A collect-complete date counts as arrival, also when the pickup code lags.
func TestExchangeActionsCollectCompleteDate(t *testing.T) {
	ex := actionsExchange(coupang.ExchangeStatusReceipt, coupang.CollectStatusCompleteDirection, true, 0, "")
	ex.CollectCompleteDate = time.Date(2026, 3, 2, 10, 0, 0, 0, coupang.KoreaLocation())
	assert.Equal(t, coupang.StepConfirmReceipt, ex.Actions().Next)
	assert.False(t, ex.Actions().ConfirmReceipt.Early)

	ex.Status = coupang.ExchangeStatusProgress
	ex.CollectStatus = coupang.CollectStatusDelivering
	assert.True(t, ex.Actions().ConfirmReceipt.Done)
}

// The Ensure… calls follow the rule: what it does not allow is refused
// before anything is sent, with ErrNotApplicable, or ErrNotReady when
// waiting helps; an early confirmation is the caller's judgement and is
// sent.
func TestEnsureFollowsTheRule(t *testing.T) {
	ctx := context.Background()
	srv := coupangtest.NewTestServer(t, coupangtest.WithExchanges(0), coupangtest.WithoutQuirks())
	client, err := srv.Client()
	require.NoError(t, err)
	add := func(id int64, st coupang.ExchangeStatus, cs coupang.CollectStatus, rejectable bool) coupang.ExchangeRequest {
		ex := actionsExchange(st, cs, rejectable, 0, "")
		ex.ExchangeID, ex.OrderID = id, 30000000000+id
		ex.CreatedAt = time.Now().Add(-time.Hour)
		ex.Items = []coupang.ExchangeItem{{Quantity: 1, OriginalShipmentBoxID: 100000000000000001}}
		srv.AddExchange(ex)
		got, ok := srv.Exchange(id)
		require.True(t, ok)
		return got
	}

	early := add(400000101, coupang.ExchangeStatusReceipt, coupang.CollectStatusBeforeDirection, false)
	require.True(t, early.Actions().ConfirmReceipt.Early)
	require.NoError(t, client.Exchanges.EnsureReceiptConfirmed(ctx, early))
	assert.Len(t, srv.Applied(), 1, "sent: Coupang accepts it")

	notRejectable := add(400000102, coupang.ExchangeStatusReceipt, coupang.CollectStatusDelivering, false)
	require.False(t, notRejectable.Actions().Reject.Allowed)
	err = client.Exchanges.EnsureRejected(ctx, notRejectable, coupang.RejectSoldOut)
	assert.ErrorIs(t, err, coupang.ErrNotApplicable)

	receipt := add(400000103, coupang.ExchangeStatusReceipt, coupang.CollectStatusCompleteCollect, true)
	err = client.Exchanges.EnsureInvoicesUploaded(ctx, receipt, []coupang.ExchangeInvoice{{ShipmentBoxID: 500000000000000009, GoodsDeliveryCode: "CJGLS", InvoiceNumber: "123456789012"}})
	assert.ErrorIs(t, err, coupang.ErrNotApplicable, "confirm the receipt first")

	noBox := add(400000104, coupang.ExchangeStatusProgress, coupang.CollectStatusCompleteCollect, false)
	require.True(t, noBox.Actions().UploadInvoice.Wait)
	err = client.Exchanges.EnsureInvoicesUploaded(ctx, noBox, []coupang.ExchangeInvoice{{ShipmentBoxID: 500000000000000009, GoodsDeliveryCode: "CJGLS", InvoiceNumber: "123456789012"}})
	assert.ErrorIs(t, err, coupang.ErrNotReady)
	assert.False(t, errors.Is(err, coupang.ErrNotApplicable))

	withdrawn := add(400000105, coupang.ExchangeStatusCancel, coupang.CollectStatusWithdraw, false)
	assert.ErrorIs(t, client.Exchanges.EnsureReceiptConfirmed(ctx, withdrawn), coupang.ErrNotApplicable)
	assert.Len(t, srv.Applied(), 1, "nothing else was applied")
}
