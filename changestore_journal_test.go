package coupang_test

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
)

// journalHeader begins a file store written since the journal (version 2).
const journalHeader = "coupang-changes/2\n"

func kindPass(t *testing.T, s coupang.ChangeStore, kind coupang.ClaimKind) coupang.ChangeKindPass {
	t.Helper()
	ks, ok := s.(coupang.ChangeKindStore)
	require.True(t, ok)
	p, err := ks.BeginKindPass(context.Background(), kind)
	require.NoError(t, err)
	return p
}

// storeContents is everything a pass can read of one kind.
type storeContents struct {
	Records  []coupang.ChangeRecord
	LastPass time.Time
}

func contentsOf(t *testing.T, p coupang.ChangeKindPass) storeContents {
	t.Helper()
	ctx := context.Background()
	recs, err := p.Records(ctx, time.Unix(0, 0), time.Unix(1<<40, 0))
	require.NoError(t, err)
	slices.SortFunc(recs, func(a, b coupang.ChangeRecord) int { return cmp.Compare(a.ExchangeID, b.ExchangeID) })
	for i := range recs {
		recs[i].CreatedAt = recs[i].CreatedAt.UTC()
		got, found, err := p.Lookup(ctx, recs[i].ExchangeID)
		require.NoError(t, err)
		require.True(t, found)
		require.Equal(t, recs[i].Fingerprint, got.Fingerprint)
	}
	last, err := p.LastPass(ctx)
	require.NoError(t, err)
	return storeContents{Records: recs, LastPass: last.UTC()}
}

// A store written by version 0.1.0 (one JSON object, rewritten whole at
// every commit) opens as it is, every kind of it, and its first commit
// rewrites it as a journal that holds everything it held.
func TestFileChangeStoreOpensAndMigratesA010File(t *testing.T) {
	path := filepath.Join(t.TempDir(), "changes.json")
	old, err := coupang.NewBaselineFileChangeStore(path)
	require.NoError(t, err)
	created := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	want := map[coupang.ClaimKind]storeContents{}
	for i, kind := range []coupang.ClaimKind{coupang.ClaimExchanges, coupang.ClaimReturns} {
		p := kindPass(t, old, kind)
		var recs []coupang.ChangeRecord
		for id := range int64(50) {
			recs = append(recs, coupang.ChangeRecord{ExchangeID: id + 1 + int64(i)*1000, CreatedAt: created.Add(time.Duration(id) * time.Minute), Fingerprint: fmt.Sprintf("f1.%d.%s", id, kind)})
		}
		require.NoError(t, p.Commit(context.Background(), recs, time.Time{}))
		require.NoError(t, p.MarkPass(context.Background(), created.Add(time.Duration(i+2)*time.Hour)))
		want[kind] = contentsOf(t, p)
		require.NoError(t, p.Close())
	}
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.True(t, bytes.HasPrefix(b, []byte(`{"format":"coupang-changes/1"`)), "the baseline writes 0.1.0's format")

	store, err := coupang.NewFileChangeStore(path)
	require.NoError(t, err)
	for kind, w := range want {
		p := kindPass(t, store, kind)
		assert.Equal(t, w, contentsOf(t, p), "%s, as 0.1.0 wrote it", kind)
		added := coupang.ChangeRecord{ExchangeID: 999_999, CreatedAt: created, Fingerprint: "f1.added"}
		require.NoError(t, p.Commit(context.Background(), []coupang.ChangeRecord{added}, time.Time{}))
		require.NoError(t, p.Close())
		w.Records = append(w.Records, added)
		want[kind] = w

		file := path
		if kind != coupang.ClaimExchanges {
			file += "." + string(kind)
		}
		b, err := os.ReadFile(file)
		require.NoError(t, err)
		assert.True(t, bytes.HasPrefix(b, []byte(journalHeader)), "%s migrated at its first commit", kind)
	}
	reopened, err := coupang.NewFileChangeStore(path)
	require.NoError(t, err)
	for kind, w := range want {
		p := kindPass(t, reopened, kind)
		assert.Equal(t, w, contentsOf(t, p), "%s after the migration", kind)
		require.NoError(t, p.Close())
	}
}

// A commit of one record to a store of thousands appends that record: the
// file is neither replaced nor rewritten (0.1.0 rewrote it whole, with two
// syncs, at every commit: quadratic over a first pass).
func TestFileChangeStoreCommitWritesWhatChanged(t *testing.T) {
	path := filepath.Join(t.TempDir(), "changes.json")
	store, err := coupang.NewFileChangeStore(path)
	require.NoError(t, err)
	p := kindPass(t, store, coupang.ClaimExchanges)
	defer p.Close()
	created := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	var recs []coupang.ChangeRecord
	for id := range int64(5000) {
		recs = append(recs, coupang.ChangeRecord{ExchangeID: id + 1, CreatedAt: created, Fingerprint: fmt.Sprintf("f1.%078d", id)})
	}
	require.NoError(t, p.Commit(context.Background(), recs, time.Time{}))
	before, err := os.Stat(path)
	require.NoError(t, err)

	changed := coupang.ChangeRecord{ExchangeID: 17, CreatedAt: created, Fingerprint: fmt.Sprintf("f1.%078d", 1_000_017)}
	require.NoError(t, p.Commit(context.Background(), []coupang.ChangeRecord{changed}, time.Time{}))
	after, err := os.Stat(path)
	require.NoError(t, err)
	assert.True(t, os.SameFile(before, after), "the file is not replaced")
	assert.Less(t, after.Size()-before.Size(), int64(200), "one record's worth appended")
	assert.Greater(t, after.Size(), before.Size())
}

