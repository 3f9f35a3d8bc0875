package coupangtest_test

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

func TestConfirmReceipt(t *testing.T) {
	for _, method := range []string{http.MethodPut, http.MethodPatch} {
		t.Run(method, func(t *testing.T) {
			srv := coupangtest.NewTestServer(t)
			c := newClient(t, srv, coupang.WithUpdateMethod(method))
			ctx := context.Background()
			ex := firstWith(t, srv, isStatus(coupang.ExchangeStatusReceipt))
			id := ex.ExchangeID

			require.NoError(t, c.Exchanges.ConfirmReceipt(ctx, id))

			got, ok := srv.Exchange(id)
			require.True(t, ok)
			assert.Equal(t, coupang.ExchangeStatusProgress, got.Status)
			assert.Equal(t, coupang.CollectStatusCompleteCollect, got.CollectStatus)
			assert.False(t, got.CollectCompleteDate.IsZero())
			assert.False(t, got.Rejectable)
			assert.True(t, got.DeliveryInvoiceModifiable)
			box, ok := got.ReplacementShipmentBoxID()
			require.True(t, ok, "with no box delay the new box is there at once")
			assert.Len(t, fmt.Sprint(box), 18)
			assert.NotEqual(t, int64(got.Items[0].OriginalShipmentBoxID), box)
			assert.Equal(t, 1, srv.Confirmations(id))

			calls := srv.Calls()
			last := calls[len(calls)-1]
			assert.Equal(t, method, last.Method)
			assert.Equal(t, basePath+fmt.Sprintf("/%d/receiveConfirmation", id), last.Path)
			assert.JSONEq(t, fmt.Sprintf(`{"exchangeId":%d,"vendorId":%q}`, id, srv.VendorID), last.Body)

			// A second confirmation is a business failure and changes nothing.
			err := c.Exchanges.ConfirmReceipt(ctx, id)
			e := apiError(t, err)
			assert.Equal(t, http.StatusOK, e.StatusCode)
			assert.Equal(t, "FAIL", e.ResultCode)
			assert.Contains(t, e.Message, "PROGRESS")
			assert.Equal(t, 1, srv.Confirmations(id), "confirmed exactly once")
		})
	}
}

func TestConfirmAnswerShape(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	id := int64(firstWith(t, srv, isStatus(coupang.ExchangeStatusReceipt)).ExchangeID)
	resp := rawDo(t, srv, http.MethodPut, fmt.Sprintf("%s/%d/receiveConfirmation", basePath, id),
		fmt.Sprintf(`{"exchangeId":%d,"vendorId":%q}`, id, srv.VendorID))
	require.Equal(t, http.StatusOK, resp.status)
	assert.JSONEq(t, `{"code":"200","message":"SUCCESS"}`, resp.body)
}

func TestNewBoxAppearsAfterTheDelay(t *testing.T) {
	var elapsed atomic.Int64
	clock := func() time.Time { return time.Now().Add(time.Duration(elapsed.Load())) }
	srv := coupangtest.NewTestServer(t, coupangtest.WithClock(clock), coupangtest.WithBoxDelay(3*time.Minute))
	c := newClient(t, srv)
	ctx := context.Background()
	ex := firstWith(t, srv, isStatus(coupang.ExchangeStatusReceipt))
	id := ex.ExchangeID
	require.NoError(t, c.Exchanges.ConfirmReceipt(ctx, id))

	find := func() coupang.ExchangeRequest {
		page, err := c.Exchanges.List(ctx, coupang.ExchangeListOptions{
			CreatedAtFrom: ex.CreatedAt, CreatedAtTo: ex.CreatedAt, OrderID: ex.OrderID,
		})
		require.NoError(t, err)
		for _, got := range page.Items {
			if int64(got.ExchangeID) == id {
				return got
			}
		}
		t.Fatalf("exchange %d not listed", id)
		return coupang.ExchangeRequest{}
	}

	got := find()
	assert.Equal(t, coupang.ExchangeStatusProgress, got.Status)
	assert.Equal(t, coupang.CollectStatusCompleteCollect, got.CollectStatus)
	_, ok := got.ReplacementShipmentBoxID()
	assert.False(t, ok, "the box is not there before the delay")
	assert.False(t, got.DeliveryInvoiceModifiable)

	elapsed.Store(int64(2 * time.Minute))
	got = find()
	_, ok = got.ReplacementShipmentBoxID()
	assert.False(t, ok, "nor after two minutes")

	elapsed.Store(int64(3 * time.Minute))
	got = find()
	box, ok := got.ReplacementShipmentBoxID()
	assert.True(t, ok, "the box appears once the delay has passed")
	assert.NotZero(t, box)
	assert.True(t, got.DeliveryInvoiceModifiable)
}

