package coupang

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"
)

// chainSource lists others pages in every listing of every window but one,
// whose listings are pages pages long (a dense window: the critical chain). Each request waits for the client's limiter, as Client.List does,
// and is answered latency after the limiter let it go. For each request of
// the dense window it records how long it waited between being ready and
// being let go, with the number of pages that window had answered before.
type chainSource struct {
	c       *Client
	dense   time.Time // the start of the dense window
	pages   int       // a listing's pages in the dense window
	others  int       // a listing's pages in the other windows
	latency time.Duration

	mu     sync.Mutex
	waits  []chainWait
	firsts map[time.Time]time.Duration // each window's first request: its wait for the limiter
}

type chainWait struct {
	answered int           // pages of the dense window answered before this request
	wait     time.Duration // from ready to let go
}

func (s *chainSource) source(parts int) listSource[int64] {
	return listSource[int64]{
		what:  "records",
		parts: parts,
		list: func(ctx context.Context, w window, part int, token string) (recordPage[int64], error) {
			dense := w.from.Equal(s.dense)
			ready := time.Now()
			if err := s.c.waitLimiter(ctx); err != nil {
				return recordPage[int64]{}, err
			}
			n := 0
			if token != "" {
				_, _ = fmt.Sscan(token, &n)
			}
			if part == 0 && token == "" {
				s.mu.Lock()
				if s.firsts == nil {
					s.firsts = map[time.Time]time.Duration{}
				}
				s.firsts[w.from] = time.Since(ready)
				s.mu.Unlock()
			}
			if dense {
				s.mu.Lock()
				s.waits = append(s.waits, chainWait{answered: len(s.waits), wait: time.Since(ready)})
				s.mu.Unlock()
			}
			select {
			case <-time.After(s.latency):
			case <-ctx.Done():
				return recordPage[int64]{}, ctx.Err()
			}
			items := []int64{w.from.Unix()*1_000_000 + int64(part*100_000+n)}
			next := ""
			if dense && n+1 < s.pages || !dense && n+1 < s.others {
				next = fmt.Sprint(n + 1)
			}
			return recordPage[int64]{items: items, next: next}, nil
		},
		key:        func(id *int64) (int64, time.Time) { return *id, time.Unix(*id/1_000_000, 0) },
		chainFirst: true,
	}
}

// TestAllGivesTheLongestChainTheNextSlot: of the lister's requests ready at
// once, the one on the longest known chain of pages (the dense window's, once
// it has answered more pages than any other window) is the next one the
// limiter lets go, within one interval of the pacer, even when another of
// the lister's requests was already waiting in the limiter. Before the gate,
// the pacer served the K windows in flight in turn and the chain's every
// page waited behind the others (up to K − 1 intervals), so the chain ended
// seconds after the rest.
func TestAllGivesTheLongestChainTheNextSlot(t *testing.T) {
	for _, tt := range []struct {
		name   string
		k      int
		parts  int
		days   bool
		others int // pages a listing in the other windows
		// skip is how many of the dense window's requests go before its
		// chain is known to be the longest: until it has answered more
		// pages than a listing of the others holds (the other windows'
		// first requests go first meanwhile).
		skip int
	}{
		{name: "exchanges, 8 in flight, 1.2 s answers", k: 8, parts: 1, others: 2, skip: 2},
		{name: "return sweep, 3 in flight, four filters", k: 3, parts: 4, days: true, others: 2, skip: 3},
	} {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				p := NewPacer(5)
				c, err := NewClient("ak", "sk", "A00012345", WithLimiter(p), WithListConcurrency(tt.k))
				require.NoError(t, err)
				from := time.Date(2026, 3, 1, 0, 0, 0, 0, kst)
				sched := schedule{next: from, end: from.Add(30 * 24 * time.Hour)}
				// The windows the lister will plan, to find the last one.
				probe := sched
				probe.parts, probe.days = tt.parts, tt.days
				for probe.planNext(tt.k, false) {
				}
				// The third window is dense: the loop's and others are in
				// flight beside it.
				s := &chainSource{c: c, dense: probe.windows[2].from, pages: 8, others: tt.others, latency: 1200 * time.Millisecond}
				if tt.days {
					s.latency = 300 * time.Millisecond
				}
				src := s.source(tt.parts)
				src.days = tt.days
				l := newLister(src, c, &roundTrips{}, sched, "")
				n := 0
				l.run(t.Context(), func(_ int64, err error) bool {
					require.NoError(t, err)
					n++
					return true
				})
				require.Equal(t, tt.parts*s.pages+(len(probe.windows)-1)*tt.parts*tt.others, n, "records listed")
				require.Len(t, s.waits, tt.parts*s.pages)
				interval := intervalFor(5)
				for _, w := range s.waits[tt.skip:] {
					assert.LessOrEqual(t, w.wait, interval,
						"the dense window's request after %d of its pages waited %v for the limiter", w.answered, w.wait)
				}
			})
		})
	}
}

