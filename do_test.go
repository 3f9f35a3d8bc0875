package coupang_test

// The client sends X-EXTENDED-TIMEOUT spelled as Coupang documents it, not
// canonicalised (transport.go), and these tests read the client's own
// requests, which no server has parsed: the key is looked up as sent.
//lint:file-ignore SA1008 the header key is deliberately not canonical

// Tests of Do and of the per-call options (issue 10, parts 1 and 2).

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
)

const returnsPath = "/v2/providers/openapi/apis/api/v4/vendors/A00012345/returnRequests"

func TestDoRequest(t *testing.T) {
	const page = `{"code":200,"message":"OK","transactionId":"tx-r1","nextToken":"n2",
		"data":[{"receiptId":365937,"orderId":500004398},{"receiptId":365940,"orderId":500004412}]}`
	m := newMockAPI(t)
	m.onJSON(http.MethodGet, returnsPath, http.StatusOK, page)

	q := url.Values{
		"status":        {"UC"},
		"createdAtFrom": {"2026-03-01T00:00"},
		"createdAtTo":   {"2026-03-01T23:59"},
		"searchType":    {"timeFrame"},
	}
	var out []struct {
		ReceiptID int64 `json:"receiptId"`
		OrderID   int64 `json:"orderId"`
	}
	resp, err := m.client.Do(context.Background(), http.MethodGet, returnsPath, q, nil, &out)
	require.NoError(t, err)

	r := m.only()
	testMethod(t, r, http.MethodGet)
	testPath(t, r, returnsPath)
	// Encoded once, keys sorted; the colon is escaped as url.Values does.
	testRawQuery(t, r, "createdAtFrom=2026-03-01T00%3A00&createdAtTo=2026-03-01T23%3A59&searchType=timeFrame&status=UC")
	testSigned(t, r)
	testCommonHeaders(t, r)
	testNoBody(t, r)
	assert.Empty(t, r.Header["X-EXTENDED-TIMEOUT"], "sent only when asked for")

	require.Len(t, out, 2)
	assert.Equal(t, int64(365940), out[1].ReceiptID)
	require.NotNil(t, resp)
	assert.Equal(t, coupang.Response{StatusCode: 200, Header: resp.Header, Code: "200", Message: "OK", TransactionID: "tx-r1", NextToken: "n2"}, *resp)
	assert.Equal(t, "application/json;charset=UTF-8", resp.Header.Get("Content-Type"))
}

func TestDoOut(t *testing.T) {
	const answer = `{"code":"200","message":"OK","data":{"a":1, "b":[2]}}`
	t.Run("raw", func(t *testing.T) {
		m := newMockAPI(t)
		m.onJSON(http.MethodGet, returnsPath+"/1", 200, answer)
		var raw json.RawMessage
		_, err := m.client.Do(context.Background(), http.MethodGet, returnsPath+"/1", nil, nil, &raw)
		require.NoError(t, err)
		assert.Equal(t, `{"a":1, "b":[2]}`, string(raw), "as sent, spaces included")
		testRawQuery(t, m.only(), "")
	})
	t.Run("nil discards", func(t *testing.T) {
		m := newMockAPI(t)
		m.onJSON(http.MethodGet, returnsPath+"/1", 200, answer)
		resp, err := m.client.Do(context.Background(), http.MethodGet, returnsPath+"/1", nil, nil, nil)
		require.NoError(t, err)
		assert.Equal(t, 200, resp.StatusCode)
	})
	t.Run("wrong type", func(t *testing.T) {
		m := newMockAPI(t)
		m.onJSON(http.MethodGet, returnsPath+"/1", 200, answer)
		var s struct{ A string }
		resp, err := m.client.Do(context.Background(), http.MethodGet, returnsPath+"/1", nil, nil, &s)
		require.Error(t, err)
		assert.Contains(t, err.Error(), `decoding data into *struct { A string }: field "A": cannot decode a JSON number into string`)
		require.NotNil(t, resp, "the answer arrived")
		assert.Equal(t, 200, resp.StatusCode)
	})
	// encoding/json quotes the value in some of its errors (a time.Time, a
	// ",string" field, any UnmarshalJSON of the standard library); data may
	// hold personal data, so Do's error must not.
	for name, out := range map[string]any{
		"time.Time": &struct {
			T time.Time `json:"t"`
		}{},
		"string tag": &struct {
			N int64 `json:"n,string"`
		}{},
	} {
		t.Run("no value in "+name, func(t *testing.T) {
			m := newMockAPI(t)
			m.onJSON(http.MethodGet, returnsPath+"/1", 200,
				`{"code":"200","data":{"t":"Hong Gildong 010-1234-5678","n":"Hong Gildong 010-9999"}}`)
			_, err := m.client.Do(context.Background(), http.MethodGet, returnsPath+"/1", nil, nil, out)
			require.Error(t, err)
			assert.NotContains(t, err.Error(), "Hong")
			assert.NotContains(t, err.Error(), "010-")
			assert.Contains(t, err.Error(), "decoding data into")
			assert.NotNil(t, errors.Unwrap(errors.Unwrap(err)), "the cause stays reachable for code that wants it")
		})
	}
}

