package coupangtest

import (
	"slices"
	"time"

	"github.com/go-coupang/coupang"
)

// scheduledUpdate is a change UpdateExchangeAt applies once the server's
// clock reaches at.
type scheduledUpdate struct {
	at time.Time
	fn func(*coupang.ExchangeRequest)
}

// UpdateExchangeAt changes the stored exchange id with fn once the server's
// clock (see WithClock) reaches at, before anything reads it: state that
// changes over time on Coupang's side, such as a pickup completing or a
// customer withdrawing while a sync worker polls. Updates due at the same
// time apply in the order they were scheduled. fn must not call the
// Server's methods. It reports whether the exchange exists.
func (s *Server) UpdateExchangeAt(at time.Time, id int64, fn func(*coupang.ExchangeRequest)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.exchanges[id]
	if !ok || fn == nil {
		return ok
	}
	i, _ := slices.BinarySearchFunc(rec.scheduled, at, func(u scheduledUpdate, t time.Time) int {
		if u.at.After(t) {
			return 1
		}
		return -1 // equal times go after the ones already scheduled
	})
	rec.scheduled = slices.Insert(rec.scheduled, i, scheduledUpdate{at: at, fn: fn})
	s.idx.schedule(at, rec)
	s.applyDue(rec)
	return true
}

// AddExchangeLate stores ex like AddExchange, but Coupang shows it only
// once the server's clock reaches visibleAt: before, list calls leave it out
// and writes answer 404, although its CreatedAt may be long past. That is
// how records that appear late look to a poller, which must still find them.
func (s *Server) AddExchangeLate(visibleAt time.Time, ex coupang.ExchangeRequest) int64 {
	id := s.AddExchange(ex)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.exchanges[id].hiddenUntil = visibleAt
	return id
}

// StartIncident makes every list answer show each exchange changed by fn,
// without changing what is stored, until EndIncident: Coupang's incidents
// look like this (2021-07-07: safe numbers sent as null for six hours, and
// sellers had to collect again). fn receives a copy and must not call the
// Server's methods.
func (s *Server) StartIncident(fn func(*coupang.ExchangeRequest)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.incident = fn
}

// EndIncident makes list answers show the stored exchanges again.
func (s *Server) EndIncident() { s.StartIncident(nil) }

// applyDue applies rec's scheduled updates whose time has come. Called
// with s.mu held.
func (s *Server) applyDue(rec *record) {
	if len(rec.scheduled) == 0 {
		return
	}
	now := s.now()
	n := 0
	for _, u := range rec.scheduled {
		if u.at.After(now) {
			break
		}
		id := rec.ex.ExchangeID
		u.fn(&rec.ex)
		rec.ex.ExchangeID = id
		rec.ex = cloneExchange(rec.ex)
		n++
	}
	rec.scheduled = slices.Delete(rec.scheduled, 0, n)
	if n > 0 {
		s.reindex(rec)
	}
}

// visible reports whether a list call shows rec now. Called with s.mu held.
func (s *Server) visible(rec *record) bool {
	return rec.hiddenUntil.IsZero() || !s.now().Before(rec.hiddenUntil)
}

// listed is rec as a list call shows it now. Called with s.mu held.
func (s *Server) listed(rec *record) coupang.ExchangeRequest {
	if s.incident == nil {
		return rec.ex
	}
	ex := cloneExchange(rec.ex)
	s.incident(&ex)
	return ex
}
