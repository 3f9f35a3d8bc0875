package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
	"github.com/go-coupang/coupang/examples/internal/clitest"
)

// workerArgsEnv makes the test binary run the example instead of the tests,
// so that a test can kill it like a real process.
const workerArgsEnv = "SYNC_EXAMPLE_WORKER_ARGS"

func TestMain(m *testing.M) {
	if args, ok := os.LookupEnv(workerArgsEnv); ok {
		os.Exit(run(context.Background(), strings.Fields(args), os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

func TestSandboxWhenNoCredentials(t *testing.T) {
	clitest.NoEnv(t)
	state := filepath.Join(t.TempDir(), "state.json")
	res := clitest.Run(t, run, "-state", state, "-passes", "2", "-interval", "10ms")
	require.Equal(t, 0, res.Code, res.Stderr)
	assert.Contains(t, res.Stdout, "\npass 1: 40 changes, 0 receipts confirmed")
	assert.Contains(t, res.Stdout, "\npass 2: 0 changes, 0 receipts confirmed")
	_, err := os.Stat(state)
	require.NoError(t, err)

	// A second run with the same store: the in-process sandbox starts
	// afresh (its timestamps move), but the store is read, not replaced.
	res = clitest.Run(t, run, "-state", state, "-passes", "1")
	require.Equal(t, 0, res.Code, res.Stderr)
	assert.NotContains(t, res.Stdout, "  new ")
}

// A worker that confirms every exchange whose pickup completed, killed
// mid-way with SIGKILL and restarted, confirms each exactly once.
func TestKilledAndRestartedConfirmsEachOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	srv := coupangtest.NewTestServer(t)
	var collected []int64
	for _, ex := range srv.Exchanges() {
		if ex.Status == coupang.ExchangeStatusReceipt {
			id := ex.ExchangeID
			collected = append(collected, id)
			srv.UpdateExchange(id, func(ex *coupang.ExchangeRequest) { ex.CollectStatus = coupang.CollectStatusCompleteCollect })
		}
	}
	require.Len(t, collected, 12)
	srv.SetLatency(40 * time.Millisecond) // slow enough to kill mid-pass
	state := filepath.Join(t.TempDir(), "state.json")
	total := func() int {
		n := 0
		for _, id := range collected {
			n += srv.Confirmations(id)
		}
		return n
	}

	worker := func(args string) (*exec.Cmd, *bytes.Buffer) {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(),
			workerArgsEnv+"=-state "+state+" "+args,
			coupang.EnvAccessKey+"="+srv.AccessKey, coupang.EnvSecretKey+"="+srv.SecretKey,
			coupang.EnvVendorID+"="+srv.VendorID, coupang.EnvBaseURL+"="+srv.URL)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		require.NoError(t, cmd.Start())
		return cmd, &out
	}

	first, out := worker("-interval 10ms")
	require.Eventually(t, func() bool { return total() >= 3 }, 30*time.Second, time.Millisecond)
	require.NoError(t, first.Process.Kill())
	_ = first.Wait()
	killedAt := total()
	require.Less(t, killedAt, len(collected), "killed mid-way:\n%s", out)

	second, out := worker("-interval 10ms -passes 3")
	require.NoError(t, second.Wait(), out.String())
	for _, id := range collected {
		assert.Equal(t, 1, srv.Confirmations(id), "exchange %d", id)
	}
	assert.Contains(t, out.String(), "receipts confirmed", out.String())
	assert.Contains(t, out.String(), "\npass 3: 0 changes", out.String())
}

func TestBadInvocations(t *testing.T) {
	clitest.NoEnv(t)
	for _, tt := range []struct {
		args []string
		msg  string
	}{
		{[]string{"-days", "0"}, "-days 0: want at least 1"},
		{[]string{"-passes", "-1"}, "-interval and -passes must not be negative"},
		{[]string{"now"}, `unexpected argument "now"`},
	} {
		res := clitest.Run(t, run, tt.args...)
		assert.Equal(t, 2, res.Code, tt.args)
		assert.Contains(t, res.Stderr, "sync: "+tt.msg)
	}
}

func TestDamagedStateIsReported(t *testing.T) {
	clitest.NoEnv(t)
	state := filepath.Join(t.TempDir(), "state.json")
	require.NoError(t, os.WriteFile(state, []byte("not a store"), 0o600))
	res := clitest.Run(t, run, "-state", state, "-passes", "1")
	assert.Equal(t, 1, res.Code)
	assert.Contains(t, res.Stderr, "not a change store of this package")
}

// A pass of one change says so in the singular.
func TestPassLine(t *testing.T) {
	assert.Equal(t, "pass 2: 1 change, 1 receipt confirmed, 19ms", passLine(2, 1, 1, 19*time.Millisecond+300*time.Microsecond))
	assert.Equal(t, "pass 1: 40 changes, 0 receipts confirmed, 20ms", passLine(1, 40, 0, 20*time.Millisecond))
}
