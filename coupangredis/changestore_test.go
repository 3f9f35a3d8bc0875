package coupangredis_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangredis"
	"github.com/go-coupang/coupang/coupangredis/internal/redistest"
	"github.com/go-coupang/coupang/coupangtest"
)

// changesPass runs one pass of Changes and returns the ids it yielded.
func changesPass(t *testing.T, client *coupang.Client, store coupang.ChangeStore) []int64 {
	t.Helper()
	var ids []int64
	for ch, err := range client.Exchanges.Changes(context.Background(), store, coupang.ChangeOptions{}) {
		require.NoError(t, err)
		ids = append(ids, ch.Exchange.ExchangeID)
	}
	return ids
}

func TestChangeStoreAcrossProcesses(t *testing.T) {
	srv := redistest.Start(t)
	sandbox := coupangtest.NewTestServer(t)
	client, err := sandbox.Client()
	require.NoError(t, err)
	vendorID := vendor(t)
	// Two stores on two connections: two servers of one seller.
	storeA, err := coupangredis.NewChangeStore(srv.Client(t), vendorID, 0)
	require.NoError(t, err)
	storeB, err := coupangredis.NewChangeStore(srv.Client(t), vendorID, 0)
	require.NoError(t, err)

	first := changesPass(t, client, storeA)
	require.Len(t, first, len(sandbox.Exchanges()))
	id := first[len(first)-1]
	require.True(t, sandbox.Withdraw(id))
	assert.Equal(t, []int64{id}, changesPass(t, client, storeB), "the other server sees only the change")
	assert.Empty(t, changesPass(t, client, storeA))
}

func TestChangeStoreKeepsNoPersonalData(t *testing.T) {
	srv := redistest.Start(t)
	rdb := srv.Client(t)
	sandbox := coupangtest.NewTestServer(t)
	client, err := sandbox.Client()
	require.NoError(t, err)
	vendorID := vendor(t)
	store, err := coupangredis.NewChangeStore(rdb, vendorID, 0)
	require.NoError(t, err)
	require.NotEmpty(t, changesPass(t, client, store))

	records, err := rdb.HGetAll(context.Background(), "coupang:{"+vendorID+"}:changes").Result()
	require.NoError(t, err)
	require.Len(t, records, len(sandbox.Exchanges()))
	for id, v := range records {
		created, fp, ok := strings.Cut(v, "|")
		require.True(t, ok, v)
		assert.Regexp(t, `^\d+$`, id)
		assert.Regexp(t, `^\d+$`, created)
		assert.Regexp(t, `^f1\.[A-Za-z0-9_-]+$`, fp)
	}
}

func TestChangeStoreLease(t *testing.T) {
	srv := redistest.Start(t)
	vendorID := vendor(t)
	// Long enough that a renewal (every third of it) delayed by a loaded
	// machine still comes before the lease ends: the test is about what
	// renewal does, not how punctual its goroutine is.
	const lease = 1500 * time.Millisecond
	rdb := srv.Client(t)
	leaseKey := "coupang:{" + vendorID + "}:changes-lease"
	storeA, err := coupangredis.NewChangeStore(srv.Client(t), vendorID, lease)
	require.NoError(t, err)
	storeB, err := coupangredis.NewChangeStore(srv.Client(t), vendorID, lease)
	require.NoError(t, err)
	rec := func(id int64) coupang.ChangeRecord {
		return coupang.ChangeRecord{ExchangeID: id, CreatedAt: time.Now().Truncate(time.Second), Fingerprint: "f1.x"}
	}

	ctxA, cancelA := context.WithCancel(context.Background())
	defer cancelA()
	passA, err := storeA.BeginPass(ctxA)
	require.NoError(t, err)

	// Renewed while A runs: once Redis's clock is past the end of the lease
	// A first took, the lease is still there, later than it was, and B is
	// refused. (Waiting for Redis's clock to pass a point, not sleeping and
	// hoping: the assertions follow an event, the lease's first end.)
	firstEnd, err := rdb.PExpireTime(context.Background(), leaseKey).Result()
	require.NoError(t, err)
	require.Positive(t, firstEnd, "A holds the lease with an expiry")
	untilRedisTime(t, rdb, time.UnixMilli(firstEnd.Milliseconds()).Add(lease/3))
	end, err := rdb.PExpireTime(context.Background(), leaseKey).Result()
	require.NoError(t, err)
	assert.Greater(t, end, firstEnd, "A renewed its lease")
	_, err = storeB.BeginPass(context.Background())
	require.ErrorIs(t, err, coupang.ErrPassInProgress)
	require.NoError(t, passA.Commit(context.Background(), []coupang.ChangeRecord{rec(1)}, time.Time{}))

	// A hangs (its context ends, so it stops renewing): the lease expires
	// and B takes over; A can no longer write.
	cancelA()
	// The lease ends on Redis's clock, which the test cannot move: it waits
	// for the end Redis has, then B takes over. A renewal that was already
	// on its way when A's context ended may push the end once more.
	var passB coupang.ChangePass
	for range 3 {
		end, err := rdb.PExpireTime(context.Background(), leaseKey).Result()
		require.NoError(t, err)
		if end > 0 {
			untilRedisTime(t, rdb, time.UnixMilli(end.Milliseconds()+1))
		}
		if passB, err = storeB.BeginPass(context.Background()); err == nil {
			break
		}
		require.ErrorIs(t, err, coupang.ErrPassInProgress)
	}
	require.NotNil(t, passB, "B takes over once A's lease ends")
	err = passA.Commit(context.Background(), []coupang.ChangeRecord{rec(2)}, time.Time{})
	require.ErrorIs(t, err, coupang.ErrPassInProgress)
	err = passA.MarkPass(context.Background(), time.Now())
	require.ErrorIs(t, err, coupang.ErrPassInProgress, "nor record a pass")
	_, found, err := passB.Lookup(context.Background(), 1)
	require.NoError(t, err)
	assert.True(t, found, "B sees what A committed while it held the lease")
	require.NoError(t, passB.Commit(context.Background(), []coupang.ChangeRecord{rec(3)}, time.Time{}))
	require.NoError(t, passA.Close(), "closing a pass that lost its lease leaves the new holder's lease alone")
	_, err = storeA.BeginPass(context.Background())
	require.ErrorIs(t, err, coupang.ErrPassInProgress)
	require.NoError(t, passB.Close())

	// Released by Close: the next pass starts at once.
	passC, err := storeA.BeginPass(context.Background())
	require.NoError(t, err)
	defer passC.Close()
	for id, want := range map[int64]bool{1: true, 2: false, 3: true} {
		_, found, err := passC.Lookup(context.Background(), id)
		require.NoError(t, err)
		assert.Equal(t, want, found, "record %d", id)
	}
}

