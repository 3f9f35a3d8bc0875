package coupangredis

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/go-coupang/coupang"
)

// DefaultChangeLease is how long a pass of coupang's Changes holds the
// store of NewChangeStore without renewing: if the process holding it dies,
// another may start a pass this long after the last renewal. The holder
// renews it every third of it.
const DefaultChangeLease = 30 * time.Second

// NewChangeStore returns a coupang.ChangeStore kept in Redis, for passes of
// (*coupang.ExchangeService).Changes run by several servers of one vendor:
// one pass at a time runs, across processes, under a lease.
//
// BeginPass takes the lease (SET NX with a random token) or returns an error
// matching coupang.ErrPassInProgress; it is renewed every lease/3 while the
// pass is open and the context given to BeginPass lives, and released by
// Close. A holder that dies or hangs loses it after lease (0 means
// DefaultChangeLease). Every Commit checks the token in the same Lua script
// that writes, so a pass that lost its lease cannot overwrite the next
// one's records: its Commit fails with coupang.ErrPassInProgress and what it
// had not committed comes again (delivery is at least once).
//
// Keys: coupang:{vendorID}:changes (a hash: id → creation time and
// fingerprint), :changes-created (a sorted set by creation time, to forget
// old exchanges), :changes-lease and :changes-pass (the last complete
// pass, Unix seconds, written by MarkPass under the same lease check). No
// personal data is stored.
//
// The store keeps each coupang.ClaimKind apart (it is a
// coupang.ChangeKindStore): the records of returns live under
// coupang:{vendorID}:returns:changes and the like, with a lease of their
// own, so that passes over exchanges and returns run side by side.
func NewChangeStore(rdb redis.UniversalClient, vendorID string, lease time.Duration) (coupang.ChangeStore, error) {
	vendorErr := coupang.ValidateVendorID(vendorID)
	switch {
	case rdb == nil:
		return nil, &coupang.ValidationError{Field: "rdb", Reason: "must not be nil"}
	case vendorErr != nil:
		return nil, vendorErr
	case lease < 0 || (lease > 0 && lease < 30*time.Millisecond):
		return nil, &coupang.ValidationError{Field: "lease", Reason: fmt.Sprintf("must be 0 (the default) or at least 30ms, got %v", lease)}
	}
	if lease == 0 {
		lease = DefaultChangeLease
	}
	return newKindStore(rdb, lease, "coupang:{"+vendorID+"}:"), nil
}

func newKindStore(rdb redis.UniversalClient, lease time.Duration, prefix string) *changeStore {
	return &changeStore{
		rdb:    rdb,
		lease:  lease,
		prefix: prefix,
		keys:   []string{prefix + "changes", prefix + "changes-created", prefix + "changes-lease"},
		mark:   []string{prefix + "changes-lease", prefix + "changes-pass"},
	}
}

type changeStore struct {
	rdb    redis.UniversalClient
	lease  time.Duration
	prefix string
	keys   []string // records, created, lease
	mark   []string // lease, last pass
}

// BeginKindPass begins a pass over the records of kind: those of
// coupang.ClaimExchanges under the store's keys, those of another kind
// under keys with the kind after the vendor (coupang:{A00012345}:returns:changes).
func (s *changeStore) BeginKindPass(ctx context.Context, kind coupang.ClaimKind) (coupang.ChangeKindPass, error) {
	if kind == "" || len(kind) > 32 || strings.Trim(string(kind), "abcdefghijklmnopqrstuvwxyz") != "" {
		return nil, &coupang.ValidationError{Field: "kind", Reason: fmt.Sprintf("must be a short lower-case word such as %q, got %q", coupang.ClaimReturns, kind)}
	}
	st := s
	if kind != coupang.ClaimExchanges {
		st = newKindStore(s.rdb, s.lease, s.prefix+string(kind)+":")
	}
	p, err := st.beginPass(ctx)
	if err != nil {
		return nil, err // not a typed nil in the interface
	}
	return p, nil
}

var (
	// releaseScript deletes the lease if this pass still holds it.
	releaseScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`)
	// renewScript extends the lease if this pass still holds it.
	renewScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`)
	// markScript records the last complete pass (ARGV[2]) only while
	// ARGV[1] holds the lease.
	markScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return redis.error_reply('LEASE lost') end
return redis.call('SET', KEYS[2], ARGV[2])`)
	// commitScript writes records (id, created, fingerprint triples from
	// ARGV[3]) and forgets exchanges created before ARGV[2] ("" for none),
	// only while ARGV[1] holds the lease.
	commitScript = redis.NewScript(`
if redis.call('GET', KEYS[3]) ~= ARGV[1] then return redis.error_reply('LEASE lost') end
for i = 3, #ARGV, 3 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i+1] .. '|' .. ARGV[i+2])
  redis.call('ZADD', KEYS[2], ARGV[i+1], ARGV[i])
end
if ARGV[2] ~= '' then
  local old = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[2])
  for _, id in ipairs(old) do redis.call('HDEL', KEYS[1], id) end
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[2])
end
return #ARGV`)
)

func (s *changeStore) BeginPass(ctx context.Context) (coupang.ChangePass, error) {
	p, err := s.beginPass(ctx)
	if err != nil {
		return nil, err // not a typed nil in the interface
	}
	return p, nil
}

func (s *changeStore) beginPass(ctx context.Context) (*changePass, error) {
	token := rand.Text()
	ok, err := s.rdb.SetNX(ctx, s.keys[2], token, s.lease).Result()
	if err != nil {
		return nil, fmt.Errorf("coupangredis: change store: taking the lease: %w", err)
	}
	if !ok {
		return nil, fmt.Errorf("coupangredis: change store of %s: another process holds the lease: %w", s.keys[2], coupang.ErrPassInProgress)
	}
	p := &changePass{s: s, token: token, records: map[int64]coupang.ChangeRecord{}, stop: make(chan struct{})}
	if err := p.load(ctx); err != nil {
		_ = p.Close()
		return nil, err
	}
	p.wg.Add(1)
	go p.renew(ctx)
	return p, nil
}

