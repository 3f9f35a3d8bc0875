package coupang_test

// Benchmarks of the performance budget (see BENCHMARKS.md), each beside the
// standard-library baseline a careful engineer would write by hand, and the
// tests of the request budget: how many calls a listing takes and that
// sequential calls share one connection. No test here asserts wall-clock
// time; speed is only measured.

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-coupang/coupang"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	benchAccessKey = "bench-access-key"
	benchSecretKey = "bench0secret0key0000aa00bb00cc00dd00ee00ff"
	benchVendorID  = "A00012345"
	benchPath      = "/v2/providers/openapi/apis/api/v4/vendors/" + benchVendorID + "/exchangeRequests"
)

// newBenchClient returns an unpaced client of the package talking to ts.
func newBenchClient(tb testing.TB, ts *httptest.Server) *coupang.Client {
	tb.Helper()
	return newBenchClientAt(tb, ts.URL)
}

// newBenchClientAt returns an unpaced client of the package talking to the
// server at url.
func newBenchClientAt(tb testing.TB, url string) *coupang.Client {
	tb.Helper()
	c, err := coupang.NewClient(benchAccessKey, benchSecretKey, benchVendorID,
		coupang.WithBaseURL(url), coupang.WithRateLimit(0), coupang.WithMaxRetries(0))
	require.NoError(tb, err)
	return c
}

// benchListOptions asks for the one 7-day window the fixture fills.
func benchListOptions() coupang.ExchangeListOptions {
	return coupang.ExchangeListOptions{CreatedAtFrom: coupang.BenchWindowFrom, CreatedAtTo: coupang.BenchWindowTo}
}

// pageHandler serves the same response body to every request, with a
// Content-Length, as Coupang's gateway does for a list page. The benchmarks
// serve it from a process of their own (startServerProcess, "page").
func pageHandler(body []byte) http.Handler {
	length := strconv.Itoa(len(body))
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		w.Header().Set("Content-Length", length)
		_, _ = w.Write(body)
	})
}

// pagingHandler serves total fixture exchanges, maxPerPage at a time, with the
// page number as nextToken. It generates each page from the template while
// writing it, so it never holds more than a few kilobytes; BenchmarkAllPeakHeap
// serves it from a process of its own all the same, so that the heap it
// measures is the client's alone. calls counts the requests.
func pagingHandler(total int, calls *atomic.Int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		q := r.URL.Query()
		per, err := strconv.Atoi(q.Get("maxPerPage"))
		if err != nil || per <= 0 {
			per = 10 // Coupang's default
		}
		page := 0
		if tok := q.Get("nextToken"); tok != "" {
			if page, err = strconv.Atoi(tok); err != nil {
				http.Error(w, `{"code":400,"message":"bad nextToken"}`, http.StatusBadRequest)
				return
			}
		}
		start := page * per
		end := min(start+per, total)
		next := ""
		if end < total {
			next = strconv.Itoa(page + 1)
		}
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		buf := make([]byte, 0, 16<<10)
		buf = append(buf, `{"code":200,"message":"OK","data":[`...)
		for i := start; i < end; i++ {
			if i > start {
				buf = append(buf, ',')
			}
			buf = coupang.AppendBenchExchange(buf, i)
			if len(buf) > 8<<10 {
				_, _ = w.Write(buf)
				buf = buf[:0]
			}
		}
		buf = append(buf, `],"nextToken":`...)
		buf = strconv.AppendQuote(buf, next)
		buf = append(buf, '}')
		_, _ = w.Write(buf)
	})
}

// BenchmarkSign signs one list request: the path and query of a list call
// with every parameter set.
func BenchmarkSign(b *testing.B) {
	query := "createdAtFrom=2026-03-01T00%3A00%3A00&createdAtTo=2026-03-08T00%3A00%3A00&maxPerPage=50&nextToken=2&orderId=20000000000001&status=PROGRESS"
	now := time.Date(2026, 3, 5, 12, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		date, sig := coupang.Sign(benchSecretKey, http.MethodGet, benchPath, query, now)
		if len(date) != 14 || len(sig) != 64 {
			b.Fatal(date, sig)
		}
	}
}

