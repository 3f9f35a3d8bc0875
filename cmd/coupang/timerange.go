package main

import (
	"strings"
	"time"

	"github.com/go-coupang/coupang"
)

// dayLayout is the date form the flags take; RFC 3339 is accepted too.
const dayLayout = "2006-01-02"

// parseWhen parses a --from or --to value: a date (YYYY-MM-DD, a whole day
// in Korea time: its first second for --from, its last for --to), a Korea
// time without zone (2006-01-02T15:04:05), or an RFC 3339 time in any zone.
func parseWhen(cmd, flagName, s string, endOfDay bool) (time.Time, error) {
	kst := coupang.KoreaLocation()
	if t, err := time.ParseInLocation(dayLayout, s, kst); err == nil {
		if endOfDay {
			t = t.AddDate(0, 0, 1).Add(-time.Second)
		}
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation("2006-01-02T15:04:05", s, kst); err == nil {
		return t, nil
	}
	return time.Time{}, usageErrorf("%s: --%s %q: want a date as YYYY-MM-DD (Korea time) or an RFC 3339 time such as 2026-11-01T09:00:00+09:00", cmd, flagName, s)
}

// listRange turns --from, --to and --days of the list command cmd
// ("exchanges list") into a creation-time range. An
// empty to is now; an empty from is the start of the day days-1 days before
// to, so that the range covers days calendar days in Korea time. The end is
// clamped to now, since Coupang refuses ranges in the future.
func listRange(cmd, from, to string, days int, now time.Time) (start, end time.Time, err error) {
	kind := strings.Fields(cmd)[0] // "exchanges"
	now = now.In(coupang.KoreaLocation()).Truncate(time.Second)
	end = now
	if to != "" {
		if end, err = parseWhen(cmd, "to", to, true); err != nil {
			return time.Time{}, time.Time{}, err
		}
	}
	if from != "" {
		if start, err = parseWhen(cmd, "from", from, false); err != nil {
			return time.Time{}, time.Time{}, err
		}
	} else {
		if days < 1 {
			return time.Time{}, time.Time{}, usageErrorf("%s: --days must be at least 1, got %d", cmd, days)
		}
		e := end.In(coupang.KoreaLocation())
		start = time.Date(e.Year(), e.Month(), e.Day(), 0, 0, 0, 0, coupang.KoreaLocation()).AddDate(0, 0, -(days - 1))
	}
	// The client refuses years outside 2000–2099 too, but naming its
	// CreatedAtFrom: the flags are named here instead.
	switch startYear, endYear := start.In(coupang.KoreaLocation()).Year(), end.In(coupang.KoreaLocation()).Year(); {
	case from != "" && startYear < minYear:
		return time.Time{}, time.Time{}, usageErrorf("%s: --from %s is in the year %d: Coupang lists %s from %d on", cmd, from, startYear, kind, minYear)
	case endYear < minYear:
		return time.Time{}, time.Time{}, usageErrorf("%s: --to %s is in the year %d: Coupang lists %s from %d on", cmd, to, endYear, kind, minYear)
	case startYear < minYear:
		return time.Time{}, time.Time{}, usageErrorf("%s: --days %d reaches back to the year %d: Coupang lists %s from %d on", cmd, days, startYear, kind, minYear)
	}
	if start.After(now) {
		return time.Time{}, time.Time{}, usageErrorf("%s: --from %s is in the future", cmd, start.In(coupang.KoreaLocation()).Format(time.RFC3339))
	}
	if end.After(now) {
		end = now
	}
	if end.Before(start) {
		return time.Time{}, time.Time{}, usageErrorf("%s: --to is before --from", cmd)
	}
	if end.Sub(start) > coupang.DefaultMaxListRange {
		// The client would refuse it too, but with advice for code
		// (WithMaxListRange, CreatedAtFrom) that no flag can follow.
		return time.Time{}, time.Time{}, usageErrorf("%s: the range %s to %s is %d days; at most %d days are listed at once: list it in parts with --from and --to",
			cmd, start.In(coupang.KoreaLocation()).Format(dayLayout), end.In(coupang.KoreaLocation()).Format(dayLayout), int(end.Sub(start).Hours()/24)+1, maxDays)
	}
	return start, end, nil
}

// minYear is the first year the client lists (its list bounds lie in
// 2000–2099); a later end than 2099 cannot happen, since the end is
// clamped to now.
const minYear = 2000

// maxDays is the most days a command lists at once: the client's
// DefaultMaxListRange (366 days, any calendar year), about 53 windows.
const maxDays = int(coupang.DefaultMaxListRange / (24 * time.Hour))

// checkDays refuses a --days the client would refuse, in the command's
// terms rather than the library's.
func checkDays(cmd string, days int) error {
	switch {
	case days < 1:
		return usageErrorf("%s: --days must be at least 1, got %d", cmd, days)
	case days > maxDays:
		return usageErrorf("%s: --days %d: at most %d days are listed at once", cmd, days, maxDays)
	}
	return nil
}

// windows is how many list windows (of at most coupang.MaxListWindow) All
// needs for [start, end].
func windows(start, end time.Time) int {
	n := int(end.Sub(start) / coupang.MaxListWindow)
	if end.Sub(start)%coupang.MaxListWindow != 0 || n == 0 {
		n++
	}
	return n
}
