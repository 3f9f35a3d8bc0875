package coupang

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"
)

// ChangeRecord is what a ChangeStore keeps of one exchange (or, in a pass
// of another ClaimKind, of one record of that kind): no personal data, only
// what Changes needs to tell new and changed records from the ones it
// already delivered.
type ChangeRecord struct {
	// ExchangeID identifies the exchange; in a pass over returns it holds
	// the receipt id (the name is kept from the exchange-only version).
	ExchangeID int64
	// CreatedAt is its creation time, by which old records are forgotten.
	CreatedAt time.Time
	// Fingerprint is an opaque text (about 80 bytes) of hashes of the
	// tracked fields; stores keep it as given.
	Fingerprint string
}

// ChangeStore remembers, between passes of Changes, which exchanges were
// delivered in which state. NewMemoryChangeStore and NewFileChangeStore are
// the built-in ones; NewChangeStore of the coupangredis module is one for
// several servers, with a lease (a lock that expires if its holder dies) so
// that one pass per vendor runs at a time. An implementation must be safe
// for concurrent use.
type ChangeStore interface {
	// BeginPass reserves the store for one pass and returns it. While the
	// pass is open, another BeginPass returns an error matching
	// ErrPassInProgress (or waits, if the store documents so).
	BeginPass(ctx context.Context) (ChangePass, error)
}

// ChangePass is one pass's use of a ChangeStore, from BeginPass to Close.
type ChangePass interface {
	// Lookup returns the record of exchange id and whether there is one.
	Lookup(ctx context.Context, id int64) (ChangeRecord, bool, error)
	// Commit stores records durably, replacing earlier records of the same
	// ids, and, when forgetBefore is not zero, drops the records of
	// exchanges created before it. When it returns nil the records must
	// survive a crash; when it fails none or all of them may have.
	Commit(ctx context.Context, records []ChangeRecord, forgetBefore time.Time) error
	// LastPass returns the time last given to MarkPass, or the zero time if
	// none was (a new store, or one written by version 0.1.0). Changes
	// compares it with its clock before it forgets anything: see
	// ErrClockJump.
	LastPass(ctx context.Context) (time.Time, error)
	// MarkPass records t as the time of the last complete pass, replacing
	// the one recorded before; like Commit, when it returns nil it must
	// survive a crash. Changes calls it at the end of a complete pass when
	// the recorded time is an hour old (an eighth of a look-back shorter
	// than 8 hours) or in the future, so that a quiet pass writes nothing.
	MarkPass(ctx context.Context, t time.Time) error
	// Close ends the pass and releases the store. Calling it twice is
	// harmless.
	Close() error
}

// ClaimKind names a kind of claim whose change records a store keeps
// apart: one store may serve the change feeds of exchanges and returns
// without their ids, look-backs or last passes mixing.
type ClaimKind string

// The kinds of claim.
const (
	// ClaimExchanges are the records of ExchangeService.Changes: what
	// ChangeStore.BeginPass holds.
	ClaimExchanges ClaimKind = "exchanges"
	// ClaimReturns are the records of ReturnService.Changes.
	ClaimReturns ClaimKind = "returns"
)

// ChangeKindStore is a ChangeStore that keeps the records of each kind of
// claim apart: their own records (ids of different kinds never collide),
// last pass and pass lock, so that a pass over returns never forgets or
// overwrites the records of exchanges and both can run at the same time.
// BeginKindPass(ctx, ClaimExchanges) is BeginPass. NewMemoryChangeStore,
// NewFileChangeStore and coupangredis.NewChangeStore implement it;
// ReturnService.Changes needs it.
type ChangeKindStore interface {
	ChangeStore
	// BeginKindPass reserves the records of kind for one pass, as
	// BeginPass does for exchanges.
	BeginKindPass(ctx context.Context, kind ClaimKind) (ChangeKindPass, error)
}

// ChangeKindPass is a ChangePass of one kind that can also list its
// records, which finding withdrawn returns needs.
type ChangeKindPass interface {
	ChangePass
	// Records returns the records created in [from, to], in any order.
	Records(ctx context.Context, from, to time.Time) ([]ChangeRecord, error)
}

