package coupang_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
)

// personalStrings are the names, addresses, phone and safe numbers, zip
// codes, memos and customer's words of testdata/fixtures/full.json.
var personalStrings = []string{
	"김*수", "이*영", "테스트상점",
	"테헤란로", "세종대로", "테스트빌딩", "2층 ***", "파주시", "물류센터",
	"0502-1234-5678", "0502-1234-5679", "0502-2345-6789", "0502-2345-6780", "0502-1234-5670",
	"010-0000-0000", "02-0000-0000",
	"06236", "04524", "10881",
	"경비실에 맡겨주세요", "문 앞에 두세요", "부재 시 연락 바랍니다",
	"한 치수 큰 것으로 부탁드립니다", "사이즈 교환", "해당 없음",
}

func assertNoPersonalData(t *testing.T, what, s string) {
	t.Helper()
	for _, p := range personalStrings {
		assert.NotContains(t, s, p, "%s leaks personal data", what)
	}
}

func listFullFixture(t *testing.T) *coupang.ExchangePage {
	t.Helper()
	m := newMockAPI(t)
	m.onJSON(http.MethodGet, exchangesPath, http.StatusOK, fixture(t, "full.json"))
	page, err := m.client.Exchanges.List(context.Background(), listOpts())
	require.NoError(t, err)
	require.NotEmpty(t, page.Items)
	// The fixture must hold the personal data the tests look for.
	raw := fixture(t, "full.json")
	for _, p := range personalStrings {
		require.Contains(t, raw, p, "fixture lacks %q", p)
	}
	return page
}

func TestSlogOfListedExchangeHoldsNoPersonalData(t *testing.T) {
	page := listFullFixture(t)
	ex := page.Items[0]
	values := map[string]any{
		"exchange":            ex,
		"exchange pointer":    &ex,
		"page":                page,
		"page value":          *page,
		"address":             ex.Address,
		"destination":         ex.CollectInformation.Destination,
		"collect information": ex.CollectInformation,
	}
	for name, v := range values {
		t.Run(name, func(t *testing.T) {
			for handler, newHandler := range map[string]func(*bytes.Buffer) slog.Handler{
				"JSON": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
				"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
			} {
				var buf bytes.Buffer
				slog.New(newHandler(&buf)).Info("exchange listed", "value", v)
				line := buf.String()
				assertNoPersonalData(t, handler+" handler", line)
				assert.Contains(t, line, "exchange listed")
			}
		})
	}

	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("x", "exchange", ex)
	line := buf.String()
	for _, want := range []string{`"exchangeId":300000001`, `"orderId":2000000000001`, `"status":"PROGRESS"`, `"reasonCode":"DIFFERENTOPT"`, `"createdAt":"20`} {
		assert.Contains(t, line, want, "ids, statuses, reason code and times are logged")
	}
}

func TestFormattingOfModelsHoldsNoPersonalData(t *testing.T) {
	page := listFullFixture(t)
	ex := page.Items[0]
	values := map[string]any{
		"exchange":            ex,
		"exchange pointer":    &ex,
		"page":                page,
		"page value":          *page,
		"items slice":         page.Items,
		"in a struct":         struct{ E coupang.ExchangeRequest }{ex},
		"in a map":            map[string]coupang.ExchangeRequest{"k": ex},
		"address":             ex.Address,
		"address pointer":     &ex.Address,
		"destination":         ex.CollectInformation.Destination,
		"collect information": ex.CollectInformation,
	}
	for name, v := range values {
		for _, verb := range []string{"%v", "%+v", "%s", "%#v", "%q", "%d", "%x", "%T %[1]v"} {
			t.Run(name+" "+verb, func(t *testing.T) {
				assertNoPersonalData(t, verb, fmt.Sprintf(verb, v))
			})
		}
	}
	s := fmt.Sprint(ex)
	assert.Contains(t, s, "300000001")
	assert.Contains(t, s, "PROGRESS")
	assert.Contains(t, s, "DIFFERENTOPT")
	assert.Contains(t, s, "personal data redacted")
	assert.Equal(t, s, ex.String())
	assert.Equal(t, s, fmt.Sprintf("%#v", ex))
	assert.Equal(t, s, ex.GoString())
	assertNoPersonalData(t, "String", ex.Address.String())
	assertNoPersonalData(t, "GoString", ex.CollectInformation.Destination.GoString())

	// The fields themselves stay readable: only printing is redacted.
	assert.Equal(t, "김*수", string(ex.Address.ReturnCustomerName))
}

