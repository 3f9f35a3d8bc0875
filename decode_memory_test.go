package coupang_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
)

// This file checks that decoding an answer takes memory in proportion to the
// body limit, however few bytes of JSON each record or element is: a 3-byte
// {} becomes a struct of about a kilobyte.

// memLimit is the body limit of the memory tests: small, so that the old
// decoder's blow-up (hundreds of megabytes here, gigabytes at the default
// limit) stays affordable when the tests are run against it.
const memLimit = 512 << 10

// maxDecodeAlloc is the bound: everything allocated while the call runs,
// the connection and decompressor included, within 4× the body limit.
const maxDecodeAlloc = 4 * memLimit

// repeated is prefix, then elem n times separated by commas, then suffix,
// with n as large as fits in size bytes.
func repeated(prefix, elem, suffix string, size int) string {
	n := (size - len(prefix) - len(suffix)) / (len(elem) + 1)
	var b strings.Builder
	b.Grow(size)
	b.WriteString(prefix)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(elem)
	}
	b.WriteString(suffix)
	return b.String()
}

func gzipped(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw, err := gzip.NewWriterLevel(&b, gzip.BestCompression)
	require.NoError(t, err)
	_, err = zw.Write([]byte(s))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return b.Bytes()
}

// allocated returns the bytes the process allocated while f ran.
func allocated(f func()) uint64 {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestDecodedMemoryBoundedByTheBodyLimit(t *testing.T) {
	const (
		head = `{"code":200,"message":"OK","data":[`
		tail = `],"nextToken":""}`
		// The body stays under the byte limit: only the decoded size is
		// out of proportion.
		size = memLimit - 1<<10
	)
	many := func(elem string) string { return repeated(head, elem, tail, size) }
	oneRecord := func(key, elem string) string {
		return repeated(head+`{"exchangeId":1,"`+key+`":[`, elem, `]}`+tail, size)
	}
	tests := map[string]string{
		// The reported answers: records of 2 and 7 bytes.
		"{} records":      many(`{}`),
		`{"x":1} records`: many(`{"x":1}`),
		// Not objects: each becomes a RecordError.
		"scalar records": many(`1`),
		// Under MaxRecordsPerPage, but each with an array of empty elements.
		"records with empty items": repeated(head, `{"exchangeItemDtoV1s":[`+strings.Repeat(`{},`, 200)+`{}]}`, tail, size),
		// One record whose arrays hold the blow-up.
		"empty items":            oneRecord("exchangeItemDtoV1s", `{}`),
		"empty boxes":            oneRecord("deliveryInvoiceGroupDtos", `{}`),
		"empty waybills":         oneRecord("deliveryInvoiceGroupDtos", `{"deliveryInvoiceDtos":[{},{},{},{},{},{},{},{}]}`),
		"empty waybill items":    oneRecord("deliveryInvoiceGroupDtos", `{"deliveryInvoiceDtos":[{"invoiceVendorItemDtos":[{},{},{},{},{},{},{},{}]}]}`),
		"empty return items":     oneRecord("returnDeliveryDtos", `{}`),
		"empty pickup items":     head + `{"exchangeId":1,"collectInformationsDto":` + repeated(`{"returndeliveryItemDtos":[`, `{}`, `]}`, size-100) + `}` + tail,
		"items as repeated keys": head + repeated(`{"exchangeId":1,`, `"exchangeItemDtoV1s":{"quantity":1}`, `}`, size-100) + tail,
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
			var page *coupang.ExchangePage
			var err error
			n := allocated(func() { page, err = c.Exchanges.List(context.Background(), listOpts()) })
			t.Logf("%d bytes (%d gzipped): %d bytes allocated", len(body), len(gz), n)
			require.ErrorIs(t, err, coupang.ErrResponseTooLarge)
			assert.Nil(t, page, "no part of the page is delivered")
			assert.EqualValues(t, 1, ct.calls.Load(), "not retried: the same answer would come again")
			assert.LessOrEqual(t, n, uint64(maxDecodeAlloc), "allocated while decoding")
		})
	}
}

// TestRecordsPerPageCapped: MaxRecordsPerPage records decode; one more fails
// the page, in List, All and DecodeExchangePage alike.
func TestRecordsPerPageCapped(t *testing.T) {
	page := func(n int) string {
		recs := make([]string, n)
		for i := range recs {
			recs[i] = fmt.Sprintf(`{"exchangeId":%d}`, i+1)
		}
		return listJSON("", recs...)
	}
	full, err := coupang.DecodeExchangePage(strings.NewReader(page(coupang.MaxRecordsPerPage)))
	require.NoError(t, err)
	assert.Len(t, full.Items, coupang.MaxRecordsPerPage)

	over := page(coupang.MaxRecordsPerPage + 1)
	_, err = coupang.DecodeExchangePage(strings.NewReader(over))
	require.ErrorIs(t, err, coupang.ErrResponseTooLarge)
	assert.Contains(t, err.Error(), "MaxRecordsPerPage")

	// Bad records count too: a RecordError is memory as well.
	bad := `{"code":200,"message":"OK","data":[` + strings.Repeat(`1,`, coupang.MaxRecordsPerPage) + `1]}`
	_, err = coupang.DecodeExchangePage(strings.NewReader(bad))
	require.ErrorIs(t, err, coupang.ErrResponseTooLarge)

	m := newMockAPI(t, coupang.WithMaxRetries(3))
	m.onJSON(http.MethodGet, exchangesPath, http.StatusOK, over)
	p, err := m.client.Exchanges.List(context.Background(), listOpts())
	require.ErrorIs(t, err, coupang.ErrResponseTooLarge)
	assert.Nil(t, p)
	assert.Equal(t, 1, m.callCount(), "not retried")

	yielded := 0
	var last error
	for ex, err := range m.client.Exchanges.All(context.Background(), listOpts()) {
		if err != nil {
			last = err
			continue
		}
		_ = ex
		yielded++
	}
	require.ErrorIs(t, last, coupang.ErrResponseTooLarge)
	assert.Zero(t, yielded, "no record of the oversized page")
}

// TestUnmarshalExchangeMemoryBounded: one record handed to UnmarshalExchange
// is bounded like a page at DefaultMaxResponseSize.
func TestUnmarshalExchangeMemoryBounded(t *testing.T) {
	// 3 bytes of JSON per element, a few hundred bytes decoded each: over
	// twice DefaultMaxResponseSize decoded.
	rec := repeated(`{"exchangeId":1,"exchangeItemDtoV1s":[`, `{}`, `]}`, 2<<20)
	var ex coupang.ExchangeRequest
	var err error
	n := allocated(func() { err = coupang.UnmarshalExchange([]byte(rec), &ex) })
	require.ErrorIs(t, err, coupang.ErrResponseTooLarge)
	assert.Zero(t, ex.ExchangeID, "nothing half-decoded is left")
	assert.LessOrEqual(t, n, uint64(4*coupang.DefaultMaxResponseSize))

	// A real-sized record is unaffected.
	require.NoError(t, coupang.UnmarshalExchange([]byte(repeated(`{"exchangeId":1,"exchangeItemDtoV1s":[`, `{"quantity":1}`, `]}`, 4<<10)), &ex))
	assert.Greater(t, len(ex.Items), 200)
}
