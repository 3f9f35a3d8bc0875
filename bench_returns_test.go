package coupang_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

// Benchmarks of the return calls' budgets (BENCHMARKS.md, "Returns").

// returnBenchPage is a v6 page of n return requests with every documented
// field set: two items, two pickup waybills (one space-padded), money
// objects, times with microseconds and an offset, masked Korean text.
func returnBenchPage(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"code":200,"message":"OK","data":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		id := 500000000 + i
		fmt.Fprintf(&b, `{"receiptId":%d,"orderId":%d,"paymentId":%d,"receiptType":"RETURN","receiptStatus":"RETURNS_UNCHECKED",`+
			`"createdAt":"2026-03-02T10:11:%02d.123456+09:00","modifiedAt":"2026-03-02T11:00:%02d.654321+09:00",`+
			`"requesterName":"구*숙","requesterPhoneNumber":"+82503-****-3560","requesterRealPhoneNumber":null,`+
			`"requesterAddress":"서울특별시 마포구 월드컵북로 *","requesterAddressDetail":"***동 ****호","requesterZipCode":"03***",`+
			`"cancelReasonCategory1":"고객변심","cancelReasonCategory2":"단순변심(사유없음)","cancelReason":"사이즈가 생각보다 작아요",`+
			`"cancelCountSum":3,"returnDeliveryId":%d,"returnDeliveryType":"연동택배","releaseStopStatus":"비대상",`+
			`"enclosePrice":{"currencyCode":"KRW","units":0,"nanos":0},"faultByType":"CUSTOMER","preRefund":true,`+
			`"completeConfirmType":"UNDEFINED","completeConfirmDate":"",`+
			`"returnItems":[`+
			`{"vendorItemPackageId":0,"vendorItemPackageName":"","vendorItemId":7000000001,"vendorItemName":"무지 라운드 반팔 티셔츠, 화이트, M","purchaseCount":3,"cancelCount":2,"shipmentBoxId":123456789012345678,"sellerProductId":1000000001,"sellerProductName":"무지 라운드 반팔 티셔츠","releaseStatus":"Y","cancelCompleteUser":"l******"},`+
			`{"vendorItemPackageId":0,"vendorItemPackageName":"","vendorItemId":7000000002,"vendorItemName":"무지 라운드 반팔 티셔츠, 블랙, L","purchaseCount":1,"cancelCount":1,"shipmentBoxId":123456789012345679,"sellerProductId":1000000001,"sellerProductName":"무지 라운드 반팔 티셔츠","releaseStatus":"Y","cancelCompleteUser":"l******"}],`+
			`"returnDeliveryDtos":[{"deliveryCompanyCode":"CJGLS","deliveryInvoiceNo":"840807127473 "},{"deliveryCompanyCode":"CJGLS","deliveryInvoiceNo":"840807127474"}],`+
			`"reasonCode":"CHANGEMIND","reasonCodeText":"필요 없어짐 (단순 변심)",`+
			`"returnShippingCharge":{"currencyCode":"KRW","units":-3000,"nanos":0}}`,
			id, 30000000000000+i, 70000000000+i, i%60, i%60, 80000000+i)
	}
	b.WriteString(`],"nextToken":""}`)
	return b.Bytes()
}

// BenchmarkReturnListVsExchangeList calls Returns.List (50 returns, v6, every
// field) and Exchanges.List (50 exchanges, the exchange benchmarks' page)
// alternately against loopback servers in processes of their own (their
// CPU is in neither side's), and reports cpu-ratio: the CPU of one return
// page over one exchange page, both of 50 records, so the CPU per record.
// The budget: at most 1.
func BenchmarkReturnListVsExchangeList(b *testing.B) {
	rs := startServerProcess(b, specPage+" returns")
	es := startServerProcess(b, specPage+" exchanges")
	rc, ec := newBenchClientAt(b, rs.URL), newBenchClientAt(b, es.URL)
	ctx := context.Background()
	ropts := coupang.ReturnListOptions{CreatedAtFrom: coupang.BenchWindowFrom, CreatedAtTo: coupang.BenchWindowTo, Status: coupang.ReturnFilterUnchecked}
	eopts := benchListOptions()
	alternate(b,
		func() int {
			p, err := rc.Returns.List(ctx, ropts)
			if err != nil {
				b.Fatal(err)
			}
			return len(p.Items)
		},
		func() int {
			p, err := ec.Exchanges.List(ctx, eopts)
			if err != nil {
				b.Fatal(err)
			}
			return len(p.Items)
		})
}

