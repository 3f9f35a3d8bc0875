package coupang_test

// Do on answers with no body, on answers that are not an envelope, on data of
// every shape, and on paths a server could read otherwise than they are
// written (issue 17 item 7, issue 20). These use only Do's signature of
// 0.1.0, so that each can be run against it.

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
)

// TestDoAnswerWithoutBody: 204 No Content, and a 2xx with an empty body, are
// successes with no data, for a write too (a write reported as outcome
// unknown would be re-read and perhaps sent again for nothing); out is left
// as it was.
func TestDoAnswerWithoutBody(t *testing.T) {
	for _, method := range []string{http.MethodGet, http.MethodPut, http.MethodPost, http.MethodDelete, http.MethodPatch} {
		for _, tt := range []struct {
			name   string
			status int
			body   string
		}{
			{"204", http.StatusNoContent, ""},
			{"empty 200", http.StatusOK, ""},
			{"200 of white space", http.StatusOK, " \r\n"},
			{"empty 202", http.StatusAccepted, ""},
		} {
			t.Run(method+" "+tt.name, func(t *testing.T) {
				m := newMockAPI(t, coupang.WithMaxRetries(2))
				m.on(method, returnsPath, httpmock.NewStringResponder(tt.status, tt.body))
				var body any
				if method != http.MethodGet {
					body = map[string]int{"receiptId": 1}
				}
				out := []string{"untouched"}
				var meta coupang.Response
				resp, err := m.client.Do(context.Background(), method, returnsPath, nil, body, &out, coupang.WithResponse(&meta))
				require.NoError(t, err)
				require.NotNil(t, resp)
				assert.Equal(t, tt.status, resp.StatusCode)
				assert.Equal(t, tt.status, meta.StatusCode)
				assert.Equal(t, []string{"untouched"}, out, "no data: out is left as it was")
				assert.Equal(t, 1, m.callCount(), "a success is not sent again")
			})
		}
	}
}

// cutBody is a body that ends before any byte arrives, as when the connection
// drops after the headers.
type cutBody struct{}

func (cutBody) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }
func (cutBody) Close() error             { return nil }

// TestDoBodyCutShortIsNotEmpty: an empty body is a success only when the body
// really ended; one cut short leaves a write's outcome unknown.
func TestDoBodyCutShortIsNotEmpty(t *testing.T) {
	m := newMockAPI(t)
	m.on(http.MethodPut, returnsPath, func(*http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Status: "200 OK", Header: http.Header{}, Body: cutBody{}, ContentLength: 120}, nil
	})
	_, err := m.client.Do(context.Background(), http.MethodPut, returnsPath, nil, map[string]int{"a": 1}, nil)
	require.Error(t, err)
	assert.ErrorIs(t, err, coupang.ErrOutcomeUnknown)
}

// TestDoPathReadOtherwise: paths a proxy or server in front of Coupang could
// route elsewhere than they read are refused before anything is sent: path
// parameters (Tomcat reads "/a/..;/b" as "/a/../b"), escapes of "." "/" "\"
// ";" at any depth of decoding, and overlong UTF-8.
func TestDoPathReadOtherwise(t *testing.T) {
	for _, path := range []string{
		"/a/..;/b",
		"/v2/providers/openapi;jsessionid=1/apis",
		"/v2/providers;/x",
		"/v2/providers/%3b/x",
		"/v2/providers/%253B/x",
		"/v2/providers/%252e%252e/admin",
		"/v2/providers/%252E%252E/admin",
		"/v2/providers/%25252e%25252e/admin",
		"/v2/providers/a%252fb",
		"/v2/providers/a%255cb",
		"/v2/providers/a%5Cb",
		"/v2/providers/a\\b",
		"/v2/providers/%2e",
		"/v2/providers/a%2eb",
		"/v2/providers/%c0%ae%c0%ae/admin",
		"/v2/providers/%C0%AE/admin",
		"/v2/providers/%e0%80%ae/admin",
		"/v2/providers/%25c0%25ae/admin",
		"/v2/providers/%ff/x",
		"/v2/providers/%250A/x",
		"/v2/providers/%2525252525252e/x",
		"/v2/providers/\xc0\xae/x",
	} {
		t.Run(path, func(t *testing.T) {
			m := newMockAPI(t)
			resp, err := m.client.Do(context.Background(), http.MethodGet, path, nil, nil, nil)
			requireValidation(t, err, "path")
			assert.Nil(t, resp)
			assert.Equal(t, 0, m.callCount(), "refused before sending")
		})
	}
}

