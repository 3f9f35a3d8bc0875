package coupang

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"time"
)

// Reporting what each attempt learned to a limiter that protects the vendor
// (OutcomeReporter), and the retry wait that defers to its pause.

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

// retryWait is the wait before the next attempt. After a 429, a protecting
// limiter has paused the whole vendor and lets one probe out when the pause
// ends: the goroutine's own backoff would only add a second schedule on top,
// so it goes straight back to Wait. A Retry-After beyond the client's maximum
// backoff still ends the retries. A Retry-After of 0 or a date in the past
// is no reason to resend at once (retryFloor).
func (c *Client) retryWait(attempt int, last attemptResult) (time.Duration, bool) {
	d, ok := c.backoff(attempt, last)
	if _, protects := c.limiter.(OutcomeReporter); ok && protects && last.throttled {
		return 0, true
	}
	if ok && last.hasAfter {
		d = max(d, c.retryFloor())
	}
	return d, ok
}

// retryFloor is the shortest wait before a retry that a Retry-After may ask
// for: the minimum backoff, and at least the pacer's interval when the client
// paces. A server (or a proxy in between) that answers "Retry-After: 0", or a
// date already past by the clock of a machine that runs behind, would
// otherwise have the request resent at once, which against a lockout only
// prolongs it; and with pacing off (WithRateLimit(0)) or a limiter that does
// not protect, nothing else would space the retries.
func (c *Client) retryFloor() time.Duration {
	floor := c.minBackoff
	if c.rateLimit > 0 {
		floor = max(floor, intervalFor(c.rateLimit))
	}
	return floor
}