// TestAllProbesANewWindowFirst: a window's first request goes before the
// continuations of the windows in flight, so that a window whose chain may
// be the longest is not starved by chains that merely started first. With
// the continuations first, the first windows' chains took every slot of a
// saturated budget and the windows after them waited seconds to start (a
// return sweep's dense newest week, started behind two older ones, ended
// 1.2× the floor instead of 1.0× in a simulation of the benchmark).
func TestAllProbesANewWindowFirst(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewPacer(5)
		const k = 4
		c, err := NewClient("ak", "sk", "A00012345", WithLimiter(p), WithListConcurrency(k))
		require.NoError(t, err)
		from := time.Date(2026, 3, 1, 0, 0, 0, 0, kst)
		sched := schedule{next: from, end: from.Add(30 * 24 * time.Hour)}
		// Every window is a chain of 6 pages, answered after 300 ms: k
		// chains ask for more than the 5 a second the pacer lets go.
		s := &chainSource{c: c, pages: 6, others: 6, latency: 300 * time.Millisecond}
		l := newLister(s.source(1), c, &roundTrips{}, sched, "")
		n := 0
		l.run(t.Context(), func(_ int64, err error) bool {
			require.NoError(t, err)
			n++
			return true
		})
		require.Equal(t, 6*len(l.sched.windows), n, "records listed")
		require.Len(t, s.firsts, len(l.sched.windows))
		for at, wait := range s.firsts {
			// At most the k windows started at once ahead of it.
			assert.LessOrEqual(t, wait, k*intervalFor(5), "the first request of the window from %s waited %v for the limiter", at, wait)
		}
	})
}

// TestListGateLetsTheNextInWhenAWaiterLeaves: a request whose context ends
// while it waits at the gate, or while it waits in the limiter, leaves the
// gate at once with its context's error and lets the next one in; a wait cut
// for a longer chain queues again and is let go later, never lost.
func TestListGateLetsTheNextInWhenAWaiterLeaves(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var g listGate
		// A limiter that lets one request go each time release gets a
		// value, and otherwise waits for its context.
		release := make(chan struct{})
		lim := func(ctx context.Context) error {
			select {
			case <-release:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		results := make(chan string, 4)
		wait := func(name string, ctx context.Context, tk gateTicket) {
			if err := g.wait(ctx, tk, lim); err != nil {
				results <- name + ": " + err.Error()
				return
			}
			results <- name + ": sent"
		}
		// a (window 0) waits in the limiter; b queues behind it.
		go wait("a", t.Context(), gateTicket{gate: &g, window: 0})
		synctest.Wait()
		bctx, bcancel := context.WithCancel(t.Context())
		go wait("b", bctx, gateTicket{gate: &g, window: 1})
		synctest.Wait()
		bcancel() // b leaves from the queue
		synctest.Wait()
		require.Equal(t, "b: context canceled", <-results)

		// Window 0 answers a page: its continuation is a longer chain than
		// a's first request, which gives up its place in the limiter to c
		// and queues again.
		g.answered(0)
		go wait("c", t.Context(), gateTicket{gate: &g, window: 0, cont: true})
		synctest.Wait()
		release <- struct{}{}
		synctest.Wait()
		require.Equal(t, "c: sent", <-results, "the longer chain goes first")
		release <- struct{}{}
		synctest.Wait()
		require.Equal(t, "a: sent", <-results, "the cut wait queued again")

		// d's context ends while it waits in the limiter: e gets in.
		dctx, dcancel := context.WithCancel(t.Context())
		go wait("d", dctx, gateTicket{gate: &g, window: 2})
		synctest.Wait()
		go wait("e", t.Context(), gateTicket{gate: &g, window: 3})
		synctest.Wait()
		dcancel()
		synctest.Wait()
		require.Equal(t, "d: context canceled", <-results)
		release <- struct{}{}
		synctest.Wait()
		require.Equal(t, "e: sent", <-results)
		g.mu.Lock()
		defer g.mu.Unlock()
		assert.Nil(t, g.holder)
		assert.Empty(t, g.waiting)
	})
}

// keepsSlots is a Limiter of its own (as coupangredis's is): the gate cannot
// know that it gives a cancelled wait's slot back.
type keepsSlots struct{}

func (keepsSlots) Wait(context.Context) error { return nil }

// Only a limiter known to give a cancelled wait's slot back has its waits
// cut for a longer chain; any other (coupangredis's forfeits a slot Redis
// reserved for a caller that left) would spend the vendor's budget for
// nothing, and the longer chain would get a later slot, not that one.
func TestListGateCutsWaitsOnlyOfLimitersThatGiveSlotsBack(t *testing.T) {
	for _, tt := range []struct {
		name    string
		opt     Option
		preempt bool
	}{
		{"the client's own pacer", WithRateLimit(5), true},
		{"NewPacer", WithLimiter(NewPacer(5)), true},
		{"*rate.Limiter", WithLimiter(rate.NewLimiter(5, 1)), true},
		{"a Limiter of its own", WithLimiter(keepsSlots{}), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, err := NewClient("ak", "sk", "A00012345", tt.opt)
			require.NoError(t, err)
			l := newLister(listSource[int]{}, c, nil, schedule{}, "")
			assert.Equal(t, tt.preempt, !l.gate.noPreempt)
		})
	}

	t.Run("a wait of such a limiter is not cut", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			g := listGate{noPreempt: true}
			release := make(chan struct{})
			var cut int
			lim := func(ctx context.Context) error {
				select {
				case <-release:
					return nil
				case <-ctx.Done():
					cut++
					return ctx.Err()
				}
			}
			results := make(chan string, 2)
			wait := func(name string, tk gateTicket) {
				if err := g.wait(t.Context(), tk, lim); err != nil {
					results <- name + ": " + err.Error()
					return
				}
				results <- name + ": sent"
			}
			go wait("a", gateTicket{gate: &g, window: 0})
			synctest.Wait()
			g.answered(0) // window 0 answered a page: its continuation is a longer chain than a
			go wait("c", gateTicket{gate: &g, window: 0, cont: true})
			synctest.Wait()
			release <- struct{}{}
			synctest.Wait()
			require.Equal(t, "a: sent", <-results, "a keeps its place in the limiter")
			release <- struct{}{}
			synctest.Wait()
			require.Equal(t, "c: sent", <-results)
			assert.Zero(t, cut, "no wait cut")
		})
	})
}
