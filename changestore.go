package coupang

import (
	"context"
	"errors"
	"sync"
	"time"
)

// ErrPassInProgress: a pass of Changes was refused because another pass
// holds the same ChangeStore (in this process or, for a file store, in
// another process on the same machine). Try again after it ends.
var ErrPassInProgress = errors.New("coupang: a change pass is already in progress on this store")

// ChangeRecord is what a ChangeStore keeps of one exchange: no personal
// data, only what Changes needs to tell new and changed exchanges from the
// ones it already delivered.
type ChangeRecord struct {
	// ExchangeID identifies the exchange.
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

// NewMemoryChangeStore returns a ChangeStore kept in memory, for tests and
// for processes that may see everything again after a restart.
func NewMemoryChangeStore() ChangeStore {
	return &memoryStore{records: map[int64]ChangeRecord{}}
}

type memoryStore struct {
	mu       sync.Mutex
	busy     bool
	records  map[int64]ChangeRecord
	lastPass time.Time
}

func (m *memoryStore) BeginPass(ctx context.Context) (ChangePass, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.busy {
		return nil, ErrPassInProgress
	}
	m.busy = true
	return &memoryPass{m: m}, nil
}

type memoryPass struct {
	m      *memoryStore
	closed bool
}

func (p *memoryPass) Lookup(_ context.Context, id int64) (ChangeRecord, bool, error) {
	p.m.mu.Lock()
	defer p.m.mu.Unlock()
	r, ok := p.m.records[id]
	return r, ok, nil
}

func (p *memoryPass) Commit(_ context.Context, records []ChangeRecord, forgetBefore time.Time) error {
	p.m.mu.Lock()
	defer p.m.mu.Unlock()
	if p.closed {
		return errPassClosed
	}
	applyCommit(p.m.records, records, forgetBefore)
	return nil
}

func (p *memoryPass) LastPass(context.Context) (time.Time, error) {
	p.m.mu.Lock()
	defer p.m.mu.Unlock()
	return p.m.lastPass, nil
}

func (p *memoryPass) MarkPass(_ context.Context, t time.Time) error {
	p.m.mu.Lock()
	defer p.m.mu.Unlock()
	if p.closed {
		return errPassClosed
	}
	p.m.lastPass = t
	return nil
}

func (p *memoryPass) Close() error {
	p.m.mu.Lock()
	defer p.m.mu.Unlock()
	if !p.closed {
		p.closed, p.m.busy = true, false
	}
	return nil
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
