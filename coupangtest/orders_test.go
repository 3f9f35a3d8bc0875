package coupangtest_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

const (
	ordersV4   = "/v2/providers/openapi/apis/api/v4/vendors/" + coupangtest.DefaultVendorID
	ordersV5   = "/v2/providers/openapi/apis/api/v5/vendors/" + coupangtest.DefaultVendorID + "/ordersheets"
	invoicesAt = ordersV4 + "/orders/invoices"
)

type sheet struct {
	ShipmentBoxID int64         `json:"shipmentBoxId"`
	OrderID       int64         `json:"orderId"`
	OrderedAt     coupang.Time  `json:"orderedAt"`
	Status        string        `json:"status"`
	ShippingPrice coupang.Money `json:"shippingPrice"`
	OrderItems    []struct {
		VendorItemID  int64         `json:"vendorItemId"`
		ShippingCount int           `json:"shippingCount"`
		SalesPrice    coupang.Money `json:"salesPrice"`
	} `json:"orderItems"`
	InvoiceNumber string `json:"invoiceNumber"`
}

func dayQuery(from, to time.Time, status string, v5 bool) url.Values {
	suffix := ""
	if v5 {
		suffix = "+09:00"
	}
	kst := coupang.KoreaLocation()
	return url.Values{
		"createdAtFrom": {from.In(kst).Format("2006-01-02") + suffix},
		"createdAtTo":   {to.In(kst).Format("2006-01-02") + suffix},
		"status":        {status},
	}
}

func TestOrderSheetsByDay(t *testing.T) {
	srv := coupangtest.NewTestServer(t, coupangtest.WithOrderSheets(0))
	c, err := srv.Client()
	require.NoError(t, err)
	now := time.Now()
	var want []int64
	for i := range 5 {
		want = append(want, srv.AddOrderSheet(coupangtest.OrderSheet{
			VendorItemID: 3000000100 + int64(i), SalesPrice: 19000, ShippingPrice: 2500, Quantity: 2,
			OrderedAt: now.Add(-time.Duration(5-i) * time.Minute),
		}))
	}
	srv.AddOrderSheet(coupangtest.OrderSheet{Status: coupangtest.OrderStatusAccept, OrderedAt: now})
	srv.AddOrderSheet(coupangtest.OrderSheet{OrderedAt: now.AddDate(0, 0, -40)})

	for _, v5 := range []bool{true, false} {
		t.Run("v5="+strconv.FormatBool(v5), func(t *testing.T) {
			before := len(srv.Calls())
			path := ordersV5
			if !v5 {
				path = ordersV4 + "/ordersheets"
			}
			q := dayQuery(now.AddDate(0, 0, -1), now, coupangtest.OrderStatusInstruct, v5)
			q.Set("maxPerPage", "2")
			var got []int64
			for o, err := range coupang.DoAll[sheet](context.Background(), c, path, q) {
				require.NoError(t, err)
				got = append(got, o.ShipmentBoxID)
				assert.Equal(t, coupangtest.OrderStatusInstruct, o.Status)
				require.Len(t, o.OrderItems, 1)
				assert.Equal(t, 2, o.OrderItems[0].ShippingCount)
				assert.False(t, o.OrderedAt.IsZero())
				if v5 {
					assert.Equal(t, coupang.Money{Currency: "KRW", Units: 19000}, o.OrderItems[0].SalesPrice)
					assert.Equal(t, coupang.Money{Currency: "KRW", Units: 2500}, o.ShippingPrice)
				} else {
					assert.Equal(t, coupang.Money{Units: 19000}, o.OrderItems[0].SalesPrice)
				}
			}
			assert.Equal(t, want, got, "oldest first, across three pages of two")
			assert.Len(t, srv.Calls()[before:], 3)
		})
	}

	t.Run("status required", func(t *testing.T) {
		q := dayQuery(now, now, "", true)
		_, err := c.Do(context.Background(), http.MethodGet, ordersV5, q, nil, nil)
		var apiErr *coupang.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, 400, apiErr.StatusCode)
	})
	t.Run("at most 31 days", func(t *testing.T) {
		q := dayQuery(now.AddDate(0, 0, -32), now, coupangtest.OrderStatusInstruct, true)
		_, err := c.Do(context.Background(), http.MethodGet, ordersV5, q, nil, nil)
		var apiErr *coupang.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, 400, apiErr.StatusCode)
	})
}

