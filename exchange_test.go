package coupang_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
)

const (
	okEmptyList    = `{"code":200,"message":"OK","data":[],"nextToken":""}`
	okWrite        = `{"code":"200","message":"SUCCESS","data":{"resultCode":"SUCCESS","resultMessage":"요청 처리완료"}}`
	okConfirm      = `{"code":"200","message":"SUCCESS"}`
	wireTimeLayout = "2006-01-02T15:04:05"
)

// ---- Requests on the wire ----

func TestListRequest(t *testing.T) {
	from := time.Date(2026, 3, 5, 0, 0, 0, 0, kst)
	to := time.Date(2026, 3, 6, 0, 0, 0, 0, kst)
	const window = "createdAtFrom=2026-03-05T00%3A00%3A00&createdAtTo=2026-03-06T00%3A00%3A00"
	tests := []struct {
		name      string
		opts      coupang.ExchangeListOptions
		wantQuery string
	}{
		{
			name:      "defaults",
			opts:      coupang.ExchangeListOptions{CreatedAtFrom: from, CreatedAtTo: to},
			wantQuery: window + "&maxPerPage=50",
		},
		{
			name: "times given in UTC are sent in Korea time",
			opts: coupang.ExchangeListOptions{
				CreatedAtFrom: time.Date(2026, 3, 4, 15, 0, 0, 0, time.UTC),
				CreatedAtTo:   time.Date(2026, 3, 5, 15, 0, 0, 0, time.UTC),
			},
			wantQuery: window + "&maxPerPage=50",
		},
		{
			name: "times given in another zone",
			opts: coupang.ExchangeListOptions{
				CreatedAtFrom: time.Date(2026, 3, 4, 10, 0, 0, 0, time.FixedZone("EST", -5*3600)),
				CreatedAtTo:   time.Date(2026, 3, 5, 10, 0, 0, 0, time.FixedZone("EST", -5*3600)),
			},
			wantQuery: window + "&maxPerPage=50",
		},
		{
			name: "sub-second part dropped",
			opts: coupang.ExchangeListOptions{
				CreatedAtFrom: from.Add(999 * time.Millisecond),
				CreatedAtTo:   to.Add(1 * time.Millisecond),
			},
			wantQuery: window + "&maxPerPage=50",
		},
		{
			name: "every option set, keys sorted",
			opts: coupang.ExchangeListOptions{
				CreatedAtFrom: from, CreatedAtTo: to,
				Status:     coupang.ExchangeStatusProgress,
				OrderID:    2000000000001,
				MaxPerPage: 20,
				NextToken:  "abc",
			},
			wantQuery: window + "&maxPerPage=20&nextToken=abc&orderId=2000000000001&status=PROGRESS",
		},
		{
			name:      "status only",
			opts:      coupang.ExchangeListOptions{CreatedAtFrom: from, CreatedAtTo: to, Status: coupang.ExchangeStatusReceipt},
			wantQuery: window + "&maxPerPage=50&status=RECEIPT",
		},
		{
			name:      "order only",
			opts:      coupang.ExchangeListOptions{CreatedAtFrom: from, CreatedAtTo: to, OrderID: 7},
			wantQuery: window + "&maxPerPage=50&orderId=7",
		},
		{
			name:      "token with reserved characters is percent-encoded",
			opts:      coupang.ExchangeListOptions{CreatedAtFrom: from, CreatedAtTo: to, NextToken: "a b+c/d=="},
			wantQuery: window + "&maxPerPage=50&nextToken=a+b%2Bc%2Fd%3D%3D",
		},
		{
			name:      "Korean text is percent-encoded and signed as sent",
			opts:      coupang.ExchangeListOptions{CreatedAtFrom: from, CreatedAtTo: to, Status: "접수"},
			wantQuery: window + "&maxPerPage=50&status=%EC%A0%91%EC%88%98",
		},
		{
			name:      "page size 1",
			opts:      coupang.ExchangeListOptions{CreatedAtFrom: from, CreatedAtTo: to, MaxPerPage: 1},
			wantQuery: window + "&maxPerPage=1",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMockAPI(t)
			m.onJSON(http.MethodGet, exchangesPath, http.StatusOK, okEmptyList)

			page, err := m.client.Exchanges.List(context.Background(), tt.opts)
			require.NoError(t, err)
			assert.Empty(t, page.Items)

			r := m.only()
			testMethod(t, r, http.MethodGet)
			testPath(t, r, exchangesPath)
			testRawQuery(t, r, tt.wantQuery)
			testCommonHeaders(t, r)
			testHeader(t, r, "X-Requested-By", testVendorID)
			testNoBody(t, r)
		})
	}
}

