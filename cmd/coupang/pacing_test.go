package main

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
)

// fiveAWayGateway is Coupang's gateway as far as its rate limit goes: a
// request that makes more than budget arrive within any 900 ms is answered
// 429 with Coupang's JSON body. The window is a tenth short of a second
// because arrival times carry the loaded machine's scheduling jitter (a
// request paced at its slot can arrive 100 ms late, the next one on time);
// an unpaced client sends a whole listing well inside it. Every other request gets an empty
// page. It does not check signatures: it stands for Coupang behind a
// forwarder or an SSH tunnel on 127.0.0.1.
type fiveAWayGateway struct {
	*httptest.Server
	budget int

	mu       sync.Mutex
	arrivals []time.Time
	ok, over int
}

func newFiveAWayGateway(t *testing.T, budget int) *fiveAWayGateway {
	g := &fiveAWayGateway{budget: budget}
	g.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		now := time.Now()
		g.mu.Lock()
		g.arrivals = append(g.arrivals, now)
		n := 0
		for i := len(g.arrivals) - 1; i >= 0 && now.Sub(g.arrivals[i]) < 900*time.Millisecond; i-- {
			n++
		}
		tooMany := n > g.budget
		if tooMany {
			g.over++
		} else {
			g.ok++
		}
		g.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if tooMany {
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = w.Write([]byte(`{"code":"ERROR","message":"Too many requests"}`))
			return
		}
		_, _ = w.Write([]byte(`{"code":200,"message":"OK","data":[],"nextToken":""}`))
	}))
	t.Cleanup(g.Close)
	return g
}

func (g *fiveAWayGateway) counts() (ok, tooMany int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.ok, g.over
}

// A seller who reaches Coupang through a forwarder on 127.0.0.1 (what
// COUPANG_BASE_URL is for) is paced as at Coupang: a loopback host does not
// switch pacing and protection off when the keys are real (issue 17, item
// 3: unpaced, this listing drew fifteen 429s and two lockouts).
func TestListThroughALoopbackForwarderIsPaced(t *testing.T) {
	g := newFiveAWayGateway(t, 5)
	t.Setenv(coupang.EnvAccessKey, "0f3c2a8e-5b7d-4c1e-9a6f-2d8b4e7c1a93")
	t.Setenv(coupang.EnvSecretKey, "9d1e7b3a5c8f2e4d6b0a1c3e5f7a9b2d4c6e8f0a")
	t.Setenv(coupang.EnvVendorID, "A00098765")
	t.Setenv(coupang.EnvBaseURL, g.URL)

	res := runCLI(t, "exchanges", "list", "--days", "60", "--format", "json")
	require.Equal(t, exitOK, res.code, res.stderr)
	ok, tooMany := g.counts()
	assert.Zero(t, tooMany, "answers of 429")
	assert.GreaterOrEqual(t, ok, 9, "at least one request per 7-day window of 60 days")
	assert.Contains(t, res.stderr, "a server on this machine, paced as Coupang")
}
