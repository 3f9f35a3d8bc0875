package coupang_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sort"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/go-coupang/coupang"
)

// budgetServer is Coupang's rate limit as issue 10 describes it: more than
// budget requests within one second draw a 429 and lock the vendor out for
// lockout, during which every request is answered 429 (the lockout does not
// grow with them, which favours a client that keeps calling). It records the
// lockouts and the requests that arrived during them.
type budgetServer struct {
	*httptest.Server
	budget  int
	lockout time.Duration

	mu       sync.Mutex
	arrivals []time.Time
	until    time.Time
	locks    []time.Time // start of each lockout
	during   []int       // requests that arrived during each lockout, after the one that began it
	okAfter  bool        // a request succeeded after the last lockout
}

func newBudgetServer(b *testing.B, budget int, lockout time.Duration) *budgetServer {
	s := &budgetServer{budget: budget, lockout: lockout}
	page := []byte(rsPage("", "tx", 1001))
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		now := time.Now()
		s.mu.Lock()
		s.arrivals = append(s.arrivals, now)
		locked := now.Before(s.until)
		switch {
		case locked:
			s.during[len(s.during)-1]++
		case s.overBudget(now):
			s.until = now.Add(s.lockout)
			s.locks = append(s.locks, now)
			s.during = append(s.during, 0)
			s.okAfter = false
			locked = true
		default:
			s.okAfter = len(s.locks) > 0
		}
		s.mu.Unlock()
		if locked {
			ptTooMany(w)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(page)
	}))
	b.Cleanup(s.Close)
	return s
}

// overBudget reports that the last arrival makes more than budget within one
// second.
func (s *budgetServer) overBudget(now time.Time) bool {
	n := 0
	for i := len(s.arrivals) - 1; i >= 0 && now.Sub(s.arrivals[i]) < time.Second; i-- {
		n++
	}
	return n > s.budget
}

// recovered reports that a lockout happened and a request succeeded after it.
func (s *budgetServer) recovered() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.okAfter && !time.Now().Before(s.until)
}

// BenchmarkLockout measures what reaches Coupang during a lockout: 8
// goroutines over-drive a vendor budget of 5/s at 8/s until the server locks
// the vendor out for 10 s, and go on calling until a request succeeds after
// the lockout. One episode per iteration; it reports the requests that arrived
// during the lockout after the 429 that began it (in-lockout/op), with
// the client's pacer (which pauses the vendor and sends one probe) beside a
// plain rate.Limiter at the same rate (each goroutine backs off and retries on
// its own, the behaviour before NewPacer). Each episode takes about 15 s.
func BenchmarkLockout(b *testing.B) {
	const (
		workers = 8
		budget  = 5
		over    = 8.0
		lockout = 10 * time.Second
	)
	limiters := []struct {
		name string
		make func() coupang.Limiter
	}{
		{"pacer", func() coupang.Limiter { return coupang.NewPacer(over) }},
		{"plain-rate-limiter", func() coupang.Limiter { return rate.NewLimiter(rate.Limit(over), 1) }},
	}
	for _, lim := range limiters {
		b.Run(lim.name, func(b *testing.B) {
			var during []int
			for range b.N {
				srv := newBudgetServer(b, budget, lockout)
				c, _ := rsClient(b, srv.URL, 30*time.Second, coupang.WithLimiter(lim.make()),
					coupang.WithBackoff(500*time.Millisecond, 30*time.Second))
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
				var wg sync.WaitGroup
				for range workers {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for ctx.Err() == nil && !srv.recovered() {
							_ = rsList(ctx, c)
						}
						cancel()
					}()
				}
				wg.Wait()
				cancel()
				srv.mu.Lock()
				if len(srv.during) == 0 {
					b.Fatal("the server never locked the vendor out")
				}
				during = append(during, srv.during[0])
				srv.mu.Unlock()
			}
			sort.Ints(during)
			total := 0
			for _, n := range during {
				total += n
			}
			b.ReportMetric(float64(total)/float64(len(during)), "in-lockout/op")
			b.ReportMetric(float64(during[len(during)-1]), "max-in-lockout")
			b.ReportMetric(0, "ns/op")
		})
	}
}
