package coupang_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/go-coupang/coupang"
)

func TestProtectionWithDefaults(t *testing.T) {
	t.Parallel()
	d := coupang.DefaultProtection()
	tests := map[string]struct {
		in, want coupang.Protection
	}{
		"zero is the default": {coupang.Protection{}, d},
		"negative is the default": {
			coupang.Protection{Cooldown: -1, MaxCooldown: -1, BlockCooldown: -1, MaxBlockCooldown: -1, StormErrors: -1, StormWindow: -1}, d},
		"a field set keeps the others' defaults": {
			coupang.Protection{StormErrors: 5},
			coupang.Protection{Cooldown: d.Cooldown, MaxCooldown: d.MaxCooldown, BlockCooldown: d.BlockCooldown,
				MaxBlockCooldown: d.MaxBlockCooldown, StormErrors: 5, StormWindow: d.StormWindow}},
		"a max below its first is raised to it": {
			coupang.Protection{Cooldown: time.Hour, MaxCooldown: time.Minute, BlockCooldown: 2 * time.Hour, MaxBlockCooldown: time.Second},
			coupang.Protection{Cooldown: time.Hour, MaxCooldown: time.Hour, BlockCooldown: 2 * time.Hour, MaxBlockCooldown: 2 * time.Hour,
				StormErrors: d.StormErrors, StormWindow: d.StormWindow}},
		"a first above the default max raises the default max": {
			coupang.Protection{Cooldown: time.Hour},
			coupang.Protection{Cooldown: time.Hour, MaxCooldown: time.Hour, BlockCooldown: d.BlockCooldown,
				MaxBlockCooldown: d.MaxBlockCooldown, StormErrors: d.StormErrors, StormWindow: d.StormWindow}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.in.WithDefaults())
		})
	}
	assert.Equal(t, coupang.Protection{Cooldown: coupang.DefaultCooldown, MaxCooldown: coupang.DefaultMaxCooldown,
		BlockCooldown: coupang.DefaultBlockCooldown, MaxBlockCooldown: coupang.DefaultMaxBlockCooldown,
		StormErrors: coupang.DefaultStormErrors, StormWindow: coupang.DefaultStormWindow}, d)
}

// A Protection given to NewPacer is what it applies, zero fields as their
// defaults; its State needs no type assertion.
func TestNewPacerTakesProtection(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := coupang.NewPacer(100, coupang.WithProtection(coupang.Protection{BlockCooldown: 3 * time.Hour}))
	before := time.Now()
	p.Report(ctx, coupang.Outcome{Kind: coupang.OutcomeBlocked, StatusCode: 403})
	after := time.Now()
	until := p.State().BlockedUntil
	assert.False(t, until.Before(before.Add(3*time.Hour)) || until.After(after.Add(3*time.Hour)), "blocked for the BlockCooldown given: %v", until)

	p = coupang.NewPacer(100, coupang.WithProtection(coupang.Protection{BlockCooldown: 3 * time.Hour}))
	for range coupang.DefaultStormErrors {
		p.Report(ctx, coupang.Outcome{Kind: coupang.OutcomeError, StatusCode: 500})
	}
	assert.Equal(t, 50.0, p.State().Rate, "the default storm, not none")
}