func TestWriteRequests(t *testing.T) {
	const id = 100000070
	tests := []struct {
		name       string
		opts       []coupang.Option
		call       func(*coupang.ExchangeService) error
		answer     string
		wantMethod string
		wantPath   string
		wantBody   string
	}{
		{
			name:       "confirm receipt, PUT by default",
			call:       func(s *coupang.ExchangeService) error { return s.ConfirmReceipt(context.Background(), id) },
			answer:     okConfirm,
			wantMethod: http.MethodPut,
			wantPath:   exchangesPath + "/100000070/receiveConfirmation",
			wantBody:   `{"exchangeId":100000070,"vendorId":"A00012345"}`,
		},
		{
			name:       "confirm receipt with PATCH",
			opts:       []coupang.Option{coupang.WithUpdateMethod("PATCH")},
			call:       func(s *coupang.ExchangeService) error { return s.ConfirmReceipt(context.Background(), id) },
			answer:     okConfirm,
			wantMethod: http.MethodPatch,
			wantPath:   exchangesPath + "/100000070/receiveConfirmation",
			wantBody:   `{"exchangeId":100000070,"vendorId":"A00012345"}`,
		},
		{
			name:       "confirm receipt with explicit PUT",
			opts:       []coupang.Option{coupang.WithUpdateMethod("PUT")},
			call:       func(s *coupang.ExchangeService) error { return s.ConfirmReceipt(context.Background(), id) },
			answer:     okConfirm,
			wantMethod: http.MethodPut,
			wantPath:   exchangesPath + "/100000070/receiveConfirmation",
			wantBody:   `{"exchangeId":100000070,"vendorId":"A00012345"}`,
		},
		{
			name: "reject sold out, PUT by default",
			call: func(s *coupang.ExchangeService) error {
				return s.Reject(context.Background(), id, coupang.RejectSoldOut)
			},
			answer:     okWrite,
			wantMethod: http.MethodPut,
			wantPath:   exchangesPath + "/100000070/rejection",
			wantBody:   `{"exchangeId":100000070,"vendorId":"A00012345","exchangeRejectCode":"SOLDOUT"}`,
		},
		{
			name: "reject withdrawn with PATCH",
			opts: []coupang.Option{coupang.WithUpdateMethod("PATCH")},
			call: func(s *coupang.ExchangeService) error {
				return s.Reject(context.Background(), id, coupang.RejectWithdraw)
			},
			answer:     okWrite,
			wantMethod: http.MethodPatch,
			wantPath:   exchangesPath + "/100000070/rejection",
			wantBody:   `{"exchangeId":100000070,"vendorId":"A00012345","exchangeRejectCode":"WITHDRAW"}`,
		},
		{
			name: "upload one invoice",
			call: func(s *coupang.ExchangeService) error {
				return s.UploadInvoices(context.Background(), id, []coupang.ExchangeInvoice{
					{ShipmentBoxID: 100000000000000123, GoodsDeliveryCode: coupang.CourierCJ, InvoiceNumber: "123456789012"},
				})
			},
			answer:     okWrite,
			wantMethod: http.MethodPost,
			wantPath:   exchangesPath + "/100000070/invoices",
			wantBody:   `[{"exchangeId":100000070,"vendorId":"A00012345","shipmentBoxId":100000000000000123,"goodsDeliveryCode":"CJGLS","invoiceNumber":"123456789012"}]`,
		},
		{
			name: "upload invoices is POST whatever the update method",
			opts: []coupang.Option{coupang.WithUpdateMethod("PATCH")},
			call: func(s *coupang.ExchangeService) error {
				return s.UploadInvoices(context.Background(), id, []coupang.ExchangeInvoice{
					{ShipmentBoxID: 100000000000000123, GoodsDeliveryCode: coupang.CourierLotte, InvoiceNumber: "1234567890"},
					{ShipmentBoxID: 999999999999999999, GoodsDeliveryCode: "NEWCOURIER1", InvoiceNumber: "A-0001"},
				})
			},
			answer:     okWrite,
			wantMethod: http.MethodPost,
			wantPath:   exchangesPath + "/100000070/invoices",
			wantBody: `[
				{"exchangeId":100000070,"vendorId":"A00012345","shipmentBoxId":100000000000000123,"goodsDeliveryCode":"HYUNDAI","invoiceNumber":"1234567890"},
				{"exchangeId":100000070,"vendorId":"A00012345","shipmentBoxId":999999999999999999,"goodsDeliveryCode":"NEWCOURIER1","invoiceNumber":"A-0001"}
			]`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMockAPI(t, tt.opts...)
			m.onJSON(tt.wantMethod, tt.wantPath, http.StatusOK, tt.answer)

			require.NoError(t, tt.call(m.client.Exchanges))

			r := m.only()
			testMethod(t, r, tt.wantMethod)
			testPath(t, r, tt.wantPath)
			testRawQuery(t, r, "")
			testCommonHeaders(t, r)
			testHeader(t, r, "X-Requested-By", testVendorID)
			testJSONBody(t, r, tt.wantBody)
		})
	}
}

// TestBaseURLWithPathPrefix catches paths built as absolute URLs, which
// would drop the prefix.
func TestBaseURLWithPathPrefix(t *testing.T) {
	for _, base := range []string{"https://proxy.example.com/coupang", "https://proxy.example.com/coupang/"} {
		t.Run(base, func(t *testing.T) {
			const prefixed = "/coupang" + exchangesPath
			m := newMockAPIAt(t, base)
			assert.Equal(t, "https://proxy.example.com/coupang", m.client.BaseURL())
			// The responders are registered at the full URL: base with prefix
			// plus the API path.
			m.onJSON(http.MethodGet, exchangesPath, http.StatusOK, okEmptyList)
			m.onJSON(http.MethodPut, exchangesPath+"/1/receiveConfirmation", http.StatusOK, okConfirm)
			m.onJSON(http.MethodPut, exchangesPath+"/1/rejection", http.StatusOK, okWrite)
			m.onJSON(http.MethodPost, exchangesPath+"/1/invoices", http.StatusOK, okWrite)

			ctx := context.Background()
			_, err := m.client.Exchanges.List(ctx, listOpts())
			require.NoError(t, err)
			require.NoError(t, m.client.Exchanges.ConfirmReceipt(ctx, 1))
			require.NoError(t, m.client.Exchanges.Reject(ctx, 1, coupang.RejectSoldOut))
			require.NoError(t, m.client.Exchanges.UploadInvoices(ctx, 1, []coupang.ExchangeInvoice{{ShipmentBoxID: 2, GoodsDeliveryCode: "CJGLS", InvoiceNumber: "1"}}))

			calls := m.calls()
			require.Len(t, calls, 4)
			for _, r := range calls {
				assert.True(t, strings.HasPrefix(r.Path, prefixed), "path %s lost the prefix", r.Path)
				// The signature covers the path as sent, prefix included.
				testSigned(t, r)
			}
		})
	}
}

