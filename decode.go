package coupang

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// This file reads Coupang's JSON. The models (models.go) are plain Go types;
// the tolerance of reference §5 lives here, in call-time unmarshalers of the
// json/v2 engine (github.com/go-json-experiment/json) registered per field
// type: int64, string, bool, *bool, time.Time, the enum types, the
// sub-objects that arrive as [] and the arrays that arrive as one object.
// Every unmarshaler reads exactly one JSON value and never puts the value in
// an error: values are personal data.

// DefaultMaxResponseSize bounds the body of a successful answer, after
// decompression, unless WithMaxResponseSize says otherwise. A full page of 50
// exchanges is about 0.2 MiB; 32 MiB is far above any real answer and keeps a
// broken or hostile server from exhausting memory.
const DefaultMaxResponseSize = 32 << 20

// ErrResponseTooLarge is matched (errors.Is) by the error of a call whose
// successful answer was larger than the client's limit (see
// WithMaxResponseSize). Such a call is not retried: the same answer would come
// again.
var ErrResponseTooLarge = errors.New("coupang: response too large")

// WithMaxResponseSize bounds the body of a successful answer to n bytes after
// decompression (default DefaultMaxResponseSize). A larger answer ends the
// call with an error matching ErrResponseTooLarge; memory stays bounded by n.
// The records decoded from it are bounded too, since a few bytes of JSON
// ({}) can make a struct of a kilobyte: their structures may allocate at
// most 2 × n bytes, and a page may hold at most MaxRecordsPerPage records;
// beyond either the call fails the same way. Decoding a page thus takes at
// most about 4 × n bytes whatever the body holds (a real page of 50
// exchanges takes about its own size). Error answers are always cut at
// 64 KiB.
func WithMaxResponseSize(n int64) CommonOption {
	return common(func(c *Client) error {
		if n < 1<<10 || n > 1<<30 {
			return invalid("maxResponseSize", "must be between 1 KiB and 1 GiB, got %d bytes", n)
		}
		c.maxResponseSize = n
		return nil
	})
}

// MaxRecordsPerPage bounds the records of one list answer. Coupang sends at
// most MaxPageSize; an answer with more is not Coupang's (a broken proxy, a
// hostile server), and every record costs about a kilobyte decoded even when
// it is 2 bytes of JSON ({}), so a compressed answer of a few kilobytes could
// otherwise become gigabytes. A larger answer fails the call with an error
// matching ErrResponseTooLarge, like a body over the byte limit: not retried
// (the same answer would come again), and none of the page's records is
// delivered, since a cut page would silently lose the rest.
const MaxRecordsPerPage = 1000

// decodedSizeFactor bounds what the structures decoded from one answer (the
// records and the elements of their arrays) may allocate, as a multiple of
// the body limit (WithMaxResponseSize, DefaultMaxResponseSize). The text of
// the records is copied from the body, so it adds at most about the body's
// size; together decoding stays within a few times the limit, whatever the
// JSON. A real page allocates well under its own size in structures.
const decodedSizeFactor = 2

// decodeBudget is what the structures decoded from one answer may still
// allocate. It lives beside the decoder (budgets) because json/v2 hands the
// unmarshalers nothing but the decoder.
type decodeBudget struct {
	left  int64
	limit int64
	err   error
}

// budgets maps each decoder reading an answer (decodeBody, UnmarshalExchange)
// to its budget. Decoding that has none (small error bodies) is not charged.
var budgets sync.Map // *jsontext.Decoder → *decodeBudget

// withBudget charges what dec decodes to a budget of decodedSizeFactor ×
// limit until the returned function is called.
func withBudget(dec *jsontext.Decoder, limit int64) (*decodeBudget, func()) {
	b := &decodeBudget{left: decodedSizeFactor * limit, limit: decodedSizeFactor * limit}
	budgets.Store(dec, b)
	return b, func() { budgets.Delete(dec) }
}

// budgetOf returns the budget dec is charged to, or nil.
func budgetOf(dec *jsontext.Decoder) *decodeBudget {
	b, _ := budgets.Load(dec)
	budget, _ := b.(*decodeBudget)
	return budget
}

// take charges n bytes, or fails (from then on) when they do not fit. A nil
// budget takes anything.
func (b *decodeBudget) take(n int64) error {
	if b == nil {
		return nil
	}
	if b.err == nil && n > b.left {
		b.err = fmt.Errorf("%w: the records would take more than %d bytes decoded (twice the body limit, see WithMaxResponseSize)", ErrResponseTooLarge, b.limit)
	}
	if b.err != nil {
		return b.err
	}
	b.left -= n
	return nil
}

