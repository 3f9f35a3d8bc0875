package journal

import (
	"bytes"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// model is what a journal should hold.
type model struct {
	Records  map[int64]Record
	LastPass int64
}

func stateOf(j *Journal) model {
	return model{Records: maps.Clone(j.st.records), LastPass: j.st.lastPass}
}

// reopen replays the file at path as a new process would.
func reopen(t *testing.T, path string) model {
	t.Helper()
	j, err := Open(OS{}, path)
	require.NoError(t, err)
	return stateOf(j)
}

func rec(id, created int64, fp string) Record {
	return Record{ID: id, Created: created, Fingerprint: fp}
}

// temps lists the temporary files of compactions next to path.
func temps(t *testing.T, path string) []string {
	t.Helper()
	m, err := filepath.Glob(path + ".tmp-*")
	require.NoError(t, err)
	return m
}

// history commits a few batches (puts, a replacement, a forget, a mark) to
// a new journal and returns the file's length and the state after each.
func history(t *testing.T, path string) (ends []int, states []model) {
	t.Helper()
	j, err := Open(OS{}, path)
	require.NoError(t, err)
	steps := []func() error{
		func() error { return j.Commit([]Record{rec(1, 100, "a"), rec(2, 200, "b")}, time.Time{}) },
		func() error { return j.Commit([]Record{rec(3, 300, "c")}, time.Time{}) },
		func() error { return j.Commit([]Record{rec(1, 100, "a2"), rec(4, 400, "d")}, time.Time{}) },
		func() error { return j.Mark(1000) },
		func() error { return j.Commit([]Record{rec(5, 500, "e")}, time.Unix(250, 0)) },
		func() error { return j.Commit([]Record{rec(6, 600, strings.Repeat("f", 200))}, time.Time{}) },
	}
	for _, step := range steps {
		require.NoError(t, step())
		fi, err := os.Stat(path)
		require.NoError(t, err)
		ends = append(ends, int(fi.Size()))
		states = append(states, stateOf(j))
	}
	return ends, states
}

// A crash may cut the last write anywhere or leave anything after it (a
// file extended with zeros, or old bytes): replay keeps every commit whose
// frame is whole and nothing else, and the next write drops the rest.
func TestReplayIgnoresATornTailAtEveryByte(t *testing.T) {
	dir := t.TempDir()
	full := filepath.Join(dir, "full")
	ends, states := history(t, full)
	good, err := os.ReadFile(full)
	require.NoError(t, err)
	require.Equal(t, len(good), ends[len(ends)-1])

	for name, tail := range map[string]func(cut []byte) []byte{
		"cut":            func(cut []byte) []byte { return cut },
		"zeros after":    func(cut []byte) []byte { return append(cut, make([]byte, len(good)-len(cut)+5)...) },
		"garbage after":  func(cut []byte) []byte { return append(cut, bytes.Repeat([]byte{0xa5}, len(good)-len(cut)+5)...) },
		"a frame's head": func(cut []byte) []byte { return append(cut, good[ends[0]:ends[0]+frameHead]...) },
	} {
		t.Run(name, func(t *testing.T) {
			for n := len(Header); n <= len(good); n++ {
				torn := tail(bytes.Clone(good[:n]))
				// want is the state of the last commit whose frame is whole
				// (the bytes after a cut may happen to complete it: a
				// forget's last byte is often a 0).
				whole := 0
				for whole < min(len(torn), len(good)) && torn[whole] == good[whole] {
					whole++
				}
				want := model{Records: map[int64]Record{}}
				for i, end := range ends {
					if end <= whole {
						want = states[i]
					}
				}
				path := filepath.Join(t.TempDir(), "store")
				require.NoError(t, os.WriteFile(path, torn, 0o600))

				j, err := Open(OS{}, path)
				require.NoError(t, err, "cut at %d", n)
				require.Equal(t, want, stateOf(j), "cut at %d", n)

				require.NoError(t, j.Commit([]Record{rec(9, 900, "z")}, time.Time{}), "cut at %d", n)
				want.Records = maps.Clone(want.Records)
				want.Records[9] = rec(9, 900, "z")
				require.Equal(t, want, reopen(t, path), "cut at %d, then a commit", n)
			}
		})
	}
}

// A frame whose checksum matches but whose operations do not parse is not
// a torn write: the store is damaged, and it is said, not started afresh.
func TestReplayRefusesADamagedFrame(t *testing.T) {
	for name, payload := range map[string][]byte{
		"unknown operation": {9},
		"id not positive":   appendPut(nil, rec(0, 1, "x")),
		"fingerprint long":  {opPut, 2, 2, 50, 'x'},
		"nanoseconds":       {opForget, 2, 0xff, 0xff, 0xff, 0xff, 0x0f},
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "store")
			b, start := beginFrame([]byte(Header))
			b = endFrame(append(b, payload...), start)
			require.NoError(t, os.WriteFile(path, b, 0o600))
			_, err := Open(OS{}, path)
			require.ErrorIs(t, err, ErrNotStore)
		})
	}
}

