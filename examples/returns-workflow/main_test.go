package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
	"github.com/go-coupang/coupang/examples/internal/clitest"
)

func TestSandboxWhenNoCredentials(t *testing.T) {
	clitest.NoEnv(t)
	res := clitest.Run(t, run)
	require.Equal(t, 0, res.Code, res.Stderr)
	out := res.Stdout
	for i, title := range []string{
		"A first pass of the return feed over the last 30 days",
		"Before shipping an order: is a release stop pending for it?",
		"Act on each receipt as its next step says",
		"A second pass of the feed: what changed since the first",
	} {
		assert.Contains(t, out, fmt.Sprintf("\n%d. %s", i+1, title))
	}
	assert.Contains(t, out, "release stop(s) pending → do not ship it")
	assert.Contains(t, out, "withdrawn by the customer at")
	assert.Equal(t, 1, strings.Count(out, "withdrawn by the customer at"), "reported once")
	assert.NotContains(t, out, "→ not sent")
}

// On a real account nothing is sent without -apply, and no personal data
// is printed.
func TestRealAccountActsOnlyWithApply(t *testing.T) {
	srv := coupangtest.NewTestServer(t, coupangtest.WithExchanges(0))
	clitest.UseServer(t, srv)
	res := clitest.Run(t, run)
	require.Equal(t, 0, res.Code, res.Stderr)
	assert.Contains(t, res.Stdout, "not acting on a real account without -apply")
	assert.Empty(t, srv.Applied())
	for _, r := range srv.Returns() {
		for _, s := range []string{string(r.RequesterName), string(r.RequesterPhoneNumber), string(r.RequesterAddress), string(r.CancelReason)} {
			if s != "" {
				assert.NotContains(t, res.Stdout, s)
			}
		}
	}

	res = clitest.Run(t, run, "-apply")
	require.Equal(t, 0, res.Code, res.Stderr)
	assert.NotEmpty(t, srv.Applied())
	for _, a := range srv.Applied() {
		assert.Equal(t, 1, srv.Count(a.Kind, a.ReceiptID), "each once")
	}
	r, _ := srv.Return(srv.Applied()[0].ReceiptID)
	assert.NotEqual(t, coupang.ReturnStatusReturnsUnchecked, r.Status)
}

func TestUsage(t *testing.T) {
	clitest.NoEnv(t)
	res := clitest.Run(t, run, "-days", "0")
	assert.Equal(t, 2, res.Code)
	assert.Contains(t, res.Stderr, "-days 0")
}