// BenchmarkSignBaseline is the same signature computed the way the baseline
// below computes it, for comparison.
func BenchmarkSignBaseline(b *testing.B) {
	query := "createdAtFrom=2026-03-01T00%3A00%3A00&createdAtTo=2026-03-08T00%3A00%3A00&maxPerPage=50&nextToken=2&orderId=20000000000001&status=PROGRESS"
	now := time.Date(2026, 3, 5, 12, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		date, sig := baselineSign(benchSecretKey, http.MethodGet, benchPath, query, now)
		if len(date) != 14 || len(sig) != 64 {
			b.Fatal(date, sig)
		}
	}
}

// BenchmarkDecodePageBaseline decodes the same page as BenchmarkDecodePage
// (bench_internal_test.go) into the baseline's plain structs.
func BenchmarkDecodePageBaseline(b *testing.B) {
	page := coupang.AppendBenchPage(nil, 0, 50, "")
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var env plainEnvelope
		if err := json.NewDecoder(bytes.NewReader(page)).Decode(&env); err != nil {
			b.Fatal(err)
		}
		if env.Code != "200" || len(env.Data) != 50 {
			b.Fatalf("code %s, %d exchanges", env.Code, len(env.Data))
		}
	}
}

// BenchmarkList is Exchanges.List of one page of 50 exchanges, end to end
// against a loopback server in a process of its own (so that cpu-ns/op,
// B/op and allocs/op are the client's alone): query, signing, HTTP,
// decoding.
func BenchmarkList(b *testing.B) {
	page := coupang.AppendBenchPage(nil, 0, 50, "")
	srv := startServerProcess(b, specPage+" exchanges")
	c := newBenchClientAt(b, srv.URL)
	ctx := context.Background()
	opts := benchListOptions()
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	b.ResetTimer()
	cpu, serverCPU := processCPU(), srv.cpu(b)
	defer func() { reportCPU(b, cpu); srv.reportServerCPU(b, serverCPU) }()
	for i := 0; i < b.N; i++ {
		p, err := c.Exchanges.List(ctx, opts)
		if err != nil {
			b.Fatal(err)
		}
		if len(p.Items) != 50 {
			b.Fatalf("%d exchanges", len(p.Items))
		}
	}
}

// BenchmarkListBaseline is the same call, against the same bytes, written by
// hand with only the standard library (baselineLister).
func BenchmarkListBaseline(b *testing.B) {
	page := coupang.AppendBenchPage(nil, 0, 50, "")
	srv := startServerProcess(b, specPage+" exchanges")
	l := newBaselineLister(srv.URL)
	ctx := context.Background()
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	b.ResetTimer()
	cpu, serverCPU := processCPU(), srv.cpu(b)
	defer func() { reportCPU(b, cpu); srv.reportServerCPU(b, serverCPU) }()
	for i := 0; i < b.N; i++ {
		env, err := l.list(ctx, coupang.BenchWindowFrom, coupang.BenchWindowTo, "")
		if err != nil {
			b.Fatal(err)
		}
		if len(env.Data) != 50 {
			b.Fatalf("%d exchanges", len(env.Data))
		}
	}
}

// reportCPU reports the process CPU time (user and system, every goroutine:
// client and garbage collector; the server runs in a process of its own) per operation since start, as
// cpu-ns/op. Unlike ns/op it leaves out time the virtual machine's CPU was
// stolen by its neighbours, so it is the steadier figure on shared machines.
func reportCPU(b *testing.B, start int64) {
	if end := processCPU(); end > start {
		b.ReportMetric(float64(end-start)/float64(b.N), "cpu-ns/op")
	}
}

