package coupang_test

// A coupangtest sandbox in a process of its own, for the benchmarks that
// measure the client's heap: in the same process the sandbox's own garbage
// (it encodes every page it serves) would be counted as the client's. The
// test binary is the sandbox's binary: run with COUPANG_SANDBOX_PROCESS set,
// TestMain serves instead of running tests.

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

// sandboxProcessEnv carries the sandbox's settings to the child process:
// "exchanges returns latency", e.g. "20000 0 20ms".
const sandboxProcessEnv = "COUPANG_SANDBOX_PROCESS"

func TestMain(m *testing.M) {
	if spec := os.Getenv(sandboxProcessEnv); spec != "" {
		os.Exit(serveSandboxProcess(spec))
	}
	os.Exit(m.Run())
}

// serveSandboxProcess is the child: it starts the sandbox, writes its URL
// and the number of non-cancellation returns it holds on one line of
// stdout, and serves until stdin closes (the parent ended or closed it).
func serveSandboxProcess(spec string) int {
	var exchanges, returns int
	var latency time.Duration
	if _, err := fmt.Sscanf(spec, "%d %d %v", &exchanges, &returns, &latency); err != nil {
		fmt.Fprintln(os.Stderr, "sandbox process:", err)
		return 2
	}
	srv := coupangtest.NewServer(coupangtest.WithExchanges(exchanges), coupangtest.WithReturns(returns))
	defer srv.Close()
	srv.SetLatency(latency)
	want := 0
	for _, r := range srv.Returns() {
		if r.ReceiptType != coupang.ReturnReceiptTypeCancel {
			want++
		}
	}
	fmt.Printf("%s %d\n", srv.URL, want)
	_, _ = io.Copy(io.Discard, os.Stdin)
	return 0
}

// sandboxProcess is a sandbox served by a child process.
type sandboxProcess struct {
	URL string
	// Returns is how many return requests All lists from it (cancellations
	// at payment-complete are not swept).
	Returns int
}

// startSandboxProcess starts a sandbox with the given exchanges and returns
// in a child process, every answer after latency; it stops at tb's cleanup.
func startSandboxProcess(tb testing.TB, exchanges, returns int, latency time.Duration) sandboxProcess {
	tb.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%d %d %s", sandboxProcessEnv, exchanges, returns, latency))
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		tb.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		_ = stdin.Close()
		_ = cmd.Wait()
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		tb.Fatalf("sandbox process: %v", err)
	}
	var p sandboxProcess
	if _, err := fmt.Sscanf(strings.TrimSpace(line), "%s %d", &p.URL, &p.Returns); err != nil {
		tb.Fatalf("sandbox process said %q: %v", line, err)
	}
	return p
}

// client is a client of the sandbox process, unpaced unless opts say so.
func (p sandboxProcess) client(tb testing.TB, opts ...coupang.Option) *coupang.Client {
	tb.Helper()
	all := append([]coupang.Option{coupang.WithBaseURL(p.URL), coupang.WithRateLimit(0)}, opts...)
	c, err := coupang.NewClient(coupangtest.DefaultAccessKey, coupangtest.DefaultSecretKey, coupangtest.DefaultVendorID, all...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = c.Close() })
	return c
}
