package coupang_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
)

// ---- One fixture per drift case ----

func TestDriftBooleansAsText(t *testing.T) {
	page := listFixture(t, "drift_bool_strings.json")
	require.Len(t, page.Items, 1)
	ex := page.Items[0]
	assert.True(t, ex.Successable)
	assert.True(t, ex.Rejectable)
	assert.True(t, ex.DeliveryInvoiceModifiable)
	require.Len(t, ex.Items, 1)
	require.NotNil(t, ex.Items[0].OrderItemDeliveryComplete)
	assert.False(t, *ex.Items[0].OrderItemDeliveryComplete)
	assert.Nil(t, ex.Items[0].OrderItemReturnComplete, `"" is unknown`)
	require.NotNil(t, ex.Items[0].TargetItemDeliveryComplete)
	assert.False(t, *ex.Items[0].TargetItemDeliveryComplete)
	inv := ex.DeliveryInvoiceGroups[0].Invoices[0]
	assert.True(t, inv.IsMainShipmentInvoice)
	assert.False(t, inv.Items[0].HasAdditionalItem)
}

func TestDriftEmptyArrayForObject(t *testing.T) {
	page := listFixture(t, "drift_empty_array_for_object.json")
	require.Len(t, page.Items, 2)
	assert.Equal(t, coupang.ExchangeAddress{}, page.Items[0].Address)
	assert.Equal(t, coupang.ExchangeReturnType("EXCHANGE_RETURN"), page.Items[0].CollectInformation.ReturnType)
	assert.Equal(t, coupang.ExchangeReturnDestination{}, page.Items[0].CollectInformation.Destination)
	assert.Equal(t, coupang.CollectInformation{}, page.Items[1].CollectInformation)
}

func TestDriftObjectForArray(t *testing.T) {
	page := listFixture(t, "drift_object_for_array.json")
	require.Len(t, page.Items, 2)
	ex := page.Items[0]
	require.Len(t, ex.Items, 1)
	assert.EqualValues(t, 400000231, ex.Items[0].ExchangeItemID)
	box, ok := ex.ReplacementShipmentBoxID()
	require.True(t, ok)
	assert.Equal(t, int64(100000000000000123), box)
	require.Len(t, ex.DeliveryInvoiceGroups[0].Invoices, 1)
	assert.Equal(t, "123456789012", ex.DeliveryInvoiceGroups[0].Invoices[0].InvoiceNumber)
	require.Len(t, ex.ReturnDeliveries, 1)
	assert.Equal(t, "223456789012", ex.ReturnDeliveries[0].DeliveryInvoiceNo)

	empty := page.Items[1]
	assert.Empty(t, empty.DeliveryInvoiceGroups, "{} is no element")
	assert.Empty(t, empty.Items, `"" is no element`)
}

func TestDriftNumbersInText(t *testing.T) {
	page := listFixture(t, "drift_numbers_in_text.json")
	require.Len(t, page.Items, 1)
	ex := page.Items[0]
	assert.Equal(t, "12345", ex.VendorID)
	assert.Equal(t, "1", string(ex.LegacyReason))
	assert.Equal(t, "7", ex.ReasonCode)
	assert.Equal(t, "0", string(ex.CancelReason))
	assert.Equal(t, "12", string(ex.Address.ReturnCustomerName))
	assert.Equal(t, "6236", string(ex.Address.ReturnAddressZipCode))
	assert.Equal(t, "3.5", string(ex.Address.ReturnMemo))
	assert.Equal(t, "1012345678", string(ex.Address.DeliveryMobile))
	require.Len(t, ex.CollectInformation.Items, 1)
	assert.Equal(t, "1001", ex.CollectInformation.Items[0].ModifiedBy)
	assert.Equal(t, "true", ex.CollectInformation.Items[0].CreatedBy)
}

func TestDriftExactIDs(t *testing.T) {
	page := listFixture(t, "drift_exact_ids.json")
	require.Len(t, page.Items, 1)
	ex := page.Items[0]
	assert.Equal(t, int64(300000251), ex.ExchangeID)
	assert.Equal(t, int64(2000000000251), ex.OrderID)
	require.Len(t, ex.DeliveryInvoiceGroups, 3)
	for i, want := range []int64{500000789279679787, 500000789279679788, 500000789279679789} {
		assert.Equal(t, want, ex.DeliveryInvoiceGroups[i].ShipmentBoxID, "box %d: exact, not through float64", i)
	}
}

// ---- One hopeless record among good ones ----

