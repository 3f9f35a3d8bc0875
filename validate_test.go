package coupang_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
)

// Characters that must never be sent: each is refused, not rewritten.
var hostileChars = map[string]string{
	"NUL":                   "\x00",
	"ESC":                   "\x1b",
	"zero-width space":      "\u200b",
	"zero-width joiner":     "\u200d",
	"bidi override":         "\u202e",
	"bidi isolate":          "\u2066",
	"byte order mark":       "\ufeff",
	"non-breaking space":    "\u00a0",
	"line separator U+2028": "\u2028",
	"ideographic space":     "\u3000",
	"full-width digit":      "\uff11",
	"invalid UTF-8":         "\xff",
	"lone continuation":     "\x80",
	"newline":               "\n",
	"DEL":                   "\x7f",
}

func TestUploadInvoicesRefusesBadInvoiceNumbers(t *testing.T) {
	ctx := context.Background()
	type tc struct {
		name, number string
		ok           bool
	}
	tests := []tc{
		{name: "CJ 12 digits", number: "123456789012", ok: true},
		{name: "Lotte 12 digits", number: "309876543210", ok: true},
		{name: "Post office 13 digits", number: "6012345678901", ok: true},
		{name: "EMS letters and digits", number: "EE123456789KR", ok: true},
		{name: "with dashes", number: "A-0001", ok: true},
		{name: "64 characters", number: strings.Repeat("9", 64), ok: true},
		{name: "65 characters", number: strings.Repeat("9", 65)},
		{name: "1 MB", number: strings.Repeat("1", 1<<20)},
		{name: "empty", number: ""},
		{name: "space inside", number: "1234 5678"},
		{name: "underscore", number: "1234_5678"},
		{name: "full-width digits only", number: "１２３４５６７８９０１２"},
		{name: "Korean", number: "송장123"},
		{name: "U+FFFD", number: "123\ufffd"},
	}
	for name, c := range hostileChars {
		tests = append(tests, tc{name: name + " inside", number: "123456" + c + "789012"})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMockAPI(t)
			m.transport.RegisterRegexpResponder(http.MethodPost, regexpExchanges, m.record(jsonResponder(200, okWrite)))
			err := m.client.Exchanges.UploadInvoices(ctx, 1, []coupang.ExchangeInvoice{
				{ShipmentBoxID: 100000000000000123, GoodsDeliveryCode: coupang.CourierCJ, InvoiceNumber: tt.number},
			})
			if tt.ok {
				require.NoError(t, err)
				assert.Equal(t, 1, m.callCount())
				return
			}
			ve := requireValidation(t, err, "invoices[0].InvoiceNumber")
			assert.Equal(t, 0, m.callCount(), "no request for invalid input")
			if len(tt.number) > 3 {
				assert.NotContains(t, ve.Error(), tt.number, "the number is not echoed")
			}
			assert.Less(t, len(ve.Error()), 300, "the error stays short")
		})
	}
}

func TestListRefusesHostileText(t *testing.T) {
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, kst)
	for name, c := range hostileChars {
		for _, field := range []string{"Status", "NextToken"} {
			t.Run(field+" "+name, func(t *testing.T) {
				m := newMockAPI(t)
				m.onJSON(http.MethodGet, exchangesPath, http.StatusOK, okEmptyList)
				opts := coupang.ExchangeListOptions{CreatedAtFrom: from, CreatedAtTo: from.Add(time.Hour)}
				if field == "Status" {
					opts.Status = coupang.ExchangeStatus("RECEIPT" + c + "X")
				} else {
					opts.NextToken = "tok" + c + "en"
				}
				_, err := m.client.Exchanges.List(context.Background(), opts)
				requireValidation(t, err, field)
				for seq := range m.client.Exchanges.All(context.Background(), opts) {
					_ = seq
				}
				assert.Equal(t, 0, m.callCount(), "no request for invalid input")
			})
		}
	}
	t.Run("NextToken over 4 KB", func(t *testing.T) {
		m := newMockAPI(t)
		_, err := m.client.Exchanges.List(context.Background(), coupang.ExchangeListOptions{
			CreatedAtFrom: from, CreatedAtTo: from.Add(time.Hour), NextToken: strings.Repeat("a", 4<<10+1)})
		requireValidation(t, err, "NextToken")
		assert.Equal(t, 0, m.callCount())
	})
}

