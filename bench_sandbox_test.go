package coupang_test

// The scale benchmark's coupangtest sandbox runs in a process of its own
// (testdata/scalesandbox), so that its CPU and heap are not counted as the
// client's; coupangredis's BenchmarkChangeStoreScale uses the same program.

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

// scaleClient is an unpaced client of the sandbox at url whose connections
// count the bytes written to them.
func scaleClient(b *testing.B, url string) (*coupang.Client, *atomic.Int64) {
	b.Helper()
	sent := new(atomic.Int64)
	tr := http.DefaultTransport.(*http.Transport).Clone()
	dial := tr.DialContext
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return countingConn{Conn: conn, sent: sent}, nil
	}
	client, err := coupang.NewClient(coupangtest.DefaultAccessKey, coupangtest.DefaultSecretKey, coupangtest.DefaultVendorID,
		coupang.WithBaseURL(url), coupang.WithRateLimit(0), coupang.WithHTTPClient(&http.Client{Transport: tr}))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = client.Close() })
	return client, sent
}

// countingConn counts the bytes written to a connection.
type countingConn struct {
	net.Conn
	sent *atomic.Int64
}

func (c countingConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.sent.Add(int64(n))
	return n, err
}

// scaleSandboxBinary builds testdata/scalesandbox into b's temporary directory
// (the build cache makes it quick after the first time).
func scaleSandboxBinary(b *testing.B) string {
	b.Helper()
	bin := filepath.Join(b.TempDir(), "scalesandbox")
	cmd := exec.Command("go", "build", "-o", bin, "./testdata/scalesandbox")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("building the sandbox: %v\n%s", err, out)
	}
	return bin
}

// scaleSandbox is a sandbox served by a child process.
type scaleSandbox struct {
	url  string
	in   *bufio.Writer
	out  *bufio.Reader
	stop func()
}

func startScaleSandbox(b *testing.B, bin string, exchanges int) *scaleSandbox {
	b.Helper()
	cmd := exec.Command(bin, fmt.Sprintf("-exchanges=%d", exchanges))
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	var once sync.Once
	sb := &scaleSandbox{in: bufio.NewWriter(stdin), out: bufio.NewReader(stdout)}
	sb.stop = func() { once.Do(func() { _ = stdin.Close(); _ = cmd.Wait() }) }
	b.Cleanup(sb.stop)
	line, err := sb.out.ReadString('\n')
	if err != nil {
		b.Fatalf("sandbox process: %v", err)
	}
	sb.url = strings.TrimSpace(line)
	return sb
}

// change has the sandbox change 1 % of its exchanges.
func (sb *scaleSandbox) change(b *testing.B) {
	b.Helper()
	if _, err := sb.in.WriteString("change\n"); err != nil {
		b.Fatal(err)
	}
	if err := sb.in.Flush(); err != nil {
		b.Fatal(err)
	}
	line, err := sb.out.ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "ok ") {
		b.Fatalf("sandbox change: %q, %v", line, err)
	}
}
