package main

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang/coupangredis/internal/redistest"
)

func TestNoRedisSaysHowToStartOne(t *testing.T) {
	t.Setenv("REDIS_URL", "")
	var stdout, stderr strings.Builder
	code := run(context.Background(), nil, &stdout, &stderr)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr.String(), "no Redis URL given")
	assert.Contains(t, stderr.String(), `redis-server --port 6379 --save "" --appendonly no`)
	assert.Empty(t, stdout.String())
}

func TestBadRedisURL(t *testing.T) {
	var stdout, stderr strings.Builder
	assert.Equal(t, 2, run(context.Background(), []string{"-redis", "http://x"}, &stdout, &stderr))
	assert.Contains(t, stderr.String(), "-redis")
}

func TestRunsAgainstTheSandbox(t *testing.T) {
	for _, k := range []string{"COUPANG_ACCESS_KEY", "COUPANG_SECRET_KEY", "COUPANG_VENDOR_ID", "COUPANG_BASE_URL"} {
		t.Setenv(k, "")
	}
	srv := redistest.Start(t)
	var stdout, stderr strings.Builder
	code := run(context.Background(), []string{"-redis", srv.URL, "-duration", "1500ms", "-workers", "2"}, &stdout, &stderr)
	require.Equal(t, 0, code, stderr.String())
	assert.Contains(t, stdout.String(), "this process sent")
	assert.Contains(t, stdout.String(), "0 failed")
	assert.Contains(t, stderr.String(), "in-process sandbox")
}
