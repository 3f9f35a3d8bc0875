// Package netcount counts the bytes a benchmark's client writes to its
// connections, for every module of the repository: a server in a process of
// its own (package childproc) is charged with the bytes that process wrote,
// and the client's share is taken out of them, or reported as what the
// client sent. It is for benchmarks only.
package netcount

import (
	"context"
	"net"
	"sync/atomic"
)

// DialFunc is the dialer of http.Transport.DialContext and of go-redis's
// Options.Dialer.
type DialFunc func(ctx context.Context, network, addr string) (net.Conn, error)

// Dial returns dial with every connection it makes counting the bytes
// written to it into sent. The dialer is the caller's, so that counting
// changes nothing else (timeouts, keep-alive).
func Dial(dial DialFunc, sent *atomic.Int64) DialFunc {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return countingConn{Conn: conn, sent: sent}, nil
	}
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