// TestAPIErrorBodyNeverPrinted: an HTML error page may echo what was sent;
// Body is for code that reads it on purpose, never for fmt or slog.
func TestAPIErrorBodyNeverPrinted(t *testing.T) {
	const page = `<html><head><title>Access Denied</title></head><body>Reference for 김*수 0502-1234-5678 테헤란로</body></html>`
	m := newMockAPI(t)
	m.on(http.MethodGet, exchangesPath, func(*http.Request) (*http.Response, error) {
		return httpmock.NewStringResponse(http.StatusForbidden, page), nil
	})
	_, err := m.client.Exchanges.List(context.Background(), listOpts())
	apiErr := requireAPIError(t, err)
	require.Contains(t, apiErr.Body, "김*수", "Body keeps the snippet for code that reads it")
	assert.Equal(t, "Access Denied", apiErr.Message)

	for _, verb := range []string{"%v", "%+v", "%s", "%#v", "%q", "%d", "%x", "%T %[1]v"} {
		for name, v := range map[string]any{"error": err, "*APIError": apiErr, "APIError value": *apiErr} {
			s := fmt.Sprintf(verb, v)
			assertNoPersonalData(t, name+" "+verb, s)
		}
	}
	assert.Contains(t, fmt.Sprintf("%#v", apiErr), "StatusCode:403")
	assert.Contains(t, fmt.Sprintf("%#v", apiErr), "Body:<")
	assert.Equal(t, apiErr.Error(), fmt.Sprintf("%v", apiErr))

	for handler, h := range map[string]func(*bytes.Buffer) slog.Handler{
		"JSON": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
		"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
	} {
		var buf bytes.Buffer
		slog.New(h(&buf)).Error("call failed", "err", err, "apiErr", apiErr)
		assertNoPersonalData(t, handler, buf.String())
		assert.Contains(t, buf.String(), "403")
		assert.Contains(t, buf.String(), "Access Denied", "Coupang's message stays")
	}
}

func TestRedirectLocationDropsUserInfo(t *testing.T) {
	tests := map[string]string{
		"user and password":             "https://admin:hunter2@www.coupang.com/blocked?token=hunter2",
		"user only":                     "https://hunter2@www.coupang.com/blocked",
		"unparsable":                    "https://admin:hunter2@www.coupang.com:xx/%zz",
		"unparsable, spaces":            "https://admin:hun ter2@www.coupang.com/a b%",
		"unparsable, # in the password": "https://admin:hunter2#x@www.coupang.com/blocked",
		"unparsable, ? in the password": "https://admin:hunter2?x@www.coupang.com/blocked",
		"@ in the query":                "https://www.coupang.com/blocked?by=admin@hunter2",
	}
	for name, loc := range tests {
		t.Run(name, func(t *testing.T) {
			m := newMockAPI(t)
			m.on(http.MethodGet, exchangesPath, func(*http.Request) (*http.Response, error) {
				resp := httpmock.NewStringResponse(http.StatusFound, "")
				resp.Header.Set("Location", loc)
				return resp, nil
			})
			_, err := m.client.Exchanges.List(context.Background(), listOpts())
			require.Error(t, err)
			var apiErr *coupang.APIError
			if !errors.As(err, &apiErr) {
				// net/http fails before the client sees a Location it cannot
				// parse; its error quoted the Location.
				require.Contains(t, name, "unparsable")
				apiErr = &coupang.APIError{Location: "https://www.coupang.com"}
			}
			assert.Contains(t, apiErr.Location, "www.coupang.com")
			for _, s := range []string{apiErr.Location, err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err), fmt.Sprintf("%#v", apiErr)} {
				assert.NotContains(t, s, "hunter2")
				assert.NotContains(t, s, "hun ter2")
				assert.NotContains(t, s, "admin")
			}
			var buf bytes.Buffer
			slog.New(slog.NewJSONHandler(&buf, nil)).Error("x", "err", err, "apiErr", apiErr)
			assert.NotContains(t, buf.String(), "hunter2")
			assert.True(t, strings.HasPrefix(apiErr.Location, "https://"), apiErr.Location)
		})
	}
}
