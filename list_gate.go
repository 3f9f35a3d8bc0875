package coupang

import (
	"context"
	"sync"

	"golang.org/x/time/rate"
)

// The critical-path gate of All, for a return sweep (listSource.chainFirst).
// A sweep's windows are chains of sequential requests of very different
// lengths: the newest week is ~24 (RU 4, UC 16, CC 3, PR 1 on the
// benchmark's data: the four filters one after the other, never in
// parallel, see ReturnService.All), an older week 4 to 8. The client's
// limiter serves its waiters in turn, so with the windows' requests queued
// in it the newest week's chain got a fair share of the budget, not the
// half it needs, and ended after the others (1.16–1.24× the floor at 300 ms).
//
// So the lister's requests pass its gate before the limiter's Wait: only
// one of them waits in the limiter at a time, and of those ready the one on
// the longest known chain goes next (listGate.before): first a window's
// very first request (its chain is unknown and may be the longest: with the
// known chains first, the two windows that started first took every slot
// and the newest week started seconds late), then the window that has
// answered the most pages, a continuation before a listing's first page,
// the older window first. The others fill the slots it leaves. When a
// request of a longer chain arrives while a shorter one waits in the
// limiter, the shorter one's wait is cancelled and it queues again: a
// limiter gives a cancelled wait's slot back (NewPacer's does, as does
// *rate.Limiter), so the longer chain takes the very slot the other would
// have had (without that it waited one to two intervals a page). Only
// those two are cut: another Limiter may keep a cancelled wait's slot
// (coupangredis's forfeits a slot Redis reserved for a caller that left),
// and cutting its wait would spend a slot of the vendor's budget for
// nothing and give the longer chain a later one; the gate then orders who
// waits next and cuts nobody (givesSlotsBack). The
// limiter still paces everything, the lister's requests among those of
// other calls and other processes sharing it; a cancelled wait sends
// nothing, and a wait that returned nil is never given up.
//
// Exchanges do not use it: their chains at 1.2 s a call are dense windows of
// three pages or so (day windows), and with the gate their listings
// measured 0.04–0.08× the floor slower (30 days, three alternated runs;
// BENCHMARKS.md, "`All`: the longest chain first"). Why is not established:
// in a simulation without CPU load (synctest, in-memory sandbox) the gate
// was neutral for them (30 days, new client, 1.06 → 1.08×); the new
// windows' first requests going first may delay the chains that matter.

// listGate orders the requests of one lister before the client's limiter.
type listGate struct {
	// noPreempt: never cut the wait in the limiter (a limiter that may
	// keep a cancelled wait's slot, see givesSlotsBack).
	noPreempt bool

	mu      sync.Mutex
	pages   map[int]int   // pages answered so far, per window
	waiting []*gateWaiter // ready, not yet in the limiter
	holder  *gateWaiter   // the one waiting in the limiter, nil if none
	seq     uint64
}

// gateWaiter is one request of window at the gate; cont says it continues
// a listing (a nextToken), so that more of the chain is known to follow.
type gateWaiter struct {
	window int
	cont   bool
	seq    uint64
	turn   chan struct{} // closed when it may wait in the limiter
	cancel context.CancelFunc
	// preempted: its wait in the limiter was cancelled for a longer
	// chain; it queues again.
	preempted bool
}

// gateKey carries a *gateTicket to waitLimiter.
type gateKey struct{}

// gateTicket is what a request of the lister tells waitLimiter: its gate
// and its place in the window's chain.
type gateTicket struct {
	gate   *listGate
	window int
	cont   bool
}

// withGate returns ctx carrying t, for the request it is given to.
func withGate(ctx context.Context, t gateTicket) context.Context {
	return context.WithValue(ctx, gateKey{}, t)
}

// gated returns ctx's gate ticket, if any.
func gated(ctx context.Context) (gateTicket, bool) {
	t, ok := ctx.Value(gateKey{}).(gateTicket)
	return t, ok && t.gate != nil
}

