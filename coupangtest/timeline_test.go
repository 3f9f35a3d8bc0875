package coupangtest_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

// movableClock starts at the real time (signatures stay valid while it is
// moved by less than MaxSignatureSkew).
type movableClock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *movableClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *movableClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}

func lastWeek(clock *movableClock) coupang.ExchangeListOptions {
	return coupang.ExchangeListOptions{CreatedAtFrom: clock.now().Add(-7 * 24 * time.Hour), CreatedAtTo: clock.now()}
}

func TestUpdateExchangeAtAppliesWhenDue(t *testing.T) {
	clock := &movableClock{}
	srv := coupangtest.NewTestServer(t, coupangtest.WithExchanges(0), coupangtest.WithClock(clock.now))
	id := srv.AddExchange(coupang.ExchangeRequest{OrderID: 1})
	c := newClient(t, srv)

	order := []coupang.CollectStatus{}
	require.True(t, srv.UpdateExchangeAt(clock.now().Add(2*time.Minute), id, func(ex *coupang.ExchangeRequest) {
		ex.CollectStatus = coupang.CollectStatusCompleteCollect
		order = append(order, ex.CollectStatus)
	}))
	require.True(t, srv.UpdateExchangeAt(clock.now().Add(time.Minute), id, func(ex *coupang.ExchangeRequest) {
		ex.CollectStatus = coupang.CollectStatusDelivering
		order = append(order, ex.CollectStatus)
	}))
	assert.False(t, srv.UpdateExchangeAt(clock.now(), id+1, func(*coupang.ExchangeRequest) {}))

	status := func() coupang.CollectStatus {
		got := listAll(t, c, lastWeek(clock))
		require.Len(t, got, 1)
		return got[0].CollectStatus
	}
	assert.Equal(t, coupang.CollectStatus(""), status())
	clock.advance(time.Minute)
	assert.Equal(t, coupang.CollectStatusDelivering, status())
	clock.advance(2 * time.Minute)
	assert.Equal(t, coupang.CollectStatusCompleteCollect, status())
	assert.Equal(t, []coupang.CollectStatus{coupang.CollectStatusDelivering, coupang.CollectStatusCompleteCollect}, order, "in time order, once each")
}

func TestAddExchangeLateIsHiddenUntilDue(t *testing.T) {
	clock := &movableClock{}
	srv := coupangtest.NewTestServer(t, coupangtest.WithExchanges(0), coupangtest.WithClock(clock.now))
	ex := coupang.ExchangeRequest{OrderID: 1}
	ex.CreatedAt = clock.now().Add(-24 * time.Hour)
	id := srv.AddExchangeLate(clock.now().Add(time.Minute), ex)
	c := newClient(t, srv)

	assert.Empty(t, listAll(t, c, lastWeek(clock)))
	assert.Empty(t, srv.Exchanges())
	err := c.Exchanges.ConfirmReceipt(context.Background(), id)
	assert.Equal(t, 404, apiError(t, err).StatusCode)

	clock.advance(time.Minute)
	got := listAll(t, c, lastWeek(clock))
	require.Len(t, got, 1)
	assert.Equal(t, id, int64(got[0].ExchangeID))
	require.NoError(t, c.Exchanges.ConfirmReceipt(context.Background(), id))
}

func TestIncidentChangesListAnswersOnly(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	c := newClient(t, srv)
	opts := coupang.ExchangeListOptions{CreatedAtFrom: time.Now().Add(-30 * 24 * time.Hour), CreatedAtTo: time.Now()}
	srv.StartIncident(func(ex *coupang.ExchangeRequest) {
		ex.CollectInformation.Destination.SafetyNumber = ""
	})
	during := listAll(t, c, opts)
	require.NotEmpty(t, during)
	for _, ex := range during {
		assert.Empty(t, ex.CollectInformation.Destination.SafetyNumber)
	}
	stored, _ := srv.Exchange(int64(during[0].ExchangeID))
	assert.NotEmpty(t, stored.CollectInformation.Destination.SafetyNumber, "the stored record is unchanged")

	srv.EndIncident()
	after := listAll(t, c, opts)
	assert.NotEmpty(t, after[0].CollectInformation.Destination.SafetyNumber)
}
