package coupang_test

// BatchError: which per-item answers Do recognises, and what it reports.

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
)

func doBatch(t *testing.T, data string, out any) (*coupang.Response, error) {
	t.Helper()
	m := newMockAPI(t)
	m.onJSON(http.MethodPost, invoicesPath, 200, `{"code":"200","message":"OK","transactionId":"tx-b","data":`+data+`}`)
	return m.client.Do(context.Background(), http.MethodPost, invoicesPath, nil, waybillBody(1), out)
}

func TestBatchRecognised(t *testing.T) {
	tests := []struct {
		name        string
		data        string
		failed      []int64 // ids of the failed items
		succeeded   []int64
		unknown     bool
		notABatch   bool
		fieldOfID   string
		wantNoError bool
	}{
		{name: "succeed as a string", data: `{"responseList":[{"shipmentBoxId":1,"succeed":"false","resultCode":"INVALID_STATUS"}]}`, failed: []int64{1}},
		{name: "succeed as N", data: `{"responseList":[{"shipmentBoxId":1,"succeed":"N"},{"shipmentBoxId":2,"succeed":"Y"}]}`, failed: []int64{1}, succeeded: []int64{2}},
		{name: "succeed as 0", data: `{"responseList":[{"shipmentBoxId":1,"succeed":0}]}`, failed: []int64{1}},
		{name: "names in another case", data: `{"ResponseList":[{"ShipmentBoxId":1,"Succeed":false}]}`, failed: []int64{1}, fieldOfID: "ShipmentBoxId"},
		{name: "no succeed, failing resultCode", data: `{"responseList":[{"shipmentBoxId":1,"resultCode":"DUPLICATE_INVOICE_NUMBER"}]}`, failed: []int64{1}},
		{name: "no succeed, OK resultCode", data: `{"responseList":[{"shipmentBoxId":1,"resultCode":"OK"}]}`, wantNoError: true},
		{name: "succeed true but resultCode FAIL", data: `{"responseList":[{"shipmentBoxId":1,"succeed":true,"resultCode":"FAIL"}]}`, failed: []int64{1}},
		{name: "succeed repeated, one false", data: `{"responseList":[{"shipmentBoxId":1,"succeed":true,"succeed":false}]}`, failed: []int64{1}},
		{name: "outcome unreadable", data: `{"responseList":[{"shipmentBoxId":1},{"shipmentBoxId":2,"succeed":true}]}`, failed: []int64{1}, succeeded: []int64{2}, unknown: true},
		{name: "succeed unreadable", data: `{"responseList":[{"shipmentBoxId":1,"succeed":"maybe"}]}`, failed: []int64{1}, unknown: true},
		{name: "item not an object", data: `{"responseList":[7,{"shipmentBoxId":2,"succeed":true}]}`, failed: []int64{0}, succeeded: []int64{2}, unknown: true},
		{name: "one object for a list", data: `{"responseList":{"shipmentBoxId":1,"succeed":false}}`, failed: []int64{1}},
		{name: "null list, responseCode 0", data: `{"responseCode":0,"responseMessage":"SUCCESS","responseList":null}`, wantNoError: true},
		{name: "responseCode 1 and every item fine", data: `{"responseCode":1,"responseMessage":"Partial errors.","responseList":[{"shipmentBoxId":1,"succeed":true}]}`, succeeded: []int64{1}},
		{name: "responseCode -1 and nothing listed", data: `{"responseCode":-1,"responseMessage":"NONE","responseList":[]}`, unknown: true},
		{name: "bare array of results", data: `[{"vendorItemId":3000000177,"succeed":false,"resultCode":"X"},{"vendorItemId":3000000178,"succeed":true}]`,
			failed: []int64{3000000177}, succeeded: []int64{3000000178}, fieldOfID: "vendorItemId"},
		{name: "id read from another Id member, shipmentBoxId preferred", data: `{"responseList":[{"orderId":"806","shipmentBoxId":"102390933","succeed":false}]}`, failed: []int64{102390933}},
		{name: "array of records, not results", data: `[{"shipmentBoxId":1,"status":"ACCEPT"}]`, notABatch: true},
		{name: "object without responseList", data: `{"shipmentBoxId":1,"succeed":false}`, notABatch: true},
		{name: "responseCode alone", data: `{"responseCode":99}`, notABatch: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var raw json.RawMessage
			resp, err := doBatch(t, tt.data, &raw)
			require.NotNil(t, resp)
			assert.JSONEq(t, tt.data, string(raw), "out is filled in every case")
			if tt.notABatch || tt.wantNoError {
				require.NoError(t, err)
				return
			}
			var be *coupang.BatchError
			require.ErrorAs(t, err, &be)
			assert.ErrorIs(t, err, coupang.ErrBusinessFailure)
			assert.Equal(t, tt.unknown, errors.Is(err, coupang.ErrOutcomeUnknown))
			assert.Equal(t, tt.unknown, be.OutcomeUnknown)
			ids := func(items []coupang.BatchItem) []int64 {
				var out []int64
				for _, it := range items {
					out = append(out, it.ID)
				}
				return out
			}
			assert.Equal(t, tt.failed, ids(be.Failed))
			assert.Equal(t, tt.succeeded, ids(be.Succeeded))
			if tt.fieldOfID != "" {
				assert.Equal(t, tt.fieldOfID, be.Failed[0].IDField)
			}
			assert.Equal(t, "tx-b", be.TransactionID)
			assert.Equal(t, http.MethodPost, be.Method)
			assert.Equal(t, invoicesPath, be.Path)
		})
	}
}

// TestBatchErrorWithOutMismatch: a failed batch whose data does not fit out
// reports both, and both can be found with errors.As.
func TestBatchErrorWithOutMismatch(t *testing.T) {
	var out []string
	_, err := doBatch(t, `{"responseList":[{"shipmentBoxId":1,"succeed":false}]}`, &out)
	var be *coupang.BatchError
	require.ErrorAs(t, err, &be)
	var reqErr *coupang.RequestError
	require.ErrorAs(t, err, &reqErr)
	assert.Contains(t, err.Error(), "out expects an array")
}

// TestBatchErrorText: the message lists the first failed items with Coupang's
// text, then a count.
func TestBatchErrorText(t *testing.T) {
	items := make([]string, 5)
	for i := range items {
		items[i] = `{"shipmentBoxId":` + string(rune('1'+i)) + `,"succeed":false,"resultCode":"INVALID_STATUS","resultMessage":"배송진행상태가 유효하지 않습니다."}`
	}
	_, err := doBatch(t, `{"responseCode":99,"responseMessage":"FAILED","responseList":[`+strings.Join(items, ",")+`]}`, nil)
	require.Error(t, err)
	msg := err.Error()
	assert.True(t, strings.HasPrefix(msg, "coupang: POST "+invoicesPath+": 5 of 5 items failed (responseCode 99: FAILED) [transactionId tx-b]; shipmentBoxId 1: INVALID_STATUS: 배송진행상태가 유효하지 않습니다."), msg)
	assert.Contains(t, msg, "; and 2 more")
	assert.NotContains(t, msg, "shipmentBoxId 4")

	// A slog record of the error is its text: no field of its own to leak.
	var b strings.Builder
	slog.New(slog.NewJSONHandler(&b, nil)).Error("upload", "err", err)
	assert.Contains(t, b.String(), "5 of 5 items failed")
}
