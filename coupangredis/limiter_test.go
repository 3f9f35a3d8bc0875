package coupangredis_test

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangredis"
	"github.com/go-coupang/coupang/coupangredis/internal/redistest"
)

// The Limiter plugs into the client and satisfies every interface the
// client looks for.
var (
	_ coupang.Limiter         = (*coupangredis.Limiter)(nil)
	_ coupang.OutcomeReporter = (*coupangredis.Limiter)(nil)
	_ coupang.StateReader     = (*coupangredis.Limiter)(nil)
)

// Invalid arguments are reported by Wait as a *coupang.ValidationError,
// before Redis is asked anything.
func TestInvalidArguments(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"})
	t.Cleanup(func() { _ = rdb.Close() })
	tests := []struct {
		name   string
		rdb    redis.UniversalClient
		vendor string
		rate   float64
		opts   []coupangredis.Option
		field  string
	}{
		{"nil client", nil, "A00012345", 5, nil, "rdb"},
		{"empty vendor", rdb, "", 5, nil, "vendorID"},
		{"vendor breaking the hash tag", rdb, "A0}1", 5, nil, "vendorID"},
		{"vendor with a space", rdb, "A0 1", 5, nil, "vendorID"},
		{"lower-case vendor", rdb, "a00012345", 5, nil, "vendorID"},
		{"vendor of another letter", rdb, "B00012345", 5, nil, "vendorID"},
		{"vendor without digits", rdb, "A", 5, nil, "vendorID"},
		{"vendor with a letter among the digits", rdb, "A0001234x", 5, nil, "vendorID"},
		{"vendor with full-width digits", rdb, "A０００１２", 5, nil, "vendorID"},
		{"vendor with a trailing newline", rdb, "A00012345\n", 5, nil, "vendorID"},
		{"zero rate", rdb, "A00012345", 0, nil, "perSecond"},
		{"negative rate", rdb, "A00012345", -1, nil, "perSecond"},
		{"NaN rate", rdb, "A00012345", math.NaN(), nil, "perSecond"},
		{"infinite rate", rdb, "A00012345", math.Inf(1), nil, "perSecond"},
		{"zero processes", rdb, "A00012345", 5, []coupangredis.Option{coupangredis.WithExpectedProcesses(0)}, "option"},
		{"zero fallback rate", rdb, "A00012345", 5, []coupangredis.Option{coupangredis.WithFallbackRate(0)}, "option"},
		{"zero timeout", rdb, "A00012345", 5, []coupangredis.Option{coupangredis.WithRedisTimeout(0, time.Second)}, "option"},
		{"negative cool-down", rdb, "A00012345", 5, []coupangredis.Option{coupangredis.WithProtection(coupang.Protection{Cooldown: -time.Minute})}, "option"},
		{"negative block cool-down", rdb, "A00012345", 5, []coupangredis.Option{coupangredis.WithProtection(coupang.Protection{MaxBlockCooldown: -time.Second})}, "option"},
		{"negative storm", rdb, "A00012345", 5, []coupangredis.Option{coupangredis.WithProtection(coupang.Protection{StormErrors: -1, StormWindow: time.Second})}, "option"},
		{"zero lease", rdb, "A00012345", 5, []coupangredis.Option{coupangredis.WithProbeLease(0)}, "option"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lim := coupangredis.NewLimiter(tt.rdb, tt.vendor, tt.rate, tt.opts...)
			err := lim.Wait(context.Background())
			var ve *coupang.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field)
			lim.Report(context.Background(), coupang.Outcome{Kind: coupang.OutcomeThrottled}) // no panic
			assert.NotPanics(t, func() { _ = lim.State() })
		})
	}
}

// A context that ends while waiting ends the Wait, and gives up nothing that
// another caller needs.
func TestContextEnds(t *testing.T) {
	srv := redistest.Start(t)
	lim := coupangredis.NewLimiter(srv.Client(t), vendor(t), 1, coupangredis.WithLogger(nil))
	ctx := context.Background()
	require.NoError(t, lim.Wait(ctx))

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	require.ErrorIs(t, lim.Wait(cctx), context.Canceled)

	// The next slot is a second away: a deadline before it fails at once.
	dctx, cancel2 := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel2()
	err := lim.Wait(dctx)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), "exceeds the context deadline")
	assert.NoError(t, dctx.Err(), "failed at once, not at the deadline")
}

