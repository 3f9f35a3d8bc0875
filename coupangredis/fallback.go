package coupangredis

import (
	"context"
	"fmt"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/go-coupang/coupang"
)

// fallback paces one process alone, at its share of the budget, while Redis
// is unreachable. It keeps the essentials of the vendor protection locally: a
// 429 pauses this process, a block makes it fail fast; it cannot tell the
// other processes, which is why the share is small.
type fallback struct {
	perSecond float64
	cfg       *config

	mu      sync.Mutex
	lim     *rate.Limiter
	until   time.Time // end of a local pause or block
	kind    coupang.OutcomeKind
	strikes int
}

// reset starts a fresh local pacer whose first slot is one interval away:
// the request Redis let through last may have started just now, and N
// processes falling back at the same moment must not all send at once.
func (f *fallback) reset() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lim = rate.NewLimiter(rate.Limit(f.perSecond/(1+margin)), 1)
	f.lim.Allow()
}

func (f *fallback) wait(ctx context.Context) error {
	f.mu.Lock()
	lim, until, kind := f.lim, f.until, f.kind
	f.mu.Unlock()
	if now := time.Now(); now.Before(until) {
		if kind == coupang.OutcomeBlocked {
			return &coupang.PauseError{Kind: kind, Until: until}
		}
		if d, ok := ctx.Deadline(); ok && d.Before(until) {
			return &coupang.PauseError{Kind: kind, Until: until}
		}
		if err := sleep(ctx, until.Sub(now)); err != nil {
			return err
		}
	}
	r := lim.Reserve()
	wait := r.Delay()
	if d, ok := ctx.Deadline(); ok && d.Before(time.Now().Add(wait)) {
		r.Cancel()
		return fmt.Errorf("rate limit wait of %v exceeds the context deadline: %w", wait.Round(time.Millisecond), context.DeadlineExceeded)
	}
	if err := sleep(ctx, wait); err != nil {
		r.Cancel()
		return err
	}
	return nil
}

func (f *fallback) report(o coupang.Outcome) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := time.Now()
	var d time.Duration
	switch o.Kind {
	case coupang.OutcomeThrottled:
		if now.Before(f.until) {
			return
		}
		d = backoff(f.cfg.pauseMin, f.cfg.pauseMax, f.strikes)
		if o.RetryAfter > 0 {
			d = o.RetryAfter
		}
	case coupang.OutcomeBlocked:
		if now.Before(f.until) && f.kind == coupang.OutcomeBlocked {
			return
		}
		d = backoff(f.cfg.blockMin, f.cfg.blockMax, f.strikes)
	case coupang.OutcomeSuccess:
		f.strikes = 0
		return
	default:
		return
	}
	f.strikes++
	f.kind = o.Kind
	f.until = now.Add(d)
}

func (f *fallback) state() (until time.Time, kind coupang.OutcomeKind) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.until, f.kind
}

// backoff is lo doubled per earlier strike, at most hi.
func backoff(lo, hi time.Duration, strikes int) time.Duration {
	d := lo
	for i := 0; i < strikes && d < hi; i++ {
		d *= 2
	}
	return min(d, hi)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