// checkKind refuses a kind that is not a short lower-case word: it becomes
// part of file names and Redis keys.
func checkKind(kind ClaimKind) error {
	if kind == "" || len(kind) > 32 || strings.Trim(string(kind), "abcdefghijklmnopqrstuvwxyz") != "" {
		return invalid("kind", "must be a short lower-case word such as %q, got %q", ClaimReturns, kind)
	}
	return nil
}

// NewMemoryChangeStore returns a ChangeStore kept in memory, for tests and
// for processes that may see everything again after a restart. It keeps
// each ClaimKind apart (it is a ChangeKindStore).
func NewMemoryChangeStore() ChangeStore {
	return &memoryStore{kinds: map[ClaimKind]*memoryKind{}}
}

type memoryStore struct {
	mu    sync.Mutex
	kinds map[ClaimKind]*memoryKind
}

// memoryKind is what a memory store keeps of one kind.
type memoryKind struct {
	busy     bool
	records  map[int64]ChangeRecord
	lastPass time.Time
}

func (m *memoryStore) BeginPass(ctx context.Context) (ChangePass, error) {
	return m.BeginKindPass(ctx, ClaimExchanges)
}

func (m *memoryStore) BeginKindPass(ctx context.Context, kind ClaimKind) (ChangeKindPass, error) {
	if err := checkKind(kind); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	k := m.kinds[kind]
	if k == nil {
		k = &memoryKind{records: map[int64]ChangeRecord{}}
		m.kinds[kind] = k
	}
	if k.busy {
		return nil, ErrPassInProgress
	}
	k.busy = true
	return &memoryPass{m: m, k: k}, nil
}

type memoryPass struct {
	m      *memoryStore
	k      *memoryKind
	closed bool
}

func (p *memoryPass) Lookup(_ context.Context, id int64) (ChangeRecord, bool, error) {
	p.m.mu.Lock()
	defer p.m.mu.Unlock()
	r, ok := p.k.records[id]
	return r, ok, nil
}

func (p *memoryPass) Records(_ context.Context, from, to time.Time) ([]ChangeRecord, error) {
	p.m.mu.Lock()
	defer p.m.mu.Unlock()
	return recordsIn(p.k.records, from, to), nil
}

func (p *memoryPass) Commit(_ context.Context, records []ChangeRecord, forgetBefore time.Time) error {
	p.m.mu.Lock()
	defer p.m.mu.Unlock()
	if p.closed {
		return errPassClosed
	}
	applyCommit(p.k.records, records, forgetBefore)
	return nil
}

func (p *memoryPass) LastPass(context.Context) (time.Time, error) {
	p.m.mu.Lock()
	defer p.m.mu.Unlock()
	return p.k.lastPass, nil
}

func (p *memoryPass) MarkPass(_ context.Context, t time.Time) error {
	p.m.mu.Lock()
	defer p.m.mu.Unlock()
	if p.closed {
		return errPassClosed
	}
	p.k.lastPass = t
	return nil
}

func (p *memoryPass) Close() error {
	p.m.mu.Lock()
	defer p.m.mu.Unlock()
	if !p.closed {
		p.closed, p.k.busy = true, false
	}
	return nil
}

// recordsIn returns the records of m created in [from, to].
func recordsIn(m map[int64]ChangeRecord, from, to time.Time) []ChangeRecord {
	var out []ChangeRecord
	for _, r := range m {
		if !r.CreatedAt.Before(from) && !r.CreatedAt.After(to) {
			out = append(out, r)
		}
	}
	return out
}

var errPassClosed = errors.New("coupang: the change pass is closed")

// applyCommit is Commit on a map: what every built-in store does.
func applyCommit(m map[int64]ChangeRecord, records []ChangeRecord, forgetBefore time.Time) {
	for _, r := range records {
		m[r.ExchangeID] = r
	}
	if forgetBefore.IsZero() {
		return
	}
	for id, r := range m {
		if r.CreatedAt.Before(forgetBefore) {
			delete(m, id)
		}
	}
}