// Every key the Limiter writes carries a TTL, and the pacer's disappears
// soon after the last start: nothing grows forever.
func TestKeysExpire(t *testing.T) {
	srv := redistest.Start(t)
	rdb := srv.Client(t)
	v := vendor(t)
	lim := coupangredis.NewLimiter(rdb, v, 5, coupangredis.WithLogger(nil),
		coupangredis.WithProtection(coupang.Protection{
			Cooldown: 100 * time.Millisecond, MaxCooldown: time.Second, BlockCooldown: 100 * time.Millisecond, MaxBlockCooldown: time.Second}))
	ctx := context.Background()

	require.NoError(t, lim.Wait(ctx))
	for range 4 { // the third makes a storm, the fourth starts a new count
		lim.Report(ctx, coupang.Outcome{Kind: coupang.OutcomeError, StatusCode: 500, Warning: "x"})
	}
	lim.Report(ctx, coupang.Outcome{Kind: coupang.OutcomeThrottled, StatusCode: 429})
	require.NoError(t, lim.Wait(ctx)) // the probe, after the pause
	rate := lim.State().Rate          // slowed by the storm and the warning
	lim.Report(ctx, coupang.Outcome{Kind: coupang.OutcomeBlocked, StatusCode: 403})

	keys, err := rdb.Keys(ctx, "coupang:{"+v+"}:*").Result()
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{
		"coupang:{" + v + "}:gcra", "coupang:{" + v + "}:pause", "coupang:{" + v + "}:slow",
		"coupang:{" + v + "}:strikes", "coupang:{" + v + "}:errors",
	}, keys)
	for _, k := range keys {
		ttl, err := rdb.PTTL(ctx, k).Result()
		require.NoError(t, err)
		assert.Positive(t, ttl, "%s has no TTL", k)
		assert.LessOrEqual(t, ttl, 11*time.Minute, k)
	}
	// The pacer's key and the error count go soon after they stop
	// mattering: asserted on the TTLs the scripts set (that Redis expires
	// a key when its TTL runs out is Redis's part, not waited for here).
	// The pacer's outlives the slot after the last start by a second: the
	// last start is at most an interval ahead (the configured one), the
	// next a slowed interval after it. The error count lives one storm
	// window.
	interval := time.Duration(math.Ceil(float64(time.Second) / 5 * 1.02))
	slowed := time.Duration(math.Ceil(float64(interval) * 5 / rate))
	for k, most := range map[string]time.Duration{"gcra": interval + slowed + time.Second, "errors": coupang.DefaultStormWindow} {
		ttl, err := rdb.PTTL(ctx, "coupang:{"+v+"}:"+k).Result()
		require.NoError(t, err)
		assert.Positive(t, ttl, "%s expires", k)
		assert.LessOrEqual(t, ttl, most, "%s expires soon", k)
	}
}

// coupangredis accepts exactly the vendor ids coupang.NewClient accepts: one
// check, shared, for the Limiter and the change store.
func TestVendorIDsAsNewClient(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"})
	t.Cleanup(func() { _ = rdb.Close() })
	for _, id := range []string{"A00012345", "C1", "A0", "", "A", "B00012345", "a00012345", "A0001234x", "A0}1", "A0 1", "A00012345\n", "Ａ00012345", "A١٢٣"} {
		_, clientErr := coupang.NewClient("ak", "sk", id)
		limErr := coupangredis.NewLimiter(rdb, id, 5, coupangredis.WithLogger(nil)).Wait(context.Background())
		var ve *coupang.ValidationError
		if clientErr != nil {
			require.ErrorAs(t, limErr, &ve, "Limiter, %q", id)
			assert.Equal(t, "vendorID", ve.Field)
		} else {
			assert.False(t, errors.As(limErr, &ve), "Limiter, %q: %v", id, limErr)
		}
		_, storeErr := coupangredis.NewChangeStore(rdb, id, 0)
		assert.Equal(t, clientErr == nil, storeErr == nil, "change store, %q: %v", id, storeErr)
	}
}
