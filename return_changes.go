package coupang

import (
	"context"
	"fmt"
	"iter"
	"log/slog"
	"strconv"
	"time"

	"github.com/go-coupang/coupang/internal/claims"
)

// ReturnChange is one return receipt ReturnService.Changes found new,
// changed or withdrawn.
type ReturnChange struct {
	// Kind says whether the receipt is new to the store, changed, or
	// withdrawn by the customer.
	Kind ChangeKind
	// Return is the receipt's current state, as listed in this pass. For a
	// ChangeWithdrawn only ReceiptID, OrderID and CreatedAt are set:
	// Coupang no longer serves the receipt, and the store keeps no more.
	Return ReturnRequest
	// Changed names the tracked fields that differ from what the store
	// recorded (see Changes); nil for ChangeNew and ChangeWithdrawn.
	Changed []string
	// Withdrawal is the withdrawal history's entry of a ChangeWithdrawn,
	// nil otherwise.
	Withdrawal *ReturnWithdrawal
}

// returnSchema is what a change store keeps of a receipt. The order of
// both lists is part of the stored format: append only, and bump the
// version when changing it.
var returnSchema = &claims.Schema[ReturnRequest]{
	Version: "r1.",
	Fields: []claims.Field[ReturnRequest]{
		{Name: "Status", Hash: func(r *ReturnRequest) uint32 { return claims.HashString(string(r.Status)) }},
		{Name: "ReleaseStopStatus", Hash: func(r *ReturnRequest) uint32 { return claims.HashString(string(r.ReleaseStopStatus)) }},
		{Name: "PreRefund", Boolean: true, Hash: func(r *ReturnRequest) uint32 { return claims.HashBool(r.PreRefund) }},
		{Name: "CompleteConfirmType", Hash: func(r *ReturnRequest) uint32 { return claims.HashString(string(r.CompleteConfirmType)) }},
		{Name: "CompleteConfirmDate", Hash: func(r *ReturnRequest) uint32 {
			return claims.HashUnix(r.CompleteConfirmDate.IsZero(), r.CompleteConfirmDate.Unix())
		}},
		{Name: "ModifiedAt", Hash: func(r *ReturnRequest) uint32 { return claims.HashUnix(r.ModifiedAt.IsZero(), r.ModifiedAt.Unix()) }},
		{Name: "Items.ReleaseStatus", Hash: hashReturnItems},
		{Name: "Deliveries", Hash: hashPickupWaybills},
		{Name: "CancelCountSum", Hash: func(r *ReturnRequest) uint32 {
			return claims.HashUnix(r.CancelCountSum == 0, r.CancelCountSum)
		}},
		{Name: "ReturnDeliveryType", Hash: func(r *ReturnRequest) uint32 { return claims.HashString(string(r.ReturnDeliveryType)) }},
	},
	Filled: []claims.Filled[ReturnRequest]{
		{Name: "OrderID", Filled: func(r *ReturnRequest) bool { return r.OrderID != 0 }},
		{Name: "ReasonCode", Filled: func(r *ReturnRequest) bool { return r.ReasonCode != "" }},
		{Name: "Items", Filled: func(r *ReturnRequest) bool { return len(r.Items) > 0 }},
		{Name: "RequesterName", Filled: func(r *ReturnRequest) bool { return r.RequesterName != "" }},
		{Name: "RequesterPhoneNumber", Filled: func(r *ReturnRequest) bool { return r.RequesterPhoneNumber != "" }},
		{Name: "RequesterAddress", Filled: func(r *ReturnRequest) bool { return r.RequesterAddress != "" }},
	},
}

// hashReturnItems hashes each item's release status and count.
func hashReturnItems(r *ReturnRequest) uint32 {
	var parts []string
	for _, it := range r.Items {
		if it.ReleaseStatus == "" && it.CancelCount == 0 {
			continue
		}
		parts = append(parts, strconv.FormatInt(it.VendorItemID, 10)+"|"+string(it.ReleaseStatus)+"|"+strconv.FormatInt(it.CancelCount, 10))
	}
	return claims.HashSorted(parts)
}

// hashPickupWaybills hashes the cleaned pickup waybills: a space or a
// duplicate Coupang adds is no change.
func hashPickupWaybills(r *ReturnRequest) uint32 {
	var parts []string
	for _, w := range r.PickupWaybills() {
		parts = append(parts, w.DeliveryCompanyCode+"|"+w.DeliveryInvoiceNo)
	}
	return claims.HashSorted(parts)
}

