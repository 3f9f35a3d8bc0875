package coupang

import (
	"errors"
	"fmt"
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
		t, err := parseEpochMillis([]byte(s))
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
