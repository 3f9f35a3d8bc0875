package coupang_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
)

const day = 24 * time.Hour

// changeStores are the built-in stores the clock tests run on.
var changeStores = map[string]func(t *testing.T) coupang.ChangeStore{
	"memory": func(*testing.T) coupang.ChangeStore { return coupang.NewMemoryChangeStore() },
	"file": func(t *testing.T) coupang.ChangeStore {
		s, err := coupang.NewFileChangeStore(filepath.Join(t.TempDir(), "changes.json"))
		require.NoError(t, err)
		return s
	},
}

// passErrors runs one pass of Changes and returns what it yielded and the
// errors, apart.
func (sb *syncSandbox) passErrors(store coupang.ChangeStore, opts coupang.ChangeOptions) (got []coupang.ExchangeChange, errs []error) {
	for ch, err := range sb.client.Exchanges.Changes(context.Background(), store, opts) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		got = append(got, ch)
	}
	return got, errs
}

// at is a clock standing at t.
func at(t time.Time) func() time.Time { return func() time.Time { return t } }

// One pass with the clock a year ahead would forget every exchange, and all
// would come again as new once the clock is right: it is refused, before it
// lists or forgets anything.
func TestChangesRefusesAClockPastTheLookback(t *testing.T) {
	tests := []struct {
		name     string
		ahead    time.Duration
		opts     coupang.ChangeOptions
		lookback time.Duration // of the first pass too
	}{
		{name: "a year ahead", ahead: 365 * day},
		{name: "a day past the default look-back", ahead: 31 * day},
		{name: "past a one-day look-back", ahead: 26 * time.Hour, lookback: day},
		{name: "past the look-back, with From after the last pass", ahead: 40 * day, opts: coupang.ChangeOptions{From: time.Now().Add(20 * day)}},
	}
	for storeName, newStore := range changeStores {
		for _, tt := range tests {
			t.Run(storeName+"/"+tt.name, func(t *testing.T) {
				sb := newSyncSandbox(t, 3)
				store := newStore(t)
				start := sb.clock.Now().Truncate(time.Second)
				require.Len(t, sb.pass(t, store, coupang.ChangeOptions{Lookback: tt.lookback}), 3)
				calls := len(sb.srv.Calls())

				now := sb.clock.Now().Add(tt.ahead)
				opts := tt.opts
				opts.Lookback = tt.lookback
				opts = coupang.WithChangeClock(opts, at(now))
				got, errs := sb.passErrors(store, opts)
				assert.Empty(t, got)
				require.Len(t, errs, 1)
				require.ErrorIs(t, errs[0], coupang.ErrClockJump)
				var jump *coupang.ClockJumpError
				require.True(t, errors.As(errs[0], &jump))
				assert.Equal(t, now, jump.Now)
				assert.False(t, jump.LastPass.Before(start), "the last pass: %v, started at %v", jump.LastPass, start)
				assert.False(t, jump.LastPass.After(sb.clock.Now()))
				assert.True(t, jump.LastPass.Before(jump.From))
				assert.Contains(t, errs[0].Error(), "AcceptClockJump")
				assert.Len(t, sb.srv.Calls(), calls, "nothing listed")

				assert.Empty(t, sb.pass(t, store, coupang.ChangeOptions{Lookback: tt.lookback}), "nothing forgotten: nothing new at the next pass")
			})
		}
	}
}

func TestChangesRunsWithinTheLookback(t *testing.T) {
	tests := []struct {
		name  string
		ahead time.Duration
		opts  func(lastPass time.Time) coupang.ChangeOptions
	}{
		{name: "a day short of the look-back", ahead: 29 * day},
		{name: "past the look-back, with From reaching back to the last pass", ahead: 40 * day,
			opts: func(last time.Time) coupang.ChangeOptions { return coupang.ChangeOptions{From: last} }},
	}
	for storeName, newStore := range changeStores {
		for _, tt := range tests {
			t.Run(storeName+"/"+tt.name, func(t *testing.T) {
				sb := newSyncSandbox(t, 3)
				store := newStore(t)
				start := sb.clock.Now().Truncate(time.Second)
				require.Len(t, sb.pass(t, store, coupang.ChangeOptions{}), 3)
				var opts coupang.ChangeOptions
				if tt.opts != nil {
					opts = tt.opts(start)
				}
				opts = coupang.WithChangeClock(opts, at(sb.clock.Now().Add(tt.ahead)))
				_, errs := sb.passErrors(store, opts)
				assert.Empty(t, errs)
			})
		}
	}
}

