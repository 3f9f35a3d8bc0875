package coupangtest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

func TestListParameterErrors(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	q := func(from, to, extra string) string {
		v := basePath + "?createdAtFrom=" + url.QueryEscape(from) + "&createdAtTo=" + url.QueryEscape(to)
		if extra != "" {
			v += "&" + extra
		}
		return v
	}
	tests := []struct {
		name    string
		path    string
		status  int
		message string
	}{
		{"both bounds", q("2026-03-01T00:00:00", "2026-03-07T23:59:59", ""), 200, ""},
		{"exactly 7 days", q("2026-03-01T00:00:00", "2026-03-08T00:00:00", ""), 200, ""},
		{"one second", q("2026-03-01T00:00:00", "2026-03-01T00:00:00", ""), 200, ""},
		{"7 days and a second", q("2026-03-01T00:00:00", "2026-03-08T00:00:01", ""), 400, "Only up to 7 days"},
		{"no bounds", basePath, 400, "createdAtFrom is required."},
		{"no createdAtTo", basePath + "?createdAtFrom=2026-03-01T00:00:00", 400, "createdAtTo is required."},
		{"space instead of T", q("2026-03-01 00:00:00", "2026-03-02T00:00:00", ""), 400, "yyyy-MM-ddTHH:mm:ss"},
		{"date only", q("2026-03-01", "2026-03-02T00:00:00", ""), 400, "yyyy-MM-ddTHH:mm:ss"},
		{"with an offset", q("2026-03-01T00:00:00", "2026-03-02T00:00:00+09:00", ""), 400, "yyyy-MM-ddTHH:mm:ss"},
		{"fractional seconds", q("2026-03-01T00:00:00.000", "2026-03-02T00:00:00", ""), 400, "yyyy-MM-ddTHH:mm:ss"},
		{"impossible date", q("2026-02-30T00:00:00", "2026-03-02T00:00:00", ""), 400, "yyyy-MM-ddTHH:mm:ss"},
		{"to before from", q("2026-03-02T00:00:00", "2026-03-01T00:00:00", ""), 400, "before"},
		{"unknown status", q("2026-03-01T00:00:00", "2026-03-02T00:00:00", "status=DONE"), 400, "status (DONE)"},
		{"lower-case status", q("2026-03-01T00:00:00", "2026-03-02T00:00:00", "status=receipt"), 400, "status"},
		{"orderId not a number", q("2026-03-01T00:00:00", "2026-03-02T00:00:00", "orderId=abc"), 400, "orderId"},
		{"maxPerPage 0", q("2026-03-01T00:00:00", "2026-03-02T00:00:00", "maxPerPage=0"), 400, "maxPerPage"},
		{"maxPerPage 51", q("2026-03-01T00:00:00", "2026-03-02T00:00:00", "maxPerPage=51"), 400, "maxPerPage"},
		{"maxPerPage 50", q("2026-03-01T00:00:00", "2026-03-02T00:00:00", "maxPerPage=50"), 200, ""},
		{"garbage token", q("2026-03-01T00:00:00", "2026-03-02T00:00:00", "nextToken=abc"), 400, "nextToken"},
		{"page number token", q("2026-03-01T00:00:00", "2026-03-02T00:00:00", "nextToken=2"), 400, "nextToken"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := rawDo(t, srv, http.MethodGet, tt.path, "")
			require.Equal(t, tt.status, resp.status, resp.body)
			if tt.status != 200 {
				assert.EqualValues(t, 400, resp.json["code"])
				assert.Contains(t, resp.json["message"], tt.message)
			}
		})
	}
}

func TestListErrorsThroughClient(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	c := newClient(t, srv)
	_, err := c.Exchanges.List(context.Background(), coupang.ExchangeListOptions{
		CreatedAtFrom: time.Now().Add(-time.Hour), CreatedAtTo: time.Now(), Status: "DONE",
	})
	require.Error(t, err)
	e := apiError(t, err)
	assert.Equal(t, http.StatusBadRequest, e.StatusCode)
	assert.Contains(t, e.Message, "status (DONE)")
}