// Random sequences of commits (with and without forgetting), marks and
// reopenings of a file store, over both kinds, read back exactly as a
// memory store given the same sequence. Long enough that the journal is
// compacted several times (replaced records pile up as dead bytes).
func TestFileChangeStoreEqualsMemoryStore(t *testing.T) {
	ctx := context.Background()
	for seed := range uint64(4) {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 23))
			path := filepath.Join(t.TempDir(), "changes.json")
			file, err := coupang.NewFileChangeStore(path)
			require.NoError(t, err)
			mem := coupang.NewMemoryChangeStore()
			base := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
			kinds := []coupang.ClaimKind{coupang.ClaimExchanges, coupang.ClaimReturns}
			var last os.FileInfo // the exchanges' file, to count its compactions
			compactions := 0
			for step := range 300 {
				kind := kinds[rng.IntN(len(kinds))]
				fp, mp := kindPass(t, file, kind), kindPass(t, mem, kind)
				for range 1 + rng.IntN(4) {
					switch op := rng.IntN(10); {
					case op < 7:
						var recs []coupang.ChangeRecord
						for range rng.IntN(120) {
							recs = append(recs, coupang.ChangeRecord{
								ExchangeID:  1 + rng.Int64N(400),
								CreatedAt:   base.Add(time.Duration(rng.IntN(1000)) * time.Minute),
								Fingerprint: fmt.Sprintf("f1.%d.%s", rng.IntN(5), bytes.Repeat([]byte{'x'}, rng.IntN(90))),
							})
						}
						var forget time.Time
						if rng.IntN(4) == 0 {
							forget = base.Add(time.Duration(rng.IntN(300)) * time.Minute).Add(time.Duration(rng.IntN(2)) * time.Second / 2)
						}
						require.NoError(t, fp.Commit(ctx, recs, forget))
						require.NoError(t, mp.Commit(ctx, recs, forget))
					case op < 9:
						at := base.Add(time.Duration(rng.IntN(100000)) * time.Second)
						require.NoError(t, fp.MarkPass(ctx, at))
						require.NoError(t, mp.MarkPass(ctx, at))
					default:
						id := 1 + rng.Int64N(400)
						fr, ffound, err := fp.Lookup(ctx, id)
						require.NoError(t, err)
						mr, mfound, err := mp.Lookup(ctx, id)
						require.NoError(t, err)
						require.Equal(t, mfound, ffound)
						require.Equal(t, mr.Fingerprint, fr.Fingerprint)
						require.True(t, mr.CreatedAt.Equal(fr.CreatedAt))
					}
				}
				require.Equal(t, contentsOf(t, mp), contentsOf(t, fp), "step %d, in the pass", step)
				require.NoError(t, fp.Close())
				require.NoError(t, mp.Close())
				if rng.IntN(5) == 0 {
					file, err = coupang.NewFileChangeStore(path) // another process, or a restart
					require.NoError(t, err)
				}
				// Read through a fresh handle: what is on disk.
				fresh, err := coupang.NewFileChangeStore(path)
				require.NoError(t, err)
				fp, mp = kindPass(t, fresh, kind), kindPass(t, mem, kind)
				require.Equal(t, contentsOf(t, mp), contentsOf(t, fp), "step %d, from the file", step)
				require.NoError(t, fp.Close())
				require.NoError(t, mp.Close())
				if fi, err := os.Stat(path); err == nil {
					if last != nil && !os.SameFile(last, fi) {
						compactions++
					}
					last = fi
				}
			}
			assert.GreaterOrEqual(t, compactions, 2, "the sequence compacted the journal")
		})
	}
}

// A hard link is another store (its own lock): a commit through one name
// never writes into the file the other name shows, as with 0.1.0, which
// replaced the file at every commit.
func TestFileChangeStoreHardLinkIsAnotherStore(t *testing.T) {
	dir := t.TempDir()
	path, other := filepath.Join(dir, "changes.json"), filepath.Join(dir, "copy.json")
	created := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	commit := func(s coupang.ChangeStore, id int64) {
		p := kindPass(t, s, coupang.ClaimExchanges)
		require.NoError(t, p.Commit(context.Background(), []coupang.ChangeRecord{{ExchangeID: id, CreatedAt: created, Fingerprint: "f1.x"}}, time.Time{}))
		require.NoError(t, p.Close())
	}
	store, err := coupang.NewFileChangeStore(path)
	require.NoError(t, err)
	commit(store, 1)
	require.NoError(t, os.Link(path, other))
	linked, err := coupang.NewFileChangeStore(other)
	require.NoError(t, err)
	commit(linked, 2)
	commit(store, 3)

	for name, want := range map[string][]int64{path: {1, 3}, other: {1, 2}} {
		s, err := coupang.NewFileChangeStore(name)
		require.NoError(t, err)
		p := kindPass(t, s, coupang.ClaimExchanges)
		var ids []int64
		for _, r := range contentsOf(t, p).Records {
			ids = append(ids, r.ExchangeID)
		}
		require.NoError(t, p.Close())
		assert.Equal(t, want, ids, name)
	}
}
