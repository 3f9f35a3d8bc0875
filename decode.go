package coupang

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/go-coupang/coupang/internal/jsondec"
)

// This file is the public door to reading Coupang's answers: the limits, the
// record errors, the envelope member by member, and the page, record and
// write-result decoders. The engine (answers within their limits, records
// one by one so that a bad record costs only itself, the tolerant
// unmarshalers) is internal/jsondec; the models' options are in
// decode_options.go.

// decodedSizeFactor bounds what the structures decoded from one answer (the
// records and the elements of their arrays) may allocate, as a multiple of
// the body limit (WithMaxResponseSize, DefaultMaxResponseSize). The text of
// the records is copied from the body, so it adds at most about the body's
// size; together decoding stays within a few times the limit, whatever the
// JSON. A real page allocates well under its own size in structures.
const decodedSizeFactor = 2

// jsonReader is implemented by what an answer is decoded into: it reads one
// JSON value from the stream.
type jsonReader interface {
	readJSON(dec *jsontext.Decoder) error
}

// decodeBody reads one answer into out, straight from the stream, reading at
// most limit bytes of body (after decompression, as the transport hands it).
func decodeBody(body io.Reader, limit int64, out jsonReader) error {
	if limit <= 0 {
		limit = DefaultMaxResponseSize
	}
	return jsondec.Decode(body, limit, decodedSizeFactor*limit, decodeOptions, out.readJSON)
}

// decodeRetryable reports whether a GET whose 2xx body could not be decoded
// is worth another attempt: a body cut short or garbled in transit is, a body
// over the size limit is not (it would come again).
func decodeRetryable(err error) bool {
	var syntaxErr *jsontext.SyntacticError
	return !errors.Is(err, ErrResponseTooLarge) && (errors.Is(err, io.ErrUnexpectedEOF) || errors.As(err, &syntaxErr))
}

// readJSON reads Coupang's envelope and its data in one pass. Once the code
// says the call failed, data is skipped: a failure's data is not the
// success's shape.
func (e *envelope[T]) readJSON(dec *jsontext.Decoder) error {
	if b, ok := any(&e.Data).(bodyReader); ok {
		if done, err := b.readBody(dec); done {
			return err
		}
	}
	if dec.PeekKind() != '{' {
		raw, err := dec.ReadValue()
		return cmp.Or(err, fmt.Errorf("the answer is a JSON %s, not an object", jsondec.KindName(raw.Kind())))
	}
	_, err := dec.ReadToken()
	for err == nil && dec.PeekKind() != '}' {
		jsondec.Mark(dec)
		var name jsontext.Token
		if name, err = dec.ReadToken(); err != nil {
			break
		}
		switch name.String() {
		case "code":
			err = readText(dec, &e.Code)
		case "message":
			err = readText(dec, &e.Message)
		case "transactionId":
			err = readText(dec, &e.TransactionID)
		case "nextToken":
			err = readText(dec, &e.NextToken)
		case "data":
			if code := strings.TrimSpace(e.Code); code != "" && !successCode(code) {
				err = dec.SkipValue()
			} else if r, ok := any(&e.Data).(dataReader); ok {
				err = r.readData(dec)
			} else {
				err = json.UnmarshalDecode(dec, &e.Data)
			}
		default:
			if m, ok := any(&e.Data).(memberReader); ok {
				err = m.readMember(name.String(), dec)
			} else if name.String() == "nextPageIndex" { // the withdrawal history pages by index
				err = readText(dec, &e.NextPageIndex)
			} else {
				err = dec.SkipValue()
			}
		}
	}
	if err == nil {
		_, err = dec.ReadToken()
	}
	return err
}

// dataReader is implemented by data payloads that read themselves, such as a
// list of exchanges that must survive a bad record.
type dataReader interface {
	readData(dec *jsontext.Decoder) error
}

// readText reads a scalar envelope member as text; an object or array there
// is skipped and read as "".
func readText(dec *jsontext.Decoder, dst *string) error {
	switch dec.PeekKind() {
	case '{', '[':
		*dst = ""
		return dec.SkipValue()
	}
	return jsondec.String(dec, dst)
}