// TestSignatureMatchesWire checks, against a real HTTP server, that what the
// server receives is what was signed: query encoding and path included.
func TestSignatureMatchesWire(t *testing.T) {
	var (
		mu   sync.Mutex
		seen []recordedRequest
	)
	srv := newLocalServer(t, func(w http.ResponseWriter, r *http.Request) {
		path, query, _ := strings.Cut(r.RequestURI, "?")
		mu.Lock()
		seen = append(seen, recordedRequest{Method: r.Method, Path: path, RawQuery: query, Header: r.Header.Clone()})
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if r.Method == http.MethodGet {
			fmt.Fprint(w, okEmptyList)
			return
		}
		fmt.Fprint(w, okWrite)
	})
	c, err := coupang.NewClient(testAccessKey, testSecretKey, testVendorID,
		coupang.WithBaseURL(srv.URL+"/prefix"), coupang.WithRateLimit(0), coupang.WithMaxRetries(0))
	require.NoError(t, err)

	ctx := context.Background()
	opts := listOpts()
	opts.Status = "접수 중"
	opts.NextToken = "tok/+=:"
	_, err = c.Exchanges.List(ctx, opts)
	require.NoError(t, err)
	require.NoError(t, c.Exchanges.Reject(ctx, 100000070, coupang.RejectSoldOut))

	mu.Lock()
	defer mu.Unlock()
	require.Len(t, seen, 2)
	assert.Contains(t, seen[0].RawQuery, "status=%EC%A0%91%EC%88%98+%EC%A4%91")
	assert.Contains(t, seen[0].RawQuery, "createdAtFrom=2026-03-05T00%3A00%3A00")
	for _, r := range seen {
		testHeader(t, r, "Content-Type", wantContentType)
		testSigned(t, r)
	}
}

// ---- Business results inside HTTP 200 ----

func TestWriteBusinessResults(t *testing.T) {
	const failMsg = "교환 거부가 불가능한 상태입니다."
	tests := []struct {
		name       string
		answer     string
		wantErr    bool
		wantCode   string
		wantResult string
		wantMsg    string
		// wantUnknown: a 2xx whose envelope says 5xx or ERROR may follow a
		// write that was applied, as an HTTP 500 may (issue 9.2).
		wantUnknown bool
	}{
		{name: "SUCCESS", answer: okWrite},
		{name: "success in lower case", answer: `{"code":200,"message":"OK","data":{"resultCode":"success","resultMessage":"ok"}}`},
		{name: "no data", answer: okConfirm},
		{name: "data null", answer: `{"code":"200","message":"SUCCESS","data":null}`},
		{name: "data of another shape", answer: `{"code":"200","message":"SUCCESS","data":"done"}`},
		{name: "data empty object", answer: `{"code":"200","message":"SUCCESS","data":{}}`},
		{
			name:    "resultCode FAIL",
			answer:  `{"code":"200","message":"SUCCESS","data":{"resultCode":"FAIL","resultMessage":"` + failMsg + `"}}`,
			wantErr: true, wantCode: "200", wantResult: "FAIL", wantMsg: failMsg,
		},
		{
			name:    "resultCode FAIL with numeric envelope code",
			answer:  `{"code":200,"message":"OK","data":{"resultCode":"FAIL","resultMessage":"` + failMsg + `"}}`,
			wantErr: true, wantCode: "200", wantResult: "FAIL", wantMsg: failMsg,
		},
		{
			name:    "envelope code ERROR",
			answer:  `{"code":"ERROR","message":"처리 중 오류가 발생했습니다.","transactionId":"tx-1"}`,
			wantErr: true, wantCode: "ERROR", wantMsg: "처리 중 오류가 발생했습니다.", wantUnknown: true,
		},
		{
			name:    "envelope code 400 as a number",
			answer:  `{"code":400,"message":"exchangeId is invalid"}`,
			wantErr: true, wantCode: "400", wantMsg: "exchangeId is invalid",
		},
		{
			name:    "envelope code 500 as a string",
			answer:  `{"code":"500","message":"internal"}`,
			wantErr: true, wantCode: "500", wantMsg: "internal", wantUnknown: true,
		},
	}
	calls := map[string]func(*coupang.ExchangeService) error{
		"ConfirmReceipt": func(s *coupang.ExchangeService) error { return s.ConfirmReceipt(context.Background(), 100000070) },
		"Reject": func(s *coupang.ExchangeService) error {
			return s.Reject(context.Background(), 100000070, coupang.RejectSoldOut)
		},
		"UploadInvoices": func(s *coupang.ExchangeService) error {
			return s.UploadInvoices(context.Background(), 100000070, []coupang.ExchangeInvoice{
				{ShipmentBoxID: 100000000000000123, GoodsDeliveryCode: coupang.CourierCJ, InvoiceNumber: "123456789012"},
			})
		},
	}
	for _, tt := range tests {
		for callName, call := range calls {
			t.Run(tt.name+"/"+callName, func(t *testing.T) {
				// Retries enabled: a business failure must never be retried.
				m := newMockAPI(t, coupang.WithMaxRetries(3), coupang.WithBackoff(time.Millisecond, time.Millisecond))
				m.transport.RegisterRegexpResponder(http.MethodPut, regexp.MustCompile(`/exchangeRequests/100000070/`), m.record(jsonResponder(200, tt.answer)))
				m.transport.RegisterRegexpResponder(http.MethodPost, regexp.MustCompile(`/exchangeRequests/100000070/invoices$`), m.record(jsonResponder(200, tt.answer)))

				err := call(m.client.Exchanges)
				assert.Equal(t, 1, m.callCount())
				if !tt.wantErr {
					assert.NoError(t, err)
					return
				}
				apiErr := requireAPIError(t, err)
				assert.Equal(t, http.StatusOK, apiErr.StatusCode)
				assert.Equal(t, tt.wantCode, apiErr.Code)
				assert.Equal(t, tt.wantResult, apiErr.ResultCode)
				assert.Equal(t, tt.wantMsg, apiErr.Message)
				assert.Equal(t, 1, apiErr.Attempts)
				assert.Equal(t, tt.wantUnknown, apiErr.OutcomeUnknown)
				assert.Equal(t, tt.wantUnknown, errors.Is(err, coupang.ErrOutcomeUnknown))
				assert.NotEmpty(t, apiErr.Method)
				assert.Contains(t, apiErr.Path, "/exchangeRequests/100000070/")
				assert.Contains(t, err.Error(), tt.wantMsg)
				for _, sentinel := range []error{coupang.ErrUnauthorized, coupang.ErrForbidden, coupang.ErrNotFound, coupang.ErrRateLimited} {
					assert.NotErrorIs(t, err, sentinel)
				}
			})
		}
	}
}

