package coupang_test

// Servers in a process of their own, for the benchmarks that measure the
// client's CPU (getrusage counts the whole process) or heap (the heap is
// the whole process's): in the same process a server's work — encoding the
// pages it serves, its garbage, its goroutines — would be counted as the
// client's. The test binary is the server's binary: run with
// COUPANG_SANDBOX_PROCESS set, TestMain serves instead of running tests.
//
// Every benchmark whose figure is CPU or heap starts its server here; the
// tests (and benchmarks that measure only rates or wall time against a
// latency) keep theirs in-process.

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
	"github.com/go-coupang/coupang/internal/childproc"
)

// sandboxProcessEnv carries what the child process serves: its spec (below).
const sandboxProcessEnv = "COUPANG_SANDBOX_PROCESS"

// What a server process serves, the first word of its spec:
//
//	sandbox E R L   a coupangtest sandbox with E exchanges and R returns,
//	                every answer after L (a time.Duration)
//	page exchanges  the exchange benchmarks' page of 50 (AppendBenchPage),
//	                the same bytes to every request (pageHandler)
//	page returns    the return benchmarks' page of 50 (returnBenchPage)
//	paging N        N fixture exchanges, 50 a page (pagingHandler)
const (
	specSandbox = "sandbox"
	specPage    = "page"
	specPaging  = "paging"
)

func TestMain(m *testing.M) {
	if spec := os.Getenv(sandboxProcessEnv); spec != "" {
		os.Exit(serveProcess(spec, os.Stdin, os.Stdout))
	}
	os.Exit(m.Run())
}

// childServer is what a server process serves, with the commands its
// parent may send (see serveProcess).
type childServer struct {
	url   string
	info  string // the rest of the first line
	calls func() int
	// sandbox only
	sandbox *coupangtest.Server
	close   func()
}

// serveProcess is the child: it starts the server spec names, writes its
// URL (and, for a sandbox, the number of non-cancellation returns it holds)
// on one line of out, then answers commands read from in, one a line, with
// one line each:
//
//	calls          "ok N": the requests served so far
//	cpu            "ok N": the CPU time the process has used, in ns
//	               (processCPU: 0 where it is not measured)
//	change         "ok N": withdraw 1 % of the exchanges (every 100th, from
//	               the 51st: a tracked field changed; sandbox only)
//
// and ends when in closes (the parent ended, or closed it).
func serveProcess(spec string, in io.Reader, out io.Writer) int {
	srv, err := startChildServer(spec)
	if err != nil {
		fmt.Fprintln(os.Stderr, "server process:", err)
		return 2
	}
	defer srv.close()
	fmt.Fprintf(out, "%s %s\n", srv.url, srv.info)
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		fmt.Fprintln(out, srv.command(sc.Text()))
	}
	return 0
}

func startChildServer(spec string) (*childServer, error) {
	f := strings.Fields(spec)
	switch {
	case len(f) == 4 && f[0] == specSandbox:
		exchanges, err1 := strconv.Atoi(f[1])
		returns, err2 := strconv.Atoi(f[2])
		latency, err3 := time.ParseDuration(f[3])
		if err1 != nil || err2 != nil || err3 != nil {
			return nil, fmt.Errorf("bad spec %q", spec)
		}
		sb := coupangtest.NewServer(coupangtest.WithExchanges(exchanges), coupangtest.WithReturns(returns))
		sb.SetLatency(latency)
		want := 0
		for _, r := range sb.Returns() {
			if r.ReceiptType != coupang.ReturnReceiptTypeCancel {
				want++
			}
		}
		return &childServer{url: sb.URL, info: strconv.Itoa(want), sandbox: sb,
			calls: func() int { return len(sb.Calls()) }, close: sb.Close}, nil
	case len(f) == 2 && f[0] == specPage:
		var body []byte
		switch f[1] {
		case "exchanges":
			body = coupang.AppendBenchPage(nil, 0, 50, "")
		case "returns":
			body = returnBenchPage(50)
		default:
			return nil, fmt.Errorf("bad spec %q", spec)
		}
		return startChildHTTP(pageHandler(body)), nil
	case len(f) == 2 && f[0] == specPaging:
		n, err := strconv.Atoi(f[1])
		if err != nil {
			return nil, fmt.Errorf("bad spec %q", spec)
		}
		var calls atomic.Int64
		s := startChildHTTP(pagingHandler(n, &calls))
		s.calls = func() int { return int(calls.Load()) }
		return s, nil
	}
	return nil, fmt.Errorf("bad spec %q", spec)
}

