package coupangtest

import (
	"slices"
	"time"

	"github.com/go-coupang/coupang"
)

// This file keeps the sandbox's return and cancellation requests (반품·취소)
// and their timeline; returns_handler.go serves them.

// DefaultReturns is how many return requests a Server is seeded with unless
// WithReturns says otherwise. The seed has the customer withdraw a few of
// them (with DefaultSeed, 2 of the default 30), which Returns and the list
// then no longer show: Withdrawals has them.
const DefaultReturns = 30

// addedReturnOrderIDBase plus the receipt id is the order id AddReturn
// gives a receipt that has none.
const addedReturnOrderIDBase = 41_000_000_000_000

// returnRecord is one receipt with what Coupang keeps but does not show.
type returnRecord struct {
	r coupang.ReturnRequest
	// withdrawn: the customer withdrew it; list and single query no longer
	// show it, the withdrawal history does.
	withdrawn bool
	// completeAt, when set, is when a quick refund picked up with a tracked
	// waybill completes by itself.
	completeAt time.Time
	// scheduled are updates UpdateReturnAt and WithdrawReturnAt set for
	// later, in time order.
	scheduled []scheduledReturn
	// idx is where the receipt sits in the index (index.go,
	// returns_index.go).
	idx indexSlot[returnBucket]
}

// scheduledReturn is a change to apply once the server's clock reaches at:
// fn, or the withdrawal when withdraw is set.
type scheduledReturn struct {
	at       time.Time
	fn       func(*coupang.ReturnRequest)
	withdraw bool
}

// WithReturns sets how many return requests the server is seeded with
// (default DefaultReturns); 0 starts without any, for tests that add their
// own with AddReturn.
func WithReturns(n int) Option {
	return func(c *config) { c.returns = max(n, 0) }
}

// WithQuickRefundDelay sets how long after its pickup a quick-refund
// receipt (PreRefund) of the automatic return integration, picked up under
// a tracked waybill, completes by itself (Coupang refunds at pickup and
// needs nothing from the seller). The default is 0: at pickup.
func WithQuickRefundDelay(d time.Duration) Option {
	return func(c *config) { c.quickRefundDelay = max(d, 0) }
}

// AddReturn stores r and returns its receipt id. A zero ReceiptID gets the
// next free id, a zero OrderID 41,000,000,000,000 + ReceiptID, an empty
// ReceiptType RETURN, an empty Status RETURNS_UNCHECKED, a zero CreatedAt the
// server's clock (and ModifiedAt CreatedAt), no Items one item of quantity 1
// (not shipped for a release-stop request, shipped otherwise), a zero
// CancelCountSum the sum of the items' CancelCount, an empty
// ReleaseStopStatus 미처리 for a release-stop request and 비대상 otherwise.
// A receipt with the id of an existing one replaces it. Times are kept to
// the second, as on the wire.
func (s *Server) AddReturn(r coupang.ReturnRequest) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addReturnLocked(r)
}

func (s *Server) addReturnLocked(r coupang.ReturnRequest) int64 {
	if r.ReceiptID <= 0 {
		r.ReceiptID = s.nextReceipt
	}
	if r.ReceiptID >= s.nextReceipt {
		s.nextReceipt = r.ReceiptID + 1
	}
	if r.OrderID == 0 {
		r.OrderID = addedReturnOrderIDBase + r.ReceiptID
	}
	if r.ReceiptType == "" {
		r.ReceiptType = coupang.ReturnReceiptTypeReturn
	}
	if r.Status == "" {
		r.Status = coupang.ReturnStatusReturnsUnchecked
	}
	if r.CreatedAt.IsZero() {
		r.CreatedAt = s.now()
	}
	if r.ModifiedAt.IsZero() {
		r.ModifiedAt = r.CreatedAt
	}
	r.CreatedAt, r.ModifiedAt = wireTime(r.CreatedAt), wireTime(r.ModifiedAt)
	r.CompleteConfirmDate = wireTime(r.CompleteConfirmDate)
	stop := r.Status == coupang.ReturnStatusReleaseStopUnchecked
	if len(r.Items) == 0 {
		release := coupang.ReturnReleaseStatusShipped
		if stop {
			release = coupang.ReturnReleaseStatusNotShipped
		}
		r.Items = []coupang.ReturnItem{{
			VendorItemID:  7_100_000_000 + r.ReceiptID%1_000_000,
			PurchaseCount: 1,
			CancelCount:   1,
			ShipmentBoxID: 650_000_000_000_000_000 + r.ReceiptID,
			ReleaseStatus: release,
		}}
	}
	if r.CancelCountSum == 0 {
		for _, it := range r.Items {
			r.CancelCountSum += it.CancelCount
		}
	}
	if r.ReleaseStopStatus == "" {
		r.ReleaseStopStatus = coupang.ReturnReleaseStopNotApplicable
		if stop {
			r.ReleaseStopStatus = coupang.ReturnReleaseStopUnprocessed
		}
	}
	rec := &returnRecord{r: cloneReturn(r)}
	s.returnIdx.replace(s.returns[r.ReceiptID], rec)
	s.returns[r.ReceiptID] = rec
	return r.ReceiptID
}

