package coupangredis_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangredis"
	"github.com/go-coupang/coupang/internal/clock/clocktest"
)

// newFakeClock is a fake clock for a Limiter (WithFakeClock) at the wall
// clock's time, so that what the Limiter computes from Redis's answers starts
// near Redis's clock.
func newFakeClock() *clocktest.Fake { return clocktest.NewFake(time.Now()) }

// TestMain turns the test binary into a child process when the parent test
// re-executes it with COUPANGREDIS_CHILD set: several real processes sharing
// one vendor through Redis, as several servers would.
func TestMain(m *testing.M) {
	if os.Getenv("COUPANGREDIS_CHILD") == "1" {
		os.Exit(childMain())
	}
	os.Exit(m.Run())
}

// childResult is what a child prints for its parent.
type childResult struct {
	Sent       int64          `json:"sent"`
	Grants     int64          `json:"grants"`
	RoundTrips int64          `json:"roundTrips"`
	Statuses   map[string]int `json:"statuses"`
	Errors     []string       `json:"errors"`
	// Granted holds when each Wait returned nil, in Unix nanoseconds: the
	// starts the limiter let through, as this process's clock saw them.
	// They are for the pace reached; the budget is asserted on Slots, and
	// the server's arrival times, which a descheduled client or handler
	// goroutine bunches together on a loaded machine, are measured by the
	// benchmarks instead.
	Granted []int64 `json:"granted"`
	// Slots holds the slot of each start granted through Redis, on Redis's
	// clock, in Unix nanoseconds: what the limiter decided, free of the
	// scheduling of the goroutine that heard of it (a child descheduled
	// for 40 ms after a grant makes two grant times 164 ms apart although
	// their slots are 204 ms apart). The budget is asserted on these.
	Slots []int64 `json:"slots"`
	// Forfeited holds the slots Redis granted for a Wait whose context
	// ended before the slot came: spent in Redis, used by nobody. They
	// count against the budget (Redis spaced them with the others) but
	// not as starts.
	Forfeited []int64 `json:"forfeited"`
}

// spentSlots merges the slots Redis granted, handed to a caller or
// forfeited, in order: what counts against the vendor's budget in Redis.
func spentSlots(res ...childResult) []time.Time {
	ts := slotTimes(res...)
	for _, r := range res {
		for _, ns := range r.Forfeited {
			ts = append(ts, time.Unix(0, ns))
		}
	}
	slices.SortFunc(ts, time.Time.Compare)
	return ts
}

// slotTimes merges the slots of several results, in order.
func slotTimes(res ...childResult) []time.Time {
	var ts []time.Time
	for _, r := range res {
		for _, ns := range r.Slots {
			ts = append(ts, time.Unix(0, ns))
		}
	}
	slices.SortFunc(ts, time.Time.Compare)
	return ts
}

// grantTimes merges the grant times of several results, in order.
func grantTimes(res ...childResult) []time.Time {
	var ts []time.Time
	for _, r := range res {
		for _, ns := range r.Granted {
			ts = append(ts, time.Unix(0, ns))
		}
	}
	slices.SortFunc(ts, time.Time.Compare)
	return ts
}

func childMain() int {
	env := func(k string) string { return os.Getenv("COUPANGREDIS_" + k) }
	num := func(k string) float64 { f, _ := strconv.ParseFloat(env(k), 64); return f }
	rdb := redis.NewClient(&redis.Options{Addr: env("REDIS_ADDR")})
	defer rdb.Close()
	opts := []coupangredis.Option{coupangredis.WithLogger(nil)}
	if ms := num("PAUSE_MIN_MS"); ms > 0 {
		d := time.Duration(ms) * time.Millisecond
		opts = append(opts, coupangredis.WithProtection(coupang.Protection{Cooldown: d, MaxCooldown: 10 * d}))
	}
	lim := coupangredis.NewLimiter(rdb, env("VENDOR"), num("RATE"), opts...)
	// All children start at the same wall-clock instant, so that none gets
	// the budget to itself while the others are still starting.
	start := time.UnixMilli(int64(num("START_UNIX_MS")))
	time.Sleep(time.Until(start))
	ctx, cancel := context.WithDeadline(context.Background(), start.Add(time.Duration(num("DURATION_MS"))*time.Millisecond))
	defer cancel()
	res := drive(ctx, lim, env("SERVER_URL"), int(num("GOROUTINES")))
	res.Grants, res.RoundTrips = lim.Stats()
	_ = json.NewEncoder(os.Stdout).Encode(res)
	return 0
}

