package coupang

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
)

// fileStoreFormat names the file layout, checked on every read.
const fileStoreFormat = "coupang-changes/1"

// NewFileChangeStore returns a ChangeStore kept in one file at path (created
// at the first commit; its directory must exist). Every commit writes the
// whole file to a temporary file in the same directory, syncs it, renames it
// over the file and syncs the directory, so a crash at any moment leaves
// either the old or the new file, never a torn one; a temporary file left by
// a crash is ignored (and removed by the next commit).
//
// path may be, or pass through, a symbolic link (also one whose target does
// not exist yet): it is resolved once, here, and the store reads, writes and
// locks the real file, so the link stays a link and every name of one file
// (a link, a relative path, a path through a linked directory) is one store.
// A hard link is not followed: the first commit replaces the file, and the
// other name keeps the old content, a store of its own.
//
// The store keeps each ClaimKind apart (it is a ChangeKindStore): the
// records of exchanges are in the file at path, those of returns in the file
// next to it named path+".returns", each with its own lock.
//
// A pass locks the real file's name+".lock" with flock(2) on Linux and the
// BSDs, so that a second pass, in this process or another on the same
// machine, gets ErrPassInProgress; the lock is released when the process
// dies, so a killed worker can be restarted at once. Elsewhere only passes
// within one process are excluded. The file is read again at the start of
// every pass, so processes taking turns see each other's commits.
//
// It returns an error if the directory cannot be written (found by creating
// and removing a file there: mode bits do not tell, root ignores them and a
// read-only mount does not show in them), since a pass could then yield
// everything and fail only at its end, every time; and if the file exists
// but is not a store written by this package: a damaged store is reported,
// never silently started afresh.
func NewFileChangeStore(path string) (ChangeStore, error) {
	if path == "" {
		return nil, invalid("path", "is required")
	}
	real, err := realStorePath(path)
	if err != nil {
		return nil, fmt.Errorf("coupang: change store %s: %w", path, err)
	}
	if fi, err := os.Stat(real); err == nil && fi.IsDir() {
		return nil, fmt.Errorf("coupang: change store %s: %s is a directory, not a file", path, real)
	}
	dir, base := filepath.Split(real)
	if err := probeWritable(dir, base); err != nil {
		return nil, fmt.Errorf("coupang: change store %s: its directory %s is not writable: %w", path, dir, err)
	}
	s := &fileStore{path: real}
	if _, err := s.load(); err != nil {
		return nil, err
	}
	return s, nil
}

// maxStoreLinks bounds the links realStorePath follows, as the kernel does
// (ELOOP), so that a link loop is an error and not a hang.
const maxStoreLinks = 40

