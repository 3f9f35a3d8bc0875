package main

import (
	"encoding/csv"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

// Text Coupang sends (codes outside the tables, the server's reason text)
// reaches the CSV as it came; a cell starting with = + - @ (or a tab or
// carriage return) is a formula to Excel, so it must be neutralised.
func TestListCSVNeutralisesFormulas(t *testing.T) {
	srv := coupangtest.NewTestServer(t, coupangtest.WithExchanges(0), coupangtest.WithoutQuirks())
	ex := coupang.ExchangeRequest{
		Status:         coupang.ExchangeStatus("=HYPERLINK(\"http://evil.example\",\"x\")"),
		CollectStatus:  coupang.CollectStatus("+SUM(1,1)"),
		DeliveryStatus: coupang.DeliveryStatus("-2+3"),
		FaultType:      coupang.FaultType("@cmd"),
		ReasonCode:     "\t=1+1",
		ReasonCodeText: "=cmd|' /C calc'!A0",
		Items:          []coupang.ExchangeItem{{Quantity: 1}},
	}
	ex.ExchangeID = 400000009
	ex.OrderID = 30000000009
	ex.CreatedAt = kst("2024-03-02 09:00:00")
	srv.AddExchange(ex)
	useServer(t, srv)

	res := runCLI(t, "exchanges", "list", "--from", "2024-03-01", "--to", "2024-03-03", "--format", "csv")
	require.Equal(t, exitOK, res.code, res.stderr)
	recs, err := csv.NewReader(strings.NewReader(res.stdout)).ReadAll()
	require.NoError(t, err)
	require.Len(t, recs, 2)
	for i, cell := range recs[1] {
		if cell == "" {
			continue
		}
		assert.NotContains(t, "=+-@\t\r", cell[:1], "column %s: %q would be a formula in Excel", csvHeader[i], cell)
	}
	assert.Contains(t, res.stdout, "'=HYPERLINK(", "the value is kept, behind a quote")
}

// Control characters in Coupang's text (an escape sequence in an unknown
// code) must not reach a terminal through the table or watch's text lines.
func TestTableAndWatchDropControlCharacters(t *testing.T) {
	srv := coupangtest.NewTestServer(t, coupangtest.WithExchanges(0), coupangtest.WithoutQuirks())
	ex := coupang.ExchangeRequest{
		Status:        coupang.ExchangeStatus("NEW\x1b]0;pwned\x07\x1b[2J"),
		CollectStatus: coupang.CollectStatus("Odd\r\nLine"),
		ReasonCode:    "R\x1b[31m",
		Items:         []coupang.ExchangeItem{{Quantity: 1}},
	}
	ex.ExchangeID = 400000010
	ex.OrderID = 30000000010
	ex.CreatedAt = kst("2024-03-02 09:00:00")
	srv.AddExchange(ex)
	useServer(t, srv)

	res := runCLI(t, "exchanges", "list", "--from", "2024-03-01", "--to", "2024-03-03")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.NotContains(t, res.stdout, "\x1b")
	assert.NotContains(t, res.stdout, "\r")
	assert.Len(t, lines(res.stdout), 3, "two header lines and one row: %q", res.stdout)

	srv.UpdateExchange(ex.ExchangeID, func(e *coupang.ExchangeRequest) { e.CreatedAt = time.Now().Add(-time.Hour) })
	res = runCLI(t, "exchanges", "watch", "--once", "--all")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.NotContains(t, res.stdout, "\x1b")
	assert.Len(t, lines(res.stdout), 1, "%q", res.stdout)
}

// White space before = + - @ does not stop a spreadsheet from running the
// cell as a formula (issue 17, item 6): such cells are neutralised too.
func TestListCSVNeutralisesFormulasBehindWhiteSpace(t *testing.T) {
	for _, reason := range []string{" =1+1", "  +SUM(1,1)", "\n=1+1", "\r\n-2+3", "\t@cmd", "\u00a0=1", "\u3000=1", "＝1+1"} {
		t.Run(reason, func(t *testing.T) {
			srv := coupangtest.NewTestServer(t, coupangtest.WithExchanges(0), coupangtest.WithoutQuirks())
			ex := coupang.ExchangeRequest{
				Status:         coupang.ExchangeStatusReceipt,
				ReasonCode:     reason,
				ReasonCodeText: reason,
				Items:          []coupang.ExchangeItem{{Quantity: 1}},
			}
			ex.ExchangeID = 400000012
			ex.OrderID = 30000000012
			ex.CreatedAt = kst("2024-03-02 09:00:00")
			srv.AddExchange(ex)
			useServer(t, srv)
			res := runCLI(t, "exchanges", "list", "--from", "2024-03-01", "--to", "2024-03-03", "--format", "csv")
			require.Equal(t, exitOK, res.code, res.stderr)
			recs, err := csv.NewReader(strings.NewReader(res.stdout)).ReadAll()
			require.NoError(t, err)
			require.Len(t, recs, 2)
			assert.Equal(t, "", recs[1][slices.Index(csvHeader, "reason_en")], "an unknown code has no English label")
			for i, name := range csvHeader {
				if strings.HasPrefix(name, "reason_") && name != "reason_en" {
					assert.True(t, strings.HasPrefix(recs[1][i], "'"), "%s: %q", name, recs[1][i])
				}
			}
		})
	}
}
