package coupang

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/go-coupang/coupang/internal/jsondec"
	"github.com/go-json-experiment/json/jsontext"
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

// batchOutcome is a batch result as read from data.
type batchOutcome struct {
	responseCode, responseMessage string
	items                         []batchEntry
	// unreadable reports that reading stopped half-way: what was not read
	// may have failed.
	unreadable bool
}

// batchEntry is one item and whether it was applied.
type batchEntry struct {
	BatchItem
	ok bool
	// hasSucceed reports a succeed member, what makes an array of
	// objects a batch result.
	hasSucceed bool
}

// failed reports whether the batch is a failure, as BatchError documents.
func (b *batchOutcome) failed() bool {
	if b.unreadable || b.unknownCode() {
		return true
	}
	switch b.responseCode {
	case "1", "99":
		return true
	}
	for _, it := range b.items {
		if !it.ok {
			return true
		}
	}
	return false
}

// unknownCode reports a responseCode that says neither success nor failure,
// with no items to tell.
func (b *batchOutcome) unknownCode() bool {
	switch b.responseCode {
	case "", "0", "1", "99":
		return false
	}
	return len(b.items) == 0
}

// asError turns a failed batch into its error.
func (b *batchOutcome) asError(method, path string, resp *Response) *BatchError {
	e := &BatchError{
		Method:          method,
		Path:            path,
		ResponseCode:    b.responseCode,
		ResponseMessage: b.responseMessage,
		OutcomeUnknown:  b.unreadable || b.unknownCode(),
	}
	if resp != nil {
		e.StatusCode, e.TransactionID = resp.StatusCode, resp.TransactionID
	}
	for _, it := range b.items {
		if it.ok {
			e.Succeeded = append(e.Succeeded, it.BatchItem)
			continue
		}
		e.Failed = append(e.Failed, it.BatchItem)
		e.OutcomeUnknown = e.OutcomeUnknown || it.OutcomeUnknown
	}
	return e
}

// recogniseBatch reads data as a batch result, and reports false when it is
// not one (see BatchError for the shapes).
func recogniseBatch(raw []byte) (*batchOutcome, bool) {
	if len(raw) == 0 {
		return nil, false
	}
	dec, release := jsondec.Over(raw, decodeOptions)
	defer release()
	b := &batchOutcome{}
	switch dec.PeekKind() {
	case '{':
		return b, b.readObject(dec)
	case '[':
		succeedSeen, err := b.readItems(dec)
		if err != nil {
			b.unreadable = true
		}
		return b, succeedSeen
	}
	return nil, false
}

// readObject reads an OrderSheetResponse-like object and reports whether it
// is one.
func (b *batchOutcome) readObject(dec *jsontext.Decoder) bool {
	var hasList, hasCode, hasMessage bool
	fail := func() bool {
		// The data is valid JSON (Do read it whole), so this is not
		// expected; if it happens after the shape was recognised, what was
		// not read may have failed.
		b.unreadable = true
		return hasList || (hasCode && hasMessage)
	}
	if _, err := dec.ReadToken(); err != nil {
		return fail()
	}
	for dec.PeekKind() != '}' {
		tok, err := dec.ReadToken()
		if err != nil {
			return fail()
		}
		switch name := tok.String(); {
		case strings.EqualFold(name, "responseList"):
			hasList = true
			switch dec.PeekKind() {
			case '[':
				_, err = b.readItems(dec)
			case '{':
				err = b.readItem(dec, len(b.items))
			default:
				var sc jsondec.Scalar
				sc, err = jsondec.ReadScalar(dec, jsondec.ErrNotArray)
				if err == nil && !sc.Null && !(sc.Quoted && len(bytes.TrimSpace(sc.Text)) == 0) {
					b.items = append(b.items, batchEntry{BatchItem: BatchItem{Index: len(b.items), OutcomeUnknown: true}})
				}
			}
		case strings.EqualFold(name, "responseCode"):
			hasCode = true
			var code string
			err = readText(dec, &code)
			b.responseCode = strings.TrimSpace(code)
		case strings.EqualFold(name, "responseMessage"):
			hasMessage = true
			err = readText(dec, &b.responseMessage)
		default:
			err = dec.SkipValue()
		}
		if err != nil {
			return fail()
		}
	}
	return hasList || (hasCode && hasMessage)
}

