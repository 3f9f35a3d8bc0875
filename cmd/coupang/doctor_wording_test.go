package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
)

// doctorJSON runs doctor --json and returns its list-call and clock checks.
func doctorJSON(t *testing.T, ctx context.Context) (call, clock check, rep doctorReport) {
	t.Helper()
	res := runCtx(t, ctx, "doctor", "--json")
	require.NoError(t, json.Unmarshal([]byte(res.stdout), &rep), res.stdout+res.stderr)
	for _, c := range rep.Checks {
		switch c.Name {
		case "list call":
			call = c
		case "clock":
			clock = c
		}
	}
	return call, clock, rep
}

// The clock line reads as a sentence (issue 22): not "within a minute of
// Coupang's (in step with; Date: …)".
func TestDoctorClockLine(t *testing.T) {
	ok := `{"code":200,"message":"OK","data":[],"nextToken":""}`
	t.Run("in step", func(t *testing.T) {
		useFake(t, &fakeCoupang{status: 200, body: ok})
		res := runCLI(t, "doctor")
		require.Equal(t, exitOK, res.code, res.stdout)
		assert.Regexp(t, `ok    clock        (in step with Coupang's clock|1s (ahead of|behind) Coupang's clock, within the minute allowed) \(Date: `, res.stdout)
		assert.NotContains(t, res.stdout, "; Date:")
	})
	t.Run("30 s ahead", func(t *testing.T) {
		useFake(t, &fakeCoupang{status: 200, body: ok, header: map[string]string{"Date": time.Now().Add(-30 * time.Second).UTC().Format(http.TimeFormat)}})
		res := runCLI(t, "doctor")
		require.Equal(t, exitOK, res.code, res.stdout)
		assert.Regexp(t, `ok    clock        3[01]s ahead of Coupang's clock, within the minute allowed \(Date: `, res.stdout)
	})
}

// A wrong secret key with a good clock says once that the clock is not the
// cause, in each language (issue 22).
func TestDoctorWrongSecretSaysTheClockOnce(t *testing.T) {
	useFake(t, &fakeCoupang{status: 401, body: gatewayError("Invalid signature.")})
	call, _, _ := doctorJSON(t, context.Background())
	require.NotNil(t, call.Finding)
	assert.Equal(t, 1, strings.Count(call.Finding.CauseEn, "clock"), call.Finding.CauseEn)
	assert.Equal(t, 1, strings.Count(call.Finding.CauseKo, "시계"), call.Finding.CauseKo)
	assert.NotContains(t, call.Finding.CauseEn, "The clock is fine. This machine's clock")
}

// A plain-http COUPANG_BASE_URL is explained as an address problem, with
// a fix about the address, not the keys (issue 22).
func TestDoctorPlainHTTPBaseURL(t *testing.T) {
	noEnv(t)
	t.Setenv(coupang.EnvAccessKey, "ak")
	t.Setenv(coupang.EnvSecretKey, "sk")
	t.Setenv(coupang.EnvVendorID, "A00012345")
	t.Setenv(coupang.EnvBaseURL, "http://10.255.255.1")
	_, _, rep := doctorJSON(t, context.Background())
	require.Len(t, rep.Checks, 1)
	f := rep.Checks[0].Finding
	require.NotNil(t, f)
	assert.Equal(t, "COUPANG_BASE_URL", f.Problem)
	assert.Contains(t, f.CauseEn, "plain http is allowed only to a loopback host")
	assert.Contains(t, f.FixEn, "https://")
	assert.NotContains(t, f.FixEn, "WING")
	assert.NotContains(t, f.FixKo, "WING")
}

// A server on this machine that does not answer in time is named, not
// api-gateway.coupang.com:443 (issue 22).
func TestDoctorSlowLoopbackServer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	t.Cleanup(srv.Close)
	noEnv(t)
	t.Setenv(coupang.EnvAccessKey, "ak")
	t.Setenv(coupang.EnvSecretKey, "sk")
	t.Setenv(coupang.EnvVendorID, "A00012345")
	t.Setenv(coupang.EnvBaseURL, srv.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	call, _, _ := doctorJSON(t, ctx)
	require.NotNil(t, call.Finding)
	assert.Equal(t, "no answer in time", call.Finding.Problem)
	hostPort := strings.TrimPrefix(srv.URL, "http://")
	assert.Contains(t, call.Finding.CauseEn, "The server at "+hostPort+" (COUPANG_BASE_URL, on this machine)")
	assert.Contains(t, call.Finding.FixEn, hostPort)
	assert.NotContains(t, call.Finding.CauseEn+call.Finding.FixEn, "api-gateway.coupang.com")
}

