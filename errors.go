package coupang

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-coupang/coupang/internal/jsondec"
)

// Every error type and sentinel the package's calls return, in one place
// (PauseError, the pacer's refusal, is part of the Limiter contract in
// limiter.go). Server trouble is an *APIError with Coupang's code, message and
// transaction id; a call that got no usable answer a *RequestError; bad input
// a *ValidationError before anything is sent.

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

// ErrClockJump means that a pass of Changes was refused, before it listed or forgot
// anything, because its clock is further past the store's last complete
// pass than the pass reaches back (its look-back, or From when that is
// earlier). Either the clock is wrong, and the pass would forget every
// exchange, which would all come again as new once the clock is right; or
// the worker really was stopped that long, and the exchanges created in
// between would never be listed. A *ClockJumpError says when. After a real
// stop, set ChangeOptions.From to the last pass (or earlier) to list the gap,
// or ChangeOptions.AcceptClockJump to skip it.
var ErrClockJump = errors.New("coupang: the clock is past the change store's last pass by more than the look-back")

// ClockJumpError is the error of a pass refused for ErrClockJump, which it
// matches.
type ClockJumpError struct {
	// LastPass is the store's last complete pass (ChangePass.LastPass).
	LastPass time.Time
	// Now is the refused pass's clock.
	Now time.Time
	// From is how far back the pass reaches (ChangeOptions.From or now −
	// Lookback, the earlier): it would have forgotten what was created
	// before it, and listed nothing created between LastPass and it.
	From time.Time
}

// Error says when the last pass was and how to go on.
func (e *ClockJumpError) Error() string {
	return fmt.Sprintf("coupang: change pass refused: its clock (%s) is %s past the store's last complete pass (%s) and it would list only from %s; "+
		"if the clock is right, set ChangeOptions.From to %s to list the requests (exchanges or returns) created in between, or ChangeOptions.AcceptClockJump to skip them",
		e.Now.Format(time.RFC3339), e.Now.Sub(e.LastPass).Round(time.Second), e.LastPass.Format(time.RFC3339),
		e.From.Format(time.RFC3339), e.LastPass.Format(time.RFC3339))
}

// Is matches ErrClockJump.
func (e *ClockJumpError) Is(target error) bool { return target == ErrClockJump }

// ErrPassInProgress means that a pass of Changes was refused because another pass
// holds the same ChangeStore (in this process or, for a file store, in
// another process on the same machine). Try again after it ends.
var ErrPassInProgress = errors.New("coupang: a change pass is already in progress on this store")

// ErrResponseTooLarge is matched (errors.Is) by the error of a call whose
// successful answer was larger than the client's limit (see
// WithMaxResponseSize). Such a call is not retried: the same answer would come
// again.
var ErrResponseTooLarge = jsondec.ErrTooLarge

// RecordError reports one record of a page that could not be decoded; the
// page's other records are delivered. Its text names the record (the
// exchange, or the return receipt) and the field, never the value (values
// are personal data).
type RecordError struct {
	// ExchangeID is the record's exchangeId, 0 when it could not be read or
	// when the record is not an exchange.
	ExchangeID int64
	// ReceiptID is the receiptId of a return record (or the cancelId of a
	// withdrawal), 0 when it could not be read or when the record is an
	// exchange.
	ReceiptID int64
	// Index is the record's position in the page's data array.
	Index int
	// Field is the JSON path of the field that failed, such as
	// "exchangeItemDtoV1s[0].quantity"; "" when the record as a whole is
	// not an object.
	Field string
	// Err says what was wrong with the field.
	Err error

	// kind names the record in the text: "" for an exchange.
	kind string
}

