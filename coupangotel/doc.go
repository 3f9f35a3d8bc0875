// Package coupangotel reports what a coupang.Client does as OpenTelemetry
// traces and metrics: every SDK call and every HTTP attempt, with what only
// the client knows besides (the waits for the vendor's budget, the pauses
// after a 429, blocks and probes, the records that could not be decoded, the
// lag of the change feed). It is a module of its own, so that the core
// module (github.com/go-coupang/coupang) does not depend on OpenTelemetry;
// it plugs into the core's coupang.Observer:
//
//	client, err := coupang.NewClient(ak, sk, vendorID, coupangotel.New())
//
// New uses the global TracerProvider and MeterProvider unless
// WithTracerProvider or WithMeterProvider say otherwise.
//
// # Traces
//
// A span per SDK call, named after it ("Exchanges.List",
// "Exchanges.EnsureRejected", "Returns.All", "Do"; kind internal), with a
// child span per HTTP attempt named "{method} {url.template}" (kind client), such as
// "PUT /v2/providers/openapi/apis/api/v4/vendors/{vendorId}/exchangeRequests/{exchangeId}/receiveConfirmation".
// Calls nest as they do in the client: Changes holds All, All its List calls
// (one a page), an Ensure… call its Relist and its write.
//
// Call spans carry coupang.operation, coupang.vendor.id and, on failure,
// error.type. Attempt spans carry the HTTP semantic conventions'
// http.request.method, url.template, server.address, server.port,
// http.response.status_code, http.request.resend_count (on retries) and
// error.type, and Coupang's transactionId as coupang.transaction_id. url.full
// is left out on purpose: the path holds exchange ids and the query may hold
// an order id. Error texts are never exported either (they may name an
// exchange): error.type classifies the error instead (see below), and the
// span status is Error with that type as its description.
//
// Span events: coupang.limiter.wait (each wait for the vendor's budget, with
// coupang.limiter.wait.duration in seconds and error.type when the limiter
// refused), coupang.vendor.paused (coupang.pause.reason "throttled" or
// "blocked", coupang.pause.until), coupang.vendor.probe and
// coupang.vendor.resumed, coupang.list.page on All's span (coupang.list.page,
// coupang.list.records, coupang.list.record_errors, the window's bounds),
// coupang.decode.record_errors (the failing fields, never values),
// coupang.changes.pass (coupang.changes.kind, coupang.changes.count,
// coupang.changes.lag) and
// coupang.ensure.already_done, coupang.ensure.sending and
// coupang.ensure.relisting.
//
// W3C trace context is not sent to Coupang: its gateway signs requests and
// may refuse headers it does not know. WithTraceContextPropagation adds
// traceparent (and tracestate) to every attempt, for a proxy of your own
// that continues the trace.
//
// # Metrics
//
// Attributes are few and low-cardinality: never an exchange, receipt, order
// or box id, never personal data.
//
//   - http.client.request.duration (s, histogram): each attempt, by
//     http.request.method, server.address, server.port, url.scheme,
//     url.template, http.response.status_code and error.type, as the HTTP
//     semantic conventions define it.
//   - coupang.client.operation.duration (s, histogram): each SDK call, limiter
//     waits and retries included (for All and Changes, until the loop ends),
//     by coupang.operation, coupang.vendor.id and error.type.
//   - coupang.limiter.wait.duration (s, histogram): each wait for the
//     vendor's budget, by coupang.vendor.id and error.type (a refusal:
//     coupang.blocked, coupang.paused, timeout, canceled).
//   - coupang.client.throttled ({answer}, counter): 429 answers, by
//     coupang.vendor.id, http.request.method and url.template.
//   - coupang.vendor.paused ({pause}, gauge): 1 while the vendor is paused
//     after a 429 or blocked, until the pause's end or the probe's good
//     answer, whichever comes first; 0 otherwise. By coupang.vendor.id and
//     coupang.pause.reason ("throttled", "blocked"); both series exist, at 0,
//     from the first client on.
//   - coupang.decode.record_errors ({record}, counter): records of a page
//     that could not be decoded, by coupang.vendor.id and coupang.operation.
//   - coupang.changes.lag (s, gauge): at the end of every pass of Changes that
//     yielded a change, the age of the newest change (its ModifiedAt) when it
//     was yielded, by coupang.vendor.id and coupang.changes.kind ("exchange"
//     for Exchanges.Changes, "return" for Returns.Changes).
//
// error.type is the HTTP status for an answer of 3xx to 5xx ("429", "503",
// "302" for a block); coupang.business_failure for a 2xx that reports a
// failure; coupang.validation, coupang.blocked, coupang.paused,
// coupang.paging_loop, coupang.record_errors, coupang.not_applicable,
// coupang.not_ready, coupang.not_found, coupang.response_too_large,
// coupang.pass_in_progress, timeout and canceled for the client's own; and
// otherwise the Go type of the underlying error, such as *net.OpError.
package coupangotel
