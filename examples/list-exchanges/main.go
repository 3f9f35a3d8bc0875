// Command list-exchanges lists the exchange requests (교환요청) created
// between two days, as a table or as JSON lines.
//
//	go run ./examples/list-exchanges                      # the last 7 days
//	go run ./examples/list-exchanges -status RECEIPT      # what awaits you
//	go run ./examples/list-exchanges -from 2026-01-01 -to 2026-03-31 -json
//
// With no COUPANG_* environment variables set it runs against the in-process
// sandbox.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/examples/internal/cli"
)

const name = "list-exchanges"

func main() { os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr)) }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return cli.Exit(name, stderr, list(ctx, args, stdout, stderr))
}

func list(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	from := fs.String("from", "", "first `day` (YYYY-MM-DD, Korea time); default: 6 days before -to")
	to := fs.String("to", "", "last `day` (YYYY-MM-DD, Korea time), included; default: today")
	status := fs.String("status", "", "only this `status`: RECEIPT, PROGRESS, SUCCESS, REJECT or CANCEL")
	asJSON := fs.Bool("json", false, "print each exchange request as one JSON object per line, as Coupang writes it (holds customers' personal data)")
	fs.Usage = cli.Usage(fs, `
Usage: list-exchanges [-from YYYY-MM-DD] [-to YYYY-MM-DD] [-status STATUS] [-json]

Lists the exchange requests created between two days (Korea time, both
included; any length of range), oldest first. The table shows no personal
data; -json prints Coupang's records whole.`, cli.EnvHelp)
	if err := cli.Parse(fs, args, stdout); err != nil {
		return err
	}
	start, end, err := cli.DayRange(*from, *to, 7, time.Now())
	if err != nil {
		return err
	}
	st, err := cli.ParseStatus(*status)
	if err != nil {
		return err
	}

	env, err := cli.Connect(stderr)
	if err != nil {
		return err
	}
	defer env.Close()

	opts := coupang.ExchangeListOptions{CreatedAtFrom: start, CreatedAtTo: end, Status: st}
	if *asJSON {
		for ex, err := range env.Client.Exchanges.All(ctx, opts) {
			if err != nil {
				return err
			}
			// Coupang's own form of the record, which
			// coupang.UnmarshalExchange reads back to an equal value.
			b, err := coupang.MarshalExchange(ex)
			if err != nil {
				return err
			}
			// Every character that could act on a terminal is written
			// as a JSON escape: a JSON reader gets the same strings.
			if _, err := stdout.Write(append(cli.JSON(b), '\n')); err != nil {
				return err
			}
		}
		return nil
	}

	// Korean text is wide on a terminal: it goes in the last column, where
	// it cannot push the others out of line.
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "EXCHANGE ID\tORDER ID\tSTATUS\tPICKUP\tCREATED AT (KST)\tNEXT\tREASON\tREASON (KO)")
	n := 0
	for ex, err := range env.Client.Exchanges.All(ctx, opts) {
		if err != nil {
			return err
		}
		// For a code newer than the built-in table, English is the code.
		reason := ex.ReasonInfo()
		// NEXT is the seller's next step, from the SDK's one rule of what
		// each state allows (ExchangeRequest.Actions).
		fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\n", ex.ExchangeID, ex.OrderID, cli.Safe(string(ex.Status)), cli.Safe(dash(string(ex.CollectStatus))),
			cli.FormatTime(ex.CreatedAt), ex.Actions().Next, cli.Safe(dash(reason.English)), cli.Safe(dash(reason.Korean)))
		n++
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	what := "exchange requests"
	if st != "" {
		what = string(st) + " " + what
	}
	_, err = fmt.Fprintf(stdout, "%d %s created %s to %s (Korea time)\n", n, what, start.Format(cli.DateLayout), end.Format(cli.DateLayout))
	return err
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
