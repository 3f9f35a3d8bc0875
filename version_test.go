package coupang_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
)

func TestUserAgentCarriesVersion(t *testing.T) {
	var got string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Get("User-Agent")
		_, _ = w.Write([]byte(`{"code":200,"message":"OK","data":[]}`))
	}))
	defer srv.Close()
	c, err := coupang.NewClient(testAccessKey, testSecretKey, testVendorID, coupang.WithBaseURL(srv.URL), coupang.WithRateLimit(0))
	require.NoError(t, err)
	now := time.Now()
	_, err = c.Exchanges.List(context.Background(), coupang.ExchangeListOptions{CreatedAtFrom: now.Add(-time.Hour), CreatedAtTo: now})
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(got, "go-coupang/"+coupang.Version+" "), "User-Agent %q", got)
}

// The release notes and the constant must not drift apart: every Version has
// its section in CHANGELOG.md.
func TestVersionIsInChangelog(t *testing.T) {
	assert.Regexp(t, `^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$`, coupang.Version, "semantic version without a v")
	b, err := os.ReadFile("CHANGELOG.md")
	require.NoError(t, err)
	heading := regexp.MustCompile(`(?m)^## \[` + regexp.QuoteMeta(coupang.Version) + `\] - \d{4}-\d{2}-\d{2}$`)
	assert.Regexp(t, heading, string(b))
	assert.Contains(t, string(b), "## [Unreleased]")
}
