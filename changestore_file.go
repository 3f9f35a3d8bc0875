package coupang

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/go-coupang/coupang/internal/journal"
)

// NewFileChangeStore returns a ChangeStore kept in one file at path (created
// at the first commit; its directory must exist). The file is a journal:
// every commit appends one checksummed record of what it changed and syncs
// it, so a pass writes in proportion to what it changes, not to how many
// records the store holds. A crash at any moment keeps a commit whole or
// drops it whole (a torn last record is ignored, and the file rewritten at
// the next commit). The file is rewritten whole (compacted) when replaced or
// forgotten records take more room in it than the live ones: to a temporary
// file in the same directory, synced, renamed over the file, and the
// directory synced, so a crash leaves the old or the new file; a temporary
// file left by a crash is ignored (and removed by the next pass that writes). A
// file written by version 0.1.0 (one JSON object) is read as it is and
// rewritten as a journal at its first commit.
//
// path may be, or pass through, a symbolic link (also one whose target does
// not exist yet): it is resolved once, here, and the store reads, writes and
// locks the real file, so the link stays a link and every name of one file
// (a link, a relative path, a path through a linked directory) is one store.
// A hard link is not followed: the first commit through a name of a file
// with several rewrites it as a file of that name's own (never appending to
// the shared one), and the other name keeps the old content, a store of its
// own.
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

// load reads and replays the store's file.
func (s *fileStore) load() (*journal.Journal, error) {
	j, err := journal.Open(journal.OS{}, s.path)
	if err != nil {
		return nil, fmt.Errorf("coupang: change store %s: %w", s.path, err)
	}
	return j, nil
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
		// Read again at every pass: another process may have committed.
		p.j, err = s.load()
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
	j      *journal.Journal // the file, as the pass wrote it
	closed bool
}

// changeRecord is r as a ChangeRecord; the file keeps whole seconds.
func changeRecord(r journal.Record) ChangeRecord {
	return ChangeRecord{ExchangeID: r.ID, CreatedAt: time.Unix(r.Created, 0).UTC(), Fingerprint: r.Fingerprint}
}

func (p *filePass) Lookup(_ context.Context, id int64) (ChangeRecord, bool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	r, ok := p.j.Lookup(id)
	if !ok {
		return ChangeRecord{}, false, nil
	}
	return changeRecord(r), true, nil
}

func (p *filePass) Records(_ context.Context, from, to time.Time) ([]ChangeRecord, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []ChangeRecord
	for r := range p.j.Records() {
		c := changeRecord(r)
		if !c.CreatedAt.Before(from) && !c.CreatedAt.After(to) {
			out = append(out, c)
		}
	}
	return out, nil
}

func (p *filePass) LastPass(context.Context) (time.Time, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if sec := p.j.LastPass(); sec != 0 {
		return time.Unix(sec, 0).UTC(), nil
	}
	return time.Time{}, nil
}

func (p *filePass) MarkPass(_ context.Context, t time.Time) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return errPassClosed
	}
	if err := p.j.Mark(t.Unix()); err != nil {
		return fmt.Errorf("coupang: change store %s: %w", p.s.path, err)
	}
	return nil
}

func (p *filePass) Commit(_ context.Context, records []ChangeRecord, forgetBefore time.Time) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return errPassClosed
	}
	recs := make([]journal.Record, len(records))
	for i, r := range records {
		recs[i] = journal.Record{ID: r.ExchangeID, Created: r.CreatedAt.Unix(), Fingerprint: r.Fingerprint}
	}
	if err := p.j.Commit(recs, forgetBefore); err != nil {
		return fmt.Errorf("coupang: change store %s: %w", p.s.path, err)
	}
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
