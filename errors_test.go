package coupang_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
)

// cdnPage is an "Access Denied" page as a CDN serves it: HTML, far longer
// than the snippet an error keeps.
var cdnPage = `<!DOCTYPE html>
<html>
<head>
  <title>Access Denied</title>
</head>
<body>
<h1>Access Denied</h1>
You don't have permission to access "http&#58;&#47;&#47;api&#45;gateway&#46;coupang&#46;com&#47;v2&#47;providers" on this server.<p>
Reference&#32;&#35;18&#46;6f2c3e17&#46;1772675681&#46;1a2b3c4d
` + strings.Repeat("<p>padding padding padding padding padding padding padding</p>\n", 200) + `
</body>
</html>`

func TestHTTPErrors(t *testing.T) {
	sentinels := []error{coupang.ErrUnauthorized, coupang.ErrForbidden, coupang.ErrNotFound, coupang.ErrRateLimited, coupang.ErrOutcomeUnknown}
	tests := []struct {
		name      string
		write     bool // call Reject instead of List
		responder httpmock.Responder

		wantStatus    int
		wantCode      string
		wantMessage   string
		wantTxID      string
		wantBody      string // exact, when not empty
		wantBodyLimit bool   // Body is a bounded snippet ending in "…"
		wantLocation  string
		wantIs        error // nil: no sentinel matches
		wantUnknown   bool
	}{
		{
			name:        "401 gateway JSON",
			responder:   jsonResponder(401, `{"code":"ERROR","message":"Invalid signature.","transactionId":"0a1b2c3d-0000-4000-8000-000000000001"}`),
			wantStatus:  401,
			wantCode:    "ERROR",
			wantMessage: "Invalid signature.",
			wantTxID:    "0a1b2c3d-0000-4000-8000-000000000001",
			wantIs:      coupang.ErrUnauthorized,
		},
		{
			name:        "401 expired signature",
			write:       true,
			responder:   jsonResponder(401, `{"code":"ERROR","message":"Specified signature is expired.","transactionId":"tx-2"}`),
			wantStatus:  401,
			wantCode:    "ERROR",
			wantMessage: "Specified signature is expired.",
			wantTxID:    "tx-2",
			wantIs:      coupang.ErrUnauthorized,
		},
		{
			name:          "403 HTML page from the CDN",
			responder:     httpmock.NewStringResponder(403, cdnPage).HeaderSet(http.Header{"Content-Type": {"text/html"}}),
			wantStatus:    403,
			wantMessage:   "Access Denied",
			wantBodyLimit: true,
			wantIs:        coupang.ErrForbidden,
		},
		{
			name:        "403 not allowed IP",
			responder:   jsonResponder(403, `{"code":"ERROR","message":"Not allowed IP"}`),
			wantStatus:  403,
			wantCode:    "ERROR",
			wantMessage: "Not allowed IP",
			wantIs:      coupang.ErrForbidden,
		},
		{
			name:        "404 JSON",
			responder:   jsonResponder(404, `{"code":404,"message":"Not Found"}`),
			wantStatus:  404,
			wantCode:    "404",
			wantMessage: "Not Found",
			wantIs:      coupang.ErrNotFound,
		},
		{
			name:       "404 with no body",
			responder:  httpmock.NewStringResponder(404, ""),
			wantStatus: 404,
			wantIs:     coupang.ErrNotFound,
		},
		{
			name:        "429 without retries",
			responder:   jsonResponder(429, `{"code":"ERROR","message":"Too Many Requests"}`),
			wantStatus:  429,
			wantCode:    "ERROR",
			wantMessage: "Too Many Requests",
			wantIs:      coupang.ErrRateLimited,
		},
		{
			// Nothing shows that the gateway answered before the write
			// was applied (issue 17.2).
			name:        "429 on a write: rate limited, outcome unknown",
			write:       true,
			responder:   jsonResponder(429, `{"code":"ERROR","message":"Too Many Requests"}`),
			wantStatus:  429,
			wantCode:    "ERROR",
			wantMessage: "Too Many Requests",
			wantIs:      coupang.ErrRateLimited,
			wantUnknown: true,
		},
		{
			name: "302 redirect is not followed",
			responder: httpmock.NewStringResponder(302, "").HeaderSet(http.Header{
				"Location": {"https://www.coupang.com/np/blocked?vendorId=A00012345&token=abc#x"},
			}),
			wantStatus:   302,
			wantLocation: "https://www.coupang.com/np/blocked",
			wantIs:       coupang.ErrForbidden,
		},
		{
			name:        "400 with a numeric code in the body",
			responder:   jsonResponder(400, `{"code":400,"message":"createdAtTo must be within 7 days"}`),
			wantStatus:  400,
			wantCode:    "400",
			wantMessage: "createdAtTo must be within 7 days",
		},
		{
			name:        "400 with a string code in the body",
			write:       true,
			responder:   jsonResponder(400, `{"code":"400","message":"exchangeRejectCode is invalid"}`),
			wantStatus:  400,
			wantCode:    "400",
			wantMessage: "exchangeRejectCode is invalid",
		},
		{
			name:        "other gateway shape",
			responder:   jsonResponder(401, `{"error":"unauthorized","status":401}`),
			wantStatus:  401,
			wantMessage: "unauthorized",
			wantIs:      coupang.ErrUnauthorized,
		},
		{
			name:        "502 HTML page",
			responder:   httpmock.NewStringResponder(502, "<html><head><title>502 Bad Gateway</title></head><body><center>502 Bad Gateway</center></body></html>"),
			wantStatus:  502,
			wantMessage: "502 Bad Gateway",
			wantBody:    "<html><head><title>502 Bad Gateway</title></head><body><center>502 Bad Gateway</center></body></html>",
		},
		{
			name:       "503 plain text",
			responder:  httpmock.NewStringResponder(503, "  Service\n Unavailable \n"),
			wantStatus: 503,
			wantBody:   "Service Unavailable",
		},
		{
			name:        "500 on a write: outcome unknown",
			write:       true,
			responder:   jsonResponder(500, `{"code":500,"message":"Internal Server Error"}`),
			wantStatus:  500,
			wantCode:    "500",
			wantMessage: "Internal Server Error",
			wantIs:      coupang.ErrOutcomeUnknown,
			wantUnknown: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMockAPI(t, coupang.WithMaxRetries(0))
			// A followed redirect would land here and be counted.
			m.transport.RegisterResponder(http.MethodGet, "=~^https://www\\.coupang\\.com/", m.record(httpmock.NewStringResponder(200, "followed")))
			var err error
			if tt.write {
				m.on(http.MethodPut, exchangesPath+"/100000070/rejection", tt.responder)
				err = m.client.Exchanges.Reject(context.Background(), 100000070, coupang.RejectSoldOut)
			} else {
				m.on(http.MethodGet, exchangesPath, tt.responder)
				var page *coupang.ExchangePage
				page, err = m.client.Exchanges.List(context.Background(), listOpts())
				assert.Nil(t, page)
			}
			r := m.only() // exactly one call: no retry, no redirect followed

			apiErr := requireAPIError(t, err)
			assert.Equal(t, tt.wantStatus, apiErr.StatusCode)
			assert.Equal(t, tt.wantCode, apiErr.Code)
			assert.Equal(t, tt.wantMessage, apiErr.Message)
			assert.Equal(t, tt.wantTxID, apiErr.TransactionID)
			assert.Equal(t, tt.wantLocation, apiErr.Location)
			assert.Equal(t, tt.wantUnknown, apiErr.OutcomeUnknown)
			assert.Equal(t, 1, apiErr.Attempts)
			assert.Empty(t, apiErr.ResultCode)
			assert.Equal(t, r.Method, apiErr.Method)
			assert.True(t, strings.HasPrefix(apiErr.Path, exchangesPath), "path %q", apiErr.Path)
			switch {
			case tt.wantBodyLimit:
				assert.LessOrEqual(t, len(apiErr.Body), 512+len("…"))
				assert.True(t, strings.HasSuffix(apiErr.Body, "…"), "a cut snippet ends with an ellipsis: %q", apiErr.Body)
				assert.True(t, strings.HasPrefix(apiErr.Body, "<!DOCTYPE html> <html> <head> <title>Access Denied</title>"), "whitespace collapsed: %q", apiErr.Body)
				assert.True(t, utf8.ValidString(apiErr.Body))
			case tt.wantBody != "":
				assert.Equal(t, tt.wantBody, apiErr.Body)
			default:
				assert.Empty(t, apiErr.Body, "JSON bodies are not kept: they may hold personal data")
			}

			for _, s := range sentinels {
				if s == tt.wantIs || (tt.wantUnknown && s == coupang.ErrOutcomeUnknown) {
					assert.ErrorIs(t, err, s)
				} else {
					assert.NotErrorIs(t, err, s)
				}
			}

			msg := err.Error()
			assert.Contains(t, msg, "coupang: ")
			if tt.wantMessage != "" {
				assert.Contains(t, msg, tt.wantMessage)
			}
			if tt.wantTxID != "" {
				assert.Contains(t, msg, tt.wantTxID)
			}
			assertNoSecrets(t, msg, r.Header.Get("Authorization"))
			assert.NotContains(t, msg, "token=abc", "the redirect's query is dropped")
		})
	}
}

