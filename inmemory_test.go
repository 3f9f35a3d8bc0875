package coupang_test

// An in-memory transport for tests that run the client in a testing/synctest
// bubble: the handler runs in the caller's goroutine, so no goroutine waits
// on a socket, the bubble's clock moves only when every goroutine waits, and
// "when did it arrive" is exactly when the client sent it.

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

// inMemory is an http.RoundTripper that serves each request with a handler.
type inMemory struct{ h http.Handler }

func (m inMemory) RoundTrip(r *http.Request) (*http.Response, error) {
	if err := r.Context().Err(); err != nil {
		return nil, err
	}
	if r.Body != nil {
		body, err := io.ReadAll(r.Body)
		_ = r.Body.Close()
		if err != nil {
			return nil, err
		}
		r = r.Clone(r.Context())
		r.Body = io.NopCloser(bytes.NewReader(body))
	} else {
		// A server's request always has a body, empty for a GET.
		r = r.Clone(r.Context())
		r.Body = http.NoBody
	}
	rec := &hijackableRecorder{ResponseRecorder: httptest.NewRecorder()}
	m.h.ServeHTTP(rec, r)
	if rec.hijacked {
		// The handler closed the connection without an answer, as a
		// coupangtest drop does: over TCP the client reads EOF.
		return nil, io.EOF
	}
	resp := rec.Result()
	resp.Request = r
	return resp, nil
}

// hijackableRecorder is a ResponseRecorder whose connection a handler can
// take over, so that a handler that drops the connection (coupangtest's
// DropNextAfterApplying) drops it here too instead of falling back to a
// short body.
type hijackableRecorder struct {
	*httptest.ResponseRecorder
	hijacked bool
}

func (h *hijackableRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	h.hijacked = true
	conn, peer := net.Pipe()
	_ = peer.Close()
	return conn, bufio.NewReadWriter(bufio.NewReader(conn), bufio.NewWriter(conn)), nil
}

// inMemoryOptions send a client's requests to h in memory, under a base
// URL no request can leave for.
func inMemoryOptions(h http.Handler, timeout time.Duration) []coupang.Option {
	return []coupang.Option{
		coupang.WithBaseURL("https://api-gateway.coupang.test"),
		coupang.WithHTTPClient(&http.Client{Transport: inMemory{h}, Timeout: timeout}),
	}
}

// inMemoryClient is rsClient over an in-memory handler: pacing off, short
// backoff, opts last. Call it inside the bubble.
func inMemoryClient(t testing.TB, h http.Handler, opts ...coupang.Option) *coupang.Client {
	t.Helper()
	all := append(inMemoryOptions(h, 10*time.Second),
		coupang.WithRateLimit(0),
		coupang.WithBackoff(time.Millisecond, 20*time.Millisecond))
	c, err := coupang.NewClient(rsAccessKey, rsSecretKey, rsVendorID, append(all, opts...)...)
	require.NoError(t, err)
	return c
}

// sandboxInMemory is a client of srv's vendor, with srv's keys, whose
// requests h serves in memory (h usually counts or records them and passes
// them on to srv); opts last. Call it inside the bubble.
func sandboxInMemory(t testing.TB, srv *coupangtest.Server, h http.Handler, opts ...coupang.Option) *coupang.Client {
	t.Helper()
	c, err := coupang.NewClient(srv.AccessKey, srv.SecretKey, srv.VendorID, append(inMemoryOptions(h, 30*time.Second), opts...)...)
	require.NoError(t, err)
	return c
}