func TestOpenRefusesWhatIsNotAStore(t *testing.T) {
	for name, content := range map[string]string{
		"empty":             "",
		"other text":        "hello",
		"other json format": `{"format":"something-else","records":[]}`,
		"half a header":     Header[:5],
		"torn 0.1.0 file":   `{"format":"coupang-changes/1","records":[[1,2,"f1.`,
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "store")
			require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
			_, err := Open(OS{}, path)
			require.ErrorIs(t, err, ErrNotStore)
		})
	}
}

// legacyFile01 is a file as version 0.1.0 wrote it (and as later 0.1.x
// wrote it, with lastPass).
const legacyFile01 = `{"format":"coupang-changes/1","lastPass":1700000000,"records":[[5,1690000000,"f1.five"],
[7,1690000100,"f1.seven"]]}
`

// A file of version 0.1.0 opens as it is, and its first write rewrites it
// as a journal holding everything it held.
func TestLegacyFileMigratesAtTheFirstWrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "store")
	require.NoError(t, os.WriteFile(path, []byte(legacyFile01), 0o600))
	j, err := Open(OS{}, path)
	require.NoError(t, err)
	want := model{LastPass: 1700000000, Records: map[int64]Record{
		5: rec(5, 1690000000, "f1.five"),
		7: rec(7, 1690000100, "f1.seven"),
	}}
	require.Equal(t, want, stateOf(j))

	require.NoError(t, j.Commit([]Record{rec(8, 1690000200, "f1.eight")}, time.Time{}))
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.True(t, bytes.HasPrefix(b, []byte(Header)), "migrated")
	want.Records[8] = rec(8, 1690000200, "f1.eight")
	assert.Equal(t, want, reopen(t, path))
}

// scenario is a write a crash interrupts: setup prepares the file, op
// writes, visible names the operation after which the write is in the
// file for a process that opens it next ("write" for an append, "rename"
// for a compaction).
type scenario struct {
	setup   func(t *testing.T, path string)
	op      func(j *Journal) error
	visible string
}

func commitOne(j *Journal) error {
	return j.Commit([]Record{rec(42, 4200, "new")}, time.Time{})
}

func crashScenarios() map[string]scenario {
	some := func(t *testing.T, path string) {
		j, err := Open(OS{}, path)
		require.NoError(t, err)
		require.NoError(t, j.Commit([]Record{rec(1, 100, "a"), rec(2, 200, "b")}, time.Time{}))
		require.NoError(t, j.Mark(150))
	}
	// deadHeavy leaves a journal one commit short of compaction: its dead
	// bytes (replaced records) about equal its live ones.
	deadHeavy := func(t *testing.T, path string) {
		j, err := Open(OS{}, path)
		require.NoError(t, err)
		fp := strings.Repeat("x", 1000)
		require.NoError(t, j.Commit([]Record{rec(1, 100, fp), rec(2, 200, "b")}, time.Time{}))
		for !j.needsCompaction(1100) {
			require.NoError(t, j.Commit([]Record{rec(1, 100, fp)}, time.Time{}))
		}
	}
	return map[string]scenario{
		"append a commit": {setup: some, op: commitOne, visible: "write"},
		"append a mark":   {setup: some, op: func(j *Journal) error { return j.Mark(999) }, visible: "write"},
		"append a forget": {setup: some, op: func(j *Journal) error { return j.Commit(nil, time.Unix(150, 0)) }, visible: "write"},
		"compaction": {setup: deadHeavy, op: func(j *Journal) error {
			return j.Commit([]Record{rec(1, 100, strings.Repeat("y", 1000))}, time.Time{})
		}, visible: "rename"},
		"compaction by a forget":       {setup: deadHeavy, op: func(j *Journal) error { return j.Commit(nil, time.Unix(150, 0)) }, visible: "rename"},
		"first write creates the file": {setup: func(*testing.T, string) {}, op: commitOne, visible: "rename"},
		"migration of a 0.1.0 file": {setup: func(t *testing.T, path string) {
			require.NoError(t, os.WriteFile(path, []byte(legacyFile01), 0o600))
		}, op: commitOne, visible: "rename"},
		"write after a torn tail compacts": {setup: func(t *testing.T, path string) {
			some(t, path)
			f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
			require.NoError(t, err)
			_, err = f.Write([]byte{7, 0, 0})
			require.NoError(t, errors2(err, f.Close()))
		}, op: commitOne, visible: "rename"},
	}
}

