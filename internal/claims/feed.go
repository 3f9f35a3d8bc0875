package claims

import (
	"context"
	"iter"
	"slices"
	"time"
)

// Bounds of how often a pass writes acknowledged changes to its store. A
// crash loses at most this much acknowledgement, which comes again on the
// next pass (delivery is at least once); writing after every change would
// make a first pass over thousands of records rewrite a file store
// thousands of times.
const (
	commitEvery    = 100
	commitInterval = time.Second
)

// passMarkEvery is how stale the store's last-pass time may get before a
// complete pass records its own: recording every pass would write a file
// store at every quiet pass. A stale mark only makes the clock check
// stricter, by at most this much (or an eighth of the look-back, if less).
const passMarkEvery = time.Hour

// WithdrawnMark is the fingerprint of a record reported withdrawn: it is
// not reported again, and forgotten like any record once it is older than
// the look-back.
const WithdrawnMark = "withdrawn"

// Record is what a store keeps of one record: no personal data.
type Record struct {
	ID          int64
	CreatedAt   time.Time
	Fingerprint string
}

// Pass is one pass's use of a store.
type Pass interface {
	Lookup(ctx context.Context, id int64) (Record, bool, error)
	Commit(ctx context.Context, records []Record, forgetBefore time.Time) error
	LastPass(ctx context.Context) (time.Time, error)
	MarkPass(ctx context.Context, t time.Time) error
	Close() error
}

// Ranger is a Pass that lists the records it holds created in [from, to],
// which finding withdrawn records needs.
type Ranger interface {
	Records(ctx context.Context, from, to time.Time) ([]Record, error)
}

// Kind says why a change is reported.
type Kind int

// The kinds of change.
const (
	New Kind = iota + 1
	Updated
	Withdrawn
)

// Change is one record the feed reports, with W the withdrawal's details
// for Withdrawn.
type Change[R, W any] struct {
	Kind       Kind
	Record     R
	Changed    []string
	Withdrawal W
}

// Feed is one kind of record as the change feed sees it.
type Feed[R, W any] struct {
	// List lists the records of the pass's range.
	List iter.Seq2[R, error]
	// Key returns a record's id and creation time.
	Key func(*R) (int64, time.Time)
	// Fingerprint and Compare are the kind's Schema.
	Fingerprint func(*R) string
	Compare     func(old, cur string) ([]string, bool)
	// Skippable reports an error of one record (it could not be decoded):
	// the pass goes on, and the record's id, when ErrorID finds one, counts
	// as listed.
	Skippable func(error) bool
	ErrorID   func(error) int64
	// StoreError wraps an error of the store.
	StoreError func(error) error
	// Ended, when set, is the error a pass yields in place of an error it
	// met while reading the store or the withdrawal history after ctx
	// ended: the context's own, as All reports it, whatever noticed it.
	Ended func() error
	// PassEnded, when set, is called once a pass that got past the clock
	// check has ended, its store written and closed (for an Observer).
	PassEnded func()
	// ClockJump is the error of a pass refused because its clock is past
	// the last complete pass by more than it reaches back.
	ClockJump func(last, now, from time.Time) error

	// Withdrawals, when set, makes a complete pass find the records the
	// listing no longer shows: the store's records created in the range
	// that were not listed are looked up with it, and those it returns
	// (by id) are reported Withdrawn, once. A record it does not return is
	// not reported: a listing can miss a record for other reasons.
	Withdrawals func(ctx context.Context, missing []Record) (map[int64]W, error)
	// Gone builds the record to report for a withdrawn one.
	Gone func(rec Record, w W) R
}

// Options bound one pass.
type Options struct {
	// Now is the pass's clock reading; From the start of the listed range;
	// ForgetBefore the creation time before which the store forgets.
	Now, From, ForgetBefore time.Time
	// Lookback sizes how often the last pass is marked.
	Lookback time.Duration
	// AcceptClockJump lets a pass run past the clock check.
	AcceptClockJump bool
}