func TestRedirectNotFollowedEvenIfCallerClientFollows(t *testing.T) {
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder(http.MethodGet, "=~^"+testBaseURL, httpmock.NewStringResponder(302, "").HeaderSet(http.Header{"Location": {"https://www.coupang.com/blocked"}}))
	mt.RegisterResponder(http.MethodGet, "https://www.coupang.com/blocked", httpmock.NewStringResponder(200, okEmptyList))
	followAll := func(*http.Request, []*http.Request) error { return nil }
	hc := &http.Client{Transport: mt, CheckRedirect: followAll}
	c, err := coupang.NewClient(testAccessKey, testSecretKey, testVendorID,
		coupang.WithHTTPClient(hc), coupang.WithBaseURL(testBaseURL), coupang.WithRateLimit(0), coupang.WithMaxRetries(0))
	require.NoError(t, err)

	_, err = c.Exchanges.List(context.Background(), listOpts())
	assert.ErrorIs(t, err, coupang.ErrForbidden)
	assert.Equal(t, 1, mt.GetTotalCallCount())
	assert.NotNil(t, hc.CheckRedirect, "the caller's client is not modified")
}

func TestHTMLSnippetCutOnRuneBoundary(t *testing.T) {
	// 3-byte Korean runes, so a cut at 512 bytes falls inside one.
	page := "<html><head><title>접근 거부</title></head><body>" + strings.Repeat("가", 1000) + "</body></html>"
	for pad := 0; pad < 3; pad++ {
		m := newMockAPI(t)
		m.on(http.MethodGet, exchangesPath, httpmock.NewStringResponder(403, strings.Repeat("x", pad)+page))
		_, err := m.client.Exchanges.List(context.Background(), listOpts())
		apiErr := requireAPIError(t, err)
		assert.True(t, utf8.ValidString(apiErr.Body), "pad %d: %q", pad, apiErr.Body)
		assert.LessOrEqual(t, len(apiErr.Body), 512+len("…"))
		assert.True(t, strings.HasSuffix(apiErr.Body, "…"))
		assert.Equal(t, "접근 거부", apiErr.Message)
	}
}

