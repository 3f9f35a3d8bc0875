package coupangredis_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang/coupangredis"
	"github.com/go-coupang/coupang/coupangredis/internal/redistest"
)

// A slot Redis reserved ahead for a Wait is handed to the caller when it
// comes; if the caller's context ends first, the slot is forfeited: spent in
// Redis, used by nobody, and not counted as a grant in Stats. (It was
// counted, and shown to the grant hook, as a start: a run reported 23 slots
// for 21 starts.)
//
// The Limiter's clock is moved by hand, so the only thing that decides the
// outcome is whether the caller's context ends before the slot's timer
// fires. At 0.1/s (an interval of 10.2 s) and a round trip taken to be
// 10 s, Redis reserves the next slot a whole interval ahead, which a stall
// of the machine between the two Waits would have to exceed to change what
// Redis decides.
func TestReservedSlotHandedOrForfeited(t *testing.T) {
	for _, tc := range []struct {
		name     string
		cancel   bool // the caller's context ends before the slot comes
		handed   bool
		wantErr  error
		wantRuns int64 // grants in Stats
	}{
		{name: "slot comes", handed: true, wantRuns: 2},
		{name: "context ends first", cancel: true, wantErr: context.Canceled, wantRuns: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := redistest.Start(t)
			clk := newFakeClock()
			lim := coupangredis.NewLimiter(srv.Client(t), vendor(t), 0.1, coupangredis.WithLogger(nil), coupangredis.WithFakeClock(clk))
			coupangredis.SetRTT(lim, 10*time.Second)
			type grant struct {
				slot   time.Time
				handed bool
			}
			grants := make(chan grant, 4)
			coupangredis.SetOnGrant(lim, func(slot time.Time, handed bool) { grants <- grant{slot, handed} })
			ctx := context.Background()

			require.NoError(t, lim.Wait(ctx), "the first slot is free")
			first := <-grants
			require.True(t, first.handed)

			wctx, cancel := context.WithCancel(ctx)
			defer cancel()
			done := make(chan error, 1)
			go func() { done <- lim.Wait(wctx) }()
			// The Limiter sleeps until about a round trip before the slot
			// Redis named, then asks for it, and Redis reserves it: the
			// Limiter sleeps until it comes.
			clk.Advance(<-clk.Timers())
			delay := <-clk.Timers()
			require.Positive(t, delay, "a reserved slot")
			if tc.cancel {
				cancel()
			} else {
				clk.Advance(delay)
			}
			err := <-done
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
			} else {
				require.NoError(t, err)
			}
			second := <-grants
			assert.Equal(t, tc.handed, second.handed, "handed to the caller")
			assert.Equal(t, 10200*time.Millisecond, second.slot.Sub(first.slot).Round(time.Millisecond),
				"the slot an interval after the first, on Redis's clock")
			g, trips := lim.Stats()
			assert.Equal(t, tc.wantRuns, g, "grants in Stats")
			assert.Equal(t, int64(2), trips)
		})
	}
}
