package coupang

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"time"
)

// DefaultBaseURL is Coupang's Open API gateway.
const DefaultBaseURL = "https://api-gateway.coupang.com"

// Defaults, each changeable with an Option.
const (
	// DefaultMaxRetries is how many times a failed request is retried when it
	// is safe to do so (see WithMaxRetries).
	DefaultMaxRetries = 3
	// DefaultRateLimit is the pace, in requests a second, that a client keeps:
	// Coupang's per-vendor budget since 2026-03 (10 before).
	DefaultRateLimit = 5.0
	// DefaultTimeout bounds one attempt of one request, body included, on the
	// default HTTP client. Coupang's gateway itself gives up after 3 seconds.
	DefaultTimeout = 30 * time.Second
	// DefaultMinBackoff and DefaultMaxBackoff bound the wait between retries.
	DefaultMinBackoff = 500 * time.Millisecond
	DefaultMaxBackoff = 30 * time.Second
)

const userAgent = "go-coupang/0.1 (+https://github.com/go-coupang/coupang)"

// Client calls Coupang's WING Open API for one vendor. It is safe for
// concurrent use, and all goroutines using it share its rate limit; create one
// per vendor and reuse it.
type Client struct {
	// Exchanges lists exchange requests and acts on them.
	Exchanges *ExchangeService

	// authorize signs a request with the client's keys. The keys live only
	// in this closure: fmt prints a func as its address whatever the verb,
	// where a pointer to a struct of keys is dereferenced by a bad verb such
	// as fmt.Sprintf("%s", *client), and by deep printers such as testify's.
	authorize func(req *http.Request, t time.Time)

	vendorID     string
	baseURL      string // scheme://host[/prefix], no trailing slash
	httpClient   *http.Client
	maxRetries   int
	minBackoff   time.Duration
	maxBackoff   time.Duration
	rateLimit    float64
	limiter      Limiter // from WithLimiter, or the pacer for rateLimit
	logger       *slog.Logger
	updateMethod string

	// now is the clock used to sign; tests replace it.
	now func() time.Time
	// sleep waits between retries; tests replace it.
	sleep func(ctx context.Context, d time.Duration) error
}

// String describes the client without its keys.
func (c *Client) String() string {
	return fmt.Sprintf("coupang.Client{vendorID: %s, baseURL: %s}", c.vendorID, c.baseURL)
}

// GoString describes the client without its keys, for %#v.
func (c *Client) GoString() string { return c.String() }

// VendorID returns the vendor id the client acts for.
func (c *Client) VendorID() string { return c.vendorID }

// BaseURL returns the base URL requests are sent to.
func (c *Client) BaseURL() string { return c.baseURL }

// Option configures a Client. Options are checked by NewClient, which reports
// the first invalid one.
type Option func(*Client) error

// WithBaseURL sends requests to rawURL instead of DefaultBaseURL. It must be
// https, except plain http to a loopback host (localhost, 127.0.0.0/8, ::1),
// which is allowed for tests and the coupangtest sandbox. A path prefix is kept
// and is part of the signed path, because the signature covers the path as
// sent: a proxy that strips the prefix before forwarding to Coupang must
// re-sign the request.
func WithBaseURL(rawURL string) Option {
	return func(c *Client) error {
		u, err := url.Parse(rawURL)
		if err != nil {
			return invalid("baseURL", "not a URL: %v", err)
		}
		if u.Host == "" {
			return invalid("baseURL", "%q has no host", rawURL)
		}
		if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
			return invalid("baseURL", "must not hold user info, a query or a fragment")
		}
		switch u.Scheme {
		case "https":
		case "http":
			if !isLoopback(u.Hostname()) {
				return invalid("baseURL", "plain http is allowed only to a loopback host, not %q: use https", u.Hostname())
			}
		default:
			return invalid("baseURL", "scheme must be https, not %q", u.Scheme)
		}
		c.baseURL = u.Scheme + "://" + u.Host + strings.TrimRight(u.EscapedPath(), "/")
		return nil
	}
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// WithHTTPClient sends requests through a copy of hc, so hc itself is never
// modified. The copy never follows redirects: Coupang answers a blocked caller
// with a 302, which is reported as an *APIError. hc's Timeout applies to each
// attempt.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) error {
		if hc == nil {
			return invalid("httpClient", "must not be nil")
		}
		cp := *hc
		c.httpClient = &cp
		return nil
	}
}