// TestDoHead: a HEAD answer has no body, which is no reason to fail the call.
func TestDoHead(t *testing.T) {
	m := newMockAPI(t)
	m.on(http.MethodHead, returnsPath, httpmock.NewStringResponder(200, "").HeaderSet(http.Header{"X-Test": {"1"}}))
	resp, err := m.client.Do(context.Background(), http.MethodHead, returnsPath, nil, nil, nil)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "1", resp.Header.Get("X-Test"))
	assert.Equal(t, 1, m.callCount())
}

func TestDoWriteBody(t *testing.T) {
	m := newMockAPI(t)
	path := "/v2/providers/openapi/apis/api/v5/vendors/A00012345/returnRequests/365937/receiveConfirmation"
	m.onJSON(http.MethodPut, path, 200, `{"code":"200","message":"SUCCESS","transactionId":"tx-w","data":{"resultCode":"SUCCESS"}}`)
	body := map[string]any{"vendorId": "A00012345", "receiptId": 365937}
	resp, err := m.client.Do(context.Background(), http.MethodPut, path, nil, body, nil)
	require.NoError(t, err)
	r := m.only()
	testMethod(t, r, http.MethodPut)
	testJSONBody(t, r, `{"vendorId":"A00012345","receiptId":365937}`)
	testSigned(t, r)
	assert.Equal(t, "tx-w", resp.TransactionID)
}

