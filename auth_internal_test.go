package coupang

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestClientSignsReferenceVector drives a whole Reject call with the clock
// fixed, so the Authorization header on the wire must be exactly the
// reference header of the API notes (§6), signed-date included: the
// black-box tests can only check that a signature verifies, not that the
// client signs with the current time in UTC.
func TestClientSignsReferenceVector(t *testing.T) {
	const want = "CEA algorithm=HmacSHA256, access-key=test-access-key, signed-date=250301T120000Z, " +
		"signature=3cc0e21daa9868fa1bb3fa64e955642595b6327c12394518025f289b19eed697"
	mt := httpmock.NewMockTransport()
	var got []string
	mt.RegisterResponder(http.MethodPut,
		"https://api-gateway.coupang.com/v2/providers/openapi/apis/api/v4/vendors/A00012345/exchangeRequests/100000070/rejection",
		func(req *http.Request) (*http.Response, error) {
			got = req.Header.Values("Authorization")
			return httpmock.NewStringResponse(200, `{"code":"200","message":"SUCCESS","data":{"resultCode":"SUCCESS"}}`), nil
		})
	c, err := NewClient("test-access-key", "7ffcdf00aa00bb00cc00dd00ee00ff0011223344", "A00012345",
		WithHTTPClient(&http.Client{Transport: mt}), WithRateLimit(0), WithMaxRetries(0))
	require.NoError(t, err)
	// 21:00 in Korea is 12:00 UTC: the signed-date must be in UTC.
	c.now = func() time.Time { return time.Date(2025, 3, 1, 21, 0, 0, 0, kst) }

	require.NoError(t, c.Exchanges.Reject(context.Background(), 100000070, RejectSoldOut))
	assert.Equal(t, []string{want}, got)
	assert.Equal(t, 1, mt.GetTotalCallCount())
}
