// Command several-servers shows several processes sharing one vendor's
// request budget through Redis. Start it in two or three terminals against
// the same Redis: each process gets its part of the 5 requests a second, and
// all of them together never exceed it.
//
//	redis-server --port 6379 --save "" --appendonly no   # or: docker run --rm -p 6379:6379 redis:7
//	go run ./coupangredis/examples/several-servers -redis redis://localhost:6379/0
//
// With no COUPANG_* environment variables set, each process lists exchanges
// from an in-process sandbox (the same vendor id in every process, so the
// budget is shared); with them, from Coupang (read-only calls).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangredis"
	"github.com/go-coupang/coupang/coupangtest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `Usage: several-servers -redis URL [-rate 5] [-processes 2] [-workers 4] [-duration 20s]

Lists exchange requests in a loop from several goroutines, paced by a Redis
limiter shared with every other process using the same Redis and vendor id.
Run it in two terminals at once: each line shows this process's requests in
the last second; the processes together stay within -rate.

No Redis? Start one locally:
  redis-server --port 6379 --save "" --appendonly no
  (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis;
   or: docker run --rm -p 6379:6379 redis:7)
then: go run ./coupangredis/examples/several-servers -redis redis://localhost:6379/0
`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("several-servers", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage, "\nFlags:\n"); fs.PrintDefaults() }
	redisURL := fs.String("redis", os.Getenv("REDIS_URL"), "Redis `URL` shared by the processes (default $REDIS_URL)")
	rate := fs.Float64("rate", 5, "the vendor's budget in requests a `second`, for all processes together")
	processes := fs.Int("processes", 2, "how many processes you will run: each keeps rate/`n` alone if Redis fails")
	workers := fs.Int("workers", 4, "goroutines sending requests in this process")
	duration := fs.Duration("duration", 20*time.Second, "how long to run")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *redisURL == "" {
		fmt.Fprint(stderr, "several-servers: no Redis URL given (-redis or REDIS_URL)\n\n", usage)
		return 2
	}
	opt, err := redis.ParseURL(*redisURL)
	if err != nil {
		fmt.Fprintf(stderr, "several-servers: -redis: %v\n", err)
		return 2
	}
	rdb := redis.NewClient(opt)
	defer rdb.Close()

	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	client, vendorID, err := connect(rdb, *rate, *processes, logger, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "several-servers: %v\n", err)
		return 1
	}

	ctx, cancel := context.WithTimeout(ctx, *duration)
	defer cancel()
	fmt.Fprintf(stdout, "vendor %s: sharing %v requests a second through %s; start this in another terminal too\n",
		vendorID, *rate, opt.Addr)
	var sent, failed atomic.Int64
	var wg sync.WaitGroup
	for range *workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				to := time.Now()
				_, err := client.Exchanges.List(ctx, coupang.ExchangeListOptions{CreatedAtFrom: to.Add(-24 * time.Hour), CreatedAtTo: to})
				switch {
				case err == nil:
					sent.Add(1)
				case errors.Is(err, context.DeadlineExceeded):
					return // the next slot is past the end of the run
				case ctx.Err() == nil:
					failed.Add(1)
					fmt.Fprintf(stderr, "several-servers: %v\n", err)
				}
			}
		}()
	}
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	start, last := time.Now(), int64(0)
	for done := false; !done; {
		select {
		case <-ctx.Done():
			done = true
		case now := <-tick.C:
			n := sent.Load()
			fmt.Fprintf(stdout, "%s  this process: %d requests in the last second\n", now.Format("15:04:05"), n-last)
			last = n
		}
	}
	wg.Wait()
	elapsed := time.Since(start).Seconds()
	fmt.Fprintf(stdout, "this process sent %d requests in %.0f s (%.2f a second); %d failed\n",
		sent.Load(), elapsed, float64(sent.Load())/elapsed, failed.Load())
	if failed.Load() > 0 {
		return 1
	}
	return 0
}

// connect returns a client paced by a Redis limiter: for Coupang when the
// COUPANG_* variables are set, else for an in-process sandbox.
func connect(rdb redis.UniversalClient, rate float64, processes int, logger *slog.Logger, stderr io.Writer) (*coupang.Client, string, error) {
	if vendorID := os.Getenv(coupang.EnvVendorID); vendorID != "" {
		lim := coupangredis.NewLimiter(rdb, vendorID, rate,
			coupangredis.WithExpectedProcesses(processes), coupangredis.WithLogger(logger))
		c, err := coupang.NewClientFromEnv(coupang.WithLimiter(lim), coupang.WithLogger(logger))
		return c, vendorID, err
	}
	srv := coupangtest.NewServer()
	fmt.Fprintf(stderr, "no COUPANG_* credentials set: using an in-process sandbox for vendor %s\n", srv.VendorID)
	lim := coupangredis.NewLimiter(rdb, srv.VendorID, rate,
		coupangredis.WithExpectedProcesses(processes), coupangredis.WithLogger(logger))
	c, err := srv.Client(coupang.WithLimiter(lim))
	return c, srv.VendorID, err
}
