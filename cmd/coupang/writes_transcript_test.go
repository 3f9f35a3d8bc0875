package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

// TestWriteTranscripts pins, in one golden file, every word the act-based
// writes (returns confirm, approve, stop, shipped, pickup-invoice and
// exchanges pickup-invoice) print and the exit codes, on a sandbox: a dry
// run, the write, the same again (done: nothing sent), a dry run once
// done, the refusals by the state, --force, a --count that is not the
// whole quantity and the waybill warnings. It keeps the one write frame
// (returnWrite, act) saying what each command said on its own.
func TestWriteTranscripts(t *testing.T) {
	var b strings.Builder
	record := func(srv *coupangtest.Server, args ...string) {
		res := runCLI(t, args...)
		fmt.Fprintf(&b, "$ coupang %s\nexit %d\n--- stdout\n%s--- stderr\n%s\n", strings.Join(args, " "), res.code, res.stdout,
			strings.ReplaceAll(res.stderr, srv.URL, "SANDBOX"))
	}
	sequence := func(srv *coupangtest.Server, args ...string) {
		record(srv, append(args, "--dry-run")...)
		record(srv, args...)
		record(srv, args...)
		record(srv, append(args, "--dry-run")...)
	}

	srv := returnWriteFixture(t)
	useServer(t, srv)
	for _, args := range [][]string{
		{"returns", "approve", "--id", "500000002"},
		{"returns", "stop", "--id", "500000002", "--dry-run"},
		{"returns", "shipped", "--id", "500000003", "--courier", "CJGLS", "--invoice", "612345678902"},
		{"returns", "pickup-invoice", "--id", "500000004", "--courier", "CJGLS", "--invoice", "612345678902"},
		{"returns", "pickup-invoice", "--id", "500000001", "--courier", "CJGLS", "--invoice", "612345678902"},
		{"returns", "confirm", "--id", "500000001", "--force"},
		{"returns", "confirm", "--id", "500000006"},
		{"returns", "confirm", "--id", "500000006", "--dry-run"},
		{"returns", "confirm", "--id", "500000006", "--force", "--dry-run"},
		{"returns", "approve", "--id", "500000003", "--count", "2"},
		{"returns", "stop", "--id", "500000001", "--count", "1", "--dry-run"},
	} {
		record(srv, args...)
	}
	sequence(srv, "returns", "confirm", "--id", "500000006", "--force")
	sequence(srv, "returns", "confirm", "--id", "500000002")
	sequence(srv, "returns", "approve", "--id", "500000003", "--count", "1")
	sequence(srv, "returns", "stop", "--id", "500000001")
	sequence(srv, "returns", "pickup-invoice", "--id", "500000002", "--courier", "NEWCOURIER", "--invoice", "X1")
	sequence(srv, "returns", "pickup-invoice", "--id", "500000002", "--courier", "CJGLS", "--invoice", "1234")

	srv = returnWriteFixture(t)
	useServer(t, srv)
	sequence(srv, "returns", "shipped", "--id", "500000001", "--courier", "CJGLS", "--invoice", "612345678902")
	record(srv, "returns", "stop", "--id", "500000001", "--dry-run")

	srv = coupangtest.NewTestServer(t)
	useServer(t, srv)
	id := pick(t, srv, func(ex coupang.ExchangeRequest) bool {
		return ex.CollectStatus == coupang.CollectStatusBeforeDirection && !ex.Status.Terminal()
	})
	sequence(srv, "exchanges", "pickup-invoice", "--id", id, "--courier", "HANJIN", "--invoice", "5123")
	other := pick(t, srv, func(ex coupang.ExchangeRequest) bool { return ex.CollectStatus == coupang.CollectStatusDelivering })
	record(srv, "exchanges", "pickup-invoice", "--id", other, "--courier", "HANJIN", "--invoice", "512345678901")
	golden(t, "writes.golden", b.String())
}
