package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
	"github.com/go-coupang/coupang/internal/connect"
	"github.com/go-coupang/coupang/internal/termsafe"
	"github.com/go-coupang/coupang/internal/termsafe/termsafetest"
)

func TestDayRange(t *testing.T) {
	kst := coupang.KoreaLocation()
	now := time.Date(2026, 3, 10, 14, 30, 15, 500, kst)
	day := func(d int) time.Time { return time.Date(2026, 3, d, 0, 0, 0, 0, kst) }
	endOf := func(d int) time.Time { return time.Date(2026, 3, d, 23, 59, 59, 0, kst) }
	tests := []struct {
		name, from, to string
		days           int
		start, end     time.Time
		err            string
	}{
		{"default: the last 7 days up to now", "", "", 7, day(4), now.Truncate(time.Second), ""},
		{"one day", "2026-03-05", "2026-03-05", 7, day(5), endOf(5), ""},
		{"from only", "2026-02-01", "", 7, time.Date(2026, 2, 1, 0, 0, 0, 0, kst), now.Truncate(time.Second), ""},
		{"to only", "", "2026-03-08", 7, day(2), endOf(8), ""},
		{"a long range", "2025-01-01", "2026-03-09", 7, time.Date(2025, 1, 1, 0, 0, 0, 0, kst), endOf(9), ""},
		{"30 days", "", "", 30, time.Date(2026, 2, 9, 0, 0, 0, 0, kst), now.Truncate(time.Second), ""},
		{"to before from", "2026-03-05", "2026-03-04", 7, time.Time{}, time.Time{}, "-to 2026-03-04 is before -from 2026-03-05"},
		{"from in the future", "2026-03-11", "", 7, time.Time{}, time.Time{}, "-from 2026-03-11 is in the future"},
		{"bad from", "03/05/2026", "", 7, time.Time{}, time.Time{}, `-from "03/05/2026": want a date as YYYY-MM-DD`},
		{"bad to", "", "2026-3-5", 7, time.Time{}, time.Time{}, `-to "2026-3-5": want a date as YYYY-MM-DD`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start, end, err := DayRange(tt.from, tt.to, tt.days, now.UTC())
			if tt.err != "" {
				require.EqualError(t, err, tt.err)
				var usage *UsageError
				assert.True(t, errors.As(err, &usage))
				return
			}
			require.NoError(t, err)
			assert.True(t, tt.start.Equal(start), "start %v, want %v", start, tt.start)
			assert.True(t, tt.end.Equal(end), "end %v, want %v", end, tt.end)
		})
	}
}

