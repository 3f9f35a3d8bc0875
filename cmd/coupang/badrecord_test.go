package main

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

// corruptingProxy serves srv, with the reasonCode of every exchange whose
// reasonCode is CORRUPTME made undecodable.
func corruptingProxy(t *testing.T, srv *coupangtest.Server) string {
	t.Helper()
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, r)
		body := strings.ReplaceAll(rec.Body.String(), `"reasonCode":"CORRUPTME"`, `"reasonCode":{"not":"a string"}`)
		w.Header().Set("Content-Type", rec.Header().Get("Content-Type"))
		w.WriteHeader(rec.Code)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(proxy.Close)
	return proxy.URL
}

// One record Coupang sends malformed must not stop a listing: the others
// are printed, the bad one is reported on stderr, and the exit status says
// something was left out.
func TestListGoesOnPastABadRecord(t *testing.T) {
	srv := fixtureServer(t)
	srv.UpdateExchange(400000002, func(ex *coupang.ExchangeRequest) { ex.ReasonCode = "CORRUPTME" })
	useServer(t, srv)
	t.Setenv(coupang.EnvBaseURL, corruptingProxy(t, srv))
	res := runCLI(t, "exchanges", "list", "--from", "2024-03-01", "--to", "2024-03-31", "--format", "csv")
	assert.Equal(t, exitFail, res.code, "a record was left out")
	assert.Len(t, lines(res.stdout), 1+3, "the header and the three good records: %s", res.stderr)
	assert.Contains(t, res.stderr, "exchange 400000002")
	assert.NotContains(t, res.stderr, "CORRUPTME")
}

// A malformed record of another exchange must not stop the write commands
// from finding theirs.
func TestFindSkipsOtherExchangesBadRecords(t *testing.T) {
	srv := coupangtest.NewTestServer(t, coupangtest.WithExchanges(0), coupangtest.WithoutQuirks())
	now := time.Now().Add(-time.Hour)
	add := func(reason string) int64 {
		ex := coupang.ExchangeRequest{Status: coupang.ExchangeStatusReceipt, CollectStatus: coupang.CollectStatusDelivering,
			ReasonCode: reason, Rejectable: true, Items: []coupang.ExchangeItem{{Quantity: 1}}}
		ex.OrderID = 31000000000001
		ex.CreatedAt = now
		return srv.AddExchange(ex)
	}
	add("CORRUPTME")
	id := add("DEFECT")
	add("CORRUPTME")
	useServer(t, srv)
	t.Setenv(coupang.EnvBaseURL, corruptingProxy(t, srv))
	res := runCLI(t, "exchanges", "confirm", "--id", strconv.FormatInt(id, 10))
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Equal(t, 1, srv.Confirmations(id))
}