// appendZero returns s with one more element, zero, charging a new backing
// array (first elements at first, then twice the old) to b. Growing by hand
// rather than with append keeps every allocation charged before it is made.
func appendZero[E any](s []E, b *decodeBudget, first int) ([]E, error) {
	if len(s) == cap(s) {
		size := int64(reflect.TypeFor[E]().Size())
		n := max(2*cap(s), first)
		if b != nil && int64(n)*size > b.left {
			n = max(len(s)+1, int(b.left/size)) // what still fits
		}
		if err := b.take(int64(n) * size); err != nil {
			return s, err
		}
		grown := make([]E, len(s), n)
		copy(grown, s)
		s = grown
	}
	s = s[:len(s)+1]
	var zero E
	s[len(s)-1] = zero
	return s, nil
}

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

// Field errors. None of them quotes the value.
var (
	errNotInteger  = errors.New("not an integer")
	errIntOverflow = errors.New("integer does not fit in an int64")
	errIntFraction = errors.New("number has a non-zero fraction")
	errNotBool     = errors.New("not a boolean")
	errNotTime     = errors.New("not a timestamp in one of Coupang's forms")
	errTimeRange   = errors.New("epoch timestamp is not in milliseconds between 2000 and 2100")
	errNotText     = errors.New("a JSON object or array where text is expected")
	errNotObject   = errors.New("a non-empty array or a scalar where an object is expected")
	errNotArray    = errors.New("a scalar where an array is expected")
	errRecordShape = errors.New("the record is not a JSON object")
)

// decodeOptions configures the json/v2 engine for Coupang's answers: v1's
// leniency on the syntax (duplicate names, invalid UTF-8, case-insensitive
// names) and the tolerant unmarshalers. It is built once and never changed.
var decodeOptions = json.JoinOptions(
	jsontext.AllowDuplicateNames(true),
	jsontext.AllowInvalidUTF8(true),
	json.MatchCaseInsensitiveNames(true),
	json.WithUnmarshalers(json.JoinUnmarshalers(
		json.UnmarshalFromFunc(decodeInt64),
		json.UnmarshalFromFunc(decodeString),
		json.UnmarshalFromFunc(decodeBool),
		json.UnmarshalFromFunc(decodeBoolPtr),
		json.UnmarshalFromFunc(decodeTime),
		textUnmarshaler[PersonalText](),
		json.UnmarshalFromFunc(decodeMoney),
		textUnmarshaler[ExchangeStatus](),
		textUnmarshaler[OrderDeliveryStatus](),
		textUnmarshaler[ReferType](),
		textUnmarshaler[FaultType](),
		textUnmarshaler[ActorType](),
		textUnmarshaler[DeliveryStatus](),
		textUnmarshaler[CollectStatus](),
		textUnmarshaler[ShippingDeliveryType](),
		textUnmarshaler[ExchangeReturnItemStatus](),
		textUnmarshaler[ReleaseStatus](),
		textUnmarshaler[ConfirmType](),
		textUnmarshaler[ExchangeReturnCollectStatus](),
		textUnmarshaler[SafetyNumberStatus](),
		textUnmarshaler[ExchangeReturnType](),
		textUnmarshaler[ReturnStatus](),
		textUnmarshaler[ReturnReceiptType](),
		textUnmarshaler[ReturnReleaseStatus](),
		textUnmarshaler[ReturnReleaseStopStatus](),
		textUnmarshaler[ReturnDeliveryType](),
		textUnmarshaler[ReturnCompleteConfirmType](),
		textUnmarshaler[RefundDeliveryDuty](),
		objectUnmarshaler[ExchangeAddress](),
		objectUnmarshaler[CollectInformation](),
		objectUnmarshaler[ExchangeReturnDestination](),
		sliceUnmarshaler[ExchangeItem](),
		sliceUnmarshaler[DeliveryInvoiceGroup](),
		sliceUnmarshaler[DeliveryInvoice](),
		sliceUnmarshaler[InvoiceVendorItem](),
		sliceUnmarshaler[ExchangeReturnDeliveryItem](),
		sliceUnmarshaler[ExchangeReturnDelivery](),
		sliceUnmarshaler[ReturnItem](),
		sliceUnmarshaler[ReturnDelivery](),
		json.UnmarshalFromFunc(decodeReturnDeliveryItem),
	)),
)

// encodeOptions writes models the way Coupang does: times as
// "2006-01-02T15:04:05" in Korea time, null when zero; PersonalText as its
// text (its own MarshalJSON redacts, for logs; this is for storage).
var encodeOptions = json.JoinOptions(
	json.WithMarshalers(json.JoinMarshalers(
		json.MarshalToFunc(func(enc *jsontext.Encoder, t time.Time) error {
			if t.IsZero() {
				return enc.WriteToken(jsontext.Null)
			}
			var buf [len(wireTimeLayout) + 2]byte
			b := append(buf[:0], '"')
			b = t.In(kst).AppendFormat(b, wireTimeLayout)
			return enc.WriteValue(append(b, '"'))
		}),
		json.MarshalToFunc(func(enc *jsontext.Encoder, t PersonalText) error {
			return enc.WriteToken(jsontext.String(string(t)))
		}),
	)),
)

