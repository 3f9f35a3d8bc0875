package coupang_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
)

// Dummy credentials: the secret is the one of the reference test vector.
const (
	testAccessKey = "test-access-key"
	testSecretKey = "7ffcdf00aa00bb00cc00dd00ee00ff0011223344"
	testVendorID  = "A00012345"
	testBaseURL   = "https://api.test.example"
	// exchangesPath is the root of the four exchange endpoints for testVendorID.
	exchangesPath = "/v2/providers/openapi/apis/api/v4/vendors/A00012345/exchangeRequests"
	// wantContentType is what every request must carry, GET included.
	wantContentType = "application/json;charset=UTF-8"
)

// recordedRequest is what the mock transport received, as it would be on the
// wire.
type recordedRequest struct {
	Method   string
	Path     string // escaped path, exactly as sent
	RawQuery string // exactly as sent
	Header   http.Header
	Body     []byte
}

// mockAPI is a client wired to its own httpmock transport (never the global
// default one) that records every request it receives.
type mockAPI struct {
	t         *testing.T
	transport *httpmock.MockTransport
	client    *coupang.Client
	baseURL   string

	mu       sync.Mutex
	requests []recordedRequest
}

// newMockAPI returns a client for testBaseURL with pacing and retries off;
// opts are applied after those defaults and can override them.
func newMockAPI(t *testing.T, opts ...coupang.Option) *mockAPI {
	t.Helper()
	return newMockAPIAt(t, testBaseURL, opts...)
}

// newMockAPIAt is newMockAPI with another base URL, such as one with a path
// prefix.
func newMockAPIAt(t *testing.T, baseURL string, opts ...coupang.Option) *mockAPI {
	t.Helper()
	m := &mockAPI{t: t, transport: httpmock.NewMockTransport(), baseURL: strings.TrimRight(baseURL, "/")}
	// A request no responder expects fails the test and gets a 599 that no
	// code path treats as success.
	m.transport.RegisterNoResponder(m.record(func(req *http.Request) (*http.Response, error) {
		t.Errorf("unexpected request %s %s", req.Method, req.URL.String())
		return httpmock.NewStringResponse(599, `{"code":"ERROR","message":"unexpected request"}`), nil
	}))
	all := append([]coupang.Option{
		coupang.WithHTTPClient(&http.Client{Transport: m.transport}),
		coupang.WithRateLimit(0),
		coupang.WithMaxRetries(0),
		coupang.WithBaseURL(baseURL),
	}, opts...)
	c, err := coupang.NewClient(testAccessKey, testSecretKey, testVendorID, all...)
	require.NoError(t, err)
	m.client = c
	return m
}

// record wraps r so that every request it answers is recorded first.
func (m *mockAPI) record(r httpmock.Responder) httpmock.Responder {
	return func(req *http.Request) (*http.Response, error) {
		var body []byte
		if req.Body != nil {
			b, err := io.ReadAll(req.Body)
			if err != nil {
				return nil, err
			}
			body = b
		}
		uri := req.URL.RequestURI()
		path, query, _ := strings.Cut(uri, "?")
		m.mu.Lock()
		m.requests = append(m.requests, recordedRequest{
			Method:   req.Method,
			Path:     path,
			RawQuery: query,
			Header:   req.Header.Clone(),
			Body:     body,
		})
		m.mu.Unlock()
		return r(req)
	}
}

// on answers method requests to the base URL plus path (any query) with r.
func (m *mockAPI) on(method, path string, r httpmock.Responder) {
	m.transport.RegisterResponder(method, m.baseURL+path, m.record(r))
}

// onJSON answers method requests to path with a fixed status and JSON body.
func (m *mockAPI) onJSON(method, path string, status int, body string) {
	m.on(method, path, jsonResponder(status, body))
}

// calls returns a copy of the requests received so far.
func (m *mockAPI) calls() []recordedRequest {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]recordedRequest(nil), m.requests...)
}

// callCount is the number of requests the transport received.
func (m *mockAPI) callCount() int { return m.transport.GetTotalCallCount() }

// only returns the single request received, failing the test otherwise.
func (m *mockAPI) only() recordedRequest {
	m.t.Helper()
	calls := m.calls()
	require.Len(m.t, calls, 1, "requests received")
	return calls[0]
}

// jsonResponder answers with status and a JSON body.
func jsonResponder(status int, body string) httpmock.Responder {
	return func(*http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(status, body)
		resp.Header.Set("Content-Type", "application/json;charset=UTF-8")
		return resp, nil
	}
}

// fixture reads testdata/fixtures/name.
func fixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "fixtures", name))
	require.NoError(t, err)
	return string(b)
}

