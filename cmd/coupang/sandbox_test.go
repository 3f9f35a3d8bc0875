package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

// syncBuffer is a bytes.Buffer safe for a writer and a reader at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startSandbox runs "coupang sandbox" until the test ends and returns the
// variables it printed.
func startSandbox(t *testing.T, args ...string) map[string]string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan int)
	go func() {
		done <- run(ctx, append([]string{"sandbox", "--addr", "127.0.0.1:0"}, args...), &stdout, &stderr)
	}()
	t.Cleanup(func() {
		cancel()
		assert.Equal(t, exitOK, <-done)
		assert.Contains(t, stderr.String(), "sandbox: stopped")
	})
	// The export lines go to stdout before the banner goes to stderr: wait for both.
	require.Eventually(t, func() bool {
		return strings.Count(stdout.String(), "\n") == 4 && strings.Contains(stderr.String(), "sandbox: serving")
	}, 10*time.Second, 5*time.Millisecond)
	vars := map[string]string{}
	for _, l := range lines(stdout.String()) {
		name, value, ok := strings.Cut(strings.TrimPrefix(l, "export "), "=")
		require.True(t, ok, l)
		vars[name] = value
	}
	require.Len(t, vars, 4)
	// stderr is written just after stdout: wait for it rather than race it.
	want := "sandbox: serving 40 invented exchange requests at " + vars[coupang.EnvBaseURL]
	assert.Eventually(t, func() bool { return strings.Contains(stderr.String(), want) }, 10*time.Second, 5*time.Millisecond, stderr.String())
	return vars
}

// The README's sequence, step by step, each step a separate run against
// one sandbox that keeps its state.
func TestSandboxKeepsStateAcrossCalls(t *testing.T) {
	noEnv(t)
	vars := startSandbox(t, "--box-delay", "200ms")
	assert.Equal(t, "coupangtest-access-key", vars[coupang.EnvAccessKey])
	assert.Equal(t, "A00012345", vars[coupang.EnvVendorID])
	assert.True(t, strings.HasPrefix(vars[coupang.EnvBaseURL], "http://127.0.0.1:"))

	for _, mode := range []string{"all four variables", "COUPANG_BASE_URL alone"} {
		t.Run(mode, func(t *testing.T) {
			noEnv(t)
			if mode == "all four variables" {
				for k, v := range vars {
					t.Setenv(k, v)
				}
			} else {
				t.Setenv(coupang.EnvBaseURL, vars[coupang.EnvBaseURL])
			}
			res := runCLI(t, "exchanges", "list", "--status", "RECEIPT", "--days", "32", "--format", "json")
			require.Equal(t, exitOK, res.code, res.stderr)
			require.NotEmpty(t, lines(res.stdout))
			// The first whose returned item can have arrived: confirm
			// refuses the others without --force.
			var first row
			for _, l := range lines(res.stdout) {
				require.NoError(t, jsonUnmarshal(l, &first))
				if first.NextStep == string(coupang.StepConfirmOnArrival) || first.NextStep == string(coupang.StepConfirmReceipt) {
					break
				}
			}
			require.Contains(t, []string{"confirm-on-arrival", "confirm-receipt"}, first.NextStep)
			ids := fmt.Sprint(first.ExchangeID)

			res = runCLI(t, "exchanges", "confirm", "--id", ids)
			require.Equal(t, exitOK, res.code, res.stderr)
			assert.Contains(t, res.stdout, "receipt confirmed")

			res = runCLI(t, "exchanges", "wait-box", "--id", ids)
			require.Equal(t, exitOK, res.code, res.stderr)
			box := strings.TrimSpace(res.stdout)
			assert.Len(t, box, 18)

			res = runCLI(t, "exchanges", "upload-invoice", "--id", ids, "--courier", "HANJIN", "--invoice", "1234567890")
			require.Equal(t, exitOK, res.code, res.stderr)
			assert.Contains(t, res.stdout, "uploaded for box "+box)

			res = runCLI(t, "exchanges", "list", "--status", "PROGRESS", "--days", "32", "--format", "csv")
			require.Equal(t, exitOK, res.code, res.stderr)
			assert.Contains(t, res.stdout, "\n"+ids+",")
		})
	}
}

func TestSandboxPortInUse(t *testing.T) {
	vars := startSandbox(t, "--quiet")
	addr := strings.TrimPrefix(vars[coupang.EnvBaseURL], "http://")
	res := runCLI(t, "sandbox", "--addr", addr)
	assert.Equal(t, exitFail, res.code)
	assert.Contains(t, res.stderr, "is another sandbox running?")
}

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }

// The banner accounts for every receipt --returns seeded: the withdrawn
// ones are not listed, so it names them apart rather than showing a smaller
// number than was asked for.
func TestSandboxBannerCountsWithdrawnReturns(t *testing.T) {
	for _, n := range []int{coupangtest.DefaultReturns, 100} {
		srv := coupangtest.NewTestServer(t, coupangtest.WithReturns(n))
		withdrawn := len(srv.Withdrawals())
		require.Positive(t, withdrawn, "the seed withdraws some receipts")
		want := fmt.Sprintf(", and %d return requests (and %d withdrawn by the customer, in the withdrawal history only);", n-withdrawn, withdrawn)
		assert.Contains(t, sandboxBanner(srv, time.Second), want)
	}
}