func TestCreatePendingBoxes(t *testing.T) {
	srv := coupangtest.NewTestServer(t, coupangtest.WithBoxDelay(10*time.Minute))
	c := newClient(t, srv)
	id := int64(firstWith(t, srv, isStatus(coupang.ExchangeStatusReceipt)).ExchangeID)
	require.NoError(t, c.Exchanges.ConfirmReceipt(context.Background(), id))
	ex, _ := srv.Exchange(id)
	_, ok := ex.ReplacementShipmentBoxID()
	require.False(t, ok)

	// Uploading before the box exists fails like Coupang.
	err := c.Exchanges.UploadInvoices(context.Background(), id, []coupang.ExchangeInvoice{{
		ShipmentBoxID: ex.Items[0].OriginalShipmentBoxID + 1, GoodsDeliveryCode: "CJGLS", InvoiceNumber: "123456789012",
	}})
	assert.Equal(t, "FAIL", apiError(t, err).ResultCode)

	assert.Equal(t, 1, srv.CreatePendingBoxes())
	assert.Equal(t, 0, srv.CreatePendingBoxes())
	ex, _ = srv.Exchange(id)
	_, ok = ex.ReplacementShipmentBoxID()
	assert.True(t, ok)
}

func TestReject(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	c := newClient(t, srv)
	ctx := context.Background()
	var rejectable, fixed []int64
	for _, ex := range srv.Exchanges() {
		if ex.Status != coupang.ExchangeStatusReceipt {
			continue
		}
		if ex.Rejectable {
			rejectable = append(rejectable, ex.ExchangeID)
		} else {
			fixed = append(fixed, ex.ExchangeID)
		}
	}
	require.GreaterOrEqual(t, len(rejectable), 3)
	require.NotEmpty(t, fixed)
	progress := int64(firstWith(t, srv, isStatus(coupang.ExchangeStatusProgress)).ExchangeID)

	tests := []struct {
		name   string
		id     int64
		code   coupang.RejectCode
		ok     bool
		status coupang.ExchangeStatus
		msg    string
	}{
		{"sold out", rejectable[0], coupang.RejectSoldOut, true, coupang.ExchangeStatusReject, ""},
		{"withdrawn", rejectable[1], coupang.RejectWithdraw, true, coupang.ExchangeStatusReject, ""},
		{"already rejected", rejectable[0], coupang.RejectSoldOut, false, coupang.ExchangeStatusReject, "교환 거부 처리가 불가능한 상태입니다"},
		{"not rejectable", fixed[0], coupang.RejectSoldOut, false, coupang.ExchangeStatusReceipt, "rejectable: false"},
		{"in progress", progress, coupang.RejectWithdraw, false, coupang.ExchangeStatusProgress, "exchangeStatus: PROGRESS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := srv.Rejections(tt.id)
			err := c.Exchanges.Reject(ctx, tt.id, tt.code)
			if tt.ok {
				require.NoError(t, err)
				assert.Equal(t, before+1, srv.Rejections(tt.id))
			} else {
				e := apiError(t, err)
				assert.Equal(t, http.StatusOK, e.StatusCode, "a business failure is an HTTP 200")
				assert.Equal(t, "FAIL", e.ResultCode)
				assert.Contains(t, e.Message, tt.msg)
				assert.Equal(t, before, srv.Rejections(tt.id))
			}
			got, _ := srv.Exchange(tt.id)
			assert.Equal(t, tt.status, got.Status)
		})
	}

	applied := srv.Applied()
	require.Len(t, applied, 2)
	assert.Equal(t, coupangtest.ActionReject, applied[0].Kind)
	assert.Equal(t, coupang.RejectSoldOut, applied[0].RejectCode)
	assert.Equal(t, coupang.RejectWithdraw, applied[1].RejectCode)
}

func TestRejectAnswersOnTheWire(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	ids := []int64{}
	for _, ex := range srv.Exchanges() {
		if ex.Status == coupang.ExchangeStatusReceipt && ex.Rejectable {
			ids = append(ids, ex.ExchangeID)
		}
	}
	path := func(id int64) string { return fmt.Sprintf("%s/%d/rejection", basePath, id) }
	body := func(id int64, code string) string {
		return fmt.Sprintf(`{"exchangeId":%d,"vendorId":%q,"exchangeRejectCode":%q}`, id, srv.VendorID, code)
	}

	resp := rawDo(t, srv, http.MethodPut, path(ids[0]), body(ids[0], "SOLDOUT"))
	require.Equal(t, http.StatusOK, resp.status)
	assert.JSONEq(t, `{"code":"200","message":"SUCCESS","data":{"resultCode":"SUCCESS","resultMessage":"요청 처리완료"}}`, resp.body)

	for _, code := range []string{"CHANGEMIND", "soldout", ""} {
		resp = rawDo(t, srv, http.MethodPut, path(ids[1]), body(ids[1], code))
		require.Equal(t, http.StatusOK, resp.status)
		data := resp.json["data"].(map[string]any)
		assert.Equal(t, "FAIL", data["resultCode"], code)
		assert.Contains(t, data["resultMessage"], "교환 거부 사유 코드", code)
	}
	ex, _ := srv.Exchange(ids[1])
	assert.Equal(t, coupang.ExchangeStatusReceipt, ex.Status)
}

