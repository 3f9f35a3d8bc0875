package coupang

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

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
	// No Timeout here: every attempt gets its own deadline from
	// WithAttemptTimeout, which also covers callers' HTTP clients.
	return &http.Client{Transport: tr, CheckRedirect: noRedirects}
}

// noRedirects is every client's CheckRedirect: a redirect is Coupang's block
// page (or the CDN's), to be reported as such, and following it would resend
// a signed request somewhere else.
func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// apiRequest is one call, ready to be sent as many times as needed: the body
// is bytes so each attempt replays it.
type apiRequest struct {
	method string
	path   string // from the API root, e.g. /v2/providers/...
	query  string // encoded exactly as sent and signed
	body   []byte // nil for no body
	route  string // path template for an Observer; "" derives one from path
	// readOnly marks a POST that only reads (the withdrawal lookup by ids): it
	// changes nothing, so it is retried as a GET is.
	readOnly bool

	// answer is the metadata of the latest attempt's answer, nil when that
	// attempt got none; what WithResponse and Do report.
	answer *Response
}

func (r *apiRequest) idempotent() bool {
	return r.method == http.MethodGet || r.method == http.MethodHead || r.readOnly
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
			if err := c.waitLimiter(ctx); err != nil {
				return c.finalError(req, attempt-1, last, fmt.Errorf("waiting for the rate limiter: %w", err))
			}
		} else {
			// Unpaced (pacing left to a proxy): the request goes now,
			// and All's cold clock starts with it all the same.
			limiterPassed(ctx)
		}
		actx, observed := c.observeAttempt(ctx, req, attempt)
		last = c.attempt(actx, req, attempt, out)
		observed(last, req.answer)
		if last.err == nil {
			return nil
		}
		if !last.retry || attempt > c.maxRetries {
			return c.finalError(req, attempt, last, nil)
		}
		wait, ok := c.retryWait(attempt, last)
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

// decodedResponse is what attempt decodes a 2xx body into: an envelope that
// reads itself from the stream (decode.go) and can tell whether its content
// reports a failure.
type decodedResponse interface {
	jsonReader
	check(status int) *APIError
	txID() string
	meta() (code, message, nextToken string)
}

