package coupang

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Observer receives what a client does, for metrics and traces: each SDK
// call, each HTTP attempt, the waits for the vendor's budget, pauses and
// probes of the vendor protection, the pages All fetches, records that could
// not be decoded, the lag of Changes and the steps of the Ensure… calls.
// Module github.com/go-coupang/coupang/coupangotel turns them into
// OpenTelemetry spans and metrics; the core module stays free of any
// telemetry dependency.
//
// It is a struct of functions, as net/http/httptrace.ClientTrace is: every
// field is optional, a nil field costs nothing, and a client without an
// Observer costs nothing at all (no allocation on the List path). New fields
// may be added; set fields by name.
//
// The functions are called synchronously, from the goroutine doing the work
// (All's workers included, so possibly at the same time): they must be safe
// for concurrent use and return quickly. The events never hold keys,
// headers, bodies or queries; errors are passed as returned to the caller,
// whose texts may name exchanges (never personal data): an observer that
// exports attributes should classify errors (errors.Is, errors.As) rather
// than export their text.
type Observer struct {
	// CallStart is called when an SDK call begins, such as
	// "Exchanges.List", "Exchanges.All" or "Do" (see CallEvent). The context
	// it returns is the call's from then on: the place for a span. Calls
	// nest: All's List calls, Relist's All and the Ensure calls' Relist
	// and writes start calls of their own within the outer call's context.
	CallStart func(ctx context.Context, e CallEvent) context.Context
	// CallDone is called when the call ends, with the context CallStart
	// returned, the call's duration (limiter waits and retries included;
	// for All and Changes, until the loop ends) and its error. Records
	// yielded as a *RecordError do not make All or Changes fail.
	CallDone func(ctx context.Context, e CallEvent)

	// AttemptStart is called before each HTTP attempt, after the limiter
	// let it go; its context is the attempt's (a child span of the call's).
	AttemptStart func(ctx context.Context, e AttemptEvent) context.Context
	// AttemptDone is called after each attempt, with AttemptStart's
	// context and the answer's status, transactionId and error.
	AttemptDone func(ctx context.Context, e AttemptEvent)
	// RequestHeader may add headers to each attempt's request, such as W3C
	// traceparent, with the attempt's context. Coupang's gateway may refuse
	// headers it does not know: add only what the receiving side expects.
	// The client's own headers are set before and the Authorization header
	// after it, so it cannot replace them.
	RequestHeader func(ctx context.Context, h http.Header)

	// LimiterWait is called after every wait for the client's limiter,
	// before each attempt, with how long it took and its error (nil when
	// the attempt may go; a *PauseError while the vendor is blocked or
	// paused beyond the deadline, or the context's error).
	LimiterWait func(ctx context.Context, e LimiterWaitEvent)
	// Vendor is called when the vendor protection pauses the vendor (a 429)
	// or starts a block's cool-down, lets the single probe out, or resumes.
	// NewPacer's limiter reports to it, shared or not, and so does a Limiter
	// of your own that calls ObserveVendor; the context is the call's, or
	// the attempt's for a pause or a resumption that an answer caused.
	Vendor func(ctx context.Context, e VendorEvent)

	// ListPage is called by All for every page it fetched, in the All
	// call's context (workers included).
	ListPage func(ctx context.Context, e ListPageEvent)
	// RecordErrors is called when a page held records that could not be
	// decoded (each yielded by All as a *RecordError).
	RecordErrors func(ctx context.Context, e RecordErrorsEvent)
	// ChangesPass is called when a pass of Changes ends, with how many
	// changes it yielded and the lag of the newest.
	ChangesPass func(ctx context.Context, e ChangesPassEvent)
	// Ensure is called at each step of an Ensure… call that decides what
	// is sent: found already done, sending, listing again after an unclear
	// answer.
	Ensure func(ctx context.Context, e EnsureEvent)
}