func TestWriteBodyValidation(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	id := int64(firstWith(t, srv, rejectableReceipt).ExchangeID)
	confirm := fmt.Sprintf("%s/%d/receiveConfirmation", basePath, id)
	invoices := fmt.Sprintf("%s/%d/invoices", basePath, id)
	tests := []struct {
		name, method, path, body string
		status                   int
		msg                      string
	}{
		{"malformed JSON", http.MethodPut, confirm, `{"exchangeId":`, 400, "Malformed JSON"},
		{"trailing data", http.MethodPut, confirm, fmt.Sprintf(`{"exchangeId":%d,"vendorId":"A00012345"} {}`, id), 400, "Malformed JSON"},
		{"empty body", http.MethodPut, confirm, ``, 400, "Malformed JSON"},
		{"id as a string", http.MethodPut, confirm, fmt.Sprintf(`{"exchangeId":"%d","vendorId":"A00012345"}`, id), 400, "must be a number"},
		{"no id", http.MethodPut, confirm, `{"vendorId":"A00012345"}`, 400, "exchangeId is required"},
		{"id differs from the path", http.MethodPut, confirm, fmt.Sprintf(`{"exchangeId":%d,"vendorId":"A00012345"}`, id+1), 400, "does not match the path"},
		{"no vendor", http.MethodPut, confirm, fmt.Sprintf(`{"exchangeId":%d}`, id), 400, "vendorId is required"},
		{"another vendor", http.MethodPut, confirm, fmt.Sprintf(`{"exchangeId":%d,"vendorId":"A00000001"}`, id), 400, "vendorId (A00000001)"},
		{"unknown exchange", http.MethodPut, basePath + "/1/receiveConfirmation", `{"exchangeId":1,"vendorId":"A00012345"}`, 404, "not found"},
		{"invoices as an object", http.MethodPost, invoices, fmt.Sprintf(`{"exchangeId":%d,"vendorId":"A00012345","shipmentBoxId":1,"goodsDeliveryCode":"CJGLS","invoiceNumber":"123456789012"}`, id), 400, "JSON array"},
		{"no invoices", http.MethodPost, invoices, `[]`, 400, "At least one"},
		{"malformed invoices", http.MethodPost, invoices, `[{"exchangeId":1,`, 400, "Malformed JSON"},
		{"box not a number", http.MethodPost, invoices, fmt.Sprintf(`[{"exchangeId":%d,"vendorId":"A00012345","shipmentBoxId":"x","goodsDeliveryCode":"CJGLS","invoiceNumber":"123456789012"}]`, id), 400, "shipmentBoxId"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := rawDo(t, srv, tt.method, tt.path, tt.body)
			require.Equal(t, tt.status, resp.status, resp.body)
			assert.EqualValues(t, tt.status, resp.json["code"])
			assert.Contains(t, resp.json["message"], tt.msg)
		})
	}
	assert.Empty(t, srv.Applied(), "nothing was applied")
	ex, _ := srv.Exchange(id)
	assert.Equal(t, coupang.ExchangeStatusReceipt, ex.Status)
}

