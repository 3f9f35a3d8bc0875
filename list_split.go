package coupang

import (
	"context"
	"math"
	"sync"
	"time"
)

// Splitting a dense window (listSource.split, exchanges). A window's pages
// are a chain: each request waits for the nextToken of the one before, so a
// dense window at slow answers is a chain of round trips that ends long
// after the budget could have fetched it (a 56-hour window of a dense week
// is six pages: 7.2 s at 1.2 s a call, against a 4.8 s floor for the whole
// week). When a window's first page comes back with a nextToken while the
// round trip calls for K ≥ splitK, the lister does not follow the token: it
// lists the window again as a few sub-windows in parallel, each a short
// chain, and yields their records in sub-window order, each id once within
// the window. Coupang's order within a window is not documented, so the
// first page's records are dropped (every one of them is listed again by
// the sub-window it falls in) rather than trusted to be the window's
// oldest; what the split costs is that page and a partial page per
// sub-window.
//
// The first page sizes the split: its records span some part of the window;
// if Coupang lists a window in time order (the sandbox does, ascending) the
// span is where the first 50 lie, and the window holds about
// 50 × length / span; otherwise the span is wider and the estimate smaller,
// which only makes fewer sub-windows. Never fewer than two, never more than
// maxSplit, and a sub-window is never split again.

// splitK is the K from which a dense window is split: round trips of
// ~0.73 s and more at 5 a second (see windowLength).
const splitK = slowWindowK

// splitRecords is how many records a sub-window is sized for.
var splitRecords = 90.0

// splitAbove is how many records a window must be estimated to hold to be
// split: fewer are a chain of a few pages, cheaper to follow.
var splitAbove = 150.0

var splitFixed int

var maxSplitLength = 10000 * time.Hour

var simSplit, simChainFirst = true, false

// maxSplit bounds the sub-windows of one window.
const maxSplit = 6

// minSplitLength is the shortest window that is split: below it the
// sub-windows would be seconds long.
var minSplitLength = time.Hour

// splitParts is how many sub-windows window w is listed as, given its first
// page; 0 to follow the page's nextToken instead.
func (l *lister[R]) splitParts(w window, page recordPage[R]) int {
	if !l.src.split || page.next == "" || w.to.Sub(w.from) < minSplitLength || w.to.Sub(w.from) > maxSplitLength {
		return 0
	}
	l.mu.Lock()
	k, _ := l.sizing()
	l.mu.Unlock()
	if k < splitK {
		return 0
	}
	length := w.to.Sub(w.from)
	var lo, hi time.Time
	for j := range page.items {
		_, at := l.src.key(&page.items[j])
		if lo.IsZero() || at.Before(lo) {
			lo = at
		}
		if hi.IsZero() || at.After(hi) {
			hi = at
		}
	}
	span := max(hi.Sub(lo), time.Second)
	n := float64(len(page.items)+len(page.bad)) * float64(length) / float64(span)
	if n <= splitAbove {
		return 0 // a short chain: follow it
	}
	parts := int(math.Ceil(n / splitRecords))
	if splitFixed > 0 {
		parts = splitFixed
	}
	return min(max(parts, 2), maxSplit)
}

// subWindows cuts w into n consecutive windows sharing their edge second.
func subWindows(w window, n int) []window {
	length := w.to.Sub(w.from)
	out := make([]window, 0, n)
	from := w.from
	for j := 1; j <= n; j++ {
		to := w.from.Add(length * time.Duration(j) / time.Duration(n)).Truncate(time.Second)
		if j == n {
			to = w.to
		}
		if !to.After(from) {
			continue
		}
		out = append(out, window{from, to})
		from = to
	}
	return out
}

// pageSplit lists window i (w) as the sub-windows subs, all at once, and
// hands their pages to each in sub-window order, marked for the loop to
// yield each id once within the window. It returns only after every
// sub-window's paging stopped, and says why the window ended early (nil
// when it is complete): the first sub-window's error in order, after the
// pages before it.
func (l *lister[R]) pageSplit(ctx context.Context, i int, subs []window, each func(recordPage[R]) error) error {
	sctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() {
		cancel()
		wg.Wait()
	}()
	feeds := make([]*windowFeed[R], len(subs))
	for j, sw := range subs {
		f := newWindowFeed[R](0) // bounded by the read-ahead budget
		feeds[j] = f
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := l.pageListing(sctx, i, sw, 0, "", false, func(page recordPage[R]) error {
				if sctx.Err() != nil || f.put(sctx, page) != nil {
					return l.contextError(sctx)
				}
				return nil
			})
			f.close(err)
		}()
	}
	for _, f := range feeds {
		for {
			page, ok, done, err := f.take()
			if ok {
				page.dedupe = true
				if err := each(page); err != nil {
					return err
				}
				continue
			}
			if done {
				if err != nil {
					return err
				}
				break
			}
			select {
			case <-f.ready:
			case <-ctx.Done():
				return l.contextError(ctx)
			}
		}
	}
	return nil
}