// decoders keeps json/v2 stream decoders, and so their buffers, from one
// answer to the next: a page costs no buffer growth once warm.
var decoders = sync.Pool{New: func() any { return jsontext.NewDecoder(bytes.NewReader(nil)) }}

var emptyReader = bytes.NewReader(nil)

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
	lr := &limitedReader{r: body, left: limit, limit: limit}
	dec := decoders.Get().(*jsontext.Decoder)
	dec.Reset(lr, decodeOptions)
	budget, done := withBudget(dec, limit)
	err := out.readJSON(dec)
	switch {
	case lr.err != nil:
		// The body hit the limit: say so, whatever the decoder made of it.
		err = lr.err
	case budget.err != nil:
		err = budget.err // not wrapped in the decoder's semantic error
	}
	done()
	dec.Reset(emptyReader) // drop the body
	decoders.Put(dec)
	return err
}

// decodeRetryable reports whether a GET whose 2xx body could not be decoded
// is worth another attempt: a body cut short or garbled in transit is, a body
// over the size limit is not (it would come again).
func decodeRetryable(err error) bool {
	if errors.Is(err, ErrResponseTooLarge) {
		return false
	}
	var syntaxErr *jsontext.SyntacticError
	return errors.Is(err, io.ErrUnexpectedEOF) || errors.As(err, &syntaxErr)
}