// AcceptClockJump runs the pass, which then forgets what is older than its
// look-back, as it says.
func TestChangesAcceptClockJump(t *testing.T) {
	for storeName, newStore := range changeStores {
		t.Run(storeName, func(t *testing.T) {
			sb := newSyncSandbox(t, 3)
			store := newStore(t)
			require.Len(t, sb.pass(t, store, coupang.ChangeOptions{}), 3)

			ahead := sb.clock.Now().Add(365 * day)
			got, errs := sb.passErrors(store, coupang.WithChangeClock(coupang.ChangeOptions{AcceptClockJump: true}, at(ahead)))
			assert.Empty(t, errs)
			assert.Empty(t, got)
			assert.Len(t, sb.pass(t, store, coupang.ChangeOptions{}), 3, "forgotten, as asked")

			// That pass recorded a time a year ahead; the pass with the clock
			// right again replaced it, so a later jump is still seen.
			_, errs = sb.passErrors(store, coupang.WithChangeClock(coupang.ChangeOptions{}, at(sb.clock.Now().Add(31*day))))
			require.Len(t, errs, 1)
			assert.ErrorIs(t, errs[0], coupang.ErrClockJump)
		})
	}
}

// The look-back counts from the latest complete pass, not from the first:
// a worker running every few days is never refused.
func TestChangesClockCheckFollowsEachPass(t *testing.T) {
	for storeName, newStore := range changeStores {
		t.Run(storeName, func(t *testing.T) {
			sb := newSyncSandbox(t, 3)
			store := newStore(t)
			require.Len(t, sb.pass(t, store, coupang.ChangeOptions{}), 3)
			base := sb.clock.Now()
			for _, after := range []time.Duration{20 * day, 45 * day, 70 * day} {
				_, errs := sb.passErrors(store, coupang.WithChangeClock(coupang.ChangeOptions{}, at(base.Add(after))))
				require.Empty(t, errs, "%v after the first pass", after)
			}
		})
	}
}

// Only a complete pass counts: a pass the loop broke did not list
// everything after the last one.
func TestChangesBrokenPassDoesNotCountAsComplete(t *testing.T) {
	sb := newSyncSandbox(t, 3)
	store := coupang.NewMemoryChangeStore()
	require.Len(t, sb.pass(t, store, coupang.ChangeOptions{}), 3)
	sb.add(time.Hour, nil)
	for range sb.client.Exchanges.Changes(context.Background(), store, coupang.WithChangeClock(coupang.ChangeOptions{}, at(sb.clock.Now().Add(20*day)))) {
		break
	}
	_, errs := sb.passErrors(store, coupang.WithChangeClock(coupang.ChangeOptions{}, at(sb.clock.Now().Add(40*day))))
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], coupang.ErrClockJump)
}

// The file store keeps the last pass across processes, and a refused pass
// leaves its file as it was.
func TestFileChangeStoreKeepsTheLastPass(t *testing.T) {
	sb := newSyncSandbox(t, 3)
	path := filepath.Join(t.TempDir(), "changes.json")
	store, err := coupang.NewFileChangeStore(path)
	require.NoError(t, err)
	require.Len(t, sb.pass(t, store, coupang.ChangeOptions{}), 3)
	before, err := os.ReadFile(path)
	require.NoError(t, err)

	reopened, err := coupang.NewFileChangeStore(path)
	require.NoError(t, err)
	_, errs := sb.passErrors(reopened, coupang.WithChangeClock(coupang.ChangeOptions{}, at(sb.clock.Now().Add(365*day))))
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], coupang.ErrClockJump)
	after, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, string(before), string(after))
}
