package coupangtest_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

const vendorRoot = "/v2/providers/openapi/apis/api/%s/vendors/" + coupangtest.DefaultVendorID

func root(ver string) string { return strings.Replace(vendorRoot, "%s", ver, 1) }

func days(from, to time.Time) string {
	return "createdAtFrom=" + from.In(coupang.KoreaLocation()).Format(time.DateOnly) + "&createdAtTo=" + to.In(coupang.KoreaLocation()).Format(time.DateOnly)
}

func TestReturnListRules(t *testing.T) {
	srv := coupangtest.NewTestServer(t, coupangtest.WithExchanges(0))
	now := time.Now()
	path := root("v6") + "/returnRequests?"
	tests := []struct {
		query  string
		status int
		msg    string
	}{
		{days(now.AddDate(0, 0, -7), now) + "&status=UC", 200, ""},
		{days(now.AddDate(0, 0, -7), now) + "&orderId=1", 200, ""},
		{days(now.AddDate(0, 0, -7), now) + "&cancelType=CANCEL", 200, ""},
		{days(now.AddDate(0, 0, -7), now), 400, "OrderId can't be null"},
		{days(now.AddDate(0, 0, -7), now) + "&cancelType=CANCEL&status=UC", 400, "cancelType=CANCEL"},
		{days(now.AddDate(0, 0, -7), now) + "&status=XX", 400, "status (XX) is invalid"},
		{days(now.AddDate(0, 0, -31), now) + "&status=UC", 400, "31 days"},
		{days(now, now.AddDate(0, 0, -1)) + "&status=UC", 400, "before"},
		{"createdAtFrom=2026-03-01T10:00&createdAtTo=2026-03-02&status=UC", 400, "yyyy-MM-dd"},
		{"createdAtTo=2026-03-02&status=UC", 400, "createdAtFrom is required"},
		{days(now, now) + "&status=UC&maxPerPage=51", 400, "maxPerPage"},
		{days(now, now) + "&status=UC&nextToken=forged", 400, "nextToken"},
		{days(now, now) + "&status=UC&searchType=timeFrame", 400, "daily mode"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			resp := rawDo(t, srv, http.MethodGet, path+tt.query, "")
			assert.Equal(t, tt.status, resp.status, resp.body)
			if tt.msg != "" {
				assert.Contains(t, resp.json["message"], tt.msg)
			}
		})
	}
}