func TestListKeepsTheGoodRecordsOfAPage(t *testing.T) {
	m := newMockAPI(t)
	m.onJSON(http.MethodGet, exchangesPath, http.StatusOK, fixture(t, "one_bad_record.json"))
	page, err := m.client.Exchanges.List(context.Background(), listOpts())
	require.Error(t, err)
	require.NotNil(t, page, "the page comes with the error")
	ids := make([]int64, len(page.Items))
	for i, ex := range page.Items {
		ids[i] = ex.ExchangeID
	}
	assert.Equal(t, []int64{300000201, 300000202, 300000203, 300000205}, ids)
	assert.Equal(t, "tx-one-bad", page.TransactionID)
	assert.Equal(t, "12345", string(page.Items[3].LegacyReason))

	var pageErr *coupang.PageError
	require.ErrorAs(t, err, &pageErr)
	require.Len(t, pageErr.Records, 1)
	var recErr *coupang.RecordError
	require.ErrorAs(t, err, &recErr)
	assert.Equal(t, int64(300000204), recErr.ExchangeID, "found after the bad field")
	assert.Equal(t, 3, recErr.Index)
	assert.Equal(t, "exchangeItemDtoV1s[0].quantity", recErr.Field)
	for _, s := range []string{"300000204", "exchangeItemDtoV1s[0].quantity"} {
		assert.Contains(t, err.Error(), s)
	}
	for _, s := range []string{"김*수", "010-1234-5678"} {
		assert.NotContains(t, err.Error(), s, "values are personal data")
	}
	assert.Equal(t, 1, m.callCount(), "a bad record is not a reason to ask again")
}

func TestDecodeExchangePage(t *testing.T) {
	page, err := coupang.DecodeExchangePage(strings.NewReader(fixture(t, "one_bad_record.json")))
	require.NotNil(t, page)
	assert.Len(t, page.Items, 4)
	var recErr *coupang.RecordError
	require.ErrorAs(t, err, &recErr)
	assert.Equal(t, int64(300000204), recErr.ExchangeID)

	page, err = coupang.DecodeExchangePage(strings.NewReader(fixture(t, "full.json")))
	require.NoError(t, err)
	assert.NotEmpty(t, page.Items)

	_, err = coupang.DecodeExchangePage(strings.NewReader(`{"code":"ERROR","message":"요청 변수 오류입니다."}`))
	requireAPIError(t, err)

	_, err = coupang.DecodeExchangePage(strings.NewReader(`{"code":200,"data":[`))
	require.Error(t, err)
}

// badRecordJSON is a record whose quantity cannot be an integer.
func badRecordJSON(id int64, createdAt time.Time) string {
	return fmt.Sprintf(`{"exchangeId":%d,"createdAt":%q,"exchangeItemDtoV1s":[{"quantity":"many"}]}`, id, createdAt.In(kst).Format(wireTimeLayout))
}

// allEvent is one yield of All: an id or an error.
type allEvent struct {
	id  int64
	err error
}

func TestAllYieldsAnErrorInPlaceOfABadRecordAndGoesOn(t *testing.T) {
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, kst)
	end := start.Add(10 * 24 * time.Hour) // two windows
	m := newMockAPI(t, coupang.WithListConcurrency(1))
	m.onList(func(w listWindow) (int, string) {
		at := w.from.Add(time.Hour)
		switch {
		case w.from.Equal(start) && w.token == "":
			return 200, listJSON("p2", exchangeJSON(1, at), badRecordJSON(2, at), exchangeJSON(3, at))
		case w.from.Equal(start) && w.token == "p2":
			return 200, listJSON("", badRecordJSON(4, at), exchangeJSON(5, at))
		default:
			return 200, listJSON("", exchangeJSON(6, at), badRecordJSON(7, at))
		}
	})
	var got []allEvent
	for ex, err := range m.client.Exchanges.All(context.Background(), coupang.ExchangeListOptions{CreatedAtFrom: start, CreatedAtTo: end}) {
		if err != nil {
			var recErr *coupang.RecordError
			require.ErrorAs(t, err, &recErr, "only record errors here")
			got = append(got, allEvent{id: -recErr.ExchangeID, err: err})
			continue
		}
		got = append(got, allEvent{id: ex.ExchangeID})
	}
	ids := make([]int64, len(got))
	for i, e := range got {
		ids[i] = e.id
	}
	assert.Equal(t, []int64{1, -2, 3, -4, 5, 6, -7}, ids, "good records, and an error in place of each bad one, in page order")
	assert.Equal(t, 3, m.callCount())

	// The caller that returns on the first error stops there.
	var n int
	for _, err := range m.client.Exchanges.All(context.Background(), coupang.ExchangeListOptions{CreatedAtFrom: start, CreatedAtTo: end}) {
		if err != nil {
			break
		}
		n++
	}
	assert.Equal(t, 1, n)
}

