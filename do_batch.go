package coupang

import (
	"bytes"
	"strings"

	"github.com/go-coupang/coupang/internal/jsondec"
	"github.com/go-json-experiment/json/jsontext"
)

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