// Run makes one pass: it yields each listed record that is new to the
// store or whose tracked fields changed, and, for a kind with Withdrawals,
// each withdrawn record, recording each in the store once the loop asks for
// the next value (delivery is at least once). Every error is yielded with a
// zero Change. The store is forgotten below ForgetBefore only after a pass
// that met no error other than a skippable one.
func (f *Feed[R, W]) Run(ctx context.Context, pass Pass, o Options, yieldTo func(Change[R, W], error) bool) {
	stopped := false // the loop broke: yield must not be called again
	yield := func(c Change[R, W], err error) bool {
		if stopped {
			return false
		}
		stopped = !yieldTo(c, err)
		return !stopped
	}
	var zero Change[R, W]
	lastPass, err := pass.LastPass(ctx)
	if err != nil {
		_ = pass.Close()
		yield(zero, f.failed(ctx, f.StoreError(err)))
		return
	}
	if !o.AcceptClockJump && !lastPass.IsZero() && lastPass.Before(o.ForgetBefore) {
		_ = pass.Close()
		yield(zero, f.ClockJump(lastPass, o.Now, o.ForgetBefore))
		return
	}
	if f.PassEnded != nil {
		defer f.PassEnded()
	}
	p := &batch{pass: pass, ctx: ctx, last: time.Now()}
	failed := false
	listed := false // the listing ran to its end: the pass is complete
	defer func() {
		// Acknowledged changes are kept whatever ended the pass; old
		// records are forgotten only after a full pass.
		cut := time.Time{}
		if !failed {
			cut = o.ForgetBefore
		}
		err := p.commit(cut)
		if err == nil && listed && !failed {
			err = markPass(ctx, pass, lastPass, o.Now, o.Lookback)
		}
		if cerr := pass.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			yield(zero, f.StoreError(err))
		}
	}()

	var seen map[int64]bool
	if f.Withdrawals != nil {
		seen = map[int64]bool{}
	}
	for r, err := range f.List {
		if err != nil {
			// A record error does not end the pass; the record is not
			// recorded, so it comes once it decodes. The listing goes on
			// after some other errors too, but then the pass missed
			// records and must neither forget nor look for withdrawals.
			if f.Skippable(err) {
				if seen != nil && f.ErrorID != nil {
					seen[f.ErrorID(err)] = true
				}
			} else {
				failed = true
			}
			if !yield(zero, err) {
				return
			}
			continue
		}
		id, created := f.Key(&r)
		if seen != nil {
			seen[id] = true
		}
		rec := Record{ID: id, CreatedAt: time.Unix(created.Unix(), 0).UTC(), Fingerprint: f.Fingerprint(&r)}
		old, found, err := p.lookup(id)
		if err != nil {
			failed = true
			yield(zero, f.failed(ctx, f.StoreError(err)))
			return
		}
		change := Change[R, W]{Kind: New, Record: r}
		if found {
			if old.Fingerprint == rec.Fingerprint {
				continue
			}
			changed, ok := f.Compare(old.Fingerprint, rec.Fingerprint)
			if !ok {
				// Written by another version (or a withdrawn record seen
				// again): adopt silently rather than report it.
				p.adopt(rec)
				continue
			}
			if len(changed) == 0 {
				continue // only fields that went empty: not a change
			}
			change = Change[R, W]{Kind: Updated, Record: r, Changed: changed}
		}
		if !yield(change, nil) {
			return
		}
		// The loop asked for the next value: the change is acknowledged.
		if err := p.ack(rec); err != nil {
			failed = true
			yield(zero, f.StoreError(err))
			return
		}
	}
	if failed || f.Withdrawals == nil {
		listed = !failed
		return
	}
	if err := f.reportWithdrawn(ctx, p, o, seen, yield); err != nil {
		failed = true
		yield(zero, f.failed(ctx, err))
		return
	}
	listed = !stopped
}

