package coupang_test

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
)

func TestNewClientDefaults(t *testing.T) {
	c, err := coupang.NewClient(testAccessKey, testSecretKey, testVendorID)
	require.NoError(t, err)
	assert.Equal(t, testVendorID, c.VendorID())
	assert.Equal(t, coupang.DefaultBaseURL, c.BaseURL())
	assert.NotNil(t, c.Exchanges)
	assert.Equal(t, "coupang.Client{vendorID: A00012345, baseURL: https://api-gateway.coupang.com}", c.String())
}

func TestNewClientValidation(t *testing.T) {
	const pastedSecret = "SECRETVALUE0123456789"
	tests := []struct {
		name                        string
		accessKey, secretKey, vndID string
		opts                        []coupang.Option
		field                       string // "" means valid
		mustNotLeak                 string
	}{
		{name: "valid", accessKey: testAccessKey, secretKey: testSecretKey, vndID: testVendorID},
		{name: "valid C vendor", accessKey: testAccessKey, secretKey: testSecretKey, vndID: "C00000001"},
		{name: "empty access key", secretKey: testSecretKey, vndID: testVendorID, field: "accessKey"},
		{name: "empty secret key", accessKey: testAccessKey, vndID: testVendorID, field: "secretKey"},
		{name: "secret key with a trailing newline", accessKey: testAccessKey, secretKey: pastedSecret + "\n", vndID: testVendorID, field: "secretKey", mustNotLeak: pastedSecret},
		{name: "secret key with an inner newline", accessKey: testAccessKey, secretKey: "SECRET\nVALUE0123456789", vndID: testVendorID, field: "secretKey", mustNotLeak: "VALUE0123456789"},
		{name: "access key with a carriage return", accessKey: "ACCESSKEY42\r\n", secretKey: testSecretKey, vndID: testVendorID, field: "accessKey", mustNotLeak: "ACCESSKEY42"},
		{name: "secret key with a space", accessKey: testAccessKey, secretKey: " " + pastedSecret, vndID: testVendorID, field: "secretKey", mustNotLeak: pastedSecret},
		{name: "secret key with a tab", accessKey: testAccessKey, secretKey: pastedSecret + "\t", vndID: testVendorID, field: "secretKey", mustNotLeak: pastedSecret},
		{name: "empty vendor", accessKey: testAccessKey, secretKey: testSecretKey, vndID: "", field: "vendorID"},
		{name: "vendor B123", accessKey: testAccessKey, secretKey: testSecretKey, vndID: "B123", field: "vendorID"},
		{name: "vendor A alone", accessKey: testAccessKey, secretKey: testSecretKey, vndID: "A", field: "vendorID"},
		{name: "vendor lower-case a", accessKey: testAccessKey, secretKey: testSecretKey, vndID: "a00012345", field: "vendorID"},
		{name: "vendor with a letter", accessKey: testAccessKey, secretKey: testSecretKey, vndID: "A0001234x", field: "vendorID"},
		{name: "vendor with a slash", accessKey: testAccessKey, secretKey: testSecretKey, vndID: "A0001/../x", field: "vendorID"},
		{name: "vendor with spaces", accessKey: testAccessKey, secretKey: testSecretKey, vndID: " A00012345", field: "vendorID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := coupang.NewClient(tt.accessKey, tt.secretKey, tt.vndID, tt.opts...)
			if tt.field == "" {
				require.NoError(t, err)
				require.NotNil(t, c)
				return
			}
			assert.Nil(t, c)
			requireValidation(t, err, tt.field)
			if tt.mustNotLeak != "" {
				assert.NotContains(t, err.Error(), tt.mustNotLeak, "the error must not echo the key")
				assert.NotContains(t, fmt.Sprintf("%+v", err), tt.mustNotLeak)
			}
			assert.NotContains(t, err.Error(), testSecretKey)
		})
	}
}