// BenchmarkListVsBaseline calls List and the baseline alternately, the order
// swapped every iteration, so that both meet the same machine at the same
// moment (neighbours on a shared host, frequency, garbage-collector state),
// and reports each one's wall and CPU time per call and their ratios
// (List ÷ baseline): the figures the CPU budget is judged on. The ratio is
// steadier than one taken between BenchmarkList and BenchmarkListBaseline,
// which run seconds apart in a fixed order. The server runs in a process of
// its own, so that its CPU is in neither side's.
func BenchmarkListVsBaseline(b *testing.B) {
	srv := startServerProcess(b, specPage+" exchanges")
	c := newBenchClientAt(b, srv.URL)
	l := newBaselineLister(srv.URL)
	ctx := context.Background()
	opts := benchListOptions()
	alternate(b,
		func() int {
			p, err := c.Exchanges.List(ctx, opts)
			if err != nil {
				b.Fatal(err)
			}
			return len(p.Items)
		},
		func() int {
			env, err := l.list(ctx, coupang.BenchWindowFrom, coupang.BenchWindowTo, "")
			if err != nil {
				b.Fatal(err)
			}
			return len(env.Data)
		})
}

// BenchmarkDecodePageVsBaseline is BenchmarkListVsBaseline for decoding
// alone: the client's decoding path and the baseline's, alternately, over the
// same bytes.
func BenchmarkDecodePageVsBaseline(b *testing.B) {
	page := coupang.AppendBenchPage(nil, 0, 50, "")
	alternate(b,
		func() int {
			data, err := coupang.DecodeBenchPage(bytes.NewReader(page))
			if err != nil {
				b.Fatal(err)
			}
			return len(data)
		},
		func() int {
			var env plainEnvelope
			if err := json.NewDecoder(bytes.NewReader(page)).Decode(&env); err != nil {
				b.Fatal(err)
			}
			return len(env.Data)
		})
}

// alternate runs sdk and baseline b.N times each, alternately, and reports
// sdk-ns/op, baseline-ns/op, sdk-cpu-ns/op, baseline-cpu-ns/op and the ratios
// time-ratio and cpu-ratio (sdk ÷ baseline). Both must return 50 exchanges.
// ns/op itself is the time of the pair.
func alternate(b *testing.B, sdk, baseline func() int) {
	var wall [2]time.Duration
	var cpu [2]int64
	fns := [2]func() int{sdk, baseline}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for k := 0; k < 2; k++ {
			which := (i + k) % 2
			start, startCPU := time.Now(), processCPU()
			if n := fns[which](); n != 50 {
				b.Fatalf("%d exchanges, want 50", n)
			}
			cpu[which] += processCPU() - startCPU
			wall[which] += time.Since(start)
		}
	}
	n := float64(b.N)
	b.ReportMetric(float64(wall[0])/n, "sdk-ns/op")
	b.ReportMetric(float64(wall[1])/n, "baseline-ns/op")
	b.ReportMetric(float64(wall[0])/float64(wall[1]), "time-ratio")
	if cpu[0] > 0 && cpu[1] > 0 {
		b.ReportMetric(float64(cpu[0])/n, "sdk-cpu-ns/op")
		b.ReportMetric(float64(cpu[1])/n, "baseline-cpu-ns/op")
		b.ReportMetric(float64(cpu[0])/float64(cpu[1]), "cpu-ratio")
	}
}

// baselineLister is the list call as a careful engineer writes it with the
// standard library alone: url.Values for the query, crypto/hmac inline,
// net/http with one reused client, encoding/json straight from the body into
// plain structs (bench_baseline_test.go). It uses nothing from package
// coupang.
type baselineLister struct {
	hc                             *http.Client
	baseURL                        string
	accessKey, secretKey, vendorID string
}

func newBaselineLister(baseURL string) *baselineLister {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	return &baselineLister{
		hc:        &http.Client{Transport: tr, Timeout: 30 * time.Second},
		baseURL:   baseURL,
		accessKey: benchAccessKey,
		secretKey: benchSecretKey,
		vendorID:  benchVendorID,
	}
}

var baselineSeoul = time.FixedZone("Asia/Seoul", 9*60*60)

