package coupang

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"

	"github.com/go-coupang/coupang/internal/jsondec"
	"github.com/go-json-experiment/json/jsontext"
)

// The answers Do reads, and how their data reaches out.
//
// Coupang's answers come in several shapes: the envelope {code, message,
// transactionId, data, nextToken} with data an object, an array, a scalar,
// null or absent; an envelope whose data nests its own code and message next
// to resultCode and resultMessage (return actions); a bare JSON array with no
// envelope at all (settlement histories); and no body at all (204 No Content,
// or an empty 200 to a write). doData keeps the data as sent and what else
// Do needs from the answer; decodeData puts it into out.

// bodyReader is implemented by data payloads that also accept an answer that
// is not an envelope (Do: an empty body, a bare JSON array). readBody reports
// whether it read the whole answer.
type bodyReader interface {
	readBody(dec *jsontext.Decoder) (done bool, err error)
}

// memberReader is implemented by data payloads that want the envelope's
// other members (Do: nextPageIndex).
type memberReader interface {
	readMember(name string, dec *jsontext.Decoder) error
}

// doData is the data of an answer to Do, kept as sent.
type doData struct {
	// raw is the data member as sent (the whole body when bare); nil when
	// the answer had none.
	raw []byte
	// bare reports an answer that was a JSON array with no envelope.
	bare bool
	// nextPageIndex is the envelope's nextPageIndex (withdrawal history's
	// paging), hasPageIndex whether the answer had that member at all.
	nextPageIndex string
	hasPageIndex  bool
}

// readBody accepts the two answers that are not an envelope: an empty body
// (nothing but white space), which is a success with no data, and a bare
// JSON array, which is the data itself. A body cut short is not empty: the
// reader's error (io.ErrUnexpectedEOF, a reset) is not io.EOF.
func (d *doData) readBody(dec *jsontext.Decoder) (bool, error) {
	switch dec.PeekKind() {
	case 0:
		_, err := dec.ReadToken()
		if err == io.EOF {
			return true, nil
		}
		return true, err
	case '[':
		raw, err := dec.ReadValue()
		if err != nil {
			return true, err
		}
		d.raw = append(d.raw[:0], raw...)
		d.bare = true
		// Anything after the array is not JSON: say so, as for an envelope.
		if _, err := dec.ReadToken(); err != io.EOF {
			if err == nil {
				err = errors.New("data after the JSON array")
			}
			return true, err
		}
		return true, nil
	}
	return false, nil
}

// readData keeps the data member as sent.
func (d *doData) readData(dec *jsontext.Decoder) error {
	raw, err := dec.ReadValue()
	if err != nil {
		return err
	}
	d.raw = append(d.raw[:0], raw...)
	return nil
}

// readMember keeps nextPageIndex, which page-index paging follows.
func (d *doData) readMember(name string, dec *jsontext.Decoder) error {
	if name != "nextPageIndex" {
		return dec.SkipValue()
	}
	d.hasPageIndex = true
	err := readText(dec, &d.nextPageIndex)
	d.nextPageIndex = strings.TrimSpace(d.nextPageIndex)
	return err
}

// result is the business-failure check of the write calls, for Do: data that
// is an object with a resultCode other than a success makes the call fail. A
// return action's answer may nest code and message inside data next to
// resultCode and resultMessage (the completedShipment page documents that
// shape); the nested message stands in for a missing resultMessage, and a
// nested code that is not a success, with no resultCode, fails the call too:
// as an unknown result code, so that a write is never taken for a definite
// failure and sent again. Only data holding nothing but an answer's members
// counts as nested: a record's own field called code is not the answer's.
func (d *doData) result() (string, string) {
	r := readResultMembers(d.raw)
	msg := r.resultMessage
	if msg == "" {
		msg = r.message
	}
	if r.resultCode != "" {
		return r.resultCode, msg
	}
	if r.envelopeLike && r.code != "" && !successCode(r.code) {
		return r.code, msg
	}
	return "", ""
}

// resultMembers are the members of data that say how a write went.
type resultMembers struct {
	resultCode, resultMessage string
	code, message             string // nested, as in the return actions' answers
	// envelopeLike reports data holding code and message and nothing but
	// the members of an answer (resultCode, resultMessage, transactionId):
	// only then is its code the answer's, not a record's field that happens
	// to be called code (a category's, a courier's).
	envelopeLike bool
}

// readResultMembers reads resultCode, resultMessage, code and message from
// data that is an object; any other shape has none.
func readResultMembers(raw []byte) resultMembers {
	var r resultMembers
	if len(raw) == 0 || jsontext.Value(raw).Kind() != '{' {
		return r
	}
	dec, release := jsondec.Over(raw, decodeOptions)
	defer release()
	if _, err := dec.ReadToken(); err != nil {
		return resultMembers{}
	}
	var hasCode, hasMessage, others bool
	for dec.PeekKind() != '}' {
		name, err := dec.ReadToken()
		if err != nil {
			return resultMembers{}
		}
		switch name.String() {
		case "resultCode":
			err = readText(dec, &r.resultCode)
		case "resultMessage":
			err = readText(dec, &r.resultMessage)
		case "code":
			hasCode = true
			err = readText(dec, &r.code)
		case "message":
			hasMessage = true
			err = readText(dec, &r.message)
		case "transactionId":
			err = dec.SkipValue()
		default:
			others = true
			err = dec.SkipValue()
		}
		if err != nil {
			return resultMembers{}
		}
	}
	r.resultCode = strings.TrimSpace(r.resultCode)
	r.code = strings.TrimSpace(r.code)
	r.envelopeLike = hasCode && hasMessage && !others
	if !r.envelopeLike {
		r.message = "" // a record's field, not the answer's message
	}
	return r
}

