package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

// fixtureServer holds four exchanges at fixed times in March 2024, over
// three 7-day windows, with known and unknown codes.
func fixtureServer(t *testing.T) *coupangtest.Server {
	t.Helper()
	srv := coupangtest.NewTestServer(t, coupangtest.WithExchanges(0), coupangtest.WithoutQuirks())
	add := func(id, order int64, created string, st coupang.ExchangeStatus, cs coupang.CollectStatus, reason string, rejectable bool) {
		ex := coupang.ExchangeRequest{
			Status:         st,
			CollectStatus:  cs,
			DeliveryStatus: coupang.DeliveryStatusBeforeDirection,
			FaultType:      coupang.FaultTypeCustomer,
			ReasonCode:     reason,
			ReasonCodeText: "서버가 보낸 사유",
			Rejectable:     rejectable,
			Items:          []coupang.ExchangeItem{{Quantity: 1}},
		}
		ex.ExchangeID = int64(id)
		ex.OrderID = int64(order)
		ex.CreatedAt = kst(created)
		srv.AddExchange(ex)
	}
	add(400000001, 30000000001, "2024-03-01 09:00:00", coupang.ExchangeStatusReceipt, coupang.CollectStatusBeforeDirection, "DIFFERENTOPT", true)
	add(400000002, 30000000002, "2024-03-08 23:59:59", coupang.ExchangeStatusProgress, coupang.CollectStatusCompleteCollect, "DEFECT", false)
	add(400000003, 30000000003, "2024-03-15 12:30:00", coupang.ExchangeStatusReject, coupang.CollectStatus("Collecting"), "NEW_REASON", false)
	add(400000004, 30000000004, "2024-03-20 18:00:00", coupang.ExchangeStatusReceipt, coupang.CollectStatusDelivering, "CHANGEMIND", true)
	add(400000005, 30000000005, "2024-04-02 10:00:00", coupang.ExchangeStatusReceipt, coupang.CollectStatusDelivering, "CHANGEMIND", true)
	return srv
}

func TestListFormats(t *testing.T) {
	srv := fixtureServer(t)
	useServer(t, srv)
	for _, tt := range []struct {
		golden string
		args   []string
	}{
		{"list.table.golden", nil},
		{"list.wide.golden", []string{"--wide"}},
		{"list.csv.golden", []string{"--format", "csv"}},
		{"list.bom.csv.golden", []string{"--format", "csv", "--bom"}},
		{"list.json.golden", []string{"--format", "json"}},
		{"list.receipt.golden", []string{"--status", "receipt"}},
	} {
		t.Run(tt.golden, func(t *testing.T) {
			res := runCLI(t, append([]string{"exchanges", "list", "--from", "2024-03-01", "--to", "2024-03-20"}, tt.args...)...)
			require.Equal(t, exitOK, res.code, res.stderr)
			golden(t, tt.golden, res.stdout)
			assert.NotContains(t, res.stderr, "\r", "no progress line when stderr is not a terminal")
			// All plans its windows from the round trips it measures (7 days,
			// or 56 hours with several in flight), and the summary counts them
			// as sent: 3 to 6 of them, one request each (no window has a
			// second page).
			m := regexp.MustCompile(`(?m)^\d exchange requests created 2024-03-01 00:00:00 – 2024-03-20 23:59:59 \(Korea time\): ([3-6]) windows, ([3-6]) requests\n$`).FindStringSubmatch(res.stderr)
			require.NotNil(t, m, res.stderr)
			assert.Equal(t, m[1], m[2])
		})
	}
}

func TestListCSVForExcel(t *testing.T) {
	srv := fixtureServer(t)
	useServer(t, srv)
	res := runCLI(t, "exchanges", "list", "--from", "2024-03-01", "--to", "2024-03-31", "--format", "csv", "--bom")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.True(t, strings.HasPrefix(res.stdout, "\xEF\xBB\xBFexchange_id,order_id,"), "BOM, then the header")
	assert.Len(t, lines(res.stdout), 5, "a header and four records")

	res = runCLI(t, "exchanges", "list", "--from", "2024-03-01", "--to", "2024-03-31", "--format", "csv")
	assert.True(t, strings.HasPrefix(res.stdout, "exchange_id,"), "no BOM unless asked for")

	// No matches still gives the header, so a spreadsheet has its columns.
	res = runCLI(t, "exchanges", "list", "--from", "2023-01-01", "--to", "2023-01-02", "--format", "csv")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Equal(t, []string{strings.Join(csvHeader, ",")}, lines(res.stdout))
}

func TestListRFC3339AndOrder(t *testing.T) {
	srv := fixtureServer(t)
	useServer(t, srv)
	res := runCLI(t, "exchanges", "list", "--from", "2024-03-08T23:59:59+09:00", "--to", "2024-03-15T03:30:00Z", "--format", "json")
	require.Equal(t, exitOK, res.code, res.stderr)
	got := lines(res.stdout)
	require.Len(t, got, 2)
	assert.Contains(t, got[0], `"exchange_id":400000002`)
	assert.Contains(t, got[1], `"exchange_id":400000003`)

	res = runCLI(t, "exchanges", "list", "--from", "2024-03-01", "--to", "2024-03-31", "--order", "30000000004", "--format", "json")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Len(t, lines(res.stdout), 1)
}

func TestListErrorFromCoupang(t *testing.T) {
	srv := fixtureServer(t)
	useServer(t, srv)
	srv.FailNext(10, 401)
	res := runCLI(t, "exchanges", "list", "--from", "2024-03-01", "--to", "2024-03-20")
	assert.Equal(t, exitFail, res.code)
	got := lines(res.stderr)
	assert.True(t, strings.HasPrefix(got[len(got)-1], "coupang: GET "), got[len(got)-1])
	assert.Empty(t, res.stdout)
}

func TestListOnTheInProcessSandbox(t *testing.T) {
	noEnv(t)
	res := runCLI(t, "exchanges", "list", "--days", "32", "--format", "json")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Contains(t, res.stderr, "no COUPANG_* credentials set: using the in-process sandbox at ")
	assert.Len(t, lines(res.stdout), coupangtest.DefaultExchanges, "the seeded exchanges, all within 30 days")
}

func TestDisplayWidth(t *testing.T) {
	assert.Equal(t, 4, displayWidth("접수"))
	assert.Equal(t, 13, displayWidth("접수 received"))
	assert.Equal(t, 3, displayWidth("abc"))
}