// answered notes that window i had one more page answered: its chain is
// that much longer than the others' known so far.
func (g *listGate) answered(i int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.pages == nil {
		g.pages = map[int]int{}
	}
	g.pages[i]++
}

// forget lets window i's count go once the loop has read it.
func (g *listGate) forget(i int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.pages, i)
}

// longer reports whether a is on a longer known chain than b: its window
// has shown more pages, or as many and a continues a listing while b
// starts one. Only this preempts a wait in the limiter.
func (g *listGate) longer(a, b *gateWaiter) bool {
	pa, pb := g.pages[a.window], g.pages[b.window]
	if fa, fb := pa == 0 && !a.cont, pb == 0 && !b.cont; fa != fb {
		return fa
	}
	if pa != pb {
		return pa > pb
	}
	return a.cont && !b.cont
}

// before is the order of the gate: the longer known chain first, then the
// older window (the loop reads it first), then arrival.
func (g *listGate) before(a, b *gateWaiter) bool {
	if g.longer(a, b) {
		return true
	}
	if g.longer(b, a) {
		return false
	}
	if a.window != b.window {
		return a.window < b.window
	}
	return a.seq < b.seq
}

// wait passes the gate for t, then waits in lim, and returns lim's answer:
// nil when the request may go. It queues again when its wait was cancelled
// for a longer chain; it returns ctx's error when ctx ends first.
func (g *listGate) wait(ctx context.Context, t gateTicket, lim func(context.Context) error) error {
	g.mu.Lock()
	g.seq++
	w := &gateWaiter{window: t.window, cont: t.cont, seq: g.seq}
	g.mu.Unlock()
	for {
		wctx, cancel := context.WithCancel(ctx)
		g.mu.Lock()
		w.turn, w.cancel, w.preempted = make(chan struct{}), cancel, false
		g.waiting = append(g.waiting, w)
		g.dispatchLocked()
		g.mu.Unlock()

		select {
		case <-w.turn:
		case <-ctx.Done():
			g.mu.Lock()
			g.leaveLocked(w)
			g.mu.Unlock()
			cancel()
			return ctx.Err()
		}
		err := lim(wctx)
		g.mu.Lock()
		preempted := w.preempted
		g.leaveLocked(w)
		g.mu.Unlock()
		cancel()
		if err != nil && preempted && ctx.Err() == nil {
			continue // a longer chain took the slot: queue again
		}
		return err
	}
}

// leaveLocked takes w out of the gate, wherever it is, and lets the next
// one in. g.mu is held.
func (g *listGate) leaveLocked(w *gateWaiter) {
	if g.holder == w {
		g.holder = nil
	}
	for j, o := range g.waiting {
		if o == w {
			g.waiting = append(g.waiting[:j], g.waiting[j+1:]...)
			break
		}
	}
	g.dispatchLocked()
}

// dispatchLocked lets the first waiter in order into the limiter when
// nobody waits there, or cancels the wait of the one there when a waiter
// is on a longer chain. g.mu is held.
func (g *listGate) dispatchLocked() {
	if len(g.waiting) == 0 {
		return
	}
	best := 0
	for j := 1; j < len(g.waiting); j++ {
		if g.before(g.waiting[j], g.waiting[best]) {
			best = j
		}
	}
	next := g.waiting[best]
	if h := g.holder; h != nil {
		if !g.noPreempt && !h.preempted && g.longer(next, h) {
			h.preempted = true
			h.cancel()
		}
		return
	}
	g.waiting = append(g.waiting[:best], g.waiting[best+1:]...)
	g.holder = next
	close(next.turn)
}

// givesSlotsBack reports whether lim is known to give a cancelled Wait's
// slot back to the waiters after it, so that cutting a wait costs nothing:
// NewPacer's pacer and *rate.Limiter do. Any other Limiter may spend it.
func givesSlotsBack(lim Limiter) bool {
	switch lim.(type) {
	case *pacer, *rate.Limiter:
		return true
	}
	return false
}
