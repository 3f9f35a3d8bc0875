package coupang_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

// Coupang's paging can hand out one exchange twice in a pass (page-number
// tokens shift when a request is filed between two pages). Once the loop
// acknowledged it, the same state must not come again in the same pass,
// even though the acknowledgement is not committed to the store yet.
func TestChangesDoesNotRepeatAnExchangeListedTwiceInOnePass(t *testing.T) {
	sb := newSyncSandbox(t, 3, coupangtest.WithoutQuirks())
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		sb.srv.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		var page map[string]json.RawMessage
		if rec.Code == http.StatusOK && json.Unmarshal(body, &page) == nil {
			var data []json.RawMessage
			if json.Unmarshal(page["data"], &data) == nil && len(data) > 0 {
				data = append(data, data[0]) // the first record again, at the end
				page["data"], _ = json.Marshal(data)
				body, _ = json.Marshal(page)
			}
		}
		w.Header().Set("Content-Type", rec.Header().Get("Content-Type"))
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
	}))
	t.Cleanup(proxy.Close)
	client, err := sb.srv.Client(coupang.WithBaseURL(proxy.URL))
	require.NoError(t, err)

	store := coupang.NewMemoryChangeStore()
	seen := map[int64]int{}
	for ch, err := range client.Exchanges.Changes(context.Background(), store, coupang.WithChangeClock(coupang.ChangeOptions{}, sb.clock.Now)) {
		require.NoError(t, err)
		seen[ch.Exchange.ExchangeID]++
	}
	for _, id := range sb.ids {
		assert.Equal(t, 1, seen[id], "exchange %d yielded once", id)
	}
}