// startChildHTTP serves h on a loopback port, counting the requests.
func startChildHTTP(h http.Handler) *childServer {
	var calls atomic.Int64
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		h.ServeHTTP(w, r)
	}))
	return &childServer{url: ts.URL, info: "0", calls: func() int { return int(calls.Load()) }, close: ts.Close}
}

func (s *childServer) command(line string) string {
	f := strings.Fields(line)
	switch {
	case len(f) == 1 && f[0] == "calls":
		return "ok " + strconv.Itoa(s.calls())
	case len(f) == 1 && f[0] == "cpu":
		return "ok " + strconv.FormatInt(processCPU(), 10)
	case len(f) == 1 && f[0] == "change" && s.sandbox != nil:
		n := 0
		for i, ex := range s.sandbox.Exchanges() {
			if i%100 == 50 && s.sandbox.Withdraw(ex.ExchangeID) {
				n++
			}
		}
		return "ok " + strconv.Itoa(n)
	}
	return "error unknown command " + strconv.Quote(line)
}

// serverProcess is a server in a child process: the test binary started
// again with COUPANG_SANDBOX_PROCESS, killed at the test's cleanup.
type serverProcess struct {
	URL  string
	info string
	proc *childproc.Process
}

// startServerProcess starts a server process serving spec (see
// specSandbox, specPage, specPaging) and waits for its URL.
func startServerProcess(tb testing.TB, spec string) *serverProcess {
	tb.Helper()
	proc := childproc.Self(tb, sandboxProcessEnv+"="+spec)
	url, info, ok := strings.Cut(proc.Ready, " ")
	if !ok || !strings.HasPrefix(url, "http://") {
		tb.Fatalf("server process %q said %q", spec, proc.Ready)
	}
	return &serverProcess{URL: url, info: info, proc: proc}
}

// command sends the server process one command and returns its answer
// after "ok" (see serveProcess).
func (p *serverProcess) command(tb testing.TB, cmd string) string {
	tb.Helper()
	rest, err := p.proc.Command(cmd)
	if err != nil {
		tb.Fatal(err)
	}
	return rest
}

// stop ends the process (at once; again is a no-op).
func (p *serverProcess) stop() { p.proc.Stop() }

// calls is how many requests the server process has served.
func (p *serverProcess) calls(tb testing.TB) int {
	tb.Helper()
	n, err := strconv.Atoi(p.command(tb, "calls"))
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

// cpu is the CPU time the server process has used (user and system, in
// ns; 0 where processCPU is not measured).
func (p *serverProcess) cpu(tb testing.TB) int64 {
	tb.Helper()
	n, err := strconv.ParseInt(p.command(tb, "cpu"), 10, 64)
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

// reportServerCPU reports the server process's CPU time per operation
// since start (a value of p.cpu) as server-cpu-ns/op: what cpu-ns/op would
// have counted with the server in the benchmark's process.
func (p *serverProcess) reportServerCPU(b *testing.B, start int64) {
	if end := p.cpu(b); end > start {
		b.ReportMetric(float64(end-start)/float64(b.N), "server-cpu-ns/op")
	}
}

// sandboxProcess is a coupangtest sandbox served by a child process.
type sandboxProcess struct {
	URL string
	// Returns is how many return requests All lists from it (cancellations
	// at payment-complete are not swept).
	Returns int
	proc    *serverProcess
}

// startSandboxProcess starts a sandbox with the given exchanges and returns
// in a child process, every answer after latency; it stops at tb's cleanup.
func startSandboxProcess(tb testing.TB, exchanges, returns int, latency time.Duration) sandboxProcess {
	tb.Helper()
	p := startServerProcess(tb, fmt.Sprintf("%s %d %d %s", specSandbox, exchanges, returns, latency))
	n, err := strconv.Atoi(p.info)
	if err != nil {
		tb.Fatalf("sandbox process said %q: %v", p.info, err)
	}
	return sandboxProcess{URL: p.URL, Returns: n, proc: p}
}

// calls is how many requests the sandbox has served.
func (p sandboxProcess) calls(tb testing.TB) int { return p.proc.calls(tb) }

// change has the sandbox withdraw 1 % of its exchanges.
func (p sandboxProcess) change(tb testing.TB) { p.proc.command(tb, "change") }

// stop ends the sandbox process before tb's cleanup.
func (p sandboxProcess) stop() { p.proc.stop() }

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