// TestDoPathStillAccepted: what Coupang's paths hold passes the stricter
// checks: ids, names with dots and dashes, and percent-encoded UTF-8 text.
func TestDoPathStillAccepted(t *testing.T) {
	for _, path := range []string{
		returnsPath,
		"/v2/providers/openapi/apis/api/v4/vendors/A00012345/onlineInquiries/846/replies",
		"/v2/providers/seller_api/apis/api/v1/marketplace/meta/category-related-metas/display-category-codes/77723",
		"/v2/providers/openapi/apis/api/v1/files/report.v2.json",
		"/v2/providers/openapi/apis/api/v1/categories/%EC%95%88%EB%82%B4",
		"/v2/providers/openapi/apis/api/v1/items/a%20b",
		"/v2/providers/openapi/apis/api/v1/items/",
	} {
		t.Run(path, func(t *testing.T) {
			m := newMockAPI(t)
			m.transport.RegisterNoResponder(m.record(httpmock.NewStringResponder(200, `{"code":"200","message":"OK"}`)))
			_, err := m.client.Do(context.Background(), http.MethodGet, path, nil, nil, nil)
			require.NoError(t, err)
			require.Equal(t, 1, m.callCount())
			assert.Equal(t, path, m.only().Path, "sent as given")
		})
	}
}

// TestDoBareArray: some answers (settlement histories) are a JSON array with
// no envelope: that array is the data.
func TestDoBareArray(t *testing.T) {
	const path = "/v2/providers/marketplace_openapi/apis/api/v1/settlement-histories"
	m := newMockAPI(t)
	m.onJSON(http.MethodGet, path, 200, `[{"settlementType":"WEEKLY","settlementDate":"2026-03-10","finalAmount":1250000},
		{"settlementType":"RESERVE","settlementDate":"","finalAmount":-3000}]`)
	var out []struct {
		SettlementType string `json:"settlementType"`
		FinalAmount    int64  `json:"finalAmount"`
	}
	resp, err := m.client.Do(context.Background(), http.MethodGet, path, nil, nil, &out)
	require.NoError(t, err)
	require.Len(t, out, 2)
	assert.Equal(t, "RESERVE", out[1].SettlementType)
	assert.Equal(t, int64(-3000), out[1].FinalAmount)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Empty(t, resp.Code, "no envelope")

	t.Run("raw", func(t *testing.T) {
		m := newMockAPI(t)
		m.onJSON(http.MethodGet, path, 200, `[1, 2]`)
		var raw json.RawMessage
		_, err := m.client.Do(context.Background(), http.MethodGet, path, nil, nil, &raw)
		require.NoError(t, err)
		assert.JSONEq(t, `[1,2]`, string(raw))
	})
	t.Run("garbage after the array", func(t *testing.T) {
		m := newMockAPI(t)
		m.onJSON(http.MethodGet, path, 200, `[1, 2] x`)
		_, err := m.client.Do(context.Background(), http.MethodGet, path, nil, nil, nil)
		require.Error(t, err)
	})
}

// TestDoDataShapes: data as an array, a scalar, null or absent decodes into
// a matching out; a mismatch is a *RequestError naming both shapes and never
// the value.
func TestDoDataShapes(t *testing.T) {
	type rec struct {
		ReceiptID int64 `json:"receiptId"`
	}
	answer := func(data string) string {
		if data == "" {
			return `{"code":"200","message":"OK"}`
		}
		return `{"code":"200","message":"OK","data":` + data + `}`
	}
	t.Run("fits", func(t *testing.T) {
		tests := []struct {
			name string
			data string
			out  func() any
			want any
		}{
			{"array into a slice", `[{"receiptId":1},{"receiptId":2}]`, func() any { return &[]rec{} }, &[]rec{{1}, {2}}},
			{"object into a slice: one element", `{"receiptId":7}`, func() any { return &[]rec{} }, &[]rec{{7}}},
			{"array of one object into a struct", `[{"receiptId":7}]`, func() any { return &rec{} }, &rec{7}},
			{"string", `"OK"`, func() any { return new(string) }, ptr("OK")},
			{"number", `42`, func() any { return new(int64) }, ptr(int64(42))},
			{"boolean", `true`, func() any { return new(bool) }, ptr(true)},
			{"null leaves out", `null`, func() any { return &rec{ReceiptID: 9} }, &rec{9}},
			{"absent leaves out", ``, func() any { return &rec{ReceiptID: 9} }, &rec{9}},
			{"anything into any", `[1,"a"]`, func() any { return new(any) }, ptr(any([]any{1.0, "a"}))},
			{"object into a map", `{"a":1}`, func() any { return &map[string]int{} }, &map[string]int{"a": 1}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				m := newMockAPI(t)
				m.onJSON(http.MethodGet, returnsPath, 200, answer(tt.data))
				out := tt.out()
				_, err := m.client.Do(context.Background(), http.MethodGet, returnsPath, nil, nil, out)
				require.NoError(t, err)
				assert.Equal(t, tt.want, out)
			})
		}
	})
	t.Run("mismatch", func(t *testing.T) {
		tests := []struct {
			name  string
			data  string
			out   any
			shape []string
		}{
			{"array into a struct", `[{"receiptId":1},{"receiptId":2}]`, &rec{}, []string{"data is a JSON array of 2 element(s)", "out expects an object"}},
			{"empty array into a struct", `[]`, &rec{}, []string{"data is a JSON array of 0 element(s)", "out expects an object"}},
			{"object into a string", `{"name":"Hong Gildong"}`, new(string), []string{"data is a JSON object", "out expects a string, number or boolean"}},
			{"string into a slice", `"Hong Gildong 010-1234-5678"`, &[]rec{}, []string{"data is a JSON string", "out expects an array"}},
			{"number into a struct", `1012345678`, &rec{}, []string{"data is a JSON number", "out expects an object"}},
			{"string into a number", `"Hong Gildong"`, new(int64), []string{"data is a JSON string", "out expects int64"}},
			{"array into a map", `["Hong Gildong"]`, &map[string]any{}, []string{"data is a JSON array of 1 element(s)", "out expects an object"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				m := newMockAPI(t)
				m.onJSON(http.MethodPost, returnsPath, 200, answer(tt.data))
				resp, err := m.client.Do(context.Background(), http.MethodPost, returnsPath, nil, map[string]int{"a": 1}, tt.out)
				var reqErr *coupang.RequestError
				require.ErrorAs(t, err, &reqErr)
				for _, s := range tt.shape {
					assert.Contains(t, err.Error(), s)
				}
				assert.NotContains(t, err.Error(), "Hong")
				assert.NotContains(t, err.Error(), "010")
				assert.NotErrorIs(t, err, coupang.ErrOutcomeUnknown, "the write was applied: only out is wrong")
				require.NotNil(t, resp)
				assert.Equal(t, 200, resp.StatusCode)
			})
		}
	})
}

