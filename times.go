package coupang

import (
	"errors"
	"fmt"
	"time"

	"github.com/go-coupang/coupang/internal/jsondec"
)

// kst is Korea Standard Time. Korea has no daylight saving, so a fixed zone is
// exact and avoids depending on the tzdata database being installed.
var kst = jsondec.KST

// KoreaLocation returns the fixed UTC+09:00 zone that Coupang uses for every
// timestamp it sends and accepts (t.In(coupang.KoreaLocation())). Coupang
// never sends an offset; that its times are Korea time is inferred from its
// documentation and real data. It is a function, not a variable like
// time.UTC, so that no code can replace the zone every decoded time uses.
func KoreaLocation() *time.Location { return kst }

// wireTimeLayout is how Coupang writes times: Korea time, no offset.
const wireTimeLayout = "2006-01-02T15:04:05"

// ParseTime parses a timestamp as Coupang writes it and returns it in Korea
// time: "2006-01-02T15:04:05" or the same with a space, and epoch
// milliseconds between the years 2000 and 2100. For convenience it also reads
// fractional seconds, "2006-01-02T15:04", a date alone and RFC 3339; the
// decoder of answers is stricter (see UnmarshalExchange). Forms without an
// offset are read as Korea time. The empty string gives the zero time.
func ParseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, ok := parseWireTime(s); ok {
		return t, nil
	}
	if allDigits(s) {
		// Only milliseconds in a plausible range: "20180305105441" or epoch
		// seconds read as milliseconds would be a silently wrong time.
		t, err := jsondec.ParseEpochMillis([]byte(s))
		if err != nil {
			return time.Time{}, fmt.Errorf("coupang: cannot parse a time of %d digits: %w", len(s), err)
		}
		return t, nil
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
	return time.Time{}, errors.New("coupang: cannot parse the text as a time in one of Coupang's forms")
}

// parseWireTime reads the common "2006-01-02T15:04:05" form (T or space)
// by hand; see jsondec.ParseWireTime.
var parseWireTime = jsondec.ParseWireTime

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

// Time is a timestamp in any of Coupang's forms, for the structs you decode
// with Do or DoAll: encoding/json cannot read Coupang's times into a
// time.Time (the v4 form has no offset). It reads exactly what the models'
// decoder reads, with the same rules (see UnmarshalExchange): the v4
// "2006-01-02T15:04:05" (or with a space, and fractional seconds) as Korea
// time; the v5/v6 ISO 8601 form with microseconds and an offset, such as
// "2025-01-15T14:17:13.973885-08:00", at that offset (never assumed to be
// +09:00); and epoch milliseconds between 2000 and 2100. null and "" are the
// zero Time. The time is held in Korea time, the same instant. Anything else
// is an error that does not quote the value.
//
// Its UnmarshalJSON works with encoding/json and json/v2; ParseTime reads
// the same forms and a few more from text.
type Time struct{ time.Time }

// UnmarshalJSON reads one of Coupang's time forms; see Time.
func (t *Time) UnmarshalJSON(b []byte) error {
	dec, release := jsondec.Over(b, jsondec.Syntax)
	defer release()
	if err := jsondec.Time(dec, &t.Time); err != nil {
		return err
	}
	if _, err := dec.ReadToken(); err == nil {
		t.Time = time.Time{}
		return jsondec.ErrNotTime
	}
	return nil
}

// MarshalJSON writes the time as RFC 3339 with its offset and with fractional
// seconds when it has any ("2025-01-16T07:17:13.973885+09:00"), null when
// zero: a form UnmarshalJSON reads back to the same instant. (Coupang's v4
// endpoints take "2006-01-02T15:04:05" in Korea time in queries and bodies:
// format those with t.In(KoreaLocation()).Format("2006-01-02T15:04:05").)
func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	b := append([]byte{'"'}, t.In(kst).AppendFormat(nil, time.RFC3339Nano)...)
	return append(b, '"'), nil
}
