package coupang_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

// testClock is a clock that tests move forward, shared by a sandbox and the
// pass options. It starts at the real time, so that signatures stay valid
// as long as it is moved by less than coupangtest.MaxSignatureSkew.
type testClock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}

// syncSandbox is a sandbox with n exchanges of its own, in RECEIPT, created
// over the last days, oldest first.
type syncSandbox struct {
	srv    *coupangtest.Server
	client *coupang.Client
	clock  *testClock
	ids    []int64
}

func newSyncSandbox(t *testing.T, n int, opts ...coupangtest.Option) *syncSandbox {
	t.Helper()
	clock := &testClock{}
	srv := coupangtest.NewTestServer(t, append([]coupangtest.Option{coupangtest.WithExchanges(0), coupangtest.WithClock(clock.Now)}, opts...)...)
	sb := &syncSandbox{srv: srv, clock: clock}
	for i := range n {
		sb.ids = append(sb.ids, sb.add(time.Duration(n-i)*time.Hour*7, nil))
	}
	var err error
	sb.client, err = srv.Client()
	require.NoError(t, err)
	return sb
}

// add stores an exchange created age ago, in RECEIPT with its pickup under
// way and rejectable, changed by fn.
func (sb *syncSandbox) add(age time.Duration, fn func(*coupang.ExchangeRequest)) int64 {
	ex := coupang.ExchangeRequest{
		OrderID:       31000000000000 + int64(len(sb.ids)+1),
		Status:        coupang.ExchangeStatusReceipt,
		CollectStatus: coupang.CollectStatusDelivering,
		Rejectable:    true,
	}
	ex.CreatedAt = sb.clock.Now().Add(-age)
	ex.Address.DeliveryMobile = "0502-1234-5678"
	if fn != nil {
		fn(&ex)
	}
	return sb.srv.AddExchange(ex)
}

// pass runs one pass of Changes and returns what it yielded.
func (sb *syncSandbox) pass(t *testing.T, store coupang.ChangeStore, opts coupang.ChangeOptions) []coupang.ExchangeChange {
	t.Helper()
	if coupang.ChangeClock(opts) == nil {
		opts = coupang.WithChangeClock(opts, sb.clock.Now)
	}
	var got []coupang.ExchangeChange
	for ch, err := range sb.client.Exchanges.Changes(context.Background(), store, opts) {
		require.NoError(t, err)
		got = append(got, ch)
	}
	return got
}

func (sb *syncSandbox) exchange(t *testing.T, id int64) coupang.ExchangeRequest {
	t.Helper()
	ex, ok := sb.srv.Exchange(id)
	require.True(t, ok)
	return ex
}

func changeIDs(changes []coupang.ExchangeChange) []int64 {
	out := make([]int64, len(changes))
	for i, ch := range changes {
		out[i] = ch.Exchange.ExchangeID
	}
	return out
}
