package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
)

// fakeCoupang answers every request with one canned answer and counts them.
type fakeCoupang struct {
	status      int
	contentType string
	body        string
	header      map[string]string
	requests    atomic.Int32
}

func (f *fakeCoupang) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.requests.Add(1)
	for k, v := range f.header {
		w.Header().Set(k, v)
	}
	ct := f.contentType
	if ct == "" {
		ct = "application/json;charset=UTF-8"
	}
	w.Header().Set("Content-Type", ct)
	w.WriteHeader(f.status)
	_, _ = w.Write([]byte(f.body))
}

// useFake points the COUPANG_* variables at a fake Coupang.
func useFake(t *testing.T, f *fakeCoupang) {
	t.Helper()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	t.Setenv(coupang.EnvAccessKey, "doctor-access-key")
	t.Setenv(coupang.EnvSecretKey, "doctor-secret-key")
	t.Setenv(coupang.EnvVendorID, "A00012345")
	t.Setenv(coupang.EnvBaseURL, srv.URL)
	t.Setenv(envFakeSkew, "")
}

func gatewayError(msg string) string {
	return `{"code":"ERROR","message":"` + msg + `","transactionId":"0a1b2c3d"}`
}

func TestDoctorExplainsEachFailure(t *testing.T) {
	const accessDenied = `<HTML><HEAD><TITLE>Access Denied</TITLE></HEAD><BODY><H1>Access Denied</H1>You don't have permission to access this server.</BODY></HTML>`
	tests := []struct {
		name    string
		fake    *fakeCoupang
		args    []string
		problem string
		says    []string // in the causes and fixes, English and Korean
	}{
		{"invalid signature", &fakeCoupang{status: 401, body: gatewayError("Invalid signature.")}, nil,
			"invalid signature (HTTP 401)", []string{"COUPANG_SECRET_KEY is not the secret key", "The clock is not the cause: it is in step with Coupang's.", "시크릿 키", "시계는 원인이 아닙니다. 쿠팡 서버와 시각이 맞습니다."}},
		{"invalid signature from a skewed clock", &fakeCoupang{status: 401, body: gatewayError("Invalid signature.")}, []string{"--fake-skew", "-7m"},
			"invalid signature (HTTP 401), clock skew", []string{"off by more than a minute", "7m0s behind Coupang's", "7m0s 느립니다", "NTP"}},
		{"expired signature", &fakeCoupang{status: 401, body: gatewayError("Specified signature is expired.")}, []string{"--fake-skew", "10m"},
			"signature expired (HTTP 401)", []string{"this machine's clock is wrong", "10m0s ahead of Coupang's", "timedatectl set-ntp true", "시계"}},
		{"HMAC format", &fakeCoupang{status: 401, body: gatewayError("HMAC format is invalid.")}, nil,
			"HMAC format is invalid (HTTP 401)", []string{"COUPANG_ACCESS_KEY is not an access key", "액세스 키"}},
		{"keys expired or revoked", &fakeCoupang{status: 401, body: gatewayError("Request is not authorized.")}, nil,
			"not authorized (HTTP 401)", []string{"180 days", "180일", "renew them"}},
		{"Not allowed IP", &fakeCoupang{status: 403, body: gatewayError("Not allowed IP (203.0.113.7)")}, nil,
			"Not allowed IP (HTTP 403)", []string{"Register 203.0.113.7", "up to 30 minutes", "최대 30분", "203.0.113.7 (쿠팡이 본 주소)"}},
		{"Not allowed IP without the address", &fakeCoupang{status: 403, body: gatewayError("Not allowed IP")}, nil,
			"Not allowed IP (HTTP 403)", []string{"this machine's public IP address", "30 minutes"}},
		{"CDN block", &fakeCoupang{status: 403, contentType: "text/html", body: accessDenied}, nil,
			"Access Denied page (HTTP 403)", []string{"Stop calling", "호출을 즉시 멈추세요"}},
		{"redirect block", &fakeCoupang{status: 302, contentType: "text/html", header: map[string]string{"Location": "https://www.coupang.com/blocked"}}, nil,
			"blocked (HTTP 302 redirect)", []string{"each call prolongs the block", "차단이 길어집니다"}},
		{"wrong vendor id", &fakeCoupang{status: 404, body: `{"code":404,"message":"Not Found"}`}, nil,
			"wrong vendor id (HTTP 404)", []string{"COUPANG_VENDOR_ID is not the vendor id", "repeated 404s", "반복 호출하지 마세요"}},
		{"vendor mismatch", &fakeCoupang{status: 400, body: `{"code":400,"message":"vendorId does not match the access key"}`}, nil,
			"wrong vendor id (HTTP 400)", []string{"COUPANG_VENDOR_ID"}},
		{"rate limited", &fakeCoupang{status: 429, body: `{"code":429,"message":"Too many requests"}`}, nil,
			"rate limited (HTTP 429)", []string{"5 requests a second", "초당 5회", "shared by every server"}},
		{"server failure", &fakeCoupang{status: 503, contentType: "text/html", body: "<html><title>503 Service Unavailable</title></html>"}, nil,
			"Coupang's server failed (HTTP 503)", []string{"not caused by the setup"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			useFake(t, tt.fake)
			res := runCLI(t, append([]string{"doctor", "--json"}, tt.args...)...)
			assert.Equal(t, exitFail, res.code, res.stderr)
			assert.Equal(t, int32(1), tt.fake.requests.Load(), "one request, never retried")
			var rep doctorReport
			require.NoError(t, json.Unmarshal([]byte(res.stdout), &rep), res.stdout)
			assert.False(t, rep.OK)
			call := findCheck(t, rep, "list call")
			assert.Equal(t, statusFail, call.Status)
			require.NotNil(t, call.Finding)
			assert.Equal(t, tt.problem, call.Finding.Problem)
			all := call.Finding.CauseEn + " " + call.Finding.FixEn + " " + call.Finding.CauseKo + " " + call.Finding.FixKo
			for _, s := range tt.says {
				assert.Contains(t, all, s)
			}
			assert.NotContains(t, res.stdout+res.stderr, "doctor-secret-key")

			// The text report says the same, in both languages.
			tt.fake.requests.Store(0)
			res = runCLI(t, append([]string{"doctor"}, tt.args...)...)
			assert.Equal(t, exitFail, res.code)
			assert.Contains(t, res.stdout, "FAIL  list call")
			assert.Contains(t, res.stdout, "problem: "+tt.problem)
			assert.Contains(t, res.stdout, "원인: ")
			assert.Contains(t, res.stdout, "해결: ")
		})
	}
}

