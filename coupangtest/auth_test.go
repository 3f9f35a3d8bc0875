package coupangtest_test

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

func TestSignatureRules(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	now := time.Now()
	path := basePath
	query := "createdAtFrom=" + now.Add(-time.Hour).In(coupang.KoreaLocation()).Format("2006-01-02T15:04:05") +
		"&createdAtTo=" + now.In(coupang.KoreaLocation()).Format("2006-01-02T15:04:05")
	good := coupang.AuthorizationHeader(srv.AccessKey, srv.SecretKey, http.MethodGet, path, query, now)
	// good ends "signed-date={date}, signature={sig}".
	rest, sig, _ := strings.Cut(good, ", signature=")
	_, date, _ := strings.Cut(rest, "signed-date=")

	tests := []struct {
		name    string
		auth    string
		status  int
		message string
	}{
		{"good signature", good, http.StatusOK, ""},
		{"wrong secret", coupang.AuthorizationHeader(srv.AccessKey, "another-secret", http.MethodGet, path, query, now), 401, "Invalid signature."},
		{"signed another query", coupang.AuthorizationHeader(srv.AccessKey, srv.SecretKey, http.MethodGet, path, query+"&status=RECEIPT", now), 401, "Invalid signature."},
		{"signed another method", coupang.AuthorizationHeader(srv.AccessKey, srv.SecretKey, http.MethodPut, path, query, now), 401, "Invalid signature."},
		{"query with ? signed", coupang.AuthorizationHeader(srv.AccessKey, srv.SecretKey, http.MethodGet, path, "?"+query, now), 401, "Invalid signature."},
		{"upper-case hex", strings.Replace(good, sig, strings.ToUpper(sig), 1), 401, "Invalid signature."},
		{"no header", "", 401, "HMAC format is invalid."},
		{"bearer token", "Bearer abc", 401, "HMAC format is invalid."},
		{"missing signature", "CEA algorithm=HmacSHA256, access-key=" + srv.AccessKey + ", signed-date=" + date, 401, "HMAC format is invalid."},
		{"other algorithm", strings.Replace(good, "HmacSHA256", "HmacSHA1", 1), 401, "HMAC format is invalid."},
		{"signature not hex", strings.Replace(good, sig, strings.Repeat("z", 64), 1), 401, "HMAC format is invalid."},
		{"signature too short", strings.Replace(good, sig, sig[:40], 1), 401, "HMAC format is invalid."},
		{"signed-date not in the layout", strings.Replace(good, date, now.UTC().Format(time.RFC3339), 1), 401, "HMAC format is invalid."},
		{"unknown access key", coupang.AuthorizationHeader("someone-else", srv.SecretKey, http.MethodGet, path, query, now), 401, "Request is not authorized."},
		{"signed 6 minutes ago", coupang.AuthorizationHeader(srv.AccessKey, srv.SecretKey, http.MethodGet, path, query, now.Add(-6*time.Minute)), 401, "Specified signature is expired."},
		{"signed 6 minutes ahead", coupang.AuthorizationHeader(srv.AccessKey, srv.SecretKey, http.MethodGet, path, query, now.Add(6*time.Minute)), 401, "Specified signature is expired."},
		{"signed 4 minutes ago", coupang.AuthorizationHeader(srv.AccessKey, srv.SecretKey, http.MethodGet, path, query, now.Add(-4*time.Minute)), http.StatusOK, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := rawDo(t, srv, http.MethodGet, path+"?"+query, "", tt.auth)
			require.Equal(t, tt.status, resp.status, resp.body)
			if tt.status == http.StatusOK {
				return
			}
			assert.Equal(t, "ERROR", resp.json["code"])
			assert.Equal(t, tt.message, resp.json["message"])
			assert.NotEmpty(t, resp.json["transactionId"])
		})
	}
}

