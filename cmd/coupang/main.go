// Command coupang is a command-line tool for Coupang's exchange requests
// (교환요청) and return requests (반품·취소): list them as a table, JSON or
// CSV, watch them change, confirm, reject, approve, stop shipments, upload
// waybills, diagnose a setup with doctor, and keep a sandbox running.
//
//	go install github.com/go-coupang/coupang/cmd/coupang@latest
//	coupang sandbox                      # a Coupang of your own on 127.0.0.1:8089
//	coupang exchanges list --status RECEIPT
//	coupang returns list --status UC
//	coupang doctor
//
// With the COUPANG_ACCESS_KEY, COUPANG_SECRET_KEY and COUPANG_VENDOR_ID
// environment variables set it acts on that Coupang account; with none set it
// uses a sandbox and says so on stderr.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/internal/connect"
	"github.com/go-coupang/coupang/internal/termsafe"
)

// Exit codes.
const (
	exitOK    = 0
	exitFail  = 1 // Coupang (or the network) answered with an error, or doctor found a problem
	exitUsage = 2 // bad flags, arguments or environment
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const usage = `coupang: Coupang exchange and return requests (교환요청, 반품·취소) from the command line

Usage:
  coupang exchanges list [--from DATE] [--to DATE] [--days N] [--status S] [--order ID] [--format table|json|csv] [--wide] [--bom]
  coupang exchanges confirm --id ID [--force] [--order ID] [--days 30] [--dry-run]
  coupang exchanges reject --id ID --code SOLDOUT|WITHDRAW [--order ID] [--days 30] [--dry-run]
  coupang exchanges upload-invoice --id ID --courier CODE --invoice NUMBER [--box ID] [--courier-unlisted] [--order ID] [--days 30] [--dry-run]
  coupang exchanges pickup-invoice --id ID --courier CODE --invoice NUMBER [--courier-unlisted] [--order ID] [--days 30] [--dry-run]
  coupang exchanges wait-box --id ID [--timeout 15m] [--order ID] [--days 30]
  coupang exchanges watch [--every 1m] [--state FILE] [--days 30] [--status S] [--format text|json] [--all] [--once]
  coupang returns list [--from DATE] [--to DATE] [--days N] [--status RU|UC|CC|PR] [--order ID] [--cancelled] [--format table|json|csv] [--wide] [--bom]
  coupang returns confirm --id ID [--force] [--dry-run]
  coupang returns approve --id ID [--count N] [--dry-run]
  coupang returns stop --id ID [--count N] [--dry-run]
  coupang returns shipped --id ID --courier CODE --invoice NUMBER [--courier-unlisted] [--dry-run]
  coupang returns pickup-invoice --id ID --courier CODE --invoice NUMBER [--courier-unlisted] [--dry-run]
  coupang returns watch [--every 1m] [--state FILE] [--days 30] [--format text|json] [--all] [--once]
  coupang doctor [--json] [--fake-skew DURATION]
  coupang sandbox [--addr 127.0.0.1:8089] [--box-delay 30s] [--exchanges 40] [--returns 30] [--seed N] [--quiet]
  coupang version

Run "coupang COMMAND --help" for a command's flags.
` + envHelp

// envHelp describes the environment variables every command reads.
const envHelp = `
Environment:
  COUPANG_ACCESS_KEY, COUPANG_SECRET_KEY, COUPANG_VENDOR_ID
        your Open API keys and vendor id (A00012345): set all three to act
        on your Coupang account
  COUPANG_BASE_URL
        optional: another gateway, such as a forwarder to Coupang. Set alone
        to a loopback address, such as the one "coupang sandbox" prints, the
        sandbox's default keys are used. Requests with any other keys are
        paced to Coupang's budget, also at a loopback address.
  With none set, commands run against a fresh in-process sandbox (invented
  data, the same on every run) and say so on stderr.
`

// run is the whole program, minus the process: it parses args, writes to
// stdout and stderr, and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	err := dispatch(ctx, args, stdout, stderr)
	return exitCode(stderr, err)
}

func dispatch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageErrorf("no command given (see coupang help)")
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "exchanges", "exchange", "ex":
		return exchanges.run(ctx, rest, stdout, stderr)
	case "returns", "return":
		return returns.run(ctx, rest, stdout, stderr)
	case "doctor":
		return doctor(ctx, rest, stdout, stderr)
	case "sandbox":
		return sandbox(ctx, rest, stdout, stderr)
	case "version", "--version", "-version":
		_, err := fmt.Fprintf(stdout, "coupang %s\n", coupang.Version)
		return err
	case "help", "-h", "-help", "--help":
		if len(rest) > 0 && cmd == "help" {
			// "coupang help exchanges list" is "coupang exchanges list --help".
			return dispatch(ctx, append(slices.Clone(rest), "--help"), stdout, stderr)
		}
		_, err := fmt.Fprint(stdout, usage)
		return err
	default:
		return usageErrorf("unknown command %q (see coupang help)", cmd)
	}
}

// exchanges is "coupang exchanges SUBCOMMAND": exchange requests (교환요청).
var exchanges = group{name: "exchanges", subs: []subcommand{
	{[]string{"list", "ls"}, listCmd},
	{[]string{"confirm"}, confirmCmd},
	{[]string{"reject"}, rejectCmd},
	{[]string{"upload-invoice"}, uploadCmd},
	{[]string{"pickup-invoice"}, pickupInvoiceCmd},
	{[]string{"wait-box"}, waitBoxCmd},
	{[]string{"watch"}, watchCmd},
}}

// usageError is a mistake in how the command was called: exit code 2.
type usageError struct {
	msg string
	err error // the cause, such as the client's *coupang.ValidationError
}

func (e *usageError) Error() string { return e.msg }

// Unwrap returns the cause, if any.
func (e *usageError) Unwrap() error { return e.err }

func usageErrorf(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// errHelp reports that --help was asked for and printed: exit code 0.
var errHelp = errors.New("help printed")

// errReported is a failure whose explanation was already printed (doctor's
// findings): exit code 1 with nothing more on stderr.
var errReported = errors.New("failure reported")

// exitCode prints err on stderr as one line and returns the exit code: 0
// for nil and --help, 2 for usage mistakes and input the client refused
// before sending, 1 for everything else.
func exitCode(stderr io.Writer, err error) int {
	switch {
	case err == nil, errors.Is(err, errHelp):
		return exitOK
	case errors.Is(err, errReported):
		return exitFail
	}
	msg := strings.TrimPrefix(err.Error(), "coupang: ")
	if hint := connect.RefusedHint(err); hint != "" {
		msg += "; " + hint
	}
	fmt.Fprintf(stderr, "coupang: %s\n", oneLine(msg))
	var usage *usageError
	var invalid *coupang.ValidationError
	if errors.As(err, &usage) || errors.As(err, &invalid) {
		return exitUsage
	}
	return exitFail
}

// oneLine returns a message as one line that is safe on a terminal: error
// messages carry Coupang's message and transactionId, which could hold
// escape sequences or bidi overrides (see package termsafe).
func oneLine(s string) string { return termsafe.Line(s) }
