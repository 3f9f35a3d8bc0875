package coupang

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"time"

	"github.com/go-coupang/coupang/internal/claims"
)

// DefaultChangeLookback is how far back Changes re-scans creation times when
// ChangeOptions.Lookback is 0. Coupang's list filters by creation time only,
// so a status change is found only by listing the exchange again; how long
// Coupang keeps an exchange listable is not documented. 30 days covers the
// whole life of an exchange in practice (pickup, receipt, replacement
// delivery) and costs five list windows of 7 days.
const DefaultChangeLookback = 30 * 24 * time.Hour

// ChangeKind says why Changes yielded an exchange.
type ChangeKind int

// The kinds of change.
const (
	// ChangeNew: the store has not seen the exchange before.
	ChangeNew ChangeKind = iota + 1
	// ChangeUpdated: a tracked field differs from what the store recorded.
	ChangeUpdated
	// ChangeWithdrawn: the customer withdrew the return, which Coupang then
	// no longer lists (ReturnService.Changes only: a withdrawn exchange
	// stays listed, in CANCEL, and is reported ChangeUpdated).
	ChangeWithdrawn
)

// String returns "new", "updated" or "withdrawn".
func (k ChangeKind) String() string {
	switch k {
	case ChangeNew:
		return "new"
	case ChangeUpdated:
		return "updated"
	case ChangeWithdrawn:
		return "withdrawn"
	}
	return fmt.Sprintf("ChangeKind(%d)", int(k))
}

// ChangeOptions configures one pass of Changes.
type ChangeOptions struct {
	// Lookback is how far back creation times are re-scanned: the pass lists
	// [now − Lookback, now]. 0 means DefaultChangeLookback. The store forgets
	// exchanges created before now − Lookback.
	Lookback time.Duration
	// Status lists only exchanges of one status; "" lists all. An exchange
	// that moves to another status then simply stops being listed. A pass
	// over returns (ReturnService.Changes) refuses it: it always sweeps the
	// four return filters.
	Status ExchangeStatus
	// From, when set, starts the pass at From instead of now − Lookback, to
	// re-collect an older range after an incident. Exchanges created before
	// now − Lookback are still forgotten at the next ordinary pass.
	From time.Time
	// AcceptClockJump lets a pass run when its clock is further past the
	// store's last complete pass than it reaches back, which is refused
	// with ErrClockJump otherwise. Set it for one pass after a worker was
	// really stopped that long, to forget what is older than the look-back
	// without listing the exchanges created in between (From lists them).
	AcceptClockJump bool
	// CallOptions apply to every list call of the pass.
	CallOptions []CallOption

	// now is the pass's clock (time.Now when nil); tests move it
	// (export_test.go). It is not part of the API: a pass reaches back from
	// the real time, and From re-collects an older range.
	now func() time.Time
}

// ExchangeChange is one exchange Changes found new or changed.
type ExchangeChange struct {
	// Kind says whether the exchange is new to the store or changed.
	Kind ChangeKind
	// Exchange is its current state, as listed in this pass.
	Exchange ExchangeRequest
	// Changed names the tracked fields that differ from what the store
	// recorded (see Changes), such as "Status" or "Address.DeliveryMobile";
	// nil for ChangeNew.
	Changed []string
}

