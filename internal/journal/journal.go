// Package journal keeps the change records of a file ChangeStore in an
// append-only journal: each commit appends one checksummed frame and syncs
// it, so a pass writes in proportion to what it changes, not to what the
// store holds. The file is rewritten whole (compacted: temporary file, sync,
// rename, sync of the directory) only when it holds more dead bytes
// (replaced or forgotten records) than live ones, when a crash left a torn
// tail, and on the first write to a file of version 0.1.0 (which migrates
// it). Replay at open applies every whole frame and stops at the first torn
// or damaged one.
//
// A Journal is not safe for concurrent use, and its caller must make sure
// that one writer at a time uses a file (the store holds a file lock).
package journal

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// Record is one stored record: an id, its creation time in Unix seconds
// and an opaque fingerprint.
type Record struct {
	ID          int64
	Created     int64
	Fingerprint string
}

// ErrNotStore reports a file that exists but is not a change store of this package
// (neither a journal nor a file of version 0.1.0), or it is damaged.
var ErrNotStore = errors.New("not a change store of this package")

// minDead is how many dead bytes a file may hold before it is compacted,
// however small its live part: a small store is not rewritten at every
// commit that replaces a record.
const minDead = 64 << 10

// Journal is one opened journal file and the state its replay built.
type Journal struct {
	fs   FS
	path string
	st   state
	// size is the length of the file's valid part: the header and the
	// whole frames replay read. Appends go there.
	size int64
	// exists is false until the file exists.
	exists bool
	// legacy: the file is of version 0.1.0; the next write compacts it
	// into a journal.
	legacy bool
	// dirty: the file has bytes past size (a torn tail; appending after
	// them would hide the new frames behind them), or other names: the
	// next write compacts.
	dirty bool
	// stale: a write failed, so the state in memory may be ahead of the
	// file (or the file ahead of what the caller was told). The next write
	// reads the file again first.
	stale bool
	// swept: the temporary files a crash may have left were removed, as
	// the first write of each opening does.
	swept bool
}

// Open reads and replays the journal at path (nothing is written; a file
// that does not exist is an empty journal, created at the first write).
func Open(fsys FS, path string) (*Journal, error) {
	j := &Journal{fs: fsys, path: path}
	if err := j.load(); err != nil {
		return nil, err
	}
	return j, nil
}