func TestRequestErrors(t *testing.T) {
	t.Run("transport failure on a GET", func(t *testing.T) {
		m := newMockAPI(t)
		cause := errors.New("connection reset by peer")
		m.on(http.MethodGet, exchangesPath, httpmock.NewErrorResponder(cause))
		_, err := m.client.Exchanges.List(context.Background(), listOpts())
		require.Error(t, err)
		var reqErr *coupang.RequestError
		require.ErrorAs(t, err, &reqErr)
		assert.Equal(t, http.MethodGet, reqErr.Method)
		assert.Equal(t, exchangesPath, reqErr.Path)
		assert.Equal(t, 1, reqErr.Attempts)
		assert.False(t, reqErr.OutcomeUnknown)
		assert.ErrorIs(t, err, cause)
		assert.NotErrorIs(t, err, coupang.ErrOutcomeUnknown)
		assert.Contains(t, err.Error(), "connection reset by peer")
		assertNoSecrets(t, err.Error(), m.only().Header.Get("Authorization"))
	})

	t.Run("cancelled context", func(t *testing.T) {
		// A real transport: httpmock races cancellation against the answer.
		var calls atomic.Int32
		srv := newLocalServer(t, func(w http.ResponseWriter, r *http.Request) {
			calls.Add(1)
			_, _ = w.Write([]byte(okEmptyList))
		})
		c, err := coupang.NewClient(testAccessKey, testSecretKey, testVendorID,
			coupang.WithBaseURL(srv.URL), coupang.WithRateLimit(0), coupang.WithMaxRetries(3))
		require.NoError(t, err)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err = c.Exchanges.List(ctx, listOpts())
		require.Error(t, err)
		assert.ErrorIs(t, err, context.Canceled)
		var reqErr *coupang.RequestError
		assert.ErrorAs(t, err, &reqErr)
		assert.Equal(t, 1, reqErr.Attempts, "a cancelled context is not retried")
		assertNoSecrets(t, err.Error())
		srv.Close()
		assert.Zero(t, calls.Load())
	})

	t.Run("undecodable success body on a write", func(t *testing.T) {
		m := newMockAPI(t)
		m.onJSON(http.MethodPut, exchangesPath+"/1/rejection", 200, `{"code":"200","message":`)
		err := m.client.Exchanges.Reject(context.Background(), 1, coupang.RejectSoldOut)
		var reqErr *coupang.RequestError
		require.ErrorAs(t, err, &reqErr)
		assert.True(t, reqErr.OutcomeUnknown)
		assert.ErrorIs(t, err, coupang.ErrOutcomeUnknown)
		assert.Contains(t, err.Error(), "outcome unknown")
		assertNoSecrets(t, err.Error(), m.only().Header.Get("Authorization"))
	})

	t.Run("data of the wrong shape in a list", func(t *testing.T) {
		m := newMockAPI(t)
		m.onJSON(http.MethodGet, exchangesPath, 200, `{"code":200,"message":"OK","data":"exchanges"}`)
		_, err := m.client.Exchanges.List(context.Background(), listOpts())
		var reqErr *coupang.RequestError
		require.ErrorAs(t, err, &reqErr)
		assert.Contains(t, err.Error(), "decoding the response")
	})
}