// Changes makes one pass over the exchanges created in [now − Lookback, now]
// and yields each one that is new to store and each one whose tracked state
// changed since store last recorded it. A pass over nothing new yields
// nothing. It lists with All, so it pages, splits the range into 7-day
// windows and shares the client's request budget.
//
// Tracked fields: Status, OrderDeliveryStatus, CollectStatus, DeliveryStatus,
// Rejectable, Successable, DeliveryInvoiceModifiable, the shipment box ids of
// DeliveryInvoiceGroups (a new box), their waybills (courier, number and
// status of each DeliveryInvoice), the pickup waybills (ReturnDeliveries),
// CancelReason, ModifiedAt and CollectCompleteDate. A tracked field that
// becomes empty while it had a value is not by itself a change: that is what
// Coupang's incidents look like (fields sent as null for hours), and
// yielding it would hand out a worse record. Besides, a field of a fixed set
// that was empty and is now filled is a change, named in Changed: OrderID,
// ReasonCode, Items, the names, addresses and phones of Address and of
// CollectInformation.Destination, the safe number and
// CollectInformation.Items; this is how a re-collection after an incident
// reaches the caller. Labels, prices, estimated dates and everything else
// Coupang may recompute on any call never make a change.
//
// Delivery is at least once. A change is recorded in store only when the
// loop asks for the next value, that is after the loop body ran for it: on
// break, on an error and on a crash it is not, and the next pass yields it
// again. Acknowledged changes are written to store in batches: when 100
// have gathered or a second has passed since the last write (checked as the
// loop asks for the next value, not in the background), and when the pass
// ends, also by break. A crash repeats at most the last batch.
//
// A pass whose clock is further past the store's last complete pass than
// it reaches back is refused before it lists or forgets anything, with a
// *ClockJumpError (ErrClockJump), unless AcceptClockJump is set: a clock
// set a year ahead would otherwise empty the store, and everything would
// come again as new once the clock is right.
//
// Every error is yielded with a zero ExchangeChange. A *RecordError (a
// record All could not decode) is passed on and the pass goes on: that
// record is not recorded, so it comes (as new, or as updated if it changed)
// once it decodes. The pass also goes on after the other errors All goes
// on after; any other error ends it. A pass that met an error other than a
// *RecordError does not forget old exchanges. When ctx ends, at whatever
// instant, the pass yields an error matching ctx.Err() (and its cause) once
// and ends, as All does; what the loop acknowledged is still written.
//
// The store keeps only ids, creation times and fingerprints (hashes of the
// tracked fields and which of the fields above are filled), never personal
// data. Two passes with one store at the same time are refused: the second
// yields an error matching ErrPassInProgress.
//
// Endpoint: GET /v2/providers/openapi/apis/api/v4/vendors/{vendorId}/exchangeRequests
// (교환요청 목록조회), through All; it writes nothing to Coupang.
func (s *ExchangeService) Changes(ctx context.Context, store ChangeStore, opts ChangeOptions) iter.Seq2[ExchangeChange, error] {
	return func(yieldTo func(ExchangeChange, error) bool) {
		ctx, call := s.client.observeSeq(ctx, opChanges)
		defer call.end()
		var begin func(context.Context) (claims.Pass, error)
		if store != nil {
			begin = func(ctx context.Context) (claims.Pass, error) {
				p, err := store.BeginPass(ctx)
				if err != nil {
					return nil, err
				}
				return adaptPass(p), nil
			}
		}
		var lag changesLag
		feed := func(from, now time.Time) claims.Feed[ExchangeRequest, struct{}] {
			list := ExchangeListOptions{CreatedAtFrom: from, CreatedAtTo: now, Status: opts.Status}
			return claims.Feed[ExchangeRequest, struct{}]{
				List:        s.All(ctx, list, opts.CallOptions...),
				Key:         func(ex *ExchangeRequest) (int64, time.Time) { return ex.ExchangeID, ex.CreatedAt },
				Fingerprint: exchangeSchema.Fingerprint,
				Compare:     exchangeSchema.Compare,
				PassEnded:   func() { s.client.observeChanges(ctx, "exchange", &lag) },
			}
		}
		runChanges(ctx, begin, opts, feed, func(c claims.Change[ExchangeRequest, struct{}], err error) bool {
			if err != nil {
				return yieldTo(ExchangeChange{}, call.saw(err))
			}
			lag.saw(c.Record.ModifiedAt, c.Record.CreatedAt)
			return yieldTo(ExchangeChange{Kind: ChangeKind(c.Kind), Exchange: c.Record, Changed: c.Changed}, nil)
		})
	}
}

