package coupangredis_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangredis"
)

// Every process of the vendor makes the same Limiter: same Redis, vendor id
// and rate. Together they send at most 5 requests a second, and a 429 or a
// block seen by one pauses all of them.
func ExampleNewLimiter() {
	rdb := redis.NewClient(&redis.Options{Addr: "localhost:6379"})
	defer rdb.Close()

	vendorID := os.Getenv(coupang.EnvVendorID)
	lim := coupangredis.NewLimiter(rdb, vendorID, 5,
		coupangredis.WithExpectedProcesses(3), // if Redis fails, each keeps 5/3 a second alone
	)
	client, err := coupang.NewClientFromEnv(coupang.WithLimiter(lim))
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = client // use it as usual: every call waits for a slot shared through Redis
}

// State reads the vendor's protection state shared through Redis, for
// metrics and dashboards.
func ExampleLimiter_State() {
	rdb := redis.NewClient(&redis.Options{Addr: "localhost:6379"})
	defer rdb.Close()
	lim := coupangredis.NewLimiter(rdb, "A00012345", 5)

	st := lim.State()
	fmt.Printf("rate %.2f of %.2f a second, paused until %v, blocked until %v, probing %v\n",
		st.Rate, st.ConfiguredRate, st.PausedUntil, st.BlockedUntil, st.Probing)
}

// A blocked vendor fails fast in every process, without sending anything.
func ExampleLimiter_Wait_blocked() {
	rdb := redis.NewClient(&redis.Options{Addr: "localhost:6379"})
	defer rdb.Close()
	lim := coupangredis.NewLimiter(rdb, "A00012345", 5)

	err := lim.Wait(context.Background())
	var pe *coupang.PauseError
	switch {
	case errors.As(err, &pe) && errors.Is(err, coupang.ErrBlocked):
		fmt.Println("blocked by Coupang until", pe.Until)
	case errors.Is(err, coupangredis.ErrRedisUnavailable):
		fmt.Println("Redis down and WithoutFallback set: nothing sent")
	case err != nil:
		fmt.Println(err)
	}
}

// A process that serves many vendors makes one Pipeline for all their
// Limiters: Waits of different vendors that ask Redis at the same moment go
// out together, one round trip for dozens of them. Each vendor keeps its own
// budget, protection state and fallback.
func ExampleNewPipeline() {
	rdb := redis.NewClient(&redis.Options{Addr: "localhost:6379"})
	defer rdb.Close()
	pipe := coupangredis.NewPipeline(rdb)
	defer pipe.Close() // before rdb.Close: the writers use it

	vendors := []string{"A00012345", "A00012346", "A00012347"} // thousands, in practice
	limiters := make(map[string]*coupangredis.Limiter, len(vendors))
	for _, v := range vendors {
		limiters[v] = coupangredis.NewLimiter(rdb, v, 5, coupangredis.WithPipeline(pipe))
	}

	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := limiters["A00012345"].Wait(ctx); err != nil {
		fmt.Println(err)
		return
	}
	// send the vendor's request; pass the limiter to coupang.NewClient with
	// coupang.WithLimiter to have the client wait for it
}