func TestAPIErrorIs(t *testing.T) {
	tests := []struct {
		status int
		want   error
	}{
		{401, coupang.ErrUnauthorized},
		{403, coupang.ErrForbidden},
		{301, coupang.ErrForbidden},
		{302, coupang.ErrForbidden},
		{307, coupang.ErrForbidden},
		{404, coupang.ErrNotFound},
		{429, coupang.ErrRateLimited},
		{400, nil},
		{500, nil},
		{200, nil},
	}
	all := []error{coupang.ErrUnauthorized, coupang.ErrForbidden, coupang.ErrNotFound, coupang.ErrRateLimited, coupang.ErrOutcomeUnknown}
	for _, tt := range tests {
		err := error(&coupang.APIError{StatusCode: tt.status})
		for _, s := range all {
			assert.Equal(t, s == tt.want, errors.Is(err, s), "status %d, sentinel %v", tt.status, s)
		}
	}
	assert.ErrorIs(t, &coupang.APIError{StatusCode: 502, OutcomeUnknown: true}, coupang.ErrOutcomeUnknown)
}

func TestAPIErrorError(t *testing.T) {
	tests := []struct {
		name string
		err  *coupang.APIError
		want string
	}{
		{
			name: "gateway",
			err:  &coupang.APIError{StatusCode: 401, Code: "ERROR", Message: "Invalid signature.", TransactionID: "tx", Method: "GET", Path: "/v2/x"},
			want: "coupang: GET /v2/x: 401 Unauthorized: Invalid signature. (code ERROR) [transactionId tx]",
		},
		{
			name: "business failure",
			err:  &coupang.APIError{StatusCode: 200, Code: "200", ResultCode: "FAIL", Message: "거부 불가", Method: "PUT", Path: "/v2/y"},
			want: "coupang: PUT /v2/y: business failure (HTTP 200, resultCode FAIL): 거부 불가",
		},
		{
			name: "redirect",
			err:  &coupang.APIError{StatusCode: 302, Location: "https://www.coupang.com/blocked"},
			want: "coupang: 302 Found (redirected to https://www.coupang.com/blocked; Coupang redirects blocked callers)",
		},
		{
			name: "retries and unknown outcome",
			err:  &coupang.APIError{StatusCode: 503, Attempts: 3, OutcomeUnknown: true},
			want: "coupang: 503 Service Unavailable after 3 attempts; outcome unknown: the request may have been applied, list again before retrying",
		},
		{
			name: "code equal to the status is not repeated",
			err:  &coupang.APIError{StatusCode: 400, Code: "400", Message: "bad"},
			want: "coupang: 400 Bad Request: bad",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.err.Error())
		})
	}
}

