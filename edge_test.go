package coupang_test

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
)

// Edge cases found in review: each row is a way Coupang, or something in front
// of it, could answer that must not mislead the caller.

func TestWriteStatusesThatLeaveTheOutcomeUnknown(t *testing.T) {
	tests := []struct {
		status      int
		wantUnknown bool
	}{
		{http.StatusInternalServerError, true},
		{http.StatusGatewayTimeout, true},
		{524, true}, // a CDN's "timeout after forwarding"
		{http.StatusNotImplemented, true},
		{http.StatusRequestTimeout, true},
		{http.StatusBadRequest, false},
		{http.StatusConflict, false},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.status), func(t *testing.T) {
			// Retries on, to prove that none happens.
			m := newMockAPI(t, coupang.WithMaxRetries(3), coupang.WithBackoff(time.Millisecond, time.Millisecond))
			m.onJSON(http.MethodPut, exchangesPath+"/7/receiveConfirmation", tt.status, `{"code":"ERROR","message":"upstream"}`)

			err := m.client.Exchanges.ConfirmReceipt(context.Background(), 7)
			apiErr := requireAPIError(t, err)
			assert.Equal(t, tt.status, apiErr.StatusCode)
			assert.Equal(t, tt.wantUnknown, errors.Is(err, coupang.ErrOutcomeUnknown))
			assert.Equal(t, 1, m.callCount(), "a write is sent once")
		})
	}
}

func TestWriteResultCodes(t *testing.T) {
	tests := []struct {
		name        string
		body        string
		wantErr     bool
		wantUnknown bool
		wantFailure bool
	}{
		{"SUCCESS", `{"code":"200","message":"SUCCESS","data":{"resultCode":"SUCCESS","resultMessage":"요청 처리완료"}}`, false, false, false},
		{"OK", `{"code":200,"message":"OK","data":{"resultCode":"OK"}}`, false, false, false},
		{"FAIL", `{"code":"200","message":"SUCCESS","data":{"resultCode":"FAIL","resultMessage":"거부할 수 없는 상태입니다"}}`, true, false, true},
		{"a code nobody documented", `{"code":"200","data":{"resultCode":"PENDING","resultMessage":"처리중"}}`, true, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMockAPI(t)
			m.onJSON(http.MethodPut, exchangesPath+"/7/rejection", http.StatusOK, tt.body)
			err := m.client.Exchanges.Reject(context.Background(), 7, coupang.RejectSoldOut)
			if !tt.wantErr {
				require.NoError(t, err)
				return
			}
			apiErr := requireAPIError(t, err)
			assert.Equal(t, http.StatusOK, apiErr.StatusCode)
			assert.Equal(t, tt.wantUnknown, errors.Is(err, coupang.ErrOutcomeUnknown))
			assert.Equal(t, tt.wantFailure, errors.Is(err, coupang.ErrBusinessFailure))
		})
	}
}

func TestNumericTransactionID(t *testing.T) {
	t.Run("success", func(t *testing.T) {
		m := newMockAPI(t)
		m.onJSON(http.MethodGet, exchangesPath, http.StatusOK, `{"code":200,"message":"OK","transactionId":12345,"data":[],"nextToken":null}`)
		page, err := m.client.Exchanges.List(context.Background(), listOpts())
		require.NoError(t, err)
		assert.Equal(t, "12345", page.TransactionID)
	})
	t.Run("error", func(t *testing.T) {
		m := newMockAPI(t)
		m.onJSON(http.MethodGet, exchangesPath, http.StatusBadRequest, `{"code":400,"message":"bad window","transactionId":987}`)
		_, err := m.client.Exchanges.List(context.Background(), listOpts())
		apiErr := requireAPIError(t, err)
		assert.Equal(t, "987", apiErr.TransactionID)
		assert.Equal(t, "bad window", apiErr.Message)
		assert.Empty(t, apiErr.Body)
	})
}

func TestJSONErrorBodyOfAnotherShapeIsNotKept(t *testing.T) {
	m := newMockAPI(t)
	// Could hold anything, customers' data included: none of it is kept.
	m.onJSON(http.MethodGet, exchangesPath, http.StatusBadRequest, `[{"customerName":"김*수","returnMobile":"0502-1234-5678"}]`)
	_, err := m.client.Exchanges.List(context.Background(), listOpts())
	apiErr := requireAPIError(t, err)
	assert.Empty(t, apiErr.Body)
	assert.NotContains(t, err.Error(), "0502")
	assert.NotContains(t, err.Error(), "김")
}

