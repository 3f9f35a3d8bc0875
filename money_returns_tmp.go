package coupang

// TEMPORARY until doshapes lands: the doshapes branch adds the exported
// Money type (money.go) with this exact field set; this file stands in for
// it so that the return model compiles, and is deleted when money.go is on
// main.

import (
	"errors"
	"strconv"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// Money is an amount of money: v4 answers send a plain number of won, v6
// answers an object {currencyCode, units, nanos}.
type Money struct {
	// Currency is the ISO 4217 code, "" when the answer sent a plain number.
	Currency string
	// Units is the whole units of the amount.
	Units int64
	// Nanos is the fraction, in billionths of a unit, with the sign of
	// Units.
	Nanos int32
}

var errNotMoney = errors.New("not an amount of money (a number or {currencyCode, units, nanos})")

// UnmarshalJSONFrom reads a plain number (or numeric string) or a money
// object; null and "" are zero.
func (m *Money) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	*m = Money{}
	if dec.PeekKind() != '{' {
		return decodeInt64(dec, &m.Units)
	}
	var w struct {
		Currency string `json:"currencyCode"`
		Units    int64  `json:"units"`
		Nanos    int64  `json:"nanos"`
	}
	if err := json.UnmarshalDecode(dec, &w); err != nil {
		return err
	}
	if w.Nanos < -999_999_999 || w.Nanos > 999_999_999 {
		return errNotMoney
	}
	*m = Money{Currency: w.Currency, Units: w.Units, Nanos: int32(w.Nanos)}
	return nil
}

// MarshalJSONTo writes the v6 object, or a plain number when no currency is
// known and there is no fraction (the v4 form).
func (m Money) MarshalJSONTo(enc *jsontext.Encoder) error {
	if m.Currency == "" && m.Nanos == 0 {
		return enc.WriteToken(jsontext.Int(m.Units))
	}
	b, err := jsontext.AppendQuote([]byte(`{"currencyCode":`), m.Currency)
	if err != nil {
		return err
	}
	b = append(b, `,"units":`...)
	b = strconv.AppendInt(b, m.Units, 10)
	b = append(b, `,"nanos":`...)
	b = strconv.AppendInt(b, int64(m.Nanos), 10)
	return enc.WriteValue(append(b, '}'))
}