// hmacHex is the reference signature: lower-case hex HMAC-SHA256 of message
// keyed with secret, computed independently of the package under test.
func hmacHex(secret, message string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(message))
	return hex.EncodeToString(mac.Sum(nil))
}

var authHeaderRE = regexp.MustCompile(`^CEA algorithm=HmacSHA256, access-key=([^,]+), signed-date=(\d{6}T\d{6}Z), signature=([0-9a-f]{64})$`)

// testMethod asserts the request's method.
func testMethod(t *testing.T, r recordedRequest, want string) {
	t.Helper()
	assert.Equal(t, want, r.Method, "method")
}

// testPath asserts the request's escaped path.
func testPath(t *testing.T, r recordedRequest, want string) {
	t.Helper()
	assert.Equal(t, want, r.Path, "path")
}

// testRawQuery asserts the exact query string sent.
func testRawQuery(t *testing.T, r recordedRequest, want string) {
	t.Helper()
	assert.Equal(t, want, r.RawQuery, "raw query")
}

// testHeader asserts one header's exact, single value.
func testHeader(t *testing.T, r recordedRequest, name, want string) {
	t.Helper()
	assert.Equal(t, []string{want}, r.Header.Values(name), "header %s", name)
}

// testJSONBody asserts the request body is JSON equal to want. Besides
// assert.JSONEq, which compares numbers as float64 and so cannot tell two
// 18-digit ids apart, it compares numbers by their exact digits and keeps
// numbers and strings distinct.
func testJSONBody(t *testing.T, r recordedRequest, want string) {
	t.Helper()
	assert.JSONEq(t, want, string(r.Body), "body")
	assert.Equal(t, decodeExact(t, []byte(want)), decodeExact(t, r.Body), "body, numbers compared exactly")
}

// decodeExact decodes JSON keeping numbers as json.Number.
func decodeExact(t *testing.T, b []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	require.NoError(t, dec.Decode(&v), "decoding %s", b)
	return v
}

// testNoBody asserts the request carried no body.
func testNoBody(t *testing.T, r recordedRequest) {
	t.Helper()
	assert.Empty(t, r.Body, "body")
}

// testSigned asserts the Authorization header has Coupang's format and that
// its signature verifies against the method, path and query the transport
// received, with the secret key. It returns the header's value.
func testSigned(t *testing.T, r recordedRequest) string {
	t.Helper()
	auth := r.Header.Get("Authorization")
	m := authHeaderRE.FindStringSubmatch(auth)
	if !assert.NotNil(t, m, "Authorization header %q has not Coupang's format", auth) {
		return auth
	}
	assert.Equal(t, testAccessKey, m[1], "access key")
	want := hmacHex(testSecretKey, m[2]+r.Method+r.Path+r.RawQuery)
	assert.Equal(t, want, m[3], "signature over %q", m[2]+r.Method+r.Path+r.RawQuery)
	return auth
}

// testCommonHeaders asserts the headers every call carries.
func testCommonHeaders(t *testing.T, r recordedRequest) {
	t.Helper()
	testHeader(t, r, "Content-Type", wantContentType)
	testSigned(t, r)
}

// requireValidation asserts err is a *coupang.ValidationError for field.
func requireValidation(t *testing.T, err error, field string) *coupang.ValidationError {
	t.Helper()
	require.Error(t, err)
	var ve *coupang.ValidationError
	require.True(t, errors.As(err, &ve), "want a *coupang.ValidationError, got %T: %v", err, err)
	assert.Equal(t, field, ve.Field, "field of %v", err)
	return ve
}

// requireAPIError asserts err is a *coupang.APIError and returns it.
func requireAPIError(t *testing.T, err error) *coupang.APIError {
	t.Helper()
	require.Error(t, err)
	var apiErr *coupang.APIError
	require.True(t, errors.As(err, &apiErr), "want a *coupang.APIError, got %T: %v", err, err)
	return apiErr
}

// assertNoSecrets asserts s holds neither the secret key nor an
// Authorization header value.
func assertNoSecrets(t *testing.T, s string, authValues ...string) {
	t.Helper()
	assert.NotContains(t, s, testSecretKey, "secret key leaked")
	for _, a := range authValues {
		if a != "" {
			assert.NotContains(t, s, a, "Authorization header leaked")
		}
	}
	assert.NotContains(t, s, "signature=", "Authorization header leaked")
}

// newLocalServer starts an HTTP server on the loopback interface, closed when
// the test ends.
func newLocalServer(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// regexpExchanges matches any URL of the exchange endpoints.
var regexpExchanges = regexp.MustCompile(`/exchangeRequests`)
