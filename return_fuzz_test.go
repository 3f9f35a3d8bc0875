package coupang_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-coupang/coupang"
)

// FuzzDecodeReturnPage feeds arbitrary bytes to DecodeReturnPage (the
// decoder List uses, v4 and v6): it must never panic, must return a page
// with a *PageError or without an error, or an error without a page; and
// what it decoded must survive MarshalReturn and UnmarshalReturn.
func FuzzDecodeReturnPage(f *testing.F) {
	for _, name := range []string{"returns_v4.json", "returns_v6.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", "fixtures", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		`{"code":200,"data":{"receiptId":1,"enclosePrice":{"currencyCode":"KRW","units":"5","nanos":1}}}`,
		`{"code":200,"data":[{"receiptId":2,"returnShippingCharge":{"units":1,"nanos":2000000000}},{"receiptId":3,"createdAt":"2025-01-15T14:17:13.973885-08:00"}]}`,
		`{"code":"200","data":[{"returnItems":{"releaseStatus":"S"},"returnDeliveryDtos":{"deliveryInvoiceNo":" 1 "}}],"nextToken":null}`,
		`{"code":400,"message":"OrderId can't be null"}`,
		`{"code":200,"data":[`,
		`[]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		page, err := coupang.DecodeReturnPage(strings.NewReader(string(body)))
		var pageErr *coupang.PageError
		switch {
		case errors.As(err, &pageErr):
			if page == nil {
				t.Fatal("a *PageError without the page")
			}
		case err != nil:
			if page != nil {
				t.Fatalf("a page with %v", err)
			}
			return
		case page == nil:
			t.Fatal("neither a page nor an error")
		}
		for i, r := range page.Items {
			out, err := coupang.MarshalReturn(r)
			if err != nil {
				t.Fatalf("marshal item %d: %v", i, err)
			}
			var back coupang.ReturnRequest
			if err := coupang.UnmarshalReturn(out, &back); err != nil {
				t.Fatalf("item %d does not read back: %v\n%s", i, err, out)
			}
			if back.ReceiptID != r.ReceiptID || back.ReturnShippingCharge != r.ReturnShippingCharge || !back.CreatedAt.Equal(r.CreatedAt) {
				t.Fatalf("item %d changed through JSON: %s", i, out)
			}
			if !r.CreatedAt.IsZero() && r.CreatedAt.Location() != coupang.KoreaLocation() {
				t.Fatalf("createdAt in %v", r.CreatedAt.Location())
			}
			_ = r.Actions()
			_ = r.PickupWaybills()
		}
	})
}
