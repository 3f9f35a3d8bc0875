package coupangtest

import "github.com/go-coupang/coupang"

// The return receipts in the index (index.go): listed unless withdrawn, in
// the cancellations' bucket or in each status filter (RU, UC, CC, PR) that
// lists them, a release-stop request in two.

// returnBucket is a return list a receipt is in: the cancellations
// (cancelType=CANCEL), or the returns of one status filter. The zero value
// is no list.
type returnBucket struct {
	cancel bool
	filter coupang.ReturnFilter
}

// returnIndex is the Server's index of its return receipts.
type returnIndex = sortedIndex[*returnRecord, returnBucket]

// returnFilters are the status filters, in the order a receipt's buckets
// are kept.
var returnFilters = [...]coupang.ReturnFilter{
	coupang.ReturnFilterReleaseStop, coupang.ReturnFilterUnchecked,
	coupang.ReturnFilterCompleted, coupang.ReturnFilterCoupangCheck,
}

func (rec *returnRecord) sortKey() sortKey[returnBucket] {
	r := &rec.r
	k := sortKey[returnBucket]{at: r.CreatedAt, id: r.ReceiptID, orderID: r.OrderID, listed: !rec.withdrawn}
	if r.ReceiptType == coupang.ReturnReceiptTypeCancel {
		k.buckets[0] = returnBucket{cancel: true}
		return k
	}
	n := 0
	for _, f := range returnFilters {
		if n < len(k.buckets) && inFilter(r.Status, f) {
			k.buckets[n] = returnBucket{filter: f}
			n++
		}
	}
	return k
}

func (rec *returnRecord) slot() *indexSlot[returnBucket] { return &rec.idx }

// applyDueReturns applies every scheduled change and automatic completion
// whose time has come, so that the index is current before a list call
// reads it. Called with s.mu held.
func (s *Server) applyDueReturns() { s.returnIdx.applyDue(s.now(), s.settleReturn) }

// returnCandidates returns the indexed receipts a list query q can match,
// in list order, from its lower bound (the first day, or the receipt after
// q's nextToken) on. Called with s.mu held.
func (s *Server) returnCandidates(q returnQuery) []*returnRecord {
	var list []*returnRecord
	switch {
	case q.orderID != 0:
		list = s.returnIdx.orderList(q.orderID)
	case q.cancel:
		list = s.returnIdx.byBucket[returnBucket{cancel: true}]
	default:
		list = s.returnIdx.byBucket[returnBucket{filter: q.status}]
	}
	return candidates(list, q.from, q.afterAt, q.afterID, q.hasNext)
}