// CallEvent describes one SDK call.
type CallEvent struct {
	// Operation names the call: "Exchanges.List", "Exchanges.All",
	// "Exchanges.Changes", "Exchanges.EnsureRejected", "Returns.List",
	// "Returns.Changes", "Returns.EnsureApproved", "Do"… It never holds an
	// id.
	Operation string
	// Duration is set for CallDone: how long the whole call took, its
	// retries and pauses included.
	Duration time.Duration
	// Err is set for CallDone: the call's error, nil on success.
	Err error
}

// AttemptEvent describes one HTTP attempt.
type AttemptEvent struct {
	// Method is the HTTP method.
	Method string
	// URLTemplate is the path with every id replaced by a name, such as
	// "/v2/providers/openapi/apis/api/v4/vendors/{vendorId}/exchangeRequests/{exchangeId}/rejection"
	// (a prefix of WithBaseURL's path included). For Do, whose path the
	// client does not know, the vendor id becomes {vendorId} and every
	// segment holding anything but letters, "-" and "_" (other than a
	// version such as v4) becomes {id}.
	URLTemplate string
	// Scheme is the base URL's scheme, "https" or "http".
	Scheme string
	// ServerAddress is the base URL's host name or IP address, without
	// the port.
	ServerAddress string
	// ServerPort is the base URL's port, 443 or 80 when it names none.
	ServerPort int
	// ResendCount is 0 for the first attempt of a call and n for its n-th
	// retry.
	ResendCount int

	// StatusCode is set for AttemptDone: the answer's HTTP status, 0 when
	// none arrived.
	StatusCode int
	// TransactionID is set for AttemptDone: Coupang's id of the answer,
	// "" when it sent none; quote it to Coupang's support.
	TransactionID string
	// Duration is set for AttemptDone: from sending to the end of the
	// answer's body.
	Duration time.Duration
	// Err is set for AttemptDone: the attempt's error, nil on success.
	Err error
}

// LimiterWaitEvent describes one wait for the client's limiter.
type LimiterWaitEvent struct {
	// Duration is how long Wait took.
	Duration time.Duration
	// Err is Wait's error, nil when the attempt may go.
	Err error
}

// VendorEventKind says what happened to the vendor's standing.
type VendorEventKind int

// The kinds of VendorEvent.
const (
	// VendorPaused: every caller of the vendor waits until Until, after a
	// 429 (Reason OutcomeThrottled), or fails fast with ErrBlocked until
	// Until, after a block (Reason OutcomeBlocked). Reported again when a
	// later answer extends the pause.
	VendorPaused VendorEventKind = iota + 1
	// VendorProbe: the pause is over and one request goes out as the probe;
	// the others wait for its answer.
	VendorProbe
	// VendorResumed: the probe was answered; everyone may send again.
	VendorResumed
)

// String returns "paused", "probe" or "resumed".
func (k VendorEventKind) String() string {
	switch k {
	case VendorPaused:
		return "paused"
	case VendorProbe:
		return "probe"
	case VendorResumed:
		return "resumed"
	}
	return "VendorEventKind(" + strconv.Itoa(int(k)) + ")"
}

// VendorEvent describes a change of the vendor's standing with Coupang.
type VendorEvent struct {
	// Kind is what happened.
	Kind VendorEventKind
	// Reason is OutcomeThrottled (a 429) or OutcomeBlocked (a block); 0 for
	// a probe or a resumption when the limiter does not know it (a Redis
	// limiter, whose shared state does not keep it).
	Reason OutcomeKind
	// Until is the end of the pause, for VendorPaused.
	Until time.Time
}

// ListPageEvent describes one page All fetched.
type ListPageEvent struct {
	// WindowFrom and WindowTo are the createdAt window the page belongs to;
	// for returns, whose list takes dates, the starts of its first and last
	// Korea days.
	WindowFrom, WindowTo time.Time
	// Page is the page's number within its window, from 1.
	Page int
	// Records is how many records were decoded, RecordErrors how many were
	// not.
	Records, RecordErrors int
}

