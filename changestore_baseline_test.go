package coupang

// This file is the file ChangeStore of version 0.1.0 (changestore_file.go
// before the journal), kept for tests only: the benchmarks compare the
// journal with it, and the migration tests open what it wrote.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/go-coupang/coupang/internal/journal"
)

// baselineFormat names the file layout, checked on every read.
const baselineFormat = "coupang-changes/1"

type baselineStore struct {
	path string // the real file: no link in it

	mu   sync.Mutex // guards busy and kinds
	busy bool
	// kinds are the stores of the other ClaimKinds, each in a file of its
	// own next to this one (path + "." + kind), locked on its own.
	kinds map[ClaimKind]*baselineStore
}

// baselineData is the file's JSON: each record as [id, createdAt in Unix
// seconds, fingerprint], ids ascending, so that the file is small and two
// writes of one state are byte for byte equal; lastPass (Unix seconds, left
// out when none) is what MarkPass recorded. Version 0.1.0 wrote no lastPass
// and ignores it when it reads.
type baselineData struct {
	Format   string            `json:"format"`
	LastPass int64             `json:"lastPass"`
	Records  []json.RawMessage `json:"records"`
}

// baselineState is what a store's file holds.
type baselineState struct {
	records  map[int64]ChangeRecord
	lastPass time.Time
}

func (s *baselineStore) load() (baselineState, error) {
	m := map[int64]ChangeRecord{}
	b, err := os.ReadFile(s.path)
	if errors.Is(err, fs.ErrNotExist) {
		return baselineState{records: m}, nil
	}
	if err != nil {
		return baselineState{}, fmt.Errorf("coupang: change store %s: %w", s.path, err)
	}
	var data baselineData
	if err := json.Unmarshal(b, &data); err != nil || data.Format != baselineFormat {
		return baselineState{}, fmt.Errorf("coupang: change store %s: not a change store of this package (format %q): %v", s.path, data.Format, err)
	}
	for i, raw := range data.Records {
		var rec [3]json.RawMessage
		var id, created int64
		var fp string
		if err := json.Unmarshal(raw, &rec); err == nil {
			err = errors.Join(json.Unmarshal(rec[0], &id), json.Unmarshal(rec[1], &created), json.Unmarshal(rec[2], &fp))
			if err == nil && id > 0 {
				m[id] = ChangeRecord{ExchangeID: id, CreatedAt: time.Unix(created, 0).UTC(), Fingerprint: fp}
				continue
			}
		}
		return baselineState{}, fmt.Errorf("coupang: change store %s: record %d is damaged", s.path, i)
	}
	st := baselineState{records: m}
	if data.LastPass != 0 {
		st.lastPass = time.Unix(data.LastPass, 0).UTC()
	}
	return st, nil
}

// BeginKindPass begins a pass over the records of kind: those of
// ClaimExchanges are in the store's file, those of any other kind in the
// file next to it named after the kind (changes.json.returns).
func (s *baselineStore) BeginKindPass(ctx context.Context, kind ClaimKind) (ChangeKindPass, error) {
	if err := checkKind(kind); err != nil {
		return nil, err
	}
	st := s
	if kind != ClaimExchanges {
		s.mu.Lock()
		st = s.kinds[kind]
		if st == nil {
			st = &baselineStore{path: s.path + "." + string(kind)}
			if s.kinds == nil {
				s.kinds = map[ClaimKind]*baselineStore{}
			}
			s.kinds[kind] = st
		}
		s.mu.Unlock()
	}
	p, err := st.beginPass(ctx)
	if err != nil {
		return nil, err // not a typed nil in the interface
	}
	return p, nil
}

func (s *baselineStore) BeginPass(ctx context.Context) (ChangePass, error) {
	p, err := s.beginPass(ctx)
	if err != nil {
		return nil, err // not a typed nil in the interface
	}
	return p, nil
}

func (s *baselineStore) beginPass(ctx context.Context) (*baselinePass, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	if s.busy {
		s.mu.Unlock()
		return nil, ErrPassInProgress
	}
	s.busy = true
	s.mu.Unlock()
	p := &baselinePass{s: s}
	var err error
	p.unlock, err = lockFile(s.path + ".lock")
	if err == nil {
		p.state, err = s.load()
		if err != nil {
			p.unlock()
		}
	}
	if err != nil {
		s.release()
		return nil, err
	}
	return p, nil
}

func (s *baselineStore) release() {
	s.mu.Lock()
	s.busy = false
	s.mu.Unlock()
}

