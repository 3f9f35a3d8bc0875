// Package coupang is a client for the claims endpoints of Coupang's WING
// Open API, exchanges (교환요청) and returns and cancellations (반품·취소): list
// a vendor's exchange requests (List, All; 교환요청 목록조회), confirm that a
// returned item arrived (ConfirmReceipt; 교환요청상품 입고 확인처리), reject a
// request (Reject; 교환요청 거부 처리), and upload the waybill of the
// replacement shipment (UploadInvoices; 교환상품 송장 업로드 처리). All are
// methods of Client.Exchanges (ExchangeService); Client.Returns is the same
// for returns (below).
//
// On top of them: the Ensure… calls (EnsureReceiptConfirmed, EnsureRejected,
// EnsureInvoicesUploaded) read the exchange's state first and write only what
// is missing, so a retried job never writes twice; WaitForShipmentBox waits
// for the replacement's shipment box after the receipt is confirmed; Changes
// is a change feed (new and changed exchanges, pass after pass, its position
// in a ChangeStore); Client.Do calls any other Open API endpoint with the same
// signing, pacing and errors.
//
// Client.Returns (ReturnService) does the same for return and cancellation
// requests (반품·취소): List, All (sweeping the four status filters), Get,
// ConfirmReceipt, Approve, StopShipment (출고중지완료), MarkShipped (이미출고),
// UploadPickupInvoice (회수 송장 등록), the withdrawal history, a change feed
// that reports withdrawn returns, and the Ensure… calls; ReturnRequest.Actions
// says what a receipt's state allows. Exchanges and returns share one engine
// (internal/claims) and one ChangeStore.
//
// # Getting started
//
//	client, err := coupang.NewClient(accessKey, secretKey, "A00012345")
//	if err != nil { … }
//	for ex, err := range client.Exchanges.All(ctx, coupang.ExchangeListOptions{
//		CreatedAtFrom: time.Now().AddDate(0, 0, -30),
//		CreatedAtTo:   time.Now(),
//		Status:        coupang.ExchangeStatusReceipt,
//	}) {
//		if err != nil { … }
//		fmt.Println(ex.ExchangeID, ex.ReasonInfo().English)
//	}
//
// The package coupangtest runs an in-memory Coupang for your own tests.
//
// # What the client does for you
//
// Every request is signed with Coupang's CEA HMAC-SHA256 scheme (see
// AuthorizationHeader), signing exactly the query string that is sent, again
// on every attempt.
//
// Requests are paced to Coupang's per-vendor budget (WithRateLimit, default 5
// a second, shared by all goroutines using the client) and retried when that
// is safe (WithMaxRetries): GET on 429, 5xx and broken connections; writes
// only when they certainly never reached Coupang (the connection could not be
// made, nothing of the request was written). A write that got any answer or
// failure after it was sent — a 429 included, since nothing shows whether
// Coupang answered it before or after applying the write — returns an error
// matching ErrOutcomeUnknown (a 429 also ErrRateLimited) rather than risk
// confirming or uploading twice; the pacer still pauses the vendor after the
// 429. Learn such a write's outcome by listing the exchange again
// (ExchangeService.Relist), or let the Ensure… calls do it: they list again
// after every such answer and write again only when the write certainly was
// not applied. WithRetryWritesOn429(true) resends writes answered 429, for
// sellers who know that their 429s come before processing.
//
// Models are plain Go types: ids int64, amounts Money (exact, no float64),
// times time.Time in Korea time (zero when absent), text string
// (PersonalText for customers' names, addresses, phones and words: see
// below), booleans bool (*bool where Coupang may not know). Responses are decoded as Coupang really sends them, not as
// its spec tables say: numbers as strings, "" or null, booleans as "Y" or
// "true", numbers in text fields, [] for an absent object and one object for
// a one-element array, Coupang's timestamp forms, 18-digit ids kept exact
// (never through float64), enum values outside the documented tables kept as
// they came, and the misspelled moodifiedAt. A record that still cannot be
// decoded is reported as a *RecordError and never costs the rest of its page
// (see ExchangeService.List and All). UnmarshalExchange, DecodeExchangePage
// and MarshalExchange read and write Coupang's JSON for stored pages.
//
// # Errors
//
// Bad input is a *ValidationError, returned before anything is sent: input
// is refused, never rewritten (see ExchangeInvoice.InvoiceNumber). Any
// non-2xx answer, and an HTTP 200 that carries a business failure
// (data.resultCode FAIL), is an *APIError with the status, Coupang's code and
// message (Coupang's own text) and its transactionId. A request that got no
// answer is a *RequestError wrapping the cause. errors.Is matches the
// sentinels: ErrUnauthorized (401: signature, clock or keys), ErrForbidden
// (403, such as an unregistered IP), ErrNotFound (404: path, vendor or
// exchange id), ErrRateLimited (429, or the client's pause after one),
// ErrBlocked (Coupang blocks the vendor; the client sends nothing until the
// cool-down ends), ErrOutcomeUnknown (a write that may have been applied),
// ErrBusinessFailure (an HTTP 200 that refuses), ErrPagingLoop (All's paging
// does not end), ErrResponseTooLarge, and for the Ensure… calls and
// WaitForShipmentBox ErrNotApplicable (the exchange's state does not allow the
// action) and ErrNotReady (not yet: the shipment box does not exist). A change
// feed pass already running on a store gives ErrPassInProgress. While the
// client pauses or a block lasts, calls fail at once with a *PauseError.
//
// # Personal data
//
// Exchange records hold customers' names, addresses, phone and safe numbers
// and their own words; return records the requester's name, phones,
// address and reason. Every field that holds them is a PersonalText, which
// prints, logs and encodes (encoding/json, encoding.TextMarshaler) as
// "[redacted]" by itself, in every fmt verb and slog handler, so a record is
// safe to log alone or inside slices, maps, pointers and the caller's own
// structs; string(t) is the text, and MarshalExchange and MarshalReturn
// write it, for storage. ExchangeRequest, ExchangeAddress,
// ExchangeReturnDestination, CollectInformation, ExchangePage,
// ExchangeChange, ReturnRequest, ReturnItem, ReturnPage and ReturnChange
// print and log only ids, statuses, the reason code and times. Errors and
// the client's own log records never quote a body, a key or user info.
//
// # Telemetry
//
// WithObserver hands every call, attempt, limiter wait, pause, probe, page,
// undecodable record, Changes pass and Ensure… step to an Observer, a struct
// of optional hooks that costs nothing when absent; the return calls report
// as the exchange ones do, under "Returns.…" operation names. Module
// github.com/go-coupang/coupang/coupangotel builds one that records
// OpenTelemetry traces and metrics, without ids or personal data.
//
// # Time
//
// Coupang sends and expects Korea time without an offset. Times passed in may
// be in any zone; decoded times are in KoreaLocation(), a fixed UTC+09:00 zone that
// needs no tzdata.
package coupang