// attempt sends req once, within the client's per-attempt deadline.
func (c *Client) attempt(ctx context.Context, req *apiRequest, n int, out decodedResponse) attemptResult {
	start := time.Now()
	idempotent := req.idempotent()
	req.answer = nil
	var seen Outcome // what the answer says about the vendor
	defer c.report(ctx, &seen)

	// Every attempt has a deadline of its own, whatever HTTP client the caller
	// gave: a server that trickles its answer must not hold a call forever.
	// ctx stays the caller's: only its end means that the caller gave up.
	actx, cancel := attemptContext(ctx, c.attemptDeadline())
	defer cancel()

	// A write may be retried only if it never reached Coupang; the trace tells
	// whether the whole request was written to the connection. It is trusted
	// only if the transport reports to it at all (GetConn): a RoundTripper
	// that does not is believed unsent only when its error is a failed dial.
	var tracing, wrote atomic.Bool
	if !idempotent {
		actx = httptrace.WithClientTrace(actx, &httptrace.ClientTrace{
			GetConn: func(string) { tracing.Store(true) },
			WroteRequest: func(info httptrace.WroteRequestInfo) {
				if info.Err == nil {
					wrote.Store(true)
				}
			},
		})
	}

	hreq, err := c.newHTTPRequest(actx, req)
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
		err = withContextErr(actx, withoutQuery(err))
		unsent := !wrote.Load() && (tracing.Load() || isDialError(err))
		res := c.transportFailure(ctx, req, err, idempotent, unsent)
		c.logAttempt(ctx, req, n, 0, "", time.Since(start), err)
		return res
	}
	defer closeBody(resp.Body)
	answer := &Response{StatusCode: resp.StatusCode, Header: resp.Header}
	req.answer = answer
	seen = answerOutcome(resp, nil)

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		body, readErr := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		seen = answerOutcome(resp, body)
		apiErr := newAPIError(resp, body)
		if readErr != nil {
			// Say why the body is incomplete, so that a context's end cutting
			// it short stays visible to errors.Is.
			apiErr.bodyCut(withContextErr(actx, readErr))
		}
		apiErr.Method, apiErr.Path = req.method, req.path
		answer.Code, answer.Message, answer.TransactionID = apiErr.Code, apiErr.Message, apiErr.TransactionID
		c.logAttempt(ctx, req, n, resp.StatusCode, apiErr.TransactionID, time.Since(start), nil)
		res := attemptResult{err: apiErr}
		res.retryAfter, res.hasAfter = parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
		apiErr.RetryAfter = res.retryAfter
		switch {
		case resp.StatusCode == http.StatusTooManyRequests:
			// Throttled either way: the report above tells the limiter, which
			// pauses the vendor whether or not the request is sent again.
			res.throttled = true
			if idempotent || (c.retryWritesOn429 && readErr == nil && gatewayAnswer(body)) {
				res.retry, res.reason = true, "429 Too Many Requests"
			} else {
				// Nothing shows where a 429 to a write came from, or when:
				// Coupang documents neither that its gateway throttles
				// before forwarding nor a body that only the gateway sends,
				// and a service error has the same {code, message} shape.
				// The write may have been applied before the 429.
				apiErr.OutcomeUnknown = true
			}
		case !idempotent && (resp.StatusCode >= 500 || resp.StatusCode == http.StatusRequestTimeout):
			// Coupang, or a gateway in front of it, may have forwarded and
			// applied the write before failing.
			apiErr.OutcomeUnknown = true
		case idempotent && retryableStatus(resp.StatusCode):
			res.retry, res.reason = true, resp.Status
		}
		return res
	}

	if req.method == http.MethodHead {
		// No body to read: the status and headers are the answer.
		c.logAttempt(ctx, req, n, resp.StatusCode, "", time.Since(start), nil)
		return attemptResult{}
	}
	if err := decodeBody(resp.Body, c.maxResponseSize, out); err != nil {
		err = withContextErr(actx, err)
		c.logAttempt(ctx, req, n, resp.StatusCode, "", time.Since(start), err)
		return c.decodeFailure(ctx, req, err, idempotent)
	}
	answer.Code, answer.Message, answer.NextToken = out.meta()
	answer.TransactionID = out.txID()
	failure := out.check(resp.StatusCode)
	c.logAttempt(ctx, req, n, resp.StatusCode, out.txID(), time.Since(start), nil)
	if failure != nil {
		failure.Method, failure.Path = req.method, req.path
		if !idempotent && failure.ResultCode == "" && !definiteFailureCode(failure.Code) {
			// A 2xx whose envelope says 5xx or ERROR: Coupang's service
			// failed somewhere, possibly after applying the write, exactly
			// as when it answers HTTP 500.
			failure.OutcomeUnknown = true
		}
		return attemptResult{err: failure}
	}
	return attemptResult{}
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
	var netErr net.Error
	if ctx.Err() == nil && (decodeRetryable(err) || errors.As(err, &netErr)) {
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
	if c.extendedTimeout > 0 {
		// Spelled as Coupang documents it; HTTP/1.1 sends the key as given.
		h["X-EXTENDED-TIMEOUT"] = []string{strconv.FormatInt(c.extendedTimeout.Milliseconds(), 10)}
	}
	c.observeHeader(ctx, h)
	// Signed on every attempt, so a retry carries a fresh signed-date.
	c.authorize(hreq, c.now())
	return hreq, nil
}

// withoutQuery drops the query from the URL that http.Client quotes in its
// *url.Error: the query is not for logs or error messages.
func withoutQuery(err error) error {
	ue, ok := err.(*url.Error)
	if !ok {
		return err
	}
	cp := *ue
	cp.Err = withoutLocation(cp.Err)
	if i := strings.IndexByte(cp.URL, '?'); i >= 0 {
		cp.URL = cp.URL[:i]
	}
	return &cp
}

