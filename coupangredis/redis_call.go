package coupangredis

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// How a Limiter calls Redis. A Wait is one script call, so what the call
// costs on top of go-redis's own work is what a Wait costs: with thousands
// of vendors in one process a goroutine, a channel and a select per call,
// and formatting every argument anew, made a Wait cost ~1.6× redis_rate's
// client CPU (BENCHMARKS.md).

// directClient returns the client through which eval can call Redis on the
// caller's goroutine with every call still bounded by timeout, or nil when
// there is none and eval must bound the call itself.
//
// go-redis applies a context's deadline to reads and writes only with
// ContextTimeoutEnabled; otherwise a Redis that stopped answering would hold
// the call for the client's ReadTimeout (3 s by default). A *redis.Client
// without it is cloned with WithTimeout, which shares its connection pool,
// hooks and settings but reads and writes with timeout as deadline; the
// context's deadline still bounds the wait for a pooled connection and the
// dial, but a cancellation during a read or write is noticed only at timeout
// (documented on WithRedisTimeout: the price of no goroutine per call). A cluster or ring client without ContextTimeoutEnabled cannot be
// cloned so: eval then calls it on a goroutine of its own and abandons the
// call at the timeout, as before.
func directClient(rdb redis.UniversalClient, timeout time.Duration) redis.Scripter {
	switch c := rdb.(type) {
	case *redis.Client:
		if c.Options().ContextTimeoutEnabled {
			return c
		}
		return c.WithTimeout(timeout)
	case *redis.ClusterClient:
		if c.Options().ContextTimeoutEnabled {
			return c
		}
	case *redis.Ring:
		if c.Options().ContextTimeoutEnabled {
			return c
		}
	}
	return nil
}

// eval runs a script, bounded by the Redis timeout.
func (l *Limiter) eval(ctx context.Context, s *redis.Script, args ...any) (reply, error) {
	ctx, cancel := context.WithTimeout(ctx, l.cfg.timeout)
	defer cancel()
	if l.direct != nil {
		v, err := s.Run(ctx, l.direct, l.keys, args...).Slice()
		if err != nil {
			if isTimeout(err) {
				return nil, fmt.Errorf("no answer from Redis within %v: %w", l.cfg.timeout, err)
			}
			return nil, err
		}
		return reply(v), nil
	}
	type result struct {
		v   []any
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := s.Run(ctx, l.rdb, l.keys, args...).Slice()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			return nil, r.err
		}
		return reply(r.v), nil
	case <-ctx.Done():
		return nil, fmt.Errorf("no answer from Redis within %v: %w", l.cfg.timeout, ctx.Err())
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

// tokenSource names this process's grants for the probe lease: a random
// prefix drawn once, so that processes never collide, and a counter, so
// that a grant costs no call to crypto/rand.
type tokenSource struct {
	prefix string
	n      atomic.Uint64
}

func (t *tokenSource) init() {
	var b [8]byte
	_, _ = rand.Read(b[:])
	t.prefix = hex.EncodeToString(b[:]) + ":"
}

func (t *tokenSource) next() string {
	return t.prefix + strconv.FormatUint(t.n.Add(1), 36)
}