// RecordErrorsEvent describes the records of one page that could not be
// decoded.
type RecordErrorsEvent struct {
	// Operation is the call that fetched the page, "Exchanges.List",
	// "Returns.List", "Returns.Withdrawals" or "Returns.WithdrawalsByID".
	Operation string
	// Errors are the records' errors (each names its record and field).
	Errors []*RecordError
}

// ChangesPassEvent describes one pass of Changes.
type ChangesPassEvent struct {
	// Kind is what the feed lists: "exchange" or "return".
	Kind string
	// Changes is how many changes the pass yielded.
	Changes int
	// Newest is the ModifiedAt (CreatedAt when Coupang sent none; for a
	// withdrawn return, when it was withdrawn) of the newest change
	// yielded, zero when the pass yielded none.
	Newest time.Time
	// Lag is Newest's age when it was yielded: how far behind Coupang the
	// feed runs; zero when the pass yielded none.
	Lag time.Duration
}

// EnsureStep is one step of an Ensure… call.
type EnsureStep int

// The steps an Ensure… call reports.
const (
	// EnsureAlreadyDone: the effect is there; nothing is sent.
	EnsureAlreadyDone EnsureStep = iota + 1
	// EnsureSending: the write goes out (a second time after an unknown
	// outcome that listing again showed was not applied).
	EnsureSending
	// EnsureRelisting: the write's answer was unclear (outcome unknown or
	// refused); the exchange is listed again (a return receipt read again)
	// to learn its state.
	EnsureRelisting
)

// String returns "already_done", "sending" or "relisting".
func (s EnsureStep) String() string {
	switch s {
	case EnsureAlreadyDone:
		return "already_done"
	case EnsureSending:
		return "sending"
	case EnsureRelisting:
		return "relisting"
	}
	return "EnsureStep(" + strconv.Itoa(int(s)) + ")"
}

// EnsureEvent describes one step of an Ensure… call.
type EnsureEvent struct {
	// Operation is the Ensure… call, such as "Exchanges.EnsureRejected".
	Operation string
	// Step is what it does now.
	Step EnsureStep
}

// ObserveVendor reports a change of the vendor's standing to the Observer of
// the client whose call ctx belongs to, and does nothing when there is none.
// A Limiter of your own that protects the vendor calls it from Wait (a
// probe) and Report (a pause, a resumption) with the context it was given;
// NewPacer's limiter and coupangredis's do.
func ObserveVendor(ctx context.Context, e VendorEvent) {
	if o := observerFrom(ctx); o != nil && o.Vendor != nil {
		o.Vendor(ctx, e)
	}
}

// observerKey carries the call's Observer in its context, for the limiter.
type observerKey struct{}

func observerFrom(ctx context.Context) *Observer {
	o, _ := ctx.Value(observerKey{}).(*Observer)
	return o
}

// Operation names, as CallEvent.Operation and EnsureEvent.Operation give them.
const (
	opList                   = "Exchanges.List"
	opAll                    = "Exchanges.All"
	opRelist                 = "Exchanges.Relist"
	opChanges                = "Exchanges.Changes"
	opConfirmReceipt         = "Exchanges.ConfirmReceipt"
	opReject                 = "Exchanges.Reject"
	opUploadInvoices         = "Exchanges.UploadInvoices"
	opEnsureReceiptConfirmed = "Exchanges.EnsureReceiptConfirmed"
	opEnsureRejected         = "Exchanges.EnsureRejected"
	opEnsureInvoicesUploaded = "Exchanges.EnsureInvoicesUploaded"
	opWaitForShipmentBox     = "Exchanges.WaitForShipmentBox"
	opDo                     = "Do"

	opUploadPickupInvoice         = "Exchanges.UploadPickupInvoice"
	opEnsurePickupInvoiceUploaded = "Exchanges.EnsurePickupInvoiceUploaded"

	opReturnsList                        = "Returns.List"
	opReturnsAll                         = "Returns.All"
	opReturnsGet                         = "Returns.Get"
	opReturnsChanges                     = "Returns.Changes"
	opReturnsConfirmReceipt              = "Returns.ConfirmReceipt"
	opReturnsApprove                     = "Returns.Approve"
	opReturnsStopShipment                = "Returns.StopShipment"
	opReturnsMarkShipped                 = "Returns.MarkShipped"
	opReturnsUploadPickupInvoice         = "Returns.UploadPickupInvoice"
	opReturnsWithdrawals                 = "Returns.Withdrawals"
	opReturnsWithdrawalsByID             = "Returns.WithdrawalsByID"
	opReturnsPendingReleaseStops         = "Returns.PendingReleaseStops"
	opReturnsEnsureReceiptConfirmed      = "Returns.EnsureReceiptConfirmed"
	opReturnsEnsureApproved              = "Returns.EnsureApproved"
	opReturnsEnsureShipmentStopped       = "Returns.EnsureShipmentStopped"
	opReturnsEnsureMarkedShipped         = "Returns.EnsureMarkedShipped"
	opReturnsEnsurePickupInvoiceUploaded = "Returns.EnsurePickupInvoiceUploaded"
)