// listRecord is a model that list answers hold: its id names it in a
// RecordError.
type listRecord interface {
	ExchangeRequest | ReturnRequest | ReturnWithdrawal
}

// recordList is the data of a list answer: the records that decoded and a
// RecordError for each that did not, with their positions.
type recordList[R listRecord] struct {
	items []R
	bad   []*RecordError
}

// exchangeList is the data of an exchange list answer.
type exchangeList = recordList[ExchangeRequest]

// newRecordError is the RecordError of b, a record of R.
func newRecordError[R listRecord](b jsondec.Bad) *RecordError {
	e := &RecordError{ExchangeID: b.ID, Index: b.Index, Field: b.Field, Err: b.Err}
	switch any(*new(R)).(type) {
	case ReturnRequest:
		e.ExchangeID, e.ReceiptID, e.kind = 0, b.ID, "return receipt"
	case ReturnWithdrawal:
		e.ExchangeID, e.ReceiptID, e.kind = 0, b.ID, "withdrawal of receipt"
	}
	return e
}

// recordIDKey is the wire key of R's id, which names a record that cannot
// be decoded.
func recordIDKey[R listRecord]() string {
	switch any(*new(R)).(type) {
	case ReturnRequest:
		return "receiptId"
	case ReturnWithdrawal:
		return "cancelId"
	}
	return "exchangeId"
}

// readData reads the data array record by record (jsondec.ReadList): a
// record that cannot be decoded is reported, and the page holds the others.
func (l *recordList[R]) readData(dec *jsontext.Decoder) error {
	return jsondec.ReadList(dec, &l.items, fastOptions, recordIDKey[R](), func(b jsondec.Bad) {
		l.bad = append(l.bad, newRecordError[R](b))
	})
}

// encodeOptions writes models the way Coupang does: times as
// "2006-01-02T15:04:05" in Korea time, null when zero; PersonalText as its
// text (its own MarshalJSON redacts, for logs; this is for storage).
var encodeOptions = storageOptions(wireTimeLayout)

// storageOptions are the options of Marshal…: times in layout, Korea time,
// null when zero; PersonalText as its text.
func storageOptions(layout string) json.Options {
	return json.WithMarshalers(json.JoinMarshalers(
		json.MarshalToFunc(func(enc *jsontext.Encoder, t time.Time) error {
			if t.IsZero() {
				return enc.WriteToken(jsontext.Null)
			}
			var buf [64]byte
			b := append(buf[:0], '"')
			b = t.In(kst).AppendFormat(b, layout)
			return enc.WriteValue(append(b, '"'))
		}),
		json.MarshalToFunc(func(enc *jsontext.Encoder, t PersonalText) error {
			return enc.WriteToken(jsontext.String(string(t)))
		}),
	))
}

// writeResult is data of a write's answer: {"resultCode", "resultMessage"}.
// Any other shape, or no data at all (confirm answers carry none), is read as
// no result.
type writeResult struct {
	ResultCode    string
	ResultMessage string
}

func (w *writeResult) result() (string, string) { return w.ResultCode, w.ResultMessage }

// UnmarshalJSON reads a write's result from raw data, as readData does.
func (w *writeResult) UnmarshalJSON(b []byte) error {
	return w.readData(jsontext.NewDecoder(bytes.NewReader(b), decodeOptions))
}

// readData reads the result as Do reads a write's (readResultMembers): any
// shape but an object is no result.
func (w *writeResult) readData(dec *jsontext.Decoder) error {
	raw, err := dec.ReadValue()
	if err == nil {
		r := readResultMembers(raw)
		w.ResultCode, w.ResultMessage = r.resultCode, r.resultMessage
	}
	return err
}

// ---- Public decoding and encoding of Coupang's JSON ----

// DecodeExchangePage decodes a whole list answer as Coupang sends it (the
// envelope with code, message, data and nextToken), for pages stored raw and
// replayed. It applies the same tolerance, limit and checks as List: an
// envelope reporting a failure gives an *APIError, and records that cannot be
// decoded give the page of the others together with a *PageError. r is read
// up to DefaultMaxResponseSize bytes.
func DecodeExchangePage(r io.Reader) (*ExchangePage, error) {
	var env envelope[exchangeList]
	if err := decodeBody(r, DefaultMaxResponseSize, &env); err != nil {
		return nil, fmt.Errorf("coupang: decoding an exchange page: %w", err)
	}
	if apiErr := env.check(200); apiErr != nil {
		return nil, apiErr
	}
	return env.page()
}

