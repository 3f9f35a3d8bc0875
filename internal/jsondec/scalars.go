package jsondec

import (
	"bytes"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/go-json-experiment/json/jsontext"
)

// Field errors. None of them quotes the value; the exported ones are also
// the hand-written readers' (Do's batch results, Money).
var (
	ErrNotInteger  = errors.New("not an integer")
	errIntOverflow = errors.New("integer does not fit in an int64")
	errIntFraction = errors.New("number has a non-zero fraction")
	ErrNotBool     = errors.New("not a boolean")
	ErrNotTime     = errors.New("not a timestamp in one of Coupang's forms")
	errTimeRange   = errors.New("epoch timestamp is not in milliseconds between 2000 and 2100")
	errNotText     = errors.New("a JSON object or array where text is expected")
	errNotObject   = errors.New("a non-empty array or a scalar where an object is expected")
	ErrNotArray    = errors.New("a scalar where an array is expected")
	errRecordShape = errors.New("the record is not a JSON object")
)

// Text reads any string type (string, PersonalText, the enums) from a
// number or a boolean as its literal (waybills, zip codes and staff ids
// arrive as numbers); strings and null take the engine's path.
func Text(dec *jsontext.Decoder, v any) error {
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

// String reads text as Text does, for the hand-written readers.
func String(dec *jsontext.Decoder, v *string) error {
	if err := Text(dec, v); err != errors.ErrUnsupported {
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

// Scalar is one JSON value as the tolerant decoders see it.
type Scalar struct {
	Null   bool   // a JSON null
	Quoted bool   // Text is the content of a JSON string
	Text   []byte // the string's content, or the value's literal
}

// Number reports a JSON number literal.
func (s Scalar) Number() bool {
	return !s.Null && !s.Quoted && len(s.Text) > 0 && (s.Text[0] == '-' || s.Text[0] >= '0' && s.Text[0] <= '9')
}

// absent reports null, "", "null" and white space.
func (s Scalar) absent() bool {
	t := bytes.TrimSpace(s.Text)
	return s.Null || s.Quoted && (len(t) == 0 || string(t) == "null")
}

// ReadScalar reads one value. A string whose escapes cannot be undone gives
// bad, the caller's error for a value of the wrong form.
func ReadScalar(dec *jsontext.Decoder, bad error) (Scalar, error) {
	raw, err := dec.ReadValue()
	switch {
	case err != nil:
		return Scalar{}, err
	case raw[0] == 'n':
		return Scalar{Null: true}, nil
	case raw[0] != '"':
		return Scalar{Text: raw}, nil
	}
	s := raw[1 : len(raw)-1] // most hold no escape: no copy
	if bytes.IndexByte(s, '\\') >= 0 {
		s, err = jsontext.AppendUnquote(nil, raw)
	}
	if err != nil {
		return Scalar{}, bad
	}
	return Scalar{Quoted: true, Text: s}, nil
}

// Int64 reads an integer exactly: a JSON number or a numeric string,
// in plain, decimal (zero fraction) or exponent form, decoded from its
// digits without float64. "" and null are 0.
func Int64(dec *jsontext.Decoder, v *int64) error {
	sc, err := ReadScalar(dec, ErrNotInteger)
	*v = 0
	switch {
	case err != nil || sc.absent():
		return err
	case sc.Quoted || sc.Number():
		*v, err = ParseExactInt(bytes.TrimSpace(sc.Text))
		return err
	}
	return errors.New("a JSON " + KindName(jsontext.Value(sc.Text).Kind()) + " where an integer is expected")
}

// ParseExactInt parses [sign] digits [. digits] [e [sign] digits] as an
// int64, exactly: the value is digits × 10^exp, and what is left once the
// trailing zeros move into exp must be a whole number that fits.
func ParseExactInt(b []byte) (int64, error) {
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
			return 0, ErrNotInteger
		}
		mant, exp = mant[:i], e
	}
	neg := strings.HasPrefix(mant, "-")
	if neg || strings.HasPrefix(mant, "+") {
		mant = mant[1:]
	}
	whole, frac, dot := strings.Cut(mant, ".")
	if dot && frac == "" || !allDigits(whole+frac) {
		return 0, ErrNotInteger
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

// ParseBool reads true/false as a JSON boolean, 1/0 as a number, and
// "true"/"false", "Y"/"N", "1"/"0" (any case) as a string. null and "" are
// absent (ok false).
func ParseBool(sc Scalar) (val, ok bool, err error) {
	if sc.absent() {
		return false, false, nil
	}
	s := string(sc.Text)
	if sc.Quoted {
		s = strings.ToLower(strings.TrimSpace(s))
	}
	switch {
	case s == "true" || s == "1" || sc.Quoted && s == "y":
		return true, true, nil
	case s == "false" || s == "0" || sc.Quoted && s == "n":
		return false, true, nil
	}
	return false, false, ErrNotBool
}

// Bool reads a bool as ParseBool does; absent is false.
func Bool(dec *jsontext.Decoder, v *bool) error {
	sc, err := ReadScalar(dec, ErrNotBool)
	if err == nil {
		*v, _, err = ParseBool(sc)
	}
	return err
}

// BoolPtr reads a bool as ParseBool does; absent is nil.
func BoolPtr(dec *jsontext.Decoder, v **bool) error {
	sc, err := ReadScalar(dec, ErrNotBool)
	*v = nil
	if err != nil {
		return err
	}
	b, ok, err := ParseBool(sc)
	if ok {
		*v = &b
	}
	return err
}

// KST is Korea Standard Time, in which Coupang's zone-less times are read.
// Korea has no daylight saving, so a fixed zone is exact and needs no
// tzdata.
var KST = time.FixedZone("KST", 9*60*60)

// ParseWireTime reads the common "2006-01-02T15:04:05" form (T or space) by
// hand: a page of exchanges holds hundreds of timestamps, and this is several
// times cheaper than time.Parse.
func ParseWireTime(s string) (time.Time, bool) {
	if len(s) != 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	num := func(i, n int) (int, bool) {
		v := 0
		for _, c := range []byte(s[i : i+n]) {
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	year, ok1 := num(0, 4)
	month, ok2 := num(5, 2)
	day, ok3 := num(8, 2)
	hour, ok4 := num(11, 2)
	minute, ok5 := num(14, 2)
	sec, ok6 := num(17, 2)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, 0, KST)
	if t.Day() != day { // 2026-02-30 and the like: time.Date normalised it.
		return time.Time{}, false
	}
	return t, true
}

// allDigits reports a non-empty run of ASCII digits.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// Epoch milliseconds are believed between 2000 and 2100: a number outside is
// epoch seconds or a compact date misread, never a silently wrong year.
const (
	minEpochMillis = 946684800000  // 2000-01-01T00:00:00Z
	maxEpochMillis = 4102444800000 // 2100-01-01T00:00:00Z
)

// Time reads the forms Coupang documents: "2006-01-02T15:04:05", the
// same with a space (either with optional fractional seconds), and epoch
// milliseconds between 2000 and 2100 (a number, or a string of digits), all
// as Korea time; plus RFC 3339 with an explicit offset (v6, and what
// encoding/json writes). null and "" are the zero Time. Anything else, a
// date alone, a compact "20180305105441" or epoch seconds included, is an
// error: never a silently wrong time.
func Time(dec *jsontext.Decoder, v *time.Time) error {
	sc, err := ReadScalar(dec, ErrNotTime)
	*v = time.Time{}
	switch {
	case err != nil || sc.Null || sc.Quoted && (len(sc.Text) == 0 || string(sc.Text) == "null"):
		return err
	case sc.Number():
		*v, err = ParseEpochMillis(sc.Text)
		return err
	case !sc.Quoted:
		return ErrNotTime
	}
	s := string(sc.Text)
	if t, ok := ParseWireTime(s); ok {
		*v = t
		return nil
	}
	if s[0] >= '0' && s[0] <= '9' && !strings.Contains(s, "-") {
		*v, err = ParseEpochMillis(sc.Text)
		return err
	}
	if len(s) > 20 && s[19] == '.' && (s[10] == 'T' || s[10] == ' ') {
		// The documented form with fractional seconds.
		if t, err := time.ParseInLocation("2006-01-02"+s[10:11]+"15:04:05.999999999", s, KST); err == nil {
			*v = t
			return nil
		}
	}
	if len(s) > 19 && (s[10] == 'T' || s[10] == 't') {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			if !t.IsZero() {
				*v = t.In(KST)
			}
			return nil
		}
	}
	return ErrNotTime
}

// ParseEpochMillis reads epoch milliseconds between 2000 and 2100 as Korea
// time.
func ParseEpochMillis(b []byte) (time.Time, error) {
	ms, err := ParseExactInt(b)
	switch {
	case err != nil:
		return time.Time{}, ErrNotTime
	case ms < minEpochMillis || ms >= maxEpochMillis:
		return time.Time{}, errTimeRange
	}
	return time.UnixMilli(ms).In(KST), nil
}