// readItems reads an array of per-item results and reports whether any
// element had a succeed member.
func (b *batchOutcome) readItems(dec *jsontext.Decoder) (bool, error) {
	if _, err := dec.ReadToken(); err != nil {
		return false, err
	}
	seen := false
	for dec.PeekKind() != ']' {
		if dec.PeekKind() == 0 {
			_, err := dec.ReadToken()
			return seen, err
		}
		n := len(b.items)
		if err := b.readItem(dec, n); err != nil {
			return seen, err
		}
		seen = seen || b.items[n].hasSucceed
	}
	_, err := dec.ReadToken()
	return seen, err
}

// itemReading is what readItem learns of one item.
type itemReading struct {
	sawTrue, sawFalse, badSucceed bool
	codes                         []string
}

// readItem reads the item at index and appends it.
func (b *batchOutcome) readItem(dec *jsontext.Decoder, index int) error {
	entry := batchEntry{BatchItem: BatchItem{Index: index}}
	if dec.PeekKind() != '{' {
		entry.OutcomeUnknown = true
		b.items = append(b.items, entry)
		return dec.SkipValue()
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	var r itemReading
	for dec.PeekKind() != '}' {
		tok, err := dec.ReadToken()
		if err != nil {
			return err
		}
		name := tok.String()
		switch {
		case strings.EqualFold(name, "succeed"):
			entry.hasSucceed = true
			var sc jsondec.Scalar
			if sc, err = jsondec.ReadScalar(dec, jsondec.ErrNotBool); err == nil {
				v, ok, perr := jsondec.ParseBool(sc)
				switch {
				case perr != nil:
					r.badSucceed = true
				case ok && v:
					r.sawTrue = true
				case ok:
					r.sawFalse = true
				}
			}
		case strings.EqualFold(name, "resultCode"):
			var code string
			err = readText(dec, &code)
			if code = strings.TrimSpace(code); code != "" {
				r.codes = append(r.codes, code)
				entry.Code = code
			}
		case strings.EqualFold(name, "resultMessage"):
			err = readText(dec, &entry.Message)
		case strings.EqualFold(name, "retryRequired"):
			var sc jsondec.Scalar
			if sc, err = jsondec.ReadScalar(dec, jsondec.ErrNotBool); err == nil {
				v, _, _ := jsondec.ParseBool(sc)
				entry.RetryAllowed = entry.RetryAllowed || v
			}
		case idMember(name) && (entry.IDField == "" || (name == "shipmentBoxId" && entry.IDField != "shipmentBoxId")):
			var sc jsondec.Scalar
			if sc, err = jsondec.ReadScalar(dec, jsondec.ErrNotInteger); err == nil && (sc.Number() || sc.Quoted) {
				if id, perr := jsondec.ParseExactInt(bytes.TrimSpace(sc.Text)); perr == nil {
					entry.ID, entry.IDField = id, name
				}
			}
		default:
			err = dec.SkipValue()
		}
		if err != nil {
			return err
		}
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	entry.ok, entry.OutcomeUnknown = r.outcome()
	b.items = append(b.items, entry)
	return nil
}

// outcome says whether the item was applied, and whether that is unknown.
func (r *itemReading) outcome() (ok, unknown bool) {
	failCode, successOnly := false, len(r.codes) > 0
	for _, c := range r.codes {
		if strings.EqualFold(c, "FAIL") {
			failCode = true
		}
		if !successCode(c) {
			successOnly = false
		}
	}
	switch {
	case r.sawFalse:
		return false, false
	case r.badSucceed:
		return false, true
	case r.sawTrue:
		return !failCode, false
	case successOnly:
		return true, false
	case len(r.codes) > 0:
		return false, false
	}
	return false, true
}

// idMember reports a member that may hold the item's id: shipmentBoxId, or
// any name ending in Id or ID (vendorItemId, receiptId, orderId…).
func idMember(name string) bool {
	return name == "shipmentBoxId" || (len(name) > 2 && (strings.HasSuffix(name, "Id") || strings.HasSuffix(name, "ID")))
}