// v6 answers carry money objects, times with an offset and international
// phone numbers; v4 plain numbers and Korea times. The client reads both
// into the same values.
func TestReturnVersionsOnTheWire(t *testing.T) {
	srv := coupangtest.NewTestServer(t, coupangtest.WithExchanges(0), coupangtest.WithReturns(0))
	id := srv.AddReturn(coupang.ReturnRequest{ReceiptID: 500000010, RequesterPhoneNumber: "0503-1234-5678", ReturnShippingCharge: coupang.Money{Units: -3000},
		CreatedAt: time.Now().Add(-time.Hour)})
	get := func(ver string) map[string]any {
		resp := rawDo(t, srv, http.MethodGet, root(ver)+"/returnRequests/"+strconv.FormatInt(id, 10), "")
		require.Equal(t, 200, resp.status, resp.body)
		data := resp.json["data"]
		if arr, ok := data.([]any); ok {
			require.Len(t, arr, 1)
			data = arr[0]
		}
		return data.(map[string]any)
	}
	v6 := get("v6")
	assert.Equal(t, map[string]any{"currencyCode": "KRW", "units": float64(-3000), "nanos": float64(0)}, v6["returnShippingCharge"])
	assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+09:00$`, v6["createdAt"])
	assert.Equal(t, "+82503-1234-5678", v6["requesterPhoneNumber"])
	v4 := get("v4")
	assert.Equal(t, float64(-3000), v4["returnShippingCharge"])
	assert.Regexp(t, `^\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d$`, v4["createdAt"])

	c, err := srv.Client()
	require.NoError(t, err)
	a, err := c.Returns.Get(context.Background(), id)
	require.NoError(t, err)
	b, err := c.Returns.Get(context.Background(), id, coupang.WithReturnListVersion("v4"))
	require.NoError(t, err)
	assert.True(t, a.CreatedAt.Equal(b.CreatedAt))
	assert.Equal(t, a.ReturnShippingCharge.Units, b.ReturnShippingCharge.Units)
	assert.Equal(t, "KRW", a.ReturnShippingCharge.Currency)
}

// The same seed gives the same receipts; statuses cover the whole life of
// a return, and the quirks decode.
func TestReturnSeedIsDeterministic(t *testing.T) {
	a := coupangtest.NewTestServer(t, coupangtest.WithExchanges(0))
	b := coupangtest.NewTestServer(t, coupangtest.WithExchanges(0))
	ra, rb := a.Returns(), b.Returns()
	require.Len(t, ra, len(rb))
	statuses := map[coupang.ReturnStatus]bool{}
	for i := range ra {
		assert.Equal(t, ra[i].ReceiptID, rb[i].ReceiptID)
		assert.Equal(t, ra[i].Status, rb[i].Status)
		assert.Equal(t, ra[i].RequesterName, rb[i].RequesterName)
		statuses[ra[i].Status] = true
	}
	for _, st := range []coupang.ReturnStatus{coupang.ReturnStatusReleaseStopUnchecked, coupang.ReturnStatusReturnsUnchecked,
		coupang.ReturnStatusVendorWarehouseConfirm, coupang.ReturnStatusReturnsCompleted, coupang.ReturnStatusRequestCoupangCheck} {
		assert.True(t, statuses[st], "seeded: %s", st)
	}
	assert.NotEmpty(t, a.Withdrawals(), "a withdrawal history")
	other := coupangtest.NewTestServer(t, coupangtest.WithExchanges(0), coupangtest.WithSeed(7))
	assert.NotEqual(t, ra[0].ReceiptID, other.Returns()[0].ReceiptID)
}

// Changes over time: UpdateReturnAt and WithdrawReturnAt apply when the
// clock reaches them.
func TestReturnTimeline(t *testing.T) {
	var offset time.Duration
	clock := func() time.Time { return time.Now().Add(offset) }
	srv := coupangtest.NewTestServer(t, coupangtest.WithExchanges(0), coupangtest.WithReturns(0), coupangtest.WithClock(clock))
	id := srv.AddReturn(coupang.ReturnRequest{})
	at := clock().Add(time.Minute)
	require.True(t, srv.UpdateReturnAt(at, id, func(r *coupang.ReturnRequest) { r.CancelReason = "later" }))
	require.True(t, srv.WithdrawReturnAt(at.Add(time.Minute), id))
	require.False(t, srv.UpdateReturnAt(at, 42, func(*coupang.ReturnRequest) {}))
	r, _ := srv.Return(id)
	assert.Empty(t, r.CancelReason)
	offset = time.Minute
	r, _ = srv.Return(id)
	assert.Equal(t, "later", string(r.CancelReason))
	assert.False(t, srv.ReturnWithdrawn(id))
	offset = 2 * time.Minute
	assert.True(t, srv.ReturnWithdrawn(id))
	assert.Empty(t, srv.Returns())
	w := srv.Withdrawals()
	require.Len(t, w, 1)
	assert.Equal(t, id, w[0].ReceiptID)
	assert.False(t, srv.WithdrawReturn(id), "already withdrawn")
}

func TestReturnWithdrawalHistoryRules(t *testing.T) {
	srv := coupangtest.NewTestServer(t, coupangtest.WithExchanges(0))
	path := root("v4") + "/returnWithdrawRequests?"
	for _, tt := range []struct {
		query  string
		status int
		msg    string
	}{
		{"dateFrom=2026-03-01&dateTo=2026-03-07", 200, ""},
		{"dateTo=2026-03-07", 400, "Required String parameter 'dateFrom' is not present"},
		{"dateFrom=2026-03-01&dateTo=2026-03-08", 400, "최대 조회 기간은 7 일 입니다."},
		{"dateFrom=2026-03-05&dateTo=2026-03-01", 400, "종료일자는 시작일자보다 작거나 같아야 합니다."},
		{"dateFrom=2026-03-01&dateTo=2026-03-02&pageIndex=0", 400, "pageindex"},
		{"dateFrom=2026-03-01&dateTo=2026-03-02&sizePerPage=101", 400, "sizePerPage"},
	} {
		resp := rawDo(t, srv, http.MethodGet, path+tt.query, "")
		assert.Equal(t, tt.status, resp.status, resp.body)
		if tt.msg != "" {
			assert.Contains(t, resp.json["message"], tt.msg)
		}
	}
	resp := rawDo(t, srv, http.MethodPost, root("v4")+"/returnWithdrawList", `{"cancelIds":["1"]}`)
	assert.Equal(t, 400, resp.status, "ids are numbers")
	resp = rawDo(t, srv, http.MethodPost, root("v4")+"/returnWithdrawList", `{"cancelIds":[]}`)
	assert.Equal(t, 400, resp.status)
}

func TestReturnActionBodies(t *testing.T) {
	srv := coupangtest.NewTestServer(t, coupangtest.WithExchanges(0), coupangtest.WithReturns(0))
	id := srv.AddReturn(coupang.ReturnRequest{})
	sid := strconv.FormatInt(id, 10)
	confirm := root("v4") + "/returnRequests/" + sid + "/receiveConfirmation"
	for _, tt := range []struct {
		body string
		msg  string
	}{
		{`{"vendorId":"A00012345","receiptId":"` + sid + `"}`, "must be a number"},
		{`{"vendorId":"A00012345","receiptId":1}`, "does not match the path"},
		{`{"receiptId":` + sid + `}`, "vendorId is required"},
		{`{"vendorId":"A00099999","receiptId":` + sid + `}`, "does not match"},
	} {
		resp := rawDo(t, srv, http.MethodPut, confirm, tt.body)
		assert.Equal(t, 400, resp.status)
		assert.Contains(t, resp.json["message"], tt.msg)
	}
	resp := rawDo(t, srv, http.MethodPost, root("v4")+"/return-exchange-invoices/manual", `{"returnExchangeDeliveryType":"RETURN","receiptId":`+sid+`}`)
	assert.Equal(t, 400, resp.status)
	assert.Equal(t, "Object is null", resp.json["message"])
	assert.Empty(t, srv.Applied())
	resp = rawDo(t, srv, http.MethodPatch, confirm, `{"vendorId":"A00012345","receiptId":`+sid+`}`)
	assert.Equal(t, 200, resp.status, "PATCH is accepted too")
	assert.Equal(t, 1, srv.Count(coupangtest.ActionReturnConfirmReceipt, id))
}

// The fault switches apply to the return endpoints as to the exchange ones.
func TestReturnFaults(t *testing.T) {
	srv := coupangtest.NewTestServer(t, coupangtest.WithExchanges(0), coupangtest.WithReturns(0))
	c, err := srv.Client(coupang.WithMaxRetries(0))
	require.NoError(t, err)
	id := srv.AddReturn(coupang.ReturnRequest{})
	srv.FailNextAfterApplying(1, http.StatusGatewayTimeout)
	err = c.Returns.ConfirmReceipt(context.Background(), id)
	require.ErrorIs(t, err, coupang.ErrOutcomeUnknown)
	assert.Equal(t, 1, srv.Count(coupangtest.ActionReturnConfirmReceipt, id), "applied, then answered 504")
	srv.FailNext(1, http.StatusTooManyRequests)
	_, err = c.Returns.Get(context.Background(), id)
	require.ErrorIs(t, err, coupang.ErrRateLimited)
}
