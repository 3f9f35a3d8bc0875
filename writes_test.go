package coupang_test

// A write is sent again only when it certainly did not reach Coupang's
// application (issues 9.2 and 17.2).

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
)

// TestWrite429RetriedOnlyWhenOptedIn: nothing shows that a 429 to a write
// was answered before Coupang applied it, so a write answered 429 is sent
// once and its outcome is unknown, whatever the body (issue 17.2). A seller
// who opts in with WithRetryWritesOn429(true) gets a resend after a 429 in
// Coupang's JSON error shape, and only then.
func TestWrite429RetriedOnlyWhenOptedIn(t *testing.T) {
	t.Parallel()
	const gateway = `{"code":"ERROR","message":"Too many requests","transactionId":"tx-429"}`
	optIn := []coupang.Option{coupang.WithRetryWritesOn429(true)}
	tests := []struct {
		name        string
		fault       rsFault
		opts        []coupang.Option
		wantRetried bool
	}{
		{name: "gateway JSON", fault: rsStatus(429, gateway)},
		{name: "gateway JSON with a numeric code", fault: rsStatus(429, `{"code":429,"message":"Too Many Requests"}`)},
		{name: "HTML page", fault: rsHTML(429, "Too Many Requests")},
		{name: "gateway JSON, opted in", fault: rsStatus(429, gateway), opts: optIn, wantRetried: true},
		{name: "gateway JSON with a numeric code, opted in", fault: rsStatus(429, `{"code":429,"message":"Too Many Requests"}`), opts: optIn, wantRetried: true},
		{name: "HTML page, opted in", fault: rsHTML(429, "Too Many Requests"), opts: optIn},
		{name: "plain text, opted in", fault: rsStatus(429, "Too Many Requests\n"), opts: optIn},
		{name: "empty body, opted in", fault: rsStatus(429, ""), opts: optIn},
		{name: "JSON of another shape, opted in", fault: rsStatus(429, `{"error":"rate limited","status":429}`), opts: optIn},
		{name: "JSON without a message, opted in", fault: rsStatus(429, `{"code":"ERROR"}`), opts: optIn},
		{name: "gateway JSON cut short, opted in", opts: optIn, fault: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "200")
			w.WriteHeader(429)
			_, _ = w.Write([]byte(gateway))
		}},
		{name: "gateway JSON, opted out explicitly", fault: rsStatus(429, gateway), opts: []coupang.Option{coupang.WithRetryWritesOn429(false)}},
	}
	for _, op := range rsWriteOps {
		for _, tt := range tests {
			t.Run(op.name+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				srv := rsNewServer(t, rsScript(rsStatus(200, rsWriteOK), tt.fault))
				c, _ := rsClient(t, srv.URL, 0, tt.opts...)
				err := op.call(context.Background(), c)
				if tt.wantRetried {
					require.NoError(t, err)
					assert.Equal(t, 2, srv.count())
					return
				}
				apiErr := requireAPIError(t, err)
				assert.Equal(t, 429, apiErr.StatusCode)
				assert.Equal(t, 1, apiErr.Attempts)
				assert.ErrorIs(t, err, coupang.ErrOutcomeUnknown)
				assert.ErrorIs(t, err, coupang.ErrRateLimited)
				assert.NotErrorIs(t, err, coupang.ErrBusinessFailure)
				assert.Equal(t, 1, srv.count(), "a write that may have been applied is sent once")
			})
		}
	}
	t.Run("GET is retried on any 429", func(t *testing.T) {
		t.Parallel()
		srv := rsNewServer(t, rsScript(rsStatus(200, rsPage("", "tx", 1)), rsHTML(429, "Too Many Requests"), rsStatus(429, "slow down")))
		c, _ := rsClient(t, srv.URL, 0, coupang.WithRetryWritesOn429(false))
		_, err := c.Exchanges.List(context.Background(), rsListOpts())
		require.NoError(t, err)
		assert.Equal(t, 3, srv.count())
	})
	t.Run("per call", func(t *testing.T) {
		t.Parallel()
		srv := rsNewServer(t, rsScript(rsStatus(200, rsWriteOK), rsStatus(429, gateway), rsStatus(429, gateway)))
		c, _ := rsClient(t, srv.URL, 0, optIn...)
		err := c.Exchanges.ConfirmReceipt(context.Background(), 5, coupang.WithRetryWritesOn429(false))
		assert.ErrorIs(t, err, coupang.ErrOutcomeUnknown)
		assert.Equal(t, 1, srv.count(), "the call's option wins over the client's")

		c, _ = rsClient(t, srv.URL, 0)
		require.NoError(t, c.Exchanges.ConfirmReceipt(context.Background(), 5, coupang.WithRetryWritesOn429(true)))
		assert.Equal(t, 3, srv.count(), "opted in for one call")
	})
}

// TestWriteAnswered200WithAFailedEnvelope: a 2xx whose envelope code is a
// 5xx or a word such as ERROR leaves a write's outcome unknown, as an HTTP
// 500 does; a 4xx envelope code is a definite refusal.
func TestWriteAnswered200WithAFailedEnvelope(t *testing.T) {
	t.Parallel()
	tests := []struct {
		body        string
		wantUnknown bool
	}{
		{`{"code":500,"message":"Internal Server Error"}`, true},
		{`{"code":"503","message":"unavailable"}`, true},
		{`{"code":"ERROR","message":"failed"}`, true},
		{`{"code":"error","message":"failed"}`, true},
		{`{"code":"1001","message":"odd"}`, true},
		{`{"code":400,"message":"bad request"}`, false},
		{`{"code":"404","message":"no such exchange"}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			t.Parallel()
			srv := rsNewServer(t, rsAlways(rsStatus(200, tt.body)))
			c, _ := rsClient(t, srv.URL, 0)
			for _, op := range rsWriteOps {
				before := srv.count()
				err := op.call(context.Background(), c)
				apiErr := requireAPIError(t, err)
				assert.Equal(t, 200, apiErr.StatusCode)
				assert.Equal(t, tt.wantUnknown, apiErr.OutcomeUnknown, op.name)
				assert.Equal(t, 1, srv.count()-before, "%s sent once", op.name)
			}
			// A GET answered so is a plain failure: nothing was written.
			_, err := c.Exchanges.List(context.Background(), rsListOpts())
			assert.NotErrorIs(t, err, coupang.ErrOutcomeUnknown)
		})
	}
}