// One pass with the clock a year ahead would empty the store: it is
// refused, also when another server ran the last pass.
func TestChangeStoreRefusesAClockAYearAhead(t *testing.T) {
	srv := redistest.Start(t)
	rdb := srv.Client(t)
	sandbox := coupangtest.NewTestServer(t)
	client, err := sandbox.Client()
	require.NoError(t, err)
	vendorID := vendor(t)
	storeA, err := coupangredis.NewChangeStore(rdb, vendorID, 0)
	require.NoError(t, err)
	storeB, err := coupangredis.NewChangeStore(srv.Client(t), vendorID, 0)
	require.NoError(t, err)
	start := time.Now().Truncate(time.Second)
	require.Len(t, changesPass(t, client, storeA), len(sandbox.Exchanges()))
	mark, err := rdb.Get(context.Background(), "coupang:{"+vendorID+"}:changes-pass").Int64()
	require.NoError(t, err)
	assert.GreaterOrEqual(t, mark, start.Unix())

	// The clock a year ahead of the last pass, seen from the other side: the
	// last pass a year behind the clock (a pass's clock is the real one).
	key := "coupang:{" + vendorID + "}:changes-pass"
	old := mark - 365*24*60*60
	require.NoError(t, rdb.Set(context.Background(), key, old, 0).Err())
	var errs []error
	for _, err := range client.Exchanges.Changes(context.Background(), storeB, coupang.ChangeOptions{}) {
		errs = append(errs, err)
	}
	require.Len(t, errs, 1)
	var jump *coupang.ClockJumpError
	require.ErrorAs(t, errs[0], &jump)
	assert.Equal(t, old, jump.LastPass.Unix())
	assert.ErrorIs(t, errs[0], coupang.ErrClockJump)

	require.NoError(t, rdb.Set(context.Background(), key, mark, 0).Err())
	assert.Empty(t, changesPass(t, client, storeB), "nothing forgotten")
	n, err := rdb.HLen(context.Background(), "coupang:{"+vendorID+"}:changes").Result()
	require.NoError(t, err)
	assert.EqualValues(t, len(sandbox.Exchanges()), n)
}

func TestChangeStoreForgets(t *testing.T) {
	srv := redistest.Start(t)
	rdb := srv.Client(t)
	vendorID := vendor(t)
	store, err := coupangredis.NewChangeStore(rdb, vendorID, 0)
	require.NoError(t, err)
	ctx := context.Background()
	now := time.Now().Truncate(time.Second)
	var records []coupang.ChangeRecord
	for i := range 1200 { // more than one script's batch
		records = append(records, coupang.ChangeRecord{ExchangeID: int64(i + 1), CreatedAt: now.Add(-time.Duration(i) * time.Hour), Fingerprint: "f1.x"})
	}
	pass, err := store.BeginPass(ctx)
	require.NoError(t, err)
	require.NoError(t, pass.Commit(ctx, records, time.Time{}))
	require.NoError(t, pass.Commit(ctx, nil, now.Add(-100*time.Hour+time.Second)))
	_, found, _ := pass.Lookup(ctx, 100)
	assert.True(t, found, "created 99 h ago")
	_, found, _ = pass.Lookup(ctx, 101)
	assert.False(t, found, "created 100 h ago")
	require.NoError(t, pass.Close())

	n, err := rdb.HLen(ctx, "coupang:{"+vendorID+"}:changes").Result()
	require.NoError(t, err)
	assert.EqualValues(t, 100, n)
	n, err = rdb.ZCard(ctx, "coupang:{"+vendorID+"}:changes-created").Result()
	require.NoError(t, err)
	assert.EqualValues(t, 100, n)
	ttl, err := rdb.PTTL(ctx, "coupang:{"+vendorID+"}:changes-lease").Result()
	require.NoError(t, err)
	assert.Negative(t, ttl, "the lease is gone after Close")
}

