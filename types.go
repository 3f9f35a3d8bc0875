package coupang

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"
)

// kst is Korea Standard Time. Korea has no daylight saving, so a fixed zone is
// exact and avoids depending on the tzdata database being installed.
var kst = time.FixedZone("KST", 9*60*60)

// KoreaTime returns the fixed UTC+09:00 zone that Coupang uses for every
// timestamp it sends and accepts. Coupang never sends an offset; that its times
// are Korea time is inferred from its documentation and real data.
func KoreaTime() *time.Location { return kst }

// wireTimeLayout is how Coupang writes times: Korea time, no offset.
const wireTimeLayout = "2006-01-02T15:04:05"

// Int64 is an integer that Coupang sends inconsistently: as a JSON number, as a
// numeric string ("100000070"), as "" or as null. The last two decode to 0.
// Integers are decoded exactly, so 18-digit shipment box ids survive.
// Encoding writes a JSON number.
type Int64 int64

// Int64 returns n as a plain int64, for passing ids back to calls such as
// (*ExchangeService).ConfirmReceipt.
func (n Int64) Int64() int64 { return int64(n) }

// UnmarshalJSON accepts a number, a numeric string, "" and null.
func (n *Int64) UnmarshalJSON(b []byte) error {
	v, err := parseLooseInt(b)
	if err != nil {
		return err
	}
	*n = Int64(v)
	return nil
}

// MarshalJSON writes n as a JSON number.
func (n Int64) MarshalJSON() ([]byte, error) {
	return strconv.AppendInt(nil, int64(n), 10), nil
}

// parseLooseInt decodes a JSON integer that may be quoted, empty or null. It
// parses digits by hand: strconv would allocate on every field of every record.
func parseLooseInt(b []byte) (int64, error) {
	raw := b
	if len(b) > 0 && b[0] == '"' {
		if len(b) < 2 || b[len(b)-1] != '"' {
			return 0, fmt.Errorf("coupang: cannot decode %.40q as an integer", raw)
		}
		b = bytes.TrimSpace(b[1 : len(b)-1])
	}
	if len(b) == 0 || string(b) == "null" {
		return 0, nil
	}
	neg := false
	digits := b
	if digits[0] == '-' || digits[0] == '+' {
		neg = digits[0] == '-'
		digits = digits[1:]
	}
	if len(digits) == 0 {
		return 0, fmt.Errorf("coupang: cannot decode %.40q as an integer", raw)
	}
	var v uint64
	for _, c := range digits {
		if c < '0' || c > '9' {
			// A decimal or exponent form such as 35900.0 or 3.59e4: accept it
			// only when it holds a whole number that fits.
			return parseIntegralFloat(b, raw)
		}
		if v > (math.MaxUint64-9)/10 {
			return 0, fmt.Errorf("coupang: integer %.40q overflows int64", raw)
		}
		v = v*10 + uint64(c-'0')
	}
	if neg {
		if v > 1<<63 {
			return 0, fmt.Errorf("coupang: integer %.40q overflows int64", raw)
		}
		return -int64(v), nil
	}
	if v > math.MaxInt64 {
		return 0, fmt.Errorf("coupang: integer %.40q overflows int64", raw)
	}
	return int64(v), nil
}

func parseIntegralFloat(b, raw []byte) (int64, error) {
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || f != math.Trunc(f) || f < math.MinInt64 || f >= math.MaxInt64 {
		return 0, fmt.Errorf("coupang: cannot decode %.40q as an integer", raw)
	}
	return int64(f), nil
}

// Text is a string that Coupang sometimes sends as a JSON number: waybill
// numbers, zip codes, staff ids, safe numbers. A number keeps its exact digits;
// null decodes to "". Encoding writes a JSON string.
type Text string

// String returns t as a plain string.
func (t Text) String() string { return string(t) }

// UnmarshalJSON accepts a string, a number, a boolean and null.
func (t *Text) UnmarshalJSON(b []byte) error {
	switch {
	case len(b) == 0 || string(b) == "null":
		*t = ""
	case b[0] == '"':
		if len(b) < 2 || b[len(b)-1] != '"' {
			return errors.New("coupang: cannot decode an unterminated JSON string as text")
		}
		if !hasEscape(b) {
			*t = Text(b[1 : len(b)-1])
			return nil
		}
		return json.Unmarshal(b, (*string)(t))
	case b[0] == '{' || b[0] == '[':
		return fmt.Errorf("coupang: cannot decode a JSON %s as text", jsonKind(b[0]))
	default:
		*t = Text(b)
	}
	return nil
}

