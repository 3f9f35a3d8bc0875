package coupang_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
)

// A completed exchange without a new box will never get one: waiting for
// it must end at once, not when the context does.
func TestWaitForShipmentBoxOfACompletedExchange(t *testing.T) {
	sb := newSyncSandbox(t, 1)
	sb.srv.UpdateExchange(sb.ids[0], func(ex *coupang.ExchangeRequest) {
		ex.Status = coupang.ExchangeStatusSuccess
		ex.CollectStatus = coupang.CollectStatusCompleteCollect
		ex.DeliveryInvoiceGroups = nil
	})
	ex := sb.exchange(t, sb.ids[0])
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := sb.client.Exchanges.WaitForShipmentBox(ctx, ex)
	require.ErrorIs(t, err, coupang.ErrNotApplicable)
	assert.NoError(t, ctx.Err(), "ended by itself")
	assert.Len(t, sb.srv.Calls(), 1, "one look, no waiting")
}
