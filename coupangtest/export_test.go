package coupangtest

import (
	"cmp"
	"slices"

	"github.com/go-coupang/coupang"
)

// ListReturnsBySort makes s serve return lists as it did before the index
// (on), or from the index again (off): the reference the index is tested
// and measured against.
func ListReturnsBySort(s *Server, on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.returnPageBySort = nil
	if on {
		s.returnPageBySort = s.returnPageSorted
	}
}

// returnPageSorted is the listing before the index: settle every receipt,
// sort them all, filter. Called with s.mu held.
func (s *Server) returnPageSorted(q returnQuery) (page []*returnRecord, more bool) {
	recs := make([]*returnRecord, 0, len(s.returns))
	for _, rec := range s.returns {
		s.settleReturn(rec)
		recs = append(recs, rec)
	}
	slices.SortFunc(recs, func(a, b *returnRecord) int {
		if c := a.r.CreatedAt.Compare(b.r.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.r.ReceiptID, b.r.ReceiptID)
	})
	last := q.to.AddDate(0, 0, 1)
	for _, rec := range recs {
		rr := &rec.r
		if rec.withdrawn || rr.CreatedAt.Before(q.from) || !rr.CreatedAt.Before(last) {
			continue
		}
		if q.cancel != (rr.ReceiptType == coupang.ReturnReceiptTypeCancel) {
			continue
		}
		if q.status != "" && !inFilter(rr.Status, q.status) {
			continue
		}
		if q.orderID != 0 && rr.OrderID != q.orderID {
			continue
		}
		if q.hasNext && compareAt(rr.CreatedAt, rr.ReceiptID, q.afterAt, q.afterID) <= 0 {
			continue
		}
		if len(page) == q.maxPerPage {
			return page, true
		}
		page = append(page, rec)
	}
	return page, false
}