// limitedReader fails once more than limit bytes are read.
type limitedReader struct {
	r     io.Reader
	left  int64
	limit int64
	err   error
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	if l.left <= 0 {
		// At the limit: the body is fine if it ends here.
		var one [1]byte
		for range 4 {
			n, err := l.r.Read(one[:])
			if n > 0 {
				l.err = fmt.Errorf("%w: the body is larger than %d bytes (see WithMaxResponseSize)", ErrResponseTooLarge, l.limit)
				return 0, l.err
			}
			if err != nil {
				return 0, err
			}
		}
		return 0, io.ErrNoProgress
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
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
	tok, err := dec.ReadToken()
	if err != nil {
		return err
	}
	if tok.Kind() != '{' {
		return fmt.Errorf("the answer is a JSON %s, not an object", kindName(tok.Kind()))
	}
	for dec.PeekKind() != '}' {
		name, err := dec.ReadToken()
		if err != nil {
			return err
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
				break
			}
			if r, ok := any(&e.Data).(dataReader); ok {
				err = r.readData(dec)
			} else {
				err = json.UnmarshalDecode(dec, &e.Data)
			}
		default:
			if m, ok := any(&e.Data).(memberReader); ok {
				err = m.readMember(name.String(), dec)
			} else if name.String() == "nextPageIndex" {
				// The withdrawal history pages by index.
				err = readText(dec, &e.NextPageIndex)
			} else {
				err = dec.SkipValue()
			}
		}
		if err != nil {
			return err
		}
	}
	_, err = dec.ReadToken()
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
	return decodeString(dec, dst)
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

// recordIDKey is the wire key of R's id, which names a record that cannot
// be decoded.
func recordIDKey[R listRecord]() string {
	var zero R
	switch any(zero).(type) {
	case ReturnRequest:
		return "receiptId"
	case ReturnWithdrawal:
		return "cancelId"
	}
	return "exchangeId"
}

// recordID is r's id.
func recordID[R listRecord](r *R) int64 {
	switch v := any(r).(type) {
	case *ExchangeRequest:
		return v.ExchangeID
	case *ReturnRequest:
		return v.ReceiptID
	case *ReturnWithdrawal:
		return v.ReceiptID
	}
	return 0
}

// newRecordError returns the RecordError of R's record number index with
// id.
func newRecordError[R listRecord](id int64, index int) *RecordError {
	var zero R
	switch any(zero).(type) {
	case ReturnRequest:
		return &RecordError{ReceiptID: id, Index: index, kind: "return receipt"}
	case ReturnWithdrawal:
		return &RecordError{ReceiptID: id, Index: index, kind: "withdrawal of receipt"}
	}
	return &RecordError{ExchangeID: id, Index: index}
}

// setRecordErrorID sets the id of e, a RecordError of R's record.
func setRecordErrorID[R listRecord](e *RecordError, id int64) {
	if recordIDKey[R]() == "exchangeId" {
		e.ExchangeID = id
	} else {
		e.ReceiptID = id
	}
}

// readData reads the data array record by record; a record that cannot be
// decoded is skipped and reported, and reading goes on with the next. Only a
// broken stream (syntax, I/O, size limit) fails the page. A single object
// instead of an array is read as a one-record page; null as an empty one.
func (l *recordList[R]) readData(dec *jsontext.Decoder) error {
	switch dec.PeekKind() {
	case 'n':
		_, err := dec.ReadToken()
		return err
	case '{':
		return l.readRecord(dec, dec.StackDepth(), 0)
	case '[':
	default:
		if _, err := dec.ReadValue(); err != nil {
			return err
		}
		return errors.New("data is neither an array nor an object")
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	depth := dec.StackDepth()
	for i := 0; ; i++ {
		switch dec.PeekKind() {
		case ']':
			_, err := dec.ReadToken()
			return err
		case 0:
			_, err := dec.ReadToken() // reports why
			if err == nil {
				err = io.ErrUnexpectedEOF
			}
			return err
		}
		if i == MaxRecordsPerPage {
			return fmt.Errorf("%w: the page holds more than %d records (MaxRecordsPerPage)", ErrResponseTooLarge, MaxRecordsPerPage)
		}
		if err := l.readRecord(dec, depth, i); err != nil {
			return err
		}
	}
}

// readRecord reads the record at index i of the array at depth.
func (l *recordList[R]) readRecord(dec *jsontext.Decoder, depth, i int) error {
	if k := dec.PeekKind(); k != '{' {
		if err := dec.SkipValue(); err != nil {
			return err
		}
		recErr := newRecordError[R](0, i)
		recErr.Err = errRecordShape
		l.bad = append(l.bad, recErr)
		return nil
	}
	items, err := appendZero(l.items, budgetOf(dec), DefaultMaxPerPage)
	if err != nil {
		return err
	}
	l.items = items
	rec := &l.items[len(l.items)-1]
	start := dec.InputOffset()
	err = json.UnmarshalDecode(dec, rec)
	if err == nil {
		return nil
	}
	if !isFieldError(err) {
		return err
	}
	id := recordID(rec)
	recErr := newRecordError[R](0, i)
	recErr.Field, recErr.Err = describeFieldError(err, depth)
	l.items = l.items[:len(l.items)-1]
	if dec.InputOffset() == start {
		if err := dec.SkipValue(); err != nil {
			return err
		}
	} else if err := skipRecordRest(dec, depth, recordIDKey[R](), &id); err != nil {
		return err
	}
	setRecordErrorID[R](recErr, id)
	l.bad = append(l.bad, recErr)
	return nil
}

// isFieldError reports an error about one value's meaning, after which the
// stream itself is still sound.
func isFieldError(err error) bool {
	var semErr *json.SemanticError
	return errors.As(err, &semErr) && !errors.Is(err, ErrResponseTooLarge)
}

// skipRecordRest reads to the end of the record (the object at depth+1)
// whose decoding stopped at a bad field, picking up its id (the member
// idKey) on the way if it was not read yet.
func skipRecordRest(dec *jsontext.Decoder, depth int, idKey string, id *int64) error {
	for dec.StackDepth() > depth {
		switch dec.PeekKind() {
		case '}', ']':
			if _, err := dec.ReadToken(); err != nil {
				return err
			}
			continue
		case 0:
			_, err := dec.ReadToken()
			if err == nil {
				err = io.ErrUnexpectedEOF
			}
			return err
		}
		if dec.StackDepth() == depth+1 {
			if _, n := dec.StackIndex(depth + 1); n%2 == 0 {
				name, err := dec.ReadToken()
				if err != nil {
					return err
				}
				if *id == 0 && name.String() == idKey {
					var v int64
					if decodeInt64(dec, &v) == nil {
						*id = v
					}
					continue
				}
			}
		}
		if err := dec.SkipValue(); err != nil {
			return err
		}
	}
	return nil
}

// describeFieldError turns a json/v2 semantic error into the field's JSON
// path below the record (at depth+1) and a cause that never holds the value.
func describeFieldError(err error, depth int) (string, error) {
	var semErr *json.SemanticError
	if !errors.As(err, &semErr) {
		return "", err
	}
	var b strings.Builder
	n := 0
	for tok := range semErr.JSONPointer.Tokens() {
		n++
		if n <= depth {
			continue
		}
		if tok != "" && strings.Trim(tok, "0123456789") == "" && b.Len() > 0 {
			b.WriteString("[" + tok + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(tok)
	}
	cause := semErr.Err
	if cause == nil {
		what := "a JSON value"
		if semErr.JSONKind != 0 {
			what = "a JSON " + kindName(semErr.JSONKind)
		}
		if semErr.GoType != nil {
			cause = fmt.Errorf("%s cannot be read as %s", what, semErr.GoType)
		} else {
			cause = fmt.Errorf("%s cannot be read", what)
		}
	}
	return b.String(), cause
}

func kindName(k jsontext.Kind) string {
	switch k {
	case 'n':
		return "null"
	case 'f', 't':
		return "boolean"
	case '"':
		return "string"
	case '0':
		return "number"
	case '{':
		return "object"
	case '[':
		return "array"
	}
	return "value"
}

// writeResult is data of a write's answer: {"resultCode", "resultMessage"}.
// Any other shape, or no data at all (confirm answers carry none), is read as
// no result.
type writeResult struct {
	ResultCode    string
	ResultMessage string
}

func (w *writeResult) result() (string, string) { return w.ResultCode, w.ResultMessage }

// UnmarshalJSON reads a write's result from raw data (Do keeps data raw);
// like readData it reads any other shape as no result.
func (w *writeResult) UnmarshalJSON(b []byte) error {
	dec := decoders.Get().(*jsontext.Decoder)
	defer func() {
		dec.Reset(emptyReader)
		decoders.Put(dec)
	}()
	dec.Reset(bytes.NewReader(b), decodeOptions)
	return w.readData(dec)
}

func (w *writeResult) readData(dec *jsontext.Decoder) error {
	if dec.PeekKind() != '{' {
		return dec.SkipValue()
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	for dec.PeekKind() != '}' {
		name, err := dec.ReadToken()
		if err != nil {
			return err
		}
		switch name.String() {
		case "resultCode":
			err = readText(dec, &w.ResultCode)
			w.ResultCode = strings.TrimSpace(w.ResultCode)
		case "resultMessage":
			err = readText(dec, &w.ResultMessage)
		default:
			err = dec.SkipValue()
		}
		if err != nil {
			return err
		}
	}
	_, err := dec.ReadToken()
	return err
}

// unmarshalTolerant decodes a small JSON document, such as an error body,
// with the client's tolerance (numbers in text fields and the like).
func unmarshalTolerant(data []byte, v any) error {
	return json.Unmarshal(data, v, decodeOptions)
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
	var zero R
	*rec = zero
	dec := decoders.Get().(*jsontext.Decoder)
	budget, done := withBudget(dec, DefaultMaxResponseSize)
	defer func() {
		done()
		dec.Reset(emptyReader)
		decoders.Put(dec)
	}()
	dec.Reset(bytes.NewReader(data), decodeOptions)
	if dec.PeekKind() != '{' {
		if _, err := dec.ReadValue(); err != nil {
			return fmt.Errorf("coupang: decoding %s: %w", what, err)
		}
		recErr := newRecordError[R](0, 0)
		recErr.Err = errRecordShape
		return recErr
	}
	err := json.UnmarshalDecode(dec, rec)
	if err == nil {
		return nil
	}
	if budget.err != nil {
		*rec = zero
		return fmt.Errorf("coupang: decoding %s: %w", what, budget.err)
	}
	if !isFieldError(err) {
		return fmt.Errorf("coupang: decoding %s: %w", what, err)
	}
	id := recordID(rec)
	recErr := newRecordError[R](0, 0)
	recErr.Field, recErr.Err = describeFieldError(err, 0)
	if id == 0 {
		_ = skipRecordRest(dec, 0, recordIDKey[R](), &id)
	}
	setRecordErrorID[R](recErr, id)
	*rec = zero
	return recErr
}

// MarshalExchange encodes ex as Coupang writes it: times as
// "2006-01-02T15:04:05" in Korea time (null when zero), the wire key
// moodifiedAt, ids as JSON numbers. UnmarshalExchange reads it back to an
// equal value. (encoding/json would write times in RFC 3339, which
// UnmarshalExchange also reads.)
func MarshalExchange(ex ExchangeRequest) ([]byte, error) {
	return json.Marshal(ex, encodeOptions)
}

// ---- Tolerant unmarshalers, one per field type ----

// decodeInt64 reads an integer exactly: a JSON number or a numeric string,
// in plain, decimal (zero fraction) or exponent form, decoded from its digits
// without float64. "" and null are 0; anything not exactly an int64 is an
// error.
func decodeInt64(dec *jsontext.Decoder, v *int64) error {
	sc, err := readScalar(dec, errNotInteger)
	if err != nil {
		return err
	}
	switch {
	case sc.null:
		*v = 0
		return nil
	case sc.quoted:
		s := bytes.TrimSpace(sc.text)
		if len(s) == 0 || string(s) == "null" {
			*v = 0
			return nil
		}
		*v, err = parseExactInt(s)
		return err
	case sc.number():
		*v, err = parseExactInt(sc.text)
		return err
	}
	return fmt.Errorf("a JSON %s where an integer is expected", kindName(jsontext.Value(sc.text).Kind()))
}

// scalar is one JSON value as the tolerant decoders see it, so that each of
// them handles null, strings and literals the same way.
type scalar struct {
	// null reports a JSON null.
	null bool
	// quoted reports that text is the content of a JSON string.
	quoted bool
	// text is the string's content (escapes undone), or the value's literal
	// (a number, true, false, or a whole object or array).
	text []byte
}

// number reports a JSON number literal.
func (s scalar) number() bool {
	return !s.null && !s.quoted && len(s.text) > 0 && (s.text[0] == '-' || s.text[0] >= '0' && s.text[0] <= '9')
}

// readScalar reads one value. A string whose escapes cannot be undone gives
// bad, the caller's error for a value of the wrong form.
func readScalar(dec *jsontext.Decoder, bad error) (scalar, error) {
	raw, err := dec.ReadValue()
	if err != nil {
		return scalar{}, err
	}
	switch raw[0] {
	case 'n':
		return scalar{null: true}, nil
	case '"':
		s, err := unquoteScalar(raw)
		if err != nil {
			return scalar{}, bad
		}
		return scalar{quoted: true, text: s}, nil
	}
	return scalar{text: raw}, nil
}

// unquoteScalar returns the content of a short JSON string without
// allocating when it holds no escape.
func unquoteScalar(raw []byte) ([]byte, error) {
	inner := raw[1 : len(raw)-1]
	if bytes.IndexByte(inner, '\\') < 0 {
		return inner, nil
	}
	return jsontext.AppendUnquote(nil, raw)
}

// parseExactInt parses [sign] digits [. digits] [e [sign] digits] as an
// int64, exactly. The value is digits×10^exp; trailing zeros move into exp,
// and what is left must be a whole number that fits.
func parseExactInt(b []byte) (int64, error) {
	i, neg := 0, false
	if i < len(b) && (b[i] == '-' || b[i] == '+') {
		neg = b[i] == '-'
		i++
	}
	intStart := i
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	intPart := b[intStart:i]
	var frac []byte
	if i < len(b) && b[i] == '.' {
		i++
		fs := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		frac = b[fs:i]
		if len(frac) == 0 {
			return 0, errNotInteger
		}
	}
	if len(intPart) == 0 && len(frac) == 0 {
		return 0, errNotInteger
	}
	exp := 0
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		eneg := false
		if i < len(b) && (b[i] == '-' || b[i] == '+') {
			eneg = b[i] == '-'
			i++
		}
		es := i
		// An exponent beyond what the digits could make up for (more than
		// len(b)+19) is read as that bound: still an overflow or a fraction,
		// never a value the mantissa's trailing zeros bring back in range.
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			exp = min(exp*10+int(b[i]-'0'), len(b)+20)
			i++
		}
		if i == es {
			return 0, errNotInteger
		}
		if eneg {
			exp = -exp
		}
	}
	if i != len(b) {
		return 0, errNotInteger
	}
	// digit k of intPart followed by frac.
	n := len(intPart) + len(frac)
	digit := func(k int) byte {
		if k < len(intPart) {
			return intPart[k]
		}
		return frac[k-len(intPart)]
	}
	exp -= len(frac)
	for n > 0 && digit(n-1) == '0' {
		n--
		exp++
	}
	first := 0
	for first < n && digit(first) == '0' {
		first++
	}
	if first == n {
		return 0, nil
	}
	if exp < 0 {
		return 0, errIntFraction
	}
	if n-first+exp > 19 {
		return 0, errIntOverflow
	}
	var u uint64
	for k := first; k < n; k++ {
		u = u*10 + uint64(digit(k)-'0')
	}
	for ; exp > 0; exp-- {
		if u > (1<<64-1)/10 {
			return 0, errIntOverflow
		}
		u *= 10
	}
	if neg {
		if u > 1<<63 {
			return 0, errIntOverflow
		}
		return -int64(u), nil
	}
	if u > 1<<63-1 {
		return 0, errIntOverflow
	}
	return int64(u), nil
}

// decodeString reads text: a string, or a number or boolean kept as its
// literal (waybills, zip codes and staff ids arrive as numbers); null is "".
func decodeString(dec *jsontext.Decoder, v *string) error {
	switch dec.PeekKind() {
	case '{', '[':
		if err := dec.SkipValue(); err != nil {
			return err
		}
		return errNotText
	}
	tok, err := dec.ReadToken()
	if err != nil {
		return err
	}
	switch tok.Kind() {
	case 'n':
		*v = ""
	case '"':
		*v = tok.String()
		if !utf8.ValidString(*v) {
			*v = strings.ToValidUTF8(*v, "\uFFFD")
		}
	default:
		*v = tok.String()
	}
	return nil
}

// textUnmarshaler reads an enum type like any text.
func textUnmarshaler[T ~string]() *json.Unmarshalers {
	return json.UnmarshalFromFunc(func(dec *jsontext.Decoder, v *T) error {
		var s string
		err := decodeString(dec, &s)
		*v = T(s)
		return err
	})
}

// parseBool reads true/false as a JSON boolean, 1/0 as a number, and
// "true"/"false", "Y"/"N", "1"/"0" (any case) as a string. null and "" are
// absent (ok false).
func parseBool(sc scalar) (val, ok bool, err error) {
	switch {
	case sc.null:
		return false, false, nil
	case sc.quoted:
		s := bytes.TrimSpace(sc.text)
		switch {
		case len(s) == 0 || string(s) == "null":
			return false, false, nil
		case bytes.EqualFold(s, []byte("true")) || bytes.EqualFold(s, []byte("y")) || string(s) == "1":
			return true, true, nil
		case bytes.EqualFold(s, []byte("false")) || bytes.EqualFold(s, []byte("n")) || string(s) == "0":
			return false, true, nil
		}
	case string(sc.text) == "true", string(sc.text) == "1":
		return true, true, nil
	case string(sc.text) == "false", string(sc.text) == "0":
		return false, true, nil
	}
	return false, false, errNotBool
}

// decodeBool reads a bool as parseBool does; absent is false.
func decodeBool(dec *jsontext.Decoder, v *bool) error {
	sc, err := readScalar(dec, errNotBool)
	if err != nil {
		return err
	}
	b, _, err := parseBool(sc)
	*v = b
	return err
}

// decodeBoolPtr reads a bool as parseBool does; absent is nil.
func decodeBoolPtr(dec *jsontext.Decoder, v **bool) error {
	sc, err := readScalar(dec, errNotBool)
	if err != nil {
		return err
	}
	b, ok, err := parseBool(sc)
	if err != nil || !ok {
		*v = nil
		return err
	}
	*v = &b
	return nil
}

// Epoch milliseconds are believed between 2000 and 2100: a number outside is
// epoch seconds or a compact date misread, never a silently wrong year.
const (
	minEpochMillis = 946684800000  // 2000-01-01T00:00:00Z
	maxEpochMillis = 4102444800000 // 2100-01-01T00:00:00Z
)

// decodeTime reads the forms Coupang documents: "2006-01-02T15:04:05", the
// same with a space (either with optional fractional seconds), and epoch
// milliseconds between 2000 and 2100 (a number, or a string of digits), all
// as Korea time; plus RFC 3339 with an explicit offset, which is unambiguous
// and what encoding/json writes for a time.Time. null and "" are the zero
// Time. Anything else, a date alone, a compact "20180305105441" or epoch
// seconds included, is an error: never a silently wrong time.
func decodeTime(dec *jsontext.Decoder, v *time.Time) error {
	sc, err := readScalar(dec, errNotTime)
	*v = time.Time{}
	if err != nil {
		return err
	}
	switch {
	case sc.null:
		return nil
	case sc.quoted:
		t, err := parseTimeStrict(sc.text)
		*v = t
		return err
	case sc.number():
		t, err := parseEpochMillis(sc.text)
		*v = t
		return err
	}
	return errNotTime
}

// parseTimeStrict is decodeTime for the content of a string.
func parseTimeStrict(s []byte) (time.Time, error) {
	if len(s) == 0 || string(s) == "null" {
		return time.Time{}, nil
	}
	if t, ok := parseWireTime(string(s)); ok {
		return t, nil
	}
	if s[0] >= '0' && s[0] <= '9' && bytes.IndexByte(s, '-') < 0 {
		return parseEpochMillis(s)
	}
	if len(s) > 20 && s[19] == '.' && (s[10] == 'T' || s[10] == ' ') {
		// The documented form with fractional seconds: the same instant,
		// more precise.
		layout := "2006-01-02T15:04:05.999999999"
		if s[10] == ' ' {
			layout = "2006-01-02 15:04:05.999999999"
		}
		if t, err := time.ParseInLocation(layout, string(s), kst); err == nil {
			return t, nil
		}
	}
	if len(s) > 19 && (s[10] == 'T' || s[10] == 't') {
		if t, err := time.Parse(time.RFC3339Nano, string(s)); err == nil {
			if t.IsZero() {
				return time.Time{}, nil
			}
			return t.In(kst), nil
		}
	}
	return time.Time{}, errNotTime
}

func parseEpochMillis(b []byte) (time.Time, error) {
	ms, err := parseExactInt(b)
	if err != nil {
		return time.Time{}, errNotTime
	}
	if ms < minEpochMillis || ms >= maxEpochMillis {
		return time.Time{}, errTimeRange
	}
	return time.UnixMilli(ms).In(kst), nil
}

// objectUnmarshaler reads a sub-object that Coupang may send as [] or ""
// when it has nothing (the zero value), or as a one-element array.
func objectUnmarshaler[T any]() *json.Unmarshalers {
	return json.UnmarshalFromFunc(func(dec *jsontext.Decoder, v *T) error {
		switch dec.PeekKind() {
		case '{', 'n':
			return errors.ErrUnsupported
		case '[':
			if _, err := dec.ReadToken(); err != nil {
				return err
			}
			var zero T
			*v = zero
			if dec.PeekKind() == ']' {
				_, err := dec.ReadToken()
				return err
			}
			if dec.PeekKind() != '{' {
				return errNotObject
			}
			if err := json.UnmarshalDecode(dec, v); err != nil {
				return err
			}
			if dec.PeekKind() != ']' {
				return errNotObject
			}
			_, err := dec.ReadToken()
			return err
		case '"':
			raw, err := dec.ReadValue()
			if err != nil {
				return err
			}
			if len(raw) == 2 {
				var zero T
				*v = zero
				return nil
			}
		default:
			if err := dec.SkipValue(); err != nil {
				return err
			}
		}
		return errNotObject
	})
}

// sliceUnmarshaler reads an array that Coupang may send as one object (a
// one-element slice), as {} or "" (empty), or as null (nil). What it
// allocates is charged to the answer's budget (decodeBudget): an element
// costs its whole struct however few bytes of JSON it came from.
func sliceUnmarshaler[E any]() *json.Unmarshalers {
	size := int64(reflect.TypeFor[E]().Size())
	return json.UnmarshalFromFunc(func(dec *jsontext.Decoder, v *[]E) error {
		switch dec.PeekKind() {
		case 'n':
			return errors.ErrUnsupported
		case '[':
			budget := budgetOf(dec)
			if budget == nil {
				return errors.ErrUnsupported
			}
			return readArray(dec, v, budget)
		case '{':
			// One object for a one-element array. An object with nothing set
			// ({} or only nulls) is no element.
			if err := budgetOf(dec).take(2 * size); err != nil {
				return err
			}
			var elem E
			if err := json.UnmarshalDecode(dec, &elem); err != nil {
				return err
			}
			if reflect.ValueOf(&elem).Elem().IsZero() {
				*v = nil
			} else {
				*v = []E{elem}
			}
			return nil
		case '"':
			raw, err := dec.ReadValue()
			if err != nil {
				return err
			}
			if len(raw) == 2 {
				*v = nil
				return nil
			}
		default:
			if err := dec.SkipValue(); err != nil {
				return err
			}
		}
		return errNotArray
	})
}

// readArray reads a JSON array into *v element by element, each decoded in
// place, growing the slice as append would but charging every allocation to
// budget first. [] gives an empty, non-nil slice, as json/v2 does.
func readArray[E any](dec *jsontext.Decoder, v *[]E, budget *decodeBudget) error {
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	s := []E{}
	for {
		switch dec.PeekKind() {
		case ']':
			*v = s
			_, err := dec.ReadToken()
			return err
		case 0:
			_, err := dec.ReadToken() // reports why
			if err == nil {
				err = io.ErrUnexpectedEOF
			}
			return err
		}
		var err error
		if s, err = appendZero(s, budget, 1); err != nil {
			return err
		}
		if err := json.UnmarshalDecode(dec, &s[len(s)-1]); err != nil {
			*v = s
			return err
		}
	}
}

// returnDeliveryItemWire is an ExchangeReturnDeliveryItem with both
// spellings of its modification time.
type returnDeliveryItemWire struct {
	ExchangeReturnDeliveryItem `json:",inline"`
	ModifiedAtFixed            time.Time `json:"modifiedAt"`
}

var returnDeliveryItemWireSize = int64(reflect.TypeFor[returnDeliveryItemWire]().Size())

// decodeReturnDeliveryItem reads moodifiedAt (the wire key) or modifiedAt.
func decodeReturnDeliveryItem(dec *jsontext.Decoder, v *ExchangeReturnDeliveryItem) error {
	if dec.PeekKind() != '{' {
		return errors.ErrUnsupported
	}
	// w escapes to the heap: charged like an element.
	if err := budgetOf(dec).take(returnDeliveryItemWireSize); err != nil {
		return err
	}
	var w returnDeliveryItemWire
	if err := json.UnmarshalDecode(dec, &w); err != nil {
		return err
	}
	*v = w.ExchangeReturnDeliveryItem
	if v.ModifiedAt.IsZero() {
		v.ModifiedAt = w.ModifiedAtFixed
	}
	return nil
}
