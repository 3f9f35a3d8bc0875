package coupang

import (
	"crypto/sha256"
	"fmt"
)

// The guards every paging loop of the package shares (All's windows and
// DoAll): a page token Coupang repeats or one that is far too long, and a cap
// on the pages followed, all reported as ErrPagingLoop. A server whose paging
// never ends must not make a loop call it forever.

// tokenSet remembers the nextTokens of one window by their SHA-256, so that
// memory stays at 32 bytes a page whatever the tokens' size.
type tokenSet map[[sha256.Size]byte]struct{}

// add records tok, or says why All must not follow it.
func (ts *tokenSet) add(tok string) error { return ts.addNamed(tok, "nextToken", "of this window") }

// addNamed is add for a token called name (nextToken, nextPageIndex), whose
// scope (this window, this listing) the repeat message names.
func (ts *tokenSet) addNamed(tok, name, scope string) error {
	// The bound a caller's NextToken is held to: a server that sends huge
	// tokens should not cost memory or request size.
	if len(tok) > maxNextTokenLength {
		return fmt.Errorf("%s of %d bytes is longer than %d: %w", name, len(tok), maxNextTokenLength, ErrPagingLoop)
	}
	if *ts == nil {
		*ts = tokenSet{}
	}
	h := sha256.Sum256([]byte(tok))
	if _, seen := (*ts)[h]; seen {
		return fmt.Errorf("a %s %s repeated by Coupang: %w", name, scope, ErrPagingLoop)
	}
	(*ts)[h] = struct{}{}
	return nil
}

// pageGuard is the guards of one paged listing: the tokens followed so far
// and the number of pages asked for, capped at maxPagesPerWindow like one of
// All's windows.
type pageGuard struct {
	tokens tokenSet
	pages  int
	name   string // what the token is called: nextToken or nextPageIndex
}

// nextPage counts one more page to ask for, or says why not.
func (g *pageGuard) nextPage() error {
	if g.pages >= maxPagesPerWindow {
		return fmt.Errorf("more than %d pages: Coupang's paging seems to loop: %w", maxPagesPerWindow, ErrPagingLoop)
	}
	g.pages++
	return nil
}

// follow records tok as the token of the next page, or says why it must not
// be followed.
func (g *pageGuard) follow(tok string) error {
	return g.tokens.addNamed(tok, g.name, "of this listing")
}
