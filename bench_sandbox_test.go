package coupang_test

// The scale benchmark's client counts the bytes it writes to the sandbox
// (a process of its own, startSandboxProcess), so that they can be taken
// out of the bytes the process wrote: what is left is the store's.

import (
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
	"github.com/go-coupang/coupang/internal/netcount"
)

// scaleClient is an unpaced client of the sandbox at url whose connections
// count the bytes written to them.
func scaleClient(b *testing.B, url string) (*coupang.Client, *atomic.Int64) {
	b.Helper()
	sent := new(atomic.Int64)
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DialContext = netcount.Dial(tr.DialContext, sent)
	client, err := coupang.NewClient(coupangtest.DefaultAccessKey, coupangtest.DefaultSecretKey, coupangtest.DefaultVendorID,
		coupang.WithBaseURL(url), coupang.WithRateLimit(0), coupang.WithHTTPClient(&http.Client{Transport: tr}))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = client.Close() })
	return client, sent
}
