package coupangtest_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

// An exchange added without an order id must still be usable by Relist and
// the Ensure… calls, which find an exchange through its order.
func TestAddExchangeGivesAnOrderID(t *testing.T) {
	srv := coupangtest.NewTestServer(t, coupangtest.WithExchanges(0))
	c := newClient(t, srv)
	a := srv.AddExchange(coupang.ExchangeRequest{})
	b := srv.AddExchange(coupang.ExchangeRequest{})
	kept := srv.AddExchange(coupang.ExchangeRequest{OrderID: 12345})

	exA, ok := srv.Exchange(a)
	require.True(t, ok)
	exB, ok := srv.Exchange(b)
	require.True(t, ok)
	assert.Positive(t, exA.OrderID)
	assert.NotEqual(t, exA.OrderID, exB.OrderID, "one order per added exchange")
	exKept, ok := srv.Exchange(kept)
	require.True(t, ok)
	assert.Equal(t, int64(12345), exKept.OrderID, "a given order id is kept")

	// Deterministic: the same additions on another server give the same ids.
	again := coupangtest.NewTestServer(t, coupangtest.WithExchanges(0))
	exAgain, ok := again.Exchange(again.AddExchange(coupang.ExchangeRequest{}))
	require.True(t, ok)
	assert.Equal(t, exA.OrderID, exAgain.OrderID)

	require.NoError(t, c.Exchanges.EnsureReceiptConfirmed(context.Background(), exA))
	got, ok := srv.Exchange(a)
	require.True(t, ok)
	assert.Equal(t, coupang.ExchangeStatusProgress, got.Status)
	assert.Equal(t, 1, srv.Confirmations(a))
}
