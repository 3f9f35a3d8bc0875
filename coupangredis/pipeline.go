package coupangredis

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/go-coupang/coupang"
)

// Pipeline sends the wait script's calls of many Limiters of one process
// together: the Waits that ask Redis at the same moment, for different
// vendors, go out as one go-redis pipeline, so that one write and one read
// serve all of them instead of a pooled connection, a write and a read each.
// Give it to every Limiter of the process with WithPipeline; it is for a
// process that paces many vendors (hundreds or thousands), where go-redis's
// own work per command is most of what a Wait costs (BENCHMARKS.md).
//
// A Wait that finds no other call under way is sent at once, alone, on its
// own goroutine, as without a Pipeline: one round trip, nothing added.
// While one is out, the others queue, and a writer goroutine (one of a few)
// sends whatever is queued, at most 128 calls, as one pipeline; what
// queues meanwhile goes in the next.
//
// Every Limiter keeps its behaviour: its Redis timeout (a batch is bounded
// by the longest timeout among the Limiters in it, so that no call is cut
// short by another Limiter's shorter one), its fallback when the batch
// fails (every caller in a failed batch gets the failure, and each Limiter
// falls back on its own), its counting in Stats (one round trip per call,
// batched or not). A caller whose context ends while its call is queued
// leaves at once and nothing is sent for it; one whose call is already on
// the wire in a batch leaves at once too, and a slot Redis reserved for it
// is forfeited as a slot whose caller left before it came (see
// Limiter.Wait), a probe given back. A call that went out alone is as
// without a Pipeline (see WithRedisTimeout).
//
// Report, State and the change store call Redis directly, as without a
// Pipeline: they are rare. Close stops the writers; the Limiters then call
// Redis directly. A Pipeline is safe for concurrent use.
type Pipeline struct {
	rdb   redis.UniversalClient
	queue chan *waitRequest
	done  chan struct{} // closed by Close: writers stop
	once  sync.Once
	wg    sync.WaitGroup // writers, and the probes they give back

	// inflight counts the wait calls under way through the Pipeline: one
	// that finds none goes out alone on its caller's goroutine.
	inflight atomic.Int64
	batches  atomic.Int64
	commands atomic.Int64
}

// Sizes. Batches of 128 take Redis ~1–2 ms to run at 10–15 µs a script
// call, short enough for the callers queued behind them; two writers let one
// batch be written and read while Redis runs the other, and keep one free
// for a lone Wait while a batch is out.
const (
	maxPipelineBatch = 128
	pipelineWriters  = 2
	pipelineQueue    = 4096
)

// errPipelineClosed: the request was not sent because the Pipeline was
// closed; the caller calls Redis directly.
var errPipelineClosed = errors.New("coupangredis: pipeline closed")

// NewPipeline starts a Pipeline that sends through rdb: the client every
// Limiter given it (WithPipeline) is made with. Close it when the Limiters
// are no longer used, before closing rdb.
func NewPipeline(rdb redis.UniversalClient) *Pipeline {
	p := &Pipeline{
		rdb:   rdb,
		queue: make(chan *waitRequest, pipelineQueue),
		done:  make(chan struct{}),
	}
	if rdb == nil { // NewLimiter refuses it with WithPipeline: nothing to run
		return p
	}
	for range pipelineWriters {
		p.wg.Go(p.write)
	}
	return p
}

// WithPipeline makes the Limiter send its Wait's Redis call through p, in
// one pipeline with the calls other Limiters of the process make at the same
// moment (see Pipeline). p must send through the Redis client given to
// NewLimiter; otherwise Wait returns a *coupang.ValidationError.
func WithPipeline(p *Pipeline) Option {
	return func(c *config) error {
		if p == nil {
			return errors.New("pipeline must not be nil")
		}
		c.pipeline = p
		return nil
	}
}

// Close stops the writers, after the batches on the wire have been answered
// (at most the longest Redis timeout among them; for a cluster or ring
// client without ContextTimeoutEnabled, whose reads ignore it, up to the
// client's ReadTimeout), and returns once they have: no goroutine of the
// Pipeline is left. Waits still queued, and later
// ones, call Redis directly. Close is idempotent and returns nil.
func (p *Pipeline) Close() error {
	p.once.Do(func() {
		close(p.done)
		p.wg.Wait()
		// No writer is left: what is still queued was never sent.
		for {
			select {
			case r := <-p.queue:
				if r.state.CompareAndSwap(reqQueued, reqAnswered) {
					r.reply <- waitResult{err: errPipelineClosed}
				}
				continue
			default:
			}
			break
		}
	})
	return nil
}

// closed reports that Close was called.
func (p *Pipeline) closed() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// Stats reports how many round trips the Pipeline made (a batch, or a call
// that went out alone) and how many wait script calls they held, for
// measuring how many Waits share a round trip.
func (p *Pipeline) Stats() (batches, commands int64) {
	return p.batches.Load(), p.commands.Load()
}

