package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

// One record Coupang sends malformed must not stop watch: the change feed
// passes it on as a *RecordError and goes on, and watch must too, or every
// exchange listed after it is never printed, pass after pass.
func TestWatchGoesOnPastABadRecord(t *testing.T) {
	srv := coupangtest.NewTestServer(t, coupangtest.WithExchanges(3), coupangtest.WithoutQuirks())
	all := srv.Exchanges()
	require.Len(t, all, 3)
	// One exchange is malformed, whatever window and page it lands in: how
	// All splits the range (a plan it measures as it goes) is not what this
	// test is about. (Corrupting the first of every page made the count
	// depend on the plan: three windows of one exchange left nothing good.)
	srv.UpdateExchange(all[1].ExchangeID, func(ex *coupang.ExchangeRequest) { ex.ReasonCode = "CORRUPTME" })
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, r)
		body := strings.Replace(rec.Body.String(), `"reasonCode":"CORRUPTME"`, `"reasonCode":{"not":"a string"}`, 1)
		w.Header().Set("Content-Type", rec.Header().Get("Content-Type"))
		w.WriteHeader(rec.Code)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(proxy.Close)
	useServer(t, srv)
	t.Setenv(coupang.EnvBaseURL, proxy.URL)

	state := filepath.Join(t.TempDir(), "watch.state")
	res := runCLI(t, "exchanges", "watch", "--once", "--state", state, "--format", "json")
	assert.Equal(t, 1, strings.Count(res.stderr, "a record could not be read, skipped"), res.stderr)
	assert.Len(t, lines(res.stdout), 2, "every good exchange is printed; stderr: %s", res.stderr)
	assert.NotContains(t, res.stderr, "CORRUPTME")
}

// A look-back the client refuses can never succeed: watch must stop with
// the usage exit code, not retry it every --every forever.
func TestWatchStopsOnARefusedRange(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	useServer(t, srv)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	res := runCtx(t, ctx, "exchanges", "watch", "--days", "400", "--every", "1s")
	require.NoError(t, ctx.Err(), "watch ended by itself")
	assert.Equal(t, exitUsage, res.code, res.stderr)
	assert.Empty(t, srv.Calls())
}
