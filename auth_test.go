package coupang_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
)

// The reference vector of the API notes (§6), with dummy keys.
const (
	refSecret    = "7ffcdf00aa00bb00cc00dd00ee00ff0011223344"
	refAccessKey = "test-access-key"
	refPath      = "/v2/providers/openapi/apis/api/v4/vendors/A00012345/exchangeRequests/100000070/rejection"
	refMessage   = "250301T120000ZPUT" + refPath
	refSignature = "3cc0e21daa9868fa1bb3fa64e955642595b6327c12394518025f289b19eed697"
	refHeader    = "CEA algorithm=HmacSHA256, access-key=test-access-key, signed-date=250301T120000Z, signature=" + refSignature
)

var kst = time.FixedZone("KST+9", 9*60*60)

func TestSignReferenceVector(t *testing.T) {
	// The independent computation agrees with the published vector, so the
	// table below checks Sign against something trustworthy.
	require.Equal(t, refSignature, hmacHex(refSecret, refMessage))

	at := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	date, sig := coupang.Sign(refSecret, http.MethodPut, refPath, "", at)
	assert.Equal(t, "250301T120000Z", date)
	assert.Equal(t, refSignature, sig)

	assert.Equal(t, refHeader, coupang.AuthorizationHeader(refAccessKey, refSecret, http.MethodPut, refPath, "", at))
}

func TestSignGolden(t *testing.T) {
	const listPath = "/v2/providers/openapi/apis/api/v4/vendors/A00012345/exchangeRequests"
	tests := []struct {
		name     string
		method   string
		path     string
		rawQuery string
		at       time.Time
		// message is the literal string Coupang's gateway signs.
		message string
	}{
		{
			name:    "reference vector",
			method:  http.MethodPut,
			path:    refPath,
			at:      time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC),
			message: refMessage,
		},
		{
			name:     "query with percent-encoded colons",
			method:   http.MethodGet,
			path:     listPath,
			rawQuery: "createdAtFrom=2026-03-05T00%3A00%3A00&createdAtTo=2026-03-06T00%3A00%3A00&maxPerPage=50",
			at:       time.Date(2026, 3, 5, 3, 4, 5, 0, time.UTC),
			message:  "260305T030405ZGET" + listPath + "createdAtFrom=2026-03-05T00%3A00%3A00&createdAtTo=2026-03-06T00%3A00%3A00&maxPerPage=50",
		},
		{
			name:     "query with raw colons is a different message",
			method:   http.MethodGet,
			path:     listPath,
			rawQuery: "createdAtFrom=2026-03-05T00:00:00",
			at:       time.Date(2026, 3, 5, 3, 4, 5, 0, time.UTC),
			message:  "260305T030405ZGET" + listPath + "createdAtFrom=2026-03-05T00:00:00",
		},
		{
			name:     "query with Korean text percent-encoded",
			method:   http.MethodGet,
			path:     listPath,
			rawQuery: "memo=%EA%B5%90%ED%99%98%20%EC%9A%94%EC%B2%AD&status=RECEIPT",
			at:       time.Date(2026, 12, 31, 23, 59, 59, 0, time.UTC),
			message:  "261231T235959ZGET" + listPath + "memo=%EA%B5%90%ED%99%98%20%EC%9A%94%EC%B2%AD&status=RECEIPT",
		},
		{
			name:    "empty query",
			method:  http.MethodPost,
			path:    listPath + "/100000070/invoices",
			at:      time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
			message: "260102T030405ZPOST" + listPath + "/100000070/invoices",
		},
		{
			name:    "time given in KST is signed in UTC",
			method:  http.MethodPatch,
			path:    refPath,
			at:      time.Date(2025, 3, 1, 21, 0, 0, 0, kst),
			message: "250301T120000ZPATCH" + refPath,
		},
		{
			name:    "KST morning is the previous UTC day",
			method:  http.MethodPut,
			path:    refPath,
			at:      time.Date(2025, 3, 2, 8, 30, 15, 0, kst),
			message: "250301T233015ZPUT" + refPath,
		},
		{
			name:    "sub-second part is dropped",
			method:  http.MethodPut,
			path:    refPath,
			at:      time.Date(2025, 3, 1, 12, 0, 0, 999_999_999, time.UTC),
			message: refMessage,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantDate := tt.message[:len("060102T150405Z")]
			wantSig := hmacHex(refSecret, tt.message)

			date, sig := coupang.Sign(refSecret, tt.method, tt.path, tt.rawQuery, tt.at)
			assert.Equal(t, wantDate, date, "signed-date")
			assert.Equal(t, wantSig, sig, "signature of %q", tt.message)
			assert.Regexp(t, `^[0-9a-f]{64}$`, sig)

			wantHeader := "CEA algorithm=HmacSHA256, access-key=" + refAccessKey + ", signed-date=" + wantDate + ", signature=" + wantSig
			assert.Equal(t, wantHeader, coupang.AuthorizationHeader(refAccessKey, refSecret, tt.method, tt.path, tt.rawQuery, tt.at))
		})
	}
}

