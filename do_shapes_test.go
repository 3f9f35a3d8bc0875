package coupang_test

// The answer shapes Coupang documents for the endpoints this package does not
// wrap, read through Do and DoAll (issue 20): order sheets (v4 and v5),
// the shipping-waybill upload and its per-item results, the return actions
// with and without code and message nested in data, the withdrawal history
// paged by index, and settlement-style arrays. The answers are written from
// the reference's field tables and samples, with invented values.

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
)

const (
	shapesVendor     = "/v2/providers/openapi/apis/api/v4/vendors/A00012345"
	orderSheetsV5    = "/v2/providers/openapi/apis/api/v5/vendors/A00012345/ordersheets"
	orderSheetsV4    = shapesVendor + "/ordersheets"
	invoicesPath     = shapesVendor + "/orders/invoices"
	ackPath          = shapesVendor + "/ordersheets/acknowledgement"
	withdrawalsPath  = shapesVendor + "/returnWithdrawRequests"
	settlementDetail = shapesVendor + "/orders/settlementDetails"
	settlementHist   = "/v2/providers/marketplace_openapi/apis/api/v1/settlement-histories"
)

// orderSheet is what a seller's program keeps of an order sheet; the same
// struct reads the v4 (plain numbers, times without offset) and v5 (money
// objects, times with microseconds and an offset) answers.
type orderSheet struct {
	ShipmentBoxID int64         `json:"shipmentBoxId"`
	OrderID       int64         `json:"orderId"`
	OrderedAt     coupang.Time  `json:"orderedAt"`
	Status        string        `json:"status"`
	ShippingPrice coupang.Money `json:"shippingPrice"`
	RemotePrice   coupang.Money `json:"remotePrice"`
	OrderItems    []struct {
		VendorItemID int64         `json:"vendorItemId"`
		SalesPrice   coupang.Money `json:"salesPrice"`
	} `json:"orderItems"`
}

// invoiceAnswer is the data of the waybill upload's answer.
type invoiceAnswer struct {
	ResponseCode int `json:"responseCode"`
	ResponseList []struct {
		ShipmentBoxID int64 `json:"shipmentBoxId"`
		Succeed       bool  `json:"succeed"`
	} `json:"responseList"`
}

// withdrawal is one record of the withdrawal history.
type withdrawal struct {
	CancelID      int64        `json:"cancelId"`
	OrderID       int64        `json:"orderId"`
	CreatedAt     coupang.Time `json:"createdAt"`
	VendorItemIDs []int64      `json:"vendorItemIds"`
}

// settlement is one record of a settlement-style array.
type settlement struct {
	OrderID int64         `json:"orderId"`
	Amount  coupang.Money `json:"amount"`
}

// seqResponder answers successive requests with successive bodies, the last
// one repeated.
func seqResponder(bodies ...string) httpmock.Responder {
	var mu sync.Mutex
	n := 0
	return func(*http.Request) (*http.Response, error) {
		mu.Lock()
		defer mu.Unlock()
		b := bodies[min(n, len(bodies)-1)]
		n++
		return jsonResponder(200, b)(nil)
	}
}

func collect[T any](seq func(func(T, error) bool)) ([]T, []error) {
	var out []T
	var errs []error
	for v, err := range seq {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, v)
	}
	return out, errs
}