func TestDoValidation(t *testing.T) {
	tests := []struct {
		name, method, path string
		body, out          any
		opts               []coupang.CallOption
		field              string
	}{
		{name: "no method", method: "", path: returnsPath, field: "method"},
		{name: "unknown method", method: "TRACE", path: returnsPath, field: "method"},
		{name: "method with a space", method: "GET ", path: returnsPath, field: "method"},
		{name: "method in lower case", method: "get", path: returnsPath, field: "method"},
		{name: "method in mixed case", method: "Put", path: returnsPath, field: "method"},
		{name: "empty path", method: "GET", path: "", field: "path"},
		{name: "relative path", method: "GET", path: "v2/providers", field: "path"},
		{name: "full URL", method: "GET", path: "https://api-gateway.coupang.com/v2/x", field: "path"},
		{name: "query in path", method: "GET", path: returnsPath + "?status=UC", field: "path"},
		{name: "fragment", method: "GET", path: returnsPath + "#x", field: "path"},
		{name: "dot dot", method: "GET", path: "/v2/providers/../admin", field: "path"},
		{name: "trailing dot dot", method: "GET", path: "/v2/providers/..", field: "path"},
		{name: "dot", method: "GET", path: "/v2/./providers", field: "path"},
		{name: "encoded dot dot", method: "GET", path: "/v2/providers/%2e%2e/admin", field: "path"},
		{name: "encoded dot dot, upper case", method: "GET", path: "/v2/providers/%2E%2E/admin", field: "path"},
		{name: "half-encoded dot dot", method: "GET", path: "/v2/providers/.%2e/admin", field: "path"},
		{name: "encoded dot", method: "GET", path: "/v2/%2e/providers", field: "path"},
		{name: "dot dot and encoded slash", method: "GET", path: "/v2/providers/..%2fadmin", field: "path"},
		{name: "encoded slash", method: "GET", path: "/v2/providers%2Fadmin", field: "path"},
		{name: "double slash", method: "GET", path: "/v2//providers", field: "path"},
		{name: "encoded NUL", method: "GET", path: "/v2/pro%00viders", field: "path"},
		{name: "encoded newline", method: "GET", path: "/v2/providers%0AHost:%20x", field: "path"},
		{name: "encoded bidi override", method: "GET", path: "/v2/providers/%e2%80%ae/x", field: "path"},
		{name: "encoded bidi override, upper case", method: "GET", path: "/v2/providers/ab%E2%80%AEcd", field: "path"},
		{name: "encoded bidi isolate", method: "GET", path: "/v2/providers/%e2%81%a6x", field: "path"},
		{name: "twice-encoded bidi override", method: "GET", path: "/v2/providers/%25e2%2580%25ae", field: "path"},
		{name: "encoded zero-width space", method: "GET", path: "/v2/pro%e2%80%8bviders", field: "path"},
		{name: "encoded C1 control (NEL)", method: "GET", path: "/v2/providers%c2%85x", field: "path"},
		{name: "encoded line separator", method: "GET", path: "/v2/providers%e2%80%a8x", field: "path"},
		{name: "raw bidi override", method: "GET", path: "/v2/providers/\u202ex", field: "path"},
		{name: "raw byte order mark", method: "GET", path: "/v2/\ufeffproviders", field: "path"},
		{name: "space", method: "GET", path: "/v2/pro viders", field: "path"},
		{name: "newline", method: "GET", path: "/v2/providers\n", field: "path"},
		{name: "body on GET", method: "GET", path: returnsPath, body: map[string]int{"a": 1}, field: "body"},
		{name: "body not JSON", method: "POST", path: returnsPath, body: func() {}, field: "body"},
		{name: "body with invalid UTF-8", method: "POST", path: returnsPath, body: map[string]string{"invoiceNumber": "1234\xff"}, field: "body"},
		{name: "body with invalid UTF-8 in a key", method: "PUT", path: returnsPath, body: map[string]int{"a\xffb": 1}, field: "body"},
		{name: "nil response", method: "GET", path: returnsPath, opts: []coupang.CallOption{coupang.WithResponse(nil)}, field: "response"},
		// out is checked before sending: a write must not be applied and
		// then reported as failed because out could never have held its data.
		{name: "out not a pointer", method: "PUT", path: returnsPath, out: struct{ A int }{}, field: "out"},
		{name: "out a nil pointer", method: "PUT", path: returnsPath, out: (*struct{ A int })(nil), field: "out"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMockAPI(t)
			resp, err := m.client.Do(context.Background(), tt.method, tt.path, nil, tt.body, tt.out, tt.opts...)
			requireValidation(t, err, tt.field)
			assert.Nil(t, resp)
			assert.Equal(t, 0, m.callCount(), "refused before sending")
		})
	}
}

