package main

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
)

// The word "vendor" in Coupang's message must not turn a rate limit or a
// server failure into "wrong vendor id": the status says what happened.
func TestDoctorNamesTheStatusBeforeTheWordVendor(t *testing.T) {
	for _, tt := range []struct {
		name    string
		fake    *fakeCoupang
		problem string
	}{
		{"429 naming the vendor", &fakeCoupang{status: 429, body: `{"code":429,"message":"Too many requests for vendor A00012345"}`}, "rate limited (HTTP 429)"},
		{"503 naming the vendor", &fakeCoupang{status: 503, body: `{"code":503,"message":"vendor service unavailable"}`}, "Coupang's server failed (HTTP 503)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			useFake(t, tt.fake)
			res := runCLI(t, "doctor", "--json")
			assert.Equal(t, exitFail, res.code, res.stderr)
			var rep doctorReport
			require.NoError(t, json.Unmarshal([]byte(res.stdout), &rep), res.stdout)
			call := findCheck(t, rep, "list call")
			require.NotNil(t, call.Finding)
			assert.Equal(t, tt.problem, call.Finding.Problem)
		})
	}
}

// "The clock is fine" only when the clock was compared with Coupang's.
func TestDiagnoseInvalidSignatureWithoutADate(t *testing.T) {
	f := diagnose(&coupang.APIError{StatusCode: 401, Message: "Invalid signature."}, 0, false)
	assert.Equal(t, "invalid signature (HTTP 401)", f.Problem)
	assert.NotContains(t, f.CauseEn, "The clock is fine")
	assert.NotContains(t, f.CauseKo, "시계는 정상입니다")
}

// An HTML page with status 200 (a proxy's login page, a wrong
// COUPANG_BASE_URL) is an answer: not "the request did not reach Coupang".
func TestDoctorNamesAnAnswerThatIsNotCoupangs(t *testing.T) {
	useFake(t, &fakeCoupang{status: 200, contentType: "text/html", body: "<html><title>Proxy login</title></html>"})
	res := runCLI(t, "doctor", "--json")
	assert.Equal(t, exitFail, res.code, res.stderr)
	var rep doctorReport
	require.NoError(t, json.Unmarshal([]byte(res.stdout), &rep), res.stdout)
	call := findCheck(t, rep, "list call")
	require.NotNil(t, call.Finding)
	assert.Equal(t, "not Coupang's answer (HTTP 200)", call.Finding.Problem)
	assert.NotContains(t, call.Finding.CauseEn, "did not reach")
}
