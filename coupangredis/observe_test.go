package coupangredis_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangredis"
	"github.com/go-coupang/coupang/coupangredis/internal/redistest"
	"github.com/go-coupang/coupang/coupangtest"
)

// The limiter reports the pause a 429 starts, the probe after it and the
// resumption its answer brings to the Observer of the client whose call it
// serves (coupang.WithObserver).
func TestLimiterReportsPauseProbeAndResume(t *testing.T) {
	rdb := redistest.Start(t).Client(t)
	vendorID := vendor(t)
	lim := coupangredis.NewLimiter(rdb, vendorID, 50, coupangredis.WithLogger(nil),
		coupangredis.WithProtection(coupang.Protection{Cooldown: 20 * time.Millisecond, MaxCooldown: 20 * time.Millisecond}))
	var mu sync.Mutex
	var events []coupang.VendorEvent
	// The sandbox serves the limiter's vendor: NewClient refuses a limiter
	// that paces another vendor than the client's.
	sandbox := coupangtest.NewTestServer(t, coupangtest.WithCredentials(coupangtest.DefaultAccessKey, coupangtest.DefaultSecretKey, vendorID))
	c, err := sandbox.Client(coupang.WithLimiter(lim), coupang.WithMaxRetries(0), coupang.WithObserver(coupang.Observer{
		Vendor: func(_ context.Context, e coupang.VendorEvent) {
			mu.Lock()
			defer mu.Unlock()
			events = append(events, e)
		},
	}))
	require.NoError(t, err)
	now := time.Now()
	week := coupang.ExchangeListOptions{CreatedAtFrom: now.Add(-7 * 24 * time.Hour), CreatedAtTo: now}

	sandbox.FailNext(1, http.StatusTooManyRequests)
	before := time.Now()
	_, err = c.Exchanges.List(context.Background(), week)
	require.ErrorIs(t, err, coupang.ErrRateLimited)
	_, err = c.Exchanges.List(context.Background(), week)
	require.NoError(t, err)

	mu.Lock()
	defer mu.Unlock()
	require.Len(t, events, 3, "%+v", events)
	assert.Equal(t, coupang.VendorPaused, events[0].Kind)
	assert.Equal(t, coupang.OutcomeThrottled, events[0].Reason)
	assert.True(t, events[0].Until.After(before))
	assert.Equal(t, coupang.VendorProbe, events[1].Kind)
	assert.Equal(t, coupang.VendorResumed, events[2].Kind)
}