// WithMaxRetries sets how many times a request is retried after a failure
// that is safe to retry (default DefaultMaxRetries; 0 disables retries).
//
// GET requests are retried on 429, 500, 502, 503, 504, dropped connections,
// timeouts and truncated bodies. Writes (PUT, PATCH, POST) are retried only
// when Coupang certainly did not process them: on 429 and when the request
// could not be sent at all. A write that failed after it was sent returns an
// error matching ErrOutcomeUnknown instead.
func WithMaxRetries(n int) Option {
	return func(c *Client) error {
		if n < 0 {
			return invalid("maxRetries", "must not be negative, got %d", n)
		}
		c.maxRetries = n
		return nil
	}
}

// WithBackoff sets the bounds of the wait between retries: the first retry
// waits about minWait, each later one twice as long, never more than maxWait
// (defaults DefaultMinBackoff and DefaultMaxBackoff). After a 429 the waits
// start at four times minWait, since early retries prolong Coupang's lockout.
// A Retry-After header up to maxWait is honoured exactly; a longer one ends
// the retries and the error carries it in APIError.RetryAfter.
func WithBackoff(minWait, maxWait time.Duration) Option {
	return func(c *Client) error {
		if minWait <= 0 || maxWait < minWait {
			return invalid("backoff", "need 0 < min <= max, got min %v, max %v", minWait, maxWait)
		}
		c.minBackoff, c.maxBackoff = minWait, maxWait
		return nil
	}
}

// WithRateLimit paces the client to perSecond requests a second, shared by all
// goroutines using it, with no bursts (default DefaultRateLimit; 0 disables
// pacing). Requests start at least 1/perSecond apart plus 1%, so that no
// second holds more than perSecond of them even after some network jitter.
// Coupang counts per vendor: if several processes share one vendor id, give
// each a share of the budget or use WithLimiter.
func WithRateLimit(perSecond float64) Option {
	return func(c *Client) error {
		if perSecond < 0 || perSecond != perSecond {
			return invalid("rateLimit", "must be a non-negative number, got %v", perSecond)
		}
		c.rateLimit = perSecond
		return nil
	}
}

// WithLimiter paces the client with l instead of its own token bucket, for
// instance a limiter shared by all of a seller's servers through Redis.
// It overrides WithRateLimit, whatever their order.
func WithLimiter(l Limiter) Option {
	return func(c *Client) error {
		if l == nil {
			return invalid("limiter", "must not be nil; use WithRateLimit(0) to disable pacing")
		}
		c.limiter = l
		return nil
	}
}

// WithLogger logs one debug record per attempt (method, path, status, attempt,
// duration, transactionId) and a warning per retry (reason, wait). It never
// logs keys, the Authorization header, queries or bodies: Coupang's bodies
// hold customers' names, addresses and phone numbers.
func WithLogger(l *slog.Logger) Option {
	return func(c *Client) error {
		c.logger = l
		return nil
	}
}

// WithUpdateMethod sets the HTTP method of ConfirmReceipt and Reject: PUT (the
// default, what Coupang's current documentation gives) or PATCH (what its 2017
// documentation gave). Coupang's documentation contradicts itself here.
func WithUpdateMethod(method string) Option {
	return func(c *Client) error {
		m := strings.ToUpper(method)
		if m != http.MethodPut && m != http.MethodPatch {
			return invalid("updateMethod", "must be PUT or PATCH, got %q", method)
		}
		c.updateMethod = m
		return nil
	}
}

