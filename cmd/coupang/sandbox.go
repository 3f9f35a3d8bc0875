package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
	"github.com/go-coupang/coupang/internal/termsafe"
)

// defaultSandboxAddr is where "coupang sandbox" listens unless --addr says
// otherwise: fixed, so that the exported COUPANG_BASE_URL stays valid across
// restarts.
const defaultSandboxAddr = "127.0.0.1:8089"

// defaultBoxDelay is how long the sandbox takes to create a replacement's
// shipment box after a receipt confirmation. Coupang takes up to about 10
// minutes; half a minute is long enough to see wait-box poll and short
// enough to try the whole sequence by hand.
const defaultBoxDelay = 30 * time.Second

// sandbox runs a coupangtest server at a fixed loopback address until ctx
// ends (Ctrl-C), printing the export lines that point the examples and this
// command at it, and one line per request it answers.
func sandbox(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("sandbox", `
Usage: coupang sandbox [--addr 127.0.0.1:8089] [--box-delay 30s] [--exchanges 40] [--returns 30] [--seed N] [--quiet]

Runs an in-memory Coupang (package coupangtest) until Ctrl-C. It keeps its
state across calls: confirm an exchange, and its new shipment box appears
after --box-delay; upload a waybill against it; confirm and approve a
return, or stop its shipment. Its data is invented and the same on every
start (dates are relative to the start); --returns counts the receipts the
seed has customers withdraw, which only the withdrawal history shows. Paste
the export lines it prints into another shell, or set only COUPANG_BASE_URL.`)
	addr := fs.String("addr", defaultSandboxAddr, "loopback `host:port` to listen on (port 0 picks a free one)")
	boxDelay := fs.Duration("box-delay", defaultBoxDelay, "how long a new shipment box takes to appear after a receipt confirmation")
	count := fs.Int("exchanges", coupangtest.DefaultExchanges, "how many invented exchange requests to seed")
	returnCount := fs.Int("returns", coupangtest.DefaultReturns, "how many invented return requests to seed")
	seed := fs.Uint64("seed", coupangtest.DefaultSeed, "seed of the invented data")
	quiet := fs.Bool("quiet", false, "do not print a line per request")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	host, _, err := net.SplitHostPort(*addr)
	if err != nil {
		return usageErrorf("sandbox: --addr %q: want host:port, such as %s", *addr, defaultSandboxAddr)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		// The sandbox's keys are public and it speaks plain HTTP.
		return usageErrorf("sandbox: --addr %q: the sandbox listens only on a loopback address such as 127.0.0.1", *addr)
	}
	if *boxDelay < 0 || *count < 0 || *returnCount < 0 {
		return usageErrorf("sandbox: --box-delay, --exchanges and --returns must not be negative")
	}
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("sandbox: %w (is another sandbox running? try --addr 127.0.0.1:0)", err)
	}
	srv := coupangtest.NewServer(
		coupangtest.WithListener(l),
		coupangtest.WithBoxDelay(*boxDelay),
		coupangtest.WithExchanges(*count),
		coupangtest.WithReturns(*returnCount),
		coupangtest.WithSeed(*seed),
	)
	defer srv.Close()

	fmt.Fprintf(stdout, "export %s=%s\nexport %s=%s\nexport %s=%s\nexport %s=%s\n",
		coupang.EnvAccessKey, srv.AccessKey, coupang.EnvSecretKey, srv.SecretKey,
		coupang.EnvVendorID, srv.VendorID, coupang.EnvBaseURL, srv.URL)
	fmt.Fprintln(stderr, sandboxBanner(srv, *boxDelay))
	if *quiet {
		<-ctx.Done()
	} else {
		logCalls(ctx, srv, stderr)
	}
	fmt.Fprintln(stderr, "sandbox: stopped")
	return nil
}

// logCalls prints each request srv answers, as "HH:MM:SS METHOD path?query
// → status", until ctx ends. The server records calls without their
// Authorization header, so nothing secret is printed.
func logCalls(ctx context.Context, srv *coupangtest.Server, w io.Writer) {
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	seen := 0
	for {
		calls := srv.Calls()
		for _, c := range calls[seen:] {
			q := ""
			if c.Query != "" {
				q = "?" + c.Query
			}
			// Anything on this machine can send the sandbox a request:
			// its method, path and query are shown escaped.
			fmt.Fprintf(w, "%s %s → %d\n", time.Now().In(coupang.KoreaLocation()).Format("15:04:05"), termsafe.Line(c.Method+" "+c.Path+q), c.Status)
		}
		seen = len(calls)
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// sandboxBanner is the line that says what the sandbox serves. Receipts the
// seed has the customer withdraw are counted apart: Coupang no longer lists
// them, so "--returns 30" lists fewer, and the line says where the rest are.
func sandboxBanner(srv *coupangtest.Server, boxDelay time.Duration) string {
	returns := fmt.Sprintf("%d return requests", len(srv.Returns()))
	if n := len(srv.Withdrawals()); n > 0 {
		returns += fmt.Sprintf(" (and %d withdrawn by the customer, in the withdrawal history only)", n)
	}
	return fmt.Sprintf("sandbox: serving %d invented exchange requests at %s, and %s; new shipment boxes appear %v after a confirmation; Ctrl-C stops it",
		len(srv.Exchanges()), srv.URL, returns, boxDelay)
}