// drive sends requests from goroutines through lim until ctx ends, reporting
// each answer as the client does.
func drive(ctx context.Context, lim *coupangredis.Limiter, url string, goroutines int) childResult {
	var (
		mu  sync.Mutex
		res = childResult{Statuses: map[string]int{}}
		wg  sync.WaitGroup
	)
	coupangredis.SetOnGrant(lim, func(slot time.Time, handed bool) {
		mu.Lock()
		if handed {
			res.Slots = append(res.Slots, slot.UnixNano())
		} else {
			res.Forfeited = append(res.Forfeited, slot.UnixNano())
		}
		mu.Unlock()
	})
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				if err := lim.Wait(ctx); err != nil {
					if errors.Is(err, context.DeadlineExceeded) {
						return // the next slot is past the end of the run
					}
					if ctx.Err() == nil {
						mu.Lock()
						res.Errors = append(res.Errors, err.Error())
						mu.Unlock()
						time.Sleep(50 * time.Millisecond)
					}
					continue
				}
				granted := time.Now().UnixNano()
				mu.Lock()
				res.Granted = append(res.Granted, granted)
				mu.Unlock()
				o := send(context.WithoutCancel(ctx), hc, url)
				lim.Report(ctx, o)
				mu.Lock()
				res.Sent++
				res.Statuses[strconv.Itoa(o.StatusCode)]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return res
}

// send makes one request and classifies the answer as the client does.
func send(ctx context.Context, hc *http.Client, url string) coupang.Outcome {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	resp, err := hc.Do(req)
	if err != nil {
		return coupang.Outcome{Kind: coupang.OutcomeNoAnswer}
	}
	resp.Body.Close()
	o := coupang.Outcome{StatusCode: resp.StatusCode, Warning: resp.Header.Get("X-CAG-Warnings")}
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil {
		o.RetryAfter = time.Duration(s) * time.Second
	}
	switch {
	case resp.StatusCode < 300:
		o.Kind = coupang.OutcomeSuccess
	case resp.StatusCode == http.StatusTooManyRequests:
		o.Kind = coupang.OutcomeThrottled
	case resp.StatusCode == http.StatusFound, resp.StatusCode == http.StatusForbidden:
		o.Kind = coupang.OutcomeBlocked
	default:
		o.Kind = coupang.OutcomeError
	}
	return o
}

// recorder is a loopback server that notes when each request arrived and
// answers as answer says.
type recorder struct {
	*httptest.Server
	mu       sync.Mutex
	arrivals []time.Time
	answer   func(n int, at time.Time) (status int, header http.Header, delay time.Duration)
	body     string // answered with every status; set before the first request
}

func newRecorder(t testing.TB, answer func(n int, at time.Time) (int, http.Header, time.Duration)) *recorder {
	r := &recorder{answer: answer}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		now := time.Now()
		r.mu.Lock()
		r.arrivals = append(r.arrivals, now)
		n := len(r.arrivals)
		r.mu.Unlock()
		status, header, delay := http.StatusOK, http.Header(nil), time.Duration(0)
		if r.answer != nil {
			status, header, delay = r.answer(n, now)
		}
		time.Sleep(delay)
		for k, v := range header {
			w.Header()[k] = v
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, r.body)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *recorder) times() []time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.arrivals)
}

// maxInWindow is the most arrivals within any window of length w.
func maxInWindow(ts []time.Time, w time.Duration) int {
	best, i := 0, 0
	for j := range ts {
		for ts[j].Sub(ts[i]) >= w {
			i++
		}
		best = max(best, j-i+1)
	}
	return best
}

