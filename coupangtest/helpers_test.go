package coupangtest_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

const basePath = "/v2/providers/openapi/apis/api/v4/vendors/" + coupangtest.DefaultVendorID + "/exchangeRequests"

// rawResponse is an answer read without the coupang client's decoder.
type rawResponse struct {
	status int
	body   string
	json   map[string]any
}

// rawDo sends one request signed with the server's keys at time.Now, unless
// auth is set, in which case it is sent as the Authorization header as is.
func rawDo(t *testing.T, srv *coupangtest.Server, method, pathAndQuery, body string, auth ...string) rawResponse {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, srv.URL+pathAndQuery, rd)
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json;charset=UTF-8")
	if len(auth) > 0 {
		req.Header.Set("Authorization", auth[0])
	} else {
		coupang.SignRequest(req, srv.AccessKey, srv.SecretKey, time.Now())
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	out := rawResponse{status: resp.StatusCode, body: string(b)}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		require.NoError(t, json.Unmarshal(b, &out.json), "body: %s", b)
	}
	return out
}

// listPath is the list path with a query for [from, to].
func listPath(from, to time.Time, extra string) string {
	q := "createdAtFrom=" + from.In(coupang.KoreaLocation()).Format("2006-01-02T15:04:05") +
		"&createdAtTo=" + to.In(coupang.KoreaLocation()).Format("2006-01-02T15:04:05")
	if extra != "" {
		q += "&" + extra
	}
	return basePath + "?" + q
}

func newClient(t *testing.T, srv *coupangtest.Server, opts ...coupang.Option) *coupang.Client {
	t.Helper()
	c, err := srv.Client(opts...)
	require.NoError(t, err)
	return c
}

// listAll lists every exchange of the last 31 days through the client.
func listAll(t *testing.T, c *coupang.Client, opts coupang.ExchangeListOptions) []coupang.ExchangeRequest {
	t.Helper()
	now := time.Now()
	opts.CreatedAtFrom, opts.CreatedAtTo = now.Add(-31*24*time.Hour), now.Add(time.Minute)
	var out []coupang.ExchangeRequest
	for ex, err := range c.Exchanges.All(context.Background(), opts) {
		require.NoError(t, err)
		out = append(out, ex)
	}
	return out
}

// firstWith returns the first stored exchange matching ok.
func firstWith(t *testing.T, srv *coupangtest.Server, ok func(coupang.ExchangeRequest) bool) coupang.ExchangeRequest {
	t.Helper()
	for _, ex := range srv.Exchanges() {
		if ok(ex) {
			return ex
		}
	}
	t.Fatal("no seeded exchange matches")
	return coupang.ExchangeRequest{}
}

func isStatus(st coupang.ExchangeStatus) func(coupang.ExchangeRequest) bool {
	return func(ex coupang.ExchangeRequest) bool { return ex.Status == st }
}

func rejectableReceipt(ex coupang.ExchangeRequest) bool {
	return ex.Status == coupang.ExchangeStatusReceipt && ex.Rejectable
}

// apiError unwraps err as an *coupang.APIError.
func apiError(t *testing.T, err error) *coupang.APIError {
	t.Helper()
	var apiErr *coupang.APIError
	require.True(t, errors.As(err, &apiErr), "want an *APIError, got %T: %v", err, err)
	return apiErr
}
