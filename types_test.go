package coupang_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
)

// The instant most fixtures use: 2026-03-05T10:54:41 Korea time, which is
// epoch milliseconds 1772675681000.
var fixtureInstant = time.Date(2026, 3, 5, 10, 54, 41, 0, kst)

// listOpts is a valid one-day window.
func listOpts() coupang.ExchangeListOptions {
	return coupang.ExchangeListOptions{
		CreatedAtFrom: time.Date(2026, 3, 5, 0, 0, 0, 0, kst),
		CreatedAtTo:   time.Date(2026, 3, 6, 0, 0, 0, 0, kst),
	}
}

// listFixture serves testdata/fixtures/name as the answer to one List call
// and returns the decoded page.
func listFixture(t *testing.T, name string) *coupang.ExchangePage {
	t.Helper()
	m := newMockAPI(t)
	m.onJSON(http.MethodGet, exchangesPath, http.StatusOK, fixture(t, name))
	page, err := m.client.Exchanges.List(context.Background(), listOpts())
	require.NoError(t, err, "fixture %s", name)
	require.NotNil(t, page)
	require.Equal(t, 1, m.callCount())
	return page
}

// assertKST asserts got is want and is presented in Korea time.
func assertKST(t *testing.T, want time.Time, got time.Time, msgAndArgs ...any) {
	t.Helper()
	assert.True(t, want.Equal(got), "want %v, got %v %v", want, got, msgAndArgs)
	_, offset := got.Zone()
	assert.Equal(t, 9*60*60, offset, "zone offset of %v %v", got, msgAndArgs)
}

// decodeWith decodes one exchange whose JSON has the given members after
// exchangeId 7.
func decodeWith(t *testing.T, members string) (coupang.ExchangeRequest, error) {
	t.Helper()
	var ex coupang.ExchangeRequest
	err := coupang.UnmarshalExchange([]byte(`{"exchangeId":7,`+members+`}`), &ex)
	return ex, err
}

// requireFieldError asserts err is a *RecordError for field of exchange 7
// whose text does not quote raw.
func requireFieldError(t *testing.T, err error, field, raw string) {
	t.Helper()
	var recErr *coupang.RecordError
	require.ErrorAs(t, err, &recErr)
	assert.Equal(t, field, recErr.Field)
	assert.EqualValues(t, 7, recErr.ExchangeID)
	assert.Contains(t, err.Error(), "exchange 7")
	assert.Contains(t, err.Error(), field)
	if v := strings.Trim(raw, `"`); len(v) > 2 {
		assert.NotContains(t, err.Error(), v, "the value must not be quoted")
	}
}

func TestExactIDs(t *testing.T) {
	tests := []struct {
		in      string
		want    int64
		wantErr bool
	}{
		{in: `0`, want: 0},
		{in: `100000070`, want: 100000070},
		{in: `"100000070"`, want: 100000070},
		{in: `" 42 "`, want: 42},
		{in: `""`, want: 0},
		{in: `null`, want: 0},
		{in: `"null"`, want: 0},
		{in: `-1`, want: -1},
		{in: `"-1"`, want: -1},
		{in: `"\u0031\u0032"`, want: 12},
		{in: `100000000000000123`, want: 100000000000000123},
		{in: `999999999999999999`, want: 999999999999999999},
		{in: `9223372036854775807`, want: 9223372036854775807},
		{in: `-9223372036854775808`, want: -9223372036854775808},
		{in: `35900.0`, want: 35900},
		{in: `3.59e4`, want: 35900},
		{in: `"3.59E+4"`, want: 35900},
		{in: `500000789279679787.0`, want: 500000789279679787},
		{in: `5.00000789279679787e17`, want: 500000789279679787},
		{in: `"500000789279679787.000"`, want: 500000789279679787},
		{in: `9.223372036854775807e18`, want: 9223372036854775807},
		{in: `0.0`, want: 0},
		{in: `0e400`, want: 0},
		{in: `9223372036854775808`, wantErr: true},
		{in: `-9223372036854775809`, wantErr: true},
		{in: `99999999999999999999`, wantErr: true},
		{in: `9.223372036854775808e18`, wantErr: true},
		{in: `1e400`, wantErr: true},
		{in: `1.5`, wantErr: true},
		{in: `5.000007892796797875e17`, wantErr: true},
		{in: `1e-2`, wantErr: true},
		// An exponent too long to read whole must not be cut to a value
		// that the mantissa's trailing zeros make up for: 10^1234 × 10^-1234567
		// is a fraction, not 1.
		{in: "1" + strings.Repeat("0", 1234) + "e-1234567", wantErr: true},
		{in: "1" + strings.Repeat("0", 1240) + "e-12345678", wantErr: true},
		{in: "0.000000000001e12", want: 1},
		{in: `"abc"`, wantErr: true},
		{in: `"-"`, wantErr: true},
		{in: `"12abc"`, wantErr: true},
		{in: `true`, wantErr: true},
		{in: `{}`, wantErr: true},
		{in: `[1]`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var ex coupang.ExchangeRequest
			err := coupang.UnmarshalExchange([]byte(`{"orderId":5,"exchangeId":`+tt.in+`}`), &ex)
			if tt.wantErr {
				var recErr *coupang.RecordError
				require.ErrorAs(t, err, &recErr)
				assert.Equal(t, "exchangeId", recErr.Field)
				assert.Zero(t, recErr.ExchangeID)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, ex.ExchangeID)
			assert.EqualValues(t, 5, ex.OrderID)
		})
	}
}

