package coupang

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPlanWindows(t *testing.T) {
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, kst)
	const day = 24 * time.Hour
	const h = time.Hour
	tests := []struct {
		name      string
		span      time.Duration
		k         int
		token     string
		wantParts []time.Duration // the length of each window, in order
	}{
		{name: "30 days, one at a time", span: 30 * day, k: 1, wantParts: []time.Duration{7 * day, 7 * day, 7 * day, 7 * day, 2 * day}},
		{name: "30 days, 6 in flight: thirds of weeks", span: 30 * day, k: 6,
			wantParts: []time.Duration{56 * h, 56 * h, 56 * h, 56 * h, 56 * h, 56 * h, 56 * h, 56 * h, 56 * h, 56 * h, 56 * h, 56 * h, 2 * day}},
		{name: "7 days, one at a time", span: 7 * day, k: 1, wantParts: []time.Duration{7 * day}},
		{name: "7 days, 2 in flight: thirds", span: 7 * day, k: 2, wantParts: []time.Duration{56 * h, 56 * h, 56 * h}},
		{name: "7 days, 4 in flight: thirds, no shorter", span: 7 * day, k: 4, wantParts: []time.Duration{56 * h, 56 * h, 56 * h}},
		{name: "8 days, 4 in flight: no sliver at the end", span: 8 * day, k: 4, wantParts: []time.Duration{56 * h, 56 * h, 80 * h}},
		{name: "1 day, 4 in flight: too short to cut", span: day, k: 4, wantParts: []time.Duration{day}},
		{name: "one second", span: 0, k: 4, wantParts: []time.Duration{0}},
		{name: "a caller's token keeps the first window whole", span: 10 * day, k: 4, token: "resume",
			wantParts: []time.Duration{7 * day, 3 * day}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			end := from.Add(tt.span)
			s := &schedule{resume: tt.token != "", next: from, end: end}
			for s.planNext(tt.k, false) {
				require.Less(t, len(s.windows), 100, "planning ends")
			}
			ws := s.windows
			require.NotEmpty(t, ws)
			assert.True(t, ws[0].from.Equal(from), "starts at the start")
			assert.True(t, ws[len(ws)-1].to.Equal(end), "ends at the end")
			var got []time.Duration
			for i, w := range ws {
				assert.LessOrEqual(t, w.to.Sub(w.from), MaxListWindow)
				assert.Zero(t, w.to.Nanosecond(), "whole seconds")
				if i > 0 {
					assert.True(t, w.from.Equal(ws[i-1].to), "window %d shares its edge second with the one before", i)
				}
				got = append(got, w.to.Sub(w.from))
			}
			assert.Equal(t, tt.wantParts, got)
		})
	}
}

func TestAutomaticListConcurrency(t *testing.T) {
	tests := []struct {
		name  string
		rate  float64
		fixed int
		rtts  []time.Duration
		want  int
	}{
		{name: "nothing measured yet: two at once, not assuming fast calls", rate: 5, want: 2},
		{name: "fast calls: one at a time", rate: 5, rtts: []time.Duration{50 * time.Millisecond}, want: 1},
		{name: "100 ms", rate: 5, rtts: []time.Duration{100 * time.Millisecond}, want: 1},
		{name: "300 ms", rate: 5, rtts: []time.Duration{300 * time.Millisecond}, want: 3},
		{name: "600 ms", rate: 5, rtts: []time.Duration{600 * time.Millisecond}, want: 6},
		{name: "waits for the limiter do not count: the minimum is the round trip", rate: 5,
			rtts: []time.Duration{900 * time.Millisecond, 300 * time.Millisecond, 1200 * time.Millisecond}, want: 3},
		{name: "capped", rate: 5, rtts: []time.Duration{10 * time.Second}, want: DefaultMaxListConcurrency},
		{name: "unpaced client sized for Coupang's budget", rate: 0, rtts: []time.Duration{600 * time.Millisecond}, want: 6},
		{name: "a fixed setting wins", rate: 5, fixed: 7, rtts: []time.Duration{50 * time.Millisecond}, want: 7},
		{name: "a fixed 1 is one at a time", rate: 5, fixed: 1, rtts: []time.Duration{time.Second}, want: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &ExchangeService{roundTrips: &roundTrips{}}
			for _, d := range tt.rtts {
				s.roundTrips.observe(d)
			}
			c := &Client{rateLimit: tt.rate, listConcurrency: tt.fixed}
			assert.Equal(t, tt.want, s.listConcurrency(c))
		})
	}
}

func TestRoundTripsForgetOldCalls(t *testing.T) {
	var r roundTrips
	r.observe(10 * time.Millisecond)
	for range 8 {
		r.observe(500 * time.Millisecond)
	}
	got, ok := r.estimate()
	require.True(t, ok)
	assert.Equal(t, 500*time.Millisecond, got, "a fast call long ago no longer counts once Coupang slowed down")
}