// TestListDecodesToTheStoredExchanges checks that the quirks of the wire
// format keep the meaning: a tolerant decoder reads back what is stored.
func TestListDecodesToTheStoredExchanges(t *testing.T) {
	for _, quirks := range []bool{true, false} {
		t.Run(map[bool]string{true: "quirks", false: "plain"}[quirks], func(t *testing.T) {
			var opts []coupangtest.Option
			if !quirks {
				opts = append(opts, coupangtest.WithoutQuirks())
			}
			srv := coupangtest.NewTestServer(t, opts...)
			got := listAll(t, newClient(t, srv), coupang.ExchangeListOptions{})
			want := srv.Exchanges()
			require.Len(t, got, len(want))
			for i := range want {
				assert.Equal(t, comparable(t, want[i]), comparable(t, got[i]), "exchange %d", want[i].ExchangeID)
			}
		})
	}
}

// comparable encodes ex with its labels blanked (the server fills them on the
// wire) so that two exchanges can be compared field by field.
func comparable(t *testing.T, ex coupang.ExchangeRequest) map[string]any {
	t.Helper()
	ex.OrderDeliveryStatusLabel, ex.StatusLabel, ex.ReferTypeLabel = "", "", ""
	ex.FaultTypeLabel, ex.CreatedByTypeLabel, ex.ModifiedByTypeLabel = "", "", ""
	b, err := json.Marshal(ex)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	return m
}

func TestListWireQuirks(t *testing.T) {
	collect := func(srv *coupangtest.Server) string {
		var sb strings.Builder
		now := time.Now()
		for from := now.Add(-31 * 24 * time.Hour); from.Before(now); from = from.Add(7 * 24 * time.Hour) {
			resp := rawDo(t, srv, http.MethodGet, listPath(from, from.Add(7*24*time.Hour), "maxPerPage=50"), "")
			require.Equal(t, http.StatusOK, resp.status, resp.body)
			sb.WriteString(resp.body)
		}
		return sb.String()
	}
	wire := collect(coupangtest.NewTestServer(t))
	for _, quirk := range []string{
		`"moodifiedAt":`,                  // misspelled key
		`"code":"200"`,                    // envelope code as a string
		`"code":200`,                      // and as a number
		`"message":"SUCCESS"`,             // either message
		`"orderId":"`,                     // a number as a string
		`"collectStatus":"Collecting"`,    // undocumented enum value
		`"modifiedByType":"BATCH"`,        // undocumented enum value
		`"exchangeStatusLabel":"접수"`,      // Korean label
		`"exchangeStatusLabel":"RECEIPT"`, // label as the code
		`"reason":null`,                   // nulls
		`"collectCompleteDate":null`,      //
		`"exchangeAmount":0`,              // documented string, sent as 0
		`"targetPackageId":-1`,            // sentinel
		`"claimMeta":{`,                   // unknown field
		`"deliveryInvoiceGroupDtos":[]`,   // empty before receipt
		`"reasonCode":"EXCHANGE_OTHER_OPTION"`,
	} {
		assert.Contains(t, wire, quirk)
	}
	assert.Regexp(t, `"createdAt":"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d"`, wire, "a timestamp with a space")
	assert.Regexp(t, `"expectedReturnDate":\d{13}`, wire, "a timestamp in epoch milliseconds")
	assert.Regexp(t, `"shipmentBoxId":\d{18}`, wire, "18-digit box ids")
	assert.Regexp(t, `"(return|delivery)Mobile":"050[23]-\d{4}-\d{4}"`, wire, "safe numbers")
	assert.Regexp(t, `"returnCustomerName":"[가-힣]\*+[가-힣]?"`, wire, "masked names")
	assert.NotContains(t, wire, `"deliveryInvoiceGroupDtos":null`)

	plain := collect(coupangtest.NewTestServer(t, coupangtest.WithoutQuirks()))
	assert.NotContains(t, plain, `"claimMeta"`)
	assert.NotContains(t, plain, `"code":"200"`)
	assert.NotRegexp(t, `"createdAt":"\d{4}-\d\d-\d\d \d`, plain)
	assert.Contains(t, plain, `"moodifiedAt":`, "the misspelled key is the documented shape")
}

