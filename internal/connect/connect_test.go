package connect

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
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
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"code":200,"message":"OK","data":[],"nextToken":""}`))
	}))
	t.Cleanup(g.Close)
	return g
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

// starts records when each request of a listing started.
type starts struct {
	mu    sync.Mutex
	times []time.Time
}

func (s *starts) RoundTrip(req *http.Request) (*http.Response, error) {
	s.mu.Lock()
	s.times = append(s.times, time.Now())
	s.mu.Unlock()
	return http.DefaultTransport.RoundTrip(req)
}

// list60 lists 60 days with c, one request at a time, and returns when
// each request started.
func list60(t *testing.T, c *coupang.Client) []time.Time {
	t.Helper()
	s := &starts{}
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
// (the default budget), whatever the host.
func TestFromEnvRealKeysAtLoopbackStartFiveASecond(t *testing.T) {
	clearEnv(t)
	g := newEmptyGateway(t)
	setKeys(t, realAccess, realSecret, "A00098765", g.URL)
	target, err := FromEnv(&bytes.Buffer{}, "")
	require.NoError(t, err)
	times := list60(t, target.Client)
	require.GreaterOrEqual(t, len(times), 9)
	assert.LessOrEqual(t, mostInOneSecond(times), 5)
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
