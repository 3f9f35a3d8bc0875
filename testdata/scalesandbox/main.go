// Command scalesandbox serves a coupangtest sandbox in a process of its own
// for coupangredis's BenchmarkChangeStoreScale (the root module's benchmarks
// re-execute their test binary instead: sandbox_process_test.go): run in
// the benchmark's process, the sandbox's CPU and heap
// (it holds every exchange and encodes every page it serves) would be
// counted as the client's. It lives under testdata so that `go build ./...`
// and `go vet ./...` leave it out; the benchmarks build it with
// `go build ./testdata/scalesandbox`.
//
// Usage: scalesandbox -exchanges N. It prints the sandbox's URL on one line
// of stdout, then reads commands from stdin, one a line:
//
//	change   withdraw 1 % of the exchanges (every 100th, from the 51st:
//	         a tracked field changed) and print "ok <count>"
//
// and ends when stdin closes.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"

	"github.com/go-coupang/coupang/coupangtest"
)

func main() {
	exchanges := flag.Int("exchanges", 2000, "exchanges the sandbox is seeded with")
	flag.Parse()
	srv := coupangtest.NewServer(coupangtest.WithExchanges(*exchanges))
	defer srv.Close()
	fmt.Println(srv.URL)
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		switch sc.Text() {
		case "change":
			n := 0
			for i, ex := range srv.Exchanges() {
				if i%100 == 50 && srv.Withdraw(ex.ExchangeID) {
					n++
				}
			}
			fmt.Println("ok", n)
		default:
			fmt.Println("unknown command", sc.Text())
		}
	}
}