func baselineSign(secretKey, method, path, rawQuery string, now time.Time) (string, string) {
	signedDate := now.UTC().Format("060102T150405Z")
	mac := hmac.New(sha256.New, []byte(secretKey))
	mac.Write([]byte(signedDate + method + path + rawQuery))
	return signedDate, hex.EncodeToString(mac.Sum(nil))
}

func (l *baselineLister) list(ctx context.Context, from, to time.Time, nextToken string) (*plainEnvelope, error) {
	const layout = "2006-01-02T15:04:05"
	path := "/v2/providers/openapi/apis/api/v4/vendors/" + l.vendorID + "/exchangeRequests"
	q := url.Values{}
	q.Set("createdAtFrom", from.In(baselineSeoul).Format(layout))
	q.Set("createdAtTo", to.In(baselineSeoul).Format(layout))
	q.Set("maxPerPage", "50")
	if nextToken != "" {
		q.Set("nextToken", nextToken)
	}
	rawQuery := q.Encode()
	signedDate, signature := baselineSign(l.secretKey, http.MethodGet, path, rawQuery, time.Now())

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, l.baseURL+path+"?"+rawQuery, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "CEA algorithm=HmacSHA256, access-key="+l.accessKey+
		", signed-date="+signedDate+", signature="+signature)
	req.Header.Set("Content-Type", "application/json;charset=UTF-8")
	req.Header.Set("X-Requested-By", l.vendorID)
	resp, err := l.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
		return nil, fmt.Errorf("list exchanges: HTTP %d: %s", resp.StatusCode, body)
	}
	var env plainEnvelope
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		return nil, fmt.Errorf("list exchanges: decoding: %w", err)
	}
	_, _ = io.Copy(io.Discard, resp.Body) // let the connection be reused
	if env.Code != "200" {
		return nil, fmt.Errorf("list exchanges: code %s: %s", env.Code, env.Message)
	}
	return &env, nil
}

// heapObjects is the runtime metric equal to MemStats.HeapAlloc: bytes of
// live objects plus dead ones not yet swept. Reading it does not stop the
// world, unlike runtime.ReadMemStats.
const heapObjects = "/memory/classes/heap/objects:bytes"

func readHeap(s []metrics.Sample) uint64 {
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// heapSampler records the highest heap seen by a goroutine that samples it
// about every millisecond, and by observe, called at page boundaries.
type heapSampler struct {
	peak atomic.Uint64
	stop chan struct{}
	done sync.WaitGroup
}

func startHeapSampler() *heapSampler {
	h := &heapSampler{stop: make(chan struct{})}
	h.done.Add(1)
	go func() {
		defer h.done.Done()
		s := []metrics.Sample{{Name: heapObjects}}
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			h.observe(readHeap(s))
			select {
			case <-h.stop:
				return
			case <-tick.C:
			}
		}
	}()
	return h
}

func (h *heapSampler) observe(v uint64) {
	for {
		old := h.peak.Load()
		if v <= old || h.peak.CompareAndSwap(old, v) {
			return
		}
	}
}

func (h *heapSampler) finish() uint64 {
	close(h.stop)
	h.done.Wait()
	return h.peak.Load()
}