func TestOrderInvoicesPartialFailure(t *testing.T) {
	srv := coupangtest.NewTestServer(t, coupangtest.WithOrderSheets(0))
	c, err := srv.Client()
	require.NoError(t, err)
	ready := srv.AddOrderSheet(coupangtest.OrderSheet{OrderID: 806, VendorItemID: 22063200})
	paid := srv.AddOrderSheet(coupangtest.OrderSheet{OrderID: 807, VendorItemID: 22063201, Status: coupangtest.OrderStatusAccept})
	dto := func(box, order, item int64, invoice string) map[string]any {
		return map[string]any{"shipmentBoxId": box, "orderId": order, "vendorItemId": item, "deliveryCompanyCode": "CJGLS",
			"invoiceNumber": invoice, "splitShipping": false, "preSplitShipped": false, "estimatedShippingDate": ""}
	}
	body := map[string]any{"vendorId": srv.VendorID, "orderSheetInvoiceApplyDtos": []map[string]any{
		dto(ready, 806, 22063200, "340010913442"),
		dto(paid, 807, 22063201, "340010913443"),
		dto(1, 808, 1, "340010913444"),
	}}
	_, err = c.Do(context.Background(), http.MethodPost, invoicesAt, nil, body, nil)
	var be *coupang.BatchError
	require.ErrorAs(t, err, &be)
	assert.True(t, errors.Is(err, coupang.ErrBusinessFailure))
	assert.Equal(t, "1", be.ResponseCode)
	require.Len(t, be.Succeeded, 1)
	assert.Equal(t, ready, be.Succeeded[0].ID)
	require.Len(t, be.Failed, 2)
	assert.Equal(t, paid, be.Failed[0].ID)
	assert.Equal(t, "INVALID_STATUS", be.Failed[0].Code)
	assert.Equal(t, "NOT_FOUND_SHIPMENT_BOX", be.Failed[1].Code)

	o, ok := srv.OrderSheet(ready)
	require.True(t, ok)
	assert.Equal(t, coupangtest.OrderStatusDeparture, o.Status)
	assert.Equal(t, "340010913442", o.InvoiceNumber)
	o, _ = srv.OrderSheet(paid)
	assert.Equal(t, coupangtest.OrderStatusAccept, o.Status, "a failed item is not applied")

	// The same waybill again: the box is no longer INSTRUCT; every item failed.
	body["orderSheetInvoiceApplyDtos"] = []map[string]any{dto(ready, 806, 22063200, "340010913442")}
	_, err = c.Do(context.Background(), http.MethodPost, invoicesAt, nil, body, nil)
	require.ErrorAs(t, err, &be)
	assert.Equal(t, "99", be.ResponseCode)

	// All succeeded: no error.
	next := srv.AddOrderSheet(coupangtest.OrderSheet{OrderID: 900, VendorItemID: 9})
	body["orderSheetInvoiceApplyDtos"] = []map[string]any{dto(next, 900, 9, "12345678")}
	_, err = c.Do(context.Background(), http.MethodPost, invoicesAt, nil, body, nil)
	require.NoError(t, err)
}

func TestInquiryReply(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	c, err := srv.Client()
	require.NoError(t, err)
	ids := srv.Inquiries()
	require.Len(t, ids, 3, "seeded")
	path := ordersV4 + "/onlineInquiries/" + strconv.FormatInt(ids[0], 10) + "/replies"
	out := "untouched"
	resp, err := c.Do(context.Background(), http.MethodPost, path, nil,
		map[string]string{"content": "안녕하세요\n19일 입고 예정입니다.", "vendorId": srv.VendorID, "replyBy": "wingid"}, &out)
	require.NoError(t, err)
	assert.Equal(t, "200", resp.Code)
	assert.Equal(t, "untouched", out, "no data")
	assert.Equal(t, []string{"안녕하세요\n19일 입고 예정입니다."}, srv.InquiryReplies(ids[0]))

	for name, body := range map[string]map[string]string{
		"no content":     {"content": " ", "vendorId": srv.VendorID},
		"another vendor": {"content": "x", "vendorId": "A00099999"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := c.Do(context.Background(), http.MethodPost, path, nil, body, nil)
			var apiErr *coupang.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, 400, apiErr.StatusCode)
		})
	}
	_, err = c.Do(context.Background(), http.MethodPost, ordersV4+"/onlineInquiries/1/replies", nil,
		map[string]string{"content": "x", "vendorId": srv.VendorID}, nil)
	require.Error(t, err, "no such inquiry")
	assert.Len(t, srv.InquiryReplies(ids[0]), 1)
}

func TestOrderSheetsSeeded(t *testing.T) {
	a := coupangtest.NewTestServer(t)
	b := coupangtest.NewTestServer(t)
	sa, sb := a.OrderSheets(), b.OrderSheets()
	require.Len(t, sa, coupangtest.DefaultOrderSheets)
	for i := range sa {
		assert.Equal(t, sa[i].ShipmentBoxID, sb[i].ShipmentBoxID, "the same seed, the same ids")
		assert.Equal(t, sa[i].Status, sb[i].Status)
	}
}