// decodeData stores data in out, as Do documents: nothing when data is
// absent or null (out is left as it was); else data decoded with
// encoding/json when its shape fits out. Two tolerances, because Coupang
// sends both for the same endpoint (the single return query): an object into
// an out that is a slice becomes its one element, and an array of exactly one
// element into an out that is an object is that element. Any other mismatch
// names the two shapes and never the value.
func decodeData(d *doData, out any) error {
	switch o := out.(type) {
	case nil:
		return nil
	case *json.RawMessage:
		*o = append((*o)[:0], d.raw...)
		return nil
	}
	return decodeInto(d.raw, out)
}

// decodeInto is decodeData for one JSON value.
func decodeInto(raw []byte, out any) error {
	if len(raw) == 0 {
		return nil
	}
	kind := jsontext.Value(raw).Kind()
	if kind == 'n' {
		return nil
	}
	target := reflect.ValueOf(out).Elem()
	want := shapeOf(target.Type())
	switch {
	case want == shapeAny || want == shapeFor(kind):
		return unmarshalData(raw, out)
	case kind == '{' && want == shapeArray && target.Kind() == reflect.Slice && shapeOf(target.Type().Elem()) != shapeScalar && shapeOf(target.Type().Elem()) != shapeArray:
		elem := reflect.New(target.Type().Elem())
		if err := unmarshalData(raw, elem.Interface()); err != nil {
			return err
		}
		target.Set(reflect.Append(target.Slice(0, 0), elem.Elem()))
		return nil
	case kind == '[' && want == shapeObject:
		elems, err := arrayElements(raw)
		if err != nil {
			return fmt.Errorf("decoding data into %T: %w", out, err)
		}
		if len(elems) == 1 && jsontext.Value(elems[0]).Kind() == '{' {
			return unmarshalData(elems[0], out)
		}
		return fmt.Errorf("decoding data into %T: data is a JSON array of %d element(s), and out expects %s: pass a pointer to a slice",
			out, len(elems), want)
	}
	return fmt.Errorf("decoding data into %T: data is a JSON %s, and out expects %s", out, jsondec.KindName(kind), want)
}

// unmarshalData decodes one JSON value into out with encoding/json, with an
// error that names the field, never the value.
func unmarshalData(raw []byte, out any) error {
	err := json.Unmarshal(raw, out)
	if err == nil {
		return nil
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		// Name the field, never the value: data may hold personal data,
		// and encoding/json quotes numbers.
		kind, _, _ := strings.Cut(te.Value, " ")
		if te.Field == "" {
			return fmt.Errorf("decoding data into %T: data is a JSON %s, and out expects %v", out, kind, te.Type)
		}
		return fmt.Errorf("decoding data into %T: field %q: cannot decode a JSON %s into %v", out, te.Field, kind, te.Type)
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("decoding data into %T: %w", out, err)
	}
	// Other errors (time.Time's, a ",string" field's, most UnmarshalJSON
	// methods') quote the value: keep the cause reachable through
	// errors.Unwrap but out of the text.
	return fmt.Errorf("decoding data into %T: %w", out, quietError{err})
}

// arrayElements splits a JSON array into its elements.
func arrayElements(raw []byte) ([][]byte, error) {
	dec := jsontext.NewDecoder(bytes.NewReader(raw), jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	if _, err := dec.ReadToken(); err != nil {
		return nil, err
	}
	var elems [][]byte
	for dec.PeekKind() != ']' {
		v, err := dec.ReadValue()
		if err != nil {
			return nil, err
		}
		elems = append(elems, bytes.Clone(v))
	}
	return elems, nil
}

// shape is what a Go type can receive from encoding/json.
type shape string

const (
	shapeAny    shape = "any JSON value"
	shapeArray  shape = "an array"
	shapeObject shape = "an object"
	shapeScalar shape = "a string, number or boolean"
)

// shapeFor is the shape of a JSON value of kind k.
func shapeFor(k jsontext.Kind) shape {
	switch k {
	case '[':
		return shapeArray
	case '{':
		return shapeObject
	}
	return shapeScalar
}

var (
	jsonUnmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// shapeOf is the shape t receives. A type that decodes itself (Money, Time,
// json.RawMessage, any UnmarshalJSON) receives whatever it accepts.
func shapeOf(t reflect.Type) shape {
	for {
		if t.Implements(jsonUnmarshalerType) || reflect.PointerTo(t).Implements(jsonUnmarshalerType) ||
			t.Implements(textUnmarshalerType) || reflect.PointerTo(t).Implements(textUnmarshalerType) {
			return shapeAny
		}
		if t.Kind() != reflect.Pointer {
			break
		}
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return shapeScalar // []byte is base64 text
		}
		return shapeArray
	case reflect.Array:
		return shapeArray
	case reflect.Struct, reflect.Map:
		return shapeObject
	case reflect.Interface:
		return shapeAny
	}
	return shapeScalar
}