func TestSignDependsOnEveryInput(t *testing.T) {
	at := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	_, base := coupang.Sign(refSecret, http.MethodPut, refPath, "", at)
	variants := map[string]func() string{
		"secret": func() string { _, s := coupang.Sign(refSecret+"0", http.MethodPut, refPath, "", at); return s },
		"method": func() string { _, s := coupang.Sign(refSecret, http.MethodPatch, refPath, "", at); return s },
		"path":   func() string { _, s := coupang.Sign(refSecret, http.MethodPut, refPath+"x", "", at); return s },
		"query":  func() string { _, s := coupang.Sign(refSecret, http.MethodPut, refPath, "a=1", at); return s },
		"time": func() string {
			_, s := coupang.Sign(refSecret, http.MethodPut, refPath, "", at.Add(time.Second))
			return s
		},
	}
	for name, sign := range variants {
		assert.NotEqual(t, base, sign(), "changing the %s must change the signature", name)
	}
}

func TestSignRequest(t *testing.T) {
	at := time.Date(2026, 3, 5, 9, 0, 0, 0, kst) // 00:00:00 UTC
	tests := []struct {
		name   string
		method string
		url    string
		// path and query are what goes on the wire and must be signed.
		path, query string
	}{
		{
			name:   "reference request",
			method: http.MethodPut,
			url:    "https://api-gateway.coupang.com" + refPath,
			path:   refPath,
		},
		{
			name:   "query kept exactly as encoded",
			method: http.MethodGet,
			url:    "https://api-gateway.coupang.com/v2/x?createdAtTo=2026-03-06T00%3A00%3A00&createdAtFrom=2026-03-05T00%3A00%3A00",
			path:   "/v2/x",
			query:  "createdAtTo=2026-03-06T00%3A00%3A00&createdAtFrom=2026-03-05T00%3A00%3A00",
		},
		{
			name:   "escaped path, not the decoded one",
			method: http.MethodGet,
			url:    "https://api-gateway.coupang.com/v2/a%2Fb/%EA%B0%80%20x?q=%EA%B0%80",
			path:   "/v2/a%2Fb/%EA%B0%80%20x",
			query:  "q=%EA%B0%80",
		},
		{
			name:   "host, port and prefix-less path",
			method: http.MethodPost,
			url:    "http://127.0.0.1:8080/v2/y",
			path:   "/v2/y",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, tt.url, nil)
			require.NoError(t, err)
			req.Header.Set("Authorization", "stale")

			coupang.SignRequest(req, refAccessKey, refSecret, at)

			want := "CEA algorithm=HmacSHA256, access-key=" + refAccessKey +
				", signed-date=260305T000000Z, signature=" + hmacHex(refSecret, "260305T000000Z"+tt.method+tt.path+tt.query)
			assert.Equal(t, []string{want}, req.Header.Values("Authorization"))
		})
	}
}
