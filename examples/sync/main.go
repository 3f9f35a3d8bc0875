// Command sync keeps a seller's system in step with Coupang: a poll loop
// that runs a pass of Changes every -interval with a file store, prints each
// exchange that is new or changed (ids and states only, no personal data),
// and confirms the receipt of every exchange whose returned item has been
// delivered to the seller (ExchangeRequest.Actions says StepConfirmReceipt),
// exactly once.
//
// Kill it at any moment (Ctrl-C, kill -9) and start it again: the store
// file (-state) remembers what was handled. A change is recorded only after
// it was handled, so what was in flight is handled again, and
// EnsureReceiptConfirmed makes that harmless.
//
// With no COUPANG_* environment variables it runs against the in-process
// sandbox, where pickups complete one after another every few seconds:
//
//	go run ./examples/sync
//
// The in-process sandbox starts afresh with every run. To see a worker
// killed and restarted against one lasting sandbox, serve one in another
// terminal and point the COUPANG_* variables at it:
//
//	go run ./examples/sync -serve 127.0.0.1:8090   # not 8089: coupang sandbox's port
//	# in another terminal, with the variables it prints:
//	go run ./examples/sync -interval 2s
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
	"github.com/go-coupang/coupang/examples/internal/cli"
)

const name = "sync"

// pickupEvery is how often a pickup completes on the sandbox.
const pickupEvery = 3 * time.Second

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return cli.Exit(name, stderr, syncLoop(ctx, args, stdout, stderr))
}

type config struct {
	state    string
	interval time.Duration
	passes   int
	days     int
	serve    string
}

func syncLoop(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	var cfg config
	fs.StringVar(&cfg.state, "state", "exchange-sync.json", "the store `file` that remembers what was handled")
	fs.DurationVar(&cfg.interval, "interval", 0, "time between passes (default 1m on an account, 2s on the sandbox)")
	fs.IntVar(&cfg.passes, "passes", 0, "stop after this many passes `N` (0: run until stopped)")
	fs.IntVar(&cfg.days, "days", 30, "look back this many `days` of creation times")
	fs.StringVar(&cfg.serve, "serve", "", "only serve a sandbox at `address` (host:port), for workers to connect to")
	fs.Usage = cli.Usage(fs, `
Usage: sync [-state FILE] [-interval DURATION] [-passes N] [-days N]
       sync -serve HOST:PORT

Polls for new and changed exchanges and confirms the receipt of each one
whose returned item has been collected, exactly once, across restarts.`, cli.EnvHelp)
	if err := cli.Parse(fs, args, stdout); err != nil {
		return err
	}
	if cfg.days < 1 {
		return cli.Usagef("-days %d: want at least 1", cfg.days)
	}
	if cfg.interval < 0 || cfg.passes < 0 {
		return cli.Usagef("-interval and -passes must not be negative")
	}
	if cfg.serve != "" {
		return serveSandbox(ctx, cfg.serve, stdout)
	}

	env, err := cli.Connect(stderr)
	if err != nil {
		return err
	}
	defer env.Close()
	if cfg.interval == 0 {
		cfg.interval = time.Minute
		if env.Sandbox != nil {
			cfg.interval = 2 * time.Second
			completePickups(env.Sandbox, pickupEvery)
		}
	}
	store, err := coupang.NewFileChangeStore(cfg.state)
	if err != nil {
		return err
	}
	w := &worker{out: stdout, client: env.Client, store: store, opts: coupang.ChangeOptions{Lookback: time.Duration(cfg.days) * 24 * time.Hour}}
	fmt.Fprintf(stdout, "syncing every %v, state in %s (stop with Ctrl-C; kill and restart at will)\n", cfg.interval, cfg.state)
	for pass := 1; cfg.passes == 0 || pass <= cfg.passes; pass++ {
		if err := w.pass(ctx, pass); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			// Nothing unhandled was recorded: the next pass tries again.
			fmt.Fprintf(stdout, "pass %d stopped: %v\n", pass, oneLine(err))
		}
		if cfg.passes != 0 && pass == cfg.passes {
			break
		}
		select {
		case <-ctx.Done():
			fmt.Fprintln(stdout, "stopped")
			return nil
		case <-time.After(cfg.interval):
		}
	}
	return nil
}

