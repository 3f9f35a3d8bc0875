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
	tests := []struct {
		name      string
		span      time.Duration
		k         int
		wantParts []time.Duration // the length of each window, in order
	}{
		{"30 days, sequential", 30 * day, 1, []time.Duration{7 * day, 7 * day, 7 * day, 7 * day, 2 * day}},
		{"30 days, 4 in flight: enough windows, none cut", 30 * day, 4, []time.Duration{7 * day, 7 * day, 7 * day, 7 * day, 2 * day}},
		{"7 days, sequential", 7 * day, 1, []time.Duration{7 * day}},
		{"7 days, 2 in flight: halves", 7 * day, 2, []time.Duration{84 * time.Hour, 84 * time.Hour}},
		{"7 days, 4 in flight: thirds, no shorter", 7 * day, 4, []time.Duration{56 * time.Hour, 56 * time.Hour, 56 * time.Hour}},
		{"14 days, 4 in flight: each week halved", 14 * day, 4, []time.Duration{84 * time.Hour, 84 * time.Hour, 84 * time.Hour, 84 * time.Hour}},
		{"20 days, 4 in flight: only as many cuts as needed", 20 * day, 4, []time.Duration{84 * time.Hour, 84 * time.Hour, 7 * day, 6 * day}},
		{"1 day, 4 in flight: too short to cut", day, 4, []time.Duration{day}},
		{"one second", 0, 4, []time.Duration{0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			end := from.Add(tt.span)
			ws := planWindows(from, end, tt.k)
			require.NotEmpty(t, ws)
			assert.True(t, ws[0].from.Equal(from), "starts at the start")
			assert.True(t, ws[len(ws)-1].to.Equal(end), "ends at the end")
			for i, w := range ws {
				assert.LessOrEqual(t, w.to.Sub(w.from), MaxListWindow)
				assert.Zero(t, w.from.Nanosecond(), "whole seconds")
				if i > 0 {
					assert.True(t, w.from.Equal(ws[i-1].to), "window %d shares its edge second with the one before", i)
				}
			}
			if tt.wantParts != nil {
				var got []time.Duration
				for _, w := range ws {
					got = append(got, w.to.Sub(w.from))
				}
				assert.Equal(t, tt.wantParts, got)
			}
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
		{name: "nothing measured yet: one at a time", rate: 5, want: 1},
		{name: "fast calls: one at a time", rate: 5, rtts: []time.Duration{50 * time.Millisecond}, want: 1},
		{name: "100 ms", rate: 5, rtts: []time.Duration{100 * time.Millisecond}, want: 1},
		{name: "300 ms", rate: 5, rtts: []time.Duration{300 * time.Millisecond}, want: 2},
		{name: "600 ms", rate: 5, rtts: []time.Duration{600 * time.Millisecond}, want: 4},
		{name: "waits for the limiter do not count: the minimum is the round trip", rate: 5,
			rtts: []time.Duration{900 * time.Millisecond, 300 * time.Millisecond, 1200 * time.Millisecond}, want: 2},
		{name: "capped", rate: 5, rtts: []time.Duration{10 * time.Second}, want: DefaultMaxListConcurrency},
		{name: "unpaced client sized for Coupang's budget", rate: 0, rtts: []time.Duration{600 * time.Millisecond}, want: 4},
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