// attemptContext bounds one attempt by d. When the caller's own deadline
// comes first, the attempt ends by the caller's context alone: a second timer
// for nearly the same instant may fire first, and the attempt would then look
// cut by its own timeout while ctx.Err() is still nil, and be retried although
// the caller has given up.
func attemptContext(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) <= d {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, d)
}

// attemptDeadline is how long one attempt may take, body included. An
// extended gateway timeout raises it, so that the client does not give up
// before the gateway it asked to wait.
func (c *Client) attemptDeadline() time.Duration {
	d := c.attemptTimeout
	if d <= 0 {
		d = DefaultTimeout
	}
	if c.extendedTimeout > 0 && c.extendedTimeout+extendedTimeoutMargin > d {
		d = c.extendedTimeout + extendedTimeoutMargin
	}
	return d
}

// extendedTimeoutMargin is what an attempt waits beyond the gateway's
// extended timeout, for the gateway's own answer to arrive.
const extendedTimeoutMargin = 5 * time.Second

// withContextErr makes the end of ctx visible to errors.Is through err when
// ctx has ended: a body read cut short by a deadline may report only
// "unexpected EOF", or a JSON syntax error.
func withContextErr(ctx context.Context, err error) error {
	cerr := ctx.Err()
	if cerr == nil || err == nil || errors.Is(err, cerr) {
		return err
	}
	return fmt.Errorf("%w (%w)", err, cerr)
}

// gatewayAnswer reports whether a 429 body has the shape of Coupang's error
// JSON, {"code": …, "message": …}. It proves nothing about where the 429
// came from (Coupang's services answer errors in the same shape): it only
// narrows what a seller who opted in with WithRetryWritesOn429(true) resends,
// so that an HTML page, a proxy's text, JSON of another shape or a body cut
// short stays outcome-unknown even then.
func gatewayAnswer(body []byte) bool {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return false
	}
	var eb errorBody
	if unmarshalTolerant(trimmed, &eb) != nil {
		return false
	}
	return strings.TrimSpace(eb.Code) != "" && strings.TrimSpace(eb.Message) != ""
}

// definiteFailureCode reports whether a 2xx envelope's code says that the
// request was refused as such (a 4xx): the one kind of failure after which a
// write certainly was not applied. A 5xx or a word such as "ERROR" says that
// something failed, not where.
func definiteFailureCode(code string) bool {
	code = strings.TrimSpace(code)
	return len(code) == 3 && allDigits(code) && code[0] == '4'
}

// errorBody is Coupang's error shape, from the gateway and from services.
type errorBody struct {
	Code          string `json:"code"`
	Message       string `json:"message"`
	TransactionID string `json:"transactionId"`
	// Some gateways answer {"error": "...", "status": 401}.
	Error string `json:"error"`
}

// newAPIError turns a non-2xx answer into an *APIError. body is at most
// maxErrorBody bytes of the response.
func newAPIError(resp *http.Response, body []byte) *APIError {
	e := &APIError{StatusCode: resp.StatusCode}
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		e.Location = redactLocation(resp.Header.Get("Location"))
	}
	trimmed := bytes.TrimSpace(body)
	var eb errorBody
	if len(trimmed) > 0 && trimmed[0] == '{' && unmarshalTolerant(trimmed, &eb) == nil {
		e.Code = eb.Code
		e.Message = eb.Message
		if e.Message == "" {
			e.Message = eb.Error
		}
		e.TransactionID = eb.TransactionID
		return e
	}
	if len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') {
		// JSON of another shape, or cut short: it may hold personal data,
		// so none of it is kept.
		e.Message = unreadableJSON
		return e
	}
	e.Body = snippet(trimmed)
	e.Message = htmlTitle(trimmed)
	return e
}