func TestTolerantBooleans(t *testing.T) {
	tests := []struct {
		in      string
		want    bool
		wantNil bool // for the *bool field
		wantErr bool
	}{
		{in: `true`, want: true},
		{in: `"true"`, want: true},
		{in: `"TRUE"`, want: true},
		{in: `"Y"`, want: true},
		{in: `"y"`, want: true},
		{in: `1`, want: true},
		{in: `"1"`, want: true},
		{in: `false`},
		{in: `"false"`},
		{in: `"N"`},
		{in: `0`},
		{in: `"0"`},
		{in: `null`, wantNil: true},
		{in: `""`, wantNil: true},
		{in: `"maybe"`, wantErr: true},
		{in: `2`, wantErr: true},
		{in: `1.0`, wantErr: true},
		{in: `{}`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			ex, err := decodeWith(t, `"rejectable":`+tt.in)
			if tt.wantErr {
				requireFieldError(t, err, "rejectable", tt.in)
			} else {
				require.NoError(t, err)
				assert.Equal(t, tt.want, ex.Rejectable)
			}
			ex, err = decodeWith(t, `"exchangeItemDtoV1s":[{"orderItemReturnComplete":`+tt.in+`}]`)
			if tt.wantErr {
				requireFieldError(t, err, "exchangeItemDtoV1s[0].orderItemReturnComplete", tt.in)
				return
			}
			require.NoError(t, err)
			require.Len(t, ex.Items, 1)
			if tt.wantNil {
				assert.Nil(t, ex.Items[0].OrderItemReturnComplete)
				return
			}
			require.NotNil(t, ex.Items[0].OrderItemReturnComplete)
			assert.Equal(t, tt.want, *ex.Items[0].OrderItemReturnComplete)
		})
	}
}

func TestTolerantText(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr bool
	}{
		{in: `"123456789012"`, want: "123456789012"},
		{in: `123456789012`, want: "123456789012"},
		{in: `6236`, want: "6236"},
		{in: `1.50`, want: "1.50"},
		{in: `null`, want: ""},
		{in: `""`, want: ""},
		{in: `true`, want: "true"},
		{in: `"김*수"`, want: "김*수"},
		{in: `"\uae40*\uc218"`, want: "김*수"},
		{in: `"a\"b"`, want: `a"b`},
		{in: `{"a":1}`, wantErr: true},
		{in: `[1]`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			ex, err := decodeWith(t, `"exchangeAddressDtoV1":{"returnAddressZipCode":`+tt.in+`},"exchangeStatus":`+tt.in)
			if tt.wantErr {
				requireFieldError(t, err, "exchangeAddressDtoV1.returnAddressZipCode", tt.in)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(ex.Address.ReturnAddressZipCode))
			assert.Equal(t, coupang.ExchangeStatus(tt.want), ex.Status, "enums are text too")
		})
	}
}

func TestTimeForms(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    time.Time // zero for null-like
		wantErr bool
	}{
		{name: "T form", in: `"2026-03-05T10:54:41"`, want: fixtureInstant},
		{name: "space form", in: `"2026-03-05 10:54:41"`, want: fixtureInstant},
		{name: "epoch ms number", in: `1772675681000`, want: fixtureInstant},
		{name: "epoch ms string", in: `"1772675681000"`, want: fixtureInstant},
		{name: "fractional seconds", in: `"2026-03-05T10:54:41.000"`, want: fixtureInstant},
		{name: "fractional seconds, space", in: `"2026-03-05 10:54:41.5"`, want: fixtureInstant.Add(500 * time.Millisecond)},
		{name: "RFC 3339 UTC", in: `"2026-03-05T01:54:41Z"`, want: fixtureInstant},
		{name: "RFC 3339 offset", in: `"2026-03-05T10:54:41+09:00"`, want: fixtureInstant},
		{name: "null", in: `null`},
		{name: "empty", in: `""`},
		{name: "compact digits read as ms would be year 2609", in: `"20180305105441"`, wantErr: true},
		{name: "epoch seconds", in: `1772675681`, wantErr: true},
		{name: "epoch seconds as string", in: `"1772675681"`, wantErr: true},
		{name: "epoch microseconds", in: `1772675681000000`, wantErr: true},
		{name: "date only", in: `"2026-03-05"`, wantErr: true},
		{name: "minutes only", in: `"2026-03-05T10:54"`, wantErr: true},
		{name: "Feb 30", in: `"2026-02-30T00:00:00"`, wantErr: true},
		{name: "garbage", in: `"yesterday"`, wantErr: true},
		{name: "bool", in: `true`, wantErr: true},
		{name: "object", in: `{}`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex, err := decodeWith(t, `"createdAt":`+tt.in)
			if tt.wantErr {
				requireFieldError(t, err, "createdAt", tt.in)
				return
			}
			require.NoError(t, err)
			if tt.want.IsZero() {
				assert.True(t, ex.CreatedAt.IsZero(), "got %v", ex.CreatedAt)
				return
			}
			assertKST(t, tt.want, ex.CreatedAt)
		})
	}
}