func TestDocumentedAnswerShapes(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		method  string
		path    string
		answers []string
		// run makes the call and returns what it decoded.
		run func(t *testing.T, c *coupang.Client) (any, error)
		// want is what run must return; check, if set, the error.
		want  any
		check func(t *testing.T, err error)
		// queries are the raw queries the server must have seen, in order.
		queries []string
	}{
		{
			name: "order sheets v5 by day, two pages", method: http.MethodGet, path: orderSheetsV5,
			answers: []string{
				`{"code":200,"message":"OK","data":[{"shipmentBoxId":642538971116401429,"orderId":22000009546234,
				  "orderedAt":"2025-01-15T14:17:13.973885-08:00","status":"INSTRUCT",
				  "shippingPrice":{"currencyCode":"KRW","units":5000,"nanos":0},"remotePrice":null,
				  "orderItems":[{"vendorItemId":3242596358,"salesPrice":{"currencyCode":"KRW","units":"19000","nanos":0}}]}],
				  "nextToken":"448537989"}`,
				`{"code":200,"message":"OK","data":[{"shipmentBoxId":642538971116401428,"orderId":22000009546630,
				  "orderedAt":"2025-01-16T09:00:00.5+09:00","status":"INSTRUCT",
				  "shippingPrice":{"currencyCode":"KRW","units":0,"nanos":0},"remotePrice":{"currencyCode":"KRW","units":3000,"nanos":0},
				  "orderItems":[]}],"nextToken":""}`,
			},
			run: func(t *testing.T, c *coupang.Client) (any, error) {
				q := url.Values{"createdAtFrom": {"2025-01-15+09:00"}, "createdAtTo": {"2025-01-16+09:00"}, "status": {"INSTRUCT"}, "maxPerPage": {"1"}}
				out, errs := collect(coupang.DoAll[orderSheet](ctx, c, orderSheetsV5, q))
				return out, errors.Join(errs...)
			},
			want: []orderSheet{
				{ShipmentBoxID: 642538971116401429, OrderID: 22000009546234,
					OrderedAt: coupang.Time{Time: time.Date(2025, 1, 16, 7, 17, 13, 973885000, coupang.KoreaLocation())}, Status: "INSTRUCT",
					ShippingPrice: coupang.Money{Currency: "KRW", Units: 5000},
					OrderItems: []struct {
						VendorItemID int64         `json:"vendorItemId"`
						SalesPrice   coupang.Money `json:"salesPrice"`
					}{{VendorItemID: 3242596358, SalesPrice: coupang.Money{Currency: "KRW", Units: 19000}}}},
				{ShipmentBoxID: 642538971116401428, OrderID: 22000009546630,
					OrderedAt: coupang.Time{Time: time.Date(2025, 1, 16, 9, 0, 0, 500000000, coupang.KoreaLocation())}, Status: "INSTRUCT",
					ShippingPrice: coupang.Money{Currency: "KRW"}, RemotePrice: coupang.Money{Currency: "KRW", Units: 3000},
					OrderItems: []struct {
						VendorItemID int64         `json:"vendorItemId"`
						SalesPrice   coupang.Money `json:"salesPrice"`
					}{}},
			},
			queries: []string{
				"createdAtFrom=2025-01-15%2B09%3A00&createdAtTo=2025-01-16%2B09%3A00&maxPerPage=1&status=INSTRUCT",
				"createdAtFrom=2025-01-15%2B09%3A00&createdAtTo=2025-01-16%2B09%3A00&maxPerPage=1&nextToken=448537989&status=INSTRUCT",
			},
		},
		{
			name: "order sheets v4: plain numbers, Korea time without offset", method: http.MethodGet, path: orderSheetsV4,
			answers: []string{`{"code":200,"message":"OK","data":[{"shipmentBoxId":102390933,"orderId":806,
				"orderedAt":"2017-01-11T00:41:54","status":"ACCEPT","shippingPrice":2500,"remotePrice":0,
				"orderItems":[{"vendorItemId":22063200,"salesPrice":"6500"}]}],"nextToken":""}`},
			run: func(t *testing.T, c *coupang.Client) (any, error) {
				var out []orderSheet
				_, err := c.Do(ctx, http.MethodGet, orderSheetsV4, url.Values{"status": {"ACCEPT"}}, nil, &out)
				return out, err
			},
			want: []orderSheet{{ShipmentBoxID: 102390933, OrderID: 806,
				OrderedAt: coupang.Time{Time: time.Date(2017, 1, 11, 0, 41, 54, 0, coupang.KoreaLocation())}, Status: "ACCEPT",
				ShippingPrice: coupang.Money{Units: 2500},
				OrderItems: []struct {
					VendorItemID int64         `json:"vendorItemId"`
					SalesPrice   coupang.Money `json:"salesPrice"`
				}{{VendorItemID: 22063200, SalesPrice: coupang.Money{Units: 6500}}}}},
		},
		{
			name: "waybill upload, partial failure", method: http.MethodPost, path: invoicesPath,
			answers: []string{`{"code":"200","message":"OK","transactionId":"tx-inv","data":{"responseKey":-7326489997410939972,
				"responseCode":1,"responseMessage":"apply invoice result - Partial errors.",
				"responseList":[{"shipmentBoxId":102391542,"succeed":true,"resultCode":"OK","retryRequired":false,"resultMessage":null},
				{"shipmentBoxId":102391599,"succeed":false,"resultCode":"NOT_FOUND_SHIPMENT_BOX","retryRequired":true,
				 "resultMessage":"shipmentBoxId (102391599) is not found."},
				{"shipmentBoxId":102391600,"succeed":false,"resultCode":"INVALID_STATUS","retryRequired":false,
				 "resultMessage":"배송진행상태가 유효하지 않습니다."}]}}`},
			run: func(t *testing.T, c *coupang.Client) (any, error) {
				var out invoiceAnswer
				_, err := c.Do(ctx, http.MethodPost, invoicesPath, nil, waybillBody(102391542, 102391599, 102391600), &out)
				return out.ResponseCode, err
			},
			want: 1, // out is filled all the same
			check: func(t *testing.T, err error) {
				var be *coupang.BatchError
				require.ErrorAs(t, err, &be)
				assert.ErrorIs(t, err, coupang.ErrBusinessFailure)
				assert.NotErrorIs(t, err, coupang.ErrOutcomeUnknown)
				assert.Equal(t, "1", be.ResponseCode)
				assert.Equal(t, "tx-inv", be.TransactionID)
				assert.Equal(t, 200, be.StatusCode)
				assert.Equal(t, []coupang.BatchItem{{Index: 0, ID: 102391542, IDField: "shipmentBoxId", Code: "OK"}}, be.Succeeded)
				assert.Equal(t, []coupang.BatchItem{
					{Index: 1, ID: 102391599, IDField: "shipmentBoxId", Code: "NOT_FOUND_SHIPMENT_BOX", Message: "shipmentBoxId (102391599) is not found.", RetryAllowed: true},
					{Index: 2, ID: 102391600, IDField: "shipmentBoxId", Code: "INVALID_STATUS", Message: "배송진행상태가 유효하지 않습니다."},
				}, be.Failed)
				assert.Contains(t, err.Error(), "2 of 3 items failed")
				assert.Contains(t, err.Error(), "shipmentBoxId 102391599: NOT_FOUND_SHIPMENT_BOX (retry allowed)")
			},
		},
		{
			name: "waybill upload, all succeeded", method: http.MethodPost, path: invoicesPath,
			answers: []string{`{"code":"200","message":"OK","data":{"responseCode":0,"responseMessage":"SUCCESS",
				"responseList":[{"shipmentBoxId":102390933,"succeed":true,"resultCode":"OK","retryRequired":false,"resultMessage":null}]}}`},
			run: func(t *testing.T, c *coupang.Client) (any, error) {
				var out invoiceAnswer
				_, err := c.Do(ctx, http.MethodPost, invoicesPath, nil, waybillBody(102390933), &out)
				return len(out.ResponseList), err
			},
			want: 1,
		},
		{
			name: "acknowledgement, all failed, no items listed", method: http.MethodPut, path: ackPath,
			answers: []string{`{"code":"200","message":"OK","data":{"responseCode":99,
				"responseMessage":"배송상태를 변경할 수 없습니다. 주문내역을 확인해주세요.","responseList":[]}}`},
			run: func(t *testing.T, c *coupang.Client) (any, error) {
				_, err := c.Do(ctx, http.MethodPut, ackPath, nil, map[string]any{"vendorId": "A00012345", "shipmentBoxIds": []int64{1234719731}}, nil)
				return nil, err
			},
			check: func(t *testing.T, err error) {
				var be *coupang.BatchError
				require.ErrorAs(t, err, &be)
				assert.ErrorIs(t, err, coupang.ErrBusinessFailure)
				assert.Equal(t, "99", be.ResponseCode)
				assert.Empty(t, be.Failed)
				assert.Contains(t, err.Error(), "the batch failed (responseCode 99: 배송상태를 변경할 수 없습니다.")
			},
		},
		{
			name: "return action with code and message nested in data", method: http.MethodPut, path: shapesVendor + "/returnRequests/500000003/completedShipment",
			answers: []string{`{"data":{"code":"200","message":"OK","resultCode":"SUCCESS","resultMessage":"이미출고 상태변경이 성공하였습니다."}}`},
			run: func(t *testing.T, c *coupang.Client) (any, error) {
				var out struct {
					ResultCode string `json:"resultCode"`
				}
				_, err := c.Do(ctx, http.MethodPut, shapesVendor+"/returnRequests/500000003/completedShipment", nil,
					map[string]any{"vendorId": "A00012345", "receiptId": 500000003, "deliveryCompanyCode": "KDEXP", "invoiceNumber": "70432743577"}, &out)
				return out.ResultCode, err
			},
			want: "SUCCESS",
		},
		{
			name: "return action, nested code and FAIL", method: http.MethodPut, path: shapesVendor + "/returnRequests/500000003/completedShipment",
			answers: []string{`{"data":{"code":"200","message":"OK","resultCode":"FAIL","resultMessage":"출고중지 대상이 아닙니다."}}`},
			run: func(t *testing.T, c *coupang.Client) (any, error) {
				_, err := c.Do(ctx, http.MethodPut, shapesVendor+"/returnRequests/500000003/completedShipment", nil, map[string]int{"receiptId": 500000003}, nil)
				return nil, err
			},
			check: func(t *testing.T, err error) {
				apiErr := requireAPIError(t, err)
				assert.ErrorIs(t, err, coupang.ErrBusinessFailure)
				assert.Equal(t, "출고중지 대상이 아닙니다.", apiErr.Message)
			},
		},
		{
			name: "return action without nested code: stoppedShipment", method: http.MethodPut, path: shapesVendor + "/returnRequests/500000002/stoppedShipment",
			answers: []string{`{"code":"200","message":"OK","data":{"resultCode":"SUCCESS","resultMessage":"출고중지 처리 완료"}}`},
			run: func(t *testing.T, c *coupang.Client) (any, error) {
				_, err := c.Do(ctx, http.MethodPut, shapesVendor+"/returnRequests/500000002/stoppedShipment", nil,
					map[string]any{"vendorId": "A00012345", "receiptId": 500000002, "cancelCount": 2}, nil)
				return nil, err
			},
		},
		{
			name: "return action without data: receiveConfirmation", method: http.MethodPut, path: shapesVendor + "/returnRequests/500000001/receiveConfirmation",
			answers: []string{`{"code":"200","message":"OK"}`},
			run: func(t *testing.T, c *coupang.Client) (any, error) {
				out := "untouched"
				_, err := c.Do(ctx, http.MethodPut, shapesVendor+"/returnRequests/500000001/receiveConfirmation", nil,
					map[string]any{"vendorId": "A00012345", "receiptId": 500000001}, &out)
				return out, err
			},
			want: "untouched",
		},
		{
			name: "pickup waybill: data is the registered waybill", method: http.MethodPost, path: shapesVendor + "/return-exchange-invoices/manual",
			answers: []string{`{"code":200,"message":"OK","data":{"deliveryCompanyCode":"CJGLS","invoiceNumber":"123412341234",
				"invoiceNumberId":4001,"receiptId":500000001,"regNumber":"","returnDeliveryId":66001,"returnExchangeDeliveryType":"RETURN"}}`},
			run: func(t *testing.T, c *coupang.Client) (any, error) {
				var out struct {
					InvoiceNumberID int64 `json:"invoiceNumberId"`
				}
				_, err := c.Do(ctx, http.MethodPost, shapesVendor+"/return-exchange-invoices/manual", nil,
					map[string]any{"returnExchangeDeliveryType": "RETURN", "receiptId": 500000001, "deliveryCompanyCode": "CJGLS", "invoiceNumber": "123412341234"}, &out)
				return out.InvoiceNumberID, err
			},
			want: int64(4001),
		},
		{
			name: "withdrawal history by page index", method: http.MethodGet, path: withdrawalsPath,
			answers: []string{
				`{"code":200,"message":"OK","data":[{"cancelId":500000004,"orderId":9000001,"vendorId":"A00012345","refundDeliveryDuty":"CUS",
				  "createdAt":"2026-03-02T10:00:00","vendorItemIds":[70000001]}],"nextPageIndex":"2"}`,
				`{"code":200,"message":"OK","data":[{"cancelId":500000005,"orderId":9000002,"vendorId":"A00012345","refundDeliveryDuty":"COM",
				  "createdAt":"2026-03-03T11:30:00","vendorItemIds":[70000002,70000003]}],"nextPageIndex":""}`,
			},
			run: func(t *testing.T, c *coupang.Client) (any, error) {
				q := url.Values{"dateFrom": {"2026-03-01"}, "dateTo": {"2026-03-07"}, "sizePerPage": {"1"}}
				out, errs := collect(coupang.DoAll[withdrawal](ctx, c, withdrawalsPath, q, coupang.WithPageIndex("pageIndex")))
				assert.Equal(t, url.Values{"dateFrom": {"2026-03-01"}, "dateTo": {"2026-03-07"}, "sizePerPage": {"1"}}, q, "the caller's query is not changed")
				return out, errors.Join(errs...)
			},
			want: []withdrawal{
				{CancelID: 500000004, OrderID: 9000001, CreatedAt: coupang.Time{Time: time.Date(2026, 3, 2, 10, 0, 0, 0, coupang.KoreaLocation())}, VendorItemIDs: []int64{70000001}},
				{CancelID: 500000005, OrderID: 9000002, CreatedAt: coupang.Time{Time: time.Date(2026, 3, 3, 11, 30, 0, 0, coupang.KoreaLocation())}, VendorItemIDs: []int64{70000002, 70000003}},
			},
			queries: []string{
				"dateFrom=2026-03-01&dateTo=2026-03-07&pageIndex=1&sizePerPage=1",
				"dateFrom=2026-03-01&dateTo=2026-03-07&pageIndex=2&sizePerPage=1",
			},
		},
		{
			name: "settlement details: envelope, array, nextToken and hasNext", method: http.MethodGet, path: settlementDetail,
			answers: []string{
				`{"code":200,"message":"OK","data":[{"orderId":10000003907450,"amount":6500}],"nextToken":"eyJrZXki","hasNext":true}`,
				`{"code":200,"message":"OK","data":[{"orderId":11000003927162,"amount":10400.5}],"nextToken":"","hasNext":false}`,
			},
			run: func(t *testing.T, c *coupang.Client) (any, error) {
				out, errs := collect(coupang.DoAll[settlement](ctx, c, settlementDetail, url.Values{"maxPerPage": {"1"}}))
				return out, errors.Join(errs...)
			},
			want: []settlement{
				{OrderID: 10000003907450, Amount: coupang.Money{Units: 6500}},
				{OrderID: 11000003927162, Amount: coupang.Money{Units: 10400, Nanos: 500000000}},
			},
			queries: []string{"maxPerPage=1", "maxPerPage=1&nextToken=eyJrZXki"},
		},
		{
			name: "settlement histories: a bare array, no envelope", method: http.MethodGet, path: settlementHist,
			answers: []string{`[{"orderId":1,"amount":{"currencyCode":"KRW","units":1250000,"nanos":0}},{"orderId":2,"amount":-3000}]`},
			run: func(t *testing.T, c *coupang.Client) (any, error) {
				out, errs := collect(coupang.DoAll[settlement](ctx, c, settlementHist, url.Values{"revenueRecognitionYearMonth": {"2026-03"}}))
				return out, errors.Join(errs...)
			},
			want: []settlement{{OrderID: 1, Amount: coupang.Money{Currency: "KRW", Units: 1250000}}, {OrderID: 2, Amount: coupang.Money{Units: -3000}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMockAPI(t)
			m.on(tt.method, tt.path, seqResponder(tt.answers...))
			got, err := tt.run(t, m.client)
			if tt.check != nil {
				tt.check(t, err)
			} else {
				require.NoError(t, err)
			}
			if tt.want != nil {
				assert.Equal(t, tt.want, got)
			}
			if tt.queries != nil {
				calls := m.calls()
				require.Len(t, calls, len(tt.queries))
				for i, q := range tt.queries {
					assert.Equal(t, q, calls[i].RawQuery, "page %d", i+1)
					testSigned(t, calls[i])
				}
			}
		})
	}
}

// waybillBody is the body of the shipping-waybill upload for boxes.
func waybillBody(boxes ...int64) map[string]any {
	dtos := make([]map[string]any, len(boxes))
	for i, b := range boxes {
		dtos[i] = map[string]any{"shipmentBoxId": b, "orderId": 806, "vendorItemId": 22063200, "deliveryCompanyCode": "KDEXP",
			"invoiceNumber": "4567456566", "splitShipping": false, "preSplitShipped": false, "estimatedShippingDate": ""}
	}
	return map[string]any{"vendorId": "A00012345", "orderSheetInvoiceApplyDtos": dtos}
}
