package coupangredis_test

import (
	"context"
	"net/http"
	"slices"
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
		resumed  int // answers of 200 after the lockout
	)
	// The run ends when two requests have been answered after the lockout,
	// not after a fixed time: on a loaded machine the probe may come late.
	// The timeout only bounds a hang.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rec := newRecorder(t, func(n int, at time.Time) (int, http.Header, time.Duration) {
		mu.Lock()
		defer mu.Unlock()
		if !lockedAt.IsZero() && at.Sub(lockedAt) >= lockout {
			if resumed++; resumed >= 2 {
				cancel()
			}
		}
		if n == 4 || (!lockedAt.IsZero() && at.Sub(lockedAt) < lockout) {
			if lockedAt.IsZero() {
				lockedAt = at
			}
			return http.StatusTooManyRequests, http.Header{"Retry-After": {"2"}, "Content-Type": {"application/json"}}, 0
		}
		return http.StatusOK, http.Header{"Content-Type": {"application/json"}}, 0
	})
	rec.body = `{"code":"200","message":"OK","data":[]}`
	var slotsMu sync.Mutex
	var slots []time.Time
	newClient := func() *coupang.Client {
		lim := coupangredis.NewLimiter(srv.Client(t), v, 5, coupangredis.WithLogger(nil))
		coupangredis.SetOnGrant(lim, func(slot time.Time, _ bool) {
			slotsMu.Lock()
			defer slotsMu.Unlock()
			slots = append(slots, slot) // forfeited or not, Redis spaced it
		})
		c, err := coupang.NewClient("access", "secret", v, coupang.WithBaseURL(rec.URL), coupang.WithLimiter(lim), coupang.WithMaxRetries(0))
		require.NoError(t, err)
		return c
	}
	clients := []*coupang.Client{newClient(), newClient()}

	var wg sync.WaitGroup
	for _, c := range clients {
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				// A 429 comes back as an error; the next call waits
				// out the pause in the limiter.
				for ctx.Err() == nil {
					_, _ = c.Do(ctx, http.MethodGet, "/v2/providers/openapi/apis/api/v4/vendors/"+v+"/returnRequests", nil, nil, nil)
				}
			}()
		}
	}
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	require.False(t, lockedAt.IsZero())
	require.GreaterOrEqual(t, resumed, 2, "resumed after the lockout (not a hang)")
	// On the slots Redis granted (its clock), not on arrivals: a request
	// granted before the 429's report and descheduled on its way arrives
	// during the lockout on a loaded machine. The probe is answered at once.
	slotsMu.Lock()
	defer slotsMu.Unlock()
	slices.SortFunc(slots, time.Time.Compare)
	assertPauseThenProbe(t, slots, lockout, 0)
	assert.LessOrEqual(t, maxInWindow(slots, time.Second), 5, densest(slots))
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