// runChanges is the door every Changes goes through: it checks opts,
// begins a pass with begin (nil when the store is nil), and runs the feed
// of the pass's range on the claims engine. An error met after ctx ended
// (beginning the pass, reading the store) is reported as the context's
// ending, with its cause, as All reports it.
func runChanges[R, W any](ctx context.Context, begin func(context.Context) (claims.Pass, error), opts ChangeOptions,
	feed func(from, now time.Time) claims.Feed[R, W], yield func(claims.Change[R, W], error) bool) {
	var zero claims.Change[R, W]
	if begin == nil {
		yield(zero, invalid("store", "must not be nil"))
		return
	}
	if opts.Lookback < 0 {
		yield(zero, invalid("Lookback", "must not be negative, got %v", opts.Lookback))
		return
	}
	lookback := opts.Lookback
	if lookback == 0 {
		lookback = DefaultChangeLookback
	}
	clock := opts.now
	if clock == nil {
		clock = time.Now
	}
	now := clock()
	from := now.Add(-lookback)
	forgetBefore := from
	if !opts.From.IsZero() {
		if opts.From.After(now) {
			yield(zero, invalid("From", "%s is in the future", formatWireTime(opts.From)))
			return
		}
		from = opts.From
		forgetBefore = minTime(from, forgetBefore)
	}
	pass, err := begin(ctx)
	if err != nil {
		if ctx.Err() != nil {
			// As All does: an ended context is reported as itself, with
			// its cause, whatever noticed it.
			err = endedError("change pass", ctx)
		}
		yield(zero, err)
		return
	}
	f := feed(from, now)
	f.Ended = func() error { return endedError("change pass", ctx) }
	f.Skippable = func(err error) bool {
		var recErr *RecordError
		return errors.As(err, &recErr)
	}
	f.ErrorID = func(err error) int64 {
		var recErr *RecordError
		if errors.As(err, &recErr) {
			return recErr.ExchangeID + recErr.ReceiptID
		}
		return 0
	}
	f.StoreError = func(err error) error { return fmt.Errorf("coupang: change store: %w", err) }
	f.ClockJump = func(last, now, from time.Time) error { return &ClockJumpError{LastPass: last, Now: now, From: from} }
	f.Run(ctx, pass, claims.Options{
		Now: now, From: from, ForgetBefore: forgetBefore, Lookback: lookback, AcceptClockJump: opts.AcceptClockJump,
	}, yield)
}

// passAdapter lets the claims engine use a ChangePass.
type passAdapter struct{ p ChangePass }

// rangePassAdapter is a passAdapter of a pass that lists its records.
type rangePassAdapter struct {
	passAdapter
	r ChangeKindPass
}

// adaptPass adapts p, and lets the engine list its records when it can.
func adaptPass(p ChangePass) claims.Pass {
	if kp, ok := p.(ChangeKindPass); ok {
		return rangePassAdapter{passAdapter{p}, kp}
	}
	return passAdapter{p}
}

func toClaimRecord(r ChangeRecord) claims.Record {
	return claims.Record{ID: r.ExchangeID, CreatedAt: r.CreatedAt, Fingerprint: r.Fingerprint}
}

func (a passAdapter) Lookup(ctx context.Context, id int64) (claims.Record, bool, error) {
	r, ok, err := a.p.Lookup(ctx, id)
	return toClaimRecord(r), ok, err
}

func (a passAdapter) Commit(ctx context.Context, records []claims.Record, forgetBefore time.Time) error {
	recs := make([]ChangeRecord, len(records))
	for i, r := range records {
		recs[i] = ChangeRecord{ExchangeID: r.ID, CreatedAt: r.CreatedAt, Fingerprint: r.Fingerprint}
	}
	return a.p.Commit(ctx, recs, forgetBefore)
}

func (a passAdapter) LastPass(ctx context.Context) (time.Time, error) { return a.p.LastPass(ctx) }

func (a passAdapter) MarkPass(ctx context.Context, t time.Time) error { return a.p.MarkPass(ctx, t) }

func (a passAdapter) Close() error { return a.p.Close() }

func (a rangePassAdapter) Records(ctx context.Context, from, to time.Time) ([]claims.Record, error) {
	recs, err := a.r.Records(ctx, from, to)
	out := make([]claims.Record, len(recs))
	for i, r := range recs {
		out[i] = toClaimRecord(r)
	}
	return out, err
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// LogValue logs the kind of change, the exchange as ExchangeRequest.LogValue
// does (no personal data) and the names of the changed fields.
func (c ExchangeChange) LogValue() slog.Value {
	attrs := []slog.Attr{
		slog.String("kind", c.Kind.String()),
		{Key: "exchange", Value: c.Exchange.LogValue()},
	}
	if len(c.Changed) > 0 {
		attrs = append(attrs, slog.Any("changed", c.Changed))
	}
	return slog.GroupValue(attrs...)
}

// Format prints the change's fields for every verb, the exchange as
// ExchangeRequest prints (no personal data); %#v is prefixed with the type's
// name, %q quoted.
func (c ExchangeChange) Format(f fmt.State, verb rune) {
	type plain ExchangeChange
	formatFields(f, verb, "coupang.ExchangeChange", plain(c))
}