// The states of a waitRequest. The writer takes a queued request before it
// sends it (reqQueued → reqSent) and answers it (reqSent → reqAnswered); a
// caller that leaves marks it reqAbandoned: before it was sent, so that it
// never is, or after, so that the writer handles its answer (forfeit).
const (
	reqQueued int32 = iota
	reqSent
	reqAnswered
	reqAbandoned
)

// waitRequest is one Wait's script call on its way through a Pipeline. A
// Limiter reuses its own (only the goroutine holding the turn uses it) until
// a caller abandons one: the writer may still hold that one.
type waitRequest struct {
	l       *Limiter
	args    []any
	timeout time.Duration
	state   atomic.Int32
	reply   chan waitResult // buffered: the writer never blocks on it
}

type waitResult struct {
	s   string
	err error
	// abandoned: the call may still be on its way, on a goroutine that
	// reads its arguments; the caller must not reuse them.
	abandoned bool
}

// pipelined runs the wait script's call through the Pipeline: args are the
// Limiter's prebuilt command. ok is false when the Pipeline is closed and
// the call was not sent: the caller calls Redis directly.
//
// It waits on its own reply channel and the caller's context only: a
// channel every caller of the process waits on (a "stopped" channel) costs
// a lock shared by thousands of goroutines on every Wait. Close instead
// answers what it finds queued once the writers are gone, and a call queued
// after that is taken back by its caller, below.
func (l *Limiter) pipelined(ctx context.Context, p *Pipeline, args []any) (s string, ok bool, err error) {
	r := l.req
	if r == nil {
		r = &waitRequest{l: l, reply: make(chan waitResult, 1)}
		l.req = r
	}
	r.args, r.timeout = args, l.cfg.timeout
	r.state.Store(reqQueued)
	select {
	case p.queue <- r:
	default: // full: this process's own queue, bounded by the caller's context
		select {
		case p.queue <- r:
		case <-ctx.Done():
			return "", true, ctx.Err() // not queued: the request is still ours
		}
	}
	if p.closed() {
		// Close may have answered the queue before this call joined it: if
		// nobody took it, nobody will.
		if r.state.CompareAndSwap(reqQueued, reqAbandoned) {
			l.dropRequest()
			return "", false, nil
		}
		return l.answered(<-r.reply)
	}
	select {
	case res := <-r.reply:
		return l.answered(res)
	case <-ctx.Done():
		if r.state.CompareAndSwap(reqQueued, reqAbandoned) || r.state.CompareAndSwap(reqSent, reqAbandoned) {
			l.dropRequest()
			return "", true, ctx.Err()
		}
		return l.answered(<-r.reply) // answered meanwhile: take it
	}
}

// answered reads a writer's answer.
func (l *Limiter) answered(res waitResult) (string, bool, error) {
	if res.abandoned {
		l.dropRequest()
	}
	if res.err == errPipelineClosed {
		return "", false, nil
	}
	return res.s, true, res.err
}

// dropRequest leaves an abandoned request, and the arguments it points to,
// to the writer that may still hold them.
func (l *Limiter) dropRequest() {
	l.req = nil
	l.call.args = append([]any(nil), l.call.args...)
}

// write is a writer: it takes whatever is queued, up to maxPipelineBatch
// requests without waiting for more, sends them as one pipeline and answers
// each.
func (p *Pipeline) write() {
	batch := make([]*waitRequest, 0, maxPipelineBatch)
	cmds := make([]*redis.Cmd, 0, maxPipelineBatch)
	clients := map[time.Duration]redis.Pipeliner{} // a pipeline per timeout (pipelineClient)
	for {
		if p.closed() { // Close answers what is queued
			return
		}
		select {
		case r := <-p.queue:
			batch = append(batch, r)
		case <-p.done:
			return
		}
	drain:
		for len(batch) < maxPipelineBatch {
			select {
			case r := <-p.queue:
				batch = append(batch, r)
			default:
				break drain
			}
		}
		cmds = p.send(batch, cmds, clients)
		clear(batch)
		batch = batch[:0]
	}
}

