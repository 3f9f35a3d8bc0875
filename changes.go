package coupang

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"time"
)

// DefaultChangeLookback is how far back Changes re-scans creation times when
// ChangeOptions.Lookback is 0. Coupang's list filters by creation time only,
// so a status change is found only by listing the exchange again; how long
// Coupang keeps an exchange listable is not documented. 30 days covers the
// whole life of an exchange in practice (pickup, receipt, replacement
// delivery) and costs five list windows of 7 days.
const DefaultChangeLookback = 30 * 24 * time.Hour

// Bounds of how often a pass writes acknowledged changes to its store. A
// crash loses at most this much acknowledgement, which comes again on the
// next pass (delivery is at least once); writing after every change would
// make a first pass over thousands of exchanges rewrite the file thousands
// of times.
const (
	changeCommitEvery    = 100
	changeCommitInterval = time.Second
)

// ChangeKind says why Changes yielded an exchange.
type ChangeKind int

// The kinds of change.
const (
	// ChangeNew: the store has not seen the exchange before.
	ChangeNew ChangeKind = iota + 1
	// ChangeUpdated: a tracked field differs from what the store recorded.
	ChangeUpdated
)

// String returns "new" or "updated".
func (k ChangeKind) String() string {
	switch k {
	case ChangeNew:
		return "new"
	case ChangeUpdated:
		return "updated"
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
	// that moves to another status then simply stops being listed.
	Status ExchangeStatus
	// From, when set, starts the pass at From instead of now − Lookback, to
	// re-collect an older range after an incident. Exchanges created before
	// now − Lookback are still forgotten at the next ordinary pass.
	From time.Time
	// Now is the clock (time.Now when nil); tests move it.
	Now func() time.Time
	// AcceptClockJump lets a pass run when its clock is further past the
	// store's last complete pass than it reaches back, which is refused
	// with ErrClockJump otherwise. Set it for one pass after a worker was
	// really stopped that long, to forget what is older than the look-back
	// without listing the exchanges created in between (From lists them).
	AcceptClockJump bool
	// CallOptions apply to every list call of the pass.
	CallOptions []CallOption
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
		stopped := false // the loop broke: yield must not be called again
		yield := func(c ExchangeChange, err error) bool {
			if stopped {
				return false
			}
			stopped = !yieldTo(c, call.saw(err))
			return !stopped
		}
		if store == nil {
			yield(ExchangeChange{}, invalid("store", "must not be nil"))
			return
		}
		if opts.Lookback < 0 {
			yield(ExchangeChange{}, invalid("Lookback", "must not be negative, got %v", opts.Lookback))
			return
		}
		lookback := opts.Lookback
		if lookback == 0 {
			lookback = DefaultChangeLookback
		}
		clock := opts.Now
		if clock == nil {
			clock = time.Now
		}
		now := clock()
		from := now.Add(-lookback)
		forgetBefore := from
		if !opts.From.IsZero() {
			if opts.From.After(now) {
				yield(ExchangeChange{}, invalid("From", "%s is in the future", formatWireTime(opts.From)))
				return
			}
			from = opts.From
			forgetBefore = minTime(from, forgetBefore)
		}

		pass, err := store.BeginPass(ctx)
		if err != nil {
			if ctx.Err() != nil {
				// As All does: an ended context is reported as itself,
				// with its cause, whatever noticed it.
				err = endedError("change pass", ctx)
			}
			yield(ExchangeChange{}, err)
			return
		}
		lastPass, err := checkClock(ctx, pass, now, forgetBefore, opts.AcceptClockJump)
		if err != nil {
			_ = pass.Close()
			yield(ExchangeChange{}, err)
			return
		}
		p := &changePass{pass: pass, ctx: ctx, last: time.Now()}
		var lag changesLag
		defer s.client.observeChanges(ctx, &lag)
		failed := false
		listed := false // the listing ran to its end: the pass is complete
		defer func() {
			// Acknowledged changes are kept whatever ended the pass; old
			// exchanges are forgotten only after a full pass.
			cut := time.Time{}
			if !failed {
				cut = forgetBefore
			}
			err := p.commit(cut)
			if err == nil && listed && !failed {
				err = markPass(ctx, pass, lastPass, now, lookback)
			}
			if cerr := pass.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				yield(ExchangeChange{}, fmt.Errorf("coupang: change store: %w", err))
			}
		}()

		list := ExchangeListOptions{CreatedAtFrom: from, CreatedAtTo: now, Status: opts.Status}
		for ex, err := range s.All(ctx, list, opts.CallOptions...) {
			if err != nil {
				// A record error (a record that could not be decoded) does
				// not end the pass; the record is not recorded, so it comes
				// once it decodes. All goes on after some other errors too
				// (a window whose paging loops), but then the pass missed
				// records and must not forget.
				var recErr *RecordError
				if !errors.As(err, &recErr) {
					failed = true
				}
				if !yield(ExchangeChange{}, err) {
					return
				}
				continue
			}
			rec := ChangeRecord{
				ExchangeID:  ex.ExchangeID,
				CreatedAt:   time.Unix(ex.CreatedAt.Unix(), 0).UTC(),
				Fingerprint: fingerprintOf(&ex).encode(),
			}
			old, found, err := p.lookup(rec.ExchangeID)
			if err != nil {
				failed = true
				if ctx.Err() != nil {
					err = endedError("change pass", ctx) // see BeginPass above
				} else {
					err = fmt.Errorf("coupang: change store: %w", err)
				}
				yield(ExchangeChange{}, err)
				return
			}
			change := ExchangeChange{Kind: ChangeNew, Exchange: ex}
			if found {
				if old.Fingerprint == rec.Fingerprint {
					continue
				}
				changed, ok := compareFingerprints(old.Fingerprint, rec.Fingerprint)
				if !ok {
					// Written by another version: adopt silently rather
					// than report every exchange as changed.
					p.adopt(rec)
					continue
				}
				if len(changed) == 0 {
					continue // only fields that went empty: see above
				}
				change = ExchangeChange{Kind: ChangeUpdated, Exchange: ex, Changed: changed}
			}
			lag.saw(&change.Exchange)
			if !yield(change, nil) {
				return
			}
			// The loop asked for the next value: the change is acknowledged.
			if err := p.ack(rec); err != nil {
				failed = true
				yield(ExchangeChange{}, fmt.Errorf("coupang: change store: %w", err))
				return
			}
		}
		listed = true
	}
}

