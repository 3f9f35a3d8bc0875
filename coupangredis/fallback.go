package coupangredis

import (
	"context"
	"sync"
	"time"

	"github.com/go-coupang/coupang"
)

// fallback paces one process alone, at its share of the budget, while Redis
// is unreachable: the client's own pacer (coupang.NewPacer), with the same
// protection rules applied to what this process sees. It cannot tell the
// other processes, which is why the share is small.
type fallback struct {
	perSecond float64
	cfg       *config

	mu sync.Mutex
	p  coupang.Pacer
}

// reset starts a fresh pacer. It starts from the pause or block the process
// knows of at now (kind, until, both on the Limiter's clock; kind 0 for
// none): a vendor paused a moment ago through Redis must not get a burst
// because Redis stopped answering. With
// none, its first slot is one interval away: the request Redis let through
// last may have started just now, and N processes falling back at the same
// moment must not all send at once. (After a pause, the pause spaces the
// first start, and it is the probe.)
func (f *fallback) reset(kind coupang.OutcomeKind, until, now time.Time) {
	opts := []coupang.PacerOption{
		coupang.WithProtection(coupang.Protection{
			Cooldown: f.cfg.pauseMin, MaxCooldown: f.cfg.pauseMax,
			BlockCooldown: f.cfg.blockMin, MaxBlockCooldown: f.cfg.blockMax,
			StormErrors: f.cfg.stormErrors, StormWindow: f.cfg.stormWindow,
		}),
		coupang.WithPacerLogger(f.cfg.logger),
	}
	paused := kind != 0 && now.Before(until)
	if paused {
		opts = append(opts, coupang.WithKnownPause(kind, until))
	}
	p := coupang.NewPacer(f.perSecond, opts...)
	// The pacer's first start is immediate: take it, and report it, so that
	// the first real one waits an interval.
	if !paused && p.Wait(context.Background()) == nil {
		p.Report(context.Background(), coupang.Outcome{Kind: coupang.OutcomeSuccess, StatusCode: 200})
	}
	f.mu.Lock()
	f.p = p
	f.mu.Unlock()
}

func (f *fallback) pacer() coupang.Pacer {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.p
}

func (f *fallback) wait(ctx context.Context) error { return f.pacer().Wait(ctx) }

func (f *fallback) report(ctx context.Context, o coupang.Outcome) { f.pacer().Report(ctx, o) }

func (f *fallback) state() coupang.LimiterState { return f.pacer().State() }