func ptr[T any](v T) *T { return &v }

// TestDoNestedCodeInData: the return actions' documented answer nests code
// and message inside data next to resultCode and resultMessage (and the
// envelope may carry neither). Both shapes are read; a nested code that is
// not a success, with no resultCode, is not taken for a success.
func TestDoNestedCodeInData(t *testing.T) {
	const path = "/v2/providers/openapi/apis/api/v4/vendors/A00012345/returnRequests/500000003/completedShipment"
	tests := []struct {
		name    string
		answer  string
		wantErr []error
		wantMsg string
	}{
		{name: "nested, success", answer: `{"data":{"code":"200","message":"OK","resultCode":"SUCCESS","resultMessage":"이미출고 상태변경이 성공하였습니다."}}`},
		{name: "flat, success", answer: `{"code":"200","message":"OK","data":{"resultCode":"SUCCESS","resultMessage":"ok"}}`},
		{name: "nested, FAIL", answer: `{"data":{"code":"200","message":"OK","resultCode":"FAIL","resultMessage":"already shipped"}}`,
			wantErr: []error{coupang.ErrBusinessFailure}, wantMsg: "already shipped"},
		{name: "nested, FAIL without resultMessage", answer: `{"data":{"code":"400","message":"Product is already returned.","resultCode":"FAIL"}}`,
			wantErr: []error{coupang.ErrBusinessFailure}, wantMsg: "Product is already returned."},
		{name: "nested code 500 and no resultCode", answer: `{"data":{"code":"500","message":"internal error"}}`,
			wantErr: []error{coupang.ErrOutcomeUnknown}, wantMsg: "internal error"},
		// A record's own member called code is not the answer's code.
		{name: "a record with a code", answer: `{"code":"200","message":"OK","data":{"code":"FOOD","message":"식품","categoryId":1}}`},
		{name: "a record with a code only", answer: `{"code":"200","message":"OK","data":{"code":"CJGLS","name":"CJ대한통운"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMockAPI(t)
			m.onJSON(http.MethodPut, path, 200, tt.answer)
			_, err := m.client.Do(context.Background(), http.MethodPut, path, nil,
				map[string]any{"vendorId": "A00012345", "receiptId": 500000003, "deliveryCompanyCode": "KDEXP", "invoiceNumber": "70432743577"}, nil)
			if tt.wantErr == nil {
				require.NoError(t, err)
				return
			}
			apiErr := requireAPIError(t, err)
			for _, s := range tt.wantErr {
				assert.ErrorIs(t, err, s)
			}
			assert.Equal(t, tt.wantMsg, apiErr.Message)
			assert.True(t, errors.Is(err, coupang.ErrBusinessFailure) != errors.Is(err, coupang.ErrOutcomeUnknown),
				"either a definite failure or an unknown outcome: %v", err)
			assert.False(t, strings.Contains(err.Error(), "outcome unknown") && errors.Is(err, coupang.ErrBusinessFailure))
		})
	}
}