func TestValidationErrorError(t *testing.T) {
	err := &coupang.ValidationError{Field: "exchangeID", Reason: "must be positive, got 0"}
	assert.Equal(t, "coupang: invalid exchangeID: must be positive, got 0", err.Error())
}

func TestRequestErrorError(t *testing.T) {
	cause := context.DeadlineExceeded
	err := &coupang.RequestError{Method: "POST", Path: "/v2/z", Attempts: 2, OutcomeUnknown: true, Err: cause}
	assert.Equal(t, "coupang: POST /v2/z: outcome unknown (the request may have been applied; list again before retrying): context deadline exceeded (after 2 attempts)", err.Error())
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.ErrorIs(t, err, coupang.ErrOutcomeUnknown)
	assert.NotErrorIs(t, &coupang.RequestError{Err: cause}, coupang.ErrOutcomeUnknown)
}

// TestErrorsNeverLeakSecrets runs every kind of failure and checks the error
// text for the secret key and the Authorization header.
func TestErrorsNeverLeakSecrets(t *testing.T) {
	responders := map[string]httpmock.Responder{
		"401":       jsonResponder(401, `{"code":"ERROR","message":"Invalid signature."}`),
		"403 html":  httpmock.NewStringResponder(403, cdnPage),
		"429":       jsonResponder(429, `{}`),
		"500":       httpmock.NewStringResponder(500, "oops"),
		"302":       httpmock.NewStringResponder(302, "").HeaderSet(http.Header{"Location": {"https://www.coupang.com/x"}}),
		"transport": httpmock.NewErrorResponder(errors.New("dial tcp: connection refused")),
		"bad json":  jsonResponder(200, `{"code":200,"data":[{"exchangeId":"x"}]`),
		"fail":      jsonResponder(200, `{"code":"200","data":{"resultCode":"FAIL","resultMessage":"no"}}`),
	}
	for name, r := range responders {
		t.Run(name, func(t *testing.T) {
			m := newMockAPI(t, coupang.WithMaxRetries(1), coupang.WithBackoff(time.Millisecond, time.Millisecond))
			m.transport.RegisterRegexpResponder(http.MethodGet, regexpExchanges, m.record(r))
			m.transport.RegisterRegexpResponder(http.MethodPut, regexpExchanges, m.record(r))
			errs := []error{}
			_, err := m.client.Exchanges.List(context.Background(), listOpts())
			if name != "fail" { // a write's answer: List reads its data object as a one-record page
				errs = append(errs, err)
			}
			errs = append(errs, m.client.Exchanges.Reject(context.Background(), 1, coupang.RejectSoldOut))
			calls := m.calls()
			require.NotEmpty(t, calls)
			for _, err := range errs {
				require.Error(t, err)
				for _, c := range calls {
					assertNoSecrets(t, err.Error(), c.Header.Get("Authorization"))
				}
			}
		})
	}
}

func TestSnippetOfLongWhitespaceHeavyPage(t *testing.T) {
	// Indented pages: the first 2 KiB collapse to a few bytes, and the byte
	// bound falls inside a Korean rune. The snippet must still be valid
	// UTF-8 and say that it was cut.
	for pad := 0; pad < 3; pad++ {
		page := "<html>" + strings.Repeat(" ", 2030+pad) + strings.Repeat("가", 400) + "</html>"
		m := newMockAPI(t)
		m.on(http.MethodGet, exchangesPath, httpmock.NewStringResponder(503, page))
		_, err := m.client.Exchanges.List(context.Background(), listOpts())
		apiErr := requireAPIError(t, err)
		assert.True(t, utf8.ValidString(apiErr.Body), "pad %d: %q", pad, apiErr.Body)
		assert.True(t, strings.HasSuffix(apiErr.Body, "…"), "pad %d: %q", pad, apiErr.Body)
		assert.True(t, strings.HasPrefix(apiErr.Body, "<html> 가"), "pad %d: %q", pad, apiErr.Body)
		assert.LessOrEqual(t, len(apiErr.Body), 512+len("…"))
	}
}
