package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang/coupangtest"
)

func TestWatch(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	useServer(t, srv)
	state := filepath.Join(t.TempDir(), "watch.state")

	// Without a state file, what exists at start is the baseline.
	res := runCLI(t, "exchanges", "watch", "--once")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Empty(t, res.stdout)
	assert.Contains(t, res.stderr, "watching 40 exchange requests of the last 30 days; printing changes from now on")

	// With one, the first pass prints everything as new…
	res = runCLI(t, "exchanges", "watch", "--once", "--state", state, "--format", "json")
	require.Equal(t, exitOK, res.code, res.stderr)
	got := lines(res.stdout)
	require.Len(t, got, 40)
	var first changeLine
	require.NoError(t, json.Unmarshal([]byte(got[0]), &first))
	assert.Equal(t, "new", first.Kind)
	assert.NotZero(t, first.ExchangeID)

	// …the next only what changed in between.
	id := pick(t, srv, receipt)
	var idNum int64
	fmt.Sscan(id, &idNum)
	require.True(t, srv.Withdraw(idNum))
	res = runCLI(t, "exchanges", "watch", "--once", "--state", state)
	require.Equal(t, exitOK, res.code, res.stderr)
	got = lines(res.stdout)
	require.Len(t, got, 1)
	assert.Contains(t, got[0], "updated  "+id+"  철회 withdrawn")
	assert.Contains(t, got[0], "changed: Status")

	res = runCLI(t, "exchanges", "watch", "--once", "--state", state)
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Empty(t, res.stdout, "nothing changed since")

	// --all prints the baseline without a state file.
	res = runCLI(t, "exchanges", "watch", "--once", "--all", "--status", "CANCEL")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.NotEmpty(t, lines(res.stdout))
}

func TestWatchStopsOnCtrlC(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	useServer(t, srv)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan result)
	go func() { done <- runCtx(t, ctx, "exchanges", "watch", "--every", "1s") }()
	require.Eventually(t, func() bool { return len(srv.Calls()) > 0 }, 10*time.Second, 5*time.Millisecond)
	cancel()
	res := <-done
	assert.Equal(t, exitOK, res.code, res.stderr)
}