func (e *RecordError) Error() string {
	var b strings.Builder
	b.WriteString("coupang: ")
	if e.kind == "" {
		b.WriteString("exchange ")
	} else {
		b.WriteString(e.kind + " ")
	}
	if id := e.ExchangeID + e.ReceiptID; id != 0 {
		fmt.Fprintf(&b, "%d", id)
	} else {
		fmt.Fprintf(&b, "with unknown id (record %d of the page)", e.Index)
	}
	if e.Field != "" {
		b.WriteString(", field ")
		b.WriteString(e.Field)
	}
	b.WriteString(": ")
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	} else {
		b.WriteString("cannot be decoded")
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *RecordError) Unwrap() error { return e.Err }

// PageError is returned by List (and DecodeExchangePage) together with the
// page when some of its records could not be decoded: the page holds every
// other record. errors.As(err, &recErr) finds the first *RecordError.
type PageError struct {
	// Records are the records that could not be decoded, in page order.
	Records []*RecordError
}

func (e *PageError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "coupang: %d record(s) of the page could not be decoded", len(e.Records))
	for i, r := range e.Records {
		if i == 3 {
			fmt.Fprintf(&b, "; and %d more", len(e.Records)-i)
			break
		}
		b.WriteString("; ")
		b.WriteString(strings.TrimPrefix(r.Error(), "coupang: "))
	}
	return b.String()
}

// Unwrap returns the record errors, for errors.Is and errors.As.
func (e *PageError) Unwrap() []error {
	errs := make([]error, len(e.Records))
	for i, r := range e.Records {
		errs[i] = r
	}
	return errs
}

// Sentinels of the Ensure… calls.
var (
	// ErrNotApplicable: the exchange is in a state in which the action can
	// never be applied any more (withdrawn, rejected, completed, no longer
	// rejectable). Retrying does not help; the error says which state.
	ErrNotApplicable = errors.New("coupang: action not applicable to the exchange's state")
	// ErrNotReady: the action cannot be applied yet (for instance a waybill
	// for a shipment box Coupang has not created yet). Try again later, or
	// wait with WaitForShipmentBox.
	ErrNotReady = errors.New("coupang: exchange not ready for the action")
)

// BatchError is what Do returns when Coupang answered a call on several items
// with a success (HTTP 200, envelope code 200) whose data reports that some
// of them failed: the shipping-waybill upload (송장업로드, POST
// …/orders/invoices), the acknowledgement of order sheets (상품준비중 처리) and
// the other batch calls of the order-sheet API answer that way. The items
// that succeeded were applied; those in Failed were not, unless
// OutcomeUnknown says that their outcome could not be read. out is filled as
// for a success.
//
// errors.Is(err, ErrBusinessFailure) is true: Coupang refused at least part
// of the request. errors.Is(err, ErrOutcomeUnknown) is true when some item's
// outcome (or the batch's) could not be read: re-read the state before
// sending those items again.
//
// # Shapes recognised
//
// data is read as a batch result when it is
//   - an object with a member responseList (an array of per-item results,
//     one object, or null), or with both responseCode and responseMessage:
//     Coupang's documented OrderSheetResponse, {"responseCode": 1,
//     "responseMessage": "…", "responseList": [{"shipmentBoxId": …,
//     "succeed": false, "resultCode": "NOT_FOUND_SHIPMENT_BOX",
//     "retryRequired": true, "resultMessage": "…"}]};
//   - an array in which at least one element is an object with a member
//     succeed: the same per-item results without the wrapper.
//
// An item failed when succeed is false (also "false", "N" or 0), or when
// succeed is absent and resultCode is not a success (OK, SUCCESS or 2xx);
// an item with succeed true and resultCode FAIL failed too. An item whose
// outcome cannot be read (no usable succeed and no resultCode, or not an
// object) is listed in Failed with OutcomeUnknown set. The batch failed also
// when responseCode is 1 (PARTIAL_ERROR) or 99 (FAILED) whatever the items
// say; a responseCode other than 0, 1 or 99 with no items (-1, NONE: no
// result) leaves the outcome unknown. Member names are matched in any case.
// Any other data is not a batch result and goes to out as before.
type BatchError struct {
	// Method and Path identify the request.
	Method, Path string
	// StatusCode is the HTTP status of the answer (200).
	StatusCode int
	// TransactionID is Coupang's transactionId, to quote to its support.
	TransactionID string
	// ResponseCode is data.responseCode as sent: "0" all succeeded, "1"
	// some failed, "99" all failed, "-1" no result; "" when absent.
	ResponseCode string
	// ResponseMessage is data.responseMessage, Coupang's text.
	ResponseMessage string
	// Failed are the items that failed, in the answer's order.
	Failed []BatchItem
	// Succeeded are the items that were applied, in the answer's order.
	Succeeded []BatchItem
	// OutcomeUnknown reports that some item's outcome, or the batch's,
	// could not be read: those items may have been applied.
	OutcomeUnknown bool
}

