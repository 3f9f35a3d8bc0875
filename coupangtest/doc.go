// Package coupangtest is an in-memory Coupang: a local HTTP server that
// answers the four exchange-request (교환요청) endpoints, the return and
// cancellation (반품·취소) endpoints and the shared pickup waybill of
// Coupang's WING Open API, and a few order-sheet and inquiry endpoints, the
// way the real gateway does, so that the coupang package's examples run
// without credentials and so that you can test your own claim-handling code
// without production keys. Coupang offers no sandbox of its own.
//
// # What the server does
//
//   - checks the CEA HMAC-SHA256 Authorization header exactly as Coupang's
//     gateway does (signed-date + method + path + raw query) and answers 401
//     with Coupang's messages: "Invalid signature.", "Specified signature is
//     expired." (more than MaxSignatureSkew from its clock), "HMAC format is
//     invalid." and "Request is not authorized."; it answers 404 for another
//     vendor's path;
//   - applies the list rules: createdAtFrom and createdAtTo required in
//     yyyy-MM-ddTHH:mm:ss (Korea time, both included) at most 7 days apart,
//     status and orderId filters, maxPerPage (default 10, at most 50) and an
//     opaque nextToken that is rejected when tampered with;
//   - keeps Coupang's state machine: confirming receipt moves a RECEIPT
//     exchange to PROGRESS with collectStatus CompleteCollect and, after
//     WithBoxDelay, a NEW shipment box id in deliveryInvoiceGroupDtos;
//     rejecting needs rejectable and SOLDOUT or WITHDRAW; a waybill is
//     accepted only for the new box. Business failures are HTTP 200 with
//     data.resultCode FAIL, as on Coupang;
//   - is seeded with a few dozen deterministic, invented exchanges (masked
//     names, safe numbers, 18-digit box ids) over the last 30 days, encoded
//     with the quirks of Coupang's real answers (numbers as strings, "200"
//     as a string, timestamps with a space or in epoch milliseconds, nulls,
//     Korean labels, unknown fields) so that a decoder is exercised;
//   - answers, for programs that reach them with coupang.Client.Do and
//     coupang.DoAll, the order sheets listed by day (GET v4 and v5
//     …/ordersheets: status required, at most 31 days, maxPerPage and a
//     nextToken; v5 with money objects and times with an offset), the
//     shipping-waybill upload (POST …/orders/invoices) with a result per box
//     in data.responseList and a partial failure as on Coupang, and the reply
//     to a customer inquiry (POST …/onlineInquiries/{inquiryId}/replies);
//     see OrderSheet, AddOrderSheet, AddInquiry and InquiryReplies;
//   - has switches for tests: FailNext (429; 502, 503 and 504 with an HTML
//     body), FailNextAfterApplying, DropNextAfterApplying, SetLatency,
//     AddExchange, UpdateExchange, Withdraw; a timeline for sync workers:
//     UpdateExchangeAt (state that changes over time), AddExchangeLate
//     (records that appear late), StartIncident and EndIncident (fields sent
//     as null for a while); and
//     read-back: Calls, Applied (every write that took effect, also one
//     whose answer a switch replaced), Confirmations, Rejections, Invoices,
//     Exchange.
//
// # Returns
//
// The server also serves returns (v4 and v6 list and single query, the
// four actions, the pickup waybill, the withdrawal history), seeded with
// DefaultReturns deterministic receipts over every stage (WithReturns), in
// Coupang's state machine: a release-stop request (RELEASE_STOP_UNCHECKED,
// listed under RU and UC) is stopped (completed, items S) or reported
// shipped (a return again, items A); a return (RETURNS_UNCHECKED) gets a
// pickup waybill (PickUpReturn, or UploadPickupInvoice for a seller who
// collects itself), is confirmed (VENDOR_WAREHOUSE_CONFIRM; a quick refund
// completes at once) and approved with its whole quantity
// (RETURNS_COMPLETED); a quick refund under the automatic return
// integration completes by itself after its pickup
// (WithQuickRefundDelay); a withdrawal (WithdrawReturn, WithdrawReturnAt)
// removes the receipt from the list and the single query and adds it to
// the withdrawal history. Which filter lists VENDOR_WAREHOUSE_CONFIRM is not
// documented; the sandbox lists it under UC. UpdateReturn and
// UpdateReturnAt set any state; the fault switches apply to every endpoint;
// Count and Applied tell what took effect.
//
// # Testing your own code
//
// Give your code a *coupang.Client made by Server.Client (or by
// coupang.NewClient with the server's URL and keys), run it, then assert on
// what the server saw:
//
//	func TestConfirmArrivedParcels(t *testing.T) {
//		srv := coupangtest.NewTestServer(t, coupangtest.WithExchanges(0))
//		id := srv.AddExchange(coupang.ExchangeRequest{
//			Status:        coupang.ExchangeStatusReceipt,
//			CollectStatus: coupang.CollectStatusDelivering,
//			Rejectable:    true,
//		})
//		client, err := srv.Client()
//		require.NoError(t, err)
//
//		err = myapp.ConfirmArrivedParcels(context.Background(), client, []int64{id})
//		require.NoError(t, err)
//
//		assert.Equal(t, 1, srv.Confirmations(id)) // confirmed exactly once
//		ex, _ := srv.Exchange(id)
//		assert.Equal(t, coupang.ExchangeStatusProgress, ex.Status)
//	}
//
// srv.FailNext(1, http.StatusTooManyRequests) before the call tests your
// handling of Coupang's rate limit; srv.FailNextAfterApplying(1, 504) (or
// 429), or srv.DropNextAfterApplying(1), tests that a write whose outcome is
// unknown is not blindly repeated: count len(srv.Applied()) afterwards.
package coupangtest
