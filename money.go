package coupang

import (
	"bytes"
	"errors"
	"strconv"
	"strings"

	"github.com/go-coupang/coupang/internal/jsondec"
	"github.com/go-json-experiment/json/jsontext"
)

// Money is an amount as Coupang sends it, exactly: the v4 endpoints send a
// plain number of won (0, -3000), the v5/v6 endpoints of the 2025
// internationalisation an object {"currencyCode": "KRW", "units": 3000,
// "nanos": 0} (ISO 4217 code, whole units, and billionths of a unit with the
// sign of units). Money reads both, in one type, without float64: its value
// is Units + Nanos/1e9 of Currency. Put it in the structs you decode with Do
// or DoAll (its UnmarshalJSON works with encoding/json and json/v2).
//
// null, "" and an absent member are the zero Money. A plain number may be a
// JSON number or a numeric string, with a fraction of up to nine digits
// ("12.5"); anything that cannot be held exactly (more digits, a value
// beyond int64 units, nanos outside ±999,999,999 or of the other sign than
// units) is an error that never quotes the value.
type Money struct {
	// Currency is the ISO 4217 code, such as "KRW"; "" when Coupang sent a
	// plain number (the v4 endpoints: won).
	Currency string
	// Units is the whole units of the amount.
	Units int64
	// Nanos is the fraction, in billionths of a unit: between -999,999,999
	// and 999,999,999, of the same sign as Units when Units is not zero.
	Nanos int32
}

// Money's errors. None of them quotes the value.
var (
	errNotMoney   = errors.New("not an amount: neither a number nor a {currencyCode, units, nanos} object")
	errMoneyExact = errors.New("amount cannot be held exactly: more than nine fractional digits, or units beyond int64")
	errMoneyNanos = errors.New("nanos out of range, or of the other sign than units")
)

// IsZero reports a zero amount (of any currency).
func (m Money) IsZero() bool { return m.Units == 0 && m.Nanos == 0 }

// Decimal returns the amount as decimal text, exactly: "3000", "-3.5",
// "0.000000001".
func (m Money) Decimal() string {
	return string(m.appendDecimal(nil))
}

// String returns the amount as decimal text followed by the currency, if
// any: "3000 KRW", "-3.5".
func (m Money) String() string {
	b := m.appendDecimal(nil)
	if m.Currency != "" {
		b = append(append(b, ' '), m.Currency...)
	}
	return string(b)
}

func (m Money) appendDecimal(b []byte) []byte {
	neg := m.Units < 0 || (m.Units == 0 && m.Nanos < 0)
	units := uint64(m.Units)
	if m.Units < 0 {
		units = -units // also right for math.MinInt64
	}
	nanos := int64(m.Nanos)
	if nanos < 0 {
		nanos = -nanos
	}
	if neg {
		b = append(b, '-')
	}
	b = strconv.AppendUint(b, units, 10)
	if nanos == 0 {
		return b
	}
	frac := strconv.AppendInt(nil, nanos+1e9, 10)[1:] // nine digits, leading zeros kept
	return append(append(b, '.'), bytes.TrimRight(frac, "0")...)
}

// MarshalJSON writes the amount back as Coupang sent it: the v6 object when
// Currency is set ({"currencyCode":"KRW","units":3000,"nanos":0}, units and
// nanos as JSON numbers), else a plain JSON number ("3000", "-3.5").
// UnmarshalJSON reads both back to an equal Money.
func (m Money) MarshalJSON() ([]byte, error) {
	if m.Currency == "" {
		return m.appendDecimal(nil), nil
	}
	b := []byte(`{"currencyCode":`)
	b, err := jsontext.AppendQuote(b, m.Currency)
	if err != nil {
		return nil, errors.New("coupang: Money.Currency is not valid UTF-8")
	}
	b = append(b, `,"units":`...)
	b = strconv.AppendInt(b, m.Units, 10)
	b = append(b, `,"nanos":`...)
	b = strconv.AppendInt(b, int64(m.Nanos), 10)
	return append(b, '}'), nil
}

// UnmarshalJSON reads a plain number, a numeric string or the v6 object; see
// Money.
func (m *Money) UnmarshalJSON(b []byte) error {
	dec, release := jsondec.Over(b, jsondec.Syntax)
	defer release()
	if err := decodeMoney(dec, m); err != nil {
		return err
	}
	if _, err := dec.ReadToken(); err == nil {
		*m = Money{}
		return errNotMoney
	}
	return nil
}