func TestListEnvelopeFailureInHTTP200(t *testing.T) {
	tests := []struct {
		name, answer, wantCode string
	}{
		{"code ERROR", `{"code":"ERROR","message":"Request is not authorized."}`, "ERROR"},
		{"code 400 number", `{"code":400,"message":"createdAtFrom is invalid","data":null}`, "400"},
		{"code 400 string", `{"code":"400","message":"createdAtFrom is invalid"}`, "400"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMockAPI(t)
			m.onJSON(http.MethodGet, exchangesPath, http.StatusOK, tt.answer)
			page, err := m.client.Exchanges.List(context.Background(), listOpts())
			assert.Nil(t, page)
			apiErr := requireAPIError(t, err)
			assert.Equal(t, http.StatusOK, apiErr.StatusCode)
			assert.Equal(t, tt.wantCode, apiErr.Code)
			assert.NotEmpty(t, apiErr.Message)
		})
	}
}

// ---- Every documented field is modelled and mapped ----

// documentedKeys lists every field of §2 of the API notes, by object.
var documentedKeys = map[string][]string{
	"": {
		"exchangeId", "orderId", "vendorId", "orderDeliveryStatusCode", "orderDeliveryStatusLabel",
		"exchangeStatus", "exchangeStatusLabel", "referType", "referTypeLabel", "faultType", "faultTypeLabel",
		"exchangeAmount", "reason", "reasonCode", "reasonCodeText", "reasonEtcDetail", "cancelReason",
		"createdByType", "createdByTypeLabel", "createdAt", "modifiedByType", "modifiedByTypeLabel", "modifiedAt",
		"exchangeItemDtoV1s", "exchangeAddressDtoV1", "deliveryInvoiceGroupDtos", "deliveryStatus",
		"collectStatus", "collectCompleteDate", "collectInformationsDto", "returnDeliveryDtos",
		"successable", "rejectable", "deliveryInvoiceModifiable",
	},
	"exchangeItemDtoV1s[]": {
		"exchangeItemId", "orderItemId", "orderItemUnitPrice", "orderItemName", "orderPackageId",
		"orderPackageName", "targetItemId", "targetItemUnitPrice", "targetItemName", "targetPackageId",
		"targetPackageName", "quantity", "orderItemDeliveryComplete", "orderItemReturnComplete",
		"targetItemDeliveryComplete", "createdAt", "modifiedAt", "originalShipmentBoxId",
	},
	"exchangeAddressDtoV1": {
		"exchangeAddressId", "returnCustomerName", "returnAddressZipCode", "returnAddress",
		"returnAddressDetail", "returnPhone", "returnMobile", "returnMemo", "deliveryCustomerName",
		"deliveryAddressZipCode", "deliveryAddress", "deliveryAddressDetail", "deliveryPhone",
		"deliveryMobile", "deliveryMemo", "createdAt", "modifiedAt", "exchangeId",
	},
	"deliveryInvoiceGroupDtos[]": {
		"shipmentBoxId", "boxPrice", "orderId", "orderType", "customerType", "bundleType", "extraMessage",
		"shippingDeliveryType", "deliveryInvoiceDtos",
	},
	"deliveryInvoiceGroupDtos[].deliveryInvoiceDtos[]": {
		"invoiceNumber", "estimatedDeliveryDate", "deliveredDate", "statusModifiedAt",
		"invoiceNumberUploadDate", "statusCode", "deliverCode", "isMainShipmentInvoice", "parcelType",
		"invoiceVendorItemDtos",
	},
	"deliveryInvoiceGroupDtos[].deliveryInvoiceDtos[].invoiceVendorItemDtos[]": {
		"vendorItemId", "quantity", "hasAdditionalItem", "promiseDeliveryDate", "estimatedShippingDate",
	},
	"collectInformationsDto": {
		"returnType", "expectedReturnDate", "returndeliveryItemDtos", "returndeliveryDestinationDto",
	},
	"collectInformationsDto.returndeliveryItemDtos[]": {
		"vendorItemId", "statusCode", "returnCount", "releaseStatus", "paymentReturnDeliveryMapId",
		"paymentItemId", "modifiedBy", "moodifiedAt", "createdBy", "createdAt", "count", "confirmType",
		"collectStatus",
	},
	"collectInformationsDto.returndeliveryDestinationDto": {
		"vendorZipCode", "vendorPhone", "vendorName", "vendorMobile", "vendorAddressDetail", "vendorAddress",
		"safetyNumberStatus", "safetyNumberId", "safetyNumber", "returnDeliveryId", "returnCenterCode",
		"receiptId", "orderedByMobile", "orderId", "message", "customerZipCode", "customerPhone",
		"customerName", "customerMobile", "customerAddressDetail", "customerAddress",
	},
	"returnDeliveryDtos[]": {"deliveryCompanyCode", "deliveryInvoiceNo"},
}