func errors2(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// A crash at any step of a write (the process killed: what it wrote is in
// the file, what it did not write is not; the write at the crash is cut in
// half) leaves the state before the write or after it, never another: the
// state before up to the step that makes the write visible (the append's
// write, the compaction's rename), the state after from then on. A
// compaction's temporary file (written, synced, but not renamed: also what
// a power cut between the rename and the directory's sync leaves) is never
// read, and the next write removes it. The journal that saw its write fail
// reads the file again before its next write.
func TestCrashAtEveryStepOfAWrite(t *testing.T) {
	for name, sc := range crashScenarios() {
		t.Run(name, func(t *testing.T) {
			// A run without a crash counts the steps and gives the state after.
			path := filepath.Join(t.TempDir(), "store")
			sc.setup(t, path)
			before := reopen(t, path)
			j, err := Open(OS{}, path)
			require.NoError(t, err)
			clean := &crashFS{crashAt: -1}
			j.fs = clean
			require.NoError(t, sc.op(j))
			after := reopen(t, path)
			require.NotEqual(t, before, after)
			visibleAt := -1
			for i, op := range clean.ops {
				if op == sc.visible {
					visibleAt = i
				}
			}
			require.GreaterOrEqual(t, visibleAt, 0, "ops %v", clean.ops)

			for k := range clean.ops {
				t.Run(fmt.Sprintf("crash at %d %s", k, clean.ops[k]), func(t *testing.T) {
					path := filepath.Join(t.TempDir(), "store")
					sc.setup(t, path)
					j, err := Open(OS{}, path)
					require.NoError(t, err)
					j.fs = &crashFS{crashAt: k}
					require.ErrorIs(t, sc.op(j), errCrashed)

					got := reopen(t, path)
					if k > visibleAt {
						require.Equal(t, after, got)
					} else {
						require.Equal(t, before, got)
					}

					// The same journal, the disk working again: one more commit.
					j.fs = OS{}
					require.NoError(t, j.Commit([]Record{rec(77, 7700, "next")}, time.Time{}))
					got.Records[77] = rec(77, 7700, "next")
					assert.Equal(t, got, reopen(t, path))
					assert.Empty(t, temps(t, path), "the next write removes what the crash left")
				})
			}
		})
	}
}

// A commit to a large journal appends what it changed and syncs it: the
// file is not rewritten (same file, grown by one frame).
func TestCommitAppendsWithoutRewriting(t *testing.T) {
	path := filepath.Join(t.TempDir(), "store")
	j, err := Open(OS{}, path)
	require.NoError(t, err)
	var recs []Record
	for i := range int64(2000) {
		recs = append(recs, rec(i+1, 1000+i, strings.Repeat("f", 78)))
	}
	require.NoError(t, j.Commit(recs, time.Time{}))
	first, err := os.Stat(path)
	require.NoError(t, err)

	fs := &crashFS{crashAt: -1}
	j.fs = fs
	require.NoError(t, j.Commit([]Record{rec(5, 1004, strings.Repeat("g", 78))}, time.Time{}))
	assert.Equal(t, []string{"open", "write", "sync", "close"}, fs.ops)
	second, err := os.Stat(path)
	require.NoError(t, err)
	assert.True(t, os.SameFile(first, second), "not replaced")
	assert.Equal(t, first.Size()+frameHead+putSize(rec(5, 1004, strings.Repeat("g", 78))), second.Size())
}

// Dead bytes (replaced and forgotten records) never outgrow the live ones
// by more than minDead for long: the file is compacted, and what it holds
// stays what was committed.
func TestCompactionBoundsTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "store")
	j, err := Open(OS{}, path)
	require.NoError(t, err)
	want := map[int64]Record{}
	compactions := 0
	for round := range int64(300) {
		var batch []Record
		for id := range int64(50) {
			r := rec(id+1, 1000+id, fmt.Sprintf("fp-%d-%d-%s", id, round, strings.Repeat("p", 60)))
			batch = append(batch, r)
			want[r.ID] = r
		}
		before, _ := os.Stat(path)
		require.NoError(t, j.Commit(batch, time.Time{}))
		after, err := os.Stat(path)
		require.NoError(t, err)
		if before != nil && !os.SameFile(before, after) {
			compactions++
		}
		live := int64(len(Header)) + j.st.live
		require.LessOrEqual(t, after.Size(), 2*max(live, minDead)+int64(len(batch))*100, "round %d", round)
	}
	assert.Positive(t, compactions)
	assert.Equal(t, model{Records: want}, reopen(t, path))
}

