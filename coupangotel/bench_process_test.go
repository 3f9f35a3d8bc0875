package coupangotel_test

// The benchmarks' server in a process of its own: BenchmarkListTelemetryOverhead
// judges a CPU budget on getrusage, which counts the whole process, and
// BenchmarkList reports allocations, which the runtime counts for the whole
// process; a server in the same process would add its work to both clients'
// figures and bring their ratio towards 1. The test binary is the server's
// binary: run with COUPANG_BENCH_SERVER set, TestMain serves instead of
// running tests.

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
	"github.com/go-coupang/coupang/internal/childproc"
)

// benchServerEnv tells the test binary to serve benchPage instead of
// running tests.
const benchServerEnv = "COUPANG_BENCH_SERVER"

func TestMain(m *testing.M) {
	if os.Getenv(benchServerEnv) != "" {
		os.Exit(serveBenchPage(os.Stdin, os.Stdout))
	}
	os.Exit(m.Run())
}

// serveBenchPage is the child: it serves benchPage on a loopback port,
// writes the URL on one line of out and serves until in closes.
func serveBenchPage(in io.Reader, out io.Writer) int {
	page, err := benchPage()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench server:", err)
		return 2
	}
	length := strconv.Itoa(len(page))
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		w.Header().Set("Content-Length", length)
		_, _ = w.Write(page)
	}))
	defer ts.Close()
	fmt.Fprintln(out, ts.URL)
	_, _ = io.Copy(io.Discard, in)
	return 0
}

// benchPage is a list answer of 50 of the sandbox's exchanges, as the
// sandbox encodes them (quirks included), served by a static server so that
// the benchmark measures the client, not the sandbox.
func benchPage() ([]byte, error) {
	srv := coupangtest.NewServer(coupangtest.WithExchanges(60))
	defer srv.Close()
	body := []byte(`{"code":"200","message":"OK","nextToken":"","data":[`)
	for i, ex := range srv.Exchanges()[:50] {
		rec, err := coupang.MarshalExchange(ex)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			body = append(body, ',')
		}
		body = append(body, rec...)
	}
	return append(body, "]}"...), nil
}

// startBenchServer starts the test binary again as the server of benchPage,
// killed at b's cleanup, and returns its URL.
func startBenchServer(b *testing.B) string {
	b.Helper()
	url := childproc.Self(b, benchServerEnv+"=1").Ready
	if !strings.HasPrefix(url, "http://") {
		b.Fatalf("bench server said %q", url)
	}
	return url
}