// BenchmarkReturnSweep measures All over the last 30 days of a coupangtest
// sandbox with 2,000 returns, sweeping the four filters, every call answered
// after 300 ms, through a loopback gateway that counts requests over 5 a
// second, with the client's default pacing (5 a second): one request at a
// time (WithListConcurrency(1)) beside the default automatic concurrency.
// It reports seq-x and auto-x, the wall time over the budget floor
// (sequential calls / 5 s + one round trip), auto-extra-% (automatic's calls
// over the sequential ones), calls, over (answers over 5 in one second) and
// heap-10x/1x (the peak heap of a 4-in-flight sweep of 20,000 returns over
// that of 2,000, unpaced, 20 ms a call).
//
// One iteration takes about a minute, so it runs only when
// COUPANG_BENCH_ALL=1:
//
//	COUPANG_BENCH_ALL=1 go test -run='^$' -bench=BenchmarkReturnSweep -benchtime=1x -count=3 .
func BenchmarkReturnSweep(b *testing.B) {
	if os.Getenv("COUPANG_BENCH_ALL") != "1" {
		b.Skip("set COUPANG_BENCH_ALL=1: one iteration takes about a minute")
	}
	const budget = 5.0
	const latency = 300 * time.Millisecond
	srv := coupangtest.NewTestServer(b, coupangtest.WithExchanges(0), coupangtest.WithReturns(2000))
	g := newGateway(b, srv, int(budget))
	g.enforce = false
	pacer := coupang.NewPacer(budget)
	sweep := func(c *coupang.Client) (time.Duration, int) {
		now := time.Now()
		before := g.sent.Load()
		start := time.Now()
		n := 0
		for _, err := range c.Returns.All(context.Background(), coupang.ReturnListOptions{CreatedAtFrom: now.Add(-30 * 24 * time.Hour), CreatedAtTo: now}) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n == 0 {
			b.Fatal("nothing listed")
		}
		return time.Since(start), int(g.sent.Load() - before)
	}
	metrics := map[string]float64{}
	for range b.N {
		srv.SetLatency(latency)
		g.mu.Lock()
		overBefore := g.over
		g.mu.Unlock()
		seqWall, seqCalls := sweep(g.client(b, coupang.WithLimiter(pacer), coupang.WithListConcurrency(1)))
		autoWall, autoCalls := sweep(g.client(b, coupang.WithLimiter(pacer)))
		floor := float64(seqCalls)/budget + latency.Seconds()
		metrics["30d-300ms-seq-x"] = seqWall.Seconds() / floor
		metrics["30d-300ms-auto-x"] = autoWall.Seconds() / floor
		metrics["30d-300ms-auto-extra-%"] = 100 * (float64(autoCalls)/float64(seqCalls) - 1)
		metrics["30d-calls"] = float64(seqCalls)
		g.mu.Lock()
		metrics["over"] = float64(g.over - overBefore)
		g.mu.Unlock()
		srv.SetLatency(0)
		metrics["heap-10x/1x"] = returnPeakHeap(b, 20000) / returnPeakHeap(b, 2000)
	}
	b.StopTimer()
	for k, v := range metrics {
		b.ReportMetric(v, k)
	}
}

// returnPeakHeap sweeps 30 days of a sandbox with n returns, served by a
// process of its own (startSandboxProcess) so that only the client's heap
// is counted, 4 windows in flight, unpaced, 20 ms a call, and returns the
// largest heap in use during the sweep less the heap before it.
func returnPeakHeap(b *testing.B, n int) float64 {
	srv := startSandboxProcess(b, 0, n, 20*time.Millisecond)
	c := srv.client(b, coupang.WithListConcurrency(4))
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	before := ms.HeapAlloc
	stop := sampleHeap()
	now := time.Now()
	got := 0
	for _, err := range c.Returns.All(context.Background(), coupang.ReturnListOptions{CreatedAtFrom: now.Add(-30 * 24 * time.Hour), CreatedAtTo: now}) {
		if err != nil {
			b.Fatal(err)
		}
		got++
	}
	peak := stop()
	if got != srv.Returns {
		b.Fatalf("listed %d of %d", got, srv.Returns)
	}
	return float64(peak - min(before, peak))
}

func TestReturnBenchPageDecodes(t *testing.T) {
	page, err := coupang.DecodeReturnPage(bytes.NewReader(returnBenchPage(50)))
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 50 || !strings.HasPrefix(string(page.Items[0].RequesterName), "구") || page.Items[49].ReturnShippingCharge.Units != -3000 {
		t.Fatalf("fixture not decoded: %d items", len(page.Items))
	}
}
