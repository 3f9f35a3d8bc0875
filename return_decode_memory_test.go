package coupang_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
)

// Return pages are held to the bounds of exchange pages (decode_memory_test.go):
// MaxRecordsPerPage records, and structures decoded within twice the body
// limit, however few bytes of JSON each record or element is.

func returnWeek() coupang.ReturnListOptions {
	now := time.Now()
	return coupang.ReturnListOptions{CreatedAtFrom: now.Add(-6 * 24 * time.Hour), CreatedAtTo: now, Status: coupang.ReturnFilterUnchecked}
}

func TestReturnDecodedMemoryBoundedByTheBodyLimit(t *testing.T) {
	const (
		head = `{"code":200,"message":"OK","data":[`
		tail = `],"nextToken":""}`
		size = memLimit - 1<<10
	)
	oneRecord := func(key, elem string) string {
		return repeated(head+`{"receiptId":1,"`+key+`":[`, elem, `]}`+tail, size)
	}
	tests := map[string]string{
		"{} records":          repeated(head, `{}`, tail, size),
		"scalar records":      repeated(head, `1`, tail, size),
		"empty items":         oneRecord("returnItems", `{}`),
		"empty waybills":      oneRecord("returnDeliveryDtos", `{}`),
		"records with items":  repeated(head, `{"returnItems":[`+strings.Repeat(`{},`, 200)+`{}]}`, tail, size),
		"money as many items": oneRecord("returnItems", `{"purchaseCount":1}`),
	}
	for name, body := range tests {
		t.Run(name, func(t *testing.T) {
			require.Less(t, len(body), memLimit)
			gz := gzipped(t, body)
			srv := newLocalServer(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("Content-Encoding", "gzip")
				_, _ = w.Write(gz)
			})
			c, ct := limitClient(t, srv.URL, coupang.WithMaxResponseSize(memLimit))
			var page *coupang.ReturnPage
			var err error
			n := allocated(func() { page, err = c.Returns.List(context.Background(), returnWeek()) })
			t.Logf("%d bytes (%d gzipped): %d bytes allocated", len(body), len(gz), n)
			require.ErrorIs(t, err, coupang.ErrResponseTooLarge)
			assert.Nil(t, page, "no part of the page is delivered")
			assert.EqualValues(t, 1, ct.calls.Load(), "not retried: the same answer would come again")
			assert.LessOrEqual(t, n, uint64(maxDecodeAlloc), "allocated while decoding")
		})
	}
}

// TestReturnRecordsPerPageCapped: MaxRecordsPerPage receipts decode; one
// more fails the page, in List, All and DecodeReturnPage alike.
func TestReturnRecordsPerPageCapped(t *testing.T) {
	page := func(n int) string {
		recs := make([]string, n)
		for i := range recs {
			recs[i] = fmt.Sprintf(`{"receiptId":%d}`, i+1)
		}
		return listJSON("", recs...)
	}
	full, err := coupang.DecodeReturnPage(strings.NewReader(page(coupang.MaxRecordsPerPage)))
	require.NoError(t, err)
	assert.Len(t, full.Items, coupang.MaxRecordsPerPage)

	over := page(coupang.MaxRecordsPerPage + 1)
	_, err = coupang.DecodeReturnPage(strings.NewReader(over))
	require.ErrorIs(t, err, coupang.ErrResponseTooLarge)
	assert.Contains(t, err.Error(), "MaxRecordsPerPage")

	m := newMockAPI(t, coupang.WithMaxRetries(3))
	m.onJSON(http.MethodGet, returnsV6Path, http.StatusOK, over)
	p, err := m.client.Returns.List(context.Background(), returnWeek())
	require.ErrorIs(t, err, coupang.ErrResponseTooLarge)
	assert.Nil(t, p)
	assert.Equal(t, 1, m.callCount(), "not retried")

	yielded := 0
	var last error
	for _, err := range m.client.Returns.All(context.Background(), returnWeek()) {
		if err != nil {
			last = err
			continue
		}
		yielded++
	}
	require.ErrorIs(t, last, coupang.ErrResponseTooLarge)
	assert.Zero(t, yielded, "no receipt of the oversized page")
}

// TestUnmarshalReturnMemoryBounded: one receipt handed to UnmarshalReturn is
// bounded like a page at DefaultMaxResponseSize.
func TestUnmarshalReturnMemoryBounded(t *testing.T) {
	rec := repeated(`{"receiptId":1,"returnItems":[`, `{}`, `]}`, 2<<20)
	var r coupang.ReturnRequest
	var err error
	n := allocated(func() { err = coupang.UnmarshalReturn([]byte(rec), &r) })
	require.ErrorIs(t, err, coupang.ErrResponseTooLarge)
	assert.Zero(t, r.ReceiptID, "nothing half-decoded is left")
	assert.LessOrEqual(t, n, uint64(4*coupang.DefaultMaxResponseSize))

	require.NoError(t, coupang.UnmarshalReturn([]byte(repeated(`{"receiptId":1,"returnItems":[`, `{"cancelCount":1}`, `]}`, 4<<10)), &r))
	assert.Greater(t, len(r.Items), 200)
}
