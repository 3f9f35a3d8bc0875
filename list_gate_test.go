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

	mu    sync.Mutex
	waits []chainWait
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
		key: func(id *int64) (int64, time.Time) { return *id, time.Unix(*id/1_000_000, 0) },
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
		// skip is how many of the dense window's pages must be answered
		// before its chain is the longest known: as many as the other
		// windows have in all.
		skip int
	}{
		{name: "exchanges, 8 in flight, 1.2 s answers", k: 8, parts: 1, others: 2, skip: 2},
		{name: "exchanges, 4 in flight, 1.2 s answers", k: 4, parts: 1, others: 2, skip: 2},
		{name: "return sweep, 3 in flight, four filters", k: 3, parts: 4, days: true, others: 1, skip: 4},
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
