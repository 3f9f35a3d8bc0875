package coupang_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
)

// A store whose directory does not exist can never commit: that must be
// said at once, not at every pass (a watch retried it once a minute forever).
func TestNewFileChangeStoreNeedsItsDirectory(t *testing.T) {
	_, err := coupang.NewFileChangeStore(filepath.Join(t.TempDir(), "missing", "changes.json"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "missing")

	_, err = coupang.NewFileChangeStore(t.TempDir()) // a directory, not a file
	require.Error(t, err)
}
