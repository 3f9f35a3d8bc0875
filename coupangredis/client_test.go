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
)

// Through the real client: two clients with limiters of their own (two
// processes, as far as the limiter can tell) share one vendor. The client
// reports each answer to the limiter, so a 429 answered to one client pauses
// the other, and a block stops both without sending.
func TestClientsShareProtection(t *testing.T) {
	srv := redistest.Start(t)
	v := vendor(t)
	const lockout = 2 * time.Second
	var (
		mu       sync.Mutex
		lockedAt time.Time
	)
	rec := newRecorder(t, func(n int, at time.Time) (int, http.Header, time.Duration) {
		mu.Lock()
		defer mu.Unlock()
		if n == 4 || (!lockedAt.IsZero() && at.Sub(lockedAt) < lockout) {
			if lockedAt.IsZero() {
				lockedAt = at
			}
			return http.StatusTooManyRequests, http.Header{"Retry-After": {"2"}, "Content-Type": {"application/json"}}, 0
		}
		return http.StatusOK, http.Header{"Content-Type": {"application/json"}}, 0
	})
	rec.body = `{"code":"200","message":"OK","data":[]}`
	newClient := func() *coupang.Client {
		lim := coupangredis.NewLimiter(srv.Client(t), v, 5, coupangredis.WithLogger(nil))
		c, err := coupang.NewClient("access", "secret", v, coupang.WithBaseURL(rec.URL), coupang.WithLimiter(lim), coupang.WithMaxRetries(0))
		require.NoError(t, err)
		return c
	}
	clients := []*coupang.Client{newClient(), newClient()}

	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	for _, c := range clients {
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for ctx.Err() == nil {
					_, err := c.Do(ctx, http.MethodGet, "/v2/providers/openapi/apis/api/v4/vendors/"+v+"/returnRequests", nil, nil, nil)
					if err != nil && ctx.Err() == nil {
						time.Sleep(10 * time.Millisecond)
					}
				}
			}()
		}
	}
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	require.False(t, lockedAt.IsZero())
	ts := rec.times()
	assert.LessOrEqual(t, between(ts, lockedAt.Add(time.Nanosecond), lockedAt.Add(lockout)), 1, "requests during the lockout")
	assert.Positive(t, between(ts, lockedAt.Add(lockout), lockedAt.Add(time.Hour)), "resumed after the lockout")
	assert.LessOrEqual(t, maxInWindow(ts, time.Second), 5, densest(ts))
}
