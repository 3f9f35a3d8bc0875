package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

// eastAsianWidth is how many columns s takes on a terminal in a Korean
// locale, measured apart from the code under test and on the safe side:
// ASCII takes one column, everything else two (Hangul, CJK and full-width
// forms are wide; characters of ambiguous width, such as "·" or "…", are
// wide there too).
func eastAsianWidth(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case r < 0x80:
			n++
		case unicode.Is(unicode.Mn, r):
		default:
			n += 2
		}
	}
	return n
}

// The default table of the sandbox's listing fits 100 columns (issue 22);
// --wide is the wide one.
func TestNarrowTableFitsHundredColumns(t *testing.T) {
	noEnv(t)
	res := runCLI(t, "exchanges", "list", "--days", "31")
	require.Equal(t, exitOK, res.code, res.stderr)
	rows := lines(res.stdout)
	require.Len(t, rows, coupangtest.DefaultExchanges+2)
	for _, l := range rows {
		assert.LessOrEqual(t, eastAsianWidth(l), 100, "%q", l)
	}
	assert.Contains(t, rows[0], "NEXT")

	res = runCLI(t, "exchanges", "list", "--days", "31", "--wide")
	require.Equal(t, exitOK, res.code, res.stderr)
	widest := 0
	for _, l := range lines(res.stdout) {
		widest = max(widest, eastAsianWidth(l))
	}
	assert.Greater(t, widest, 150, "--wide is the wide table")
}

// The columns of the narrow table line up, Hangul counted as two columns:
// every cell of a column starts at the same display column.
func TestNarrowTableAligns(t *testing.T) {
	noEnv(t)
	res := runCLI(t, "exchanges", "list", "--days", "31")
	require.Equal(t, exitOK, res.code, res.stderr)
	rows := lines(res.stdout)
	// The display column where each run of two or more spaces ends.
	starts := func(l string) []int {
		var out []int
		col, spaces := 0, 0
		for _, r := range l {
			if r == ' ' {
				spaces++
			} else {
				if spaces >= 2 {
					out = append(out, col)
				}
				spaces = 0
			}
			col += eastAsianWidth(string(r))
		}
		return out
	}
	want := starts(rows[0])
	require.Len(t, want, 6)
	for _, l := range rows[2:] {
		got := starts(l)
		require.GreaterOrEqual(t, len(got), 5, "%q", l)
		assert.Equal(t, want[:5], got[:5], "%q", l)
	}
}

func TestTruncate(t *testing.T) {
	const reason = "상품 결함/기능에 이상이 있음" // 28 columns
	assert.Equal(t, reason, truncate(reason, 28))
	assert.Equal(t, "상품 결함/기능에 이상이..", truncate(reason, 27))
	assert.Equal(t, "상품 결함/기..", truncate(reason, 14))
	assert.Equal(t, "상품 결함/..", truncate(reason, 13), "a wide character that does not fit is left out")
	for w := 8; w <= 28; w++ {
		assert.LessOrEqual(t, eastAsianWidth(truncate(reason, w)), w)
	}
}

// JSON and CSV give times in RFC 3339 with their offset (issue 22); the
// table, whose header names the zone, does not.
func TestDataTimesCarryTheirOffset(t *testing.T) {
	srv := fixtureServer(t)
	useServer(t, srv)
	want := kst("2024-03-01 09:00:00")
	res := runCLI(t, "exchanges", "list", "--from", "2024-03-01", "--to", "2024-03-01", "--format", "json")
	require.Equal(t, exitOK, res.code, res.stderr)
	var r row
	require.NoError(t, json.Unmarshal([]byte(lines(res.stdout)[0]), &r))
	assert.Equal(t, "2024-03-01T09:00:00+09:00", r.CreatedAt)
	got, err := time.Parse(time.RFC3339, r.CreatedAt)
	require.NoError(t, err)
	assert.True(t, got.Equal(want))

	res = runCLI(t, "exchanges", "list", "--from", "2024-03-01", "--to", "2024-03-01", "--format", "csv")
	require.Equal(t, exitOK, res.code, res.stderr)
	recs, err := csv.NewReader(strings.NewReader(res.stdout)).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, "2024-03-01T09:00:00+09:00", recs[1][2])
	assert.Equal(t, "2024-03-01T09:00:00+09:00", recs[1][3])

	srv.UpdateExchange(400000001, func(e *coupang.ExchangeRequest) { e.CreatedAt = time.Now().Add(-time.Hour) })
	res = runCLI(t, "exchanges", "watch", "--once", "--all", "--format", "json")
	require.Equal(t, exitOK, res.code, res.stderr)
	var ch changeLine
	require.NoError(t, json.Unmarshal([]byte(lines(res.stdout)[0]), &ch))
	_, err = time.Parse(time.RFC3339, ch.SeenAt)
	assert.NoError(t, err, "seen_at %q", ch.SeenAt)
	assert.True(t, strings.HasSuffix(ch.SeenAt, "+09:00"))
}

// The summary counts windows as All sent them, not by 7-day arithmetic,
// and says "1 exchange request" (issue 22).
func TestListSummaryCountsWhatWasSent(t *testing.T) {
	srv := fixtureServer(t)
	useServer(t, srv)
	res := runCLI(t, "exchanges", "list", "--from", "2024-03-01", "--to", "2024-03-01")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Contains(t, res.stderr, "\n1 exchange request created 2024-03-01 00:00:00 – 2024-03-01 23:59:59 (Korea time): 1 window, 1 request\n")

	before := len(srv.Calls())
	res = runCLI(t, "exchanges", "list", "--from", "2024-03-01", "--to", "2024-03-31", "--format", "json")
	require.Equal(t, exitOK, res.code, res.stderr)
	froms := map[string]bool{}
	calls := srv.Calls()[before:]
	for _, c := range calls {
		q, err := url.ParseQuery(c.Query)
		require.NoError(t, err)
		froms[q.Get("createdAtFrom")] = true
	}
	assert.Contains(t, res.stderr, "(Korea time): "+plural(len(froms), "window")+", "+plural(len(calls), "request")+"\n")
}

func TestProgressCountsWindowsByTheirStart(t *testing.T) {
	p := &progress{next: roundTripFunc(func(*http.Request) (*http.Response, error) { return nil, errors.New("not sent") })}
	for _, from := range []string{"2026-03-01T00:00:00", "2026-03-03T08:00:00", "2026-03-03T08:00:00", "2026-03-05T16:00:00"} {
		req, err := http.NewRequest(http.MethodGet, "http://x/?createdAtFrom="+url.QueryEscape(from), nil)
		require.NoError(t, err)
		_, _ = p.RoundTrip(req)
	}
	w, r := p.counts()
	assert.Equal(t, 3, w, "three 56-hour windows, one of them paged")
	assert.Equal(t, 4, r)
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