func TestListBoundsYears(t *testing.T) {
	at := func(y int) time.Time { return time.Date(y, 6, 1, 0, 0, 0, 0, kst) }
	tests := []struct {
		name     string
		from, to time.Time
		field    string // "" means valid
	}{
		{"year 1", time.Date(1, 1, 1, 0, 0, 0, 0, kst), time.Date(1, 1, 2, 0, 0, 0, 0, kst), "CreatedAtFrom"},
		{"year 1999", at(1999), at(1999).Add(time.Hour), "CreatedAtFrom"},
		{"year 2100", at(2100), at(2100).Add(time.Hour), "CreatedAtFrom"},
		{"year 10000", at(10000), at(10000).Add(time.Hour), "CreatedAtFrom"},
		{"to in 2100", time.Date(2099, 12, 31, 23, 0, 0, 0, kst), time.Date(2100, 1, 1, 0, 0, 0, 0, kst), "CreatedAtTo"},
		{"from 1999 in UTC is 2000 in Korea", time.Date(1999, 12, 31, 16, 0, 0, 0, time.UTC), time.Date(2000, 1, 1, 2, 0, 0, 0, kst), ""},
		{"first second of 2000", time.Date(2000, 1, 1, 0, 0, 0, 0, kst), time.Date(2000, 1, 1, 1, 0, 0, 0, kst), ""},
		{"last second of 2099", time.Date(2099, 12, 31, 0, 0, 0, 0, kst), time.Date(2099, 12, 31, 23, 59, 59, 0, kst), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMockAPI(t)
			m.onJSON(http.MethodGet, exchangesPath, http.StatusOK, okEmptyList)
			_, err := m.client.Exchanges.List(context.Background(), coupang.ExchangeListOptions{CreatedAtFrom: tt.from, CreatedAtTo: tt.to})
			if tt.field == "" {
				require.NoError(t, err)
				assert.Equal(t, 1, m.callCount())
				return
			}
			requireValidation(t, err, tt.field)
			var allErr error
			for _, err := range m.client.Exchanges.All(context.Background(), coupang.ExchangeListOptions{CreatedAtFrom: tt.from, CreatedAtTo: tt.to}) {
				allErr = err
			}
			requireValidation(t, allErr, tt.field)
			assert.Equal(t, 0, m.callCount(), "no request for invalid input")
		})
	}
}

// allCalls runs All over [from, to] and returns its error and how many
// requests reached the server.
func allCalls(t *testing.T, from, to time.Time, clientOpts []coupang.Option, callOpts ...coupang.CallOption) (int, error) {
	t.Helper()
	m := newMockAPI(t, append([]coupang.Option{coupang.WithListConcurrency(1)}, clientOpts...)...) // counts of 7-day windows
	m.onJSON(http.MethodGet, exchangesPath, http.StatusOK, okEmptyList)
	var last error
	for _, err := range m.client.Exchanges.All(context.Background(), coupang.ExchangeListOptions{CreatedAtFrom: from, CreatedAtTo: to}, callOpts...) {
		last = err
	}
	return m.callCount(), last
}

func TestAllRangeLimit(t *testing.T) {
	to := time.Date(2026, 3, 1, 0, 0, 0, 0, kst)
	year := coupang.DefaultMaxListRange
	t.Run("ten years refused with how to page back", func(t *testing.T) {
		calls, err := allCalls(t, to.AddDate(-10, 0, 0), to, nil)
		ve := requireValidation(t, err, "CreatedAtFrom")
		assert.Equal(t, 0, calls)
		assert.Contains(t, ve.Reason, "WithMaxListRange")
		assert.Contains(t, ve.Reason, "calling All again with the earlier part")
		assert.Contains(t, ve.Reason, "2025-02-28T00:00:00", "names where the allowed part starts")
	})
	t.Run("from the year 2000 refused", func(t *testing.T) {
		calls, err := allCalls(t, time.Date(2000, 1, 1, 0, 0, 0, 0, kst), to, nil)
		requireValidation(t, err, "CreatedAtFrom")
		assert.Equal(t, 0, calls)
	})
	t.Run("one second over the limit refused", func(t *testing.T) {
		calls, err := allCalls(t, to.Add(-year-time.Second), to, nil)
		requireValidation(t, err, "CreatedAtFrom")
		assert.Equal(t, 0, calls)
	})
	t.Run("a calendar year is allowed", func(t *testing.T) {
		calls, err := allCalls(t, to.AddDate(-1, 0, 0), to, nil)
		require.NoError(t, err)
		assert.Equal(t, 53, calls, "365 days in 7-day windows")
	})
	t.Run("raised on the client", func(t *testing.T) {
		calls, err := allCalls(t, to.AddDate(-2, 0, 0), to, []coupang.Option{coupang.WithMaxListRange(2 * year)})
		require.NoError(t, err)
		assert.Equal(t, 105, calls)
	})
	t.Run("raised for one call", func(t *testing.T) {
		calls, err := allCalls(t, to.AddDate(-2, 0, 0), to, nil, coupang.WithMaxListRange(2*year))
		require.NoError(t, err)
		assert.Equal(t, 105, calls)
	})
	t.Run("lowered on the client", func(t *testing.T) {
		calls, err := allCalls(t, to.AddDate(0, 0, -30), to, []coupang.Option{coupang.WithMaxListRange(14 * 24 * time.Hour)})
		requireValidation(t, err, "CreatedAtFrom")
		assert.Equal(t, 0, calls)
	})
	t.Run("0 removes the limit", func(t *testing.T) {
		calls, err := allCalls(t, to.AddDate(-3, 0, 0), to, []coupang.Option{coupang.WithMaxListRange(0)})
		require.NoError(t, err)
		assert.Equal(t, 157, calls)
	})
}