// UpdateReturn changes the stored receipt id with fn, atomically, and
// reports whether it exists (withdrawn or not). Use it to set up a state or
// to simulate what happens on Coupang's side. fn must not call the Server's
// methods; changing ReceiptID is ignored.
func (s *Server) UpdateReturn(id int64, fn func(*coupang.ReturnRequest)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.returns[id]
	if !ok {
		return false
	}
	s.settleReturn(rec)
	applyReturnUpdate(rec, fn)
	s.returnIdx.update(rec)
	return true
}

// UpdateReturnAt changes the stored receipt id with fn once the server's
// clock reaches at, before anything reads it, as UpdateExchangeAt does for
// exchanges. It reports whether the receipt exists.
func (s *Server) UpdateReturnAt(at time.Time, id int64, fn func(*coupang.ReturnRequest)) bool {
	if fn == nil {
		return s.hasReturn(id)
	}
	return s.scheduleReturn(id, scheduledReturn{at: at, fn: fn})
}

// WithdrawReturn simulates the customer withdrawing receipt id (반품 철회):
// the list and the single query no longer show it, its actions answer that
// it does not exist, and the withdrawal history lists it from now on. It
// reports whether the receipt exists and was not withdrawn already.
func (s *Server) WithdrawReturn(id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.returns[id]
	if !ok {
		return false
	}
	s.settleReturn(rec)
	if rec.withdrawn {
		return false
	}
	s.withdrawLocked(rec, s.now())
	return true
}

// WithdrawReturnAt makes the customer withdraw receipt id once the server's
// clock reaches at (see WithdrawReturn). It reports whether the receipt
// exists.
func (s *Server) WithdrawReturnAt(at time.Time, id int64) bool {
	return s.scheduleReturn(id, scheduledReturn{at: at, withdraw: true})
}

// PickUpReturn simulates the courier picking the returned goods up. A
// receipt without a pickup waybill gets one (a CJ대한통운 number), as the
// automatic return integration does. A quick-refund receipt (PreRefund)
// picked up under a tracked waybill is refunded by Coupang and completes by
// itself, after WithQuickRefundDelay (at once by default): the seller has
// nothing to do. It reports whether the receipt exists and is listed.
func (s *Server) PickUpReturn(id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.returns[id]
	if !ok {
		return false
	}
	s.settleReturn(rec)
	if rec.withdrawn {
		return false
	}
	r := &rec.r
	now := s.now()
	if len(liveWaybills(r)) == 0 {
		r.Deliveries = append(r.Deliveries, coupang.ReturnDelivery{
			DeliveryCompanyCode: coupang.CourierCJ,
			DeliveryInvoiceNo:   "6" + pad11(r.ReceiptID),
		})
		if r.ReturnDeliveryType == "" {
			r.ReturnDeliveryType = coupang.ReturnDeliveryTypeIntegrated
		}
	}
	r.ModifiedAt = wireTime(now)
	if r.PreRefund && r.Status == coupang.ReturnStatusReturnsUnchecked {
		rec.completeAt = now.Add(s.cfg.quickRefundDelay)
		s.returnIdx.schedule(rec.completeAt, rec)
		s.settleReturn(rec)
	}
	return true
}

// Return returns a copy of the stored receipt id as Coupang would show it
// now, and whether it exists; a withdrawn receipt is returned too (see
// ReturnWithdrawn).
func (s *Server) Return(id int64) (coupang.ReturnRequest, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.returns[id]
	if !ok {
		return coupang.ReturnRequest{}, false
	}
	s.settleReturn(rec)
	return cloneReturn(rec.r), true
}

// ReturnWithdrawn reports whether the customer withdrew receipt id.
func (s *Server) ReturnWithdrawn(id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.returns[id]
	if !ok {
		return false
	}
	s.settleReturn(rec)
	return rec.withdrawn
}

// Returns returns a copy of every receipt the list shows now (not the
// withdrawn ones), oldest first (by creation time, then id).
func (s *Server) Returns() []coupang.ReturnRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.applyDueReturns()
	var out []coupang.ReturnRequest
	for _, rec := range s.returnIdx.all {
		out = append(out, cloneReturn(rec.r))
	}
	return out
}

// Withdrawals returns the withdrawal history, oldest first.
func (s *Server) Withdrawals() []coupang.ReturnWithdrawal {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.applyDueReturns() // settles due withdrawals
	out := slices.Clone(s.withdrawals)
	for i := range out {
		out[i].VendorItemIDs = slices.Clone(out[i].VendorItemIDs)
	}
	return out
}