func TestWithBaseURL(t *testing.T) {
	tests := []struct {
		in      string
		want    string // BaseURL() after; "" means refused
		refused bool
	}{
		{in: "https://api-gateway.coupang.com", want: "https://api-gateway.coupang.com"},
		{in: "https://api-gateway.coupang.com/", want: "https://api-gateway.coupang.com"},
		{in: "https://proxy.example.com/coupang/", want: "https://proxy.example.com/coupang"},
		{in: "https://proxy.example.com:8443/a/b", want: "https://proxy.example.com:8443/a/b"},
		{in: "http://127.0.0.1:8080", want: "http://127.0.0.1:8080"},
		{in: "http://127.0.0.2", want: "http://127.0.0.2"},
		{in: "http://localhost", want: "http://localhost"},
		{in: "http://LOCALHOST:9000/", want: "http://LOCALHOST:9000"},
		{in: "http://[::1]:9000", want: "http://[::1]:9000"},
		{in: "http://example.com", refused: true},
		{in: "http://api-gateway.coupang.com", refused: true},
		{in: "http://localhost.example.com", refused: true},
		{in: "http://10.0.0.1", refused: true},
		{in: "ftp://api-gateway.coupang.com", refused: true},
		{in: "ws://localhost", refused: true},
		{in: "", refused: true},
		{in: "api-gateway.coupang.com", refused: true},
		{in: "/v2/providers", refused: true},
		{in: "https://", refused: true},
		{in: "https://user:pw@api-gateway.coupang.com", refused: true},
		{in: "https://api-gateway.coupang.com?x=1", refused: true},
		{in: "https://api-gateway.coupang.com#frag", refused: true},
		{in: "https://api gateway.coupang.com", refused: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			c, err := coupang.NewClient(testAccessKey, testSecretKey, testVendorID, coupang.WithBaseURL(tt.in))
			if tt.refused {
				assert.Nil(t, c)
				requireValidation(t, err, "baseURL")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, c.BaseURL())
		})
	}
}

func TestOptionValidation(t *testing.T) {
	tests := []struct {
		name  string
		opt   coupang.Option
		field string // "" means valid
	}{
		{"retries -1", coupang.WithMaxRetries(-1), "maxRetries"},
		{"retries 0", coupang.WithMaxRetries(0), ""},
		{"retries 10", coupang.WithMaxRetries(10), ""},
		{"rate -1", coupang.WithRateLimit(-1), "rateLimit"},
		{"rate NaN", coupang.WithRateLimit(math.NaN()), "rateLimit"},
		{"rate 0", coupang.WithRateLimit(0), ""},
		{"rate 0.5", coupang.WithRateLimit(0.5), ""},
		{"update POST", coupang.WithUpdateMethod("POST"), "updateMethod"},
		{"update GET", coupang.WithUpdateMethod("GET"), "updateMethod"},
		{"update empty", coupang.WithUpdateMethod(""), "updateMethod"},
		{"update PUT", coupang.WithUpdateMethod("PUT"), ""},
		{"update PATCH", coupang.WithUpdateMethod("PATCH"), ""},
		{"update patch", coupang.WithUpdateMethod("patch"), "updateMethod"}, // refused, not upper-cased
		{"http client nil", coupang.WithHTTPClient(nil), "httpClient"},
		{"http client", coupang.WithHTTPClient(&http.Client{}), ""},
		{"limiter nil", coupang.WithLimiter(nil), "limiter"},
		{"backoff zero min", coupang.WithBackoff(0, time.Second), "backoff"},
		{"backoff max below min", coupang.WithBackoff(2*time.Second, time.Second), "backoff"},
		{"backoff", coupang.WithBackoff(time.Millisecond, time.Second), ""},
		{"logger nil", coupang.WithLogger(nil), ""},
		{"nil option", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := coupang.NewClient(testAccessKey, testSecretKey, testVendorID, tt.opt)
			if tt.field == "" {
				require.NoError(t, err)
				assert.NotNil(t, c)
				return
			}
			assert.Nil(t, c)
			requireValidation(t, err, tt.field)
		})
	}
}

