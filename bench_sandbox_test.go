package coupang_test

// The scale benchmark's client counts the bytes it writes to the sandbox
// (a process of its own, startSandboxProcess), so that they can be taken
// out of the bytes the process wrote: what is left is the store's.

import (
	"context"
	"net"
	"net/http"
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