// URL templates of the exchange endpoints (AttemptEvent.URLTemplate), set
// where each call builds its path.
const (
	routeExchanges           = "/v2/providers/openapi/apis/api/v4/vendors/{vendorId}/exchangeRequests"
	routeReceiveConfirmation = routeExchanges + "/{exchangeId}/receiveConfirmation"
	routeRejection           = routeExchanges + "/{exchangeId}/rejection"
	routeInvoices            = routeExchanges + "/{exchangeId}/invoices"
)

// URL templates of the return endpoints; the list, the single query and
// ConfirmReceipt and Approve exist in several versions (returnsRoute).
const (
	routeVendorV4          = "/v2/providers/openapi/apis/api/v4/vendors/{vendorId}"
	routeReturnsV4         = routeVendorV4 + "/returnRequests"
	routeReturnsV5         = "/v2/providers/openapi/apis/api/v5/vendors/{vendorId}/returnRequests"
	routeReturnsV6         = "/v2/providers/openapi/apis/api/v6/vendors/{vendorId}/returnRequests"
	routeReturnWithdrawals = routeVendorV4 + "/returnWithdrawRequests"
	routeReturnWithdrawIDs = routeVendorV4 + "/returnWithdrawList"
	routePickupInvoice     = routeVendorV4 + "/return-exchange-invoices/manual"
)

// returnsRoute is the template of the return list in version ver, and
// with a receipt, of the single query: constants, so that a call without
// an Observer pays nothing for them.
func returnsRoute(ver string, receipt bool) string {
	switch {
	case ver == ReturnListVersionV4 && receipt:
		return routeReturnsV4 + "/{receiptId}"
	case ver == ReturnListVersionV4:
		return routeReturnsV4
	case receipt:
		return routeReturnsV6 + "/{receiptId}"
	}
	return routeReturnsV6
}

// returnActionRoute is the template of action on a receipt in version ver.
func returnActionRoute(ver, action string) string {
	base := routeReturnsV4
	if ver == ReturnActionVersionV5 {
		base = routeReturnsV5
	}
	return base + "/{receiptId}/" + action
}

// observeCall starts an SDK call for the client's Observer. It returns the
// call's context and the function to call with the call's error when it
// ends; without an Observer, ctx itself and a function that does nothing,
// at no cost. Call it as
//
//	ctx, done := s.client.observeCall(ctx, opList)
//	defer func() { done(err) }()
//
// with err the named error result: a closure deferred directly stays on the
// stack, where `defer done(err)` would see the error of the start.
func (c *Client) observeCall(ctx context.Context, op string) (context.Context, func(error)) {
	o := c.observer
	if o == nil {
		return ctx, doneNothing
	}
	if observerFrom(ctx) != o {
		ctx = context.WithValue(ctx, observerKey{}, o)
	}
	e := CallEvent{Operation: op}
	if o.CallStart != nil {
		ctx = o.CallStart(ctx, e)
	}
	start := time.Now()
	return ctx, func(err error) {
		if o.CallDone != nil {
			e.Duration, e.Err = time.Since(start), err
			o.CallDone(ctx, e)
		}
	}
}

