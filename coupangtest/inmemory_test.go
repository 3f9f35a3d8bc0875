package coupangtest_test

// An in-memory transport for the tests whose point is what the server
// answers, not the socket it answers on: under -race a loopback round trip
// costs more than the list it carries, and these tests make thousands.

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

// inMemory is an http.RoundTripper that serves each request with a handler
// in the caller's goroutine.
type inMemory struct{ h http.Handler }

func (m inMemory) RoundTrip(r *http.Request) (*http.Response, error) {
	if err := r.Context().Err(); err != nil {
		return nil, err
	}
	body := []byte{}
	if r.Body != nil {
		var err error
		body, err = io.ReadAll(r.Body)
		_ = r.Body.Close()
		if err != nil {
			return nil, err
		}
	}
	// A server's request always has a body, empty for a GET.
	r = r.Clone(r.Context())
	r.Body = io.NopCloser(bytes.NewReader(body))
	rec := httptest.NewRecorder()
	m.h.ServeHTTP(rec, r)
	resp := rec.Result()
	resp.Request = r
	return resp, nil
}

// memClient is newClient over an in-memory transport to srv's handler.
func memClient(t *testing.T, srv *coupangtest.Server, opts ...coupang.Option) *coupang.Client {
	t.Helper()
	return newClient(t, srv, append([]coupang.Option{coupang.WithHTTPClient(&http.Client{Transport: inMemory{srv}})}, opts...)...)
}