func TestShapeDrift(t *testing.T) {
	t.Run("object sent as [] or null or \"\"", func(t *testing.T) {
		for _, in := range []string{`[]`, `null`, `""`, `[ ]`} {
			ex, err := decodeWith(t, `"exchangeAddressDtoV1":`+in+`,"collectInformationsDto":{"returndeliveryDestinationDto":`+in+`}`)
			require.NoError(t, err, in)
			assert.Equal(t, coupang.ExchangeAddress{}, ex.Address, in)
			assert.Equal(t, coupang.ExchangeReturnDestination{}, ex.CollectInformation.Destination, in)
		}
	})
	t.Run("object sent as a one-element array", func(t *testing.T) {
		ex, err := decodeWith(t, `"exchangeAddressDtoV1":[{"exchangeAddressId":"55","returnCustomerName":"김*수"}]`)
		require.NoError(t, err)
		assert.EqualValues(t, 55, ex.Address.ExchangeAddressID)
	})
	t.Run("object sent as a longer array", func(t *testing.T) {
		_, err := decodeWith(t, `"exchangeAddressDtoV1":[{"exchangeAddressId":1},{"exchangeAddressId":2}]`)
		requireFieldError(t, err, "exchangeAddressDtoV1", "")
	})
	t.Run("array sent as one object", func(t *testing.T) {
		ex, err := decodeWith(t, `"deliveryInvoiceGroupDtos":{"shipmentBoxId":100000000000000123,"deliveryInvoiceDtos":{"invoiceNumber":1}},`+
			`"exchangeItemDtoV1s":{"exchangeItemId":9}`)
		require.NoError(t, err)
		require.Len(t, ex.DeliveryInvoiceGroups, 1)
		assert.EqualValues(t, int64(100000000000000123), ex.DeliveryInvoiceGroups[0].ShipmentBoxID)
		require.Len(t, ex.DeliveryInvoiceGroups[0].Invoices, 1)
		assert.Equal(t, "1", ex.DeliveryInvoiceGroups[0].Invoices[0].InvoiceNumber)
		require.Len(t, ex.Items, 1)
		assert.EqualValues(t, 9, ex.Items[0].ExchangeItemID)
	})
	t.Run("array sent as {} or \"\" or null", func(t *testing.T) {
		for _, in := range []string{`{}`, `""`, `null`, `{"shipmentBoxId":null}`} {
			ex, err := decodeWith(t, `"deliveryInvoiceGroupDtos":`+in)
			require.NoError(t, err, in)
			assert.Empty(t, ex.DeliveryInvoiceGroups, in)
		}
	})
	t.Run("array sent as a number", func(t *testing.T) {
		_, err := decodeWith(t, `"returnDeliveryDtos":5`)
		requireFieldError(t, err, "returnDeliveryDtos", "")
	})
}

func TestRecordErrorPath(t *testing.T) {
	ex, err := decodeWith(t, `"exchangeItemDtoV1s":[{"quantity":1},{"quantity":"secret-value"}]`)
	requireFieldError(t, err, "exchangeItemDtoV1s[1].quantity", "secret-value")
	assert.Equal(t, coupang.ExchangeRequest{}, ex, "nothing half-decoded is handed out")

	// The id is found even when it comes after the bad field.
	var got coupang.ExchangeRequest
	err = coupang.UnmarshalExchange([]byte(`{"createdAt":"01/02/2026","exchangeId":"12345"}`), &got)
	var recErr *coupang.RecordError
	require.ErrorAs(t, err, &recErr)
	assert.EqualValues(t, 12345, recErr.ExchangeID)
	assert.Equal(t, "createdAt", recErr.Field)
	assert.NotContains(t, err.Error(), "01/02/2026")

	err = coupang.UnmarshalExchange([]byte(`[1,2]`), &got)
	require.ErrorAs(t, err, &recErr)
	assert.Empty(t, recErr.Field)
}

func TestMarshalExchangeRoundTrip(t *testing.T) {
	page := listFixture(t, "full.json")
	require.NotEmpty(t, page.Items)
	for _, ex := range page.Items {
		b, err := coupang.MarshalExchange(ex)
		require.NoError(t, err)
		var m map[string]any
		require.NoError(t, json.Unmarshal(b, &m))
		assert.Equal(t, ex.CreatedAt.Format("2006-01-02T15:04:05"), m["createdAt"], "Coupang's own time form")
		var back coupang.ExchangeRequest
		require.NoError(t, coupang.UnmarshalExchange(b, &back))
		assert.Equal(t, ex, back)

		// What encoding/json writes (RFC 3339 times) reads back too.
		b, err = json.Marshal(ex)
		require.NoError(t, err)
		back = coupang.ExchangeRequest{}
		require.NoError(t, coupang.UnmarshalExchange(b, &back))
		assert.Equal(t, ex.ExchangeID, back.ExchangeID)
		assert.True(t, ex.CreatedAt.Equal(back.CreatedAt))
	}
}