// NewClient returns a client that signs requests with the given keys and acts
// for vendorID (a letter A or C followed by digits, such as "A00012345").
func NewClient(accessKey, secretKey, vendorID string, opts ...Option) (*Client, error) {
	if err := checkKey("accessKey", accessKey); err != nil {
		return nil, err
	}
	if err := checkKey("secretKey", secretKey); err != nil {
		return nil, err
	}
	if err := checkVendorID(vendorID); err != nil {
		return nil, err
	}
	c := &Client{
		authorize: func(req *http.Request, t time.Time) {
			SignRequest(req, accessKey, secretKey, t)
		},
		vendorID:     vendorID,
		baseURL:      DefaultBaseURL,
		maxRetries:   DefaultMaxRetries,
		minBackoff:   DefaultMinBackoff,
		maxBackoff:   DefaultMaxBackoff,
		rateLimit:    DefaultRateLimit,
		updateMethod: http.MethodPut,
		now:          time.Now,
		sleep:        sleepContext,
	}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(c); err != nil {
			return nil, err
		}
	}
	if c.httpClient == nil {
		c.httpClient = defaultHTTPClient()
	}
	c.httpClient.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	if c.limiter == nil && c.rateLimit > 0 {
		c.limiter = newPacer(c.rateLimit)
	}
	c.Exchanges = &ExchangeService{client: c}
	return c, nil
}

// Environment variables read by NewClientFromEnv.
const (
	EnvAccessKey = "COUPANG_ACCESS_KEY"
	EnvSecretKey = "COUPANG_SECRET_KEY"
	EnvVendorID  = "COUPANG_VENDOR_ID"
	EnvBaseURL   = "COUPANG_BASE_URL"
)

// NewClientFromEnv is NewClient with the keys and vendor id read from
// COUPANG_ACCESS_KEY, COUPANG_SECRET_KEY and COUPANG_VENDOR_ID, and the base
// URL from COUPANG_BASE_URL when it is set. opts are applied after, so an
// explicit WithBaseURL wins.
func NewClientFromEnv(opts ...Option) (*Client, error) {
	var missing []string
	for _, name := range []string{EnvAccessKey, EnvSecretKey, EnvVendorID} {
		if os.Getenv(name) == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return nil, invalid("environment", "%s not set", strings.Join(missing, ", "))
	}
	if base := os.Getenv(EnvBaseURL); base != "" {
		opts = append([]Option{WithBaseURL(base)}, opts...)
	}
	return NewClient(os.Getenv(EnvAccessKey), os.Getenv(EnvSecretKey), os.Getenv(EnvVendorID), opts...)
}

func checkKey(field, key string) error {
	if key == "" {
		return invalid(field, "must not be empty")
	}
	for _, r := range key {
		if r <= ' ' || r == 0x7f {
			// Never echo the key: it may be the secret.
			return invalid(field, "contains whitespace or a control character (a pasted newline?)")
		}
	}
	return nil
}

func checkVendorID(id string) error {
	ok := len(id) >= 2 && (id[0] == 'A' || id[0] == 'C') && allDigits(id[1:])
	if !ok {
		return invalid("vendorID", "must be a letter A or C followed by digits, such as A00012345; got %q", id)
	}
	return nil
}

func defaultHTTPClient() *http.Client {
	var tr *http.Transport
	if dt, ok := http.DefaultTransport.(*http.Transport); ok {
		tr = dt.Clone()
	} else {
		tr = &http.Transport{Proxy: http.ProxyFromEnvironment, ForceAttemptHTTP2: true}
	}
	// Several goroutines of one seller hit one host; the default of 2 idle
	// connections per host would make them open and close connections.
	tr.MaxIdleConnsPerHost = 16
	tr.IdleConnTimeout = 90 * time.Second
	return &http.Client{Transport: tr, Timeout: DefaultTimeout}
}

// apiRequest is one call, ready to be sent as many times as needed: the body
// is bytes so each attempt replays it.
type apiRequest struct {
	method string
	path   string // from the API root, e.g. /v2/providers/...
	query  string // encoded exactly as sent and signed
	body   []byte // nil for no body
}