// BatchItem is one item of a batch answer.
type BatchItem struct {
	// Index is the item's position in the answer's list.
	Index int
	// ID is the item's id, read from shipmentBoxId or else from the first
	// member whose name ends in "Id" and that holds an integer; 0 when none.
	ID int64
	// IDField is the name of the member ID was read from, such as
	// "shipmentBoxId"; "" when none.
	IDField string
	// Code is the item's resultCode as sent, such as "OK" or
	// "NOT_FOUND_SHIPMENT_BOX".
	Code string
	// Message is the item's resultMessage, Coupang's text.
	Message string
	// RetryAllowed is the item's retryRequired: Coupang says that sending
	// the item again may succeed (for instance PERMISSION_DENIED or
	// DUPLICATE_INVOICE_NUMBER in the waybill upload's table).
	RetryAllowed bool
	// OutcomeUnknown reports that neither succeed nor resultCode could be
	// read: the item may have been applied.
	OutcomeUnknown bool
}

// Error describes the failure: how many items failed, and the first few of
// them with their id, code and Coupang's message.
func (e *BatchError) Error() string {
	var b strings.Builder
	b.WriteString("coupang: ")
	if e.Method != "" {
		b.WriteString(e.Method + " " + e.Path + ": ")
	}
	total := len(e.Failed) + len(e.Succeeded)
	if total > 0 {
		b.WriteString(strconv.Itoa(len(e.Failed)) + " of " + strconv.Itoa(total) + " items failed")
	} else {
		b.WriteString("the batch failed")
	}
	if e.ResponseCode != "" || e.ResponseMessage != "" {
		b.WriteString(" (responseCode " + e.ResponseCode)
		if e.ResponseMessage != "" {
			b.WriteString(": " + e.ResponseMessage)
		}
		b.WriteString(")")
	}
	if e.TransactionID != "" {
		b.WriteString(" [transactionId " + e.TransactionID + "]")
	}
	for i, it := range e.Failed {
		if i == 3 {
			b.WriteString("; and " + strconv.Itoa(len(e.Failed)-i) + " more")
			break
		}
		b.WriteString("; ")
		if it.IDField != "" {
			b.WriteString(it.IDField + " " + strconv.FormatInt(it.ID, 10))
		} else {
			b.WriteString("item " + strconv.Itoa(it.Index))
		}
		switch {
		case it.OutcomeUnknown:
			b.WriteString(": outcome unknown")
		case it.Code != "":
			b.WriteString(": " + it.Code)
		}
		if it.RetryAllowed {
			b.WriteString(" (retry allowed)")
		}
		if it.Message != "" {
			b.WriteString(": " + it.Message)
		}
	}
	if e.OutcomeUnknown {
		b.WriteString("; outcome unknown for some items: they may have been applied, read the state before retrying them")
	}
	return b.String()
}

// Is makes errors.Is match ErrBusinessFailure, and ErrOutcomeUnknown when
// some outcome could not be read.
func (e *BatchError) Is(target error) bool {
	switch target {
	case ErrBusinessFailure:
		return true
	case ErrOutcomeUnknown:
		return e.OutcomeUnknown
	}
	return false
}
