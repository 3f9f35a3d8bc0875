package coupang_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
)

const (
	returnsV6Path = "/v2/providers/openapi/apis/api/v6/vendors/A00012345/returnRequests"
	returnsV4Path = "/v2/providers/openapi/apis/api/v4/vendors/A00012345/returnRequests"
)

func returnListOpts() coupang.ReturnListOptions {
	return coupang.ReturnListOptions{
		CreatedAtFrom: time.Date(2026, 3, 1, 0, 0, 0, 0, coupang.KoreaLocation()),
		CreatedAtTo:   time.Date(2026, 3, 7, 0, 0, 0, 0, coupang.KoreaLocation()),
		Status:        coupang.ReturnFilterUnchecked,
	}
}

// returnFixture lists the fixture through List, v6 path or v4 path.
func returnFixture(t *testing.T, name string, v4 bool) (*coupang.ReturnPage, error) {
	t.Helper()
	m := newMockAPI(t)
	path, opts := returnsV6Path, []coupang.CallOption(nil)
	if v4 {
		path, opts = returnsV4Path, []coupang.CallOption{coupang.WithReturnListVersion("v4")}
	}
	m.onJSON(http.MethodGet, path, http.StatusOK, fixture(t, name))
	page, err := m.client.Returns.List(context.Background(), returnListOpts(), opts...)
	require.Equal(t, 1, m.callCount())
	return page, err
}

func TestReturnDecodeV4(t *testing.T) {
	page, err := returnFixture(t, "returns_v4.json", true)
	require.NoError(t, err)
	require.Len(t, page.Items, 2)
	assert.Equal(t, "2", page.NextToken)

	r := page.Items[0]
	assert.Equal(t, int64(500000001), r.ReceiptID)
	assert.Equal(t, int64(30000000000001), r.OrderID)
	assert.Equal(t, int64(70000000001), r.PaymentID)
	assert.Equal(t, coupang.ReturnReceiptTypeReturn, r.ReceiptType)
	assert.Equal(t, coupang.ReturnStatusReturnsUnchecked, r.Status)
	assertKST(t, time.Date(2026, 3, 2, 10, 11, 12, 0, coupang.KoreaLocation()), r.CreatedAt)
	assert.Equal(t, "구*숙", string(r.RequesterName))
	assert.Equal(t, "0503-****-3560", string(r.RequesterPhoneNumber))
	assert.Empty(t, r.RequesterRealPhoneNumber, "null")
	assert.Equal(t, "03***", string(r.RequesterZipCode))
	assert.Equal(t, "단순변심(사유없음)", r.CancelReasonCategory2)
	assert.Equal(t, int64(3), r.CancelCountSum)
	assert.Equal(t, coupang.ReturnDeliveryTypeIntegrated, r.ReturnDeliveryType)
	assert.Equal(t, coupang.ReturnReleaseStopUnprocessed, r.ReleaseStopStatus)
	assert.Equal(t, coupang.Money{}, r.EnclosePrice)
	assert.Equal(t, coupang.Money{Units: -3000}, r.ReturnShippingCharge, "v4: a plain number")
	assert.Equal(t, coupang.FaultTypeCustomer, r.FaultByType)
	assert.True(t, r.PreRefund)
	assert.False(t, r.CompleteConfirmType.Confirmed())
	assert.True(t, r.CompleteConfirmDate.IsZero(), `"" is absent`)
	require.Len(t, r.Items, 2)
	assert.Equal(t, int64(123456789012345678), r.Items[0].ShipmentBoxID, "18 digits exactly")
	assert.Equal(t, int64(123456789012345679), r.Items[1].ShipmentBoxID, "18 digits in a string exactly")
	assert.Equal(t, coupang.ReturnReleaseStatusShipped, r.Items[0].ReleaseStatus)
	assert.Equal(t, "l******", string(r.Items[0].CancelCompleteUser))
	assert.Equal(t, int64(7000000002), r.Items[1].VendorItemID)
	assert.Len(t, r.Deliveries, 4, "the waybills as sent")
	assert.Equal(t, []coupang.ReturnDelivery{
		{DeliveryCompanyCode: "CJGLS", DeliveryInvoiceNo: "840807127473"},
		{DeliveryCompanyCode: "HANJIN", DeliveryInvoiceNo: "512345678901"},
	}, r.PickupWaybills(), "trimmed, deduplicated, empty entries left out")
	assert.Equal(t, "CHANGEMIND", r.ReasonInfo().Code)

	r = page.Items[1]
	assert.Equal(t, int64(9007199254740993), r.ReceiptID, "beyond 2^53, exactly")
	assert.Equal(t, coupang.ReturnReceiptType("반품"), r.ReceiptType, "old Korean value kept")
	assert.False(t, r.ReceiptType.Known())
	assertKST(t, time.Date(2026, 3, 3, 8, 0, 0, 0, coupang.KoreaLocation()), r.CreatedAt)
	assert.Equal(t, int64(1772496000000), r.ModifiedAt.UnixMilli(), "epoch milliseconds")
	assert.Equal(t, "3456", string(r.RequesterZipCode), "a number kept as text")
	assert.Equal(t, int64(2), r.CancelCountSum, "a numeric string")
	assert.Equal(t, coupang.ReturnDeliveryType("수기택배"), r.ReturnDeliveryType)
	assert.True(t, r.ReturnDeliveryType.Known(), "the FAQ's spelling is known")
	assert.Equal(t, coupang.ReturnReleaseStopStopped, r.ReleaseStopStatus)
	assert.Equal(t, "processed: shipment stopped", r.ReleaseStopStatus.English())
	assert.Equal(t, coupang.FaultType("고객 과실"), r.FaultByType, "pre-v4 Korean label kept")
	assert.False(t, r.PreRefund)
	assert.Equal(t, coupang.ReturnCompleteConfirmType("미확인"), r.CompleteConfirmType)
	assert.False(t, r.CompleteConfirmType.Confirmed())
	require.Len(t, r.Items, 1, "one object for a one-element array")
	assert.Equal(t, coupang.ReturnReleaseStatusStopped, r.Items[0].ReleaseStatus)
	assert.Empty(t, r.PickupWaybills())
	assert.Equal(t, "NEWCODE_NOT_IN_TABLE", r.ReasonInfo().Code)
	assert.Equal(t, "새 사유", r.ReasonInfo().Korean)
	assert.Empty(t, r.ReasonInfo().English, "no translation, as for exchanges: not the raw code")
}

