package coupang_test

// DoAll: paging any endpoint with All's guards.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
)

type rid struct {
	ReceiptID int64 `json:"receiptId"`
}

// tokenPages answers page k (k from 0, read from nextToken "p<k>") with the
// given ids and a nextToken to page k+1 unless it is the last.
func tokenPages(pages ...[]int64) func(*http.Request) (*http.Response, error) {
	return func(r *http.Request) (*http.Response, error) {
		k := 0
		if tok := r.URL.Query().Get("nextToken"); tok != "" {
			k, _ = strconv.Atoi(strings.TrimPrefix(tok, "p"))
		}
		var recs []string
		for _, id := range pages[k] {
			recs = append(recs, fmt.Sprintf(`{"receiptId":%d}`, id))
		}
		next := ""
		if k+1 < len(pages) {
			next = fmt.Sprintf("p%d", k+1)
		}
		return jsonResponder(200, `{"code":200,"message":"OK","data":[`+strings.Join(recs, ",")+`],"nextToken":"`+next+`"}`)(r)
	}
}

func TestDoAllPages(t *testing.T) {
	m := newMockAPI(t)
	m.on(http.MethodGet, returnsPath, tokenPages([]int64{1, 2}, []int64{}, []int64{3}))
	q := url.Values{"status": {"UC"}, "createdAtFrom": {"2026-03-01"}, "createdAtTo": {"2026-03-02"}}
	var resp coupang.Response
	got, errs := collect(coupang.DoAll[rid](context.Background(), m.client, returnsPath, q, coupang.WithResponse(&resp)))
	require.Empty(t, errs)
	assert.Equal(t, []rid{{1}, {2}, {3}}, got, "an empty page in the middle does not end the listing")
	require.Equal(t, 3, m.callCount())
	assert.Equal(t, "createdAtFrom=2026-03-01&createdAtTo=2026-03-02&nextToken=p2&status=UC", m.calls()[2].RawQuery)
	assert.Equal(t, url.Values{"status": {"UC"}, "createdAtFrom": {"2026-03-01"}, "createdAtTo": {"2026-03-02"}}, q, "not changed")
	assert.Equal(t, 200, resp.StatusCode, "WithResponse: the last answer")
	assert.Empty(t, resp.NextToken)
}

func TestDoAllResumesFromAToken(t *testing.T) {
	m := newMockAPI(t)
	m.on(http.MethodGet, returnsPath, tokenPages([]int64{1}, []int64{2}, []int64{3}))
	got, errs := collect(coupang.DoAll[rid](context.Background(), m.client, returnsPath, url.Values{"nextToken": {"p1"}}))
	require.Empty(t, errs)
	assert.Equal(t, []rid{{2}, {3}}, got)
}

func TestDoAllBreakStops(t *testing.T) {
	m := newMockAPI(t)
	m.on(http.MethodGet, returnsPath, tokenPages([]int64{1, 2}, []int64{3}))
	for r, err := range coupang.DoAll[rid](context.Background(), m.client, returnsPath, nil) {
		require.NoError(t, err)
		if r.ReceiptID == 1 {
			break
		}
	}
	assert.Equal(t, 1, m.callCount(), "nothing is fetched after the loop stops")

	// Lazy: nothing is sent before the loop starts.
	_ = coupang.DoAll[rid](context.Background(), m.client, returnsPath, nil)
	assert.Equal(t, 1, m.callCount())
}

func TestDoAllSharesTheBudget(t *testing.T) {
	lim := &countingLimiter{}
	m := newMockAPI(t, coupang.WithLimiter(lim))
	m.on(http.MethodGet, returnsPath, tokenPages([]int64{1}, []int64{2}, []int64{3}))
	_, errs := collect(coupang.DoAll[rid](context.Background(), m.client, returnsPath, nil))
	require.Empty(t, errs)
	assert.Equal(t, int64(3), lim.n.Load(), "every page waits for the client's limiter")
}

func TestDoAllPagingGuards(t *testing.T) {
	t.Run("repeated token", func(t *testing.T) {
		m := newMockAPI(t)
		m.onJSON(http.MethodGet, returnsPath, 200, `{"code":200,"data":[{"receiptId":1}],"nextToken":"same"}`)
		got, errs := collect(coupang.DoAll[rid](context.Background(), m.client, returnsPath, nil))
		require.Len(t, errs, 1)
		assert.ErrorIs(t, errs[0], coupang.ErrPagingLoop)
		assert.Equal(t, []rid{{1}, {1}}, got, "the records before the fault")
		assert.Equal(t, 2, m.callCount())
	})
	t.Run("oversized token", func(t *testing.T) {
		m := newMockAPI(t)
		m.onJSON(http.MethodGet, returnsPath, 200, `{"code":200,"data":[],"nextToken":"`+strings.Repeat("x", 4<<10+1)+`"}`)
		_, errs := collect(coupang.DoAll[rid](context.Background(), m.client, returnsPath, nil))
		require.Len(t, errs, 1)
		assert.ErrorIs(t, errs[0], coupang.ErrPagingLoop)
		assert.Equal(t, 1, m.callCount())
	})
	t.Run("page cap", func(t *testing.T) {
		m := newMockAPI(t)
		n := 0
		m.on(http.MethodGet, returnsPath, func(r *http.Request) (*http.Response, error) {
			n++
			return jsonResponder(200, fmt.Sprintf(`{"code":200,"data":[],"nextToken":"t%d"}`, n))(r)
		})
		_, errs := collect(coupang.DoAll[rid](context.Background(), m.client, returnsPath, nil))
		require.Len(t, errs, 1)
		assert.ErrorIs(t, errs[0], coupang.ErrPagingLoop)
		assert.Equal(t, 2000, m.callCount(), "All's cap of 2,000 pages")
	})
	t.Run("page index pointing back", func(t *testing.T) {
		m := newMockAPI(t)
		m.onJSON(http.MethodGet, withdrawalsPath, 200, `{"code":200,"data":[{"cancelId":1}],"nextPageIndex":"1"}`)
		_, errs := collect(coupang.DoAll[withdrawal](context.Background(), m.client, withdrawalsPath, nil, coupang.WithPageIndex("pageIndex")))
		require.Len(t, errs, 1)
		assert.ErrorIs(t, errs[0], coupang.ErrPagingLoop)
		assert.Equal(t, 1, m.callCount())
	})
}