func TestWithMaxListRangeValidation(t *testing.T) {
	for _, d := range []time.Duration{-time.Second, time.Hour, coupang.MaxListWindow - time.Second} {
		t.Run(d.String(), func(t *testing.T) {
			_, err := coupang.NewClient(testAccessKey, testSecretKey, testVendorID, coupang.WithMaxListRange(d))
			requireValidation(t, err, "maxListRange")
		})
	}
	_, err := coupang.NewClient(testAccessKey, testSecretKey, testVendorID, coupang.WithMaxListRange(coupang.MaxListWindow))
	require.NoError(t, err)
}

func TestKeysRefuseUnicodeSpacesCommasAndControls(t *testing.T) {
	const key = "0123456789abcdef-KEYBODY"
	tests := map[string]string{
		"comma":                 key + ",signature=x",
		"comma alone":           ",",
		"non-breaking space":    key[:5] + "\u00a0" + key[5:],
		"line separator U+2028": key + "\u2028",
		"paragraph separator":   key + "\u2029",
		"ideographic space":     "\u3000" + key,
		"en quad":               key + "\u2000",
		"zero-width space":      key + "\u200b",
		"bidi override":         key + "\u202e",
		"byte order mark":       "\ufeff" + key,
		"NUL":                   key + "\x00",
		"ESC":                   key + "\x1b",
		"DEL":                   key + "\x7f",
		"invalid UTF-8":         key + "\xff",
		"full-width letter":     key + "\uff21",
		"non-ASCII letter":      key + "é",
	}
	for name, bad := range tests {
		t.Run(name, func(t *testing.T) {
			for _, field := range []string{"accessKey", "secretKey"} {
				access, secret := testAccessKey, testSecretKey
				if field == "accessKey" {
					access = bad
				} else {
					secret = bad
				}
				c, err := coupang.NewClient(access, secret, testVendorID)
				assert.Nil(t, c)
				ve := requireValidation(t, err, field)
				for _, s := range []string{ve.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
					assert.NotContains(t, s, "KEYBODY", "the key is never echoed")
				}
			}
		})
	}
}

func TestWithBaseURLNeverEchoesUserInfo(t *testing.T) {
	tests := []string{
		"https://admin:hunter2@host",               // user info is refused
		"https://admin:hunter2@",                   // no host
		"https://admin:hunter2@host:port/",         // invalid port
		"https://admin:hunter2@[::1/x",             // unclosed bracket
		"ht tp://admin:hunter2@host",               // invalid scheme
		"https://admin:hunter2@host/%zz",           // invalid escape
		"://admin:hunter2@host",                    // missing scheme
		"https://admin:hunter2@ho\x00st",           // control character
		"http://admin:hunter2@proxy.example:3128/", // http to a remote host
	}
	for _, in := range tests {
		t.Run(fmt.Sprintf("%q", in), func(t *testing.T) {
			_, err := coupang.NewClient(testAccessKey, testSecretKey, testVendorID, coupang.WithBaseURL(in))
			requireValidation(t, err, "baseURL")
			for _, s := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
				assert.NotContains(t, s, "hunter2")
				assert.NotContains(t, s, "admin")
			}
		})
	}
}