func TestWithHTTPClientDoesNotModifyCallersClient(t *testing.T) {
	mt := httpmock.NewMockTransport()
	hc := &http.Client{Transport: mt, Timeout: 7 * time.Second}
	_, err := coupang.NewClient(testAccessKey, testSecretKey, testVendorID, coupang.WithHTTPClient(hc))
	require.NoError(t, err)
	assert.Nil(t, hc.CheckRedirect)
	assert.Equal(t, 7*time.Second, hc.Timeout)
	assert.Same(t, mt, hc.Transport)
}

// ---- Input validation: refused before any request ----

func TestListValidation(t *testing.T) {
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, kst)
	tests := []struct {
		name  string
		opts  coupang.ExchangeListOptions
		field string // "" means valid: exactly one request
	}{
		{"zero from", coupang.ExchangeListOptions{CreatedAtTo: from}, "CreatedAtFrom"},
		{"zero to", coupang.ExchangeListOptions{CreatedAtFrom: from}, "CreatedAtTo"},
		{"both zero", coupang.ExchangeListOptions{}, "CreatedAtFrom"},
		{"to before from", coupang.ExchangeListOptions{CreatedAtFrom: from, CreatedAtTo: from.Add(-time.Second)}, "CreatedAtTo"},
		{"7 days + 1 second", coupang.ExchangeListOptions{CreatedAtFrom: from, CreatedAtTo: from.Add(7*24*time.Hour + time.Second)}, "CreatedAtTo"},
		{"30 days", coupang.ExchangeListOptions{CreatedAtFrom: from, CreatedAtTo: from.Add(30 * 24 * time.Hour)}, "CreatedAtTo"},
		{"exactly 7 days", coupang.ExchangeListOptions{CreatedAtFrom: from, CreatedAtTo: from.Add(7 * 24 * time.Hour)}, ""},
		{"exactly 7 days across zones", coupang.ExchangeListOptions{CreatedAtFrom: from.UTC(), CreatedAtTo: from.Add(7 * 24 * time.Hour)}, ""},
		{"from equals to", coupang.ExchangeListOptions{CreatedAtFrom: from, CreatedAtTo: from}, ""},
		{"page size -1", coupang.ExchangeListOptions{CreatedAtFrom: from, CreatedAtTo: from.Add(time.Hour), MaxPerPage: -1}, "MaxPerPage"},
		{"page size 51", coupang.ExchangeListOptions{CreatedAtFrom: from, CreatedAtTo: from.Add(time.Hour), MaxPerPage: 51}, "MaxPerPage"},
		{"page size 50", coupang.ExchangeListOptions{CreatedAtFrom: from, CreatedAtTo: from.Add(time.Hour), MaxPerPage: 50}, ""},
		{"negative order id", coupang.ExchangeListOptions{CreatedAtFrom: from, CreatedAtTo: from.Add(time.Hour), OrderID: -5}, "OrderID"},
		{"status with spaces", coupang.ExchangeListOptions{CreatedAtFrom: from, CreatedAtTo: from.Add(time.Hour), Status: " RECEIPT"}, "Status"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMockAPI(t)
			m.onJSON(http.MethodGet, exchangesPath, http.StatusOK, okEmptyList)
			page, err := m.client.Exchanges.List(context.Background(), tt.opts)
			if tt.field == "" {
				require.NoError(t, err)
				assert.NotNil(t, page)
				assert.Equal(t, 1, m.callCount())
				return
			}
			assert.Nil(t, page)
			requireValidation(t, err, tt.field)
			assert.Equal(t, 0, m.callCount(), "no request for invalid input")
		})
	}
}

