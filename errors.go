package coupang

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Sentinel errors for errors.Is. An *APIError matches the one for its status.
var (
	// ErrUnauthorized: HTTP 401. Coupang's gateway rejected the signature
	// ("Invalid signature.", "Specified signature is expired.", "HMAC format is
	// invalid.") or the keys (they expire after 180 days).
	ErrUnauthorized = errors.New("coupang: unauthorized")
	// ErrForbidden: HTTP 403 (for instance "Not allowed IP": calls are accepted
	// only from registered addresses) or a redirect, which is how Coupang's CDN
	// answers a blocked IP address or vendor.
	ErrForbidden = errors.New("coupang: forbidden")
	// ErrNotFound: HTTP 404, a wrong path, vendor id or exchange id.
	ErrNotFound = errors.New("coupang: not found")
	// ErrRateLimited: HTTP 429. The vendor exceeded its request budget; Coupang
	// may keep it locked out for minutes. See WithRateLimit. A write answered
	// 429 also matches ErrOutcomeUnknown: nothing shows whether Coupang
	// applied it before answering (see WithRetryWritesOn429).
	ErrRateLimited = errors.New("coupang: rate limited")
	// ErrOutcomeUnknown: a write (PUT, PATCH, POST, DELETE) was sent but its
	// outcome is unknown — a 429, 408 or 5xx, a timeout or a dropped
	// connection after the request was written, or an unreadable success
	// body. It is never retried automatically, because Coupang may have
	// applied it. Learn the exchange's state with ExchangeService.Relist
	// before trying the write again, or use the Ensure… calls, which do.
	ErrOutcomeUnknown = errors.New("coupang: outcome unknown")
	// ErrBusinessFailure: Coupang answered HTTP 200 but refused the request,
	// with data.resultCode FAIL and its reason in data.resultMessage (for
	// instance rejecting an exchange that is no longer rejectable).
	ErrBusinessFailure = errors.New("coupang: business failure")
	// ErrPagingLoop: All stopped because Coupang's paging of one window
	// does not end: it repeated a nextToken of the window, sent one longer
	// than 4 KiB, or handed out new ones far beyond any real number of
	// exchanges in one window. It ends the iteration, after the records
	// before it.
	ErrPagingLoop = errors.New("coupang: paging does not end")
	// ErrBlocked: the vendor or IP address is blocked by Coupang (a 302 or a
	// 403 HTML "Access Denied" page), and the client refuses to send until the
	// cool-down ends, because calling on makes the block last longer. A
	// *PauseError says until when.
	ErrBlocked = errors.New("coupang: blocked")
)

// APIError is Coupang's answer when it is not a success: any non-2xx status,
// and an HTTP 200 whose envelope code or data.resultCode says the request
// failed (Coupang reports business failures such as "not rejectable" that way).
//
// Use errors.Is with ErrUnauthorized, ErrForbidden, ErrNotFound,
// ErrRateLimited, ErrOutcomeUnknown and ErrBusinessFailure, or errors.As to
// read the fields. (ErrPagingLoop and ErrBlocked are reported by other errors:
// All's paging error and *PauseError.)
//
// Message is Coupang's own text, passed on as sent because operators need it;
// it is not written by this package. Body, which may echo what was sent, is
// kept out of every fmt verb (%v, %+v, %s, %#v, …) and of LogValue: read it
// only on purpose.
type APIError struct {
	// StatusCode is the HTTP status; 200 for a business failure.
	StatusCode int
	// Code is Coupang's envelope code as sent ("ERROR", "400", "200"), if any.
	Code string
	// Message is Coupang's message, or data.resultMessage for a business
	// failure, or the title of an HTML error page: Coupang's text, as sent.
	Message string
	// ResultCode is data.resultCode ("FAIL") for a business failure.
	ResultCode string
	// TransactionID is Coupang's transactionId, to quote to Coupang's support.
	TransactionID string
	// Body is a bounded snippet (at most 512 bytes) of a body that is not JSON,
	// such as the HTML pages Coupang's CDN answers with. Empty for JSON bodies,
	// which may hold personal data. Never printed by fmt or logged by slog.
	Body string
	// Method and Path identify the request (the path holds ids only).
	Method, Path string
	// Location is the redirect target of a 3xx answer.
	Location string
	// RetryAfter is the wait the server asked for in Retry-After, if any.
	RetryAfter time.Duration
	// Attempts is how many times the request was sent.
	Attempts int
	// OutcomeUnknown reports that this was a write Coupang may or may not have
	// applied: answered with a 429 (see WithRetryWritesOn429), a 5xx
	// or a 408, or with an envelope or result code that says neither success
	// nor a definite failure.
	// errors.Is(err, ErrOutcomeUnknown) is true.
	OutcomeUnknown bool

	// cause is why the body could not be read in full, such as the end of
	// the context; Unwrap returns it, so that errors.Is(err,
	// context.DeadlineExceeded) holds when a deadline cut the body short.
	cause error
}

// Unwrap returns why the error body could not be read in full, if it could
// not: for instance context.DeadlineExceeded.
func (e *APIError) Unwrap() error { return e.cause }

// bodyCut records that the body could not be read in full, and why.
func (e *APIError) bodyCut(err error) {
	e.cause = err
	if e.Message == unreadableJSON || e.Message == "" {
		e.Message = "error body cut short"
	}
}