// Which gateway a transport failure names, and whether it mentions
// COUPANG_BASE_URL, follows what was set (issue 22).
func TestDiagnoseTransportNamesTheGateway(t *testing.T) {
	dns := fmt.Errorf("coupang: GET …: %w", &net.DNSError{Err: "no such host", Name: "api-gateway.coupang.com", IsNotFound: true})
	f := diagnoseTransport(dns, coupang.DefaultBaseURL, false)
	assert.Equal(t, "host not found", f.Problem)
	assert.Contains(t, f.CauseEn, "api-gateway.coupang.com")
	assert.NotContains(t, f.CauseEn+f.FixEn+f.CauseKo+f.FixKo, "COUPANG_BASE_URL", "it is not set: nothing to unset")
	assert.Contains(t, f.FixEn, "nslookup api-gateway.coupang.com")

	f = diagnoseTransport(dns, "https://gateway.exmaple.com", true)
	assert.Contains(t, f.CauseEn, "The host of COUPANG_BASE_URL (gateway.exmaple.com)")
	assert.Contains(t, f.FixEn, "Correct COUPANG_BASE_URL")

	timeout := fmt.Errorf("%w: %w", errTimeout, context.DeadlineExceeded)
	f = diagnoseTransport(timeout, coupang.DefaultBaseURL, false)
	assert.Contains(t, f.FixEn, "api-gateway.coupang.com:443")
	f = diagnoseTransport(timeout, "https://proxy.internal:8443", true)
	assert.Contains(t, f.FixEn, "proxy.internal:8443")
	assert.NotContains(t, f.FixEn, "api-gateway")
}

// A 429 with Retry-After shows the wait Coupang asked for (issue 22).
func TestDoctorShowsRetryAfter(t *testing.T) {
	useFake(t, &fakeCoupang{status: 429, body: `{"code":429,"message":"Too many requests"}`, header: map[string]string{"Retry-After": "120"}})
	call, _, _ := doctorJSON(t, context.Background())
	require.NotNil(t, call.Finding)
	assert.Contains(t, call.Finding.CauseEn, "Coupang asked to wait 120 s (Retry-After).")
	assert.Contains(t, call.Finding.FixEn, "Wait at least 120 s")
	assert.Contains(t, call.Finding.CauseKo, "120초")
}

// A fix quotes the transactionId only when there is one, and shows it
// (issue 22: the 302 fix asked for a transactionId that was not shown).
func TestDoctorQuotesTheTransactionIDItHas(t *testing.T) {
	useFake(t, &fakeCoupang{status: 302, contentType: "text/html", header: map[string]string{"Location": "https://www.coupang.com/blocked"}})
	call, _, _ := doctorJSON(t, context.Background())
	require.NotNil(t, call.Finding)
	assert.Empty(t, call.TransactionID)
	assert.NotContains(t, call.Finding.FixEn+call.Finding.FixKo, "transactionId")
	assert.Contains(t, call.Finding.FixEn, "with the time of the failure and your vendor id")

	useFake(t, &fakeCoupang{status: 400, body: gatewayError("Something unexpected.")})
	call, _, _ = doctorJSON(t, context.Background())
	require.NotNil(t, call.Finding)
	assert.Contains(t, call.Finding.FixEn, "quoting transactionId 0a1b2c3d")
	assert.Contains(t, call.Finding.FixKo, "transactionId 0a1b2c3d")
}

// A certificate this machine does not trust is reported as such, not as
// "did not reach Coupang" (issue 22).
func TestDoctorUntrustedCertificate(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	t.Cleanup(srv.Close)
	noEnv(t)
	t.Setenv(coupang.EnvAccessKey, "ak")
	t.Setenv(coupang.EnvSecretKey, "sk")
	t.Setenv(coupang.EnvVendorID, "A00012345")
	t.Setenv(coupang.EnvBaseURL, srv.URL)
	call, _, _ := doctorJSON(t, context.Background())
	require.NotNil(t, call.Finding)
	assert.Equal(t, "TLS certificate not trusted", call.Finding.Problem)
	assert.Contains(t, call.Finding.CauseEn, "certificate signed by unknown authority")
	assert.NotContains(t, call.Finding.CauseEn, "did not reach")
	assert.Contains(t, call.Finding.FixEn, "Do not turn certificate checks off")
}