// Replay defers forgets to its end; random puts, forgets (of times going
// back and forth, some dropping records put again after an earlier
// forget) and marks replay to the state the live journal built, one
// operation at a time, across compactions.
func TestReplayEqualsTheLiveState(t *testing.T) {
	for seed := range uint64(5) {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 1))
			path := filepath.Join(t.TempDir(), "store")
			j, err := Open(OS{}, path)
			require.NoError(t, err)
			for step := range 300 {
				var recs []Record
				for range rng.IntN(30) {
					recs = append(recs, rec(1+rng.Int64N(200), rng.Int64N(1000), strings.Repeat("f", rng.IntN(300))))
				}
				var forget time.Time
				if rng.IntN(3) == 0 {
					forget = time.Unix(rng.Int64N(1000), int64(rng.IntN(2))*5e8)
				}
				if rng.IntN(10) == 0 {
					require.NoError(t, j.Mark(rng.Int64N(1e6)))
				}
				require.NoError(t, j.Commit(recs, forget))
				require.Equal(t, stateOf(j), reopen(t, path), "step %d", step)
				if rng.IntN(20) == 0 {
					j, err = Open(OS{}, path)
					require.NoError(t, err)
				}
			}
		})
	}
}

// After a failed write the journal reads the file again before its next
// write; if that read fails too, it stays unwritable until a read works:
// it never writes a state the file did not give it (an empty one, which
// would drop every record).
func TestFailedRereadNeverWritesAnEmptyState(t *testing.T) {
	path := filepath.Join(t.TempDir(), "store")
	j, err := Open(OS{}, path)
	require.NoError(t, err)
	require.NoError(t, j.Commit([]Record{rec(1, 100, "a"), rec(2, 200, "b")}, time.Time{}))

	j.fs = &crashFS{crashAt: 0}
	require.ErrorIs(t, j.Commit([]Record{rec(3, 300, "c")}, time.Time{}), errCrashed, "the write fails")
	j.fs = &crashFS{crashAt: 0}
	require.ErrorIs(t, j.Commit([]Record{rec(4, 400, "d")}, time.Time{}), errCrashed, "the read again fails")
	j.fs = OS{}
	require.NoError(t, j.Commit([]Record{rec(5, 500, "e")}, time.Time{}))
	assert.Equal(t, model{Records: map[int64]Record{
		1: rec(1, 100, "a"), 2: rec(2, 200, "b"), 5: rec(5, 500, "e"),
	}}, reopen(t, path))
}

// Every record fits in a frame: a fingerprint longer than MaxFingerprint is
// refused before anything is written, and a compaction splits the records
// into frames of about snapshotChunk bytes, which replay reads back whole.
func TestLargeRecordsFitInFrames(t *testing.T) {
	path := filepath.Join(t.TempDir(), "store")
	j, err := Open(OS{}, path)
	require.NoError(t, err)
	require.Error(t, j.Commit([]Record{rec(1, 1, strings.Repeat("x", MaxFingerprint+1))}, time.Time{}))
	_, err = os.Stat(path)
	require.ErrorIs(t, err, os.ErrNotExist, "nothing written")

	var recs []Record
	for id := range int64(10) {
		recs = append(recs, rec(id+1, id, strings.Repeat(fmt.Sprint(id), snapshotChunk/3)))
	}
	require.NoError(t, j.Commit(recs, time.Time{})) // the first write: a compaction
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	frames := 0
	for off := len(Header); off < len(b); frames++ {
		_, n, ok := nextFrame(b[off:])
		require.True(t, ok)
		off += n
	}
	assert.Equal(t, 4, frames, "three records a frame, about snapshotChunk bytes")
	assert.Equal(t, stateOf(j), reopen(t, path))
}