// send sends one batch and answers every request in it.
func (p *Pipeline) send(batch []*waitRequest, cmds []*redis.Cmd, clients map[time.Duration]redis.Pipeliner) []*redis.Cmd {
	live := batch[:0]
	timeout := time.Duration(0)
	for _, r := range batch {
		if r.state.CompareAndSwap(reqQueued, reqSent) { // else its caller left: send nothing
			live = append(live, r)
			timeout = max(timeout, r.timeout)
		}
	}
	if len(live) == 0 {
		return cmds
	}
	p.batches.Add(1)
	p.commands.Add(int64(len(live)))
	pipe, bounded := p.pipeline(clients, timeout)
	var err error
	cmds = cmds[:0]
	if bounded {
		// The client bounds the dial, reads and writes by the deadline; the
		// wait for a pooled connection is this process's own queue (see
		// deadlineCtx).
		ctx := &deadlineCtx{context.Background(), time.Now().Add(timeout)}
		cmds, err = execWaits(ctx, pipe, live, cmds)
	} else {
		// A cluster or ring client without ContextTimeoutEnabled: its reads
		// ignore the deadline, so the batch is abandoned at the timeout and
		// its late answers are handled as those of callers who left. Its
		// context keeps the deadline but is never cancelled: the batch goes
		// on (a NOSCRIPT answer is sent again by source) for those answers.
		ctx := &deadlineCtx{context.Background(), time.Now().Add(timeout)}
		timer := time.NewTimer(timeout)
		type result struct {
			cmds []*redis.Cmd
			err  error
		}
		done := make(chan result, 1)
		own := append([]*waitRequest(nil), live...) // batch is reused
		go func() {
			c, err := execWaits(ctx, pipe, own, nil)
			done <- result{c, err}
		}()
		select {
		case res := <-done:
			timer.Stop()
			cmds, err = res.cmds, res.err
		case <-timer.C:
			for _, r := range own {
				if r.state.CompareAndSwap(reqSent, reqAnswered) {
					r.reply <- waitResult{err: fmt.Errorf("no answer from Redis within %v: %w", timeout, context.DeadlineExceeded), abandoned: true}
				}
			}
			p.wg.Go(func() {
				res := <-done
				for i, r := range own {
					if i < len(res.cmds) {
						p.orphan(r, res.cmds[i])
					}
				}
			})
			return cmds
		}
	}
	for i, r := range live {
		var res waitResult
		if i < len(cmds) {
			res.s, res.err = cmds[i].Text()
		} else {
			res.err = err
		}
		res.err = timeoutError(res.err, timeout)
		if r.state.CompareAndSwap(reqSent, reqAnswered) {
			r.reply <- res
		} else if i < len(cmds) {
			p.orphan(r, cmds[i])
		}
	}
	clear(cmds)
	return cmds[:0]
}

// pipeline returns a pipeline whose client bounds every read and write by
// timeout (bounded), or, for a cluster or ring client without
// ContextTimeoutEnabled, the client's own.
func (p *Pipeline) pipeline(clients map[time.Duration]redis.Pipeliner, timeout time.Duration) (pipe redis.Pipeliner, bounded bool) {
	if pipe, ok := clients[timeout]; ok {
		return pipe, true
	}
	switch c := p.rdb.(type) {
	case *redis.Client:
		if !c.Options().ContextTimeoutEnabled {
			c = c.WithTimeout(timeout) // shares the pool; see directClient
		}
		pipe = c.Pipeline()
	case *redis.ClusterClient:
		if !c.Options().ContextTimeoutEnabled {
			return c.Pipeline(), false
		}
		pipe = c.Pipeline()
	case *redis.Ring:
		if !c.Options().ContextTimeoutEnabled {
			return c.Pipeline(), false
		}
		pipe = c.Pipeline()
	default:
		return p.rdb.Pipeline(), false
	}
	if len(clients) < 8 { // a process has a few distinct timeouts at most
		clients[timeout] = pipe
	}
	return pipe, true
}

// execWaits sends the requests' commands as one pipeline, and those Redis
// answered NOSCRIPT (it lost the script: a restart, SCRIPT FLUSH) again by
// source, as runWait does.
func execWaits(ctx context.Context, pipe redis.Pipeliner, live []*waitRequest, cmds []*redis.Cmd) ([]*redis.Cmd, error) {
	for _, r := range live {
		cmds = append(cmds, pipe.Do(ctx, r.args...))
	}
	_, err := pipe.Exec(ctx)
	if err == nil {
		return cmds, nil
	}
	var again []int
	for i, c := range cmds {
		if redis.HasErrorPrefix(c.Err(), "NOSCRIPT") {
			again = append(again, i)
		}
	}
	if len(again) == 0 {
		return cmds, err
	}
	for _, i := range again {
		src := append([]any(nil), live[i].args...)
		src[waitName], src[waitSHA] = "eval", waitSource
		cmds[i] = pipe.Do(ctx, src...)
	}
	_, err = pipe.Exec(ctx)
	return cmds, err
}

// orphan handles the answer to a caller that left while its call was on the
// wire: a slot Redis reserved for it is forfeited (the grant hook hears of
// it), and a probe is given back, as when a caller leaves while it waits for
// its reserved slot.
func (p *Pipeline) orphan(r *waitRequest, cmd *redis.Cmd) {
	s, err := cmd.Text()
	if err != nil {
		return
	}
	w, err := parseWaitReply(s)
	if err != nil || w.code != 0 {
		return
	}
	l := r.l
	if l.onGrant != nil {
		l.onGrant(time.Unix(0, int64(w.slot*1e6)), false)
	}
	if w.kind == "probe" {
		l.probeOut.Store(true)
		p.wg.Go(func() { l.Report(context.Background(), coupang.Outcome{Kind: coupang.OutcomeNoAnswer}) })
	}
}
