package main

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
	"github.com/go-coupang/coupang/examples/internal/clitest"
	"github.com/go-coupang/coupang/internal/termsafe"
	"github.com/go-coupang/coupang/internal/termsafe/termsafetest"
)

func daysAgo(n int) string {
	return time.Now().In(coupang.KoreaLocation()).AddDate(0, 0, -n).Format("2006-01-02")
}

func TestSandboxWhenNoCredentials(t *testing.T) {
	clitest.NoEnv(t)
	res := clitest.Run(t, run)
	require.Equal(t, 0, res.Code, res.Stderr)
	assert.Regexp(t, `^no COUPANG_\* credentials set: using the in-process sandbox at http://127\.0\.0\.1:\d+\n$`, res.Stderr)
	lines := clitest.Lines(res.Stdout)
	require.GreaterOrEqual(t, len(lines), 2)
	assert.Regexp(t, `^EXCHANGE ID +ORDER ID +STATUS +PICKUP +CREATED AT \(KST\) +NEXT +REASON +REASON \(KO\)$`, lines[0])
	assert.Regexp(t, `^\d+ exchange requests created \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d \(Korea time\)$`, lines[len(lines)-1])
	assert.Contains(t, lines[len(lines)-1], "created "+daysAgo(6)+" to "+daysAgo(0))
}

func TestTableAgainstAServer(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	clitest.UseServer(t, srv)
	res := clitest.Run(t, run, "-status", "receipt", "-from", daysAgo(29))
	require.Equal(t, 0, res.Code, res.Stderr)
	assert.Equal(t, fmt.Sprintf("using vendor %s at %s (a sandbox on this machine, with its default keys, from the COUPANG_* environment variables)\n", srv.VendorID, srv.URL), res.Stderr)

	var want []coupang.ExchangeRequest
	for _, ex := range srv.Exchanges() {
		if ex.Status == coupang.ExchangeStatusReceipt {
			want = append(want, ex)
		}
	}
	lines := clitest.Lines(res.Stdout)
	require.Len(t, lines, len(want)+2, res.Stdout)
	assert.Equal(t, fmt.Sprintf("%d RECEIPT exchange requests created %s to %s (Korea time)", len(want), daysAgo(29), daysAgo(0)), lines[len(lines)-1])
	row := regexp.MustCompile(`^(\d+) +(\d+) +RECEIPT +(\S+) +(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) +(\S+) +(.+?) {2,}(\S.*)$`)
	for i, ex := range want {
		m := row.FindStringSubmatch(lines[i+1])
		require.NotNil(t, m, "row %q", lines[i+1])
		assert.Equal(t, fmt.Sprint(ex.ExchangeID), m[1])
		assert.Equal(t, fmt.Sprint(ex.OrderID), m[2])
		assert.Equal(t, string(ex.CollectStatus), m[3])
		assert.Equal(t, ex.CreatedAt.Format("2006-01-02 15:04:05"), m[4])
		assert.Equal(t, string(ex.Actions().Next), m[5], "the next step, from the SDK's rule")
		if r, ok := coupang.LookupReason(ex.ReasonCode); ok {
			assert.Equal(t, r.English, m[6])
			assert.Equal(t, r.Korean, m[7])
		} else {
			assert.Equal(t, "-", m[6], "an unknown code has no English label, not the code repeated")
			assert.Equal(t, ex.ReasonCodeText, m[7])
		}
	}

	// The table holds no personal data.
	for _, ex := range srv.Exchanges() {
		for _, pii := range []string{string(ex.Address.ReturnCustomerName), string(ex.Address.ReturnMobile), string(ex.Address.ReturnAddress), string(ex.ReasonEtcDetail)} {
			if pii != "" {
				assert.NotContains(t, res.Stdout, pii)
			}
		}
	}
}

func TestJSONLines(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	clitest.UseServer(t, srv)
	res := clitest.Run(t, run, "-json", "-from", daysAgo(30), "-to", daysAgo(0))
	require.Equal(t, 0, res.Code, res.Stderr)
	lines := strings.Split(strings.TrimSuffix(res.Stdout, "\n"), "\n")
	require.Len(t, lines, coupangtest.DefaultExchanges, "every exchange of the last 31 days, one per line")
	for i, line := range lines {
		// Coupang's form (MarshalExchange), not encoding/json's: an empty
		// time is null, not year 1, and times are Korea time as Coupang
		// writes them.
		assert.NotContains(t, line, "0001-01-01", "line %d", i)
		assert.Regexp(t, `"createdAt":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d"`, line)
		var ex coupang.ExchangeRequest
		require.NoError(t, coupang.UnmarshalExchange([]byte(line), &ex), "line %d", i)
		again, err := coupang.MarshalExchange(ex)
		require.NoError(t, err)
		assert.JSONEq(t, line, string(again), "the record whole, as MarshalExchange writes it")
		stored, ok := srv.Exchange(ex.ExchangeID)
		require.True(t, ok)
		assert.Equal(t, stored.Status, ex.Status)
		assert.True(t, stored.CreatedAt.Equal(ex.CreatedAt))
		assert.Equal(t, stored.Items[0].OriginalShipmentBoxID, ex.Items[0].OriginalShipmentBoxID, "18-digit ids survive")
	}
}

