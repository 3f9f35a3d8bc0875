package coupangtest_test

import (
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang/coupangtest"
)

// liveHeap is the heap in use after a collection.
func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// TestUnauthenticatedBodiesNotKept: anyone who reaches the port can send
// 1 MiB bodies without keys; the server must not keep them.
func TestUnauthenticatedBodiesNotKept(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	big := strings.Repeat("x", 1<<20-1)
	const n = 64
	before := liveHeap()
	for range n {
		resp := rawDo(t, srv, http.MethodPost, basePath, big, "CEA nonsense")
		require.Equal(t, http.StatusUnauthorized, resp.status)
	}
	after := liveHeap()
	calls := srv.Calls()
	require.Len(t, calls, n, "the calls themselves are recorded")
	for _, c := range calls {
		assert.Equal(t, http.MethodPost, c.Method)
		assert.Empty(t, c.Body)
	}
	// 64 MiB were sent (and kept, before); the margin is for the
	// connections' buffers and the collector's timing.
	assert.Less(t, int64(after)-int64(before), int64(8<<20), "heap kept after %d unauthenticated 1 MiB bodies", n)
}

// TestRecordedBodiesBounded: authenticated bodies are kept, the last
// MaxRecordedBodies of them.
func TestRecordedBodiesBounded(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	const extra = 20
	for i := range coupangtest.MaxRecordedBodies + extra {
		rawDo(t, srv, http.MethodPost, basePath, fmt.Sprintf(`{"n":%d}`, i))
	}
	calls := srv.Calls()
	require.Len(t, calls, coupangtest.MaxRecordedBodies+extra)
	for i, c := range calls {
		if i < extra {
			assert.Empty(t, c.Body, "call %d: older than the last MaxRecordedBodies", i)
		} else {
			assert.Equal(t, fmt.Sprintf(`{"n":%d}`, i), c.Body, "call %d", i)
		}
	}
}
