package coupang_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"

	"github.com/go-coupang/coupang"
)

// FuzzBatchResult feeds Do's answer reader and its batch-result recogniser
// arbitrary answers to a write: it must never panic, and never report a
// success when any per-item result (data.responseList[i], data[i], or the
// elements of a bare array answer) says "succeed": false.
//
//	go test -run='^$' -fuzz='^FuzzBatchResult$' -fuzztime=30s .
func FuzzBatchResult(f *testing.F) {
	for _, seed := range []string{
		`{"code":"200","message":"OK","data":{"responseCode":1,"responseMessage":"Partial errors.","responseList":[` +
			`{"shipmentBoxId":102391542,"succeed":true,"resultCode":"OK","retryRequired":false,"resultMessage":null},` +
			`{"shipmentBoxId":102391599,"succeed":false,"resultCode":"NOT_FOUND_SHIPMENT_BOX","retryRequired":true,"resultMessage":"not found"}]}}`,
		`{"code":"200","message":"OK","data":{"responseCode":0,"responseMessage":"SUCCESS","responseList":[{"shipmentBoxId":1,"succeed":true,"resultCode":"OK"}]}}`,
		`{"code":"200","data":{"responseCode":99,"responseMessage":"FAILED","responseList":[]}}`,
		`{"code":"200","data":{"responseList":{"shipmentBoxId":1,"succeed":false}}}`,
		`{"code":"200","data":{"ResponseList":[{"Succeed":"N"}]}}`,
		`{"code":"200","data":[{"vendorItemId":1,"succeed":false},{"vendorItemId":2,"succeed":true}]}`,
		`[{"succeed":false,"resultCode":"X"}]`,
		`{"code":"200","data":{"responseList":[{"succeed":true,"succeed":false}]}}`,
		`{"data":{"code":"200","message":"OK","resultCode":"SUCCESS","resultMessage":"ok"}}`,
		`{"code":"200","data":{"responseList":[{"shipmentBoxId":"1e3","succeed":0,"retryRequired":"Y"}]},"data":{"responseList":[]}}`,
		``,
		`{"code":"200","data":{"responseList":[7,null,"x",[{"succeed":false}]]}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		c, err := coupang.NewClient(testAccessKey, testSecretKey, testVendorID,
			coupang.WithHTTPClient(&http.Client{Transport: fzBody(body)}),
			coupang.WithBaseURL(testBaseURL), coupang.WithRateLimit(0), coupang.WithMaxRetries(0))
		if err != nil {
			t.Fatal(err)
		}
		var raw json.RawMessage
		_, err = c.Do(context.Background(), http.MethodPost, invoicesPath, nil, []int{1}, &raw)
		if err == nil && saysSucceedFalse(body) {
			t.Fatalf("success for an answer with an item saying succeed:false: %q", body)
		}
		var be *coupang.BatchError
		if errors.As(err, &be) {
			if !errors.Is(err, coupang.ErrBusinessFailure) {
				t.Fatalf("a *BatchError that does not match ErrBusinessFailure: %v", err)
			}
			for _, it := range be.Succeeded {
				if it.OutcomeUnknown {
					t.Fatalf("an item of unknown outcome listed as succeeded: %+v", it)
				}
			}
			_ = be.Error()
		}
	})
}

// saysSucceedFalse is the fuzz target's oracle, written independently of the
// package with encoding/json: whether the answer holds a per-item result
// whose succeed is the JSON false.
func saysSucceedFalse(body []byte) bool {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return false
	}
	var items []any
	switch top := v.(type) {
	case []any:
		items = top
	case map[string]any:
		switch data := top["data"].(type) {
		case []any:
			items = data
		case map[string]any:
			switch list := data["responseList"].(type) {
			case []any:
				items = list
			case map[string]any:
				items = []any{list}
			}
		}
	}
	for _, it := range items {
		if m, ok := it.(map[string]any); ok {
			if s, ok := m["succeed"].(bool); ok && !s {
				return true
			}
		}
	}
	return false
}