// TestDoErrorsLikeTheWrappedCalls: Do maps answers to errors, and retries,
// exactly as the exchange calls do.
func TestDoErrorsLikeTheWrappedCalls(t *testing.T) {
	tests := []struct {
		name          string
		method        string
		answers       []string // status:body, the last one repeated
		wantCalls     int
		wantStatus    int
		wantSentinels []error
		wantNot       []error
	}{
		{
			name: "business failure", method: http.MethodPut,
			answers:       []string{`{"code":"200","message":"SUCCESS","transactionId":"tx-f","data":{"resultCode":"FAIL","resultMessage":"not allowed"}}`},
			wantCalls:     1,
			wantStatus:    200,
			wantSentinels: []error{coupang.ErrBusinessFailure},
			wantNot:       []error{coupang.ErrOutcomeUnknown},
		},
		{
			name: "envelope 400 in a 200", method: http.MethodGet,
			answers: []string{`{"code":400,"message":"bad status","transactionId":"tx-f"}`}, wantCalls: 1, wantStatus: 200,
			wantNot: []error{coupang.ErrOutcomeUnknown, coupang.ErrBusinessFailure},
		},
		{
			name: "envelope ERROR in a 200 to a write", method: http.MethodPost,
			answers: []string{`{"code":"ERROR","message":"failed","transactionId":"tx-f"}`}, wantCalls: 1, wantStatus: 200,
			wantSentinels: []error{coupang.ErrOutcomeUnknown},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMockAPI(t, coupang.WithMaxRetries(3), coupang.WithBackoff(time.Millisecond, time.Millisecond))
			m.onJSON(tt.method, returnsPath, 200, tt.answers[0])
			var body any
			if tt.method != http.MethodGet {
				body = map[string]int{"x": 1}
			}
			resp, err := m.client.Do(context.Background(), tt.method, returnsPath, nil, body, nil)
			apiErr := requireAPIError(t, err)
			assert.Equal(t, tt.wantStatus, apiErr.StatusCode)
			assert.Equal(t, tt.wantCalls, m.callCount())
			for _, s := range tt.wantSentinels {
				assert.ErrorIs(t, err, s)
			}
			for _, s := range tt.wantNot {
				assert.NotErrorIs(t, err, s)
			}
			require.NotNil(t, resp, "an answer arrived")
			assert.Equal(t, "tx-f", resp.TransactionID)
		})
	}

	t.Run("GET retried on 503, write not", func(t *testing.T) {
		srv := rsNewServer(t, rsAlways(rsHTML(503, "Service Unavailable")))
		c, _ := rsClient(t, srv.URL, 0, coupang.WithMaxRetries(2))
		resp, err := c.Do(context.Background(), http.MethodGet, "/v2/x", nil, nil, nil)
		rsFailure{503, "Service Unavailable"}.check(t, err, 3, false)
		assert.Equal(t, 503, resp.StatusCode)
		assert.Equal(t, 3, srv.count())

		resp, err = c.Do(context.Background(), http.MethodPost, "/v2/x", nil, []int{1}, nil)
		rsFailure{503, "Service Unavailable"}.check(t, err, 1, true)
		assert.Equal(t, 503, resp.StatusCode)
		assert.Equal(t, 4, srv.count(), "the write was sent once")
	})
	t.Run("no answer", func(t *testing.T) {
		c, _ := rsClient(t, "http://"+rsClosedPort(t), 0, coupang.WithMaxRetries(0))
		resp, err := c.Do(context.Background(), http.MethodGet, "/v2/x", nil, nil, nil)
		require.Error(t, err)
		assert.Nil(t, resp)
	})
}

func TestDoPacedWithTheExchangeCalls(t *testing.T) {
	lim := &countingLimiter{}
	srv := rsNewServer(t, rsScript(func(w http.ResponseWriter, r *http.Request) {
		rsStatus(200, rsPage("", "tx", 1))(w, r)
	}, rsStatus(503, `{"code":"503","message":"busy"}`)))
	c, _ := rsClient(t, srv.URL, 0, coupang.WithLimiter(lim))
	_, err := c.Do(context.Background(), http.MethodGet, rsBase, nil, nil, nil)
	require.NoError(t, err)
	_, err = c.Exchanges.List(context.Background(), rsListOpts())
	require.NoError(t, err)
	assert.Equal(t, int64(3), lim.n.Load(), "two attempts of Do, one of List")
	assert.Equal(t, 3, srv.count())
}

