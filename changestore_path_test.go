package coupang_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
)

// A store reached through a symbolic link writes the link's target: a
// commit that renamed over the link would replace it by a regular file and
// leave the target (what other processes read) untouched.
func TestFileChangeStoreWritesTheTargetOfALink(t *testing.T) {
	for name, targetExists := range map[string]bool{"existing target": true, "dangling link": false} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			target := filepath.Join(dir, "data", "changes.json")
			require.NoError(t, os.Mkdir(filepath.Dir(target), 0o700))
			sb := newSyncSandbox(t, 2)
			if targetExists {
				real, err := coupang.NewFileChangeStore(target)
				require.NoError(t, err)
				require.Len(t, sb.pass(t, real, coupang.ChangeOptions{}), 2)
				sb.add(time.Hour, nil)
			}
			link := filepath.Join(dir, "changes.json")
			require.NoError(t, os.Symlink(filepath.Join("data", "changes.json"), link)) // relative, as people write them

			store, err := coupang.NewFileChangeStore(link)
			require.NoError(t, err)
			require.NotEmpty(t, sb.pass(t, store, coupang.ChangeOptions{}))

			fi, err := os.Lstat(link)
			require.NoError(t, err)
			assert.Equal(t, os.ModeSymlink, fi.Mode()&os.ModeSymlink, "the link stays a link")
			reopened, err := coupang.NewFileChangeStore(target)
			require.NoError(t, err)
			assert.Empty(t, sb.pass(t, reopened, coupang.ChangeOptions{}), "the target holds what the pass through the link recorded")
			left, err := filepath.Glob(filepath.Join(dir, "changes.json*"))
			require.NoError(t, err)
			assert.Equal(t, []string{link}, left, "no lock or temporary file next to the link")
		})
	}
}

// Every name of one file is one store: a pass through one name excludes a
// pass through another, as two passes through one name exclude each other.
func TestFileChangeStoreNamesOfOneFileExcludeEachOther(t *testing.T) {
	for name, other := range map[string]string{
		"link to the file":                 "elsewhere/file-link.json",
		"link to its directory":            "elsewhere/dir-link/changes.json",
		"dot-dot after a linked directory": "elsewhere/sub-link/../changes.json", // the kernel's data/changes.json
		"relative path":                    "data/changes.json",
		"dot-dot through a directory":      "./data/sub/../changes.json",
	} {
		t.Run(name, func(t *testing.T) {
			// dir/data/changes.json is the file; dir/elsewhere holds links to it.
			dir := t.TempDir()
			data := filepath.Join(dir, "data")
			require.NoError(t, os.MkdirAll(filepath.Join(data, "sub"), 0o700))
			require.NoError(t, os.Mkdir(filepath.Join(dir, "elsewhere"), 0o700))
			file := filepath.Join(data, "changes.json")
			require.NoError(t, os.Symlink(file, filepath.Join(dir, "elsewhere", "file-link.json")))
			require.NoError(t, os.Symlink(data, filepath.Join(dir, "elsewhere", "dir-link")))
			require.NoError(t, os.Symlink(filepath.Join(data, "sub"), filepath.Join(dir, "elsewhere", "sub-link")))
			t.Chdir(dir)

			first, err := coupang.NewFileChangeStore(file)
			require.NoError(t, err)
			second, err := coupang.NewFileChangeStore(other)
			require.NoError(t, err)

			pass, err := first.BeginPass(context.Background())
			require.NoError(t, err)
			_, err = second.BeginPass(context.Background())
			require.ErrorIs(t, err, coupang.ErrPassInProgress)
			require.NoError(t, pass.Close())

			// And the other way round, with a commit seen through both names.
			pass, err = second.BeginPass(context.Background())
			require.NoError(t, err)
			_, err = first.BeginPass(context.Background())
			require.ErrorIs(t, err, coupang.ErrPassInProgress)
			require.NoError(t, pass.Commit(context.Background(), []coupang.ChangeRecord{{ExchangeID: 7, CreatedAt: time.Now(), Fingerprint: "f"}}, time.Time{}))
			require.NoError(t, pass.Close())
			pass, err = first.BeginPass(context.Background())
			require.NoError(t, err)
			_, found, err := pass.Lookup(context.Background(), 7)
			require.NoError(t, err)
			assert.True(t, found, "one file")
			require.NoError(t, pass.Close())
		})
	}
}

// A directory the store cannot write to is refused at once: accepted, every
// pass would yield everything and fail only at its end.
func TestNewFileChangeStoreRefusesAnUnwritableDirectory(t *testing.T) {
	t.Run("read-only file system", func(t *testing.T) {
		// Nobody, root included, can create a file in /proc.
		if runtime.GOOS != "linux" {
			t.Skip("needs Linux's /proc, where nobody can create a file")
		}
		path := "/proc/coupang-changes.json"
		_, err := coupang.NewFileChangeStore(path)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "not writable")
		assert.Contains(t, err.Error(), path)
	})
	t.Run("mode without write permission", func(t *testing.T) {
		if os.Geteuid() == 0 {
			t.Skip("root writes whatever the mode says; the read-only file system case covers root")
		}
		dir := filepath.Join(t.TempDir(), "ro")
		require.NoError(t, os.Mkdir(dir, 0o500))
		t.Cleanup(func() { _ = os.Chmod(dir, 0o700) })
		_, err := coupang.NewFileChangeStore(filepath.Join(dir, "changes.json"))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "not writable")
	})
}
