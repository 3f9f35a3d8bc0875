package journal

import (
	"os"
	"path/filepath"
)

// FS is what a Journal does to the file system, so that tests can stop it
// at any step as a crash would. OS is the real one.
type FS interface {
	// ReadFile reads a whole file, as os.ReadFile.
	ReadFile(name string) ([]byte, error)
	// OpenFile opens a file, as os.OpenFile.
	OpenFile(name string, flag int, perm os.FileMode) (File, error)
	// CreateTemp creates a new file, as os.CreateTemp.
	CreateTemp(dir, pattern string) (File, error)
	// Rename renames a file, as os.Rename (atomic within a directory).
	Rename(oldpath, newpath string) error
	// Remove removes a file, as os.Remove.
	Remove(name string) error
	// Glob lists files, as filepath.Glob.
	Glob(pattern string) ([]string, error)
	// SyncDir makes the renames in dir durable.
	SyncDir(dir string) error
}

// File is an open file of an FS.
type File interface {
	Name() string
	Write(b []byte) (int, error)
	WriteAt(b []byte, off int64) (int, error)
	Sync() error
	Close() error
}

// OS is the operating system's file system.
type OS struct{}

// ReadFile is os.ReadFile.
func (OS) ReadFile(name string) ([]byte, error) { return os.ReadFile(name) }

// OpenFile is os.OpenFile.
func (OS) OpenFile(name string, flag int, perm os.FileMode) (File, error) {
	f, err := os.OpenFile(name, flag, perm)
	if err != nil {
		return nil, err // not a typed nil in the interface
	}
	return f, nil
}

// CreateTemp is os.CreateTemp.
func (OS) CreateTemp(dir, pattern string) (File, error) {
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// Rename is os.Rename.
func (OS) Rename(oldpath, newpath string) error { return os.Rename(oldpath, newpath) }

// Remove is os.Remove.
func (OS) Remove(name string) error { return os.Remove(name) }

// Glob is filepath.Glob.
func (OS) Glob(pattern string) ([]string, error) { return filepath.Glob(pattern) }

// SyncDir syncs the directory, where the system allows it.
func (OS) SyncDir(dir string) error { return syncDir(dir) }