func TestWithResponse(t *testing.T) {
	t.Run("write success", func(t *testing.T) {
		m := newMockAPI(t)
		m.onJSON(http.MethodPut, exchangesPath+"/7/receiveConfirmation", 200, `{"code":"200","message":"SUCCESS","transactionId":"tx-confirm"}`)
		var resp coupang.Response
		require.NoError(t, m.client.Exchanges.ConfirmReceipt(context.Background(), 7, coupang.WithResponse(&resp)))
		assert.Equal(t, 200, resp.StatusCode)
		assert.Equal(t, "200", resp.Code)
		assert.Equal(t, "SUCCESS", resp.Message)
		assert.Equal(t, "tx-confirm", resp.TransactionID)
		assert.NotNil(t, resp.Header)
	})
	t.Run("write failure", func(t *testing.T) {
		m := newMockAPI(t)
		m.onJSON(http.MethodPost, exchangesPath+"/7/invoices", 400, `{"code":"ERROR","message":"bad invoice","transactionId":"tx-bad"}`)
		resp := coupang.Response{TransactionID: "stale"}
		err := m.client.Exchanges.UploadInvoices(context.Background(), 7,
			[]coupang.ExchangeInvoice{{ShipmentBoxID: 1, GoodsDeliveryCode: "CJGLS", InvoiceNumber: "1234"}}, coupang.WithResponse(&resp))
		requireAPIError(t, err)
		assert.Equal(t, coupang.Response{StatusCode: 400, Header: resp.Header, Code: "ERROR", Message: "bad invoice", TransactionID: "tx-bad"}, resp)
	})
	t.Run("list", func(t *testing.T) {
		m := newMockAPI(t)
		m.onJSON(http.MethodGet, exchangesPath, 200, `{"code":200,"message":"OK","transactionId":"tx-l","data":[],"nextToken":"t2"}`)
		var resp coupang.Response
		_, err := m.client.Exchanges.List(context.Background(), rsListOptsFor(), coupang.WithResponse(&resp))
		require.NoError(t, err)
		assert.Equal(t, "t2", resp.NextToken)
		assert.Equal(t, "tx-l", resp.TransactionID)
	})
	t.Run("final attempt only", func(t *testing.T) {
		srv := rsNewServer(t, rsScript(rsStatus(200, rsWriteOK, "X-Try", "2"),
			rsStatus(429, `{"code":"ERROR","message":"Too many requests","transactionId":"tx-429"}`, "X-Try", "1")))
		c, _ := rsClient(t, srv.URL, 0, coupang.WithRetryWritesOn429(true))
		var resp coupang.Response
		require.NoError(t, c.Exchanges.Reject(context.Background(), 3, coupang.RejectSoldOut, coupang.WithResponse(&resp)))
		assert.Equal(t, 200, resp.StatusCode)
		assert.Equal(t, "2", resp.Header.Get("X-Try"))
		assert.Empty(t, resp.TransactionID, "not the 429's")
	})
	t.Run("no answer leaves it zero", func(t *testing.T) {
		c, _ := rsClient(t, "http://"+rsClosedPort(t), 0, coupang.WithMaxRetries(0))
		resp := coupang.Response{StatusCode: 1}
		require.Error(t, c.Exchanges.ConfirmReceipt(context.Background(), 3, coupang.WithResponse(&resp)))
		assert.Equal(t, coupang.Response{}, resp)
	})
	t.Run("refused input leaves it zero", func(t *testing.T) {
		// A Response reused across calls must not show the previous call's
		// transactionId after a call that sent nothing.
		m := newMockAPI(t)
		stale := coupang.Response{StatusCode: 200, TransactionID: "tx-previous"}
		resp := stale
		_, err := m.client.Do(context.Background(), http.MethodGet, "/v2/../x", nil, nil, nil, coupang.WithResponse(&resp))
		requireValidation(t, err, "path")
		assert.Equal(t, coupang.Response{}, resp, "Do")
		resp = stale
		_, err = m.client.Exchanges.List(context.Background(), coupang.ExchangeListOptions{}, coupang.WithResponse(&resp))
		requireValidation(t, err, "CreatedAtFrom")
		assert.Equal(t, coupang.Response{}, resp, "List")
		resp = stale
		err = m.client.Exchanges.UploadInvoices(context.Background(), 1, nil, coupang.WithResponse(&resp))
		require.Error(t, err)
		assert.Equal(t, coupang.Response{}, resp, "UploadInvoices")
		assert.Equal(t, 0, m.callCount())
	})
}

func rsListOptsFor() coupang.ExchangeListOptions { return rsListOpts() }