type worker struct {
	out    io.Writer
	client *coupang.Client
	store  coupang.ChangeStore
	opts   coupang.ChangeOptions
}

// pass handles every change of one pass. It returns at the first error
// without handling the rest: they stay unrecorded and come again.
func (w *worker) pass(ctx context.Context, n int) error {
	start := time.Now()
	changes, confirmed := 0, 0
	for change, err := range w.client.Exchanges.Changes(ctx, w.store, w.opts) {
		if err != nil {
			return err
		}
		changes++
		ex := change.Exchange
		line := fmt.Sprintf("  %-7s %d  %s, pickup %s", change.Kind, ex.ExchangeID, ex.Status, orDash(string(ex.CollectStatus)))
		if change.Kind == coupang.ChangeUpdated {
			line += "  (" + strings.Join(change.Changed, ", ") + ")"
		}
		fmt.Fprintln(w.out, cli.Safe(line))
		// The SDK's one rule says what is next; an unattended worker
		// confirms only what has been delivered back (not what is merely on
		// its way: a person checks that).
		if ex.Actions().Next != coupang.StepConfirmReceipt {
			continue
		}
		// The returned item is back: confirm, exactly once however often
		// this runs (a restart after a crash runs it again).
		err := w.client.Exchanges.EnsureReceiptConfirmed(ctx, ex)
		switch {
		case errors.Is(err, coupang.ErrNotApplicable):
			fmt.Fprintf(w.out, "          not confirmed: %v\n", oneLine(err))
		case err != nil:
			return err // not acknowledged: handled again next pass
		default:
			confirmed++
			fmt.Fprintf(w.out, "          receipt confirmed\n")
		}
	}
	fmt.Fprintln(w.out, passLine(n, changes, confirmed, time.Since(start)))
	return nil
}

// completePickups makes the pickup of the sandbox's RECEIPT exchanges
// complete one after another, every step, as couriers bring items back.
func completePickups(srv *coupangtest.Server, step time.Duration) {
	at := time.Now()
	for _, ex := range srv.Exchanges() {
		if ex.Status != coupang.ExchangeStatusReceipt {
			continue
		}
		at = at.Add(step)
		srv.UpdateExchangeAt(at, ex.ExchangeID, func(ex *coupang.ExchangeRequest) {
			if ex.Status == coupang.ExchangeStatusReceipt {
				ex.CollectStatus = coupang.CollectStatusCompleteCollect
			}
		})
	}
}

// serveSandbox serves a sandbox at addr until ctx ends, with pickups
// completing over time, and prints how to point a worker at it and, every
// few seconds, how many receipts were confirmed.
func serveSandbox(ctx context.Context, addr string, stdout io.Writer) error {
	srv := coupangtest.NewServer()
	defer srv.Close()
	completePickups(srv, pickupEvery)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return cli.Usagef("-serve %s: %v", addr, err)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	defer hs.Close()
	fmt.Fprintf(stdout, "sandbox serving; in another terminal:\n\n  export %s=%s %s=%s %s=%s %s=http://%s\n  go run ./examples/sync -interval 2s\n\n",
		coupang.EnvAccessKey, srv.AccessKey, coupang.EnvSecretKey, srv.SecretKey, coupang.EnvVendorID, srv.VendorID, coupang.EnvBaseURL, ln.Addr())
	last := -1
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(2 * time.Second):
		}
		n, twice := 0, 0
		for _, ex := range srv.Exchanges() {
			c := srv.Confirmations(ex.ExchangeID)
			n += c
			if c > 1 {
				twice++
			}
		}
		if n != last {
			fmt.Fprintf(stdout, "%s  receipts confirmed: %d; confirmed more than once: %d\n", time.Now().Format(time.TimeOnly), n, twice)
			last = n
		}
	}
}

func oneLine(err error) string { return cli.Line(err.Error()) }

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// passLine is the summary of pass n: "pass 2: 1 change, 1 receipt
// confirmed, 19ms".
func passLine(n, changes, confirmed int, took time.Duration) string {
	return fmt.Sprintf("pass %d: %s, %s confirmed, %v", n, plural(changes, "change"), plural(confirmed, "receipt"), took.Round(time.Millisecond))
}

// plural returns "1 change" or "3 changes".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
