package coupang_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
)

// WithHTTPClient given to one call must not follow Coupang's block redirect
// either (it did: only NewClient switched redirects off).
func TestRedirectNotFollowedWithPerCallHTTPClient(t *testing.T) {
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder(http.MethodGet, "=~^"+testBaseURL, httpmock.NewStringResponder(302, "").HeaderSet(http.Header{"Location": {"https://www.coupang.com/blocked"}}))
	mt.RegisterResponder(http.MethodGet, "https://www.coupang.com/blocked", httpmock.NewStringResponder(200, okEmptyList))
	c, err := coupang.NewClient(testAccessKey, testSecretKey, testVendorID,
		coupang.WithBaseURL(testBaseURL), coupang.WithRateLimit(0), coupang.WithMaxRetries(0))
	require.NoError(t, err)

	_, err = c.Exchanges.List(context.Background(), listOpts(), coupang.WithHTTPClient(&http.Client{Transport: mt}))
	assert.ErrorIs(t, err, coupang.ErrForbidden)
	assert.Equal(t, 1, mt.GetTotalCallCount())
}