func (j *Journal) load() error {
	j.st = state{records: map[int64]Record{}}
	j.size, j.exists, j.legacy, j.dirty, j.stale, j.swept = 0, false, false, false, false, false
	b, err := j.fs.ReadFile(j.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	j.exists = true
	if !bytes.HasPrefix(b, []byte(Header)) {
		if err := readLegacy(b, &j.st); err != nil {
			return err
		}
		j.legacy = true
		return nil
	}
	off := len(Header)
	r := replay{st: &j.st, putAt: map[int64]int64{}}
	for {
		payload, n, ok := nextFrame(b[off:])
		if !ok {
			break
		}
		if err := applyPayload(&r, payload); err != nil {
			return fmt.Errorf("%w: frame at byte %d: %w", ErrNotStore, off, err)
		}
		off += n
	}
	r.finish()
	j.size = int64(off)
	// A file with another name (a hard link) is another store's too, under
	// another lock: appending would write into it. Compacting gives this
	// name a file of its own, as every commit of 0.1.0 did.
	j.dirty = off < len(b) || linkCount(j.path) > 1
	return nil
}

// Lookup returns the record of id.
func (j *Journal) Lookup(id int64) (Record, bool) {
	r, ok := j.st.records[id]
	return r, ok
}

// Records yields every record, in no order.
func (j *Journal) Records() iter.Seq[Record] {
	return func(yield func(Record) bool) {
		for _, r := range j.st.records {
			if !yield(r) {
				return
			}
		}
	}
}

// LastPass is the last time given to Mark, in Unix seconds; 0 if none.
func (j *Journal) LastPass() int64 { return j.st.lastPass }

// Commit stores records, replacing those of the same ids, and, when
// forgetBefore is not zero, drops the records created before it; when it
// returns nil all of it is on disk, and a crash before keeps all of it or
// none. A commit that would change nothing writes nothing.
func (j *Journal) Commit(records []Record, forgetBefore time.Time) error {
	for _, r := range records {
		if r.ID <= 0 {
			return fmt.Errorf("record id %d: ids are positive", r.ID)
		}
		if len(r.Fingerprint) > MaxFingerprint {
			return fmt.Errorf("record %d: a fingerprint of %d bytes, more than %d", r.ID, len(r.Fingerprint), MaxFingerprint)
		}
	}
	if err := j.fresh(); err != nil {
		return err
	}
	// A forget is written only when it drops something: every pass ends
	// with one, and most drop nothing.
	forget := j.st.anyBefore(forgetBefore)
	if !forget && !forgetBefore.IsZero() {
		sec, nsec := forgetBefore.Unix(), forgetBefore.Nanosecond()
		for _, r := range records {
			forget = forget || createdBefore(r.Created, sec, nsec)
		}
	}
	if len(records) == 0 && !forget {
		return nil
	}
	b, start := beginFrame(make([]byte, 0, frameHead+len(records)*96+16))
	for _, r := range records {
		b = appendPut(b, r)
	}
	if forget {
		b = appendForget(b, forgetBefore)
	}
	return j.write(endFrame(b, start))
}

// Mark records sec (Unix seconds) as the last pass, durably.
func (j *Journal) Mark(sec int64) error {
	if err := j.fresh(); err != nil {
		return err
	}
	b, start := beginFrame(nil)
	return j.write(endFrame(appendMark(b, sec), start))
}

// fresh reads the file again if a write failed: what the state in memory
// holds may then not be what the file does.
func (j *Journal) fresh() error {
	if !j.stale {
		return nil
	}
	if err := j.load(); err != nil {
		j.stale = true // never write a state the file did not give
		return err
	}
	return nil
}

// write applies frame to the state and makes it durable: appended and
// synced, or by compaction when the file needs it.
func (j *Journal) write(frame []byte) error {
	payload, _, _ := nextFrame(frame)
	if err := applyPayload(&j.st, payload); err != nil {
		j.stale = true
		return err // cannot happen: Commit checked the ids
	}
	if !j.swept {
		dir, base := filepath.Split(j.path)
		j.removeStaleTemps(dir, base)
		j.swept = true
	}
	var err error
	if j.needsCompaction(int64(len(frame))) {
		err = j.compact()
	} else {
		err = j.appendFrame(frame)
	}
	if err != nil {
		j.stale = true
	}
	return err
}

// needsCompaction reports whether the file should be rewritten rather than
// grow by n bytes: when the journal's dead bytes would outgrow its live
// ones.
func (j *Journal) needsCompaction(n int64) bool {
	if !j.exists || j.legacy || j.dirty || n > frameHead+maxFrame {
		return true // a frame too long for replay is written as a snapshot
	}
	live := int64(len(Header)) + j.st.live
	dead := j.size + n - live
	return dead > max(live, minDead)
}

func (j *Journal) appendFrame(frame []byte) (err error) {
	f, err := j.fs.OpenFile(j.path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	if _, err := f.WriteAt(frame, j.size); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	j.size += int64(len(frame))
	return nil
}

// snapshot returns the file a compaction writes for the current state:
// the header, the records in frames of about snapshotChunk bytes, ids
// ascending (so that one state is always the same bytes), and the last
// pass.
func (j *Journal) snapshot() []byte {
	ids := make([]int64, 0, len(j.st.records))
	for id := range j.st.records {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	b := make([]byte, 0, int64(len(Header))+j.st.live+(j.st.live/snapshotChunk+2)*frameHead+16)
	b = append(b, Header...)
	start := -1
	for _, id := range ids {
		if start < 0 {
			b, start = beginFrame(b)
		}
		b = appendPut(b, j.st.records[id])
		if len(b)-start-frameHead >= snapshotChunk {
			b, start = endFrame(b, start), -1
		}
	}
	if start >= 0 {
		b = endFrame(b, start)
	}
	if j.st.lastPass != 0 {
		var start int
		b, start = beginFrame(b)
		b = endFrame(appendMark(b, j.st.lastPass), start)
	}
	return b
}

// compact replaces the file with a snapshot of the state so that a crash
// leaves the old file or the new one, never a torn one: temporary file in
// the same directory, sync, rename over the file, sync of the directory. A
// temporary file a crash left behind is never read, and is removed here.
func (j *Journal) compact() (err error) {
	data := j.snapshot()
	dir, base := filepath.Split(j.path)
	tmp, err := j.fs.CreateTemp(dir, base+".tmp-*")
	if err != nil {
		return err
	}
	renamed := false
	defer func() {
		if err != nil && !renamed {
			_ = tmp.Close()
			_ = j.fs.Remove(tmp.Name())
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
	if err = j.fs.Rename(tmp.Name(), j.path); err != nil {
		return err
	}
	renamed = true
	j.size, j.exists, j.legacy, j.dirty = int64(len(data)), true, false, false
	return j.fs.SyncDir(dir)
}

// removeStaleTemps removes temporary files a crash left behind. Only
// called by the file's one writer, so none is being written.
func (j *Journal) removeStaleTemps(dir, base string) {
	matches, _ := j.fs.Glob(filepath.Join(dir, base+".tmp-*"))
	for _, m := range matches {
		_ = j.fs.Remove(m)
	}
}

// state is what replay builds.
type state struct {
	records  map[int64]Record
	lastPass int64
	// live is the length of the records' put operations: what a compacted
	// file holds, less its header and frame heads.
	live int64
}

func (st *state) put(r Record) {
	if old, ok := st.records[r.ID]; ok {
		st.live -= putSize(old)
	}
	st.records[r.ID] = r
	st.live += putSize(r)
}

func (st *state) mark(sec int64) { st.lastPass = sec }

func (st *state) forget(t time.Time) {
	sec, nsec := t.Unix(), t.Nanosecond()
	for id, r := range st.records {
		if createdBefore(r.Created, sec, nsec) {
			delete(st.records, id)
			st.live -= putSize(r)
		}
	}
}

func (st *state) anyBefore(t time.Time) bool {
	if t.IsZero() {
		return false
	}
	sec, nsec := t.Unix(), t.Nanosecond()
	for _, r := range st.records {
		if createdBefore(r.Created, sec, nsec) {
			return true
		}
	}
	return false
}

// createdBefore reports whether a creation time of created Unix seconds is
// before the time sec+nsec.
func createdBefore(created, sec int64, nsec int) bool {
	return created < sec || (created == sec && nsec > 0)
}

// replay applies a file's frames to a state with its forgets deferred to
// the end: applied as they come, each would scan every record, and a
// journal holds one per pass that forgot something since its last
// compaction. A record is dropped if a forget after its last put is of a
// time after its creation.
type replay struct {
	st  *state
	ops int64
	// putAt is the number of each record's last put among the operations.
	putAt   map[int64]int64
	forgets []forgetOp // in the order of the operations
}

type forgetOp struct {
	at   int64 // its number among the operations
	sec  int64
	nsec int
}

func (r *replay) put(rec Record) {
	r.ops++
	r.st.put(rec)
	r.putAt[rec.ID] = r.ops
}

func (r *replay) forget(t time.Time) {
	r.ops++
	r.forgets = append(r.forgets, forgetOp{at: r.ops, sec: t.Unix(), nsec: t.Nanosecond()})
}

func (r *replay) mark(sec int64) { r.st.lastPass = sec }

func (r *replay) finish() {
	n := len(r.forgets)
	if n == 0 {
		return
	}
	// latest[i] is the latest time of forgets[i:].
	latest := make([]forgetOp, n)
	latest[n-1] = r.forgets[n-1]
	for i := n - 2; i >= 0; i-- {
		latest[i] = r.forgets[i]
		if l := latest[i+1]; l.sec > latest[i].sec || (l.sec == latest[i].sec && l.nsec > latest[i].nsec) {
			latest[i].sec, latest[i].nsec = l.sec, l.nsec
		}
	}
	for id, rec := range r.st.records {
		at := r.putAt[id]
		i, _ := slices.BinarySearchFunc(r.forgets, at, func(f forgetOp, at int64) int { return cmp.Compare(f.at, at+1) })
		if i < n && createdBefore(rec.Created, latest[i].sec, latest[i].nsec) {
			delete(r.st.records, id)
			r.st.live -= putSize(rec)
		}
	}
}
