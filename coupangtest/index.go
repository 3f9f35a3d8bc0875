package coupangtest

import (
	"cmp"
	"container/heap"
	"math"
	"slices"
	"time"

	"github.com/go-coupang/coupang"
)

// The exchanges are kept indexed by creation time so that a list call costs
// O(log N + page) instead of sorting every record on every call, which made
// a sandbox pass over N exchanges O(N² log N). The index holds the records
// ordered by (CreatedAt, ExchangeID), the order Coupang lists them in, once
// in all and once per status; byOrder finds an order's few exchanges. Every
// change to a record's CreatedAt, Status or OrderID must go through reindex.

// indexKey is where a record sits in the index: the fields of its exchange
// that list calls order and filter by, as they were when it was indexed.
type indexKey struct {
	at      time.Time
	id      int64
	status  coupang.ExchangeStatus
	orderID int64
}

func keyOf(ex *coupang.ExchangeRequest) indexKey {
	return indexKey{at: ex.CreatedAt, id: ex.ExchangeID, status: ex.Status, orderID: ex.OrderID}
}

// compareAt orders keys as Coupang lists exchanges: oldest first, then by id.
func compareAt(at time.Time, id int64, bAt time.Time, bID int64) int {
	if c := at.Compare(bAt); c != 0 {
		return c
	}
	return cmp.Compare(id, bID)
}

// recordIndex is the Server's index of its exchanges. Guarded by Server.mu.
type recordIndex struct {
	all      []*record
	byStatus map[coupang.ExchangeStatus][]*record
	byOrder  map[int64][]*record
	// due holds the scheduled updates (timeline.go) not yet applied, soonest
	// first, so a list call applies the due ones without visiting every
	// record.
	due dueHeap
}

// search returns the position of the first record of list at or after
// (at, id).
func search(list []*record, at time.Time, id int64) int {
	i, _ := slices.BinarySearchFunc(list, struct {
		at time.Time
		id int64
	}{at, id}, func(r *record, k struct {
		at time.Time
		id int64
	}) int {
		return compareAt(r.key.at, r.key.id, k.at, k.id)
	})
	return i
}

func insertSorted(list []*record, rec *record) []*record {
	// Seeding and AddExchange with the server's clock add the newest
	// record: append without searching.
	if n := len(list); n == 0 || compareAt(list[n-1].key.at, list[n-1].key.id, rec.key.at, rec.key.id) < 0 {
		return append(list, rec)
	}
	return slices.Insert(list, search(list, rec.key.at, rec.key.id), rec)
}

func removeSorted(list []*record, rec *record) []*record {
	i := search(list, rec.key.at, rec.key.id)
	if i < len(list) && list[i] == rec {
		return slices.Delete(list, i, i+1)
	}
	return list
}

// put stores rec, replacing the exchange with the same id if any. Called
// with s.mu held or before the server starts.
func (s *Server) put(rec *record) {
	id := rec.ex.ExchangeID
	if old, ok := s.exchanges[id]; ok {
		s.unindex(old)
		old.removed = true
	}
	s.exchanges[id] = rec
	s.index(rec)
}

func (s *Server) index(rec *record) {
	ix := &s.idx
	if ix.byStatus == nil {
		ix.byStatus = map[coupang.ExchangeStatus][]*record{}
		ix.byOrder = map[int64][]*record{}
	}
	rec.key = keyOf(&rec.ex)
	ix.all = insertSorted(ix.all, rec)
	ix.byStatus[rec.key.status] = insertSorted(ix.byStatus[rec.key.status], rec)
	ix.byOrder[rec.key.orderID] = append(ix.byOrder[rec.key.orderID], rec)
}

func (s *Server) unindex(rec *record) {
	ix := &s.idx
	ix.all = removeSorted(ix.all, rec)
	if l := removeSorted(ix.byStatus[rec.key.status], rec); len(l) > 0 {
		ix.byStatus[rec.key.status] = l
	} else {
		delete(ix.byStatus, rec.key.status)
	}
	l := ix.byOrder[rec.key.orderID]
	if i := slices.Index(l, rec); i >= 0 {
		l = slices.Delete(l, i, i+1)
	}
	if len(l) > 0 {
		ix.byOrder[rec.key.orderID] = l
	} else {
		delete(ix.byOrder, rec.key.orderID)
	}
}

// reindex moves rec in the index after its exchange changed. Called with
// s.mu held.
func (s *Server) reindex(rec *record) {
	if rec.removed || keyOf(&rec.ex) == rec.key {
		return
	}
	s.unindex(rec)
	s.index(rec)
}

// listCandidates returns the indexed records a list query q can match, in
// list order, starting at the first one at or after its lower bound (the
// window's start, or the record after q's nextToken). Called with s.mu held.
func (s *Server) listCandidates(q listQuery) []*record {
	var list []*record
	switch {
	case q.orderID != 0:
		// An order has a handful of exchanges: sort a copy.
		list = slices.SortedFunc(slices.Values(s.idx.byOrder[q.orderID]), func(a, b *record) int {
			return compareAt(a.key.at, a.key.id, b.key.at, b.key.id)
		})
	case q.status != "":
		list = s.idx.byStatus[q.status]
	default:
		list = s.idx.all
	}
	start := search(list, q.from, math.MinInt64)
	if q.hasNext {
		start = max(start, search(list, q.afterAt, q.afterID))
		if start < len(list) && compareAt(list[start].key.at, list[start].key.id, q.afterAt, q.afterID) == 0 {
			start++
		}
	}
	return list[start:]
}

// applyAllDue applies every scheduled update whose time has come, so that
// the index is current before a list call reads it. Called with s.mu held.
func (s *Server) applyAllDue() {
	now := s.now()
	for len(s.idx.due) > 0 && !s.idx.due[0].at.After(now) {
		d := heap.Pop(&s.idx.due).(dueUpdate)
		if !d.rec.removed {
			s.applyDue(d.rec)
		}
	}
}

// dueUpdate is one scheduled update in the index's heap.
type dueUpdate struct {
	at  time.Time
	rec *record
}

// dueHeap is a min-heap of scheduled updates by time (container/heap).
type dueHeap []dueUpdate

func (h dueHeap) Len() int           { return len(h) }
func (h dueHeap) Less(i, j int) bool { return h[i].at.Before(h[j].at) }
func (h dueHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *dueHeap) Push(x any)        { *h = append(*h, x.(dueUpdate)) }
func (h *dueHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