// realStorePath returns the absolute name of the file path names once every
// symbolic link on the way is followed, the last one too even when its
// target does not exist yet. The path is never cleaned before it is
// resolved: "link/../x" is the x next to link's target, as for the kernel,
// not the x next to link.
func realStorePath(path string) (string, error) {
	for range maxStoreLinks {
		real, err := filepath.EvalSymlinks(path)
		if err == nil {
			return filepath.Abs(real)
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		// The file does not exist, or it is a link to a missing file: then
		// the store is created at the link's target.
		dir, base := filepath.Split(path)
		if fi, lerr := os.Lstat(path); lerr == nil && fi.Mode()&fs.ModeSymlink != 0 {
			target, err := os.Readlink(path)
			if err != nil {
				return "", err
			}
			if !filepath.IsAbs(target) {
				target = dir + target // relative to the link's directory, uncleaned
			}
			path = target
			continue
		}
		if dir == "" {
			dir = "."
		}
		realDir, err := filepath.EvalSymlinks(dir)
		if err != nil {
			return "", fmt.Errorf("its directory: %w", err)
		}
		if fi, err := os.Stat(realDir); err != nil {
			return "", fmt.Errorf("its directory: %w", err)
		} else if !fi.IsDir() {
			return "", fmt.Errorf("%s is not a directory", realDir)
		}
		return filepath.Abs(filepath.Join(realDir, base))
	}
	return "", fmt.Errorf("more than %d symbolic links to follow", maxStoreLinks)
}

// probeWritable creates and removes a file in dir, named as the commits'
// temporary files so that one left by a crash here is removed by the next
// commit (which may also remove it first, if another process commits
// meanwhile).
func probeWritable(dir, base string) error {
	f, err := os.CreateTemp(dir, base+".tmp-*")
	if err != nil {
		return err
	}
	err = os.Remove(f.Name())
	if errors.Is(err, fs.ErrNotExist) {
		err = nil
	}
	return errors.Join(f.Close(), err)
}

type fileStore struct {
	path string // the real file: no link in it

	mu   sync.Mutex // guards busy and kinds
	busy bool
	// kinds are the stores of the other ClaimKinds, each in a file of its
	// own next to this one (path + "." + kind), locked on its own.
	kinds map[ClaimKind]*fileStore
}

// fileStoreData is the file's JSON: each record as [id, createdAt in Unix
// seconds, fingerprint], ids ascending, so that the file is small and two
// writes of one state are byte for byte equal; lastPass (Unix seconds, left
// out when none) is what MarkPass recorded. Version 0.1.0 wrote no lastPass
// and ignores it when it reads.
type fileStoreData struct {
	Format   string            `json:"format"`
	LastPass int64             `json:"lastPass"`
	Records  []json.RawMessage `json:"records"`
}

// fileState is what a store's file holds.
type fileState struct {
	records  map[int64]ChangeRecord
	lastPass time.Time
}

func (s *fileStore) load() (fileState, error) {
	m := map[int64]ChangeRecord{}
	b, err := os.ReadFile(s.path)
	if errors.Is(err, fs.ErrNotExist) {
		return fileState{records: m}, nil
	}
	if err != nil {
		return fileState{}, fmt.Errorf("coupang: change store %s: %w", s.path, err)
	}
	var data fileStoreData
	if err := json.Unmarshal(b, &data); err != nil || data.Format != fileStoreFormat {
		return fileState{}, fmt.Errorf("coupang: change store %s: not a change store of this package (format %q): %v", s.path, data.Format, err)
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
		return fileState{}, fmt.Errorf("coupang: change store %s: record %d is damaged", s.path, i)
	}
	st := fileState{records: m}
	if data.LastPass != 0 {
		st.lastPass = time.Unix(data.LastPass, 0).UTC()
	}
	return st, nil
}

// BeginKindPass begins a pass over the records of kind: those of
// ClaimExchanges are in the store's file, those of any other kind in the
// file next to it named after the kind (changes.json.returns).
func (s *fileStore) BeginKindPass(ctx context.Context, kind ClaimKind) (ChangeKindPass, error) {
	if err := checkKind(kind); err != nil {
		return nil, err
	}
	st := s
	if kind != ClaimExchanges {
		s.mu.Lock()
		st = s.kinds[kind]
		if st == nil {
			st = &fileStore{path: s.path + "." + string(kind)}
			if s.kinds == nil {
				s.kinds = map[ClaimKind]*fileStore{}
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

func (s *fileStore) BeginPass(ctx context.Context) (ChangePass, error) {
	p, err := s.beginPass(ctx)
	if err != nil {
		return nil, err // not a typed nil in the interface
	}
	return p, nil
}

func (s *fileStore) beginPass(ctx context.Context) (*filePass, error) {
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
	p := &filePass{s: s}
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

func (s *fileStore) release() {
	s.mu.Lock()
	s.busy = false
	s.mu.Unlock()
}

type filePass struct {
	s      *fileStore
	unlock func()
	mu     sync.Mutex
	state  fileState // what the file holds
	closed bool
}

func (p *filePass) Lookup(_ context.Context, id int64) (ChangeRecord, bool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	r, ok := p.state.records[id]
	return r, ok, nil
}

func (p *filePass) Records(_ context.Context, from, to time.Time) ([]ChangeRecord, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return recordsIn(p.state.records, from, to), nil
}

func (p *filePass) LastPass(context.Context) (time.Time, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.state.lastPass, nil
}

func (p *filePass) MarkPass(_ context.Context, t time.Time) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return errPassClosed
	}
	return p.writeLocked(fileState{records: p.state.records, lastPass: time.Unix(t.Unix(), 0).UTC()})
}

func (p *filePass) Commit(_ context.Context, records []ChangeRecord, forgetBefore time.Time) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return errPassClosed
	}
	if len(records) == 0 && !anyBefore(p.state.records, forgetBefore) {
		return nil // nothing would change: a quiet pass writes nothing
	}
	next := make(map[int64]ChangeRecord, len(p.state.records)+len(records))
	for id, r := range p.state.records {
		next[id] = r
	}
	applyCommit(next, records, forgetBefore)
	return p.writeLocked(fileState{records: next, lastPass: p.state.lastPass})
}

// writeLocked replaces the file with st, and then what the pass knows of
// it. Called with p.mu held.
func (p *filePass) writeLocked(st fileState) error {
	if err := writeFileAtomic(p.s.path, encodeFileStore(st)); err != nil {
		return fmt.Errorf("coupang: change store %s: %w", p.s.path, err)
	}
	p.state = st
	return nil
}

func (p *filePass) Close() error {
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

func encodeFileStore(st fileState) []byte {
	m := st.records
	ids := make([]int64, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var b bytes.Buffer
	b.Grow(64 + len(ids)*100)
	b.WriteString(`{"format":"` + fileStoreFormat + `",`)
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

// writeFileAtomic replaces path with data so that a crash leaves the old or
// the new content: temporary file, fsync, rename, fsync of the directory.
func writeFileAtomic(path string, data []byte) (err error) {
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
	removeStaleTemps(dir, base, tmp.Name())
	return syncDir(dir)
}

// removeStaleTemps removes temporary files a crash left behind. Only
// called while holding the pass lock, so none is being written.
func removeStaleTemps(dir, base, keep string) {
	matches, _ := filepath.Glob(filepath.Join(dir, base+".tmp-*"))
	for _, m := range matches {
		if m != keep {
			_ = os.Remove(m)
		}
	}
}

// anyBefore reports whether a record was created before t (false for a zero t).
func anyBefore(m map[int64]ChangeRecord, t time.Time) bool {
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
