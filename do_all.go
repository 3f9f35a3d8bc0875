package coupang

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-coupang/coupang/internal/jsondec"
	"github.com/go-json-experiment/json/jsontext"
)

// DoAll lists every record of a paged GET endpoint that this package does
// not wrap (order sheets, returns, settlements…), page after page, each page
// through Do's path: the client's pacing (the vendor's one budget, shared
// with every other call of the client), signing, retries and errors. It is
// lazy: nothing is sent before the loop starts, one page is held at a time,
// and breaking the loop sends nothing more.
//
// Each page's data is decoded into T, one element at a time, with
// encoding/json as Do decodes out: an array is the page's records, one
// object is one record, null or absent (or an empty answer) is none. An
// element that does not fit T is yielded as a *RequestError in its place
// (naming the element and the shapes, never the value), and DoAll goes on
// with the next; any other error (validation, transport, Coupang's error
// answers, a page whose data is a scalar, a paging fault) is yielded once,
// after the records before it, and ends the iteration. So a loop that skips
// errors still gets every good record, and stops by itself.
//
// Paging follows the envelope's nextToken (sent back as the query parameter
// nextToken; a nextToken already in query resumes a listing) until it is
// empty, or with WithPageIndex a page index. The guards are All's: a token
// or index Coupang repeats, one longer than 4 KiB, or more than 2,000 pages
// end the iteration with an error matching ErrPagingLoop. The query is
// copied, never changed, and each page's query is encoded once and signed
// exactly as sent. WithResponse receives the metadata of the last answer.
//
// Endpoint: GET path at the client's base URL, one request a page.
func DoAll[T any](ctx context.Context, c *Client, path string, query url.Values, opts ...CallOption) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		if c == nil {
			yield(zero, invalid("client", "must not be nil"))
			return
		}
		if err := checkPath(path); err != nil {
			yield(zero, err)
			return
		}
		if err := checkOut(new(T)); err != nil {
			yield(zero, err)
			return
		}
		cc, err := c.forCall(opts)
		if err != nil {
			yield(zero, err)
			return
		}
		p := &pager[T]{c: cc, path: path, query: cloneQuery(query), param: cc.pageIndexParam}
		p.run(ctx, yield)
	}
}

// pager is one iteration of DoAll.
type pager[T any] struct {
	c     *Client
	path  string
	query url.Values
	param string // the page-index parameter, "" to follow nextToken
	guard pageGuard
}

func (p *pager[T]) run(ctx context.Context, yield func(T, error) bool) {
	var zero T
	p.guard.name = "nextToken"
	if p.param != "" {
		p.guard.name = "nextPageIndex"
		if strings.TrimSpace(p.query.Get(p.param)) == "" {
			p.query.Set(p.param, "1")
		}
		// The first index counts as followed: an answer pointing back to
		// it is a loop.
		if err := p.guard.follow(p.query.Get(p.param)); err != nil {
			yield(zero, p.pagingError("before page 1", err))
			return
		}
	}
	for n := 1; ; n++ {
		if err := p.guard.nextPage(); err != nil {
			yield(zero, p.pagingError("before page "+strconv.Itoa(n), err))
			return
		}
		var env envelope[doData]
		req := &apiRequest{method: http.MethodGet, path: p.path, query: p.query.Encode()}
		if _, err := call(ctx, p.c, req, &env); err != nil {
			yield(zero, err)
			return
		}
		records, stop := p.yieldRecords(env.Data.raw, n, yield)
		if stop {
			return
		}
		next, ok := p.next(&env, records)
		if !ok {
			return
		}
		if err := p.guard.follow(next); err != nil {
			p.c.logPagingLoop(ctx, next)
			yield(zero, p.pagingError("after page "+strconv.Itoa(n), err))
			return
		}
		if p.param != "" {
			p.query.Set(p.param, next)
		} else {
			p.query.Set("nextToken", next)
		}
	}
}

// next is the token or index of the page after this one, false after the
// last page.
func (p *pager[T]) next(env *envelope[doData], records int) (string, bool) {
	if p.param == "" {
		tok := strings.TrimSpace(env.NextToken)
		return tok, tok != ""
	}
	if env.Data.hasPageIndex {
		return env.Data.nextPageIndex, env.Data.nextPageIndex != ""
	}
	// No nextPageIndex at all: the next index, until a page is empty.
	cur, err := strconv.Atoi(strings.TrimSpace(p.query.Get(p.param)))
	if records == 0 || err != nil {
		return "", false
	}
	return strconv.Itoa(cur + 1), true
}

// yieldRecords yields the records of page n, and reports how many the page
// held and whether the loop stopped (or the page cannot be read).
func (p *pager[T]) yieldRecords(raw []byte, n int, yield func(T, error) bool) (int, bool) {
	var zero T
	if len(raw) == 0 {
		return 0, false
	}
	switch jsontext.Value(raw).Kind() {
	case 'n':
		return 0, false
	case '{':
		return 1, !p.yieldOne(raw, n, 0, yield)
	case '[':
	default:
		yield(zero, &RequestError{Method: http.MethodGet, Path: p.path, Attempts: 1,
			Err: fmt.Errorf("page %d: data is a JSON %s, not an array of records", n, jsondec.KindName(jsontext.Value(raw).Kind()))})
		return 0, true
	}
	dec, release := jsondec.Over(raw, decodeOptions)
	defer release()
	if _, err := dec.ReadToken(); err != nil {
		yield(zero, &RequestError{Method: http.MethodGet, Path: p.path, Attempts: 1, Err: fmt.Errorf("page %d: %w", n, err)})
		return 0, true
	}
	i := 0
	for ; dec.PeekKind() != ']'; i++ {
		elem, err := dec.ReadValue()
		if err != nil {
			yield(zero, &RequestError{Method: http.MethodGet, Path: p.path, Attempts: 1, Err: fmt.Errorf("page %d: %w", n, err)})
			return i, true
		}
		if !p.yieldOne(elem, n, i, yield) {
			return i, true
		}
	}
	return i, false
}

// yieldOne decodes element i of page n into a T and yields it, or its error
// in its place. It reports whether to go on.
func (p *pager[T]) yieldOne(elem []byte, n, i int, yield func(T, error) bool) bool {
	var v T
	if err := decodeInto(elem, &v); err != nil {
		var zero T
		return yield(zero, &RequestError{Method: http.MethodGet, Path: p.path, Attempts: 1,
			Err: fmt.Errorf("record %d of page %d: %w", i, n, err)})
	}
	return yield(v, nil)
}

// pagingError says where a paging fault stopped the listing.
func (p *pager[T]) pagingError(where string, err error) error {
	return fmt.Errorf("coupang: GET %s: listing stopped %s: %w", p.path, where, err)
}

// cloneQuery copies q, so that paging never changes the caller's values.
func cloneQuery(q url.Values) url.Values {
	out := make(url.Values, len(q)+1)
	for k, v := range q {
		out[k] = append([]string(nil), v...)
	}
	return out
}