func TestReturnDeliveryItemWireKey(t *testing.T) {
	ex := coupang.ExchangeRequest{ExchangeID: 1, CollectInformation: coupang.CollectInformation{
		Items: []coupang.ExchangeReturnDeliveryItem{{VendorItemID: 7, ModifiedAt: fixtureInstant}},
	}}
	b, err := coupang.MarshalExchange(ex)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"moodifiedAt":"2026-03-05T10:54:41"`)
	assert.NotContains(t, string(b), `"modifiedAt":"2026-03-05T10:54:41"`)
	var back coupang.ExchangeRequest
	require.NoError(t, coupang.UnmarshalExchange(b, &back))
	require.Len(t, back.CollectInformation.Items, 1)
	assert.True(t, back.CollectInformation.Items[0].ModifiedAt.Equal(fixtureInstant))
}

func TestParseTime(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Time
		wantErr bool
	}{
		{in: "2026-03-05T10:54:41", want: fixtureInstant},
		{in: "2026-03-05 10:54:41", want: fixtureInstant},
		{in: "1772675681000", want: fixtureInstant},
		{in: "20180305105441", wantErr: true}, // not read as milliseconds (year 2609)
		{in: "1772675681", wantErr: true},     // epoch seconds are not milliseconds
		{in: "2026-03-05T10:54", want: time.Date(2026, 3, 5, 10, 54, 0, 0, kst)},
		{in: "2026-03-05 01:54:41Z", want: fixtureInstant},
		{in: ""},
		{in: "2026-13-01T00:00:00", wantErr: true},
		{in: "2026-03-05T24:00:00", wantErr: true},
		{in: "05/03/2026", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := coupang.ParseTime(tt.in)
			if tt.wantErr {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			if tt.want.IsZero() {
				assert.True(t, got.IsZero())
				return
			}
			assertKST(t, tt.want, got)
		})
	}
}

func TestKoreaLocation(t *testing.T) {
	loc := coupang.KoreaLocation()
	require.NotNil(t, loc)
	for _, at := range []time.Time{
		time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 7, 15, 0, 0, 0, 0, time.UTC), // no daylight saving
	} {
		_, offset := at.In(loc).Zone()
		assert.Equal(t, 9*60*60, offset)
	}
}

// ---- Decoding quirks, one fixture per quirk ----

func TestDecodeEnvelopeCode(t *testing.T) {
	tests := []struct {
		fixture string
		wantID  int64
	}{
		{"envelope_code_number.json", 300000011}, // "code": 200, "message": "OK"
		{"envelope_code_string.json", 300000012}, // "code": "200", "message": "SUCCESS"
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			page := listFixture(t, tt.fixture)
			require.Len(t, page.Items, 1)
			assert.Equal(t, tt.wantID, page.Items[0].ExchangeID)
			assert.Equal(t, coupang.ExchangeStatusReceipt, page.Items[0].Status)
		})
	}
}

func TestDecodeNumericStrings(t *testing.T) {
	page := listFixture(t, "numeric_strings.json")
	require.Len(t, page.Items, 1)
	ex := page.Items[0]
	assert.EqualValues(t, 100000070, ex.ExchangeID)
	assert.EqualValues(t, 2000000000001, ex.OrderID)
	assert.Equal(t, coupang.Money{Units: 5000}, ex.ExchangeAmount)
	require.Len(t, ex.Items, 1)
	assert.EqualValues(t, 400000001, ex.Items[0].ExchangeItemID)
	assert.Equal(t, coupang.Money{Units: 29900}, ex.Items[0].OrderItemUnitPrice)
	assert.EqualValues(t, 7002, ex.Items[0].TargetPackageID)
	assert.EqualValues(t, 2, ex.Items[0].Quantity)
	assert.EqualValues(t, int64(100000000000000099), ex.Items[0].OriginalShipmentBoxID)
	assert.EqualValues(t, 500000001, ex.Address.ExchangeAddressID)
	assert.Equal(t, "6236", string(ex.Address.ReturnAddressZipCode), "a zip code sent as a number keeps its digits")
	assert.EqualValues(t, 100000070, ex.Address.ExchangeID)
	require.Len(t, ex.DeliveryInvoiceGroups, 1)
	g := ex.DeliveryInvoiceGroups[0]
	assert.EqualValues(t, int64(100000000000000123), g.ShipmentBoxID)
	assert.Equal(t, coupang.Money{Units: 3000}, g.BoxPrice)
	require.Len(t, g.Invoices, 1)
	assert.Equal(t, "123456789012", g.Invoices[0].InvoiceNumber, "a waybill sent as a number keeps its digits")
	require.Len(t, g.Invoices[0].Items, 1)
	assert.EqualValues(t, 80000000002, g.Invoices[0].Items[0].VendorItemID)
	assert.EqualValues(t, 1, g.Invoices[0].Items[0].Quantity)
	require.Len(t, ex.CollectInformation.Items, 1)
	assert.EqualValues(t, 80000000001, ex.CollectInformation.Items[0].VendorItemID)
	assert.EqualValues(t, 1, ex.CollectInformation.Items[0].ReturnCount)
	assert.Equal(t, "1001", ex.CollectInformation.Items[0].ModifiedBy)
	assert.EqualValues(t, 880001, ex.CollectInformation.Destination.SafetyNumberID)
	assert.EqualValues(t, 660001, ex.CollectInformation.Destination.ReceiptID)
	require.Len(t, ex.ReturnDeliveries, 1)
	assert.Equal(t, "223456789012", ex.ReturnDeliveries[0].DeliveryInvoiceNo)
}

func TestDecodeNumericEmptyAndNull(t *testing.T) {
	page := listFixture(t, "numeric_empty_null.json")
	require.Len(t, page.Items, 1)
	ex := page.Items[0]
	assert.EqualValues(t, 300000013, ex.ExchangeID, "the one set field still decodes")
	assert.Zero(t, ex.OrderID)
	assert.Zero(t, ex.ExchangeAmount)
	require.Len(t, ex.Items, 1)
	it := ex.Items[0]
	assert.Zero(t, it.ExchangeItemID)
	assert.Zero(t, it.OrderItemUnitPrice)
	assert.Zero(t, it.OrderPackageID)
	assert.Zero(t, it.TargetPackageID)
	assert.False(t, it.HasTargetPackage())
	assert.Zero(t, it.Quantity)
	assert.Zero(t, it.OriginalShipmentBoxID)
	assert.Zero(t, ex.Address.ExchangeAddressID)
	assert.Zero(t, ex.Address.ExchangeID)
	require.Len(t, ex.DeliveryInvoiceGroups, 1)
	assert.Zero(t, ex.DeliveryInvoiceGroups[0].ShipmentBoxID)
	assert.Zero(t, ex.DeliveryInvoiceGroups[0].BoxPrice)
	_, ok := ex.ReplacementShipmentBoxID()
	assert.False(t, ok, "a null box id is no box id")
	require.Len(t, ex.CollectInformation.Items, 1)
	assert.Zero(t, ex.CollectInformation.Items[0].ReturnCount)
	assert.Zero(t, ex.CollectInformation.Items[0].Count)
	assert.Zero(t, ex.CollectInformation.Destination.ReturnDeliveryID)
	assert.Zero(t, ex.CollectInformation.Destination.ReceiptID)
}

func TestDecodeExchangeAmount(t *testing.T) {
	page := listFixture(t, "exchange_amount.json")
	want := map[int64]coupang.Money{300000021: {}, 300000022: {}, 300000023: {Units: 1500}, 300000024: {Units: 1500}}
	require.Len(t, page.Items, len(want))
	for _, ex := range page.Items {
		w, ok := want[ex.ExchangeID]
		require.True(t, ok, "unexpected id %d", ex.ExchangeID)
		assert.Equal(t, w, ex.ExchangeAmount, "exchange %d", ex.ExchangeID)
	}
}

func TestDecodeExchangeAmountsV6(t *testing.T) {
	// The v6 object form of the 2025 internationalisation, and fractions: the
	// exchange amounts are Money, like the return amounts.
	page := listFixture(t, "exchange_amount_v6.json")
	require.Len(t, page.Items, 2)

	ex := page.Items[0]
	assert.Equal(t, coupang.Money{Currency: "KRW", Units: 5000}, ex.ExchangeAmount)
	require.Len(t, ex.Items, 1)
	assert.Equal(t, coupang.Money{Currency: "KRW", Units: 29900}, ex.Items[0].OrderItemUnitPrice)
	assert.Equal(t, coupang.Money{Currency: "KRW", Units: 31900}, ex.Items[0].TargetItemUnitPrice)
	require.Len(t, ex.DeliveryInvoiceGroups, 1)
	assert.Equal(t, coupang.Money{Currency: "KRW", Units: 3000}, ex.DeliveryInvoiceGroups[0].BoxPrice)

	ex = page.Items[1]
	assert.Equal(t, coupang.Money{Currency: "TWD", Units: -12, Nanos: -500000000}, ex.ExchangeAmount)
	require.Len(t, ex.Items, 1)
	assert.Equal(t, coupang.Money{Units: 399, Nanos: 500000000}, ex.Items[0].OrderItemUnitPrice)
	assert.Equal(t, coupang.Money{Units: 399, Nanos: 500000000}, ex.Items[0].TargetItemUnitPrice)
	require.Len(t, ex.DeliveryInvoiceGroups, 1)
	assert.Zero(t, ex.DeliveryInvoiceGroups[0].BoxPrice)
}

func TestDecodeExchangeAmountRefusesInexactValue(t *testing.T) {
	// An amount that cannot be held exactly is the record's error, naming
	// the field and never quoting the value.
	var ex coupang.ExchangeRequest
	err := coupang.UnmarshalExchange([]byte(`{"exchangeId":300000033,"exchangeItemDtoV1s":[{"orderItemUnitPrice":1.0000000001}]}`), &ex)
	var recErr *coupang.RecordError
	require.ErrorAs(t, err, &recErr)
	assert.EqualValues(t, 300000033, recErr.ExchangeID)
	assert.Equal(t, "exchangeItemDtoV1s[0].orderItemUnitPrice", recErr.Field)
	assert.NotContains(t, err.Error(), "1.0000000001")
}

func TestMarshalExchangeKeepsAmountForms(t *testing.T) {
	// Plain won is written as a plain JSON number, as 0.1.0 wrote the int64
	// amounts, so stored exchanges keep their shape; the v6 form is written
	// back as the object. Both read back equal.
	tests := []struct {
		name    string
		amount  coupang.Money
		written string
	}{
		{"plain won", coupang.Money{Units: 5000}, `"exchangeAmount":5000,`},
		{"zero", coupang.Money{}, `"exchangeAmount":0,`},
		{"fraction", coupang.Money{Units: -3, Nanos: -500000000}, `"exchangeAmount":-3.5,`},
		{"v6", coupang.Money{Currency: "KRW", Units: 5000}, `"exchangeAmount":{"currencyCode":"KRW","units":5000,"nanos":0},`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex := coupang.ExchangeRequest{
				ExchangeID:            300000034,
				ExchangeAmount:        tt.amount,
				Items:                 []coupang.ExchangeItem{{ExchangeItemID: 1, OrderItemUnitPrice: tt.amount, TargetItemUnitPrice: tt.amount}},
				DeliveryInvoiceGroups: []coupang.DeliveryInvoiceGroup{{ShipmentBoxID: 2, BoxPrice: tt.amount}},
			}
			b, err := coupang.MarshalExchange(ex)
			require.NoError(t, err)
			assert.Contains(t, string(b), tt.written)
			var back coupang.ExchangeRequest
			require.NoError(t, coupang.UnmarshalExchange(b, &back))
			assert.Equal(t, tt.amount, back.ExchangeAmount)
			require.Len(t, back.Items, 1)
			assert.Equal(t, tt.amount, back.Items[0].OrderItemUnitPrice)
			assert.Equal(t, tt.amount, back.Items[0].TargetItemUnitPrice)
			require.Len(t, back.DeliveryInvoiceGroups, 1)
			assert.Equal(t, tt.amount, back.DeliveryInvoiceGroups[0].BoxPrice)
		})
	}
}

func TestDecodeTimestampForms(t *testing.T) {
	page := listFixture(t, "timestamps.json")
	require.Len(t, page.Items, 3)
	for _, ex := range page.Items {
		assertKST(t, fixtureInstant, ex.CreatedAt, "createdAt of %d", ex.ExchangeID)
		assertKST(t, fixtureInstant, ex.CollectCompleteDate, "collectCompleteDate of %d", ex.ExchangeID)
	}
}

func TestDecodeEighteenDigitBoxIDs(t *testing.T) {
	page := listFixture(t, "shipment_box_18_digits.json")
	require.Len(t, page.Items, 2)
	want := []struct{ box, original int64 }{
		{100000000000000123, 100000000000000099},
		{999999999999999999, 999999999999999998},
	}
	for i, ex := range page.Items {
		box, ok := ex.ReplacementShipmentBoxID()
		assert.True(t, ok)
		assert.Equal(t, want[i].box, box, "exact, not rounded through float64")
		require.Len(t, ex.Items, 1)
		assert.Equal(t, want[i].original, ex.Items[0].OriginalShipmentBoxID)
	}
}

func TestDecodeUnknownEnums(t *testing.T) {
	page := listFixture(t, "unknown_enums.json")
	require.Len(t, page.Items, 2)

	// Values seen in real data or in the Java SDK but missing from the API
	// tables are kept and known.
	seen := page.Items[0]
	assert.Equal(t, coupang.CollectStatus("Collecting"), seen.CollectStatus)
	assert.Equal(t, coupang.ActorType("BATCH"), seen.CreatedByType)
	assert.Equal(t, coupang.ActorType("SYSTEM"), seen.ModifiedByType)
	assert.True(t, seen.CollectStatus.Known())
	assert.True(t, seen.CreatedByType.Known())
	assert.True(t, seen.Status.Known())

	// A made-up value is kept as it came, reported unknown, and its labels
	// fall back to the raw value.
	ex := page.Items[1]
	type enum interface {
		Known() bool
		Korean() string
		English() string
	}
	require.Len(t, ex.DeliveryInvoiceGroups, 1)
	require.Len(t, ex.DeliveryInvoiceGroups[0].Invoices, 1)
	require.Len(t, ex.CollectInformation.Items, 1)
	rdi := ex.CollectInformation.Items[0]
	values := map[string]struct {
		raw string
		v   enum
	}{
		"orderDeliveryStatusCode": {string(ex.OrderDeliveryStatus), ex.OrderDeliveryStatus},
		"exchangeStatus":          {string(ex.Status), ex.Status},
		"referType":               {string(ex.ReferType), ex.ReferType},
		"faultType":               {string(ex.FaultType), ex.FaultType},
		"createdByType":           {string(ex.CreatedByType), ex.CreatedByType},
		"modifiedByType":          {string(ex.ModifiedByType), ex.ModifiedByType},
		"deliveryStatus":          {string(ex.DeliveryStatus), ex.DeliveryStatus},
		"collectStatus":           {string(ex.CollectStatus), ex.CollectStatus},
		"shippingDeliveryType":    {string(ex.DeliveryInvoiceGroups[0].ShippingDeliveryType), ex.DeliveryInvoiceGroups[0].ShippingDeliveryType},
		"invoice statusCode":      {string(ex.DeliveryInvoiceGroups[0].Invoices[0].StatusCode), ex.DeliveryInvoiceGroups[0].Invoices[0].StatusCode},
		"returnType":              {string(ex.CollectInformation.ReturnType), ex.CollectInformation.ReturnType},
		"item statusCode":         {string(rdi.StatusCode), rdi.StatusCode},
		"releaseStatus":           {string(rdi.ReleaseStatus), rdi.ReleaseStatus},
		"confirmType":             {string(rdi.ConfirmType), rdi.ConfirmType},
		"item collectStatus":      {string(rdi.CollectStatus), rdi.CollectStatus},
		"safetyNumberStatus":      {string(ex.CollectInformation.Destination.SafetyNumberStatus), ex.CollectInformation.Destination.SafetyNumberStatus},
	}
	for name, got := range values {
		assert.Equal(t, "NEW_THING", got.raw, name)
		assert.False(t, got.v.Known(), name)
		assert.Equal(t, "NEW_THING", got.v.Korean(), name)
		assert.Equal(t, "NEW_THING", got.v.English(), name)
	}
	assert.False(t, ex.Status.Terminal())
}

func TestDecodeUnknownFieldsIgnored(t *testing.T) {
	page := listFixture(t, "unknown_fields.json")
	assert.Equal(t, "tx-unknown-fields", page.TransactionID)
	require.Len(t, page.Items, 1)
	ex := page.Items[0]
	assert.EqualValues(t, 300000061, ex.ExchangeID)
	assert.Equal(t, coupang.ExchangeStatusReceipt, ex.Status)
	require.Len(t, ex.Items, 1)
	assert.EqualValues(t, 400000061, ex.Items[0].ExchangeItemID)
	assert.EqualValues(t, 2, ex.Items[0].Quantity)
	assert.Equal(t, "김*수", string(ex.Address.ReturnCustomerName))
	assert.Equal(t, coupang.ExchangeReturnType("EXCHANGE_RETURN"), ex.CollectInformation.ReturnType)
	require.Len(t, ex.CollectInformation.Items, 1)
	assert.EqualValues(t, 80000000001, ex.CollectInformation.Items[0].VendorItemID)
}

func TestDecodeModifiedAtSpellings(t *testing.T) {
	page := listFixture(t, "modified_at_spellings.json")
	require.Len(t, page.Items, 1)
	items := page.Items[0].CollectInformation.Items
	require.Len(t, items, 5)
	for _, it := range items[:4] {
		assertKST(t, fixtureInstant, it.ModifiedAt, "item %d", it.VendorItemID)
	}
	assert.True(t, items[4].ModifiedAt.IsZero(), "neither key: zero")
}

func TestDecodeLabels(t *testing.T) {
	page := listFixture(t, "korean_labels.json")
	require.Len(t, page.Items, 2)
	ko, code := page.Items[0], page.Items[1]

	assert.Equal(t, "배송완료", ko.OrderDeliveryStatusLabel)
	assert.Equal(t, "접수", ko.StatusLabel)
	assert.Equal(t, "CS", ko.ReferTypeLabel)
	assert.Equal(t, "업체과실", ko.FaultTypeLabel)
	assert.Equal(t, "상담사", ko.CreatedByTypeLabel)
	assert.Equal(t, "업체", ko.ModifiedByTypeLabel)
	assert.Equal(t, ko.Status.Korean(), ko.StatusLabel, "the built-in table agrees with Coupang's label")

	assert.Equal(t, "DELIVERING", code.OrderDeliveryStatusLabel)
	assert.Equal(t, "PROGRESS", code.StatusLabel)
	assert.Equal(t, "WEB_PC", code.ReferTypeLabel)
	assert.Equal(t, "GENERAL", code.FaultTypeLabel)
	assert.Equal(t, "CUSTOMER", code.CreatedByTypeLabel)
	assert.Equal(t, "COUPANG", code.ModifiedByTypeLabel)
	assert.Equal(t, "진행", code.Status.Korean(), "the built-in table gives Korean when the label does not")
}

func TestDecodeNulls(t *testing.T) {
	page := listFixture(t, "nulls.json")
	require.Len(t, page.Items, 2)
	assert.Empty(t, page.NextToken)

	ex := page.Items[0]
	assert.EqualValues(t, 300000091, ex.ExchangeID)
	assert.EqualValues(t, 2000000000091, ex.OrderID)
	assert.Empty(t, ex.LegacyReason)
	assert.Empty(t, ex.CancelReason)
	assert.Empty(t, ex.ReasonEtcDetail)
	assert.True(t, ex.CreatedAt.IsZero())
	assert.True(t, ex.ModifiedAt.IsZero())
	assert.True(t, ex.CollectCompleteDate.IsZero())

	require.Len(t, ex.Items, 1)
	it := ex.Items[0]
	assert.EqualValues(t, 400000091, it.ExchangeItemID)
	assert.Empty(t, it.OrderItemName)
	assert.Zero(t, it.OrderPackageID)
	assert.Empty(t, it.OrderPackageName)
	assert.Empty(t, it.TargetItemName)
	assert.Zero(t, it.TargetPackageID)
	assert.False(t, it.HasTargetPackage())
	assert.Empty(t, it.TargetPackageName)
	assert.Nil(t, it.OrderItemDeliveryComplete)
	assert.Nil(t, it.OrderItemReturnComplete)
	assert.Nil(t, it.TargetItemDeliveryComplete)
	assert.True(t, it.CreatedAt.IsZero())
	assert.True(t, it.ModifiedAt.IsZero())

	a := ex.Address
	assert.EqualValues(t, 500000091, a.ExchangeAddressID)
	for name, v := range map[string]string{
		"returnCustomerName": string(a.ReturnCustomerName), "returnPhone": string(a.ReturnPhone),
		"returnMobile": string(a.ReturnMobile), "returnMemo": string(a.ReturnMemo),
		"deliveryCustomerName": string(a.DeliveryCustomerName), "deliveryPhone": string(a.DeliveryPhone),
		"deliveryMobile": string(a.DeliveryMobile), "deliveryMemo": string(a.DeliveryMemo),
	} {
		assert.Empty(t, v, name)
	}
	assert.True(t, a.CreatedAt.IsZero())
	assert.True(t, a.ModifiedAt.IsZero())

	require.Len(t, ex.DeliveryInvoiceGroups, 1)
	g := ex.DeliveryInvoiceGroups[0]
	assert.EqualValues(t, int64(100000000000000123), g.ShipmentBoxID)
	assert.Empty(t, g.ShippingDeliveryType)
	assert.Empty(t, g.ExtraMessage)
	require.Len(t, g.Invoices, 1)
	inv := g.Invoices[0]
	assert.Empty(t, inv.InvoiceNumber)
	assert.True(t, inv.EstimatedDeliveryDate.IsZero())
	assert.True(t, inv.DeliveredDate.IsZero())
	assert.True(t, inv.StatusModifiedAt.IsZero())
	assert.True(t, inv.InvoiceNumberUploadDate.IsZero())
	assert.Empty(t, inv.StatusCode)
	assert.Empty(t, inv.DeliverCode)
	require.Len(t, inv.Items, 1)
	assert.True(t, inv.Items[0].PromiseDeliveryDate.IsZero())
	assert.True(t, inv.Items[0].EstimatedShippingDate.IsZero())

	ci := ex.CollectInformation
	assert.True(t, ci.ExpectedReturnDate.IsZero())
	require.Len(t, ci.Items, 1)
	assert.EqualValues(t, 80000000091, ci.Items[0].VendorItemID)
	assert.Zero(t, ci.Items[0].ReturnCount)
	assert.Empty(t, ci.Items[0].ConfirmType)
	assert.True(t, ci.Items[0].ModifiedAt.IsZero())
	assert.True(t, ci.Items[0].CreatedAt.IsZero())
	assert.Empty(t, ci.Items[0].ModifiedBy)
	assert.Empty(t, ci.Items[0].CreatedBy)
	d := ci.Destination
	assert.Zero(t, d.ReturnDeliveryID)
	assert.Zero(t, d.ReceiptID)
	for name, v := range map[string]string{
		"safetyNumber": string(d.SafetyNumber), "vendorPhone": string(d.VendorPhone),
		"vendorMobile": string(d.VendorMobile), "vendorName": string(d.VendorName),
		"customerName": string(d.CustomerName), "customerPhone": string(d.CustomerPhone),
		"customerMobile": string(d.CustomerMobile), "orderedByMobile": string(d.OrderedByMobile),
		"message": string(d.Message),
	} {
		assert.Empty(t, v, name)
	}
	require.Len(t, ex.ReturnDeliveries, 1)
	assert.Empty(t, ex.ReturnDeliveries[0].DeliveryCompanyCode)
	assert.Empty(t, ex.ReturnDeliveries[0].DeliveryInvoiceNo)

	// Whole sub-objects and arrays sent as null.
	empty := page.Items[1]
	assert.EqualValues(t, 300000092, empty.ExchangeID)
	assert.Empty(t, empty.Items)
	assert.Equal(t, coupang.ExchangeAddress{}, empty.Address)
	assert.Empty(t, empty.DeliveryInvoiceGroups)
	assert.Empty(t, empty.CollectInformation.Items)
	assert.Empty(t, empty.ReturnDeliveries)
	assert.False(t, empty.Successable)
	assert.False(t, empty.Rejectable)
	assert.False(t, empty.DeliveryInvoiceModifiable)
	_, ok := empty.ReplacementShipmentBoxID()
	assert.False(t, ok)
}

func TestDecodeTargetPackageSentinel(t *testing.T) {
	page := listFixture(t, "target_package_none.json")
	require.Len(t, page.Items, 1)
	want := map[int64]bool{1: false, 2: false, 3: false, 4: false, 5: true, 6: true}
	items := page.Items[0].Items
	require.Len(t, items, len(want))
	for _, it := range items {
		assert.Equal(t, want[it.ExchangeItemID], it.HasTargetPackage(), "item %d (targetPackageId %d)", it.ExchangeItemID, it.TargetPackageID)
	}
	assert.EqualValues(t, -1, items[0].TargetPackageID, "the sentinel is kept as sent")
}

func TestDecodeReplacementShipmentBoxID(t *testing.T) {
	page := listFixture(t, "invoice_groups.json")
	tests := []struct {
		id     int64
		wantOK bool
		want   int64
	}{
		{300000111, false, 0},                 // empty array before receipt is confirmed
		{300000112, true, 100000000000000123}, // filled
		{300000113, true, 100000000000000456}, // first group without a box id is skipped
		{300000114, false, 0},                 // absent
		{300000115, false, 0},                 // null
	}
	require.Len(t, page.Items, len(tests))
	for i, tt := range tests {
		ex := page.Items[i]
		require.Equal(t, tt.id, ex.ExchangeID)
		got, ok := ex.ReplacementShipmentBoxID()
		assert.Equal(t, tt.wantOK, ok, "exchange %d", tt.id)
		assert.Equal(t, tt.want, got, "exchange %d", tt.id)
	}
}

func TestDecodeDataNull(t *testing.T) {
	page := listFixture(t, "data_null.json")
	assert.Empty(t, page.Items)
	assert.Empty(t, page.NextToken)
}

func TestDecodeNextToken(t *testing.T) {
	tests := []struct {
		fixture string
		want    string
	}{
		{"next_token_empty.json", ""},
		{"next_token_null.json", ""},
		{"next_token_absent.json", ""},
		{"next_token_abc.json", "abc"},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			page := listFixture(t, tt.fixture)
			assert.Equal(t, tt.want, page.NextToken)
			assert.Len(t, page.Items, 1)
		})
	}
}