func (r *apiRequest) idempotent() bool {
	return r.method == http.MethodGet || r.method == http.MethodHead
}

// envelope is Coupang's response shape. It is decoded in one pass, straight
// from the stream, data included.
type envelope[T any] struct {
	Code          Text `json:"code"`
	Message       Text `json:"message"`
	TransactionID Text `json:"transactionId"`
	Data          T    `json:"data"`
	NextToken     Text `json:"nextToken"`
}

// businessResult is implemented by data payloads that carry their own
// resultCode, such as the answer to a reject.
type businessResult interface {
	result() (code, message string)
}

// check turns a 2xx answer that reports a failure into an *APIError. A
// resultCode that is neither a success nor FAIL leaves the outcome unknown:
// treating it as a failure would invite the caller to repeat a write that
// may have been applied.
func (e *envelope[T]) check(status int) *APIError {
	if code := strings.TrimSpace(string(e.Code)); code != "" && !successCode(code) {
		return &APIError{StatusCode: status, Code: code, Message: string(e.Message), TransactionID: string(e.TransactionID)}
	}
	if br, ok := any(&e.Data).(businessResult); ok {
		if code, msg := br.result(); code != "" && !successCode(code) {
			return &APIError{
				StatusCode:     status,
				Code:           string(e.Code),
				Message:        msg,
				ResultCode:     code,
				TransactionID:  string(e.TransactionID),
				OutcomeUnknown: !strings.EqualFold(code, "FAIL"),
			}
		}
	}
	return nil
}

func successCode(code string) bool {
	if allDigits(code) {
		return len(code) == 3 && code[0] == '2'
	}
	return strings.EqualFold(code, "OK") || strings.EqualFold(code, "SUCCESS")
}

// attemptResult is what one attempt learned.
type attemptResult struct {
	err        error
	retry      bool          // safe and useful to send again
	retryAfter time.Duration // server's Retry-After, if any
	hasAfter   bool
	throttled  bool   // a 429: back off longer
	reason     string // why to retry, for the log
}

// send performs req with pacing, signing and retries, and decodes a success
// into out.
func send[T any](ctx context.Context, c *Client, req *apiRequest, out *envelope[T]) error {
	var last attemptResult
	for attempt := 1; ; attempt++ {
		if c.limiter != nil {
			if err := c.limiter.Wait(ctx); err != nil {
				return c.finalError(req, attempt-1, last, fmt.Errorf("waiting for the rate limiter: %w", err))
			}
		}
		last = c.attempt(ctx, req, attempt, out)
		if last.err == nil {
			return nil
		}
		if !last.retry || attempt > c.maxRetries {
			return c.finalError(req, attempt, last, nil)
		}
		wait, ok := c.backoff(attempt, last)
		if !ok {
			return c.finalError(req, attempt, last, nil)
		}
		c.logRetry(ctx, req, attempt, last.reason, wait)
		if err := c.sleep(ctx, wait); err != nil {
			return c.finalError(req, attempt, last, fmt.Errorf("waiting to retry: %w", err))
		}
		var zero envelope[T]
		*out = zero
	}
}

// finalError stamps the attempt count on the last error. stop, if set, is why
// the loop ended early (a cancelled context).
func (c *Client) finalError(req *apiRequest, attempts int, last attemptResult, stop error) error {
	if last.err == nil {
		return &RequestError{Method: req.method, Path: req.path, Attempts: attempts, Err: stop}
	}
	var apiErr *APIError
	if errors.As(last.err, &apiErr) {
		apiErr.Attempts = attempts
		if stop != nil {
			return fmt.Errorf("%w (%w)", apiErr, stop)
		}
		return apiErr
	}
	var reqErr *RequestError
	if errors.As(last.err, &reqErr) {
		reqErr.Attempts = attempts
		if stop != nil {
			reqErr.Err = fmt.Errorf("%w (then %w)", reqErr.Err, stop)
		}
		return reqErr
	}
	return last.err
}

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