func TestLimiterWinsWhateverTheOptionOrder(t *testing.T) {
	for _, name := range []string{"limiter first", "limiter last"} {
		t.Run(name, func(t *testing.T) {
			l := &countingLimiter{}
			opts := []coupang.Option{coupang.WithLimiter(l), coupang.WithRateLimit(5)}
			if name == "limiter last" {
				opts = []coupang.Option{coupang.WithRateLimit(5), coupang.WithLimiter(l)}
			}
			m := newMockAPI(t, opts...)
			m.onJSON(http.MethodGet, exchangesPath, http.StatusOK, `{"code":200,"data":[]}`)
			_, err := m.client.Exchanges.List(context.Background(), listOpts())
			require.NoError(t, err)
			assert.Equal(t, int64(1), l.n.Load())
		})
	}
}

type countingLimiter struct{ n atomic.Int64 }

func (l *countingLimiter) Wait(context.Context) error { l.n.Add(1); return nil }

func TestTransportErrorsDoNotQuoteTheQuery(t *testing.T) {
	// Nothing listens on port 1 of the loopback address.
	c, err := coupang.NewClient(testAccessKey, testSecretKey, testVendorID,
		coupang.WithBaseURL("http://127.0.0.1:1"), coupang.WithRateLimit(0), coupang.WithMaxRetries(0))
	require.NoError(t, err)
	opts := listOpts()
	opts.OrderID = 31000000000001
	_, err = c.Exchanges.List(context.Background(), opts)
	require.Error(t, err)
	var reqErr *coupang.RequestError
	require.ErrorAs(t, err, &reqErr)
	assert.Contains(t, err.Error(), exchangesPath)
	assert.NotContains(t, err.Error(), "orderId")
	assert.NotContains(t, err.Error(), "31000000000001")
}

func TestAllStopsWhenPagingNeverEnds(t *testing.T) {
	m := newMockAPI(t)
	var n atomic.Int64
	m.on(http.MethodGet, exchangesPath, func(*http.Request) (*http.Response, error) {
		// A fresh token every time, and never an item: a server bug.
		return jsonResponder(http.StatusOK, `{"code":200,"data":[],"nextToken":"t`+strconv.FormatInt(n.Add(1), 10)+`"}`)(nil)
	})
	var errs []error
	for _, err := range m.client.Exchanges.All(context.Background(), listOpts()) {
		errs = append(errs, err)
	}
	require.Len(t, errs, 1)
	require.ErrorIs(t, errs[0], coupang.ErrPagingLoop)
	assert.Equal(t, 2000, m.callCount(), "bounded, not endless")
}

func TestReplacementShipmentBoxIDSkipsTheOriginalBox(t *testing.T) {
	ex := coupang.ExchangeRequest{
		Items: []coupang.ExchangeItem{{OriginalShipmentBoxID: 100000000000000001}},
		DeliveryInvoiceGroups: []coupang.DeliveryInvoiceGroup{
			{ShipmentBoxID: 100000000000000001, ShippingDeliveryType: coupang.ShippingDeliveryTypeExchangeDelivery},
			{ShipmentBoxID: 100000000000000002, ShippingDeliveryType: coupang.ShippingDeliveryTypeForcedDelivery},
			{ShipmentBoxID: 100000000000000003, ShippingDeliveryType: coupang.ShippingDeliveryTypeExchangeDelivery},
		},
	}
	box, ok := ex.ReplacementShipmentBoxID()
	require.True(t, ok)
	assert.Equal(t, int64(100000000000000003), box, "the exchange delivery, not the original box")

	ex.DeliveryInvoiceGroups = ex.DeliveryInvoiceGroups[:2]
	box, ok = ex.ReplacementShipmentBoxID()
	require.True(t, ok)
	assert.Equal(t, int64(100000000000000002), box, "any new box rather than the original")

	ex.DeliveryInvoiceGroups = ex.DeliveryInvoiceGroups[:1]
	_, ok = ex.ReplacementShipmentBoxID()
	assert.False(t, ok, "only the original box: not created yet")
}