// page returns the page of a decoded list answer, and a *PageError when some
// records could not be decoded.
func (e *envelope[T]) page() (*ExchangePage, error) {
	l, ok := any(&e.Data).(*exchangeList)
	if !ok {
		return nil, errors.New("coupang: not a list answer")
	}
	page := &ExchangePage{Items: l.items, NextToken: strings.TrimSpace(e.NextToken), TransactionID: e.TransactionID}
	page.bad = l.bad
	return page, l.pageError()
}

// pageError is the *PageError of a page with records that could not be
// decoded, nil (an untyped nil error) for a page without.
func (l *recordList[R]) pageError() error {
	if len(l.bad) > 0 {
		return &PageError{Records: l.bad}
	}
	return nil
}

// UnmarshalExchange decodes one exchange request (one element of a list
// answer's data) as Coupang writes it, with every tolerance of the client: ids
// as numbers or numeric strings, booleans as "true", "Y" or 1, times in
// Coupang's forms, [] for an absent object, one object for a one-element
// array. A field that still cannot be decoded gives a *RecordError naming it.
// Its arrays may allocate at most 2 × DefaultMaxResponseSize bytes decoded,
// as in a page; beyond that it fails with an error matching
// ErrResponseTooLarge.
func UnmarshalExchange(data []byte, ex *ExchangeRequest) error {
	return unmarshalRecord(data, ex, "an exchange")
}

// unmarshalRecord decodes one record of R, as UnmarshalExchange describes;
// what names the record in a wrapped error ("an exchange").
func unmarshalRecord[R listRecord](data []byte, rec *R, what string) error {
	*rec = *new(R)
	var bad *jsondec.Bad
	err := jsondec.Decode(bytes.NewReader(data), int64(len(data)), decodedSizeFactor*DefaultMaxResponseSize, decodeOptions,
		func(dec *jsontext.Decoder) (err error) {
			bad, err = jsondec.Record(dec, rec, fastOptions, recordIDKey[R]())
			return err
		})
	switch {
	case err != nil:
		*rec = *new(R)
		return fmt.Errorf("coupang: decoding %s: %w", what, err)
	case bad != nil:
		return newRecordError[R](*bad)
	}
	return nil
}

// MarshalExchange encodes ex as Coupang writes it: times as
// "2006-01-02T15:04:05" in Korea time (null when zero), the wire key
// moodifiedAt, ids as JSON numbers. UnmarshalExchange reads it back to an
// equal value. (encoding/json would write times in RFC 3339, which
// UnmarshalExchange also reads.)
func MarshalExchange(ex ExchangeRequest) ([]byte, error) {
	return json.Marshal(ex, encodeOptions)
}

// envelope is Coupang's response shape. It is decoded in one pass, straight
// from the stream, data included (readJSON, in decode.go).
type envelope[T any] struct {
	Code          string
	Message       string
	TransactionID string
	Data          T
	NextToken     string
	// NextPageIndex is the page-index paging's next page (the withdrawal
	// history's), unless Data reads it itself (a memberReader: Do's).
	NextPageIndex string
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
	if code := strings.TrimSpace(e.Code); code != "" && !successCode(code) {
		return &APIError{StatusCode: status, Code: code, Message: e.Message, TransactionID: e.TransactionID}
	}
	if br, ok := any(&e.Data).(businessResult); ok {
		if code, msg := br.result(); code != "" && !successCode(code) {
			return &APIError{
				StatusCode:     status,
				Code:           e.Code,
				Message:        msg,
				ResultCode:     code,
				TransactionID:  e.TransactionID,
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

func (e *envelope[T]) txID() string { return e.TransactionID }

func (e *envelope[T]) meta() (code, message, nextToken string) {
	return e.Code, e.Message, strings.TrimSpace(e.NextToken)
}
