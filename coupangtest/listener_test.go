package coupangtest_test

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

func TestWithListenerServesAtItsAddress(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := coupangtest.NewTestServer(t, coupangtest.WithListener(l))
	assert.Equal(t, "http://"+l.Addr().String(), srv.URL)

	c := newClient(t, srv)
	now := time.Now()
	page, err := c.Exchanges.List(context.Background(), coupang.ExchangeListOptions{CreatedAtFrom: now.Add(-6 * 24 * time.Hour), CreatedAtTo: now})
	require.NoError(t, err)
	assert.NotEmpty(t, page.Items)

	srv.Close()
	_, err = net.Dial("tcp", l.Addr().String())
	assert.Error(t, err, "closing the server closes the listener")
}