// Error describes the failure without any secret or personal data.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("coupang: ")
	if e.Method != "" {
		b.WriteString(e.Method + " " + e.Path + ": ")
	}
	if e.ResultCode != "" {
		b.WriteString("business failure (HTTP " + strconv.Itoa(e.StatusCode) + ", resultCode " + e.ResultCode + ")")
	} else {
		b.WriteString(strconv.Itoa(e.StatusCode))
		if t := http.StatusText(e.StatusCode); t != "" {
			b.WriteString(" " + t)
		}
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.Code != "" && e.Code != strconv.Itoa(e.StatusCode) {
		b.WriteString(" (code " + e.Code + ")")
	}
	if e.Location != "" {
		b.WriteString(" (redirected to " + e.Location + "; Coupang redirects blocked callers)")
	}
	if e.TransactionID != "" {
		b.WriteString(" [transactionId " + e.TransactionID + "]")
	}
	if e.Attempts > 1 {
		b.WriteString(" after " + strconv.Itoa(e.Attempts) + " attempts")
	}
	if e.cause != nil {
		b.WriteString(" (reading the body: " + e.cause.Error() + ")")
	}
	if e.OutcomeUnknown {
		b.WriteString("; outcome unknown: the request may have been applied, list again before retrying")
	}
	return b.String()
}

// Is makes errors.Is match the sentinel for the status.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden || (e.StatusCode >= 300 && e.StatusCode < 400)
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrOutcomeUnknown:
		return e.OutcomeUnknown
	case ErrBusinessFailure:
		return strings.EqualFold(e.ResultCode, "FAIL")
	}
	return false
}

// RequestError is a failure to get any answer from Coupang: the connection
// could not be made or broke, the context ended, or the answer could not be
// read. It wraps the cause; errors.Is(err, context.DeadlineExceeded) and
// errors.Is(err, ErrOutcomeUnknown) work through it.
type RequestError struct {
	// Method and Path identify the request.
	Method, Path string
	// Attempts is how many times the request was sent or tried.
	Attempts int
	// OutcomeUnknown reports that a write may have been applied.
	OutcomeUnknown bool
	// Err is the cause.
	Err error
}

// Error describes the failure.
func (e *RequestError) Error() string {
	var b strings.Builder
	b.WriteString("coupang: " + e.Method + " " + e.Path + ": ")
	if e.OutcomeUnknown {
		b.WriteString("outcome unknown (the request may have been applied; list again before retrying): ")
	}
	b.WriteString(e.Err.Error())
	if e.Attempts > 1 {
		b.WriteString(" (after " + strconv.Itoa(e.Attempts) + " attempts)")
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *RequestError) Unwrap() error { return e.Err }

// Is matches ErrOutcomeUnknown when the write may have been applied.
func (e *RequestError) Is(target error) bool {
	return target == ErrOutcomeUnknown && e.OutcomeUnknown
}

// ValidationError reports input that cannot be sent to Coupang. It is returned
// before any request is made.
type ValidationError struct {
	// Field names the offending input by its Go name: a parameter such as
	// "exchangeID", an option such as "baseURL", or a struct field such as
	// "CreatedAtTo" or "invoices[1].InvoiceNumber".
	Field string
	// Reason says what is wrong and what is expected.
	Reason string
}

// Error describes the invalid input.
func (e *ValidationError) Error() string {
	return "coupang: invalid " + e.Field + ": " + e.Reason
}

func invalid(field, format string, args ...any) error {
	return &ValidationError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// unreadableJSON is the message of an error whose JSON body is not Coupang's
// shape, or is cut short.
const unreadableJSON = "unreadable JSON error body"

// maxErrorBody bounds how much of an error body is read and kept.
const (
	maxErrorBody   = 64 << 10
	maxBodySnippet = 512
)

// redactLocation keeps the scheme, host and path of a redirect target: its
// query could carry anything, and user info (https://admin:hunter2@host) is a
// password.
func redactLocation(loc string) string {
	if i := strings.IndexAny(loc, "?#"); i >= 0 {
		loc = loc[:i]
	}
	if u, err := url.Parse(loc); err == nil {
		loc = withoutUserInfo(u)
	} else if i := strings.LastIndexByte(loc, '@'); i >= 0 {
		// Unparsable: drop everything up to the last "@", after the scheme.
		scheme := ""
		if j := strings.Index(loc, "//"); j >= 0 && j < i {
			scheme = loc[:j+2]
		}
		loc = scheme + loc[i+1:]
	}
	if len(loc) > 200 {
		loc = loc[:200]
	}
	return loc
}

// snippet returns at most maxBodySnippet bytes of b, whitespace collapsed, cut
// on a UTF-8 boundary.
func snippet(b []byte) string {
	raw := b[:min(len(b), 4*maxBodySnippet)]
	truncated := len(raw) < len(b)
	if truncated {
		// Do not end inside a rune the bound cut in two.
		for len(raw) > 0 {
			if r, size := utf8.DecodeLastRune(raw); r != utf8.RuneError || size > 1 {
				break
			}
			raw = raw[:len(raw)-1]
		}
	}
	s := strings.Join(strings.Fields(string(raw)), " ")
	if len(s) <= maxBodySnippet {
		if truncated {
			return s + "…"
		}
		return s
	}
	cut := maxBodySnippet
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + "…"
}

// htmlTitle extracts <title> from an HTML error page, such as the CDN's
// "Access Denied", so the error message says something useful.
func htmlTitle(b []byte) string {
	lower := bytes.ToLower(b)
	i := bytes.Index(lower, []byte("<title>"))
	if i < 0 {
		return ""
	}
	rest := b[i+len("<title>"):]
	j := bytes.Index(bytes.ToLower(rest), []byte("</title>"))
	if j < 0 {
		return ""
	}
	return strings.Join(strings.Fields(string(rest[:min(j, 200)])), " ")
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
