// Package jsondec reads Coupang's JSON on the json/v2 engine
// (github.com/go-json-experiment/json): answers within byte limits, list
// records one by one so that a bad record costs only itself, and the
// tolerance of reference §5 as call-time unmarshalers (scalars.go,
// shapes.go). A record is decoded on the engine's own path first, with the
// caller's fast options (strings, enums, integers and booleans native); only
// a record that fails there is decoded again from its bytes with the
// decoder's own, tolerant options. Nothing here puts a value in an error:
// values are personal data.
package jsondec

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// ErrTooLarge is matched by every error of an answer over a limit.
var ErrTooLarge = errors.New("coupang: response too large")

// MaxRecords bounds the records of one list answer; FirstCap is the room
// made for them at first (a page).
const (
	MaxRecords = 1000
	FirstCap   = 50
)

// answer is one answer being decoded: its body, read through the limit and
// kept from the current record's start (so that the record can be read a
// second time), and the budget of what its decoded structures may allocate.
// It lives beside the decoder (answers) because json/v2 hands the
// unmarshalers nothing but the decoder.
type answer struct {
	r                   io.Reader
	left, limit         int64  // body bytes still allowed, and the limit
	overflow            error  // the body went past the limit
	kept                []byte // the body from stream offset base on
	base                int64
	budget, budgetLimit int64 // structure bytes still allowed, and their limit
	err                 error // the structures went past their limit
}

// answers maps each decoder reading an answer to it. Decoding that has none
// (small error bodies, Money and Time on their own) is not charged.
var answers sync.Map // *jsontext.Decoder → *answer

func answerOf(dec *jsontext.Decoder) *answer {
	a, _ := answers.Load(dec)
	ans, _ := a.(*answer)
	return ans
}

func (a *answer) Read(p []byte) (int, error) {
	if a.overflow != nil {
		return 0, a.overflow
	}
	n, err := a.r.Read(p[:min(int64(len(p)), a.left+1)])
	if int64(n) > a.left {
		a.overflow = fmt.Errorf("%w: the body is larger than %d bytes (see WithMaxResponseSize)", ErrTooLarge, a.limit)
		return 0, a.overflow
	}
	a.left -= int64(n)
	a.kept = append(a.kept, p[:n]...)
	return n, err
}

// Mark forgets the body before the decoder's position: nothing before it
// will be read again.
func Mark(dec *jsontext.Decoder) {
	a, off := answerOf(dec), dec.InputOffset()
	if a != nil && off > a.base && off-a.base <= int64(len(a.kept)) {
		a.kept = append(a.kept[:0], a.kept[off-a.base:]...)
		a.base = off
	}
}

// Charge charges n bytes of structures to the answer dec reads, before
// they are allocated; see Decode.
func Charge(dec *jsontext.Decoder, n int64) error { return answerOf(dec).take(n) }

// take charges n bytes of structures, or fails (from then on) when they do
// not fit. A nil answer takes anything.
func (a *answer) take(n int64) error {
	if a == nil {
		return nil
	}
	if a.err == nil && n > a.budget {
		a.err = fmt.Errorf("%w: the records would take more than %d bytes decoded (twice the body limit, see WithMaxResponseSize)", ErrTooLarge, a.budgetLimit)
	}
	if a.err != nil {
		return a.err
	}
	a.budget -= n
	return nil
}

// Decoders keeps stream decoders, and so their buffers, from one answer to
// the next.
var Decoders = &sync.Pool{New: func() any { return jsontext.NewDecoder(bytes.NewReader(nil)) }}

var emptyReader = bytes.NewReader(nil)

// Syntax is v1's leniency on the syntax of Coupang's answers: duplicate
// names and invalid UTF-8 are read, not refused.
var Syntax = json.JoinOptions(jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))

// Over returns a pooled decoder reading b with opts, and the function that
// gives it back (dropping b) once the caller is done with it.
func Over(b []byte, opts jsontext.Options) (*jsontext.Decoder, func()) {
	dec := Decoders.Get().(*jsontext.Decoder)
	dec.Reset(bytes.NewReader(b), opts)
	return dec, func() {
		dec.Reset(emptyReader)
		Decoders.Put(dec)
	}
}

// Decode runs read over r with opts, reading at most limit bytes of r and
// letting the structures decoded allocate at most budget bytes. Over either
// limit, the error matches ErrTooLarge, whatever the decoder made of it.
func Decode(r io.Reader, limit, budget int64, opts jsontext.Options, read func(*jsontext.Decoder) error) error {
	a := &answer{r: r, left: limit, limit: limit, budget: budget, budgetLimit: budget}
	dec := Decoders.Get().(*jsontext.Decoder)
	dec.Reset(a, opts)
	answers.Store(dec, a)
	err := read(dec)
	answers.Delete(dec)
	dec.Reset(emptyReader) // drop the body
	Decoders.Put(dec)
	return cmp.Or(a.overflow, a.err, err)
}

// Bad is a record that could not be decoded.
type Bad struct {
	Index int    // position in the page's data
	ID    int64  // the record's id, 0 when it cannot be read
	Field string // JSON path of the field that failed, "" for a record that is not an object
	Err   error  // what was wrong, never the value
}

