package coupang

import (
	"bytes"
	"cmp"
	"errors"
	"io"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// The tolerance of reference §5, as call-time unmarshalers of the json/v2
// engine. A record is first decoded with fastOptions, where strings, enums,
// integers and booleans take the engine's own path; only a record that fails
// there is decoded again with decodeOptions, which read the drifted forms
// (numbers in text, ids as strings, "Y" for true, [] for an object...). Both
// agree wherever the first succeeds. No unmarshaler puts a value in an error:
// values are personal data.

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

// shapes are the unmarshalers both passes need: Coupang's times, the
// slices (whose growth is charged to the answer's budget, and which may
// arrive as one object) and the pickup items' two spellings of modifiedAt.
var shapes = []*json.Unmarshalers{
	json.UnmarshalFromFunc(decodeTime),
	json.UnmarshalFromFunc(decodeReturnDeliveryItem),
	sliceUnmarshaler[ExchangeItem](),
	sliceUnmarshaler[DeliveryInvoiceGroup](),
	sliceUnmarshaler[DeliveryInvoice](),
	sliceUnmarshaler[InvoiceVendorItem](),
	sliceUnmarshaler[ExchangeReturnDeliveryItem](),
	sliceUnmarshaler[ExchangeReturnDelivery](),
	sliceUnmarshaler[ReturnItem](),
	sliceUnmarshaler[ReturnDelivery](),
}

// fastOptions decode a well-formed record (see above).
var fastOptions = json.WithUnmarshalers(json.JoinUnmarshalers(shapes...))

// decodeOptions configure the engine for Coupang's answers: v1's leniency on
// the syntax (duplicate names, invalid UTF-8, case-insensitive names) and
// every tolerant unmarshaler. Types with their own UnmarshalJSON (Money)
// decode themselves.
var decodeOptions = json.JoinOptions(
	jsontext.AllowDuplicateNames(true),
	jsontext.AllowInvalidUTF8(true),
	json.MatchCaseInsensitiveNames(true),
	json.WithUnmarshalers(json.JoinUnmarshalers(append(shapes,
		json.UnmarshalFromFunc(decodeInt64),
		json.UnmarshalFromFunc(decodeBool),
		json.UnmarshalFromFunc(decodeBoolPtr),
		objectUnmarshaler[ExchangeAddress](),
		objectUnmarshaler[CollectInformation](),
		objectUnmarshaler[ExchangeReturnDestination](),
		json.UnmarshalFromFunc(decodeText),
	)...)),
)

// decodeText reads any string type (string, PersonalText, the enums) from a
// number or a boolean as its literal (waybills, zip codes and staff ids
// arrive as numbers); strings and null take the engine's path.
func decodeText(dec *jsontext.Decoder, v any) error {
	rv := reflect.ValueOf(v).Elem()
	if rv.Kind() != reflect.String {
		return errors.ErrUnsupported
	}
	switch dec.PeekKind() {
	case '"', 'n':
		return errors.ErrUnsupported
	case '{', '[':
		if err := dec.SkipValue(); err != nil {
			return err
		}
		return errNotText
	}
	raw, err := dec.ReadValue()
	rv.SetString(string(raw))
	return err
}

// decodeString reads text as decodeText does, for the hand-written readers.
func decodeString(dec *jsontext.Decoder, v *string) error {
	if err := decodeText(dec, v); err != errors.ErrUnsupported {
		return err
	}
	tok, err := dec.ReadToken()
	if err == nil && tok.Kind() == '"' {
		*v = tok.String()
	} else {
		*v = ""
	}
	return err
}

// scalar is one JSON value as the tolerant decoders see it.
type scalar struct {
	null   bool   // a JSON null
	quoted bool   // text is the content of a JSON string
	text   []byte // the string's content, or the value's literal
}

// number reports a JSON number literal.
func (s scalar) number() bool {
	return !s.null && !s.quoted && len(s.text) > 0 && (s.text[0] == '-' || s.text[0] >= '0' && s.text[0] <= '9')
}

// absent reports null, "", "null" and white space.
func (s scalar) absent() bool {
	t := bytes.TrimSpace(s.text)
	return s.null || s.quoted && (len(t) == 0 || string(t) == "null")
}

// readScalar reads one value. A string whose escapes cannot be undone gives
// bad, the caller's error for a value of the wrong form.
func readScalar(dec *jsontext.Decoder, bad error) (scalar, error) {
	raw, err := dec.ReadValue()
	switch {
	case err != nil:
		return scalar{}, err
	case raw[0] == 'n':
		return scalar{null: true}, nil
	case raw[0] != '"':
		return scalar{text: raw}, nil
	}
	s, err := jsontext.AppendUnquote(nil, raw)
	if err != nil {
		return scalar{}, bad
	}
	return scalar{quoted: true, text: s}, nil
}

// decodeInt64 reads an integer exactly: a JSON number or a numeric string,
// in plain, decimal (zero fraction) or exponent form, decoded from its
// digits without float64. "" and null are 0.
func decodeInt64(dec *jsontext.Decoder, v *int64) error {
	sc, err := readScalar(dec, errNotInteger)
	*v = 0
	switch {
	case err != nil || sc.absent():
		return err
	case sc.quoted || sc.number():
		*v, err = parseExactInt(bytes.TrimSpace(sc.text))
		return err
	}
	return errors.New("a JSON " + kindName(jsontext.Value(sc.text).Kind()) + " where an integer is expected")
}

// parseExactInt parses [sign] digits [. digits] [e [sign] digits] as an
// int64, exactly: the value is digits × 10^exp, and what is left once the
// trailing zeros move into exp must be a whole number that fits.
func parseExactInt(b []byte) (int64, error) {
	mant, exp := string(b), 0
	if i := strings.IndexAny(mant, "eE"); i >= 0 {
		e, err := strconv.Atoi(mant[i+1:])
		if errors.Is(err, strconv.ErrRange) { // beyond any digits: as good as infinite
			e, err = 1<<40, nil
			if mant[i+1] == '-' {
				e = -e
			}
		}
		if err != nil {
			return 0, errNotInteger
		}
		mant, exp = mant[:i], e
	}
	neg := strings.HasPrefix(mant, "-")
	if neg || strings.HasPrefix(mant, "+") {
		mant = mant[1:]
	}
	whole, frac, dot := strings.Cut(mant, ".")
	if dot && frac == "" || !allDigits(whole+frac) {
		return 0, errNotInteger
	}
	digits := strings.TrimLeft(whole+frac, "0")
	exp -= len(frac)
	trimmed := strings.TrimRight(digits, "0")
	exp += len(digits) - len(trimmed)
	switch {
	case trimmed == "":
		return 0, nil
	case exp < 0:
		return 0, errIntFraction
	case len(trimmed)+exp > 19:
		return 0, errIntOverflow
	}
	u, err := strconv.ParseUint(trimmed+strings.Repeat("0", exp), 10, 64)
	switch {
	case err != nil || u > 1<<63 || !neg && u == 1<<63:
		return 0, errIntOverflow
	case neg:
		return -int64(u), nil
	}
	return int64(u), nil
}

// parseBool reads true/false as a JSON boolean, 1/0 as a number, and
// "true"/"false", "Y"/"N", "1"/"0" (any case) as a string. null and "" are
// absent (ok false).
func parseBool(sc scalar) (val, ok bool, err error) {
	if sc.absent() {
		return false, false, nil
	}
	s := string(sc.text)
	if sc.quoted {
		s = strings.ToLower(strings.TrimSpace(s))
	}
	switch {
	case s == "true" || s == "1" || sc.quoted && s == "y":
		return true, true, nil
	case s == "false" || s == "0" || sc.quoted && s == "n":
		return false, true, nil
	}
	return false, false, errNotBool
}

// decodeBool reads a bool as parseBool does; absent is false.
func decodeBool(dec *jsontext.Decoder, v *bool) error {
	sc, err := readScalar(dec, errNotBool)
	if err == nil {
		*v, _, err = parseBool(sc)
	}
	return err
}

// decodeBoolPtr reads a bool as parseBool does; absent is nil.
func decodeBoolPtr(dec *jsontext.Decoder, v **bool) error {
	sc, err := readScalar(dec, errNotBool)
	*v = nil
	if err != nil {
		return err
	}
	b, ok, err := parseBool(sc)
	if ok {
		*v = &b
	}
	return err
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
// as Korea time; plus RFC 3339 with an explicit offset (v6, and what
// encoding/json writes). null and "" are the zero Time. Anything else, a
// date alone, a compact "20180305105441" or epoch seconds included, is an
// error: never a silently wrong time.
func decodeTime(dec *jsontext.Decoder, v *time.Time) error {
	sc, err := readScalar(dec, errNotTime)
	*v = time.Time{}
	switch {
	case err != nil || sc.null || sc.quoted && (len(sc.text) == 0 || string(sc.text) == "null"):
		return err
	case sc.number():
		*v, err = parseEpochMillis(sc.text)
		return err
	case !sc.quoted:
		return errNotTime
	}
	s := string(sc.text)
	if t, ok := parseWireTime(s); ok {
		*v = t
		return nil
	}
	if s[0] >= '0' && s[0] <= '9' && !strings.Contains(s, "-") {
		*v, err = parseEpochMillis(sc.text)
		return err
	}
	if len(s) > 20 && s[19] == '.' && (s[10] == 'T' || s[10] == ' ') {
		// The documented form with fractional seconds.
		if t, err := time.ParseInLocation("2006-01-02"+s[10:11]+"15:04:05.999999999", s, kst); err == nil {
			*v = t
			return nil
		}
	}
	if len(s) > 19 && (s[10] == 'T' || s[10] == 't') {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			if !t.IsZero() {
				*v = t.In(kst)
			}
			return nil
		}
	}
	return errNotTime
}

func parseEpochMillis(b []byte) (time.Time, error) {
	ms, err := parseExactInt(b)
	switch {
	case err != nil:
		return time.Time{}, errNotTime
	case ms < minEpochMillis || ms >= maxEpochMillis:
		return time.Time{}, errTimeRange
	}
	return time.UnixMilli(ms).In(kst), nil
}

// objectUnmarshaler reads a sub-object that Coupang may send as [] or ""
// when it has nothing (the zero value), or as a one-element array.
func objectUnmarshaler[T any]() *json.Unmarshalers {
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

// sliceUnmarshaler reads an array that Coupang may send as one object (a
// one-element slice), as {} or "" (empty), or as null (nil). Its growth is
// charged to the answer's budget before it is made: an element costs its
// whole struct however few bytes of JSON it came from.
func sliceUnmarshaler[E any]() *json.Unmarshalers {
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
		return cmp.Or(err, errNotArray)
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
		if s, err = grow(s, st, 1); err != nil {
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

// decodeReturnDeliveryItem reads moodifiedAt (the wire key) or modifiedAt.
func decodeReturnDeliveryItem(dec *jsontext.Decoder, v *ExchangeReturnDeliveryItem) error {
	if dec.PeekKind() != '{' {
		return errors.ErrUnsupported
	}
	var w struct {
		ExchangeReturnDeliveryItem `json:",inline"`
		ModifiedAtFixed            time.Time `json:"modifiedAt"`
	}
	if err := answerOf(dec).take(int64(reflect.TypeOf(w).Size())); err != nil {
		return err // w escapes to the heap: charged like an element
	}
	err := json.UnmarshalDecode(dec, &w)
	*v = w.ExchangeReturnDeliveryItem
	if v.ModifiedAt.IsZero() {
		v.ModifiedAt = w.ModifiedAtFixed
	}
	return err
}