// TestDoAllPageIndexWithoutNextPageIndex: an answer without nextPageIndex is
// not taken for the last page: DoAll asks for the next index until a page is
// empty.
func TestDoAllPageIndexWithoutNextPageIndex(t *testing.T) {
	m := newMockAPI(t)
	m.on(http.MethodGet, withdrawalsPath, func(r *http.Request) (*http.Response, error) {
		switch r.URL.Query().Get("pageIndex") {
		case "3":
			return jsonResponder(200, `{"code":200,"data":[{"cancelId":30}]}`)(r)
		case "4":
			return jsonResponder(200, `{"code":200,"data":[{"cancelId":40}]}`)(r)
		}
		return jsonResponder(200, `{"code":200,"data":[]}`)(r)
	})
	got, errs := collect(coupang.DoAll[withdrawal](context.Background(), m.client, withdrawalsPath,
		url.Values{"pageIndex": {"3"}}, coupang.WithPageIndex("pageIndex")))
	require.Empty(t, errs)
	assert.Equal(t, []withdrawal{{CancelID: 30}, {CancelID: 40}}, got)
	assert.Equal(t, 3, m.callCount(), "pages 3, 4 and the empty 5")
}

// TestDoAllRecordErrors: a record that does not fit T is an error in its
// place and the listing goes on; a page that cannot hold records ends it.
func TestDoAllRecordErrors(t *testing.T) {
	m := newMockAPI(t)
	m.on(http.MethodGet, returnsPath, seqResponder(
		`{"code":200,"data":[{"receiptId":1},{"receiptId":"Hong Gildong"},{"receiptId":3}],"nextToken":"n"}`,
		`{"code":200,"data":{"receiptId":4},"nextToken":"m"}`,
		`{"code":200,"data":"Hong Gildong","nextToken":"o"}`,
	))
	var got []rid
	var errs []error
	for r, err := range coupang.DoAll[rid](context.Background(), m.client, returnsPath, nil) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		got = append(got, r)
	}
	assert.Equal(t, []rid{{1}, {3}, {4}}, got, "one object is one record")
	require.Len(t, errs, 2)
	var reqErr *coupang.RequestError
	require.ErrorAs(t, errs[0], &reqErr)
	assert.Contains(t, errs[0].Error(), "record 1 of page 1")
	assert.Contains(t, errs[1].Error(), "page 3: data is a JSON string, not an array of records")
	for _, err := range errs {
		assert.NotContains(t, err.Error(), "Hong")
	}
	assert.Equal(t, 3, m.callCount(), "the scalar page ends the listing")
}

func TestDoAllErrorsEndTheListing(t *testing.T) {
	m := newMockAPI(t)
	m.on(http.MethodGet, returnsPath, seqResponder(
		`{"code":200,"data":[{"receiptId":1}],"nextToken":"n"}`,
		`{"code":400,"message":"OrderId can't be null , if doesn't pass the parameter status"}`,
	))
	got, errs := collect(coupang.DoAll[rid](context.Background(), m.client, returnsPath, nil))
	assert.Equal(t, []rid{{1}}, got)
	require.Len(t, errs, 1)
	requireAPIError(t, errs[0])
	assert.Equal(t, 2, m.callCount())
}

func TestDoAllValidation(t *testing.T) {
	m := newMockAPI(t)
	for name, seq := range map[string]func(func(rid, error) bool){
		"bad path":        coupang.DoAll[rid](context.Background(), m.client, "/v2/../x", nil),
		"nil client":      coupang.DoAll[rid](context.Background(), nil, returnsPath, nil),
		"bad page param":  coupang.DoAll[rid](context.Background(), m.client, returnsPath, nil, coupang.WithPageIndex("a&b")),
		"empty page name": coupang.DoAll[rid](context.Background(), m.client, returnsPath, nil, coupang.WithPageIndex("")),
	} {
		t.Run(name, func(t *testing.T) {
			_, errs := collect(seq)
			require.Len(t, errs, 1)
			var ve *coupang.ValidationError
			assert.True(t, errors.As(errs[0], &ve), "%v", errs[0])
		})
	}
	assert.Equal(t, 0, m.callCount())

	_, err := m.client.Do(context.Background(), http.MethodGet, returnsPath, nil, nil, nil, coupang.WithPageIndex("pageIndex"))
	requireValidation(t, err, "pageIndex")
}
