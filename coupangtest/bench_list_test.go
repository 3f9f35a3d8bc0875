package coupangtest_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

// BenchmarkSandboxList measures one list call (a full page of 50 from the
// middle of the last 7 days, through the client) against a sandbox seeded
// with n exchanges. Sorting every record per call made a sandbox pass over
// n exchanges O(n² log n); with the index a call costs O(log n + page), so
// ns/op should stay flat from 2k to 100k.
func BenchmarkSandboxList(b *testing.B) {
	for _, n := range []int{2_000, 20_000, 100_000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			srv := coupangtest.NewTestServer(b, coupangtest.WithExchanges(n))
			c, err := srv.Client()
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			now := time.Now()
			opts := coupang.ExchangeListOptions{CreatedAtFrom: now.Add(-coupang.MaxListWindow), CreatedAtTo: now, MaxPerPage: coupang.MaxPageSize}
			// Start from the middle of the window: skip a few pages first.
			for range 3 {
				page, err := c.Exchanges.List(ctx, opts)
				if err != nil {
					b.Fatal(err)
				}
				if page.NextToken == "" {
					break
				}
				opts.NextToken = page.NextToken
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := c.Exchanges.List(ctx, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSandboxListServer is BenchmarkSandboxList without the client and
// the network: the server's own work for one signed list request (page 4 of
// the last 7 days, 50 a page), served in-process by ServeHTTP.
func BenchmarkSandboxListServer(b *testing.B) {
	for _, n := range []int{2_000, 20_000, 100_000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			srv := coupangtest.NewTestServer(b, coupangtest.WithExchanges(n))
			c, err := srv.Client()
			if err != nil {
				b.Fatal(err)
			}
			now := time.Now()
			opts := coupang.ExchangeListOptions{CreatedAtFrom: now.Add(-coupang.MaxListWindow), CreatedAtTo: now, MaxPerPage: coupang.MaxPageSize}
			for range 3 {
				page, err := c.Exchanges.List(context.Background(), opts)
				if err != nil {
					b.Fatal(err)
				}
				opts.NextToken = page.NextToken
			}
			path := listPath(opts.CreatedAtFrom, opts.CreatedAtTo, "maxPerPage=50&nextToken="+opts.NextToken)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				req := httptest.NewRequestWithContext(context.Background(), http.MethodGet, path, nil)
				coupang.SignRequest(req, srv.AccessKey, srv.SecretKey, time.Now())
				w := httptest.NewRecorder()
				srv.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("status %d: %s", w.Code, w.Body)
				}
			}
		})
	}
}

// BenchmarkSandboxReturnList measures the server's own work for one signed
// return list request (page 4 of the CC filter over the last 30 days, 50 a
// page, served in-process by ServeHTTP) against a sandbox seeded with n
// receipts, from the index and, side by side, by the old listing that
// settled and sorted every receipt on every call. From the index a call
// costs O(log n + page), so its ns/op should stay flat from 2k to 100k; by
// sorting it grows with n log n.
func BenchmarkSandboxReturnList(b *testing.B) {
	for _, n := range []int{2_000, 20_000, 100_000} {
		srv := coupangtest.NewTestServer(b, coupangtest.WithExchanges(0), coupangtest.WithReturns(n))
		c, err := srv.Client()
		if err != nil {
			b.Fatal(err)
		}
		now := time.Now()
		opts := coupang.ReturnListOptions{CreatedAtFrom: now.AddDate(0, 0, -30), CreatedAtTo: now,
			Status: coupang.ReturnFilterCompleted, MaxPerPage: coupang.MaxPageSize}
		for range 3 {
			page, err := c.Returns.List(context.Background(), opts)
			if err != nil {
				b.Fatal(err)
			}
			if page.NextToken == "" {
				b.Fatal("fewer than 4 pages")
			}
			opts.NextToken = page.NextToken
		}
		kst := coupang.KoreaLocation()
		path := "/v2/providers/openapi/apis/api/v6/vendors/" + coupangtest.DefaultVendorID + "/returnRequests?" +
			"createdAtFrom=" + opts.CreatedAtFrom.In(kst).Format(time.DateOnly) + "&createdAtTo=" + now.In(kst).Format(time.DateOnly) +
			"&status=CC&maxPerPage=50&nextToken=" + opts.NextToken
		for _, mode := range []struct {
			name   string
			bySort bool
		}{{"index", false}, {"sort", true}} {
			b.Run(fmt.Sprintf("n=%d/%s", n, mode.name), func(b *testing.B) {
				coupangtest.ListReturnsBySort(srv, mode.bySort)
				defer coupangtest.ListReturnsBySort(srv, false)
				b.ReportAllocs()
				b.ResetTimer()
				for b.Loop() {
					req := httptest.NewRequestWithContext(context.Background(), http.MethodGet, path, nil)
					coupang.SignRequest(req, srv.AccessKey, srv.SecretKey, time.Now())
					w := httptest.NewRecorder()
					srv.ServeHTTP(w, req)
					if w.Code != http.StatusOK {
						b.Fatalf("status %d: %s", w.Code, w.Body)
					}
				}
			})
		}
	}
}
