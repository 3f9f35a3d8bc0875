package coupangredis_test

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-coupang/coupang/internal/childproc"
	"github.com/go-coupang/coupang/internal/heapsample"
	"github.com/go-coupang/coupang/internal/netcount"
)

// The scale benchmark's coupangtest sandbox runs in a process of its own
// (the root module's testdata/scalesandbox), so that its CPU and heap are
// not counted as the client's.

// scaleSandboxBinary builds ../testdata/scalesandbox into b's temporary directory
// (the build cache makes it quick after the first time).
func scaleSandboxBinary(b *testing.B) string {
	b.Helper()
	bin := filepath.Join(b.TempDir(), "scalesandbox")
	cmd := exec.Command("go", "build", "-o", bin, "./testdata/scalesandbox")
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("building the sandbox: %v\n%s", err, out)
	}
	return bin
}

// scaleSandbox is a sandbox served by a child process.
type scaleSandbox struct {
	url  string
	proc *childproc.Process
}

func startScaleSandbox(b *testing.B, bin string, exchanges int) *scaleSandbox {
	b.Helper()
	proc := childproc.Start(b, nil, bin, fmt.Sprintf("-exchanges=%d", exchanges))
	return &scaleSandbox{url: proc.Ready, proc: proc}
}

// stop ends the sandbox process before b's cleanup.
func (sb *scaleSandbox) stop() { sb.proc.Stop() }

// change has the sandbox change 1 % of its exchanges.
func (sb *scaleSandbox) change(b *testing.B) {
	b.Helper()
	if _, err := sb.proc.Command("change"); err != nil {
		b.Fatal(err)
	}
}

// countingDialer dials TCP connections that count the bytes written to
// them into sent.
func countingDialer(sent *atomic.Int64) func(ctx context.Context, network, addr string) (net.Conn, error) {
	d := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}
	return netcount.Dial(d.DialContext, sent)
}

// sampleHeap samples the heap in use every 5 ms until the returned function
// is called, which returns the largest value seen.
func sampleHeap() (stop func() uint64) { return heapsample.Start() }
