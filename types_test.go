package coupang_test

import (
	"context"
	"encoding/json"
	"net/http"
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

func TestInt64UnmarshalJSON(t *testing.T) {
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
		{in: `100000000000000123`, want: 100000000000000123},
		{in: `999999999999999999`, want: 999999999999999999},
		{in: `"999999999999999999"`, want: 999999999999999999},
		{in: `9223372036854775807`, want: 9223372036854775807},
		{in: `-9223372036854775808`, want: -9223372036854775808},
		{in: `35900.0`, want: 35900},
		{in: `3.59e4`, want: 35900},
		{in: `9223372036854775808`, wantErr: true},
		{in: `99999999999999999999`, wantErr: true},
		{in: `1.5`, wantErr: true},
		{in: `"abc"`, wantErr: true},
		{in: `"-"`, wantErr: true},
		{in: `true`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var n coupang.Int64
			err := json.Unmarshal([]byte(`{"n":`+tt.in+`}`), &struct {
				N *coupang.Int64 `json:"n"`
			}{&n})
			if tt.wantErr {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, n.Int64())
		})
	}
}

func TestInt64UnmarshalJSONDirect(t *testing.T) {
	// The decoder never hands UnmarshalJSON a broken token; call it directly
	// for the malformed-quote cases.
	for _, in := range []string{`"`, `"12`} {
		var n coupang.Int64
		assert.Error(t, n.UnmarshalJSON([]byte(in)), "%s", in)
	}
}

func TestInt64MarshalJSON(t *testing.T) {
	for _, v := range []int64{0, -1, 100000070, 999999999999999999} {
		b, err := json.Marshal(coupang.Int64(v))
		require.NoError(t, err)
		var back int64
		require.NoError(t, json.Unmarshal(b, &back), "%s must be a JSON number", b)
		assert.Equal(t, v, back)
	}
}

func TestTextUnmarshalJSON(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr bool
	}{
		{in: `"123456789012"`, want: "123456789012"},
		{in: `123456789012`, want: "123456789012"},
		{in: `6236`, want: "6236"},
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
			var v struct {
				T coupang.Text `json:"t"`
			}
			err := json.Unmarshal([]byte(`{"t":`+tt.in+`}`), &v)
			if tt.wantErr {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, v.T.String())
		})
	}
}

func TestTextMarshalJSON(t *testing.T) {
	b, err := json.Marshal(coupang.Text("0502-1234-5678"))
	require.NoError(t, err)
	assert.Equal(t, `"0502-1234-5678"`, string(b))
}

func TestTimeUnmarshalJSON(t *testing.T) {
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
		{name: "RFC 3339 UTC", in: `"2026-03-05T01:54:41Z"`, want: fixtureInstant},
		{name: "RFC 3339 offset", in: `"2026-03-05T10:54:41+09:00"`, want: fixtureInstant},
		{name: "date only", in: `"2026-03-05"`, want: time.Date(2026, 3, 5, 0, 0, 0, 0, kst)},
		{name: "null", in: `null`},
		{name: "empty", in: `""`},
		{name: "Feb 30", in: `"2026-02-30T00:00:00"`, wantErr: true},
		{name: "garbage", in: `"yesterday"`, wantErr: true},
		{name: "bool", in: `true`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v struct {
				T coupang.Time `json:"t"`
			}
			err := json.Unmarshal([]byte(`{"t":`+tt.in+`}`), &v)
			if tt.wantErr {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			if tt.want.IsZero() {
				assert.True(t, v.T.IsZero(), "got %v", v.T)
				return
			}
			assertKST(t, tt.want, v.T.Time)
		})
	}
}

