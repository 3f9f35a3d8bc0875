package coupangtest

import (
	"cmp"
	"container/heap"
	"math"
	"slices"
	"time"

	"github.com/go-coupang/coupang"
)

// The sandbox keeps its exchanges and its return receipts indexed by
// creation time so that a list call costs O(log N + page) instead of sorting
// every record on every call, which made a sandbox pass over N records
// O(N² log N). One generic index serves both kinds: it holds the records
// ordered by (createdAt, id), the order Coupang lists them in, once in all
// and once per bucket (an exchange status, a return filter); byOrder finds
// an order's few records; due holds the scheduled changes, soonest first, so
// a list call applies the due ones without visiting every record. Every
// change to what a record's sortKey reads must be followed by update.

// sortKey is where a record sits in the index: the fields list calls order
// and filter by, as they were when it was indexed. A record that is not
// listed (a withdrawn receipt) is in no list.
type sortKey[B comparable] struct {
	at      time.Time
	id      int64
	orderID int64
	// buckets are the filters that list the record; the zero B is none.
	buckets [2]B
	listed  bool
}

// indexSlot is what the index keeps inside each record.
type indexSlot[B comparable] struct {
	key sortKey[B]
	// removed is set once another record with its id replaced it: its
	// scheduled changes are dropped.
	removed bool
}

// indexed is a record the index can hold: a pointer type that says where it
// belongs now and where it keeps its slot.
type indexed[B comparable] interface {
	comparable
	sortKey() sortKey[B]
	slot() *indexSlot[B]
}

// sortedIndex is one kind's index. Guarded by Server.mu.
type sortedIndex[P indexed[B], B comparable] struct {
	all      []P
	byBucket map[B][]P
	byOrder  map[int64][]P
	due      dueHeap[P]
}

// compareAt orders keys as Coupang lists records: oldest first, then by id.
func compareAt(at time.Time, id int64, bAt time.Time, bID int64) int {
	if c := at.Compare(bAt); c != 0 {
		return c
	}
	return cmp.Compare(id, bID)
}

func compareIndexed[P indexed[B], B comparable](a, b P) int {
	ka, kb := &a.slot().key, &b.slot().key
	return compareAt(ka.at, ka.id, kb.at, kb.id)
}

// search returns the position of the first record of list at or after
// (at, id).
func search[P indexed[B], B comparable](list []P, at time.Time, id int64) int {
	i, _ := slices.BinarySearchFunc(list, struct {
		at time.Time
		id int64
	}{at, id}, func(r P, k struct {
		at time.Time
		id int64
	}) int {
		key := &r.slot().key
		return compareAt(key.at, key.id, k.at, k.id)
	})
	return i
}

func insertSorted[P indexed[B], B comparable](list []P, rec P) []P {
	// Seeding and adding with the server's clock add the newest record:
	// append without searching.
	if n := len(list); n == 0 || compareIndexed(list[n-1], rec) < 0 {
		return append(list, rec)
	}
	k := &rec.slot().key
	return slices.Insert(list, search(list, k.at, k.id), rec)
}

func removeSorted[P indexed[B], B comparable](list []P, rec P) []P {
	k := &rec.slot().key
	i := search(list, k.at, k.id)
	if i < len(list) && list[i] == rec {
		return slices.Delete(list, i, i+1)
	}
	return list
}

// insert indexes rec under its current key.
func (ix *sortedIndex[P, B]) insert(rec P) {
	k := rec.sortKey()
	rec.slot().key = k
	if !k.listed {
		return
	}
	if ix.byBucket == nil {
		ix.byBucket = map[B][]P{}
		ix.byOrder = map[int64][]P{}
	}
	ix.all = insertSorted(ix.all, rec)
	var none B
	for _, b := range k.buckets {
		if b != none {
			ix.byBucket[b] = insertSorted(ix.byBucket[b], rec)
		}
	}
	ix.byOrder[k.orderID] = append(ix.byOrder[k.orderID], rec)
}

// remove takes rec out of every list, as it was indexed.
func (ix *sortedIndex[P, B]) remove(rec P) {
	k := &rec.slot().key
	if !k.listed {
		return
	}
	ix.all = removeSorted(ix.all, rec)
	var none B
	for _, b := range k.buckets {
		if b == none {
			continue
		}
		if l := removeSorted(ix.byBucket[b], rec); len(l) > 0 {
			ix.byBucket[b] = l
		} else {
			delete(ix.byBucket, b)
		}
	}
	l := ix.byOrder[k.orderID]
	if i := slices.Index(l, rec); i >= 0 {
		l = slices.Delete(l, i, i+1)
	}
	if len(l) > 0 {
		ix.byOrder[k.orderID] = l
	} else {
		delete(ix.byOrder, k.orderID)
	}
}

