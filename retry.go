package coupang

import (
	"context"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// When to send again: which answers are retried, how long to wait between
// attempts, and the wait that defers to a protecting limiter's pause.

// backoff returns the wait before retry number attempt, and false when the
// server asked for a longer wait than the client is willing to make.
func (c *Client) backoff(attempt int, last attemptResult) (time.Duration, bool) {
	if last.hasAfter {
		if last.retryAfter > c.maxBackoff || last.retryAfter < 0 {
			return 0, false
		}
		return last.retryAfter, true
	}
	base := c.minBackoff
	if last.throttled {
		// Coupang may keep a vendor locked out for minutes after a burst of
		// 429s, and every early retry counts against it.
		base *= throttleBackoffFactor
	}
	d := base << (attempt - 1)
	if d > c.maxBackoff || d <= 0 {
		d = c.maxBackoff
	}
	// Equal jitter: half fixed, half random, so that clients that failed
	// together do not retry together.
	half := d / 2
	return half + rand.N(half+1), true
}

// throttleBackoffFactor lengthens the waits after a 429 without Retry-After:
// with the default backoff they start at 2 s instead of 500 ms.
const throttleBackoffFactor = 4

func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func retryableStatus(code int) bool {
	switch code {
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
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

// parseRetryAfter reads a Retry-After header in seconds or as an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(math.MaxInt64/time.Second) {
			return math.MaxInt64, true // longer than anyone will wait
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}