func TestTimeMarshalJSON(t *testing.T) {
	b, err := json.Marshal(coupang.Time{Time: time.Date(2026, 3, 5, 1, 54, 41, 0, time.UTC)})
	require.NoError(t, err)
	assert.Equal(t, `"2026-03-05T10:54:41"`, string(b), "written in Korea time, no offset")

	b, err = json.Marshal(coupang.Time{})
	require.NoError(t, err)
	assert.Equal(t, `null`, string(b))
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

func TestKoreaTime(t *testing.T) {
	loc := coupang.KoreaTime()
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
			assert.Equal(t, tt.wantID, page.Items[0].ExchangeID.Int64())
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
	assert.EqualValues(t, 5000, ex.ExchangeAmount)
	require.Len(t, ex.Items, 1)
	assert.EqualValues(t, 400000001, ex.Items[0].ExchangeItemID)
	assert.EqualValues(t, 29900, ex.Items[0].OrderItemUnitPrice)
	assert.EqualValues(t, 7002, ex.Items[0].TargetPackageID)
	assert.EqualValues(t, 2, ex.Items[0].Quantity)
	assert.EqualValues(t, int64(100000000000000099), ex.Items[0].OriginalShipmentBoxID)
	assert.EqualValues(t, 500000001, ex.Address.ExchangeAddressID)
	assert.Equal(t, coupang.Text("6236"), ex.Address.ReturnAddressZipCode, "a zip code sent as a number keeps its digits")
	assert.EqualValues(t, 100000070, ex.Address.ExchangeID)
	require.Len(t, ex.DeliveryInvoiceGroups, 1)
	g := ex.DeliveryInvoiceGroups[0]
	assert.EqualValues(t, int64(100000000000000123), g.ShipmentBoxID)
	assert.EqualValues(t, 3000, g.BoxPrice)
	require.Len(t, g.Invoices, 1)
	assert.Equal(t, coupang.Text("123456789012"), g.Invoices[0].InvoiceNumber, "a waybill sent as a number keeps its digits")
	require.Len(t, g.Invoices[0].Items, 1)
	assert.EqualValues(t, 80000000002, g.Invoices[0].Items[0].VendorItemID)
	assert.EqualValues(t, 1, g.Invoices[0].Items[0].Quantity)
	require.Len(t, ex.CollectInformation.Items, 1)
	assert.EqualValues(t, 80000000001, ex.CollectInformation.Items[0].VendorItemID)
	assert.EqualValues(t, 1, ex.CollectInformation.Items[0].ReturnCount)
	assert.Equal(t, coupang.Text("1001"), ex.CollectInformation.Items[0].ModifiedBy)
	assert.EqualValues(t, 880001, ex.CollectInformation.Destination.SafetyNumberID)
	assert.EqualValues(t, 660001, ex.CollectInformation.Destination.ReceiptID)
	require.Len(t, ex.ReturnDeliveries, 1)
	assert.Equal(t, coupang.Text("223456789012"), ex.ReturnDeliveries[0].DeliveryInvoiceNo)
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
	_, ok := ex.NewShipmentBoxID()
	assert.False(t, ok, "a null box id is no box id")
	require.Len(t, ex.CollectInformation.Items, 1)
	assert.Zero(t, ex.CollectInformation.Items[0].ReturnCount)
	assert.Zero(t, ex.CollectInformation.Items[0].Count)
	assert.Zero(t, ex.CollectInformation.Destination.ReturnDeliveryID)
	assert.Zero(t, ex.CollectInformation.Destination.ReceiptID)
}

func TestDecodeExchangeAmount(t *testing.T) {
	page := listFixture(t, "exchange_amount.json")
	want := map[int64]int64{300000021: 0, 300000022: 0, 300000023: 1500, 300000024: 1500}
	require.Len(t, page.Items, len(want))
	for _, ex := range page.Items {
		w, ok := want[ex.ExchangeID.Int64()]
		require.True(t, ok, "unexpected id %d", ex.ExchangeID)
		assert.Equal(t, w, ex.ExchangeAmount.Int64(), "exchange %d", ex.ExchangeID)
	}
}

func TestDecodeTimestampForms(t *testing.T) {
	page := listFixture(t, "timestamps.json")
	require.Len(t, page.Items, 3)
	for _, ex := range page.Items {
		assertKST(t, fixtureInstant, ex.CreatedAt.Time, "createdAt of %d", ex.ExchangeID)
		assertKST(t, fixtureInstant, ex.CollectCompleteDate.Time, "collectCompleteDate of %d", ex.ExchangeID)
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
		box, ok := ex.NewShipmentBoxID()
		assert.True(t, ok)
		assert.Equal(t, want[i].box, box, "exact, not rounded through float64")
		require.Len(t, ex.Items, 1)
		assert.Equal(t, want[i].original, ex.Items[0].OriginalShipmentBoxID.Int64())
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
	assert.Equal(t, "김*수", ex.Address.ReturnCustomerName)
	assert.Equal(t, coupang.ReturnType("EXCHANGE_RETURN"), ex.CollectInformation.ReturnType)
	require.Len(t, ex.CollectInformation.Items, 1)
	assert.EqualValues(t, 80000000001, ex.CollectInformation.Items[0].VendorItemID)
}

func TestDecodeModifiedAtSpellings(t *testing.T) {
	page := listFixture(t, "modified_at_spellings.json")
	require.Len(t, page.Items, 1)
	items := page.Items[0].CollectInformation.Items
	require.Len(t, items, 5)
	for _, it := range items[:4] {
		assertKST(t, fixtureInstant, it.ModifiedAt.Time, "item %d", it.VendorItemID)
	}
	assert.True(t, items[4].ModifiedAt.IsZero(), "neither key: zero")
}

func TestReturnDeliveryItemMarshalUsesWireKey(t *testing.T) {
	it := coupang.ReturnDeliveryItem{VendorItemID: 7, ModifiedAt: coupang.Time{Time: fixtureInstant}}
	b, err := json.Marshal(it)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	assert.Equal(t, "2026-03-05T10:54:41", m["moodifiedAt"])
	assert.NotContains(t, m, "ModifiedAt")

	var back coupang.ReturnDeliveryItem
	require.NoError(t, json.Unmarshal(b, &back))
	assert.True(t, back.ModifiedAt.Equal(fixtureInstant))
	assert.EqualValues(t, 7, back.VendorItemID)
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
		"returnCustomerName": a.ReturnCustomerName, "returnPhone": string(a.ReturnPhone),
		"returnMobile": string(a.ReturnMobile), "returnMemo": a.ReturnMemo,
		"deliveryCustomerName": a.DeliveryCustomerName, "deliveryPhone": string(a.DeliveryPhone),
		"deliveryMobile": string(a.DeliveryMobile), "deliveryMemo": a.DeliveryMemo,
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
		"vendorMobile": string(d.VendorMobile), "vendorName": d.VendorName,
		"customerName": d.CustomerName, "customerPhone": string(d.CustomerPhone),
		"customerMobile": string(d.CustomerMobile), "orderedByMobile": string(d.OrderedByMobile),
		"message": d.Message,
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
	_, ok := empty.NewShipmentBoxID()
	assert.False(t, ok)
}

func TestDecodeTargetPackageSentinel(t *testing.T) {
	page := listFixture(t, "target_package_none.json")
	require.Len(t, page.Items, 1)
	want := map[int64]bool{1: false, 2: false, 3: false, 4: false, 5: true, 6: true}
	items := page.Items[0].Items
	require.Len(t, items, len(want))
	for _, it := range items {
		assert.Equal(t, want[it.ExchangeItemID.Int64()], it.HasTargetPackage(), "item %d (targetPackageId %d)", it.ExchangeItemID, it.TargetPackageID)
	}
	assert.EqualValues(t, -1, items[0].TargetPackageID, "the sentinel is kept as sent")
}

func TestDecodeNewShipmentBoxID(t *testing.T) {
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
		require.Equal(t, tt.id, ex.ExchangeID.Int64())
		got, ok := ex.NewShipmentBoxID()
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

func TestTimeTextForm(t *testing.T) {
	at := coupang.Time{Time: time.Date(2026, 3, 5, 1, 54, 41, 0, time.UTC)}
	b, err := at.MarshalText()
	require.NoError(t, err)
	assert.Equal(t, "2026-03-05T10:54:41", string(b), "Korea time, Coupang's layout")

	var back coupang.Time
	require.NoError(t, back.UnmarshalText(b))
	assert.True(t, back.Equal(at.Time))

	b, err = coupang.Time{}.MarshalText()
	require.NoError(t, err)
	assert.Empty(t, b)
	require.Error(t, back.UnmarshalText([]byte("yesterday")))
}
