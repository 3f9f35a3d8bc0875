package coupang_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

func TestRefreshFollowsTheSandboxStateMachine(t *testing.T) {
	srv := coupangtest.NewTestServer(t, coupangtest.WithExchanges(0))
	created := time.Now().Add(-48 * time.Hour).Truncate(time.Second)
	id := srv.AddExchange(coupang.ExchangeRequest{
		OrderID:       int64(31000000000001),
		Status:        coupang.ExchangeStatusReceipt,
		CollectStatus: coupang.CollectStatusDelivering,
		CreatedAt:     created,
	})
	// A second exchange of the same order must not be confused with the first.
	other := srv.AddExchange(coupang.ExchangeRequest{
		OrderID:   int64(31000000000001),
		Status:    coupang.ExchangeStatusReceipt,
		CreatedAt: created,
	})
	require.NotEqual(t, id, other)
	client, err := srv.Client()
	require.NoError(t, err)
	ctx := context.Background()

	before, ok := srv.Exchange(id)
	require.True(t, ok)
	require.NoError(t, client.Exchanges.ConfirmReceipt(ctx, id))

	got, err := client.Exchanges.Relist(ctx, before)
	require.NoError(t, err)
	assert.Equal(t, id, got.ExchangeID)
	assert.Equal(t, coupang.ExchangeStatusProgress, got.Status)
	assert.Equal(t, coupang.CollectStatusCompleteCollect, got.CollectStatus)
	box, ok := got.ReplacementShipmentBoxID()
	assert.True(t, ok, "the sandbox creates the new box at once by default")
	assert.Positive(t, box)
}

func TestRefreshErrors(t *testing.T) {
	srv := coupangtest.NewTestServer(t, coupangtest.WithExchanges(0))
	client, err := srv.Client()
	require.NoError(t, err)
	ctx := context.Background()
	valid := coupang.ExchangeRequest{ExchangeID: 1, OrderID: 2, CreatedAt: time.Now().Add(-time.Hour)}

	tests := []struct {
		name  string
		ex    func() coupang.ExchangeRequest
		field string
	}{
		{"no exchange id", func() coupang.ExchangeRequest { e := valid; e.ExchangeID = 0; return e }, "ExchangeID"},
		{"no order id", func() coupang.ExchangeRequest { e := valid; e.OrderID = -1; return e }, "OrderID"},
		{"no creation time", func() coupang.ExchangeRequest { e := valid; e.CreatedAt = time.Time{}; return e }, "CreatedAt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := client.Exchanges.Relist(ctx, tt.ex())
			var ve *coupang.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field)
		})
	}
	assert.Empty(t, srv.Calls(), "validation happens before any request")

	_, err = client.Exchanges.Relist(ctx, valid)
	require.ErrorIs(t, err, coupang.ErrNotFound)
	assert.Len(t, srv.Calls(), 1)
}

func TestListWindowErrorSaysDays(t *testing.T) {
	client, err := coupang.NewClient("ak", "sk", "A00012345", coupang.WithRateLimit(0))
	require.NoError(t, err)
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, coupang.KoreaLocation())
	_, err = client.Exchanges.List(context.Background(), coupang.ExchangeListOptions{CreatedAtFrom: from, CreatedAtTo: from.AddDate(0, 0, 8)})
	var ve *coupang.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Contains(t, ve.Reason, "8 days long")
	_, err = client.Exchanges.List(context.Background(), coupang.ExchangeListOptions{CreatedAtFrom: from, CreatedAtTo: from.Add(7*24*time.Hour + time.Second)})
	require.ErrorAs(t, err, &ve)
	assert.Contains(t, ve.Reason, "7 days and 1s long")
}
