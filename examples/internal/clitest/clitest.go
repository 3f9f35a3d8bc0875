// Package clitest helps the examples' tests run an example's run function
// against a coupangtest server or the in-process sandbox.
package clitest

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

// RunFunc is the signature of every example's run function.
type RunFunc func(ctx context.Context, args []string, stdout, stderr io.Writer) int

// Result is what one run printed and returned.
type Result struct {
	Code           int
	Stdout, Stderr string
}

// Run calls run with args.
func Run(t testing.TB, run RunFunc, args ...string) Result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr)
	return Result{Code: code, Stdout: stdout.String(), Stderr: stderr.String()}
}

// UseServer points the COUPANG_* environment variables at srv for the rest
// of the test, as a user would point them at Coupang.
func UseServer(t testing.TB, srv *coupangtest.Server) {
	t.Helper()
	t.Setenv(coupang.EnvAccessKey, srv.AccessKey)
	t.Setenv(coupang.EnvSecretKey, srv.SecretKey)
	t.Setenv(coupang.EnvVendorID, srv.VendorID)
	t.Setenv(coupang.EnvBaseURL, srv.URL)
}

// NoEnv clears the COUPANG_* environment variables for the rest of the test,
// so that the example starts its own sandbox.
func NoEnv(t testing.TB) {
	t.Helper()
	for _, name := range []string{coupang.EnvAccessKey, coupang.EnvSecretKey, coupang.EnvVendorID, coupang.EnvBaseURL} {
		t.Setenv(name, "")
	}
}

// Lines splits s into its non-empty lines.
func Lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}
