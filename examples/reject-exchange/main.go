// Command reject-exchange rejects an exchange request (교환요청 거부 처리)
// because the replacement is sold out (SOLDOUT) or the customer withdrew
// (WITHDRAW). Coupang allows it only while the exchange is rejectable, and
// answers a refusal with an HTTP 200 whose resultCode is FAIL, which this
// command reports as an error.
//
//	go run ./examples/list-exchanges -status RECEIPT   # find candidates
//	go run ./examples/reject-exchange -id 400179366 -code SOLDOUT
//
// With no COUPANG_* environment variables set it runs against the in-process
// sandbox, whose seeded exchanges are the same on every run.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/examples/internal/cli"
)

const name = "reject-exchange"

func main() { os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr)) }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return cli.Exit(name, stderr, reject(ctx, args, stdout, stderr))
}

func reject(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	id := fs.Int64("id", 0, "the exchange `id` (exchangeId) to reject; required")
	code := fs.String("code", "", "why: `SOLDOUT` (replacement sold out) or WITHDRAW (the customer withdrew); required")
	fs.Usage = cli.Usage(fs, `
Usage: reject-exchange -id EXCHANGE_ID -code SOLDOUT|WITHDRAW

Rejects an exchange request. Coupang allows it only while the exchange is
rejectable (a RECEIPT exchange whose "rejectable" is true: the SDK's
ExchangeRequest.Actions().Reject.Allowed). Find candidates with:
  go run ./examples/list-exchanges -status RECEIPT -json`, cli.EnvHelp)
	if err := cli.Parse(fs, args, stdout); err != nil {
		return err
	}
	if err := cli.Required(map[string]bool{"id": *id != 0, "code": *code != ""}); err != nil {
		return err
	}
	rc := coupang.RejectCode(strings.ToUpper(strings.TrimSpace(*code)))
	if !rc.Valid() {
		return cli.Usagef("-code %q: want SOLDOUT or WITHDRAW", *code)
	}

	env, err := cli.Connect(stderr)
	if err != nil {
		return err
	}
	defer env.Close()

	if err := env.Client.Exchanges.Reject(ctx, *id, rc); err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "exchange %d: rejected with %s (%s); Coupang answered SUCCESS\n", *id, rc, rc.English())
	return err
}