func TestWriteValidation(t *testing.T) {
	box := int64(100000000000000123)
	good := coupang.ExchangeInvoice{ShipmentBoxID: box, GoodsDeliveryCode: coupang.CourierCJ, InvoiceNumber: "123456789012"}
	with := func(f func(*coupang.ExchangeInvoice)) []coupang.ExchangeInvoice {
		inv := good
		f(&inv)
		return []coupang.ExchangeInvoice{inv}
	}
	ctx := context.Background()
	tests := []struct {
		name  string
		call  func(*coupang.ExchangeService) error
		field string
	}{
		{"confirm id 0", func(s *coupang.ExchangeService) error { return s.ConfirmReceipt(ctx, 0) }, "exchangeID"},
		{"confirm id -5", func(s *coupang.ExchangeService) error { return s.ConfirmReceipt(ctx, -5) }, "exchangeID"},
		{"reject id 0", func(s *coupang.ExchangeService) error { return s.Reject(ctx, 0, coupang.RejectSoldOut) }, "exchangeID"},
		{"reject id -5", func(s *coupang.ExchangeService) error { return s.Reject(ctx, -5, coupang.RejectSoldOut) }, "exchangeID"},
		{"reject code empty", func(s *coupang.ExchangeService) error { return s.Reject(ctx, 1, "") }, "code"},
		{"reject code lower-case", func(s *coupang.ExchangeService) error { return s.Reject(ctx, 1, "soldout") }, "code"},
		{"reject code CANCEL", func(s *coupang.ExchangeService) error { return s.Reject(ctx, 1, "CANCEL") }, "code"},
		{"reject code with space", func(s *coupang.ExchangeService) error { return s.Reject(ctx, 1, "SOLDOUT ") }, "code"},
		{"upload id 0", func(s *coupang.ExchangeService) error {
			return s.UploadInvoices(ctx, 0, []coupang.ExchangeInvoice{good})
		}, "exchangeID"},
		{"upload id -5", func(s *coupang.ExchangeService) error {
			return s.UploadInvoices(ctx, -5, []coupang.ExchangeInvoice{good})
		}, "exchangeID"},
		{"upload nil invoices", func(s *coupang.ExchangeService) error { return s.UploadInvoices(ctx, 1, nil) }, "invoices"},
		{"upload empty invoices", func(s *coupang.ExchangeService) error { return s.UploadInvoices(ctx, 1, []coupang.ExchangeInvoice{}) }, "invoices"},
		{"upload box 0", func(s *coupang.ExchangeService) error {
			return s.UploadInvoices(ctx, 1, with(func(i *coupang.ExchangeInvoice) { i.ShipmentBoxID = 0 }))
		}, "invoices[0].ShipmentBoxID"},
		{"upload box negative", func(s *coupang.ExchangeService) error {
			return s.UploadInvoices(ctx, 1, with(func(i *coupang.ExchangeInvoice) { i.ShipmentBoxID = -1 }))
		}, "invoices[0].ShipmentBoxID"},
		{"upload empty courier", func(s *coupang.ExchangeService) error {
			return s.UploadInvoices(ctx, 1, with(func(i *coupang.ExchangeInvoice) { i.GoodsDeliveryCode = "" }))
		}, "invoices[0].GoodsDeliveryCode"},
		{"upload lower-case courier", func(s *coupang.ExchangeService) error {
			return s.UploadInvoices(ctx, 1, with(func(i *coupang.ExchangeInvoice) { i.GoodsDeliveryCode = "cjgls" }))
		}, "invoices[0].GoodsDeliveryCode"},
		{"upload courier in Korean", func(s *coupang.ExchangeService) error {
			return s.UploadInvoices(ctx, 1, with(func(i *coupang.ExchangeInvoice) { i.GoodsDeliveryCode = "CJ대한통운" }))
		}, "invoices[0].GoodsDeliveryCode"},
		{"upload empty invoice number", func(s *coupang.ExchangeService) error {
			return s.UploadInvoices(ctx, 1, with(func(i *coupang.ExchangeInvoice) { i.InvoiceNumber = "" }))
		}, "invoices[0].InvoiceNumber"},
		{"upload blank invoice number", func(s *coupang.ExchangeService) error {
			return s.UploadInvoices(ctx, 1, with(func(i *coupang.ExchangeInvoice) { i.InvoiceNumber = "   " }))
		}, "invoices[0].InvoiceNumber"},
		{"upload invoice number with leading space", func(s *coupang.ExchangeService) error {
			return s.UploadInvoices(ctx, 1, with(func(i *coupang.ExchangeInvoice) { i.InvoiceNumber = " 123456789012" }))
		}, "invoices[0].InvoiceNumber"},
		{"upload invoice number with trailing newline", func(s *coupang.ExchangeService) error {
			return s.UploadInvoices(ctx, 1, with(func(i *coupang.ExchangeInvoice) { i.InvoiceNumber = "123456789012\n" }))
		}, "invoices[0].InvoiceNumber"},
		{"upload second invoice bad", func(s *coupang.ExchangeService) error {
			bad := good
			bad.ShipmentBoxID = 0
			return s.UploadInvoices(ctx, 1, []coupang.ExchangeInvoice{good, bad})
		}, "invoices[1].ShipmentBoxID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMockAPI(t)
			m.transport.RegisterRegexpResponder(http.MethodPut, regexpExchanges, m.record(jsonResponder(200, okWrite)))
			m.transport.RegisterRegexpResponder(http.MethodPost, regexpExchanges, m.record(jsonResponder(200, okWrite)))
			err := tt.call(m.client.Exchanges)
			requireValidation(t, err, tt.field)
			assert.Equal(t, 0, m.callCount(), "no request for invalid input")
		})
	}
}