// densest describes the densest one-second window, for failure messages.
func densest(ts []time.Time) string {
	if len(ts) == 0 {
		return "no requests"
	}
	best, bi, i := 0, 0, 0
	for j := range ts {
		for ts[j].Sub(ts[i]) >= time.Second {
			i++
		}
		if j-i+1 > best {
			best, bi = j-i+1, i
		}
	}
	var gaps []string
	for k := bi + 1; k < bi+best && k < len(ts); k++ {
		gaps = append(gaps, ts[k].Sub(ts[k-1]).Round(100*time.Microsecond).String())
	}
	return fmt.Sprintf("%d in %v, gaps %v", best, ts[min(bi+best, len(ts))-1].Sub(ts[bi]), gaps)
}

// minSpan is the shortest time taken by n+1 consecutive arrivals: more than
// a second means no second held more than n.
func minSpan(ts []time.Time, n int) time.Duration {
	shortest := time.Duration(-1)
	for i := 0; i+n < len(ts); i++ {
		if d := ts[i+n].Sub(ts[i]); shortest < 0 || d < shortest {
			shortest = d
		}
	}
	return shortest
}

// achievedRate is the pace between the first and the last arrival.
func achievedRate(ts []time.Time) float64 {
	if len(ts) < 2 {
		return 0
	}
	return float64(len(ts)-1) / ts[len(ts)-1].Sub(ts[0]).Seconds()
}

// between counts arrivals in [from, to).
func between(ts []time.Time, from, to time.Time) int {
	n := 0
	for _, t := range ts {
		if !t.Before(from) && t.Before(to) {
			n++
		}
	}
	return n
}

// assertPauseThenProbe checks the slots Redis granted (on its clock) around
// one pause of length pause at 5 starts a second: the longest gap between
// two slots is the pause, at least pause less one interval (a slot granted
// before the report may be reserved up to an interval ahead, 200 ms at 5/s;
// the margin is the limiter's reservation horizon, not a wall-clock
// tolerance); the slot after it is the probe, and the next slot comes no
// sooner than answered after it (the server's delay to the probe's answer:
// nothing else was granted before the answer reached Redis). Others follow.
func assertPauseThenProbe(t testing.TB, slots []time.Time, pause, answered time.Duration) {
	t.Helper()
	require.GreaterOrEqual(t, len(slots), 3, "slots %v", slots)
	gap, at := time.Duration(0), 0
	for i := 1; i < len(slots); i++ {
		if d := slots[i].Sub(slots[i-1]); d > gap {
			gap, at = d, i
		}
	}
	interval := time.Second / 5
	require.GreaterOrEqual(t, gap, pause-interval, "no slot granted during the pause")
	require.Less(t, at+1, len(slots), "slots resumed after the probe")
	require.GreaterOrEqual(t, slots[at+1].Sub(slots[at]), answered, "only the probe was granted before its answer")
}

// children runs n copies of this test binary as separate processes driving
// the vendor, and returns what each reported.
func children(t testing.TB, n int, env map[string]string) []childResult {
	t.Helper()
	exe, err := os.Executable()
	require.NoError(t, err)
	start := time.Now().Add(time.Second) // time for the processes to start
	type out struct {
		res childResult
		err error
	}
	outs := make([]out, n)
	var wg sync.WaitGroup
	for i := range n {
		cmd := exec.Command(exe, "-test.run=^$")
		cmd.Env = append(os.Environ(), "COUPANGREDIS_CHILD=1",
			"COUPANGREDIS_START_UNIX_MS="+strconv.FormatInt(start.UnixMilli(), 10))
		for k, v := range env {
			cmd.Env = append(cmd.Env, "COUPANGREDIS_"+k+"="+v)
		}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		wg.Add(1)
		go func() {
			defer wg.Done()
			b, err := cmd.Output()
			if err != nil {
				outs[i].err = fmt.Errorf("child %d: %v\n%s", i, err, stderr.String())
				return
			}
			outs[i].err = json.Unmarshal(b, &outs[i].res)
		}()
	}
	wg.Wait()
	res := make([]childResult, n)
	for i, o := range outs {
		require.NoError(t, o.err)
		res[i] = o.res
	}
	return res
}

// vendor returns a vendor id of the test's own, so that tests sharing a
// REDIS_URL do not see each other's keys.
func vendor(t testing.TB) string {
	return fmt.Sprintf("A%d", time.Now().UnixNano()%1e12)
}