// UnmarshalJSONFrom reads a plain number, a numeric string or the v6 object
// straight from a json/v2 stream (see Money), without the copy and the second
// decoder UnmarshalJSON needs: json/v2 callers get the models' own path.
func (m *Money) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	return decodeMoney(dec, m)
}

// decodeMoney reads one Money; the json/v2 engine of the models calls it
// directly (decodeOptions), UnmarshalJSON through a decoder over its bytes.
func decodeMoney(dec *jsontext.Decoder, m *Money) error {
	*m = Money{}
	if dec.PeekKind() != '{' {
		sc, err := jsondec.ReadScalar(dec, errNotMoney)
		if err != nil {
			return err
		}
		text := sc.Text
		switch {
		case sc.Null:
			return nil
		case sc.Quoted:
			text = bytes.TrimSpace(text)
			if len(text) == 0 || string(text) == "null" {
				return nil
			}
		case !sc.Number():
			return errNotMoney
		}
		m.Units, m.Nanos, err = parseExactDecimal(text)
		return err
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	for dec.PeekKind() != '}' {
		tok, err := dec.ReadToken()
		if err != nil {
			return err
		}
		switch name := tok.String(); {
		case strings.EqualFold(name, "currencyCode"):
			err = jsondec.String(dec, &m.Currency)
			m.Currency = strings.TrimSpace(m.Currency)
		case strings.EqualFold(name, "units"):
			err = jsondec.Int64(dec, &m.Units)
		case strings.EqualFold(name, "nanos"):
			var n int64
			if err = jsondec.Int64(dec, &n); err == nil {
				if n <= -1e9 || n >= 1e9 {
					err = errMoneyNanos
				}
				m.Nanos = int32(n)
			}
		default:
			err = dec.SkipValue()
		}
		if err != nil {
			*m = Money{}
			return err
		}
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	if (m.Units > 0 && m.Nanos < 0) || (m.Units < 0 && m.Nanos > 0) {
		*m = Money{}
		return errMoneyNanos
	}
	return nil
}

// parseExactDecimal parses [sign] digits [. digits] [e [sign] digits] into
// whole units and billionths, exactly, or fails. It reads the digits where
// they are, without copying them: the models' amounts are decoded on the
// list path, which allocates nothing per amount.
func parseExactDecimal(b []byte) (int64, int32, error) {
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
		if i == fs {
			return 0, 0, errNotMoney
		}
		frac = b[fs:i]
	}
	if len(intPart)+len(frac) == 0 {
		return 0, 0, errNotMoney
	}
	exp := 0
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		e, err := jsondec.ParseExactInt(b[i+1:])
		if err != nil || e > 40 || e < -40 {
			return 0, 0, errMoneyExact
		}
		exp = int(e)
		i = len(b)
	}
	if i != len(b) {
		return 0, 0, errNotMoney
	}
	// The value is digit(first..n-1) × 10^exp, digit(k) being digit k of
	// intPart followed by frac; trailing zeros move into exp.
	digit := func(k int) byte {
		if k < len(intPart) {
			return intPart[k]
		}
		return frac[k-len(intPart)]
	}
	n := len(intPart) + len(frac)
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
		return 0, 0, nil
	}
	// The last -exp digits (at most nine) are the fraction, the others,
	// followed by exp zeros when exp > 0, the whole units.
	fracDigits := max(-exp, 0)
	if fracDigits > 9 {
		return 0, 0, errMoneyExact
	}
	const limit = 1 << 63 / 10 // beyond it, one more digit is beyond int64
	var units uint64
	for k := first; k < n-fracDigits; k++ {
		if units > limit {
			return 0, 0, errMoneyExact
		}
		units = units*10 + uint64(digit(k)-'0')
	}
	for ; exp > 0; exp-- {
		if units > limit {
			return 0, 0, errMoneyExact
		}
		units *= 10
	}
	if units > 1<<63 || (!neg && units == 1<<63) {
		return 0, 0, errMoneyExact
	}
	var nanos int64
	for k := n - fracDigits; k < n-fracDigits+9; k++ { // nine places, zeros outside first..n-1
		nanos *= 10
		if k >= first && k < n {
			nanos += int64(digit(k) - '0')
		}
	}
	if neg {
		return -int64(units), int32(-nanos), nil // -int64(1<<63) is math.MinInt64
	}
	return int64(units), int32(nanos), nil
}
