package main

import (
	"bytes"
	"context"
	"flag"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
	"github.com/go-coupang/coupang/internal/connect"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// result is what one run printed and returned.
type result struct {
	code           int
	stdout, stderr string
}

func runCLI(t *testing.T, args ...string) result {
	t.Helper()
	return runCtx(t, context.Background(), args...)
}

func runCtx(t *testing.T, ctx context.Context, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(ctx, args, &stdout, &stderr)
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// useServer points the COUPANG_* variables at srv, as a user points them at
// Coupang.
func useServer(t *testing.T, srv *coupangtest.Server) {
	t.Helper()
	t.Setenv(coupang.EnvAccessKey, srv.AccessKey)
	t.Setenv(coupang.EnvSecretKey, srv.SecretKey)
	t.Setenv(coupang.EnvVendorID, srv.VendorID)
	t.Setenv(coupang.EnvBaseURL, srv.URL)
}

// noEnv clears the COUPANG_* variables for the rest of the test.
func noEnv(t *testing.T) {
	t.Helper()
	for _, name := range connect.EnvNames() {
		t.Setenv(name, "")
	}
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create it")
	assert.Equal(t, string(want), got)
}

// lines splits s into its non-empty lines.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}

func kst(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04:05", s, coupang.KoreaLocation())
	if err != nil {
		panic(err)
	}
	return t
}

func TestBadInvocations(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	useServer(t, srv)
	tests := []struct {
		args []string
		msg  string
	}{
		{nil, "coupang: no command given"},
		{[]string{"frobnicate"}, `coupang: unknown command "frobnicate"`},
		{[]string{"exchanges"}, "want a subcommand"},
		{[]string{"exchanges", "frob"}, `unknown subcommand "frob"`},
		{[]string{"exchanges", "list", "--nope"}, "exchanges list: flag provided but not defined: -nope"},
		{[]string{"exchanges", "list", "--format", "xml"}, `--format "xml": want table, json or csv`},
		{[]string{"exchanges", "list", "--bom"}, "--bom applies to --format csv only"},
		{[]string{"exchanges", "list", "--status", "DONE"}, `--status "DONE"`},
		{[]string{"exchanges", "list", "--from", "2024/03/01"}, `--from "2024/03/01": want a date as YYYY-MM-DD`},
		{[]string{"exchanges", "list", "--from", "2024-03-10", "--to", "2024-03-01"}, "--to is before --from"},
		{[]string{"exchanges", "list", "--from", "2999-01-01"}, "is in the future"},
		{[]string{"exchanges", "list", "extra"}, `unexpected argument "extra"`},
		{[]string{"exchanges", "confirm"}, "exchanges confirm: --id is required"},
		{[]string{"exchanges", "confirm", "--id", "x"}, `invalid value "x" for flag -id`},
		{[]string{"exchanges", "reject", "--id", "1"}, "--code is required"},
		{[]string{"exchanges", "reject", "--id", "1", "--code", "LATER"}, `--code "LATER": want SOLDOUT or WITHDRAW`},
		{[]string{"exchanges", "upload-invoice", "--id", "1", "--courier", "CJGLS"}, "--invoice is required"},
		{[]string{"exchanges", "upload-invoice", "--id", "1", "--courier", "CJ GLS", "--invoice", "1234567890"}, `--courier "CJ GLS"`},
		{[]string{"exchanges", "upload-invoice", "--id", "1", "--courier", "CJGLS", "--invoice", "1234 5678", "--dry-run"}, `--invoice "1234 5678"`},
		{[]string{"exchanges", "upload-invoice", "--id", "1", "--courier", "CJGLS", "--invoice", " "}, `--invoice " "`},
		// Input is refused, never rewritten (issue 22): no upper-casing.
		{[]string{"exchanges", "upload-invoice", "--id", "1", "--courier", "cj", "--invoice", "1234567890"}, `--courier "cj": want a courier code of capital letters, digits and underscores, such as CJGLS (did you mean CJGLS?)`},
		{[]string{"exchanges", "upload-invoice", "--id", "1", "--courier", "hanjin", "--invoice", "1234567890"}, `(did you mean HANJIN?)`},
		{[]string{"exchanges", "upload-invoice", "--id", "1", "--courier", " CJGLS", "--invoice", "1234567890"}, `--courier " CJGLS"`},
		// wait-box writes nothing: it has no --dry-run to offer.
		{[]string{"exchanges", "wait-box", "--id", "1", "--dry-run"}, "flag provided but not defined: -dry-run"},
		// More than a year, in the command's terms, not the library's.
		{[]string{"exchanges", "list", "--days", "400"}, "is 400 days; at most 366 days are listed at once: list it in parts with --from and --to"},
		{[]string{"exchanges", "list", "--from", "2024-01-01", "--to", "2025-06-30"}, "the range 2024-01-01 to 2025-06-30 is 547 days"},
		{[]string{"exchanges", "confirm", "--id", "1", "--days", "400"}, "--days 400: at most 366 days"},
		// The flags are named, not the client's CreatedAtFrom (issue 22).
		{[]string{"exchanges", "list", "--from", "1999-01-01", "--to", "1999-01-02"}, "exchanges list: --from 1999-01-01 is in the year 1999: Coupang lists exchanges from 2000 on"},
		{[]string{"exchanges", "list", "--to", "1999-12-31"}, "exchanges list: --to 1999-12-31 is in the year 1999"},
		{[]string{"exchanges", "list", "--to", "2000-01-02", "--days", "5"}, "exchanges list: --days 5 reaches back to the year 1999"},
		// --days would be ignored next to --from: refused, not dropped.
		{[]string{"exchanges", "list", "--days", "30", "--from", "2026-11-01"}, "exchanges list: --days and --from both given: --days counts back from --to; give one of them"},
		{[]string{"exchanges", "list", "--from", "2026-11-01", "--days", "7"}, "--days and --from both given"},
		{[]string{"exchanges", "watch", "--days", "400"}, "exchanges watch: --days 400: at most 366 days"},
		{[]string{"exchanges", "list", "--wide", "--format", "csv"}, "--wide applies to --format table only"},
		{[]string{"exchanges", "wait-box", "--id", "1", "--timeout", "0s"}, "--timeout must be positive"},
		{[]string{"exchanges", "watch", "--every", "10ms"}, "--every must be at least 1s"},
		{[]string{"exchanges", "watch", "--days", "0"}, "--days must be at least 1, got 0"},
		{[]string{"exchanges", "watch", "--format", "csv"}, `--format "csv": want text or json`},
		{[]string{"doctor", "--nope"}, "doctor: flag provided but not defined"},
		{[]string{"sandbox", "--addr", "0.0.0.0:8089"}, "listens only on a loopback address"},
		{[]string{"sandbox", "--addr", "nonsense"}, "want host:port"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			res := runCLI(t, tt.args...)
			assert.Equal(t, exitUsage, res.code)
			assert.Empty(t, res.stdout)
			got := lines(res.stderr)
			require.NotEmpty(t, got)
			last := got[len(got)-1]
			assert.True(t, strings.HasPrefix(last, "coupang: "), last)
			assert.Contains(t, last, tt.msg)
		})
	}
	assert.Empty(t, srv.Calls(), "nothing was sent for any of them")
}

func TestHelp(t *testing.T) {
	noEnv(t)
	for _, args := range [][]string{{"help"}, {"--help"}, {"exchanges", "list", "--help"}, {"exchanges", "confirm", "-h"}, {"doctor", "--help"}, {"sandbox", "--help"}} {
		res := runCLI(t, args...)
		assert.Equal(t, exitOK, res.code, args)
		assert.Contains(t, res.stdout, "Usage", args)
		assert.Contains(t, res.stdout, "COUPANG_ACCESS_KEY", args)
		assert.Empty(t, res.stderr, "no sandbox is started for --help")
	}
	res := runCLI(t, "version")
	assert.Equal(t, "coupang "+coupang.Version+"\n", res.stdout)
}

// A refused connection to COUPANG_BASE_URL on this machine says the
// sandbox may not be running, on the same one line (issue 22).
func TestRefusedLoopbackNamesTheSandbox(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close()) // nothing listens there now
	noEnv(t)
	t.Setenv(coupang.EnvBaseURL, "http://"+addr)
	res := runCLI(t, "exchanges", "list")
	assert.Equal(t, exitFail, res.code)
	got := lines(res.stderr)
	require.Len(t, got, 2, "the connection line, then one error line")
	assert.Contains(t, got[1], "connection refused")
	assert.True(t, strings.HasSuffix(got[1], `; nothing listens at http://`+addr+` (COUPANG_BASE_URL): is "coupang sandbox" running?`), got[1])
}