// keyPaths collects the key paths of a decoded JSON value, arrays written as
// "[]" and their elements' keys merged.
func keyPaths(v any, prefix string, out map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		for k, child := range x {
			p := k
			if prefix != "" {
				p = prefix + "." + k
			}
			out[p] = true
			keyPaths(child, p, out)
		}
	case []any:
		for _, child := range x {
			keyPaths(child, prefix+"[]", out)
		}
	}
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// zeroFields walks v and reports the path of every exported field that holds
// its zero value: a nil pointer, an empty slice, a zero scalar or a zero Time.
func zeroFields(v reflect.Value, path string, out *[]string) {
	if z, ok := v.Interface().(interface{ IsZero() bool }); ok {
		if z.IsZero() {
			*out = append(*out, path)
		}
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			*out = append(*out, path)
			return
		}
		zeroFields(v.Elem(), path, out)
	case reflect.Slice:
		if v.Len() == 0 {
			*out = append(*out, path)
			return
		}
		for i := 0; i < v.Len(); i++ {
			zeroFields(v.Index(i), fmt.Sprintf("%s[%d]", path, i), out)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			zeroFields(v.Field(i), path+"."+f.Name, out)
		}
	default:
		if v.IsZero() {
			*out = append(*out, path)
		}
	}
}

func TestFullFixtureEveryFieldMapped(t *testing.T) {
	raw := fixture(t, "full.json")
	page := listFixture(t, "full.json")
	require.Len(t, page.Items, 1)
	ex := page.Items[0]

	// 1. The fixture holds every documented field, and nothing else.
	var env struct {
		Data []map[string]any `json:"data"`
	}
	require.NoError(t, json.Unmarshal([]byte(raw), &env))
	require.Len(t, env.Data, 1)
	inFixture := map[string]bool{}
	keyPaths(env.Data[0], "", inFixture)
	documented := map[string]bool{}
	for obj, keys := range documentedKeys {
		for _, k := range keys {
			if obj == "" {
				documented[k] = true
			} else {
				documented[obj+"."+k] = true
			}
		}
	}
	assert.Equal(t, sortedKeys(documented), sortedKeys(inFixture), "full.json must hold exactly the documented fields")

	// 2. Every exported field of the model got a value from it.
	var zero []string
	zeroFields(reflect.ValueOf(ex), "ExchangeRequest", &zero)
	assert.Empty(t, zero, "fields left at their zero value: not modelled or not mapped")

	// 3. Encoding the model gives back the same keys: no field is mapped
	// under a wrong name.
	b, err := json.Marshal(ex)
	require.NoError(t, err)
	var back map[string]any
	require.NoError(t, json.Unmarshal(b, &back))
	fromModel := map[string]bool{}
	keyPaths(back, "", fromModel)
	assert.Equal(t, sortedKeys(inFixture), sortedKeys(fromModel))

	// Spot checks of values and types.
	assert.EqualValues(t, 300000001, ex.ExchangeID)
	assert.Equal(t, coupang.ExchangeStatusProgress, ex.Status)
	assert.Equal(t, "DIFFERENTOPT", ex.ReasonInfo().Code)
	assert.Equal(t, "colour/size not as expected", ex.ReasonInfo().English)
	box, ok := ex.ReplacementShipmentBoxID()
	assert.True(t, ok)
	assert.Equal(t, int64(100000000000000123), box)
	assertKST(t, fixtureInstant, ex.CreatedAt)
	assertKST(t, time.Date(2026, 3, 6, 9, 10, 11, 0, kst), ex.CollectInformation.Items[0].ModifiedAt)
	assert.Equal(t, "0502-1234-5678", string(ex.Address.ReturnPhone))
}

