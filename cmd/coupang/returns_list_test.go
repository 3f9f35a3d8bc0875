package main

import (
	"encoding/csv"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

// The personal data every fixture receipt carries: none of it may reach
// any output.
var returnPII = []string{"홍길동", "010-1234-5678", "+821012345678", "비밀시 비밀구 1", "101동 202호", "04524", "제 말로는 그냥 싫어요", "wingsecret"}

// returnFixture holds five receipts at fixed times in March 2024, over
// three 7-day windows, in several states, one cancellation at
// payment-complete among them, each with personal data.
func returnFixture(t *testing.T) *coupangtest.Server {
	t.Helper()
	srv := coupangtest.NewTestServer(t, coupangtest.WithReturns(0), coupangtest.WithExchanges(0), coupangtest.WithoutQuirks())
	add := func(id, order int64, created string, r coupang.ReturnRequest) {
		r.ReceiptID, r.OrderID, r.CreatedAt = id, order, kst(created)
		r.RequesterName = "홍길동"
		r.RequesterPhoneNumber = "010-1234-5678"
		r.RequesterRealPhoneNumber = "+821012345678"
		r.RequesterAddress = "비밀시 비밀구 1"
		r.RequesterAddressDetail = "101동 202호"
		r.RequesterZipCode = "04524"
		r.CancelReason = "제 말로는 그냥 싫어요"
		r.FaultByType = coupang.FaultTypeCustomer
		r.ReturnDeliveryType = coupang.ReturnDeliveryTypeIntegrated
		if r.ReasonCodeText == "" {
			r.ReasonCodeText = "서버가 보낸 사유"
		}
		srv.AddReturn(r)
	}
	add(500000001, 30000000001, "2024-03-01 09:00:00", coupang.ReturnRequest{
		Status: coupang.ReturnStatusReleaseStopUnchecked, ReasonCode: "CHANGEMIND",
		Items: []coupang.ReturnItem{{VendorItemID: 71, CancelCount: 2, ReleaseStatus: coupang.ReturnReleaseStatusNotShipped, CancelCompleteUser: "wingsecret"}},
	})
	add(500000002, 30000000002, "2024-03-08 23:59:59", coupang.ReturnRequest{
		Status: coupang.ReturnStatusReturnsUnchecked, ReasonCode: "DAMAGED",
		Deliveries: []coupang.ReturnDelivery{{DeliveryCompanyCode: "CJGLS", DeliveryInvoiceNo: "612345678901"}},
	})
	add(500000003, 30000000003, "2024-03-15 12:30:00", coupang.ReturnRequest{
		Status: coupang.ReturnStatusVendorWarehouseConfirm, ReasonCode: "NEW_REASON", CompleteConfirmType: coupang.ReturnCompleteConfirmVendor,
		CompleteConfirmDate: kst("2024-03-16 10:00:00"),
		Deliveries:          []coupang.ReturnDelivery{{DeliveryCompanyCode: "HANJIN", DeliveryInvoiceNo: "512345678901"}},
	})
	add(500000004, 30000000004, "2024-03-20 18:00:00", coupang.ReturnRequest{
		Status: coupang.ReturnStatusReturnsCompleted, ReasonCode: "DEFECT", PreRefund: true, CompleteConfirmType: coupang.ReturnCompleteConfirmVendor,
		CompleteConfirmDate: kst("2024-03-21 08:00:00"),
		Deliveries:          []coupang.ReturnDelivery{{DeliveryCompanyCode: "CJGLS", DeliveryInvoiceNo: "612345678999"}},
	})
	add(500000005, 30000000005, "2024-03-10 10:00:00", coupang.ReturnRequest{
		ReceiptType: coupang.ReturnReceiptTypeCancel, Status: coupang.ReturnStatusReturnsCompleted, ReasonCode: "WRONGOPT",
	})
	return srv
}

func TestReturnsListFormats(t *testing.T) {
	srv := returnFixture(t)
	useServer(t, srv)
	for _, tt := range []struct {
		golden string
		args   []string
	}{
		{"returns.table.golden", nil},
		{"returns.wide.golden", []string{"--wide"}},
		{"returns.csv.golden", []string{"--format", "csv"}},
		{"returns.bom.csv.golden", []string{"--format", "csv", "--bom"}},
		{"returns.json.golden", []string{"--format", "json"}},
		{"returns.uc.golden", []string{"--status", "uc"}},
		{"returns.cancelled.golden", []string{"--cancelled", "--format", "json"}},
	} {
		t.Run(tt.golden, func(t *testing.T) {
			res := runCLI(t, append([]string{"returns", "list", "--from", "2024-03-01", "--to", "2024-03-20"}, tt.args...)...)
			require.Equal(t, exitOK, res.code, res.stderr)
			golden(t, tt.golden, res.stdout)
			for _, pii := range returnPII {
				assert.NotContains(t, res.stdout+res.stderr, pii, "personal data in the output")
			}
			assert.NotContains(t, res.stdout, "612345678901", "no waybill numbers")
			assert.NotContains(t, res.stderr, "\r", "no progress line when stderr is not a terminal")
			m := regexp.MustCompile(`(?m)^\d (return requests|cancelled orders?) created 2024-03-01 00:00:00 – 2024-03-20 23:59:59 \(Korea time\): ([3-6]) windows, (\d+) requests\n$`).FindStringSubmatch(res.stderr)
			require.NotNil(t, m, res.stderr)
		})
	}
}

// The JSON keys and the CSV columns are the same names in the same order,
// and each JSON line parses back into the row.
func TestReturnsListKeysAreStable(t *testing.T) {
	srv := returnFixture(t)
	useServer(t, srv)
	res := runCLI(t, "returns", "list", "--from", "2024-03-01", "--to", "2024-03-31", "--format", "json")
	require.Equal(t, exitOK, res.code, res.stderr)
	got := lines(res.stdout)
	require.Len(t, got, 4, "the four returns; the cancellation is listed with --cancelled")
	dec := json.NewDecoder(strings.NewReader(got[0]))
	tok, err := dec.Token()
	require.NoError(t, err)
	require.Equal(t, json.Delim('{'), tok)
	var keys []string
	for dec.More() {
		k, err := dec.Token()
		require.NoError(t, err)
		keys = append(keys, k.(string))
		var skip json.RawMessage
		require.NoError(t, dec.Decode(&skip))
	}
	assert.Equal(t, returnCSVHeader, keys)
	var r returnRow
	require.NoError(t, json.Unmarshal([]byte(got[0]), &r))
	assert.Equal(t, int64(500000001), r.ReceiptID)
	assert.Equal(t, "2024-03-01T09:00:00+09:00", r.CreatedAt)
	assert.Equal(t, int64(2), r.CancelCount)
	assert.Equal(t, string(coupang.StepStopShipment), r.NextStep)

	res = runCLI(t, "returns", "list", "--from", "2023-01-01", "--to", "2023-01-02", "--format", "csv")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Equal(t, []string{strings.Join(returnCSVHeader, ",")}, lines(res.stdout), "no matches still gives the header")
}

func TestReturnsListByOrder(t *testing.T) {
	srv := returnFixture(t)
	useServer(t, srv)
	res := runCLI(t, "returns", "list", "--from", "2024-03-01", "--to", "2024-03-31", "--order", "30000000003", "--format", "csv")
	require.Equal(t, exitOK, res.code, res.stderr)
	recs, err := csv.NewReader(strings.NewReader(res.stdout)).ReadAll()
	require.NoError(t, err)
	require.Len(t, recs, 2)
	assert.Equal(t, "500000003", recs[1][0])
	assert.Equal(t, string(coupang.StepApprove), recs[1][slices.Index(returnCSVHeader, "next_step")])
}

// The default table of the sandbox's returns fits 100 columns; --wide is
// the wide one.
func TestReturnsNarrowTableFitsHundredColumns(t *testing.T) {
	noEnv(t)
	res := runCLI(t, "returns", "list", "--days", "31")
	require.Equal(t, exitOK, res.code, res.stderr)
	rows := lines(res.stdout)
	require.Greater(t, len(rows), 2+coupangtest.DefaultReturns/2, "the seeded returns")
	for _, l := range rows {
		assert.LessOrEqual(t, eastAsianWidth(l), 100, "%q", l)
	}
	assert.Contains(t, rows[0], "NEXT")
	assert.Contains(t, res.stderr, "no COUPANG_* credentials set: using the in-process sandbox at ")

	res = runCLI(t, "returns", "list", "--days", "31", "--wide")
	require.Equal(t, exitOK, res.code, res.stderr)
	widest := 0
	for _, l := range lines(res.stdout) {
		widest = max(widest, eastAsianWidth(l))
	}
	assert.Greater(t, widest, 150, "--wide is the wide table")
}

func TestReturnsListErrorFromCoupang(t *testing.T) {
	srv := returnFixture(t)
	useServer(t, srv)
	srv.FailNext(10, 401)
	res := runCLI(t, "returns", "list", "--from", "2024-03-01", "--to", "2024-03-20")
	assert.Equal(t, exitFail, res.code)
	got := lines(res.stderr)
	assert.True(t, strings.HasPrefix(got[len(got)-1], "coupang: GET "), got[len(got)-1])
	assert.Empty(t, res.stdout)
}
