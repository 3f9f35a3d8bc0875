package claims

import (
	"context"
	"sync"
)

// Locks is a mutex per record id, so that two goroutines running an Ensure
// for the same record take turns (the second then finds the effect there)
// while Ensures for different records run in parallel. The zero value is
// ready; entries are dropped when nobody holds or waits.
type Locks struct {
	mu sync.Mutex
	m  map[int64]*lock
}

type lock struct {
	ch   chan struct{} // holds a token while locked
	refs int
}

// Lock waits for the lock of id or for ctx to end.
func (k *Locks) Lock(ctx context.Context, id int64) (unlock func(), err error) {
	k.mu.Lock()
	if k.m == nil {
		k.m = map[int64]*lock{}
	}
	l := k.m[id]
	if l == nil {
		l = &lock{ch: make(chan struct{}, 1)}
		k.m[id] = l
	}
	l.refs++
	k.mu.Unlock()

	release := func() {
		k.mu.Lock()
		l.refs--
		if l.refs == 0 {
			delete(k.m, id)
		}
		k.mu.Unlock()
	}
	select {
	case l.ch <- struct{}{}:
	case <-ctx.Done():
		release()
		return nil, ctx.Err()
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			<-l.ch
			release()
		})
	}, nil
}