func TestWithExtendedTimeout(t *testing.T) {
	m := newMockAPI(t, coupang.WithExtendedTimeout(30*time.Second))
	m.onJSON(http.MethodGet, returnsPath, 200, `{"code":200,"data":[]}`)
	m.onJSON(http.MethodPut, exchangesPath+"/7/receiveConfirmation", 200, `{"code":"200"}`)

	_, err := m.client.Do(context.Background(), http.MethodGet, returnsPath, nil, nil, nil)
	require.NoError(t, err)
	require.NoError(t, m.client.Exchanges.ConfirmReceipt(context.Background(), 7, coupang.WithExtendedTimeout(90*time.Second)))
	_, err = m.client.Do(context.Background(), http.MethodGet, returnsPath, nil, nil, nil)
	require.NoError(t, err)

	calls := m.calls()
	require.Len(t, calls, 3)
	assert.Equal(t, []string{"30000"}, calls[0].Header["X-EXTENDED-TIMEOUT"], "the client's")
	assert.Equal(t, []string{"90000"}, calls[1].Header["X-EXTENDED-TIMEOUT"], "the call's wins")
	assert.Equal(t, []string{"30000"}, calls[2].Header["X-EXTENDED-TIMEOUT"], "the call's applies to that call only")
	testSigned(t, calls[1])

	for _, d := range []time.Duration{0, -time.Second, 11 * time.Minute, 500 * time.Microsecond} {
		_, err := m.client.Do(context.Background(), http.MethodGet, returnsPath, nil, nil, nil, coupang.WithExtendedTimeout(d))
		requireValidation(t, err, "extendedTimeout")
	}
}

func TestPerCallMaxRetries(t *testing.T) {
	tests := []struct {
		name      string
		client    []coupang.Option
		call      []coupang.CallOption
		wantCalls int
	}{
		{name: "client default", wantCalls: coupang.DefaultMaxRetries + 1},
		{name: "off for one call", call: []coupang.CallOption{coupang.WithMaxRetries(0)}, wantCalls: 1},
		{name: "on for one call", client: []coupang.Option{coupang.WithMaxRetries(0)}, call: []coupang.CallOption{coupang.WithMaxRetries(2)}, wantCalls: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := rsNewServer(t, rsAlways(rsHTML(503, "Service Unavailable")))
			c, _ := rsClient(t, srv.URL, 0, tt.client...)
			_, err := c.Exchanges.List(context.Background(), rsListOpts(), tt.call...)
			rsFailure{503, "Service Unavailable"}.check(t, err, tt.wantCalls, false)
			assert.Equal(t, tt.wantCalls, srv.count())

			// The option did not stick to the client.
			before := srv.count()
			_, _ = c.Exchanges.List(context.Background(), rsListOpts())
			want := coupang.DefaultMaxRetries + 1
			if len(tt.client) > 0 {
				want = 1
			}
			assert.Equal(t, want, srv.count()-before)
		})
	}
}

func TestPerCallUpdateMethod(t *testing.T) {
	m := newMockAPI(t)
	m.onJSON(http.MethodPatch, exchangesPath+"/7/receiveConfirmation", 200, `{"code":"200"}`)
	m.onJSON(http.MethodPatch, exchangesPath+"/7/rejection", 200, `{"code":"200"}`)
	m.onJSON(http.MethodPut, exchangesPath+"/7/rejection", 200, `{"code":"200"}`)
	require.NoError(t, m.client.Exchanges.ConfirmReceipt(context.Background(), 7, coupang.WithUpdateMethod("PATCH")))
	require.NoError(t, m.client.Exchanges.Reject(context.Background(), 7, coupang.RejectWithdraw, coupang.WithUpdateMethod("PATCH")))
	require.NoError(t, m.client.Exchanges.Reject(context.Background(), 7, coupang.RejectWithdraw))
	calls := m.calls()
	require.Len(t, calls, 3)
	assert.Equal(t, http.MethodPatch, calls[0].Method)
	assert.Equal(t, http.MethodPatch, calls[1].Method)
	assert.Equal(t, http.MethodPut, calls[2].Method, "the client's default again")
	for _, r := range calls {
		testSigned(t, r)
	}
}

// A refused path never puts a raw control or bidi character into the
// error text: a terminal or log viewer showing it would be rewritten.
func TestDoPathErrorTextCarriesNoRawInvisibles(t *testing.T) {
	for _, path := range []string{"/v2/providers/\u202ex", "/v2/providers/\u2066x", "/v2/pro\x1b[2Jviders", "/v2/\u200bproviders", "/v2/providers/%e2%80%ae/x"} {
		m := newMockAPI(t)
		_, err := m.client.Do(context.Background(), http.MethodGet, path, nil, nil, nil)
		requireValidation(t, err, "path")
		assert.False(t, strings.ContainsFunc(err.Error(), func(r rune) bool {
			return unicode.IsControl(r) || unicode.Is(unicode.Cf, r)
		}), "%q", err.Error())
		assert.Zero(t, m.callCount())
	}
}