// changePass batches the acknowledged records of one pass.
type changePass struct {
	pass ChangePass
	ctx  context.Context
	// last is when pending was last written. Batching follows the real
	// clock, not ChangeOptions.Now: a test moving its clock by days must
	// not change how often the store is written.
	last    time.Time
	pending []ChangeRecord
	// done holds what this pass acknowledged or adopted, committed or not:
	// Coupang's paging can list one exchange twice in a pass (page-number
	// tokens shift when a request is filed between two pages), and the
	// second copy must be compared with what the loop already saw, not
	// with the store, which may not have it yet.
	done map[int64]ChangeRecord
}

// lookup returns what this pass or, failing that, the store knows of id.
func (p *changePass) lookup(id int64) (ChangeRecord, bool, error) {
	if r, ok := p.done[id]; ok {
		return r, true, nil
	}
	return p.pass.Lookup(p.ctx, id)
}

// adopt records rec without yielding it (a record another version wrote).
func (p *changePass) adopt(rec ChangeRecord) {
	p.remember(rec)
	p.pending = append(p.pending, rec)
}

func (p *changePass) remember(rec ChangeRecord) {
	if p.done == nil {
		p.done = map[int64]ChangeRecord{}
	}
	p.done[rec.ExchangeID] = rec
}

func (p *changePass) ack(rec ChangeRecord) error {
	p.remember(rec)
	p.pending = append(p.pending, rec)
	if len(p.pending) < changeCommitEvery && time.Since(p.last) < changeCommitInterval {
		return nil
	}
	return p.commit(time.Time{})
}

func (p *changePass) commit(forgetBefore time.Time) error {
	if len(p.pending) == 0 && forgetBefore.IsZero() {
		return nil
	}
	// A cancelled context must not lose what the loop acknowledged.
	ctx := context.WithoutCancel(p.ctx)
	if err := p.pass.Commit(ctx, p.pending, forgetBefore); err != nil {
		return err
	}
	p.pending, p.last = p.pending[:0], time.Now()
	return nil
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
