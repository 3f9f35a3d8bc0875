package main

import (
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
	"github.com/go-coupang/coupang/internal/termsafe"
	"github.com/go-coupang/coupang/internal/termsafe/termsafetest"
)

// A receipt's text (codes outside the tables, the server's reason text)
// reaches the table, CSV, JSON, watch's lines and the write commands'
// messages shown escaped.
func TestReturnTextEscapedInEveryFormat(t *testing.T) {
	for _, h := range termsafetest.All {
		t.Run(h.Name, func(t *testing.T) {
			in, want := asSent(h.In), termsafe.String(asSent(h.In))
			srv := coupangtest.NewTestServer(t, coupangtest.WithReturns(0), coupangtest.WithExchanges(0), coupangtest.WithoutQuirks())
			srv.AddReturn(coupang.ReturnRequest{
				ReceiptID: 500000011, OrderID: 30000000011, CreatedAt: time.Now().Add(-time.Hour),
				Status:             coupang.ReturnStatus("S" + in),
				ReleaseStopStatus:  coupang.ReturnReleaseStopStatus("P" + in),
				ReturnDeliveryType: coupang.ReturnDeliveryType("D" + in),
				FaultByType:        coupang.FaultType("F" + in),
				ReasonCode:         "R" + in,
				ReasonCodeText:     "T" + in,
			})
			// Watch sweeps the four status filters, which list known
			// statuses only: this one carries its hostile text elsewhere.
			srv.AddReturn(coupang.ReturnRequest{
				ReceiptID: 500000013, OrderID: 30000000013, CreatedAt: time.Now().Add(-time.Hour),
				Status:            coupang.ReturnStatusReturnsUnchecked,
				ReleaseStopStatus: coupang.ReturnReleaseStopStatus("P" + in),
				ReasonCode:        "R" + in,
				ReasonCodeText:    "T" + in,
			})
			useServer(t, srv)
			for _, args := range [][]string{
				{"returns", "list", "--days", "2", "--order", "30000000011"},
				{"returns", "list", "--days", "2", "--order", "30000000011", "--wide"},
				{"returns", "list", "--days", "2", "--order", "30000000011", "--format", "csv"},
				{"returns", "list", "--days", "2", "--order", "30000000011", "--format", "json"},
				{"returns", "watch", "--once", "--all", "--days", "2"},
				{"returns", "watch", "--once", "--all", "--days", "2", "--format", "json"},
				{"returns", "confirm", "--id", "500000011", "--dry-run"},
				{"returns", "approve", "--id", "500000011"},
			} {
				res := runCLI(t, args...)
				out := res.stdout + res.stderr
				assert.Empty(t, termsafetest.Live(out, '\n'), "%v: %q", args, out)
				switch {
				case args[1] == "watch" && args[len(args)-1] == "json":
					require.Equal(t, exitOK, res.code, "%v: %s", args, res.stderr)
					var r returnChangeLine
					require.NoError(t, json.Unmarshal([]byte(lines(res.stdout)[0]), &r), "%v", args)
					assert.Equal(t, int64(500000013), r.ReceiptID)
					assert.Equal(t, "T"+want, r.ReasonKo, "%v", args)
					assert.Equal(t, "P"+want, r.ReleaseStopStatus, "%v", args)
				case args[1] == "watch":
					require.Equal(t, exitOK, res.code, "%v: %s", args, res.stderr)
					assert.Contains(t, out, "P"+want, "%v: the code, escaped", args)
				case args[len(args)-1] == "json":
					var r returnRow
					require.NoError(t, json.Unmarshal([]byte(lines(res.stdout)[0]), &r), "%v", args)
					assert.Equal(t, "S"+want, r.Status, "%v", args)
					assert.Equal(t, "T"+want, r.ReasonKo, "%v", args)
					assert.Equal(t, "P"+want, r.ReleaseStopStatus, "%v", args)
				case args[1] == "list":
					require.Equal(t, exitOK, res.code, "%v: %s", args, res.stderr)
					assert.Contains(t, out, "S"+want, "%v: the code, escaped", args)
				default:
					assert.Equal(t, exitFail, res.code, "%v: an unknown status allows nothing", args)
					assert.Contains(t, out, "S"+want, "%v: the code, escaped", args)
				}
			}
			assert.Empty(t, srv.Applied())
		})
	}
}

// A cell that a spreadsheet would run as a formula is neutralised in the
// returns CSV too.
func TestReturnsCSVNeutralisesFormulas(t *testing.T) {
	srv := coupangtest.NewTestServer(t, coupangtest.WithReturns(0), coupangtest.WithoutQuirks())
	srv.AddReturn(coupang.ReturnRequest{
		ReceiptID: 500000012, OrderID: 30000000012, CreatedAt: kst("2024-03-02 09:00:00"),
		Status:             coupang.ReturnStatus("=HYPERLINK(\"http://evil.example\",\"x\")"),
		ReleaseStopStatus:  coupang.ReturnReleaseStopStatus("+SUM(1,1)"),
		ReturnDeliveryType: coupang.ReturnDeliveryType("-2+3"),
		FaultByType:        coupang.FaultType("@cmd"),
		ReasonCode:         " =1+1",
		ReasonCodeText:     "=cmd|' /C calc'!A0",
	})
	useServer(t, srv)
	res := runCLI(t, "returns", "list", "--from", "2024-03-01", "--to", "2024-03-03", "--order", "30000000012", "--format", "csv")
	require.Equal(t, exitOK, res.code, res.stderr)
	recs, err := csv.NewReader(strings.NewReader(res.stdout)).ReadAll()
	require.NoError(t, err)
	require.Len(t, recs, 2)
	for i, cell := range recs[1] {
		if cell == "" {
			continue
		}
		assert.NotContains(t, "=+-@\t\r ", cell[:1], "column %s: %q would be a formula in Excel", returnCSVHeader[i], cell)
	}
	assert.Contains(t, res.stdout, "'=HYPERLINK(", "the value is kept, behind a quote")
}
