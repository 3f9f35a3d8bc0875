package main

import (
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

// asSent is s as it reaches the client in a JSON body, which carries no
// bytes that are not UTF-8.
func asSent(s string) string { return strings.ToValidUTF8(s, "\ufffd") }

// hostileBody is an error answer whose message and transactionId are s.
func hostileBody(t *testing.T, s string) string {
	t.Helper()
	b, err := json.Marshal(map[string]string{"code": "ERROR", "message": "bad " + s, "transactionId": "tx" + s})
	require.NoError(t, err)
	return string(b)
}

// Coupang's message and transactionId reach the one-line error of every
// command shown escaped (issue 17, item 6).
func TestErrorLineEscapesServerText(t *testing.T) {
	for _, h := range termsafetest.All {
		t.Run(h.Name, func(t *testing.T) {
			useFake(t, &fakeCoupang{status: 400, body: hostileBody(t, h.In)})
			res := runCLI(t, "exchanges", "list", "--days", "1")
			require.Equal(t, exitFail, res.code, res.stderr)
			assert.Empty(t, termsafetest.Live(res.stderr, '\n'), "%q", res.stderr)
			assert.Contains(t, res.stderr, termsafe.Line("bad "+asSent(h.In)))
			assert.Contains(t, res.stderr, termsafe.Line("tx"+asSent(h.In)))
		})
	}
}

// doctor quotes Coupang's message, its transactionId and the Date of its
// answer in the detail, the cause and the JSON report: each shown escaped.
func TestDoctorEscapesServerText(t *testing.T) {
	for _, h := range termsafetest.All {
		for _, format := range []string{"text", "json"} {
			t.Run(h.Name+"/"+format, func(t *testing.T) {
				// 403 with an unknown message: the finding quotes it. The
				// Date header is quoted too; HTTP carries no ASCII
				// controls in a header.
				f := &fakeCoupang{status: 403, body: hostileBody(t, h.In)}
				if !strings.ContainsFunc(h.In, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
					f.header = map[string]string{"Date": "Mon, 02 Jan 2006 15:04:05 GMT" + h.In}
				}
				useFake(t, f)
				args := []string{"doctor"}
				if format == "json" {
					args = append(args, "--json")
				}
				res := runCLI(t, args...)
				require.Equal(t, exitFail, res.code, res.stderr)
				assert.Empty(t, termsafetest.Live(res.stdout, '\n'), "%q", res.stdout)
				if format == "text" {
					assert.Contains(t, res.stdout, "Coupang refused the call: "+termsafe.Line("bad "+asSent(h.In)))
					assert.Contains(t, res.stdout, "[transactionId "+termsafe.Line("tx"+asSent(h.In))+"]")
					return
				}
				var rep doctorReport
				require.NoError(t, json.Unmarshal([]byte(res.stdout), &rep))
				call := rep.Checks[len(rep.Checks)-1]
				assert.Equal(t, termsafe.Line("bad "+asSent(h.In)), call.Message)
				assert.Equal(t, termsafe.Line("tx"+asSent(h.In)), call.TransactionID)
				for _, c := range rep.Checks {
					assert.Empty(t, termsafetest.Live(c.Detail+c.Message+c.TransactionID), "%+v", c)
					if c.Finding != nil {
						assert.Empty(t, termsafetest.Live(c.Finding.CauseEn+c.Finding.CauseKo+c.Finding.FixEn+c.Finding.FixKo+c.Finding.Problem))
					}
				}
			})
		}
	}
}

// A record's text (codes outside the tables, the server's reason text)
// reaches the table, CSV, JSON and watch's lines shown escaped.
func TestRecordTextEscapedInEveryFormat(t *testing.T) {
	for _, h := range termsafetest.All {
		t.Run(h.Name, func(t *testing.T) {
			in, want := asSent(h.In), termsafe.String(asSent(h.In))
			srv := coupangtest.NewTestServer(t, coupangtest.WithExchanges(0), coupangtest.WithoutQuirks())
			ex := coupang.ExchangeRequest{
				Status:         coupang.ExchangeStatus("S" + in),
				CollectStatus:  coupang.CollectStatus("C" + in),
				DeliveryStatus: coupang.DeliveryStatus("D" + in),
				FaultType:      coupang.FaultType("F" + in),
				ReasonCode:     "R" + in,
				ReasonCodeText: "T" + in,
				Items:          []coupang.ExchangeItem{{Quantity: 1}},
			}
			ex.ExchangeID = 400000011
			ex.OrderID = 30000000011
			ex.CreatedAt = time.Now().Add(-time.Hour)
			srv.AddExchange(ex)
			useServer(t, srv)
			for _, args := range [][]string{
				{"exchanges", "list", "--days", "2"},
				{"exchanges", "list", "--days", "2", "--wide"},
				{"exchanges", "list", "--days", "2", "--format", "csv"},
				{"exchanges", "list", "--days", "2", "--format", "json"},
				{"exchanges", "watch", "--once", "--all", "--days", "2"},
				{"exchanges", "watch", "--once", "--all", "--days", "2", "--format", "json"},
				{"exchanges", "confirm", "--id", "400000011", "--dry-run"},
			} {
				res := runCLI(t, args...)
				out := res.stdout + res.stderr
				assert.Empty(t, termsafetest.Live(out, '\n'), "%v: %q", args, out)
				switch {
				case args[len(args)-1] == "json":
					var r row
					require.NoError(t, json.Unmarshal([]byte(lines(res.stdout)[0]), &r), "%v", args)
					assert.Equal(t, "S"+want, r.Status, "%v", args)
					assert.Equal(t, "T"+want, r.ReasonKo, "%v", args)
				default:
					assert.Contains(t, out, "S"+want, "%v: the code, escaped", args)
				}
			}
		})
	}
}