// decodedResponse is what attempt decodes a 2xx body into: an envelope that
// can tell whether its content reports a failure.
type decodedResponse interface {
	check(status int) *APIError
	txID() string
}

// attempt sends req once.
func (c *Client) attempt(ctx context.Context, req *apiRequest, n int, out decodedResponse) attemptResult {
	start := time.Now()
	idempotent := req.idempotent()

	// A write may be retried only if it never reached Coupang; the trace tells
	// whether the whole request was written to the connection. It is trusted
	// only if the transport reports to it at all (GetConn): a RoundTripper
	// that does not is believed unsent only when its error is a failed dial.
	var tracing, wrote atomic.Bool
	if !idempotent {
		ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
			GetConn: func(string) { tracing.Store(true) },
			WroteRequest: func(info httptrace.WroteRequestInfo) {
				if info.Err == nil {
					wrote.Store(true)
				}
			},
		})
	}

	hreq, err := c.newHTTPRequest(ctx, req)
	if err != nil {
		return attemptResult{err: &RequestError{Method: req.method, Path: req.path, Err: err}}
	}
	if err := ctx.Err(); err != nil {
		// Certainly not sent: the transport would fail before the trace saw
		// anything, which would leave the outcome of a write unknown.
		return attemptResult{err: &RequestError{Method: req.method, Path: req.path, Err: err}}
	}
	resp, err := c.httpClient.Do(hreq)
	if err != nil {
		err = withoutQuery(err)
		unsent := !wrote.Load() && (tracing.Load() || isDialError(err))
		res := c.transportFailure(ctx, req, err, idempotent, unsent)
		c.logAttempt(ctx, req, n, 0, "", time.Since(start), err)
		return res
	}
	defer closeBody(resp.Body)

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		apiErr := newAPIError(resp, body)
		apiErr.Method, apiErr.Path = req.method, req.path
		c.logAttempt(ctx, req, n, resp.StatusCode, apiErr.TransactionID, time.Since(start), nil)
		res := attemptResult{err: apiErr}
		res.retryAfter, res.hasAfter = parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
		apiErr.RetryAfter = res.retryAfter
		switch {
		case resp.StatusCode == http.StatusTooManyRequests:
			res.retry, res.reason, res.throttled = true, "429 Too Many Requests", true
		case !idempotent && (resp.StatusCode >= 500 || resp.StatusCode == http.StatusRequestTimeout):
			// Coupang, or a gateway in front of it, may have forwarded and
			// applied the write before failing.
			apiErr.OutcomeUnknown = true
		case idempotent && retryableStatus(resp.StatusCode):
			res.retry, res.reason = true, resp.Status
		}
		return res
	}

	dec := json.NewDecoder(resp.Body)
	if err := dec.Decode(out); err != nil {
		c.logAttempt(ctx, req, n, resp.StatusCode, "", time.Since(start), err)
		return c.decodeFailure(ctx, req, err, idempotent)
	}
	failure := out.check(resp.StatusCode)
	c.logAttempt(ctx, req, n, resp.StatusCode, out.txID(), time.Since(start), nil)
	if failure != nil {
		failure.Method, failure.Path = req.method, req.path
		return attemptResult{err: failure}
	}
	return attemptResult{}
}

func (e *envelope[T]) txID() string { return string(e.TransactionID) }