type changePass struct {
	s     *changeStore
	token string

	mu       sync.Mutex
	records  map[int64]coupang.ChangeRecord
	lastPass time.Time
	closed   bool

	stop chan struct{}
	wg   sync.WaitGroup
}

// load reads the last complete pass, and every record with HSCAN, so that a
// large store does not block Redis with one HGETALL.
func (p *changePass) load(ctx context.Context) error {
	mark, err := p.s.rdb.Get(ctx, p.s.mark[1]).Result()
	switch {
	case errors.Is(err, redis.Nil): // no complete pass recorded
	case err != nil:
		return fmt.Errorf("coupangredis: change store: reading: %w", err)
	default:
		sec, err := strconv.ParseInt(mark, 10, 64)
		if err != nil {
			return fmt.Errorf("coupangredis: change store: the last pass %q is damaged", mark)
		}
		p.lastPass = time.Unix(sec, 0).UTC()
	}
	var cursor uint64
	for {
		kv, next, err := p.s.rdb.HScan(ctx, p.s.keys[0], cursor, "", 1000).Result()
		if err != nil {
			return fmt.Errorf("coupangredis: change store: reading: %w", err)
		}
		for i := 0; i+1 < len(kv); i += 2 {
			id, err1 := strconv.ParseInt(kv[i], 10, 64)
			created, fp, ok := strings.Cut(kv[i+1], "|")
			sec, err2 := strconv.ParseInt(created, 10, 64)
			if err1 != nil || err2 != nil || !ok {
				return fmt.Errorf("coupangredis: change store: record %q is damaged", kv[i])
			}
			p.records[id] = coupang.ChangeRecord{ExchangeID: id, CreatedAt: time.Unix(sec, 0).UTC(), Fingerprint: fp}
		}
		if next == 0 {
			return nil
		}
		cursor = next
	}
}

// renew extends the lease every third of it until the pass closes or ctx
// ends; a pass whose context ended loses the lease when it expires.
func (p *changePass) renew(ctx context.Context) {
	defer p.wg.Done()
	t := time.NewTicker(p.s.lease / 3)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-ctx.Done():
			return
		case <-t.C:
			_ = renewScript.Run(ctx, p.s.rdb, p.s.keys[2:], p.token, p.s.lease.Milliseconds()).Err()
		}
	}
}

func (p *changePass) Lookup(_ context.Context, id int64) (coupang.ChangeRecord, bool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	r, ok := p.records[id]
	return r, ok, nil
}

func (p *changePass) Records(_ context.Context, from, to time.Time) ([]coupang.ChangeRecord, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []coupang.ChangeRecord
	for _, r := range p.records {
		if !r.CreatedAt.Before(from) && !r.CreatedAt.After(to) {
			out = append(out, r)
		}
	}
	return out, nil
}

func (p *changePass) LastPass(context.Context) (time.Time, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.lastPass, nil
}

func (p *changePass) MarkPass(ctx context.Context, t time.Time) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return errors.New("coupangredis: the change pass is closed")
	}
	if err := markScript.Run(ctx, p.s.rdb, p.s.mark, p.token, t.Unix()).Err(); err != nil {
		return p.writeError(err)
	}
	p.lastPass = time.Unix(t.Unix(), 0).UTC()
	return nil
}

// writeError is the error of a script that writes under the lease.
func (p *changePass) writeError(err error) error {
	if strings.Contains(err.Error(), "LEASE lost") {
		return fmt.Errorf("coupangredis: change store: this pass lost its lease (it was held too long without renewal): %w", coupang.ErrPassInProgress)
	}
	return fmt.Errorf("coupangredis: change store: writing: %w", err)
}

func (p *changePass) Commit(ctx context.Context, records []coupang.ChangeRecord, forgetBefore time.Time) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return errors.New("coupangredis: the change pass is closed")
	}
	cut := ""
	if !forgetBefore.IsZero() {
		cut = strconv.FormatInt(forgetBefore.Unix(), 10)
	}
	// Batches of 500 records keep each script short; each checks the lease.
	for first := true; first || len(records) > 0; first = false {
		n := min(len(records), 500)
		args := make([]any, 0, 2+3*n)
		batchCut := ""
		if n == len(records) {
			batchCut = cut // forget with the last batch
		}
		args = append(args, p.token, batchCut)
		for _, r := range records[:n] {
			args = append(args, strconv.FormatInt(r.ExchangeID, 10), strconv.FormatInt(r.CreatedAt.Unix(), 10), r.Fingerprint)
		}
		if err := commitScript.Run(ctx, p.s.rdb, p.s.keys, args...).Err(); err != nil {
			return p.writeError(err)
		}
		for _, r := range records[:n] {
			p.records[r.ExchangeID] = r
		}
		records = records[n:]
	}
	if !forgetBefore.IsZero() {
		for id, r := range p.records {
			if r.CreatedAt.Before(forgetBefore) {
				delete(p.records, id)
			}
		}
	}
	return nil
}

func (p *changePass) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	p.mu.Unlock()
	close(p.stop)
	p.wg.Wait()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := releaseScript.Run(ctx, p.s.rdb, p.s.keys[2:], p.token).Err(); err != nil {
		return fmt.Errorf("coupangredis: change store: releasing the lease (it expires by itself): %w", err)
	}
	return nil
}