// TestAllPagingLoopEndsTheIteration: a paging fault leaves a gap after the
// loop's records, and All never yields records from beyond a gap.
func TestAllPagingLoopEndsTheIteration(t *testing.T) {
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, kst)
	end := start.Add(10 * 24 * time.Hour)
	m := newMockAPI(t, coupang.WithListConcurrency(1))
	m.onList(func(w listWindow) (int, string) {
		at := w.from.Add(time.Hour)
		if !w.from.Equal(start) {
			return 200, listJSON("", exchangeJSON(9, at))
		}
		// Tokens A, B, A.
		switch w.token {
		case "":
			return 200, listJSON("A", exchangeJSON(1, at))
		case "A":
			return 200, listJSON("B", exchangeJSON(2, at))
		default:
			return 200, listJSON("A", exchangeJSON(3, at))
		}
	})
	var ids []int64
	var errs []error
	for ex, err := range m.client.Exchanges.All(context.Background(), coupang.ExchangeListOptions{CreatedAtFrom: start, CreatedAtTo: end}) {
		if err != nil {
			errs = append(errs, err)
			ids = append(ids, 0)
			continue
		}
		ids = append(ids, ex.ExchangeID)
	}
	assert.Equal(t, []int64{1, 2, 3, 0}, ids, "the loop's records, its error, nothing from the next window")
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], coupang.ErrPagingLoop)
	assert.Equal(t, 3, m.callCount())
}

func TestAllRefusesAHugeToken(t *testing.T) {
	m := newMockAPI(t)
	huge := strings.Repeat("t", 4097)
	m.onList(func(w listWindow) (int, string) {
		if w.token != "" {
			t.Errorf("followed a token of %d bytes", len(w.token))
		}
		return 200, listJSON(huge, exchangeJSON(1, fixtureInstant))
	})
	res := collectAll(m.client.Exchanges.All(context.Background(), listOpts()))
	assert.Equal(t, []int64{1}, res.ids)
	require.Len(t, res.errs, 1)
	assert.ErrorIs(t, res.errs[0], coupang.ErrPagingLoop)
	assert.NotContains(t, res.errs[0].Error(), huge[:64], "the token is not quoted")
	assert.Equal(t, 1, m.callCount())
}

// ---- Bounded bodies ----

// countingTransport counts the bytes the client reads from answer bodies,
// after the transport's decompression.
type countingTransport struct {
	base  http.RoundTripper
	read  atomic.Int64
	calls atomic.Int64
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.calls.Add(1)
	resp, err := c.base.RoundTrip(r)
	if resp != nil {
		resp.Body = &countingBody{ReadCloser: resp.Body, n: &c.read}
	}
	return resp, err
}

type countingBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n.Add(int64(n))
	return n, err
}

// limitClient is a client of srv with retries on, whose body reads are
// counted.
func limitClient(t *testing.T, srv string, opts ...coupang.Option) (*coupang.Client, *countingTransport) {
	t.Helper()
	ct := &countingTransport{base: &http.Transport{}}
	all := append([]coupang.Option{
		coupang.WithBaseURL(srv),
		coupang.WithHTTPClient(&http.Client{Transport: ct}),
		coupang.WithRateLimit(0),
		coupang.WithMaxRetries(3),
		coupang.WithBackoff(time.Millisecond, time.Millisecond),
	}, opts...)
	c, err := coupang.NewClient(testAccessKey, testSecretKey, testVendorID, all...)
	require.NoError(t, err)
	return c, ct
}

