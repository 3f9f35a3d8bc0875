package main

import (
	"fmt"
	"io"
	"net/http"
	"sync"
)

// progress counts the requests a listing sends and the windows it has
// reached, by watching the requests go out: All splits a long range into
// 7-day windows and each window starts with a new createdAtFrom.
type progress struct {
	next http.RoundTripper

	mu       sync.Mutex
	requests int
	froms    map[string]bool
}

// RoundTrip counts req and passes it on.
func (p *progress) RoundTrip(req *http.Request) (*http.Response, error) {
	p.mu.Lock()
	p.requests++
	if p.froms == nil {
		p.froms = map[string]bool{}
	}
	p.froms[req.URL.Query().Get("createdAtFrom")] = true
	p.mu.Unlock()
	return p.next.RoundTrip(req)
}

// counts returns the windows reached and the requests sent so far.
func (p *progress) counts() (windows, requests int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.froms), p.requests
}

// progressLine rewrites one line on a terminal: "\r" returns to its start
// and "\x1b[K" clears what a longer previous line left.
type progressLine struct {
	w     io.Writer
	shown bool
}

func (l *progressLine) show(format string, args ...any) {
	fmt.Fprintf(l.w, "\r"+format+"\x1b[K", args...)
	l.shown = true
}

// done ends the line so that what follows starts on a fresh one.
func (l *progressLine) done() {
	if l.shown {
		fmt.Fprintln(l.w)
	}
}