// replace indexes rec in place of old (nil when there is none), whose
// scheduled changes are dropped.
func (ix *sortedIndex[P, B]) replace(old, rec P) {
	var none P
	if old != none {
		ix.remove(old)
		old.slot().removed = true
	}
	ix.insert(rec)
}

// update moves rec in the index after what its key reads changed.
func (ix *sortedIndex[P, B]) update(rec P) {
	if s := rec.slot(); s.removed || rec.sortKey() == s.key {
		return
	}
	ix.remove(rec)
	ix.insert(rec)
}

// candidates returns the records of list from the first one at or after
// from, or after (afterAt, afterID) when hasNext, whichever is later.
func candidates[P indexed[B], B comparable](list []P, from time.Time, afterAt time.Time, afterID int64, hasNext bool) []P {
	start := search(list, from, math.MinInt64)
	if hasNext {
		start = max(start, search(list, afterAt, afterID))
		if start < len(list) && compareAt(list[start].slot().key.at, list[start].slot().key.id, afterAt, afterID) == 0 {
			start++
		}
	}
	return list[start:]
}

// orderList is an order's records in list order: an order has a handful,
// so a sorted copy.
func (ix *sortedIndex[P, B]) orderList(orderID int64) []P {
	return slices.SortedFunc(slices.Values(ix.byOrder[orderID]), compareIndexed[P, B])
}

// schedule makes applyDue apply rec's changes once the clock reaches at.
func (ix *sortedIndex[P, B]) schedule(at time.Time, rec P) {
	heap.Push(&ix.due, dueUpdate[P]{at: at, rec: rec})
}

// applyDue calls apply for each record with a change due by now, soonest
// first, skipping the records another replaced.
func (ix *sortedIndex[P, B]) applyDue(now time.Time, apply func(P)) {
	for len(ix.due) > 0 && !ix.due[0].at.After(now) {
		d := heap.Pop(&ix.due).(dueUpdate[P])
		if !d.rec.slot().removed {
			apply(d.rec)
		}
	}
}

// dueUpdate is one scheduled change in an index's heap.
type dueUpdate[P any] struct {
	at  time.Time
	rec P
}

// dueHeap is a min-heap of scheduled changes by time (container/heap).
type dueHeap[P any] []dueUpdate[P]

func (h dueHeap[P]) Len() int           { return len(h) }
func (h dueHeap[P]) Less(i, j int) bool { return h[i].at.Before(h[j].at) }
func (h dueHeap[P]) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *dueHeap[P]) Push(x any)        { *h = append(*h, x.(dueUpdate[P])) }
func (h *dueHeap[P]) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// ---- Exchanges ----

// exchangeIndex is the Server's index of its exchanges, bucketed by status.
type exchangeIndex = sortedIndex[*record, coupang.ExchangeStatus]

func (r *record) sortKey() sortKey[coupang.ExchangeStatus] {
	ex := &r.ex
	return sortKey[coupang.ExchangeStatus]{
		at: ex.CreatedAt, id: ex.ExchangeID, orderID: ex.OrderID,
		buckets: [2]coupang.ExchangeStatus{ex.Status}, listed: true,
	}
}

func (r *record) slot() *indexSlot[coupang.ExchangeStatus] { return &r.idx }

// put stores rec, replacing the exchange with the same id if any. Called
// with s.mu held or before the server starts.
func (s *Server) put(rec *record) {
	id := rec.ex.ExchangeID
	s.idx.replace(s.exchanges[id], rec)
	s.exchanges[id] = rec
}

// reindex moves rec in the index after its exchange changed. Called with
// s.mu held.
func (s *Server) reindex(rec *record) { s.idx.update(rec) }

// listCandidates returns the indexed exchanges a list query q can match, in
// list order, starting at the first one at or after its lower bound (the
// window's start, or the record after q's nextToken). Called with s.mu held.
func (s *Server) listCandidates(q listQuery) []*record {
	var list []*record
	switch {
	case q.orderID != 0:
		list = s.idx.orderList(q.orderID)
	case q.status != "":
		list = s.idx.byBucket[q.status]
	default:
		list = s.idx.all
	}
	return candidates(list, q.from, q.afterAt, q.afterID, q.hasNext)
}

// applyAllDue applies every scheduled update whose time has come, so that
// the index is current before a list call reads it. Called with s.mu held.
func (s *Server) applyAllDue() { s.idx.applyDue(s.now(), s.applyDue) }