func TestListPaging(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	c := newClient(t, srv)
	ctx := context.Background()
	now := time.Now()
	from, to := now.Add(-7*24*time.Hour), now
	var want []int64
	for _, ex := range srv.Exchanges() {
		if !ex.CreatedAt.Before(from.Truncate(time.Second)) && !ex.CreatedAt.After(to) {
			want = append(want, ex.ExchangeID)
		}
	}
	require.Greater(t, len(want), 10, "the window must need several pages")

	for _, perPage := range []int{1, 3, 7, 50} {
		t.Run(fmt.Sprintf("maxPerPage=%d", perPage), func(t *testing.T) {
			var got []int64
			opts := coupang.ExchangeListOptions{CreatedAtFrom: from, CreatedAtTo: to, MaxPerPage: perPage}
			pages := 0
			for {
				page, err := c.Exchanges.List(ctx, opts)
				require.NoError(t, err)
				pages++
				require.LessOrEqual(t, len(page.Items), perPage)
				for _, ex := range page.Items {
					got = append(got, ex.ExchangeID)
				}
				if page.NextToken == "" {
					break
				}
				require.Len(t, page.Items, perPage, "only the last page may be short")
				opts.NextToken = page.NextToken
			}
			assert.Equal(t, want, got, "every record exactly once, oldest first")
			assert.Equal(t, (len(want)+perPage-1)/perPage, pages)
		})
	}

	t.Run("default page size is 10", func(t *testing.T) {
		resp := rawDo(t, srv, http.MethodGet, listPath(from, to, ""), "")
		require.Equal(t, http.StatusOK, resp.status)
		assert.Len(t, resp.json["data"], 10)
		assert.NotEmpty(t, resp.json["nextToken"])
	})

	t.Run("tampered or foreign tokens are rejected", func(t *testing.T) {
		resp := rawDo(t, srv, http.MethodGet, listPath(from, to, "maxPerPage=2"), "")
		require.Equal(t, http.StatusOK, resp.status)
		tok, _ := resp.json["nextToken"].(string)
		require.NotEmpty(t, tok)
		ok := rawDo(t, srv, http.MethodGet, listPath(from, to, "maxPerPage=2&nextToken="+tok), "")
		require.Equal(t, http.StatusOK, ok.status, ok.body)

		flipped := []byte(tok)
		flipped[3] = map[bool]byte{true: 'B', false: 'A'}[flipped[3] == 'A']
		for name, path := range map[string]string{
			"tampered":         listPath(from, to, "maxPerPage=2&nextToken="+string(flipped)),
			"other status":     listPath(from, to, "maxPerPage=2&status=RECEIPT&nextToken="+tok),
			"other window":     listPath(from.Add(time.Second), to, "maxPerPage=2&nextToken="+tok),
			"truncated":        listPath(from, to, "maxPerPage=2&nextToken="+tok[:len(tok)-2]),
			"another server's": listPath(from, to, "maxPerPage=2&nextToken="+otherServerToken(t, from, to)),
		} {
			resp := rawDo(t, srv, http.MethodGet, path, "")
			assert.Equal(t, http.StatusBadRequest, resp.status, name)
			assert.Contains(t, resp.json["message"], "nextToken", name)
		}
	})
}

func otherServerToken(t *testing.T, from, to time.Time) string {
	other := coupangtest.NewTestServer(t, coupangtest.WithCredentials("k2", "s2", coupangtest.DefaultVendorID))
	req, err := http.NewRequest(http.MethodGet, other.URL+listPath(from, to, "maxPerPage=2"), nil)
	require.NoError(t, err)
	coupang.SignRequest(req, "k2", "s2", time.Now())
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var env struct{ NextToken string }
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&env))
	require.NotEmpty(t, env.NextToken)
	return env.NextToken
}