// BenchmarkAllPeakHeap runs All over n and 10×n exchanges, served 50 a page
// within one 7-day window by a server in a process of its own, and reports:
//
//   - peak-heap-B: the highest heap (live and not-yet-collected objects)
//     sampled during a run, with the garbage collector left alone — what the
//     process needs — averaged over the runs;
//   - live-heap-B: the most heap the listing keeps alive, measured once
//     after the timed runs by forcing a collection at every page boundary
//     and subtracting the heap before the run. This is the figure that grows
//     if pages are retained.
func BenchmarkAllPeakHeap(b *testing.B) {
	for _, n := range []int{500, 5000} {
		b.Run("n="+strconv.Itoa(n), func(b *testing.B) {
			srv := startServerProcess(b, fmt.Sprintf("%s %d", specPaging, n))
			c := newBenchClientAt(b, srv.URL)
			ctx := context.Background()
			opts := benchListOptions()
			sample := []metrics.Sample{{Name: heapObjects}}

			run := func(atPageEnd func()) {
				got := 0
				for _, err := range c.Exchanges.All(ctx, opts, coupang.WithListConcurrency(1)) {
					if err != nil {
						b.Fatal(err)
					}
					got++
					if got%coupang.DefaultMaxPerPage == 0 && atPageEnd != nil {
						atPageEnd()
					}
				}
				if got != n {
					b.Fatalf("All yielded %d exchanges, want %d", got, n)
				}
			}

			runtime.GC()
			b.ReportAllocs()
			b.ResetTimer()
			var peakSum uint64
			for i := 0; i < b.N; i++ {
				h := startHeapSampler()
				run(func() { h.observe(readHeap(sample)) })
				peakSum += h.finish()
			}
			b.StopTimer()

			runtime.GC()
			base := readHeap(sample)
			var live uint64
			run(func() {
				runtime.GC()
				if v := readHeap(sample); v > base {
					live = max(live, v-base)
				}
			})
			b.ReportMetric(float64(peakSum)/float64(b.N), "peak-heap-B")
			b.ReportMetric(float64(live), "live-heap-B")
			b.ReportMetric(float64(srv.calls(b))/float64(b.N+1), "calls/op")
		})
	}
}

// TestListCallCount checks the request budget: listing N exchanges of one
// 7-day window takes ceil(N/50) calls, and one call when there are none.
func TestListCallCount(t *testing.T) {
	for _, tc := range []struct {
		n, calls int
	}{
		{0, 1},
		{1, 1},
		{50, 1},
		{51, 2},
		{500, 10},
	} {
		t.Run("n="+strconv.Itoa(tc.n), func(t *testing.T) {
			var calls atomic.Int64
			ts := httptest.NewServer(pagingHandler(tc.n, &calls))
			defer ts.Close()
			c := newBenchClient(t, ts)

			seen := make(map[int64]bool, tc.n)
			for ex, err := range c.Exchanges.All(context.Background(), benchListOptions(), coupang.WithListConcurrency(1)) {
				require.NoError(t, err)
				seen[ex.ExchangeID] = true
			}
			assert.Len(t, seen, tc.n, "distinct exchanges listed")
			assert.Equal(t, int64(tc.calls), calls.Load(), "calls to list %d exchanges", tc.n)
		})
	}
}

// TestSequentialCallsReuseOneConnection checks that a client's sequential
// calls share keep-alive connections: the body is read to its end and
// closed every time, so the transport can reuse it.
//
// Exactly one connection is not an invariant: net/http hands a connection
// back to its idle pool from its read loop goroutine, after Close returns,
// and a call that finds the pool still empty dials while it waits. On a
// loaded machine the dial can finish, and a second connection opens; from
// then on there is a spare idle one, so never a third. What does hold: no
// connection is closed by the client (a body closed before its end closes
// it), and the calls do not each open their own.
func TestSequentialCallsReuseOneConnection(t *testing.T) {
	var calls atomic.Int64
	ts := httptest.NewUnstartedServer(pagingHandler(120, &calls))
	var newConns, closedConns atomic.Int64
	ts.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		switch s {
		case http.StateNew:
			newConns.Add(1)
		case http.StateClosed, http.StateHijacked:
			closedConns.Add(1)
		}
	}
	ts.Start()
	defer ts.Close()
	c := newBenchClient(t, ts)

	ctx := context.Background()
	for i := 0; i < 3; i++ {
		n := 0
		for _, err := range c.Exchanges.All(ctx, benchListOptions(), coupang.WithListConcurrency(1)) {
			require.NoError(t, err)
			n++
		}
		require.Equal(t, 120, n)
	}
	_, err := c.Exchanges.List(ctx, benchListOptions())
	require.NoError(t, err)

	assert.Equal(t, int64(10), calls.Load(), "calls made")
	assert.Zero(t, closedConns.Load(), "connections closed while the client was using them")
	assert.LessOrEqual(t, newConns.Load(), int64(2), "connections opened for 10 sequential calls")
}