func TestZeroFieldsCanFail(t *testing.T) {
	// The walker must notice a missing value, or the test above proves nothing.
	var zero []string
	ex := coupang.ExchangeRequest{ExchangeID: 1, Items: []coupang.ExchangeItem{{ExchangeItemID: 2}}}
	zeroFields(reflect.ValueOf(ex), "ExchangeRequest", &zero)
	assert.Contains(t, zero, "ExchangeRequest.OrderID")
	assert.Contains(t, zero, "ExchangeRequest.CreatedAt")
	assert.Contains(t, zero, "ExchangeRequest.Items[0].OrderItemDeliveryComplete")
	assert.Contains(t, zero, "ExchangeRequest.DeliveryInvoiceGroups")
	assert.NotContains(t, zero, "ExchangeRequest.ExchangeID")
	assert.NotContains(t, zero, "ExchangeRequest.Items[0].ExchangeItemID")
}

// ---- All ----

// listWindow is one List call as the mock received it.
type listWindow struct {
	from, to time.Time
	token    string
}

func parseWindow(t *testing.T, r recordedRequest) listWindow {
	t.Helper()
	q, err := url.ParseQuery(r.RawQuery)
	require.NoError(t, err)
	from, err := time.ParseInLocation(wireTimeLayout, q.Get("createdAtFrom"), kst)
	require.NoError(t, err)
	to, err := time.ParseInLocation(wireTimeLayout, q.Get("createdAtTo"), kst)
	require.NoError(t, err)
	return listWindow{from: from, to: to, token: q.Get("nextToken")}
}

// exchangeJSON is a minimal exchange record.
func exchangeJSON(id int64, createdAt time.Time) string {
	return fmt.Sprintf(`{"exchangeId":%d,"exchangeStatus":"RECEIPT","createdAt":%q}`, id, createdAt.In(kst).Format(wireTimeLayout))
}

func listJSON(nextToken string, items ...string) string {
	return fmt.Sprintf(`{"code":200,"message":"OK","data":[%s],"nextToken":%q}`, strings.Join(items, ","), nextToken)
}

// pageServer answers List calls with pages(window) and records nothing
// itself: mockAPI records.
func (m *mockAPI) onList(pages func(w listWindow) (status int, body string)) {
	m.on(http.MethodGet, exchangesPath, func(req *http.Request) (*http.Response, error) {
		q := req.URL.Query()
		from, err1 := time.ParseInLocation(wireTimeLayout, q.Get("createdAtFrom"), kst)
		to, err2 := time.ParseInLocation(wireTimeLayout, q.Get("createdAtTo"), kst)
		if err1 != nil || err2 != nil {
			return httpmock.NewStringResponse(400, `{"code":400,"message":"bad window"}`), nil
		}
		status, body := pages(listWindow{from: from, to: to, token: q.Get("nextToken")})
		return jsonResponder(status, body)(req)
	})
}

type allResult struct {
	ids  []int64
	errs []error
}

func collectAll(seq func(func(coupang.ExchangeRequest, error) bool)) allResult {
	var res allResult
	for ex, err := range seq {
		if err != nil {
			res.errs = append(res.errs, err)
			continue
		}
		res.ids = append(res.ids, ex.ExchangeID)
	}
	return res
}

func TestAllSplitsLongRangesIntoConsecutiveWindows(t *testing.T) {
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, kst)
	end := start.Add(20 * 24 * time.Hour)
	m := newMockAPI(t, coupang.WithListConcurrency(1))
	m.onList(func(w listWindow) (int, string) {
		// Each window returns one record created in it; the first window
		// has a second page, to check the token does not leak into the next
		// window.
		id := w.from.Unix()
		if w.from.Equal(start) && w.token == "" {
			return 200, listJSON("page2", exchangeJSON(id, w.from.Add(time.Hour)))
		}
		if w.token == "page2" {
			return 200, listJSON("", exchangeJSON(id+1, w.from.Add(2*time.Hour)))
		}
		return 200, listJSON("", exchangeJSON(id, w.from.Add(time.Hour)))
	})

	opts := coupang.ExchangeListOptions{CreatedAtFrom: start, CreatedAtTo: end}
	res := collectAll(m.client.Exchanges.All(context.Background(), opts))
	require.Empty(t, res.errs)

	calls := m.calls()
	require.Len(t, calls, 4, "3 windows, the first with 2 pages")
	var windows []listWindow
	for i, r := range calls {
		testMethod(t, r, http.MethodGet)
		testPath(t, r, exchangesPath)
		testCommonHeaders(t, r)
		w := parseWindow(t, r)
		if i == 1 {
			assert.Equal(t, "page2", w.token)
			assert.Equal(t, windows[0], listWindow{from: w.from, to: w.to}, "page 2 asks for the same window")
			continue
		}
		assert.Empty(t, w.token, "a new window starts without a token")
		windows = append(windows, listWindow{from: w.from, to: w.to})
	}
	require.Len(t, windows, 3)
	assert.True(t, windows[0].from.Equal(start), "first window starts at the start")
	assert.True(t, windows[len(windows)-1].to.Equal(end), "last window ends at the end")
	for i, w := range windows {
		assert.True(t, w.to.After(w.from), "window %d is not empty", i)
		assert.LessOrEqual(t, w.to.Sub(w.from), coupang.MaxListWindow, "window %d", i)
		if i > 0 {
			prev := windows[i-1]
			assert.False(t, w.from.After(prev.to.Add(time.Second)), "gap between window %d and %d", i-1, i)
			assert.False(t, w.from.Before(prev.to), "windows %d and %d overlap by more than their edge", i-1, i)
		}
	}
	assert.Len(t, res.ids, 4)
}