func TestNewChangeStoreValidation(t *testing.T) {
	srv := redistest.Start(t)
	rdb := srv.Client(t)
	for _, tt := range []struct {
		name  string
		err   func() error
		field string
	}{
		{"nil client", func() error { _, err := coupangredis.NewChangeStore(nil, "A1", 0); return err }, "rdb"},
		{"empty vendor", func() error { _, err := coupangredis.NewChangeStore(rdb, "", 0); return err }, "vendorID"},
		{"vendor with a brace", func() error { _, err := coupangredis.NewChangeStore(rdb, "A{1}", 0); return err }, "vendorID"},
		{"negative lease", func() error { _, err := coupangredis.NewChangeStore(rdb, "A1", -time.Second); return err }, "lease"},
		{"tiny lease", func() error { _, err := coupangredis.NewChangeStore(rdb, "A1", time.Millisecond); return err }, "lease"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var v *coupang.ValidationError
			require.ErrorAs(t, tt.err(), &v)
			assert.Equal(t, tt.field, v.Field)
		})
	}
}

// One Redis store serves the change feeds of exchanges and returns: each
// kind under keys of its own, with its own lease, the same id in both.
func TestChangeStoreKeepsKindsApart(t *testing.T) {
	srv := redistest.Start(t)
	sandbox := coupangtest.NewTestServer(t, coupangtest.WithExchanges(0), coupangtest.WithReturns(0))
	client, err := sandbox.Client()
	require.NoError(t, err)
	const id = 600_000_001
	created := time.Now().Add(-time.Hour)
	sandbox.AddExchange(coupang.ExchangeRequest{ExchangeID: id, CreatedAt: created})
	sandbox.AddReturn(coupang.ReturnRequest{ReceiptID: id, CreatedAt: created})
	rdb := srv.Client(t)
	vendorID := vendor(t)
	store, err := coupangredis.NewChangeStore(rdb, vendorID, 0)
	require.NoError(t, err)
	ctx := context.Background()

	returnsPass := func() []coupang.ReturnChange {
		var out []coupang.ReturnChange
		for ch, err := range client.Returns.Changes(ctx, store, coupang.ChangeOptions{}) {
			require.NoError(t, err)
			out = append(out, ch)
		}
		return out
	}
	assert.Equal(t, []int64{id}, changesPass(t, client, store))
	require.Len(t, returnsPass(), 1, "the same id, another kind")
	assert.Empty(t, changesPass(t, client, store))
	assert.Empty(t, returnsPass())

	keys, err := rdb.Keys(ctx, "coupang:{"+vendorID+"}:returns:*").Result()
	require.NoError(t, err)
	assert.Contains(t, keys, "coupang:{"+vendorID+"}:returns:changes")

	sandbox.WithdrawReturn(id)
	got := returnsPass()
	require.Len(t, got, 1)
	assert.Equal(t, coupang.ChangeWithdrawn, got[0].Kind)
	assert.Empty(t, returnsPass(), "reported once")

	ks := store.(coupang.ChangeKindStore)
	p1, err := ks.BeginKindPass(ctx, coupang.ClaimExchanges)
	require.NoError(t, err)
	p2, err := ks.BeginKindPass(ctx, coupang.ClaimReturns)
	require.NoError(t, err, "both kinds at once")
	recs, err := p2.Records(ctx, created.Add(-time.Minute), time.Now())
	require.NoError(t, err)
	require.Len(t, recs, 1)
	assert.Equal(t, int64(id), recs[0].ExchangeID)
	_, err = ks.BeginKindPass(ctx, coupang.ClaimReturns)
	require.ErrorIs(t, err, coupang.ErrPassInProgress)
	require.NoError(t, p1.Close())
	require.NoError(t, p2.Close())
	_, err = ks.BeginKindPass(ctx, "a:b")
	var ve *coupang.ValidationError
	require.ErrorAs(t, err, &ve)
}

// untilRedisTime returns once Redis's clock has reached at: a lease ends on
// Redis's clock, which a test cannot move. It sleeps for what Redis says is
// left, so it neither polls nor guesses.
func untilRedisTime(t testing.TB, rdb *redis.Client, at time.Time) {
	t.Helper()
	for {
		now, err := rdb.Time(context.Background()).Result()
		require.NoError(t, err)
		if !now.Before(at) {
			return
		}
		time.Sleep(at.Sub(now))
	}
}