// MarshalJSON writes t as a JSON string.
func (t Text) MarshalJSON() ([]byte, error) {
	return json.Marshal(string(t))
}

func hasEscape(b []byte) bool {
	return bytes.IndexByte(b[1:len(b)-1], '\\') >= 0
}

func jsonKind(c byte) string {
	if c == '{' {
		return "object"
	}
	return "array"
}

// Time is an instant as Coupang writes it, always presented in Korea time.
// It decodes every form seen on the wire: "2006-01-02T15:04:05", the same with
// a space instead of the T or with fractional seconds, a date alone, RFC 3339
// with an offset, and epoch milliseconds as a number or numeric string (older
// responses). null and "" decode to the zero Time; check IsZero.
// Encoding writes Coupang's own form, "2006-01-02T15:04:05" in Korea time.
type Time struct {
	time.Time
}

// UnmarshalJSON accepts every timestamp form Coupang sends.
func (t *Time) UnmarshalJSON(b []byte) error {
	if len(b) == 0 || string(b) == "null" {
		t.Time = time.Time{}
		return nil
	}
	if b[0] != '"' {
		ms, err := parseLooseInt(b)
		if err != nil {
			return fmt.Errorf("coupang: cannot decode %.40q as a time", b)
		}
		t.Time = time.UnixMilli(ms).In(kst)
		return nil
	}
	if len(b) < 2 || b[len(b)-1] != '"' {
		return fmt.Errorf("coupang: cannot decode %.40q as a time: unterminated string", b)
	}
	s := b[1 : len(b)-1]
	// The common form first, by hand: a short string converted for a callee
	// it does not escape from costs no allocation, where one handed to
	// ParseTime would (its errors keep it). A page holds hundreds of times.
	if parsed, ok := parseWireTime(string(s)); ok {
		t.Time = parsed
		return nil
	}
	parsed, err := ParseTime(string(s))
	if err != nil {
		return err
	}
	t.Time = parsed
	return nil
}

// MarshalJSON writes t as Coupang does, or null for the zero Time.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	buf := make([]byte, 0, len(wireTimeLayout)+2)
	buf = append(buf, '"')
	buf = t.In(kst).AppendFormat(buf, wireTimeLayout)
	return append(buf, '"'), nil
}

// MarshalText writes t as Coupang does ("" for the zero Time), so that
// encoders other than encoding/json (form, YAML, map keys) agree with
// MarshalJSON rather than falling back to time.Time's RFC 3339.
func (t Time) MarshalText() ([]byte, error) {
	if t.IsZero() {
		return []byte{}, nil
	}
	return t.In(kst).AppendFormat(nil, wireTimeLayout), nil
}

// UnmarshalText accepts every form ParseTime does.
func (t *Time) UnmarshalText(b []byte) error {
	parsed, err := ParseTime(string(b))
	if err != nil {
		return err
	}
	t.Time = parsed
	return nil
}

// ParseTime parses a timestamp in any form Coupang sends (see Time) and returns
// it in Korea time. Forms without an offset are read as Korea time. The empty
// string gives the zero time.
func ParseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, ok := parseWireTime(s); ok {
		return t, nil
	}
	if allDigits(s) && len(s) >= 10 {
		ms, err := strconv.ParseInt(s, 10, 64)
		if err == nil {
			return time.UnixMilli(ms).In(kst), nil
		}
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05Z07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.In(kst), nil
		}
	}
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, kst); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("coupang: cannot parse %.40q as a time", s)
}

// parseWireTime reads the common "2006-01-02T15:04:05" form (T or space) by
// hand: a page of exchanges holds hundreds of timestamps, and this is several
// times cheaper than time.Parse.
func parseWireTime(s string) (time.Time, bool) {
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
	t := time.Date(year, time.Month(month), day, hour, minute, sec, 0, kst)
	if t.Day() != day { // 2026-02-30 and the like: time.Date normalised it.
		return time.Time{}, false
	}
	return t, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// formatWireTime formats t the way Coupang's query parameters expect.
func formatWireTime(t time.Time) string {
	return t.In(kst).Format(wireTimeLayout)
}
