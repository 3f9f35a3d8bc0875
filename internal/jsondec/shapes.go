package jsondec

import (
	"cmp"
	"errors"
	"io"
	"reflect"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// Object reads a sub-object that Coupang may send as [] or ""
// when it has nothing (the zero value), or as a one-element array.
func Object[T any]() *json.Unmarshalers {
	return json.UnmarshalFromFunc(func(dec *jsontext.Decoder, v *T) error {
		var zero T
		switch dec.PeekKind() {
		case '{', 'n':
			return errors.ErrUnsupported
		case '[':
			if _, err := dec.ReadToken(); err != nil {
				return err
			}
			*v = zero
			if dec.PeekKind() == '{' {
				if err := json.UnmarshalDecode(dec, v); err != nil {
					return err
				}
			}
			if dec.PeekKind() != ']' {
				return errNotObject
			}
			_, err := dec.ReadToken()
			return err
		}
		raw, err := dec.ReadValue()
		if err == nil && string(raw) == `""` {
			*v = zero
			return nil
		}
		return cmp.Or(err, errNotObject)
	})
}

// Slice reads an array that Coupang may send as one object (a
// one-element slice), as {} or "" (empty), or as null (nil). Its growth is
// charged to the answer's budget before it is made: an element costs its
// whole struct however few bytes of JSON it came from.
func Slice[E any]() *json.Unmarshalers {
	size := int64(reflect.TypeFor[E]().Size())
	return json.UnmarshalFromFunc(func(dec *jsontext.Decoder, v *[]E) error {
		st := answerOf(dec)
		switch dec.PeekKind() {
		case 'n':
			return errors.ErrUnsupported
		case '{': // one object for a one-element array; {} is no element
			var elem E
			if err := st.take(2 * size); err != nil {
				return err
			}
			if err := json.UnmarshalDecode(dec, &elem); err != nil {
				return err
			}
			*v = nil
			if !reflect.ValueOf(&elem).Elem().IsZero() {
				*v = []E{elem}
			}
			return nil
		case '[':
			return readArray(dec, v, st)
		}
		raw, err := dec.ReadValue()
		if err == nil && string(raw) == `""` {
			*v = nil
			return nil
		}
		return cmp.Or(err, ErrNotArray)
	})
}

// readArray reads a JSON array into *v element by element, decoded in place,
// growing the slice as append would but charging each new backing array
// first. [] gives an empty, non-nil slice, as json/v2 does.
func readArray[E any](dec *jsontext.Decoder, v *[]E, st *answer) error {
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	s := []E{}
	for dec.PeekKind() != ']' {
		if dec.PeekKind() == 0 {
			_, err := dec.ReadToken()
			return cmp.Or(err, io.ErrUnexpectedEOF)
		}
		var err error
		if s, err = grow(s, st, 2); err != nil {
			return err
		}
		if err := json.UnmarshalDecode(dec, &s[len(s)-1]); err != nil {
			*v = s
			return err
		}
	}
	*v = s
	_, err := dec.ReadToken()
	return err
}

// grow returns s with one more element, zero, charging a new backing array
// (first elements at first, then twice the old) to a before it is made.
func grow[E any](s []E, a *answer, first int) ([]E, error) {
	if len(s) == cap(s) {
		n := max(2*cap(s), first)
		if err := a.take(int64(n) * int64(reflect.TypeFor[E]().Size())); err != nil {
			return s, err
		}
		s = append(make([]E, 0, n), s...)
	}
	return append(s, *new(E)), nil
}