type baselinePass struct {
	s      *baselineStore
	unlock func()
	mu     sync.Mutex
	state  baselineState // what the file holds
	closed bool
}

func (p *baselinePass) Lookup(_ context.Context, id int64) (ChangeRecord, bool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	r, ok := p.state.records[id]
	return r, ok, nil
}

func (p *baselinePass) Records(_ context.Context, from, to time.Time) ([]ChangeRecord, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return recordsIn(p.state.records, from, to), nil
}

func (p *baselinePass) LastPass(context.Context) (time.Time, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.state.lastPass, nil
}

func (p *baselinePass) MarkPass(_ context.Context, t time.Time) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return errPassClosed
	}
	return p.writeLocked(baselineState{records: p.state.records, lastPass: time.Unix(t.Unix(), 0).UTC()})
}

func (p *baselinePass) Commit(_ context.Context, records []ChangeRecord, forgetBefore time.Time) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return errPassClosed
	}
	if len(records) == 0 && !baselineAnyBefore(p.state.records, forgetBefore) {
		return nil // nothing would change: a quiet pass writes nothing
	}
	next := make(map[int64]ChangeRecord, len(p.state.records)+len(records))
	for id, r := range p.state.records {
		next[id] = r
	}
	applyCommit(next, records, forgetBefore)
	return p.writeLocked(baselineState{records: next, lastPass: p.state.lastPass})
}

// writeLocked replaces the file with st, and then what the pass knows of
// it. Called with p.mu held.
func (p *baselinePass) writeLocked(st baselineState) error {
	if err := baselineWriteAtomic(p.s.path, baselineEncode(st)); err != nil {
		return fmt.Errorf("coupang: change store %s: %w", p.s.path, err)
	}
	p.state = st
	return nil
}

func (p *baselinePass) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil
	}
	p.closed = true
	p.unlock()
	p.s.release()
	return nil
}

func baselineEncode(st baselineState) []byte {
	m := st.records
	ids := make([]int64, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var b bytes.Buffer
	b.Grow(64 + len(ids)*100)
	b.WriteString(`{"format":"` + baselineFormat + `",`)
	if !st.lastPass.IsZero() {
		b.WriteString(`"lastPass":` + strconv.FormatInt(st.lastPass.Unix(), 10) + `,`)
	}
	b.WriteString(`"records":[`)
	for i, id := range ids {
		r := m[id]
		if i > 0 {
			b.WriteString(",\n")
		}
		b.WriteByte('[')
		b.WriteString(strconv.FormatInt(id, 10))
		b.WriteByte(',')
		b.WriteString(strconv.FormatInt(r.CreatedAt.Unix(), 10))
		b.WriteByte(',')
		fp, _ := json.Marshal(r.Fingerprint)
		b.Write(fp)
		b.WriteByte(']')
	}
	b.WriteString("]}\n")
	return b.Bytes()
}

// baselineWriteAtomic replaces path with data so that a crash leaves the old or
// the new content: temporary file, fsync, rename, fsync of the directory.
func baselineWriteAtomic(path string, data []byte) (err error) {
	dir, base := filepath.Split(path)
	tmp, err := os.CreateTemp(dir, base+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	baselineRemoveStaleTemps(dir, base, tmp.Name())
	return journal.OS{}.SyncDir(dir)
}

// baselineRemoveStaleTemps removes temporary files a crash left behind. Only
// called while holding the pass lock, so none is being written.
func baselineRemoveStaleTemps(dir, base, keep string) {
	matches, _ := filepath.Glob(filepath.Join(dir, base+".tmp-*"))
	for _, m := range matches {
		if m != keep {
			_ = os.Remove(m)
		}
	}
}

// baselineAnyBefore reports whether a record was created before t (false for a zero t).
func baselineAnyBefore(m map[int64]ChangeRecord, t time.Time) bool {
	if t.IsZero() {
		return false
	}
	for _, r := range m {
		if r.CreatedAt.Before(t) {
			return true
		}
	}
	return false
}

// NewBaselineFileChangeStore is NewFileChangeStore as version 0.1.0 had it
// (the whole file rewritten at every commit), for the tests and benchmarks
// that compare with it or open what it wrote.
func NewBaselineFileChangeStore(path string) (ChangeStore, error) {
	real, err := realStorePath(path)
	if err != nil {
		return nil, err
	}
	s := &baselineStore{path: real}
	if _, err := s.load(); err != nil {
		return nil, err
	}
	return s, nil
}