func TestUploadInvoices(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	c := newClient(t, srv)
	ctx := context.Background()
	ex := firstWith(t, srv, isStatus(coupang.ExchangeStatusReceipt))
	id := ex.ExchangeID
	original := ex.Items[0].OriginalShipmentBoxID
	inv := func(box int64, courier, number string) []coupang.ExchangeInvoice {
		return []coupang.ExchangeInvoice{{ShipmentBoxID: box, GoodsDeliveryCode: courier, InvoiceNumber: number}}
	}

	// Before receipt is confirmed there is no new box.
	err := c.Exchanges.UploadInvoices(ctx, id, inv(original, "CJGLS", "123456789012"))
	e := apiError(t, err)
	assert.Equal(t, "FAIL", e.ResultCode)
	assert.Equal(t, fmt.Sprintf("shipmentBoxId (%d)'s status [NONE_TRACKING] is not suitable for applyInvoice", original), e.Message)

	require.NoError(t, c.Exchanges.ConfirmReceipt(ctx, id))
	confirmed, _ := srv.Exchange(id)
	box, ok := confirmed.ReplacementShipmentBoxID()
	require.True(t, ok)

	failures := []struct {
		name     string
		invoices []coupang.ExchangeInvoice
		msg      string
	}{
		{"original box", inv(original, "CJGLS", "123456789012"), "[NONE_TRACKING] is not suitable for applyInvoice"},
		{"someone else's box", inv(box+1000, "CJGLS", "123456789012"), "is not a shipment box of"},
		{"retired courier", inv(box, "KOREX", "123456789012"), "goodsDeliveryCode (KOREX)"},
		{"waybill of the wrong length", inv(box, "CJGLS", "12345"), "invoiceNumber (12345)"},
		{"one bad element fails all", append(inv(box, "CJGLS", "123456789012"), inv(original, "CJGLS", "123456789012")...), "NONE_TRACKING"},
	}
	for _, tt := range failures {
		t.Run(tt.name, func(t *testing.T) {
			e := apiError(t, c.Exchanges.UploadInvoices(ctx, id, tt.invoices))
			assert.Equal(t, http.StatusOK, e.StatusCode)
			assert.Equal(t, "FAIL", e.ResultCode)
			assert.Contains(t, e.Message, tt.msg)
		})
	}
	assert.Empty(t, srv.Invoices(id))

	require.NoError(t, c.Exchanges.UploadInvoices(ctx, id, inv(box, "CJGLS", "123456789012")))
	assert.Equal(t, inv(box, "CJGLS", "123456789012"), srv.Invoices(id))
	got, _ := srv.Exchange(id)
	require.Len(t, got.DeliveryInvoiceGroups, 1)
	require.Len(t, got.DeliveryInvoiceGroups[0].Invoices, 1)
	waybill := got.DeliveryInvoiceGroups[0].Invoices[0]
	assert.Equal(t, "123456789012", waybill.InvoiceNumber)
	assert.Equal(t, "CJGLS", waybill.DeliverCode)
	assert.False(t, waybill.InvoiceNumberUploadDate.IsZero())
	assert.Equal(t, coupang.DeliveryStatusCompleteDirection, got.DeliveryStatus)
	assert.True(t, got.Successable)
	assert.True(t, got.DeliveryInvoiceModifiable, "a waybill can still be corrected")

	// A correction replaces the waybill; both uploads are recorded.
	require.NoError(t, c.Exchanges.UploadInvoices(ctx, id, inv(box, "HANJIN", "9876543210")))
	got, _ = srv.Exchange(id)
	require.Len(t, got.DeliveryInvoiceGroups[0].Invoices, 1)
	assert.Equal(t, "HANJIN", got.DeliveryInvoiceGroups[0].Invoices[0].DeliverCode)
	assert.Len(t, srv.Invoices(id), 2)

	// A courier the table does not know is accepted, as the client sends
	// it: Coupang adds couriers without notice.
	require.NoError(t, c.Exchanges.UploadInvoices(ctx, id, inv(box, "NEWCOURIER_2", "X-1")))
	assert.Equal(t, "NEWCOURIER_2", srv.Invoices(id)[2].GoodsDeliveryCode)
	// A malformed code, which the client refuses before sending, is refused
	// here too.
	bad := rawDo(t, srv, http.MethodPost, fmt.Sprintf("/v2/providers/openapi/apis/api/v4/vendors/A00012345/exchangeRequests/%d/invoices", id),
		fmt.Sprintf(`[{"exchangeId":%d,"vendorId":"A00012345","shipmentBoxId":%d,"goodsDeliveryCode":"cj","invoiceNumber":"123456789012"}]`, id, box))
	assert.Contains(t, bad.body, "goodsDeliveryCode (cj) is not a supported courier")
	assert.Len(t, srv.Invoices(id), 3)
	require.NoError(t, c.Exchanges.UploadInvoices(ctx, id, inv(box, "HANJIN", "9876543210")))

	// The upload answer on the wire.
	calls := srv.Calls()
	last := calls[len(calls)-1]
	assert.Equal(t, http.MethodPost, last.Method)
	assert.JSONEq(t, fmt.Sprintf(`[{"exchangeId":%d,"vendorId":"A00012345","shipmentBoxId":%d,"goodsDeliveryCode":"HANJIN","invoiceNumber":"9876543210"}]`, id, box), last.Body)
}

func TestWithdrawnExchangesRefuseEverything(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	c := newClient(t, srv)
	ctx := context.Background()
	id := int64(firstWith(t, srv, rejectableReceipt).ExchangeID)
	require.True(t, srv.Withdraw(id))
	assert.False(t, srv.Withdraw(1))

	ex, _ := srv.Exchange(id)
	assert.Equal(t, coupang.ExchangeStatusCancel, ex.Status)
	assert.Equal(t, "FAIL", apiError(t, c.Exchanges.ConfirmReceipt(ctx, id)).ResultCode)
	assert.Equal(t, "FAIL", apiError(t, c.Exchanges.Reject(ctx, id, coupang.RejectSoldOut)).ResultCode)
	assert.Empty(t, srv.Applied())
}