// pageOfSize is a valid list answer of at least n bytes, in records of
// about 1 KiB (the size of a real one), so that n/1 KiB stay under
// MaxRecordsPerPage.
func pageOfSize(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"code":200,"message":"OK","data":[`)
	words := strings.Repeat("x", 1000)
	for i := 0; b.Len() < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strings.TrimSuffix(exchangeJSON(int64(i+1), fixtureInstant), "}"))
		b.WriteString(`,"reasonEtcDetail":"` + words + `"}`)
	}
	b.WriteString(`],"nextToken":""}`)
	return b.Bytes()
}

// slack is what may be read past the limit: the decoder's read-ahead and the
// drain before closing.
const slack = 64 << 10

func TestBodyOverTheLimit(t *testing.T) {
	const limit = 256 << 10
	body := pageOfSize(1 << 20)
	srv := newLocalServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	})
	c, ct := limitClient(t, srv.URL, coupang.WithMaxResponseSize(limit))
	page, err := c.Exchanges.List(context.Background(), listOpts())
	assert.Nil(t, page)
	require.ErrorIs(t, err, coupang.ErrResponseTooLarge)
	var reqErr *coupang.RequestError
	require.ErrorAs(t, err, &reqErr)
	assert.Contains(t, err.Error(), "WithMaxResponseSize")
	assert.EqualValues(t, 1, ct.calls.Load(), "not retried: the same answer would come again")
	assert.LessOrEqual(t, ct.read.Load(), int64(limit+slack), "bytes read")

	// The same answer under the limit is fine.
	c, _ = limitClient(t, srv.URL, coupang.WithMaxResponseSize(2<<20))
	page, err = c.Exchanges.List(context.Background(), listOpts())
	require.NoError(t, err)
	assert.NotEmpty(t, page.Items)
}

func TestEndlessBody(t *testing.T) {
	const limit = 1 << 20
	var written atomic.Int64
	srv := newLocalServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		n, _ := io.WriteString(w, `{"code":200,"message":"OK","data":[`)
		written.Add(int64(n))
		rec := exchangeJSON(1, fixtureInstant) + ","
		for r.Context().Err() == nil && written.Load() < 1<<30 {
			n, err := io.WriteString(w, rec)
			written.Add(int64(n))
			if err != nil {
				return
			}
		}
	})
	c, ct := limitClient(t, srv.URL, coupang.WithMaxResponseSize(limit))
	_, err := c.Exchanges.List(context.Background(), listOpts())
	require.ErrorIs(t, err, coupang.ErrResponseTooLarge)
	assert.EqualValues(t, 1, ct.calls.Load(), "not retried")
	assert.LessOrEqual(t, ct.read.Load(), int64(limit+slack), "bytes read")
}

func TestGzipBomb(t *testing.T) {
	const limit = 1 << 20
	// 64 MiB of JSON that compresses to about 64 KiB: a gzip stream of
	// concatenated members (which a gzip reader reads as one), so that the
	// 1 MiB padding chunk is compressed once rather than 64 times, which
	// under -race took most of a minute.
	member := func(b []byte) []byte {
		var buf bytes.Buffer
		zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		require.NoError(t, err)
		_, _ = zw.Write(b)
		require.NoError(t, zw.Close())
		return buf.Bytes()
	}
	var gz bytes.Buffer
	gz.Write(member([]byte(`{"code":200,"message":"OK","data":[],"padding":"`)))
	chunk := member(bytes.Repeat([]byte("a"), 1<<20))
	for range 64 {
		gz.Write(chunk)
	}
	gz.Write(member([]byte(`"}`)))
	require.Less(t, gz.Len(), 1<<20)

	srv := newLocalServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = w.Write(gz.Bytes())
	})
	c, ct := limitClient(t, srv.URL, coupang.WithMaxResponseSize(limit))
	_, err := c.Exchanges.List(context.Background(), listOpts())
	require.ErrorIs(t, err, coupang.ErrResponseTooLarge, "the limit applies after decompression")
	assert.EqualValues(t, 1, ct.calls.Load(), "not retried")
	assert.LessOrEqual(t, ct.read.Load(), int64(limit+slack), "decompressed bytes read")
}

func TestWithMaxResponseSizeValidation(t *testing.T) {
	for _, n := range []int64{-1, 0, 1023, 1<<30 + 1} {
		_, err := coupang.NewClient(testAccessKey, testSecretKey, testVendorID, coupang.WithMaxResponseSize(n))
		requireValidation(t, err, "maxResponseSize")
	}
	_, err := coupang.NewClient(testAccessKey, testSecretKey, testVendorID, coupang.WithMaxResponseSize(1<<10))
	require.NoError(t, err)
}

func TestErrorBodyStillCapped(t *testing.T) {
	srv := newLocalServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"code":400,"message":"bad","padding":"`)
		chunk := strings.Repeat("a", 64<<10)
		for i := 0; i < 64 && r.Context().Err() == nil; i++ {
			if _, err := io.WriteString(w, chunk); err != nil {
				return
			}
		}
	})
	c, ct := limitClient(t, srv.URL)
	_, err := c.Exchanges.List(context.Background(), listOpts())
	require.Error(t, err)
	assert.False(t, errors.Is(err, coupang.ErrResponseTooLarge))
	assert.LessOrEqual(t, ct.read.Load(), int64(64<<10+slack))
}