func TestBadInvocations(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	tests := []struct {
		name string
		env  func(t testing.TB)
		args []string
		code int
		msg  string
	}{
		{"unknown flag", clitest.NoEnv, []string{"-bogus"}, 2, "flag provided but not defined: -bogus"},
		{"bad date", clitest.NoEnv, []string{"-from", "2026-13-01"}, 2, `-from "2026-13-01": want a date as YYYY-MM-DD`},
		{"date with time", clitest.NoEnv, []string{"-to", "2026-03-01T00:00:00"}, 2, "want a date as YYYY-MM-DD"},
		{"to before from", clitest.NoEnv, []string{"-from", "2026-03-05", "-to", "2026-03-01"}, 2, "-to 2026-03-01 is before -from 2026-03-05"},
		{"from in the future", clitest.NoEnv, []string{"-from", daysAgo(-3)}, 2, "is in the future"},
		{"unknown status", clitest.NoEnv, []string{"-status", "DONE"}, 2, `-status "DONE"`},
		{"extra argument", clitest.NoEnv, []string{"RECEIPT"}, 2, `unexpected argument "RECEIPT"`},
		{"some credentials only", func(t testing.TB) {
			clitest.NoEnv(t)
			t.Setenv(coupang.EnvAccessKey, "x")
		}, nil, 2, "COUPANG_ACCESS_KEY set but COUPANG_SECRET_KEY, COUPANG_VENDOR_ID not"},
		{"base URL only, not on this machine", func(t testing.TB) {
			clitest.NoEnv(t)
			t.Setenv(coupang.EnvBaseURL, "https://proxy.example.com")
		}, nil, 2, "COUPANG_BASE_URL set but"},
		{"bad vendor id", func(t testing.TB) {
			clitest.UseServer(t, srv)
			t.Setenv(coupang.EnvVendorID, "12345")
		}, nil, 2, "COUPANG_VENDOR_ID: must be a letter A or C"},
		{"wrong secret", func(t testing.TB) {
			clitest.UseServer(t, srv)
			t.Setenv(coupang.EnvSecretKey, "wrong")
		}, nil, 1, "401 Unauthorized: Invalid signature."},
		{"plain http to a remote host", func(t testing.TB) {
			clitest.UseServer(t, srv)
			t.Setenv(coupang.EnvBaseURL, "http://example.com")
		}, nil, 2, "plain http is allowed only to a loopback host"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.env(t)
			res := clitest.Run(t, run, tt.args...)
			assert.Equal(t, tt.code, res.Code)
			assert.Empty(t, res.Stdout)
			lines := clitest.Lines(res.Stderr)
			require.NotEmpty(t, lines)
			last := lines[len(lines)-1]
			assert.True(t, strings.HasPrefix(last, "list-exchanges: "), last)
			assert.Contains(t, last, tt.msg)
			assert.NotContains(t, res.Stderr, srv.SecretKey)
		})
	}
}

func TestHelp(t *testing.T) {
	clitest.NoEnv(t)
	res := clitest.Run(t, run, "-help")
	assert.Equal(t, 0, res.Code)
	assert.Contains(t, res.Stdout, "Usage: list-exchanges")
	assert.Contains(t, res.Stdout, "-status")
	assert.Contains(t, res.Stdout, "COUPANG_ACCESS_KEY")
	assert.Empty(t, res.Stderr, "no sandbox is started for -help")
}

// A record's text reaches the table shown escaped, and -json writes it as
// JSON escapes: inert bytes that decode to the very same record.
func TestRecordTextIsInert(t *testing.T) {
	for _, h := range termsafetest.All {
		t.Run(h.Name, func(t *testing.T) {
			in := strings.ToValidUTF8(h.In, "\ufffd") // a JSON answer carries nothing else
			srv := coupangtest.NewTestServer(t, coupangtest.WithExchanges(0), coupangtest.WithoutQuirks())
			ex := coupang.ExchangeRequest{
				Status:         coupang.ExchangeStatus("S" + in),
				CollectStatus:  coupang.CollectStatus("C" + in),
				ReasonCode:     "R" + in,
				ReasonCodeText: "T" + in,
				Items:          []coupang.ExchangeItem{{Quantity: 1}},
			}
			ex.ExchangeID, ex.OrderID, ex.CreatedAt = 400000011, 30000000011, time.Now().Add(-time.Hour)
			srv.AddExchange(ex)
			clitest.UseServer(t, srv)

			res := clitest.Run(t, run)
			require.Equal(t, 0, res.Code, res.Stderr)
			assert.Empty(t, termsafetest.Live(res.Stdout, '\n'), "%q", res.Stdout)
			assert.Contains(t, res.Stdout, "S"+termsafe.String(in))
			assert.Contains(t, res.Stdout, "T"+termsafe.String(in))

			res = clitest.Run(t, run, "-json")
			require.Equal(t, 0, res.Code, res.Stderr)
			assert.Empty(t, termsafetest.Live(res.Stdout, '\n'), "%q", res.Stdout)
			var got coupang.ExchangeRequest
			require.NoError(t, coupang.UnmarshalExchange([]byte(strings.TrimSpace(res.Stdout)), &got))
			assert.Equal(t, ex.Status, got.Status)
			assert.Equal(t, ex.ReasonCodeText, got.ReasonCodeText)
		})
	}
}
