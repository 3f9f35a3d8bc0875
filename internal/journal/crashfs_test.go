package journal

import (
	"errors"
	"os"
)

// errCrashed is what every operation of a crashFS returns from its crash
// on: the process died there, and nothing after it reaches the disk.
var errCrashed = errors.New("crashed")

// crashFS is the real file system until its crashAt-th operation (counting
// from 0; -1 never), which fails, and every later one with it, as if the
// process died there: a write at that step writes half its bytes first (a
// torn write), and nothing after it (a clean-up of a temporary file
// included) touches the disk.
type crashFS struct {
	crashAt int
	ops     []string // the operations done or attempted, in order
}

func (c *crashFS) step(name string) error {
	c.ops = append(c.ops, name)
	if c.crashAt >= 0 && len(c.ops)-1 >= c.crashAt {
		return errCrashed
	}
	return nil
}

func (c *crashFS) ReadFile(name string) ([]byte, error) {
	if err := c.step("read"); err != nil {
		return nil, err
	}
	return os.ReadFile(name)
}

func (c *crashFS) OpenFile(name string, flag int, perm os.FileMode) (File, error) {
	if err := c.step("open"); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(name, flag, perm)
	if err != nil {
		return nil, err
	}
	return &crashFile{c: c, f: f}, nil
}

func (c *crashFS) CreateTemp(dir, pattern string) (File, error) {
	if err := c.step("create temp"); err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	return &crashFile{c: c, f: f}, nil
}

func (c *crashFS) Rename(oldpath, newpath string) error {
	if err := c.step("rename"); err != nil {
		return err
	}
	return os.Rename(oldpath, newpath)
}

func (c *crashFS) Remove(name string) error {
	if err := c.step("remove"); err != nil {
		return err
	}
	return os.Remove(name)
}

func (c *crashFS) Glob(pattern string) ([]string, error) {
	if err := c.step("glob"); err != nil {
		return nil, err
	}
	return OS{}.Glob(pattern)
}

func (c *crashFS) SyncDir(dir string) error {
	if err := c.step("sync dir"); err != nil {
		return err
	}
	return syncDir(dir)
}

// crashFile is a file of a crashFS. Closing it after the crash still
// closes the descriptor (the kernel would), but is counted as failed.
type crashFile struct {
	c *crashFS
	f *os.File
}

func (f *crashFile) Name() string { return f.f.Name() }

func (f *crashFile) Write(b []byte) (int, error) {
	if err := f.c.step("write"); err != nil {
		if !f.c.crashedBefore() {
			n, _ := f.f.Write(b[:len(b)/2])
			return n, err
		}
		return 0, err
	}
	return f.f.Write(b)
}

func (f *crashFile) WriteAt(b []byte, off int64) (int, error) {
	if err := f.c.step("write"); err != nil {
		if !f.c.crashedBefore() {
			n, _ := f.f.WriteAt(b[:len(b)/2], off)
			return n, err
		}
		return 0, err
	}
	return f.f.WriteAt(b, off)
}

func (f *crashFile) Sync() error {
	if err := f.c.step("sync"); err != nil {
		return err
	}
	return f.f.Sync()
}

func (f *crashFile) Close() error {
	err := f.c.step("close")
	cerr := f.f.Close()
	if err != nil {
		return err
	}
	return cerr
}

// crashedBefore reports whether the crash came before the operation just
// counted (which then does nothing at all).
func (c *crashFS) crashedBefore() bool { return c.crashAt >= 0 && len(c.ops)-1 > c.crashAt }