func TestParseStatus(t *testing.T) {
	for in, want := range map[string]coupang.ExchangeStatus{"": "", "receipt": "RECEIPT", " CANCEL ": "CANCEL"} {
		got, err := ParseStatus(in)
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
	_, err := ParseStatus("DONE")
	assert.EqualError(t, err, `-status "DONE": want RECEIPT, PROGRESS, SUCCESS, REJECT or CANCEL`)
}

func TestExit(t *testing.T) {
	tests := []struct {
		err  error
		code int
		out  string
	}{
		{nil, 0, ""},
		{errHelp, 0, ""},
		{Usagef("bad -x"), 2, "demo: bad -x\n"},
		{fmt.Errorf("wrapped: %w", &coupang.ValidationError{Field: "exchangeID", Reason: "must be positive"}), 2, "demo: wrapped: coupang: invalid exchangeID: must be positive\n"},
		{&coupang.APIError{StatusCode: 401, Message: "Invalid signature.", Code: "ERROR"}, 1, "demo: coupang: 401 Unauthorized: Invalid signature. (code ERROR)\n"},
		{errors.New("two\nlines  and   spaces"), 1, "demo: two lines and spaces\n"},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		assert.Equal(t, tt.code, Exit("demo", &buf, tt.err))
		assert.Equal(t, tt.out, buf.String())
	}
}

func TestConnect(t *testing.T) {
	clearEnv := func(t *testing.T) {
		for _, name := range connect.EnvNames() {
			t.Setenv(name, "")
		}
	}
	t.Run("sandbox", func(t *testing.T) {
		clearEnv(t)
		var stderr bytes.Buffer
		env, err := Connect(&stderr)
		require.NoError(t, err)
		defer env.Close()
		require.NotNil(t, env.Sandbox)
		assert.Equal(t, env.Sandbox.URL, env.Client.BaseURL())
		assert.Equal(t, "no COUPANG_* credentials set: using the in-process sandbox at "+env.Sandbox.URL+"\n", stderr.String())
	})
	t.Run("real account", func(t *testing.T) {
		clearEnv(t)
		t.Setenv(coupang.EnvAccessKey, "ak")
		t.Setenv(coupang.EnvSecretKey, "very-secret")
		t.Setenv(coupang.EnvVendorID, "A00000001")
		var stderr bytes.Buffer
		env, err := Connect(&stderr)
		require.NoError(t, err)
		defer env.Close()
		assert.Nil(t, env.Sandbox)
		assert.Equal(t, coupang.DefaultBaseURL, env.Client.BaseURL())
		assert.Equal(t, "using vendor A00000001 at https://api-gateway.coupang.com (Coupang, from the COUPANG_* environment variables)\n", stderr.String())
		assert.NotContains(t, stderr.String(), "very-secret")
	})
	t.Run("base URL alone at a loopback sandbox", func(t *testing.T) {
		clearEnv(t)
		srv := coupangtest.NewTestServer(t)
		t.Setenv(coupang.EnvBaseURL, srv.URL)
		var stderr bytes.Buffer
		env, err := Connect(&stderr)
		require.NoError(t, err)
		defer env.Close()
		assert.Nil(t, env.Sandbox, "no second sandbox is started")
		assert.Equal(t, srv.URL, env.Client.BaseURL())
		assert.Equal(t, "no COUPANG_* credentials set: using the sandbox at "+srv.URL+" with its default keys\n", stderr.String())
		now := time.Now()
		_, err = env.Client.Exchanges.List(context.Background(), coupang.ExchangeListOptions{CreatedAtFrom: now.Add(-time.Hour), CreatedAtTo: now})
		require.NoError(t, err, "the default keys are accepted")
	})
	t.Run("base URL alone elsewhere", func(t *testing.T) {
		for _, base := range []string{"https://api-gateway.coupang.com", "http://10.0.0.8:8089", "::bad"} {
			clearEnv(t)
			t.Setenv(coupang.EnvBaseURL, base)
			_, err := Connect(&bytes.Buffer{})
			require.Error(t, err, base)
			assert.Equal(t, ExitUsage, Exit("demo", &bytes.Buffer{}, err))
		}
	})
	t.Run("partial", func(t *testing.T) {
		clearEnv(t)
		t.Setenv(coupang.EnvSecretKey, "very-secret")
		t.Setenv(coupang.EnvVendorID, "A00000001")
		_, err := Connect(&bytes.Buffer{})
		require.Error(t, err)
		assert.Equal(t, "COUPANG_SECRET_KEY, COUPANG_VENDOR_ID set but COUPANG_ACCESS_KEY not: set all of COUPANG_ACCESS_KEY, COUPANG_SECRET_KEY and COUPANG_VENDOR_ID, or none to use the sandbox", err.Error())
		assert.False(t, strings.Contains(err.Error(), "very-secret"))
		assert.Equal(t, ExitUsage, Exit("demo", &bytes.Buffer{}, err))
	})
}

// Coupang's message and transactionId reach the example's error line shown
// escaped, on one line (issue 17, item 6).
func TestExitEscapesServerText(t *testing.T) {
	for _, h := range termsafetest.All {
		t.Run(h.Name, func(t *testing.T) {
			err := &coupang.APIError{StatusCode: 400, Message: "bad " + h.In, TransactionID: "tx" + h.In}
			var buf bytes.Buffer
			assert.Equal(t, ExitAPI, Exit("demo", &buf, err))
			assert.Empty(t, termsafetest.Live(buf.String(), '\n'), "%q", buf.String())
			assert.Equal(t, 1, strings.Count(buf.String(), "\n"), "one line")
			assert.Contains(t, buf.String(), termsafe.Line("bad "+h.In))
		})
	}
}