func TestListFilters(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	c := newClient(t, srv)
	stored := srv.Exchanges()

	for _, st := range []coupang.ExchangeStatus{
		coupang.ExchangeStatusReceipt, coupang.ExchangeStatusProgress, coupang.ExchangeStatusSuccess,
		coupang.ExchangeStatusReject, coupang.ExchangeStatusCancel,
	} {
		t.Run(string(st), func(t *testing.T) {
			got := listAll(t, c, coupang.ExchangeListOptions{Status: st})
			want := 0
			for _, ex := range stored {
				if ex.Status == st {
					want++
				}
			}
			require.NotZero(t, want, "the seed has every status")
			assert.Len(t, got, want)
			for _, ex := range got {
				assert.Equal(t, st, ex.Status)
			}
		})
	}

	t.Run("orderId", func(t *testing.T) {
		// The seed files two exchange requests on some orders.
		byOrder := map[int64][]int64{}
		for _, ex := range stored {
			byOrder[ex.OrderID] = append(byOrder[ex.OrderID], ex.ExchangeID)
		}
		var order int64
		for o, ids := range byOrder {
			if len(ids) > 1 {
				order = o
			}
		}
		require.NotZero(t, order)
		got := listAll(t, c, coupang.ExchangeListOptions{OrderID: order})
		var ids []int64
		for _, ex := range got {
			ids = append(ids, ex.ExchangeID)
		}
		assert.ElementsMatch(t, byOrder[order], ids)
	})

	t.Run("bounds are inclusive", func(t *testing.T) {
		at := time.Date(2026, 3, 5, 10, 54, 41, 0, coupang.KoreaLocation())
		id := srv.AddExchange(coupang.ExchangeRequest{CreatedAt: at})
		for _, tt := range []struct {
			from, to time.Time
			found    bool
		}{
			{at, at, true},
			{at.Add(-time.Hour), at, true},
			{at, at.Add(time.Hour), true},
			{at.Add(time.Second), at.Add(time.Hour), false},
			{at.Add(-time.Hour), at.Add(-time.Second), false},
		} {
			page, err := c.Exchanges.List(context.Background(), coupang.ExchangeListOptions{CreatedAtFrom: tt.from, CreatedAtTo: tt.to})
			require.NoError(t, err)
			found := slices.ContainsFunc(page.Items, func(ex coupang.ExchangeRequest) bool { return ex.ExchangeID == id })
			assert.Equal(t, tt.found, found, "[%v, %v]", tt.from, tt.to)
		}
	})
}

func TestSeedIsDeterministic(t *testing.T) {
	key := func(srv *coupangtest.Server) []string {
		var out []string
		for _, ex := range srv.Exchanges() {
			out = append(out, strings.Join([]string{
				fmt.Sprint(ex.ExchangeID), fmt.Sprint(ex.OrderID), string(ex.Status), ex.ReasonCode,
				string(ex.CollectStatus), fmt.Sprint(ex.Items[0].OriginalShipmentBoxID),
			}, "/"))
		}
		return out
	}
	a := key(coupangtest.NewTestServer(t))
	assert.Equal(t, a, key(coupangtest.NewTestServer(t)))
	assert.NotEqual(t, a, key(coupangtest.NewTestServer(t, coupangtest.WithSeed(7))))
	assert.Len(t, a, coupangtest.DefaultExchanges)
	assert.Len(t, key(coupangtest.NewTestServer(t, coupangtest.WithExchanges(3))), 3)
	assert.Empty(t, key(coupangtest.NewTestServer(t, coupangtest.WithExchanges(0))))
}

func TestSeedIsRealistic(t *testing.T) {
	now := time.Now()
	srv := coupangtest.NewTestServer(t, coupangtest.WithClock(func() time.Time { return now }))
	counts := map[coupang.ExchangeStatus]int{}
	rejectable := 0
	for _, ex := range srv.Exchanges() {
		counts[ex.Status]++
		assert.WithinRange(t, ex.CreatedAt, now.Add(-30*24*time.Hour), now, "within the last 30 days")
		assert.Equal(t, coupang.KoreaLocation(), ex.CreatedAt.Location())
		assert.Len(t, fmt.Sprint(ex.Items[0].OriginalShipmentBoxID), 18)
		if box, ok := ex.ReplacementShipmentBoxID(); ok {
			assert.Len(t, fmt.Sprint(box), 18)
		}
		switch ex.Status {
		case coupang.ExchangeStatusReceipt:
			assert.Empty(t, ex.DeliveryInvoiceGroups)
			if ex.Rejectable {
				rejectable++
			}
		case coupang.ExchangeStatusProgress:
			_, ok := ex.ReplacementShipmentBoxID()
			assert.True(t, ok, "PROGRESS exchanges have their new box")
			assert.Equal(t, coupang.CollectStatusCompleteCollect, ex.CollectStatus)
		}
		if _, known := coupang.LookupReason(ex.ReasonCode); !known {
			assert.NotEmpty(t, ex.ReasonCodeText, "an unknown code comes with Coupang's text")
		}
	}
	assert.Equal(t, map[coupang.ExchangeStatus]int{"RECEIPT": 12, "PROGRESS": 8, "SUCCESS": 12, "REJECT": 4, "CANCEL": 4}, counts)
	assert.GreaterOrEqual(t, rejectable, 4)
}