func TestSignatureThroughClient(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	ctx := context.Background()
	opts := coupang.ExchangeListOptions{CreatedAtFrom: time.Now().Add(-time.Hour), CreatedAtTo: time.Now()}

	t.Run("good keys", func(t *testing.T) {
		_, err := newClient(t, srv).Exchanges.List(ctx, opts)
		require.NoError(t, err)
	})
	t.Run("wrong secret", func(t *testing.T) {
		c, err := coupang.NewClient(srv.AccessKey, "wrong-secret", srv.VendorID, coupang.WithBaseURL(srv.URL), coupang.WithRateLimit(0))
		require.NoError(t, err)
		_, err = c.Exchanges.List(ctx, opts)
		require.ErrorIs(t, err, coupang.ErrUnauthorized)
		assert.Equal(t, "Invalid signature.", apiError(t, err).Message)
		assert.NotEmpty(t, apiError(t, err).TransactionID)
	})
	t.Run("unknown access key", func(t *testing.T) {
		c, err := coupang.NewClient("another-key", srv.SecretKey, srv.VendorID, coupang.WithBaseURL(srv.URL), coupang.WithRateLimit(0))
		require.NoError(t, err)
		_, err = c.Exchanges.List(ctx, opts)
		require.ErrorIs(t, err, coupang.ErrUnauthorized)
		assert.Equal(t, "Request is not authorized.", apiError(t, err).Message)
	})
	t.Run("another vendor", func(t *testing.T) {
		c, err := coupang.NewClient(srv.AccessKey, srv.SecretKey, "A99999999", coupang.WithBaseURL(srv.URL), coupang.WithRateLimit(0))
		require.NoError(t, err)
		_, err = c.Exchanges.List(ctx, opts)
		require.ErrorIs(t, err, coupang.ErrNotFound)
		assert.Contains(t, apiError(t, err).Message, "A99999999")
		require.ErrorIs(t, c.Exchanges.ConfirmReceipt(ctx, 1), coupang.ErrNotFound)
	})
}

func TestSignatureExpiryFollowsTheServerClock(t *testing.T) {
	var skew atomic.Int64
	clock := func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }
	srv := coupangtest.NewTestServer(t, coupangtest.WithClock(clock))
	c := newClient(t, srv, coupang.WithMaxRetries(0))
	opts := coupang.ExchangeListOptions{CreatedAtFrom: time.Now().Add(-time.Hour), CreatedAtTo: time.Now()}

	for _, tt := range []struct {
		skew    time.Duration
		expired bool
	}{
		{0, false},
		{4 * time.Minute, false},
		{-4 * time.Minute, false},
		{10 * time.Minute, true},
		{-10 * time.Minute, true},
	} {
		skew.Store(int64(tt.skew))
		_, err := c.Exchanges.List(context.Background(), opts)
		if !tt.expired {
			assert.NoError(t, err, "skew %v", tt.skew)
			continue
		}
		require.ErrorIs(t, err, coupang.ErrUnauthorized, "skew %v", tt.skew)
		assert.Equal(t, "Specified signature is expired.", apiError(t, err).Message)
	}
}

func TestCustomCredentials(t *testing.T) {
	srv := coupangtest.NewTestServer(t, coupangtest.WithCredentials("ak", "sk", "C00000042"))
	assert.Equal(t, "ak", srv.AccessKey)
	assert.Equal(t, "sk", srv.SecretKey)
	assert.Equal(t, "C00000042", srv.VendorID)
	c, err := coupang.NewClient("ak", "sk", "C00000042", coupang.WithBaseURL(srv.URL), coupang.WithRateLimit(0))
	require.NoError(t, err)
	all := listAll(t, c, coupang.ExchangeListOptions{})
	require.Len(t, all, coupangtest.DefaultExchanges)
	for _, ex := range all {
		assert.Equal(t, "C00000042", ex.VendorID)
	}
}

func TestUnknownPathsAndMethods(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	tests := []struct {
		method, path string
		status       int
	}{
		{http.MethodGet, "/v2/providers/openapi/apis/api/v5/vendors/" + srv.VendorID + "/returnWithdrawRequests", 404},
		{http.MethodGet, "/v2/providers/openapi/apis/api/v5/vendors/" + srv.VendorID + "/returnRequests", 404},
		{http.MethodGet, "/v2/providers/openapi/apis/api/v6/vendors/" + srv.VendorID + "/returnRequests", 400},
		{http.MethodPost, "/v2/providers/openapi/apis/api/v6/vendors/" + srv.VendorID + "/returnRequests", 405},
		{http.MethodPut, "/v2/providers/openapi/apis/api/v6/vendors/" + srv.VendorID + "/returnRequests/1/approval", 404},
		{http.MethodPut, "/v2/providers/openapi/apis/api/v5/vendors/" + srv.VendorID + "/returnRequests/1/stoppedShipment", 404},
		{http.MethodGet, "/v2/providers/openapi/apis/api/v4/vendors/" + srv.VendorID + "/returnRequests/1/approval", 405},
		{http.MethodGet, "/somewhere", 404},
		{http.MethodPost, basePath, 405},
		{http.MethodGet, basePath + "/123/receiveConfirmation", 405},
		{http.MethodPut, basePath + "/123/invoices", 405},
		{http.MethodPost, basePath + "/123/rejection", 405},
		{http.MethodPut, basePath + "/abc/rejection", 400},
		{http.MethodPut, basePath + "/123/somethingElse", 404},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			resp := rawDo(t, srv, tt.method, tt.path, "")
			assert.Equal(t, tt.status, resp.status, resp.body)
			assert.EqualValues(t, tt.status, resp.json["code"])
		})
	}
}