// Count returns how many times an action of kind was applied to the
// exchange or receipt id: Applied, filtered.
func (s *Server) Count(kind ActionKind, id int64) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, a := range s.applied {
		if a.Kind == kind && (a.ExchangeID == id || a.ReceiptID == id) {
			n++
		}
	}
	return n
}

func (s *Server) hasReturn(id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.returns[id]
	return ok
}

func (s *Server) scheduleReturn(id int64, u scheduledReturn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.returns[id]
	if !ok {
		return false
	}
	i, _ := slices.BinarySearchFunc(rec.scheduled, u.at, func(x scheduledReturn, t time.Time) int {
		if x.at.After(t) {
			return 1
		}
		return -1 // equal times go after the ones already scheduled
	})
	rec.scheduled = slices.Insert(rec.scheduled, i, u)
	s.returnIdx.schedule(u.at, rec)
	s.settleReturn(rec)
	return true
}

// settleReturn applies rec's scheduled changes and automatic completion
// that are due, in time order, and moves it in the index. Called with s.mu
// held.
func (s *Server) settleReturn(rec *returnRecord) {
	defer s.returnIdx.update(rec)
	now := s.now()
	for {
		var due time.Time
		next := -1 // the scheduled update to apply, or -1 for the completion
		if len(rec.scheduled) > 0 && !rec.scheduled[0].at.After(now) {
			due, next = rec.scheduled[0].at, 0
		}
		completes := !rec.completeAt.IsZero() && !rec.completeAt.After(now)
		switch {
		case completes && (next < 0 || !rec.completeAt.After(due)):
			at := rec.completeAt
			rec.completeAt = time.Time{}
			if !rec.withdrawn && rec.r.Status == coupang.ReturnStatusReturnsUnchecked {
				completeReturn(&rec.r, at, coupang.ReturnCompleteConfirmCS)
			}
		case next == 0:
			u := rec.scheduled[0]
			rec.scheduled = rec.scheduled[1:]
			switch {
			case u.withdraw && !rec.withdrawn:
				s.withdrawLocked(rec, u.at)
			case u.fn != nil:
				applyReturnUpdate(rec, u.fn)
			}
		default:
			return
		}
	}
}

// withdrawLocked withdraws rec at at. Called with s.mu held.
func (s *Server) withdrawLocked(rec *returnRecord, at time.Time) {
	rec.withdrawn = true
	rec.completeAt = time.Time{}
	w := coupang.ReturnWithdrawal{
		ReceiptID:          rec.r.ReceiptID,
		OrderID:            rec.r.OrderID,
		VendorID:           s.VendorID,
		RefundDeliveryDuty: coupang.RefundDeliveryDutyCustomer,
		CreatedAt:          wireTime(at),
	}
	for _, it := range rec.r.Items {
		w.VendorItemIDs = append(w.VendorItemIDs, it.VendorItemID)
	}
	// Oldest first; the same time goes after the ones already there.
	i, _ := slices.BinarySearchFunc(s.withdrawals, w.CreatedAt, func(x coupang.ReturnWithdrawal, t time.Time) int {
		if x.CreatedAt.After(t) {
			return 1
		}
		return -1
	})
	s.withdrawals = slices.Insert(s.withdrawals, i, w)
	s.returnIdx.update(rec) // no longer listed
}

func applyReturnUpdate(rec *returnRecord, fn func(*coupang.ReturnRequest)) {
	r := cloneReturn(rec.r)
	fn(&r)
	r.ReceiptID = rec.r.ReceiptID
	rec.r = cloneReturn(r)
}

// completeReturn moves r to RETURNS_COMPLETED at at, confirmed by how.
func completeReturn(r *coupang.ReturnRequest, at time.Time, how coupang.ReturnCompleteConfirmType) {
	r.Status = coupang.ReturnStatusReturnsCompleted
	if !r.CompleteConfirmType.Confirmed() {
		r.CompleteConfirmType = how
		r.CompleteConfirmDate = wireTime(at)
	}
	r.ModifiedAt = wireTime(at)
}

// cloneReturn returns a deep copy of r.
func cloneReturn(r coupang.ReturnRequest) coupang.ReturnRequest {
	r.Items = slices.Clone(r.Items)
	r.Deliveries = slices.Clone(r.Deliveries)
	return r
}

// liveWaybills are r's pickup waybills with a number.
func liveWaybills(r *coupang.ReturnRequest) []coupang.ReturnDelivery { return r.PickupWaybills() }

// pad11 writes n as 11 digits.
func pad11(n int64) string {
	const digits = "0123456789"
	b := make([]byte, 11)
	for i := 10; i >= 0; i-- {
		b[i] = digits[n%10]
		n /= 10
	}
	return string(b)
}