// ReadList reads a page's data into items record by record: a record that
// cannot be decoded goes to bad, and reading goes on with the next. Only a
// broken stream (syntax, I/O, a limit) fails the page. A single object is a
// one-record page, null an empty one. idKey names a bad record's id.
func ReadList[R any](dec *jsontext.Decoder, items *[]R, fast json.Options, idKey string, bad func(Bad)) error {
	switch dec.PeekKind() {
	case 'n':
		_, err := dec.ReadToken()
		return err
	case '{':
		return readItem(dec, items, fast, idKey, 0, bad)
	case '[':
	default:
		_, err := dec.ReadValue()
		return cmp.Or(err, errors.New("data is neither an array nor an object"))
	}
	_, err := dec.ReadToken()
	for i := 0; err == nil && dec.PeekKind() != ']'; i++ {
		switch {
		case dec.PeekKind() == 0:
			_, err = dec.ReadToken() // reports why
			return cmp.Or(err, io.ErrUnexpectedEOF)
		case i == MaxRecords:
			return fmt.Errorf("%w: the page holds more than %d records (MaxRecordsPerPage)", ErrTooLarge, MaxRecords)
		}
		err = readItem(dec, items, fast, idKey, i, bad)
	}
	if err == nil {
		_, err = dec.ReadToken()
	}
	return err
}

// readItem reads the record at index i in place at the end of items.
func readItem[R any](dec *jsontext.Decoder, items *[]R, fast json.Options, idKey string, i int, bad func(Bad)) error {
	s, err := grow(*items, answerOf(dec), FirstCap)
	if err != nil {
		return err
	}
	b, err := Record(dec, &s[len(s)-1], fast, idKey)
	if b != nil || err != nil {
		s = s[:len(s)-1]
	}
	if b != nil {
		b.Index = i
		bad(*b)
	}
	*items = s
	return err
}

// Record reads one record into rec: with fast first, and only when that
// fails, again from its bytes with the decoder's own options. A record that
// still cannot be decoded gives a Bad, rec zero and the stream after the
// record; only a broken stream or a limit gives an error.
func Record[R any](dec *jsontext.Decoder, rec *R, fast json.Options, idKey string) (*Bad, error) {
	if dec.PeekKind() != '{' {
		return &Bad{Err: errRecordShape}, dec.SkipValue()
	}
	Mark(dec)
	a := answerOf(dec)
	depth, start := dec.StackDepth(), dec.InputOffset()
	err := json.UnmarshalDecode(dec, rec, fast)
	if err == nil || !IsFieldError(err) {
		return nil, cmp.Or(a.err, err)
	}
	for dec.InputOffset() == start || dec.StackDepth() > depth { // to the record's end
		switch dec.PeekKind() {
		case '}', ']':
			_, err = dec.ReadToken()
		case 0:
			_, err = dec.ReadToken()
			err = cmp.Or(err, io.ErrUnexpectedEOF)
		default:
			err = dec.SkipValue()
		}
		if err != nil {
			return nil, err
		}
	}
	raw := bytes.TrimLeft(a.kept[start-a.base:dec.InputOffset()-a.base], " \t\r\n,:")
	*rec = *new(R)
	tolerant := jsontext.NewDecoder(bytes.NewBuffer(raw), dec.Options())
	answers.Store(tolerant, a)
	defer answers.Delete(tolerant)
	if err = json.UnmarshalDecode(tolerant, rec); err == nil || !IsFieldError(err) {
		return nil, cmp.Or(a.err, err)
	}
	*rec = *new(R)
	field, cause := DescribeFieldError(err)
	return &Bad{ID: idIn(raw, idKey, dec.Options()), Field: field, Err: cause}, nil
}

// idIn reads the member key of the record raw as an id; 0 when it cannot.
func idIn(raw []byte, key string, opts jsontext.Options) int64 {
	dec := jsontext.NewDecoder(bytes.NewBuffer(raw), opts)
	_, err := dec.ReadToken()
	for err == nil && dec.PeekKind() == '"' {
		var name jsontext.Token
		if name, err = dec.ReadToken(); err == nil && name.String() == key {
			var id int64
			if err = Int64(dec, &id); err == nil && id != 0 {
				return id
			}
			err = nil
		} else if err == nil {
			err = dec.SkipValue()
		}
	}
	return 0
}

// IsFieldError reports an error about one value's meaning, after which the
// stream itself is still sound.
func IsFieldError(err error) bool {
	var semErr *json.SemanticError
	return errors.As(err, &semErr) && !errors.Is(err, ErrTooLarge)
}

// DescribeFieldError turns a json/v2 semantic error into the field's JSON
// path ("exchangeItemDtoV1s[0].quantity") and a cause that never holds the
// value.
func DescribeFieldError(err error) (string, error) {
	var semErr *json.SemanticError
	if !errors.As(err, &semErr) {
		return "", err
	}
	var b strings.Builder
	for tok := range semErr.JSONPointer.Tokens() {
		switch {
		case tok != "" && strings.Trim(tok, "0123456789") == "" && b.Len() > 0:
			b.WriteString("[" + tok + "]")
			continue
		case b.Len() > 0:
			b.WriteByte('.')
		}
		b.WriteString(tok)
	}
	if semErr.Err != nil {
		return b.String(), semErr.Err
	}
	what := "a JSON " + KindName(semErr.JSONKind)
	if semErr.GoType != nil {
		return b.String(), fmt.Errorf("%s cannot be read as %s", what, semErr.GoType)
	}
	return b.String(), fmt.Errorf("%s cannot be read", what)
}

// KindName names a JSON kind in an error.
func KindName(k jsontext.Kind) string {
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