// failed is the error to yield for err, met while ctx may have ended:
// Ended's once ctx ended, err otherwise.
func (f *Feed[R, W]) failed(ctx context.Context, err error) error {
	if ctx.Err() != nil && f.Ended != nil {
		return f.Ended()
	}
	return err
}

// reportWithdrawn reports the records of the range the complete listing
// did not show and the withdrawal history confirms, until the loop breaks.
// An error means the pass missed something.
func (f *Feed[R, W]) reportWithdrawn(ctx context.Context, p *batch, o Options, seen map[int64]bool, yield func(Change[R, W], error) bool) error {
	ranger, ok := p.pass.(Ranger)
	if !ok {
		return nil
	}
	held, err := ranger.Records(ctx, o.From, o.Now)
	if err != nil {
		return f.StoreError(err)
	}
	var missing []Record
	for _, rec := range held {
		if seen[rec.ID] || rec.Fingerprint == WithdrawnMark {
			continue
		}
		if done, ok := p.done[rec.ID]; ok && done.Fingerprint == WithdrawnMark {
			continue
		}
		missing = append(missing, rec)
	}
	if len(missing) == 0 {
		return nil
	}
	slices.SortFunc(missing, func(a, b Record) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return compareInt64(a.ID, b.ID)
	})
	gone, err := f.Withdrawals(ctx, missing)
	if err != nil {
		return err
	}
	for _, rec := range missing {
		w, ok := gone[rec.ID]
		if !ok {
			continue // missing from the listing, not withdrawn: not reported
		}
		if !yield(Change[R, W]{Kind: Withdrawn, Record: f.Gone(rec, w), Withdrawal: w}, nil) {
			return nil
		}
		if err := p.ack(Record{ID: rec.ID, CreatedAt: rec.CreatedAt, Fingerprint: WithdrawnMark}); err != nil {
			return f.StoreError(err)
		}
	}
	return nil
}

func compareInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// markPass records now as the last complete pass unless the store's record,
// last, is recent enough. A record in the future (a clock that was ahead)
// is replaced at once.
func markPass(ctx context.Context, pass Pass, last, now time.Time, lookback time.Duration) error {
	every := min(passMarkEvery, lookback/8)
	if !last.IsZero() && !last.After(now) && now.Sub(last) < every {
		return nil
	}
	return pass.MarkPass(context.WithoutCancel(ctx), now)
}

// batch batches the acknowledged records of one pass.
type batch struct {
	pass Pass
	ctx  context.Context
	// last is when pending was last written. Batching follows the real
	// clock, not the pass's: a test moving its clock by days must not
	// change how often the store is written.
	last    time.Time
	pending []Record
	// done holds what this pass acknowledged or adopted, committed or not:
	// Coupang's paging can list one record twice in a pass (page-number
	// tokens shift when a request is filed between two pages), and the
	// second copy must be compared with what the loop already saw, not
	// with the store, which may not have it yet.
	done map[int64]Record
}

// lookup returns what this pass or, failing that, the store knows of id.
func (p *batch) lookup(id int64) (Record, bool, error) {
	if r, ok := p.done[id]; ok {
		return r, true, nil
	}
	return p.pass.Lookup(p.ctx, id)
}

// adopt records rec without yielding it.
func (p *batch) adopt(rec Record) {
	p.remember(rec)
	p.pending = append(p.pending, rec)
}

func (p *batch) remember(rec Record) {
	if p.done == nil {
		p.done = map[int64]Record{}
	}
	p.done[rec.ID] = rec
}

func (p *batch) ack(rec Record) error {
	p.remember(rec)
	p.pending = append(p.pending, rec)
	if len(p.pending) < commitEvery && time.Since(p.last) < commitInterval {
		return nil
	}
	return p.commit(time.Time{})
}

func (p *batch) commit(forgetBefore time.Time) error {
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