// Changes makes one pass over the return receipts created in [now −
// Lookback, now] (All, sweeping the four filters) and yields each receipt
// that is new to store, each whose tracked state changed since store last
// recorded it, and each the customer withdrew. The store semantics are
// those of ExchangeService.Changes: delivery at least once, acknowledged
// as the loop asks for the next value, written in batches, one pass per
// store at a time, the clock checked against the last complete pass, no
// personal data kept.
//
// Tracked fields: Status, ReleaseStopStatus, PreRefund,
// CompleteConfirmType, CompleteConfirmDate, ModifiedAt, the items'
// ReleaseStatus and CancelCount, the pickup waybills (cleaned: a space or a
// duplicate is no change), CancelCountSum and ReturnDeliveryType. A field
// that went empty is no change (an incident); OrderID, ReasonCode, Items
// and the requester's name, phone and address going from empty to filled
// are.
//
// A withdrawn return vanishes from Coupang's list. Changes never guesses a
// withdrawal from a missing record: only after a pass that listed the whole
// range without an error does it take the receipts the store holds for the
// range that were not listed, look them up in the withdrawal history
// (WithdrawalsByID, 50 a request), and report those found as
// ChangeWithdrawn, once: the store then remembers them as withdrawn until
// they are older than the look-back. A receipt missing from the list but
// not in the history is not reported (Coupang's filters may not list every
// status).
//
// store must keep kinds apart (a ChangeKindStore: the built-in ones and
// coupangredis's do), so that one store serves exchanges and returns; the
// returns' records are those of ClaimReturns. ChangeOptions.Status must be
// empty: a pass over returns always sweeps the four filters.
//
// Endpoints: GET /v2/providers/openapi/apis/api/v6/vendors/{vendorId}/returnRequests
// (반품/취소 요청 목록 조회), through All, and POST
// …/v4/…/returnWithdrawList (반품철회 이력 접수번호로 조회) for receipts no
// longer listed; it writes nothing to Coupang.
func (s *ReturnService) Changes(ctx context.Context, store ChangeStore, opts ChangeOptions) iter.Seq2[ReturnChange, error] {
	return func(yieldTo func(ReturnChange, error) bool) {
		ctx, call := s.client.observeSeq(ctx, opReturnsChanges)
		defer call.end()
		yield := func(c ReturnChange, err error) bool { return yieldTo(c, call.saw(err)) }
		if opts.Status != "" {
			yield(ReturnChange{}, invalid("Status", "must be empty for returns: a pass sweeps the four filters, got %q", opts.Status))
			return
		}
		var begin func(context.Context) (claims.Pass, error)
		if store != nil {
			ks, ok := store.(ChangeKindStore)
			if !ok {
				yield(ReturnChange{}, invalid("store", "does not keep kinds of claims apart (%T is not a ChangeKindStore), so returns could collide with exchanges; "+
					"use NewMemoryChangeStore, NewFileChangeStore or coupangredis.NewChangeStore, or implement BeginKindPass", store))
				return
			}
			begin = func(ctx context.Context) (claims.Pass, error) {
				p, err := ks.BeginKindPass(ctx, ClaimReturns)
				if err != nil {
					return nil, err
				}
				return adaptPass(p), nil
			}
		}
		var lag changesLag
		feed := func(from, now time.Time) claims.Feed[ReturnRequest, ReturnWithdrawal] {
			list := ReturnListOptions{CreatedAtFrom: from, CreatedAtTo: now}
			return claims.Feed[ReturnRequest, ReturnWithdrawal]{
				List:        s.All(ctx, list, opts.CallOptions...),
				Key:         func(r *ReturnRequest) (int64, time.Time) { return r.ReceiptID, r.CreatedAt },
				Fingerprint: returnSchema.Fingerprint,
				Compare:     returnSchema.Compare,
				Withdrawals: func(ctx context.Context, missing []claims.Record) (map[int64]ReturnWithdrawal, error) {
					ids := make([]int64, len(missing))
					for i, r := range missing {
						ids[i] = r.ID
					}
					return s.withdrawnReceipts(ctx, ids, opts.CallOptions)
				},
				Gone: func(rec claims.Record, w ReturnWithdrawal) ReturnRequest {
					return ReturnRequest{ReceiptID: rec.ID, OrderID: w.OrderID, CreatedAt: rec.CreatedAt.In(kst)}
				},
				PassEnded: func() { s.client.observeChanges(ctx, "return", &lag) },
			}
		}
		runChanges(ctx, begin, opts, feed, func(c claims.Change[ReturnRequest, ReturnWithdrawal], err error) bool {
			if err != nil {
				return yield(ReturnChange{}, err)
			}
			change := ReturnChange{Kind: ChangeKind(c.Kind), Return: c.Record, Changed: c.Changed}
			if c.Kind == claims.Withdrawn {
				w := c.Withdrawal
				change.Withdrawal = &w
				lag.saw(w.CreatedAt, c.Record.CreatedAt)
			} else {
				lag.saw(c.Record.ModifiedAt, c.Record.CreatedAt)
			}
			return yield(change, nil)
		})
	}
}

// LogValue logs the kind of change, the receipt as ReturnRequest.LogValue
// does (no personal data), the names of the changed fields and, for a
// withdrawal, when it was withdrawn.
func (c ReturnChange) LogValue() slog.Value {
	attrs := []slog.Attr{
		slog.String("kind", c.Kind.String()),
		{Key: "return", Value: c.Return.LogValue()},
	}
	if len(c.Changed) > 0 {
		attrs = append(attrs, slog.Any("changed", c.Changed))
	}
	if c.Withdrawal != nil {
		attrs = append(attrs, timeAttr("withdrawnAt", c.Withdrawal.CreatedAt)...)
	}
	return slog.GroupValue(attrs...)
}

// Format prints the change's fields for every verb, the receipt as
// ReturnRequest prints (no personal data); %#v is prefixed with the type's
// name, %q quoted.
func (c ReturnChange) Format(f fmt.State, verb rune) {
	type plain ReturnChange
	formatFields(f, verb, "coupang.ReturnChange", plain(c))
}