func TestAllYieldsEdgeRecordOnce(t *testing.T) {
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, kst)
	edge := start.Add(coupang.MaxListWindow)
	end := start.Add(14 * 24 * time.Hour)
	m := newMockAPI(t, coupang.WithListConcurrency(1))
	m.onList(func(w listWindow) (int, string) {
		// Both windows contain the edge second, as an inclusive createdAtTo
		// would make them: record 42 comes back from both.
		if w.from.Equal(start) {
			return 200, listJSON("", exchangeJSON(1, start.Add(time.Hour)), exchangeJSON(42, edge))
		}
		return 200, listJSON("",
			exchangeJSON(42, edge),
			exchangeJSON(43, edge), // also on the edge, but only in this window
			exchangeJSON(44, edge.Add(48*time.Hour)),
		)
	})

	res := collectAll(m.client.Exchanges.All(context.Background(), coupang.ExchangeListOptions{CreatedAtFrom: start, CreatedAtTo: end}))
	require.Empty(t, res.errs)
	assert.Equal(t, []int64{1, 42, 43, 44}, res.ids)
	assert.Equal(t, 2, m.callCount())
}

func TestAllFollowsNextToken(t *testing.T) {
	m := newMockAPI(t)
	pages := map[string]string{
		"":   listJSON("t2", exchangeJSON(1, fixtureInstant), exchangeJSON(2, fixtureInstant)),
		"t2": listJSON("t3", exchangeJSON(3, fixtureInstant)),
		"t3": listJSON("", exchangeJSON(4, fixtureInstant)),
	}
	m.onList(func(w listWindow) (int, string) {
		body, ok := pages[w.token]
		if !ok {
			return 400, `{"code":400,"message":"unknown token"}`
		}
		return 200, body
	})
	res := collectAll(m.client.Exchanges.All(context.Background(), listOpts()))
	require.Empty(t, res.errs)
	assert.Equal(t, []int64{1, 2, 3, 4}, res.ids)

	calls := m.calls()
	require.Len(t, calls, 3)
	var tokens []string
	for _, r := range calls {
		tokens = append(tokens, parseWindow(t, r).token)
		testSigned(t, r)
	}
	assert.Equal(t, []string{"", "t2", "t3"}, tokens)
}

func TestAllReportsARepeatedToken(t *testing.T) {
	tests := []struct {
		name      string
		tokens    []string // the nextToken of each successive answer
		wantCalls int
	}{
		{name: "same token forever", tokens: []string{"loop", "loop"}, wantCalls: 2},
		{name: "cycle of two", tokens: []string{"a", "b", "a"}, wantCalls: 3},
		{name: "cycle back to the first", tokens: []string{"1", "2", "3", "1"}, wantCalls: 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMockAPI(t)
			var mu sync.Mutex
			n := 0
			m.onList(func(listWindow) (int, string) {
				mu.Lock()
				defer mu.Unlock()
				n++
				if n > 10 {
					return 400, `{"code":400,"message":"runaway"}`
				}
				// Every answer repeats a token from the cycle, forever.
				tok := tt.tokens[(n-1)%len(tt.tokens)]
				if n > len(tt.tokens) {
					tok = tt.tokens[len(tt.tokens)-1]
				}
				return 200, listJSON(tok, exchangeJSON(int64(n), fixtureInstant))
			})
			res := collectAll(m.client.Exchanges.All(context.Background(), listOpts()))
			require.Len(t, res.errs, 1, "the loop is reported, not taken for the end")
			assert.ErrorIs(t, res.errs[0], coupang.ErrPagingLoop)
			assert.Equal(t, tt.wantCalls, m.callCount())
			assert.Len(t, res.ids, tt.wantCalls, "the records before the loop stay yielded")
		})
	}
}

func TestAllIsLazy(t *testing.T) {
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, kst)
	m := newMockAPI(t, coupang.WithListConcurrency(1))
	m.onList(func(w listWindow) (int, string) {
		return 200, listJSON("more", exchangeJSON(1, w.from), exchangeJSON(2, w.from))
	})
	seq := m.client.Exchanges.All(context.Background(), coupang.ExchangeListOptions{
		CreatedAtFrom: start, CreatedAtTo: start.Add(30 * 24 * time.Hour),
	})
	assert.Equal(t, 0, m.callCount(), "nothing is fetched before the loop runs")

	var got []int64
	for ex, err := range seq {
		require.NoError(t, err)
		got = append(got, ex.ExchangeID)
		break
	}
	assert.Equal(t, []int64{1}, got)
	assert.Equal(t, 1, m.callCount())
}