func doneNothing(error) {}

// observeSeq is observeCall for the iterators (All, Changes). The
// iterator passes every error it yields through saw, and defers end:
//
//	ctx, call := s.client.observeSeq(ctx, opAll)
//	defer call.end()
//	yield := func(ex ExchangeRequest, err error) bool { return yieldTo(ex, call.saw(err)) }
//
// The wrapper stays on the stack; passing the loop's yield to a function
// that keeps it would move every caller's loop body to the heap, observed
// or not.
func (c *Client) observeSeq(ctx context.Context, op string) (context.Context, seqCall) {
	if c.observer == nil {
		return ctx, seqCall{}
	}
	ctx, done := c.observeCall(ctx, op)
	return ctx, seqCall{done: done}
}

// seqCall is an observed call that yields: it keeps the last error yielded
// that is not a *RecordError, which is the call's.
type seqCall struct {
	done func(error) // nil when not observed
	err  error
}

// saw notes err, which it returns.
func (s *seqCall) saw(err error) error {
	if s.done == nil || err == nil {
		return err
	}
	var recErr *RecordError
	if !errors.As(err, &recErr) {
		s.err = err
	}
	return err
}

// end reports the end of the call.
func (s *seqCall) end() {
	if s.done != nil {
		s.done(s.err)
	}
}

// observeAttempt reports one attempt: its start now, its end through the
// returned function, called with the attempt's result and answer (nil when
// none arrived). The function does not hold req: that would move every
// request to the heap, observed or not.
func (c *Client) observeAttempt(ctx context.Context, req *apiRequest, n int) (context.Context, func(attemptResult, *Response)) {
	o := c.observer
	if o == nil || (o.AttemptStart == nil && o.AttemptDone == nil) {
		return ctx, attemptNothing
	}
	e := AttemptEvent{Method: req.method, ResendCount: n - 1}
	prefix := ""
	if u, err := url.Parse(c.baseURL); err == nil {
		e.Scheme, e.ServerAddress, prefix = u.Scheme, u.Hostname(), u.EscapedPath()
		e.ServerPort, _ = strconv.Atoi(u.Port())
		if e.ServerPort == 0 && u.Scheme == "https" {
			e.ServerPort = 443
		} else if e.ServerPort == 0 {
			e.ServerPort = 80
		}
	}
	route := req.route
	if route == "" {
		route = pathTemplate(req.path, c.vendorID)
	}
	e.URLTemplate = prefix + route
	if o.AttemptStart != nil {
		ctx = o.AttemptStart(ctx, e)
	}
	start := time.Now()
	return ctx, func(r attemptResult, a *Response) {
		if o.AttemptDone == nil {
			return
		}
		e.Duration, e.Err = time.Since(start), r.err
		if a != nil {
			e.StatusCode, e.TransactionID = a.StatusCode, a.TransactionID
		}
		o.AttemptDone(ctx, e)
	}
}

func attemptNothing(attemptResult, *Response) {}

// pathTemplate makes a template of a path the client has no route for
// (Do's): the vendor id becomes {vendorId}, and every segment that is not a
// plain word or a version (v4) becomes {id}, so that no id, whatever its
// shape, reaches a metric.
func pathTemplate(path, vendorID string) string {
	segs := strings.Split(path, "/")
	for i, s := range segs {
		switch {
		case s == "":
		case s == vendorID:
			segs[i] = "{vendorId}"
		case !plainSegment(s):
			segs[i] = "{id}"
		}
	}
	return strings.Join(segs, "/")
}

