package coupang

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"time"
)

// Reporting what each attempt learned to a limiter that protects the vendor
// (OutcomeReporter); the wait that defers to its pause is in retry.go.

// report tells a protecting limiter what one attempt that passed Wait
// learned. It is deferred by attempt, so exactly one report follows every
// attempt; a Kind still zero means that no answer arrived. The report outlives
// the caller's context: a cancelled caller must still release a probe, and a
// shared limiter (Redis) must still hear of a 429.
func (c *Client) report(ctx context.Context, o *Outcome) {
	r, ok := c.limiter.(OutcomeReporter)
	if !ok {
		return
	}
	if o.Kind == 0 {
		*o = Outcome{Kind: OutcomeNoAnswer}
	}
	r.Report(context.WithoutCancel(ctx), *o)
}

// answerOutcome classifies an answer. body is the start of a non-2xx body (nil
// for a 2xx): a 403 is a block only when it is the CDN's HTML page, not
// Coupang's JSON "Not allowed IP".
func answerOutcome(resp *http.Response, body []byte) Outcome {
	o := Outcome{StatusCode: resp.StatusCode, Warning: resp.Header.Get("X-CAG-Warnings")}
	if after, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
		o.RetryAfter = after
	}
	switch s := resp.StatusCode; {
	case s >= 200 && s <= 299:
		o.Kind = OutcomeSuccess
	case s == http.StatusTooManyRequests:
		o.Kind = OutcomeThrottled
	case s == http.StatusMovedPermanently, s == http.StatusFound, s == http.StatusSeeOther,
		s == http.StatusTemporaryRedirect, s == http.StatusPermanentRedirect:
		o.Kind = OutcomeBlocked
	case s == http.StatusForbidden && isHTML(resp.Header, body):
		o.Kind = OutcomeBlocked
	default:
		o.Kind = OutcomeError
	}
	return o
}

func isHTML(h http.Header, body []byte) bool {
	if strings.Contains(strings.ToLower(h.Get("Content-Type")), "html") {
		return true
	}
	return bytes.HasPrefix(bytes.TrimSpace(body), []byte("<"))
}
