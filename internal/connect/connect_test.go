package connect

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

// emptyGateway answers every request with an empty list page and records
// when each arrived; it does not check signatures.
type emptyGateway struct {
	*httptest.Server
	mu       sync.Mutex
	arrivals []time.Time
}

func newEmptyGateway(t *testing.T) *emptyGateway {
	g := &emptyGateway{}
	g.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g.mu.Lock()
		g.arrivals = append(g.arrivals, time.Now())
		g.mu.Unlock()
		emptyPage(w, r)
	}))
	t.Cleanup(g.Close)
	return g
}

// emptyPage answers with an empty list page.
func emptyPage(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"code":200,"message":"OK","data":[],"nextToken":""}`))
}

// mostInOneSecond is the largest number of times within one second.
func mostInOneSecond(times []time.Time) int {
	most := 0
	for i := range times {
		n := 0
		for _, u := range times[i:] {
			if u.Sub(times[i]) < time.Second {
				n++
			}
		}
		most = max(most, n)
	}
	return most
}

// starts records when each request of a listing started. With serve set,
// it answers in memory (no network, so that it works in a synctest
// bubble); otherwise over the network.
type starts struct {
	serve http.HandlerFunc
	mu    sync.Mutex
	times []time.Time
}

func (s *starts) RoundTrip(req *http.Request) (*http.Response, error) {
	s.mu.Lock()
	s.times = append(s.times, time.Now())
	s.mu.Unlock()
	if s.serve == nil {
		return http.DefaultTransport.RoundTrip(req)
	}
	rec := httptest.NewRecorder()
	s.serve(rec, req)
	return rec.Result(), nil
}

// list60 lists 60 days with c, one request at a time, and returns when
// each request started.
func list60(t *testing.T, c *coupang.Client) []time.Time {
	t.Helper()
	return list60Through(t, c, &starts{})
}

// list60Through is list60 through s.
func list60Through(t *testing.T, c *coupang.Client, s *starts) []time.Time {
	t.Helper()
	end := time.Now().Add(-time.Minute).Truncate(time.Second)
	opts := coupang.ExchangeListOptions{CreatedAtFrom: end.AddDate(0, 0, -60), CreatedAtTo: end}
	for _, err := range c.Exchanges.All(context.Background(), opts,
		coupang.WithListConcurrency(1), coupang.WithHTTPClient(&http.Client{Transport: s})) {
		require.NoError(t, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.times
}

func clearEnv(t *testing.T) {
	for _, name := range EnvNames() {
		t.Setenv(name, "")
	}
}

func setKeys(t *testing.T, access, secret, vendor, base string) {
	t.Setenv(coupang.EnvAccessKey, access)
	t.Setenv(coupang.EnvSecretKey, secret)
	t.Setenv(coupang.EnvVendorID, vendor)
	t.Setenv(coupang.EnvBaseURL, base)
}

const (
	realAccess = "0f3c2a8e-5b7d-4c1e-9a6f-2d8b4e7c1a93"
	realSecret = "9d1e7b3a5c8f2e4d6b0a1c3e5f7a9b2d4c6e8f0a"
)

// Pacing depends on the keys, never on the host alone: real keys are
// paced everywhere, a loopback forwarder included; only the sandbox's own
// keys on this machine run unpaced.
func TestFromEnvPacingFollowsTheKeys(t *testing.T) {
	tests := []struct {
		name          string
		env           func(t *testing.T, base string)
		unpaced, real bool
		stderr        string
	}{
		{"real keys through a loopback forwarder", func(t *testing.T, base string) {
			setKeys(t, realAccess, realSecret, "A00098765", base)
		}, false, true, "a server on this machine, paced as Coupang"},
		{"real keys through localhost", func(t *testing.T, base string) {
			setKeys(t, realAccess, realSecret, "A00098765", replaceHost(base, "localhost"))
		}, false, true, "paced as Coupang"},
		{"the sandbox's keys, all four variables, as coupang sandbox prints them", func(t *testing.T, base string) {
			setKeys(t, coupangtest.DefaultAccessKey, coupangtest.DefaultSecretKey, coupangtest.DefaultVendorID, base)
		}, true, false, "a sandbox on this machine, with its default keys"},
		{"the sandbox's access key with another secret", func(t *testing.T, base string) {
			setKeys(t, coupangtest.DefaultAccessKey, realSecret, coupangtest.DefaultVendorID, base)
		}, false, true, "paced as Coupang"},
		{"COUPANG_BASE_URL alone", func(t *testing.T, base string) {
			t.Setenv(coupang.EnvBaseURL, base)
		}, true, false, "using the sandbox at"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clearEnv(t)
			g := newEmptyGateway(t)
			tt.env(t, g.URL)
			var stderr bytes.Buffer
			target, err := FromEnv(&stderr, "")
			require.NoError(t, err)
			defer target.Close()
			assert.Equal(t, tt.unpaced, target.Unpaced, "Unpaced")
			assert.Equal(t, tt.real, target.Real, "Real")
			assert.Contains(t, stderr.String(), tt.stderr)
			assert.NotContains(t, stderr.String(), realSecret)
		})
	}
}

func replaceHost(base, host string) string { return strings.Replace(base, "127.0.0.1", host, 1) }

// Real keys at a loopback address start at most five requests a second
// (the default budget), whatever the host. The listing runs in a synctest
// bubble, answered in memory: the times are the pacer's grants, exactly,
// not grants plus the scheduling delays of a loaded machine (with which
// six sends could fall within one second: a late first, an on-time sixth).
func TestFromEnvRealKeysAtLoopbackStartFiveASecond(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		time.Sleep(90 * 24 * time.Hour) // the bubble's clock starts at 2000-01-01, before the list bounds
		clearEnv(t)
		setKeys(t, realAccess, realSecret, "A00098765", "http://127.0.0.1:9")
		target, err := FromEnv(&bytes.Buffer{}, "")
		require.NoError(t, err)
		defer target.Close()
		times := list60Through(t, target.Client, &starts{serve: emptyPage})
		require.GreaterOrEqual(t, len(times), 9)
		assert.LessOrEqual(t, mostInOneSecond(times), 5)
	})
}

// The sandbox's own keys stay unpaced, so that the sandbox is fast: more
// than five requests start within one second (paced, none could).
func TestFromEnvSandboxStaysUnpaced(t *testing.T) {
	t.Run("in-process sandbox", func(t *testing.T) {
		clearEnv(t)
		target, err := FromEnv(&bytes.Buffer{}, "")
		require.NoError(t, err)
		defer target.Close()
		require.NotNil(t, target.Sandbox)
		assert.Greater(t, mostInOneSecond(list60(t, target.Client)), 5)
	})
	t.Run("sandbox kept running, COUPANG_BASE_URL alone", func(t *testing.T) {
		clearEnv(t)
		srv := coupangtest.NewTestServer(t)
		t.Setenv(coupang.EnvBaseURL, srv.URL)
		target, err := FromEnv(&bytes.Buffer{}, "")
		require.NoError(t, err)
		assert.Greater(t, mostInOneSecond(list60(t, target.Client)), 5)
	})
	t.Run("sandbox kept running, its four variables", func(t *testing.T) {
		clearEnv(t)
		srv := coupangtest.NewTestServer(t)
		setKeys(t, srv.AccessKey, srv.SecretKey, srv.VendorID, srv.URL)
		target, err := FromEnv(&bytes.Buffer{}, "")
		require.NoError(t, err)
		assert.Greater(t, mostInOneSecond(list60(t, target.Client)), 5)
	})
}

// The client's refusal of a variable names the variable the user set, not
// the SDK's parameter (issue 22), and stays a *ValidationError underneath.
func TestFromEnvNamesTheVariable(t *testing.T) {
	for _, tt := range []struct {
		name string
		env  map[string]string
		want string
	}{
		{"base URL with keys", map[string]string{coupang.EnvAccessKey: "ak", coupang.EnvSecretKey: "sk", coupang.EnvVendorID: "A00012345", coupang.EnvBaseURL: "ftp://x"}, `COUPANG_BASE_URL: scheme must be https, not "ftp"`},
		{"base URL alone", map[string]string{coupang.EnvBaseURL: "http://127.0.0.1:1/a?b"}, "COUPANG_BASE_URL: "},
		{"vendor id", map[string]string{coupang.EnvAccessKey: "ak", coupang.EnvSecretKey: "sk", coupang.EnvVendorID: "12345"}, "COUPANG_VENDOR_ID: must be"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for _, name := range EnvNames() {
				t.Setenv(name, tt.env[name])
			}
			_, err := FromEnv(io.Discard, "")
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), tt.want), err.Error())
			assert.NotContains(t, err.Error(), "invalid baseURL")
			assert.NotContains(t, err.Error(), "invalid vendorID")
			var usage *UsageError
			assert.ErrorAs(t, err, &usage)
			var invalid *coupang.ValidationError
			assert.ErrorAs(t, err, &invalid)
		})
	}
}