func plainSegment(s string) bool {
	if len(s) > 1 && s[0] == 'v' && allDigits(s[1:]) {
		return true
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// waitLimiter waits for the client's limiter and reports the wait.
// A request of All passes its lister's gate first (list_gate.go).
func (c *Client) waitLimiter(ctx context.Context) error {
	defer limiterPassed(ctx)
	wait := c.limiter.Wait
	if t, ok := gated(ctx); ok {
		wait = func(ctx context.Context) error { return t.gate.wait(ctx, t, c.limiter.Wait) }
	}
	o := c.observer
	if o == nil || o.LimiterWait == nil {
		return wait(ctx)
	}
	start := time.Now()
	err := wait(ctx)
	o.LimiterWait(ctx, LimiterWaitEvent{Duration: time.Since(start), Err: err})
	return err
}

// limiterPassedKey carries a func(time.Time) that waitLimiter calls when
// the limiter let a request go: All measures round trips from there, not
// from before the wait (see lister.pageListing).
type limiterPassedKey struct{}

// limiterPassed tells ctx's listener, if any, that the limiter let a
// request go now.
func limiterPassed(ctx context.Context) {
	if f, ok := ctx.Value(limiterPassedKey{}).(func(time.Time)); ok {
		f(time.Now())
	}
}

// observeHeader lets the Observer add headers to an attempt's request.
func (c *Client) observeHeader(ctx context.Context, h http.Header) {
	if o := c.observer; o != nil && o.RequestHeader != nil {
		o.RequestHeader(ctx, h)
	}
}

// observeRecordErrors reports the bad records of a page that err (List's
// *PageError) lists.
func (c *Client) observeRecordErrors(ctx context.Context, op string, err error) {
	o := c.observer
	if o == nil || o.RecordErrors == nil || err == nil {
		return
	}
	var pageErr *PageError
	if errors.As(err, &pageErr) && len(pageErr.Records) > 0 {
		o.RecordErrors(ctx, RecordErrorsEvent{Operation: op, Errors: pageErr.Records})
	}
}

// observeListPage reports page n of window w that All fetched, with how
// many records it decoded and how many it could not.
func (c *Client) observeListPage(ctx context.Context, w window, n, records, bad int) {
	if c == nil {
		return
	}
	if o := c.observer; o != nil && o.ListPage != nil {
		o.ListPage(ctx, ListPageEvent{WindowFrom: w.from, WindowTo: w.to, Page: n, Records: records, RecordErrors: bad})
	}
}

// observeEnsure reports a step of an Ensure… call.
func (c *Client) observeEnsure(ctx context.Context, op string, step EnsureStep) {
	if o := c.observer; o != nil && o.Ensure != nil {
		o.Ensure(ctx, EnsureEvent{Operation: op, Step: step})
	}
}

// changesLag follows the newest change of a pass of Changes.
type changesLag struct {
	n      int
	newest time.Time
	lag    time.Duration
}

// saw notes a change as it is yielded: its record's last modification,
// or its creation when Coupang sent none.
func (l *changesLag) saw(modified, created time.Time) {
	l.n++
	at := modified
	if at.IsZero() {
		at = created
	}
	if at.IsZero() || (!l.newest.IsZero() && !at.After(l.newest)) {
		return
	}
	l.newest, l.lag = at, max(0, time.Since(at))
}

// observeChanges reports the end of a pass of Changes over kind
// ("exchange", "return").
func (c *Client) observeChanges(ctx context.Context, kind string, l *changesLag) {
	if o := c.observer; o != nil && o.ChangesPass != nil {
		o.ChangesPass(ctx, ChangesPassEvent{Kind: kind, Changes: l.n, Newest: l.newest, Lag: l.lag})
	}
}

// standing is what the vendor protection reports to an Observer: whether
// the vendor is paused or blocked, and until when.
type standing struct {
	kind  OutcomeKind
	until time.Time
}

// observeStanding reports the difference between two standings of a pacer
// (before and after an answer) to the call's Observer.
func observeStanding(ctx context.Context, was, is standing) {
	if was.kind != 0 && was.kind != is.kind {
		ObserveVendor(ctx, VendorEvent{Kind: VendorResumed, Reason: was.kind})
	}
	if is.kind != 0 && (was.kind != is.kind || !was.until.Equal(is.until)) {
		ObserveVendor(ctx, VendorEvent{Kind: VendorPaused, Reason: is.kind, Until: is.until})
	}
}