func findCheck(t *testing.T, rep doctorReport, name string) check {
	t.Helper()
	for _, c := range rep.Checks {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no %s check in %+v", name, rep)
	return check{}
}

func TestDoctorAllWell(t *testing.T) {
	f := &fakeCoupang{status: 200, body: `{"code":200,"message":"OK","data":[],"nextToken":""}`}
	useFake(t, f)
	res := runCLI(t, "doctor")
	assert.Equal(t, exitOK, res.code, res.stdout+res.stderr)
	assert.Contains(t, res.stdout, "ok    clock")
	assert.Contains(t, res.stdout, "ok    list call")
	assert.Contains(t, res.stdout, "All is well. 모두 정상입니다.\n")
}

func TestDoctorFindsClockSkewFromTheDateHeader(t *testing.T) {
	f := &fakeCoupang{status: 200, body: `{"code":200,"message":"OK","data":[]}`,
		header: map[string]string{"Date": time.Now().Add(-3 * time.Minute).UTC().Format(http.TimeFormat)}}
	useFake(t, f)
	res := runCLI(t, "doctor", "--json")
	assert.Equal(t, exitFail, res.code, "a skewed clock is a problem even when the call passes")
	var rep doctorReport
	require.NoError(t, json.Unmarshal([]byte(res.stdout), &rep))
	clock := findCheck(t, rep, "clock")
	assert.Equal(t, statusFail, clock.Status)
	require.NotNil(t, clock.Finding)
	assert.Contains(t, clock.Finding.CauseEn, "ahead of Coupang's")
	assert.Contains(t, clock.Finding.CauseEn, `"Invalid signature."`)
	assert.Equal(t, statusOK, findCheck(t, rep, "list call").Status)
}

func TestDoctorFakeSkewFromTheEnvironment(t *testing.T) {
	noEnv(t)
	t.Setenv(envFakeSkew, "10m")
	res := runCLI(t, "doctor")
	assert.Equal(t, exitFail, res.code)
	assert.Contains(t, res.stderr, "doctor: faking a local clock 10m0s ahead of the real one")
	assert.Contains(t, res.stdout, "HTTP 401: Specified signature is expired.", "the sandbox checks signatures like Coupang")
	assert.Contains(t, res.stdout, "FAIL  clock")

	t.Setenv(envFakeSkew, "soon")
	res = runCLI(t, "doctor")
	assert.Equal(t, exitUsage, res.code)
}

func TestDoctorEnvironment(t *testing.T) {
	t.Run("sandbox", func(t *testing.T) {
		noEnv(t)
		t.Setenv(envFakeSkew, "")
		res := runCLI(t, "doctor")
		assert.Equal(t, exitOK, res.code, res.stdout)
		assert.Contains(t, res.stdout, "checking the in-process sandbox")
	})
	t.Run("partial", func(t *testing.T) {
		noEnv(t)
		t.Setenv(coupang.EnvAccessKey, "ak")
		res := runCLI(t, "doctor", "--json")
		assert.Equal(t, exitFail, res.code)
		var rep doctorReport
		require.NoError(t, json.Unmarshal([]byte(res.stdout), &rep))
		require.Len(t, rep.Checks, 1, "nothing is sent with a broken environment")
		assert.Equal(t, statusFail, rep.Checks[0].Status)
		assert.Contains(t, rep.Checks[0].Detail, "COUPANG_SECRET_KEY, COUPANG_VENDOR_ID not")
	})
	t.Run("malformed vendor id", func(t *testing.T) {
		noEnv(t)
		t.Setenv(coupang.EnvAccessKey, "ak")
		t.Setenv(coupang.EnvSecretKey, "very-secret")
		t.Setenv(coupang.EnvVendorID, "12345")
		res := runCLI(t, "doctor")
		assert.Equal(t, exitFail, res.code)
		assert.Contains(t, res.stdout, "FAIL  environment")
		assert.Contains(t, res.stdout, "vendorID")
		assert.NotContains(t, res.stdout+res.stderr, "very-secret")
	})
}

func TestDoctorUnreachable(t *testing.T) {
	noEnv(t)
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there any more
	t.Setenv(coupang.EnvAccessKey, "ak")
	t.Setenv(coupang.EnvSecretKey, "sk")
	t.Setenv(coupang.EnvVendorID, "A00012345")
	t.Setenv(coupang.EnvBaseURL, url)
	res := runCLI(t, "doctor")
	assert.Equal(t, exitFail, res.code)
	assert.Contains(t, res.stdout, "problem: no answer")
	assert.Contains(t, res.stdout, "skip  clock")
}

func TestDiagnosePause(t *testing.T) {
	err := fmt.Errorf("coupang: GET …: %w", &coupang.PauseError{Kind: coupang.OutcomeBlocked, Until: kst("2026-11-29 18:00:00")})
	f := diagnose(err, 0, false)
	assert.Equal(t, "paused by the client", f.Problem)
	assert.Contains(t, f.CauseEn, "until 2026-11-29 18:00:00 (Korea time)")
}
