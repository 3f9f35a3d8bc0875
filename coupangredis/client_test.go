package coupangredis_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
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

// A Limiter paces one vendor's budget: a client of another vendor would
// spend that vendor's budget and leave its own unshared, so coupang.NewClient
// refuses it before anything is sent.
func TestNewClientRefusesALimiterOfAnotherVendor(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"})
	t.Cleanup(func() { _ = rdb.Close() })
	var _ coupang.VendorBound = (*coupangredis.Limiter)(nil)

	lim := coupangredis.NewLimiter(rdb, "A00012345", 5, coupangredis.WithLogger(nil))
	assert.Equal(t, "A00012345", lim.VendorID())
	_, err := coupang.NewClient("access", "secret", "A00099999", coupang.WithLimiter(lim))
	var ve *coupang.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "limiter", ve.Field)
	assert.Contains(t, err.Error(), "A00012345")
	assert.Contains(t, err.Error(), "A00099999")

	c, err := coupang.NewClient("access", "secret", "A00012345", coupang.WithLimiter(lim))
	require.NoError(t, err, "the same vendor")
	assert.Equal(t, "A00012345", c.VendorID())
}