func TestAllStopsAtFirstError(t *testing.T) {
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, kst)
	tests := []struct {
		name       string
		failOn     func(w listWindow) bool
		wantIDs    []int64
		wantCalls  int
		wantStatus int
	}{
		{
			name:       "second window",
			failOn:     func(w listWindow) bool { return !w.from.Equal(start) },
			wantIDs:    []int64{1, 2},
			wantCalls:  3,
			wantStatus: 500,
		},
		{
			name:       "second page of the first window",
			failOn:     func(w listWindow) bool { return w.token == "p2" },
			wantIDs:    []int64{1},
			wantCalls:  2,
			wantStatus: 500,
		},
		{
			name:       "first call",
			failOn:     func(listWindow) bool { return true },
			wantCalls:  1,
			wantStatus: 500,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMockAPI(t, coupang.WithListConcurrency(1))
			m.onList(func(w listWindow) (int, string) {
				if tt.failOn(w) {
					return 500, `{"code":500,"message":"internal error"}`
				}
				if w.token == "" && w.from.Equal(start) {
					return 200, listJSON("p2", exchangeJSON(1, start.Add(time.Hour)))
				}
				return 200, listJSON("", exchangeJSON(2, w.from.Add(time.Hour)))
			})
			var ids []int64
			var errs []error
			yields := 0
			for ex, err := range m.client.Exchanges.All(context.Background(), coupang.ExchangeListOptions{
				CreatedAtFrom: start, CreatedAtTo: start.Add(20 * 24 * time.Hour),
			}) {
				yields++
				if err != nil {
					errs = append(errs, err)
					assert.Zero(t, ex.ExchangeID, "the error comes with a zero record")
					continue // keep asking: All must stop by itself
				}
				ids = append(ids, ex.ExchangeID)
			}
			assert.Equal(t, tt.wantIDs, ids)
			require.Len(t, errs, 1, "the error is yielded exactly once")
			assert.Equal(t, len(tt.wantIDs)+1, yields)
			apiErr := requireAPIError(t, errs[0])
			assert.Equal(t, tt.wantStatus, apiErr.StatusCode)
			assert.Equal(t, tt.wantCalls, m.callCount())
		})
	}
}

func TestAllValidationErrors(t *testing.T) {
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, kst)
	tests := []struct {
		name  string
		opts  coupang.ExchangeListOptions
		field string
	}{
		{"zero from", coupang.ExchangeListOptions{CreatedAtTo: start}, "CreatedAtFrom"},
		{"zero to", coupang.ExchangeListOptions{CreatedAtFrom: start}, "CreatedAtTo"},
		{"to before from", coupang.ExchangeListOptions{CreatedAtFrom: start, CreatedAtTo: start.Add(-time.Second)}, "CreatedAtTo"},
		{"page size 51", coupang.ExchangeListOptions{CreatedAtFrom: start, CreatedAtTo: start.Add(time.Hour), MaxPerPage: 51}, "MaxPerPage"},
		{"page size -1", coupang.ExchangeListOptions{CreatedAtFrom: start, CreatedAtTo: start.Add(time.Hour), MaxPerPage: -1}, "MaxPerPage"},
		{"negative order", coupang.ExchangeListOptions{CreatedAtFrom: start, CreatedAtTo: start.Add(time.Hour), OrderID: -1}, "OrderID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMockAPI(t)
			res := collectAll(m.client.Exchanges.All(context.Background(), tt.opts))
			assert.Empty(t, res.ids)
			require.Len(t, res.errs, 1)
			requireValidation(t, res.errs[0], tt.field)
			assert.Equal(t, 0, m.callCount())
		})
	}
}

func TestAllAcceptsRangesLongerThanAWindow(t *testing.T) {
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, kst)
	m := newMockAPI(t, coupang.WithListConcurrency(1))
	m.onJSON(http.MethodGet, exchangesPath, http.StatusOK, okEmptyList)
	res := collectAll(m.client.Exchanges.All(context.Background(), coupang.ExchangeListOptions{
		CreatedAtFrom: start, CreatedAtTo: start.Add(coupang.MaxListWindow + time.Second),
	}))
	assert.Empty(t, res.errs)
	assert.Equal(t, 2, m.callCount())
}

func TestAllSingleInstantRange(t *testing.T) {
	// from == to is a valid (one-second) window: exactly one call.
	m := newMockAPI(t)
	m.onJSON(http.MethodGet, exchangesPath, http.StatusOK, listJSON("", exchangeJSON(9, fixtureInstant)))
	res := collectAll(m.client.Exchanges.All(context.Background(), coupang.ExchangeListOptions{
		CreatedAtFrom: fixtureInstant, CreatedAtTo: fixtureInstant,
	}))
	assert.Empty(t, res.errs)
	assert.Equal(t, []int64{9}, res.ids)
	assert.Equal(t, 1, m.callCount())
}

func TestAllStartsFromCallersTokenInFirstWindowOnly(t *testing.T) {
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, kst)
	m := newMockAPI(t, coupang.WithListConcurrency(1))
	m.onList(func(w listWindow) (int, string) {
		return 200, listJSON("", exchangeJSON(w.from.Unix(), w.from.Add(time.Hour)))
	})
	res := collectAll(m.client.Exchanges.All(context.Background(), coupang.ExchangeListOptions{
		CreatedAtFrom: start, CreatedAtTo: start.Add(10 * 24 * time.Hour), NextToken: "resume",
	}))
	require.Empty(t, res.errs)
	calls := m.calls()
	require.Len(t, calls, 2)
	assert.Equal(t, "resume", parseWindow(t, calls[0]).token)
	assert.Empty(t, parseWindow(t, calls[1]).token, "a caller's token belongs to the first window only")
}
