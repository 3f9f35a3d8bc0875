package coupang_test

// A write is sent again only when it certainly did not reach Coupang's
// application (issue 9.2).

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
)

func TestWrite429OnlyRetriedWhenFromTheGateway(t *testing.T) {
	t.Parallel()
	const gateway = `{"code":"ERROR","message":"Too many requests","transactionId":"tx-429"}`
	tests := []struct {
		name        string
		fault       rsFault
		opts        []coupang.Option
		wantRetried bool
	}{
		{name: "gateway JSON", fault: rsStatus(429, gateway), wantRetried: true},
		{name: "gateway JSON with a numeric code", fault: rsStatus(429, `{"code":429,"message":"Too Many Requests"}`), wantRetried: true},
		{name: "HTML page", fault: rsHTML(429, "Too Many Requests")},
		{name: "plain text", fault: rsStatus(429, "Too Many Requests\n")},
		{name: "empty body", fault: rsStatus(429, "")},
		{name: "JSON of another shape", fault: rsStatus(429, `{"error":"rate limited","status":429}`)},
		{name: "JSON without a message", fault: rsStatus(429, `{"code":"ERROR"}`)},
		{name: "gateway JSON cut short", fault: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "200")
			w.WriteHeader(429)
			_, _ = w.Write([]byte(gateway))
		}},
		{name: "gateway JSON, retry switched off", fault: rsStatus(429, gateway), opts: []coupang.Option{coupang.WithRetryWritesOn429(false)}},
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
		srv := rsNewServer(t, rsAlways(rsStatus(429, gateway)))
		c, _ := rsClient(t, srv.URL, 0)
		err := c.Exchanges.ConfirmReceipt(context.Background(), 5, coupang.WithRetryWritesOn429(false))
		assert.ErrorIs(t, err, coupang.ErrOutcomeUnknown)
		assert.Equal(t, 1, srv.count())
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