func TestReturnDecodeV6(t *testing.T) {
	page, err := returnFixture(t, "returns_v6.json", false)
	var pageErr *coupang.PageError
	require.ErrorAs(t, err, &pageErr, "one record cannot be decoded")
	require.NotNil(t, page)
	require.Len(t, page.Items, 1, "the other record is delivered")
	assert.Empty(t, page.NextToken)

	r := page.Items[0]
	want := time.Date(2025, 1, 15, 14, 17, 13, 973885000, time.FixedZone("", -8*3600))
	assertKST(t, want, r.CreatedAt, "the offset is honoured, never taken for +09:00")
	assertKST(t, time.Date(2025, 1, 16, 9, 0, 0, 500000000, coupang.KoreaLocation()), r.ModifiedAt)
	assert.Equal(t, "+1(555)444-1234", string(r.RequesterPhoneNumber), "kept as an opaque string")
	assert.Equal(t, " +1(555)444-1234", string(r.RequesterRealPhoneNumber))
	assert.Equal(t, coupang.Money{Currency: "KRW"}, r.EnclosePrice)
	assert.Equal(t, coupang.Money{Currency: "KRW", Units: -5000, Nanos: -500000000}, r.ReturnShippingCharge, "v6: a money object")
	assert.Equal(t, coupang.ReturnCompleteConfirmVendor, r.CompleteConfirmType)
	assert.True(t, r.CompleteConfirmType.Confirmed())
	assertKST(t, time.Date(2025, 1, 17, 10, 0, 0, 0, coupang.KoreaLocation()), r.CompleteConfirmDate)
	assert.Equal(t, coupang.ReturnStatusReturnsCompleted, r.Status)

	require.Len(t, pageErr.Records, 1)
	var recErr *coupang.RecordError
	require.ErrorAs(t, err, &recErr)
	assert.Equal(t, int64(500000004), recErr.ReceiptID)
	assert.Zero(t, recErr.ExchangeID)
	assert.Equal(t, 1, recErr.Index)
	assert.Equal(t, "cancelCountSum", recErr.Field)
	assert.Contains(t, recErr.Error(), "return receipt 500000004")
	assert.NotContains(t, recErr.Error(), "nested")
}