// ---- Secrets ----

func TestClientFormattingHidesSecret(t *testing.T) {
	m := newMockAPI(t)
	c := m.client
	values := map[string]any{
		"pointer":           c,
		"value":             *c,
		"service pointer":   c.Exchanges,
		"service value":     *c.Exchanges,
		"in a struct":       struct{ C *coupang.Client }{c},
		"in a struct value": struct{ C coupang.Client }{*c},
		"in a slice":        []*coupang.Client{c},
		"in a map":          map[string]*coupang.Client{"k": c},
	}
	for name, v := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X"} {
			out := fmt.Sprintf(verb, v)
			assert.NotContains(t, out, testSecretKey, "%s with %s: %s", name, verb, out)
			assert.NotContains(t, strings.ToLower(out), fmt.Sprintf("%x", testSecretKey), "%s with %s leaks the key in hex", name, verb)
		}
	}
	assert.Contains(t, fmt.Sprintf("%v", c), testVendorID)
}

// ---- NewClientFromEnv ----

func TestNewClientFromEnv(t *testing.T) {
	tests := []struct {
		name        string
		env         map[string]string
		opts        []coupang.Option
		wantMissing []string
		wantBase    string
		wantField   string
	}{
		{
			name:        "nothing set",
			env:         map[string]string{},
			wantMissing: []string{"COUPANG_ACCESS_KEY", "COUPANG_SECRET_KEY", "COUPANG_VENDOR_ID"},
		},
		{
			name:        "secret missing",
			env:         map[string]string{"COUPANG_ACCESS_KEY": testAccessKey, "COUPANG_VENDOR_ID": testVendorID},
			wantMissing: []string{"COUPANG_SECRET_KEY"},
		},
		{
			name:        "vendor missing",
			env:         map[string]string{"COUPANG_ACCESS_KEY": testAccessKey, "COUPANG_SECRET_KEY": testSecretKey},
			wantMissing: []string{"COUPANG_VENDOR_ID"},
		},
		{
			name:     "all set, default base URL",
			env:      map[string]string{"COUPANG_ACCESS_KEY": testAccessKey, "COUPANG_SECRET_KEY": testSecretKey, "COUPANG_VENDOR_ID": testVendorID},
			wantBase: coupang.DefaultBaseURL,
		},
		{
			name: "base URL honoured",
			env: map[string]string{"COUPANG_ACCESS_KEY": testAccessKey, "COUPANG_SECRET_KEY": testSecretKey, "COUPANG_VENDOR_ID": testVendorID,
				"COUPANG_BASE_URL": "https://proxy.example.com/coupang"},
			wantBase: "https://proxy.example.com/coupang",
		},
		{
			name: "explicit option wins over the environment",
			env: map[string]string{"COUPANG_ACCESS_KEY": testAccessKey, "COUPANG_SECRET_KEY": testSecretKey, "COUPANG_VENDOR_ID": testVendorID,
				"COUPANG_BASE_URL": "https://proxy.example.com/coupang"},
			opts:     []coupang.Option{coupang.WithBaseURL("http://127.0.0.1:9999")},
			wantBase: "http://127.0.0.1:9999",
		},
		{
			name: "invalid base URL in the environment",
			env: map[string]string{"COUPANG_ACCESS_KEY": testAccessKey, "COUPANG_SECRET_KEY": testSecretKey, "COUPANG_VENDOR_ID": testVendorID,
				"COUPANG_BASE_URL": "http://example.com"},
			wantField: "baseURL",
		},
		{
			name:      "invalid vendor in the environment",
			env:       map[string]string{"COUPANG_ACCESS_KEY": testAccessKey, "COUPANG_SECRET_KEY": testSecretKey, "COUPANG_VENDOR_ID": "B1"},
			wantField: "vendorID",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, name := range []string{"COUPANG_ACCESS_KEY", "COUPANG_SECRET_KEY", "COUPANG_VENDOR_ID", "COUPANG_BASE_URL"} {
				t.Setenv(name, tt.env[name]) // "" counts as unset
			}
			c, err := coupang.NewClientFromEnv(tt.opts...)
			switch {
			case len(tt.wantMissing) > 0:
				assert.Nil(t, c)
				ve := requireValidation(t, err, "environment")
				for _, name := range []string{"COUPANG_ACCESS_KEY", "COUPANG_SECRET_KEY", "COUPANG_VENDOR_ID"} {
					if contains(tt.wantMissing, name) {
						assert.Contains(t, ve.Error(), name)
					} else {
						assert.NotContains(t, ve.Error(), name, "only missing variables are named")
					}
				}
				assert.NotContains(t, err.Error(), testSecretKey)
			case tt.wantField != "":
				assert.Nil(t, c)
				requireValidation(t, err, tt.wantField)
			default:
				require.NoError(t, err)
				assert.Equal(t, tt.wantBase, c.BaseURL())
				assert.Equal(t, testVendorID, c.VendorID())
			}
		})
	}
}

func TestNewClientFromEnvSignsWithEnvKeys(t *testing.T) {
	auths := make(chan string, 10)
	srv := newLocalServer(t, func(w http.ResponseWriter, r *http.Request) {
		auths <- r.Header.Get("Authorization")
		path, query, _ := strings.Cut(r.RequestURI, "?")
		testSigned(t, recordedRequest{Method: r.Method, Path: path, RawQuery: query, Header: r.Header})
		_, _ = w.Write([]byte(okEmptyList))
	})
	t.Setenv(coupang.EnvAccessKey, testAccessKey)
	t.Setenv(coupang.EnvSecretKey, testSecretKey)
	t.Setenv(coupang.EnvVendorID, testVendorID)
	t.Setenv(coupang.EnvBaseURL, srv.URL)
	c, err := coupang.NewClientFromEnv(coupang.WithRateLimit(0))
	require.NoError(t, err)
	_, err = c.Exchanges.List(context.Background(), listOpts())
	require.NoError(t, err)
	require.Len(t, auths, 1)
	assert.Contains(t, <-auths, "access-key="+testAccessKey+",")
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