func retryableStatus(code int) bool {
	switch code {
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// transportFailure classifies an error from http.Client.Do.
// unsent reports that a write certainly did not reach the server.
func (c *Client) transportFailure(ctx context.Context, req *apiRequest, err error, idempotent, unsent bool) attemptResult {
	reqErr := &RequestError{Method: req.method, Path: req.path, Err: err}
	if ctx.Err() != nil {
		// The caller gave up; never retry, but a write may have landed.
		reqErr.OutcomeUnknown = !idempotent && !unsent
		return attemptResult{err: reqErr}
	}
	var certErr *tls.CertificateVerificationError
	if errors.As(err, &certErr) {
		return attemptResult{err: reqErr}
	}
	if idempotent || unsent {
		return attemptResult{err: reqErr, retry: true, reason: "transport error: " + err.Error()}
	}
	reqErr.OutcomeUnknown = true
	return attemptResult{err: reqErr}
}

// isDialError reports a failure to connect, before anything was sent.
func isDialError(err error) bool {
	var opErr *net.OpError
	return errors.As(err, &opErr) && opErr.Op == "dial"
}

// decodeFailure classifies an error decoding a 2xx body. A body cut short is
// worth another GET; a write whose answer cannot be read has an unknown outcome.
func (c *Client) decodeFailure(ctx context.Context, req *apiRequest, err error, idempotent bool) attemptResult {
	reqErr := &RequestError{Method: req.method, Path: req.path, Err: fmt.Errorf("decoding the response: %w", err)}
	if !idempotent {
		reqErr.OutcomeUnknown = true
		return attemptResult{err: reqErr}
	}
	var syntaxErr *json.SyntaxError
	var netErr net.Error
	if ctx.Err() == nil && (errors.Is(err, io.ErrUnexpectedEOF) || errors.As(err, &syntaxErr) || errors.As(err, &netErr)) {
		return attemptResult{err: reqErr, retry: true, reason: "unreadable response body"}
	}
	return attemptResult{err: reqErr}
}

// closeBody drains a little of what is left so the connection can be reused.
func closeBody(body io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(body, 4<<10))
	_ = body.Close()
}

func (c *Client) newHTTPRequest(ctx context.Context, req *apiRequest) (*http.Request, error) {
	target := c.baseURL + req.path
	if req.query != "" {
		target += "?" + req.query
	}
	var body io.Reader
	if req.body != nil {
		body = bytes.NewReader(req.body)
	}
	hreq, err := http.NewRequestWithContext(ctx, req.method, target, body)
	if err != nil {
		return nil, err
	}
	h := hreq.Header
	h["Content-Type"] = []string{"application/json;charset=UTF-8"}
	h["Accept"] = []string{"application/json"}
	h["User-Agent"] = []string{userAgent}
	h["X-Requested-By"] = []string{c.vendorID}
	// Signed on every attempt, so a retry carries a fresh signed-date.
	c.authorize(hreq, c.now())
	return hreq, nil
}

func (c *Client) logAttempt(ctx context.Context, req *apiRequest, attempt, status int, txID string, d time.Duration, err error) {
	if c.logger == nil || !c.logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("method", req.method),
		slog.String("path", req.path),
		slog.Int("status", status),
		slog.Int("attempt", attempt),
		slog.Duration("duration", d),
	}
	if txID != "" {
		attrs = append(attrs, slog.String("transactionId", txID))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	c.logger.LogAttrs(ctx, slog.LevelDebug, "coupang request", attrs...)
}

// withoutQuery drops the query from the URL that http.Client quotes in its
// *url.Error: the query is not for logs or error messages.
func withoutQuery(err error) error {
	ue, ok := err.(*url.Error)
	if !ok {
		return err
	}
	cp := *ue
	if i := strings.IndexByte(cp.URL, '?'); i >= 0 {
		cp.URL = cp.URL[:i]
	}
	return &cp
}

func (c *Client) logRetry(ctx context.Context, req *apiRequest, attempt int, reason string, wait time.Duration) {
	if c.logger == nil {
		return
	}
	c.logger.LogAttrs(ctx, slog.LevelWarn, "coupang retry",
		slog.String("method", req.method),
		slog.String("path", req.path),
		slog.Int("attempt", attempt),
		slog.String("reason", reason),
		slog.Duration("wait", wait),
	)
}

func (c *Client) logPagingLoop(ctx context.Context, token string) {
	if c.logger == nil {
		return
	}
	c.logger.LogAttrs(ctx, slog.LevelWarn, "coupang: nextToken repeated; treating the window as complete",
		slog.Int("tokenLength", len(token)))
}