func TestReturnMarshalRoundTrip(t *testing.T) {
	for _, name := range []string{"returns_v4.json", "returns_v6.json"} {
		t.Run(name, func(t *testing.T) {
			page, _ := coupang.DecodeReturnPage(strings.NewReader(fixture(t, name)))
			require.NotNil(t, page)
			for _, r := range page.Items {
				b, err := coupang.MarshalReturn(r)
				require.NoError(t, err)
				var back coupang.ReturnRequest
				require.NoError(t, coupang.UnmarshalReturn(b, &back))
				assert.True(t, r.CreatedAt.Equal(back.CreatedAt))
				r.CreatedAt, back.CreatedAt = time.Time{}, time.Time{}
				r.ModifiedAt, back.ModifiedAt = r.ModifiedAt.Truncate(time.Second), back.ModifiedAt.Truncate(time.Second)
				assert.Equal(t, fmt.Sprint(r), fmt.Sprint(back))
				assert.Equal(t, r.Items, back.Items)
				assert.Equal(t, r.Deliveries, back.Deliveries)
				assert.Equal(t, r.ReturnShippingCharge, back.ReturnShippingCharge)
				assert.Equal(t, r.RequesterName, back.RequesterName)
			}
		})
	}
}

func TestUnmarshalReturnNamesTheField(t *testing.T) {
	var r coupang.ReturnRequest
	err := coupang.UnmarshalReturn([]byte(`{"cancelReason":"비밀","returnShippingCharge":{"units":"abc"},"receiptId":77}`), &r)
	var recErr *coupang.RecordError
	require.ErrorAs(t, err, &recErr)
	assert.Equal(t, int64(77), recErr.ReceiptID, "the id after the bad field is still found")
	// Money (money.go) reads its object itself: the amount is the field.
	assert.Equal(t, "returnShippingCharge", recErr.Field)
	assert.NotContains(t, err.Error(), "abc")
	assert.NotContains(t, err.Error(), "비밀")
	assert.Equal(t, coupang.ReturnRequest{}, r)

	err = coupang.UnmarshalReturn([]byte(`[1]`), &r)
	require.ErrorAs(t, err, &recErr)
}

func TestReturnRedaction(t *testing.T) {
	page, err := returnFixture(t, "returns_v4.json", true)
	require.NoError(t, err)
	r := page.Items[0]
	secrets := []string{string(r.RequesterName), string(r.RequesterPhoneNumber), string(r.RequesterAddress),
		string(r.RequesterAddressDetail), string(r.CancelReason), string(r.Items[0].CancelCompleteUser)}
	var logged bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logged, nil))
	logger.Info("page", "page", page)
	logger.Info("one", "return", r, "item", r.Items[0])
	outputs := []string{
		fmt.Sprintf("%v %+v %#v %s %q", r, r, r, r, r),
		fmt.Sprintf("%v %+v %#v", r.Items, r.Items[0], &r.Items[0]),
		fmt.Sprintf("%v %+v", page, *page),
		logged.String(),
	}
	b, err := json.Marshal(page.LogValue().Any())
	require.NoError(t, err)
	outputs = append(outputs, string(b))
	for _, out := range outputs {
		for _, s := range secrets {
			assert.NotContains(t, out, s)
		}
		assert.NotContains(t, out, "월드컵")
	}
	assert.Contains(t, fmt.Sprint(r), "receiptId: 500000001")
	assert.Contains(t, logged.String(), "500000001")
}

func TestDecodeReturnPageError(t *testing.T) {
	_, err := coupang.DecodeReturnPage(strings.NewReader(`{"code":400,"message":"OrderId can't be null , if doesn't pass the parameter status"}`))
	apiErr := requireAPIError(t, err)
	assert.Contains(t, apiErr.Message, "OrderId can't be null")
	_, err = coupang.DecodeReturnPage(strings.NewReader(`{"code":200,"data":[`))
	require.Error(t, err)
	assert.False(t, errors.As(err, new(*coupang.APIError)))
}
