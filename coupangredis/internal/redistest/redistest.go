// Package redistest gives tests a real Redis: a redis-server started on a
// free loopback port, or the one REDIS_URL names.
//
// A test that cannot get a Redis is skipped, unless COUPANG_REQUIRE_REDIS=1,
// which .ci/run sets so that CI fails instead of passing without having
// tested anything against Redis.
package redistest

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Server is a Redis for one test.
type Server struct {
	// Addr is host:port.
	Addr string
	// URL is redis://host:port/0, or REDIS_URL.
	URL string

	mu  sync.Mutex
	cmd *exec.Cmd // nil for REDIS_URL

	bin  string // redis-server, its port and directory: for Restart
	port int
	dir  string
}

// unavailable skips the test, or fails it when Redis is required.
func unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv("COUPANG_REQUIRE_REDIS") == "1" {
		t.Fatalf("Redis required (COUPANG_REQUIRE_REDIS=1) but %s", msg)
	}
	t.Skipf("no Redis: %s (install redis-server or set REDIS_URL)", msg)
}

// Start returns REDIS_URL's server when set, else starts a redis-server of
// the test's own.
func Start(t testing.TB) *Server {
	t.Helper()
	if u := os.Getenv("REDIS_URL"); u != "" {
		opt, err := redis.ParseURL(u)
		if err != nil {
			t.Fatalf("REDIS_URL: %v", err)
		}
		return &Server{Addr: opt.Addr, URL: u}
	}
	return StartOwn(t)
}

// StartOwn starts a redis-server of the test's own, which the test may Kill.
// It is stopped when the test ends.
func StartOwn(t testing.TB) *Server {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		unavailable(t, "redis-server is not on PATH")
	}
	var lastErr error
	for range 5 { // the free port may be taken between probe and start
		s, err := start(t, bin)
		if err == nil {
			return s
		}
		lastErr = err
	}
	t.Fatalf("starting redis-server: %v", lastErr)
	return nil
}

func start(t testing.TB, bin string) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	s := &Server{Addr: "127.0.0.1:" + strconv.Itoa(port), bin: bin, port: port, dir: t.TempDir()}
	s.URL = "redis://" + s.Addr + "/0"
	t.Cleanup(s.Kill)
	if err := s.launch(); err != nil {
		return nil, err
	}
	return s, nil
}

// launch starts redis-server on s's port, empty, and waits until it answers.
func (s *Server) launch() error {
	cmd := exec.Command(s.bin, "--port", strconv.Itoa(s.port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", s.dir, "--daemonize", "no",
		"--logfile", filepath.Join(s.dir, "redis.log"))
	if err := cmd.Start(); err != nil {
		return err
	}
	s.mu.Lock()
	s.cmd = cmd
	s.mu.Unlock()

	rdb := redis.NewClient(&redis.Options{Addr: s.Addr, MaxRetries: -1})
	defer rdb.Close()
	for deadline := time.Now().Add(10 * time.Second); ; {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := rdb.Ping(ctx).Err()
		cancel()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) || cmd.ProcessState != nil {
			s.Kill()
			log, _ := os.ReadFile(filepath.Join(s.dir, "redis.log"))
			return fmt.Errorf("redis-server on port %d not answering: %v\n%s", s.port, err, log)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Restart kills the server and starts it again on the same address, empty:
// a Redis that crashed and came back without persistence, or was replaced
// by a fresh one. Only for StartOwn's server.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	if !s.Own() {
		t.Fatalf("Restart needs a server of the test's own (StartOwn)")
	}
	s.Kill()
	if err := s.launch(); err != nil {
		t.Fatalf("restarting redis-server: %v", err)
	}
}

// Own reports whether the test started this server (and may Kill it).
func (s *Server) Own() bool { return s.bin != "" }

// Kill stops the server abruptly, as a crash would. It does nothing for
// REDIS_URL's server.
func (s *Server) Kill() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	_, _ = s.cmd.Process.Wait()
	s.cmd.Process = nil
}

// Client returns a client for the server, closed when the test ends.
func (s *Server) Client(t testing.TB) *redis.Client {
	t.Helper()
	opt, err := redis.ParseURL(s.URL)
	if err != nil {
		t.Fatalf("redis URL: %v", err)
	}
	rdb := redis.NewClient(opt)
	t.Cleanup(func() { _ = rdb.Close() })
	return rdb
}

// Unreachable returns a client for a server that accepts connections and
// never answers, as a Redis stuck or cut off behind a firewall would.
func Unreachable(t testing.TB) *redis.Client {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	var (
		mu    sync.Mutex
		conns []net.Conn
	)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	rdb := redis.NewClient(&redis.Options{Addr: ln.Addr().String()})
	t.Cleanup(func() {
		_ = rdb.Close()
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return rdb
}
