package coupangtest_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

func lastHour() coupang.ExchangeListOptions {
	return coupang.ExchangeListOptions{CreatedAtFrom: time.Now().Add(-time.Hour), CreatedAtTo: time.Now()}
}

func TestFailNext(t *testing.T) {
	tests := []struct {
		name      string
		n, status int
		retries   int
		wantErr   error
		wantCalls int
		htmlTitle string
	}{
		{"one 429 is retried", 1, http.StatusTooManyRequests, 3, nil, 2, ""},
		{"429s beyond the retries", 3, http.StatusTooManyRequests, 2, coupang.ErrRateLimited, 3, ""},
		{"503 is retried", 2, http.StatusServiceUnavailable, 3, nil, 3, ""},
		{"503 HTML page", 1, http.StatusServiceUnavailable, 0, nil, 1, "503 Service Unavailable"},
		{"502 HTML page", 1, http.StatusBadGateway, 0, nil, 1, "502 Bad Gateway"},
		{"403 CDN page", 1, http.StatusForbidden, 3, coupang.ErrForbidden, 1, "Access Denied"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := coupangtest.NewTestServer(t)
			c := newClient(t, srv, coupang.WithMaxRetries(tt.retries))
			srv.FailNext(tt.n, tt.status)
			_, err := c.Exchanges.List(context.Background(), lastHour())
			switch {
			case tt.htmlTitle != "":
				e := apiError(t, err)
				assert.Equal(t, tt.status, e.StatusCode)
				assert.Equal(t, tt.htmlTitle, e.Message)
				assert.Contains(t, strings.ToLower(e.Body), "<title>")
			case tt.wantErr != nil:
				require.ErrorIs(t, err, tt.wantErr)
			default:
				require.NoError(t, err)
			}
			calls := srv.Calls()
			require.Len(t, calls, tt.wantCalls)
			for i, call := range calls {
				if i < tt.n {
					assert.Equal(t, tt.status, call.Status)
				} else {
					assert.Equal(t, http.StatusOK, call.Status)
				}
			}
		})
	}
}

func TestFailNextOnWrites(t *testing.T) {
	ctx := context.Background()

	t.Run("a 503 on a write applies nothing and the outcome is unknown", func(t *testing.T) {
		srv := coupangtest.NewTestServer(t)
		c := newClient(t, srv)
		id := int64(firstWith(t, srv, isStatus(coupang.ExchangeStatusReceipt)).ExchangeID)
		srv.FailNext(1, http.StatusServiceUnavailable)
		err := c.Exchanges.ConfirmReceipt(ctx, id)
		require.ErrorIs(t, err, coupang.ErrOutcomeUnknown)
		assert.Equal(t, 0, srv.Confirmations(id))
		assert.Len(t, srv.Calls(), 1, "writes are not retried after a 5xx")
	})

	t.Run("a 429 on a write is sent once and its outcome is unknown", func(t *testing.T) {
		srv := coupangtest.NewTestServer(t)
		c := newClient(t, srv)
		id := int64(firstWith(t, srv, isStatus(coupang.ExchangeStatusReceipt)).ExchangeID)
		srv.FailNext(2, http.StatusTooManyRequests)
		err := c.Exchanges.ConfirmReceipt(ctx, id)
		require.ErrorIs(t, err, coupang.ErrOutcomeUnknown)
		require.ErrorIs(t, err, coupang.ErrRateLimited)
		assert.Equal(t, 0, srv.Confirmations(id))
		assert.Len(t, srv.Calls(), 1)
	})

	t.Run("a 429 on a write is retried and applied once when opted in", func(t *testing.T) {
		srv := coupangtest.NewTestServer(t)
		c := newClient(t, srv, coupang.WithRetryWritesOn429(true))
		id := int64(firstWith(t, srv, isStatus(coupang.ExchangeStatusReceipt)).ExchangeID)
		srv.FailNext(2, http.StatusTooManyRequests)
		require.NoError(t, c.Exchanges.ConfirmReceipt(ctx, id))
		assert.Equal(t, 1, srv.Confirmations(id))
		assert.Len(t, srv.Calls(), 3)
	})

	t.Run("a dropped connection after applying hides a write that went through", func(t *testing.T) {
		srv := coupangtest.NewTestServer(t)
		c := newClient(t, srv)
		id := int64(firstWith(t, srv, isStatus(coupang.ExchangeStatusReceipt)).ExchangeID)
		srv.DropNextAfterApplying(1)
		err := c.Exchanges.ConfirmReceipt(ctx, id)
		require.ErrorIs(t, err, coupang.ErrOutcomeUnknown)
		var reqErr *coupang.RequestError
		require.ErrorAs(t, err, &reqErr, "no answer at all")
		assert.Equal(t, 1, srv.Confirmations(id), "it was applied")
		assert.Len(t, srv.Applied(), 1, "Applied counts it")
		calls := srv.Calls()
		require.Len(t, calls, 1, "sent once")
		assert.Equal(t, 0, calls[0].Status, "recorded as unanswered")

		// The next request gets a new connection and a normal answer.
		_, err = c.Exchanges.List(ctx, lastHour())
		require.NoError(t, err)
	})

	t.Run("a 504 after applying hides a write that went through", func(t *testing.T) {
		srv := coupangtest.NewTestServer(t)
		c := newClient(t, srv)
		id := int64(firstWith(t, srv, isStatus(coupang.ExchangeStatusReceipt)).ExchangeID)
		srv.FailNextAfterApplying(1, http.StatusGatewayTimeout)
		err := c.Exchanges.ConfirmReceipt(ctx, id)
		require.ErrorIs(t, err, coupang.ErrOutcomeUnknown)
		assert.Equal(t, 1, srv.Confirmations(id), "it was applied")
		ex, _ := srv.Exchange(id)
		assert.Equal(t, coupang.ExchangeStatusProgress, ex.Status)
	})
}

func TestLatency(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	c := newClient(t, srv, coupang.WithMaxRetries(0))
	srv.SetLatency(time.Minute)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := c.Exchanges.List(ctx, lastHour())
	require.ErrorIs(t, err, context.DeadlineExceeded)

	srv.SetLatency(0)
	_, err = c.Exchanges.List(context.Background(), lastHour())
	require.NoError(t, err)
}

// TestLatencyHoldsNoLock: requests waiting out their latency hold no lock,
// so that concurrent calls overlap as they do at Coupang: while two are
// still waiting, the server's state can be read and changed, and a third
// call made after the latency is lifted is answered at once. It runs in a
// testing/synctest bubble over an in-memory transport: synctest.Wait
// returns once both requests are inside the server's latency wait, and the
// bubble's clock shows that the third answer took no time.
func TestLatencyHoldsNoLock(t *testing.T) {
	srv := coupangtest.NewTestServer(t) // outside the bubble: its listener is not the bubble's
	synctest.Test(t, func(t *testing.T) {
		c := newClient(t, srv, coupang.WithMaxRetries(0),
			coupang.WithHTTPClient(&http.Client{Transport: handlerTransport{srv}}))
		srv.SetLatency(time.Hour)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		waiting := make(chan error, 2)
		for range 2 {
			go func() {
				_, err := c.Exchanges.List(ctx, lastHour())
				waiting <- err
			}()
		}
		synctest.Wait() // both wait out the hour in the server's handler
		assert.Empty(t, srv.Calls(), "the waiting requests are not answered")
		srv.SetLatency(0)
		before := time.Now()
		_, err := c.Exchanges.List(context.Background(), lastHour())
		require.NoError(t, err, "answered while two requests wait out an hour")
		assert.Equal(t, before, time.Now(), "at once")
		require.Len(t, srv.Calls(), 1)
		cancel()
		for range 2 {
			require.ErrorIs(t, <-waiting, context.Canceled)
		}
	})
}

// handlerTransport serves each request with h in the caller's goroutine,
// for tests in a synctest bubble: no goroutine waits on a socket.
type handlerTransport struct{ h http.Handler }

func (tr handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body == nil { // a server's request always has one
		r = r.Clone(r.Context())
		r.Body = http.NoBody
	}
	rec := httptest.NewRecorder()
	tr.h.ServeHTTP(rec, r)
	if err := r.Context().Err(); err != nil {
		return nil, err
	}
	resp := rec.Result()
	resp.Request = r
	return resp, nil
}

func TestAddAndUpdateExchanges(t *testing.T) {
	// A frozen clock, close enough to the client's for signatures to pass.
	now := time.Now().Truncate(time.Second)
	srv := coupangtest.NewTestServer(t, coupangtest.WithExchanges(0), coupangtest.WithClock(func() time.Time { return now }))
	assert.Empty(t, srv.Exchanges())

	id := srv.AddExchange(coupang.ExchangeRequest{
		OrderID:    12345,
		Rejectable: true,
		Items:      []coupang.ExchangeItem{{OriginalShipmentBoxID: 100000000000000123, Quantity: 1}},
	})
	require.NotZero(t, id)
	ex, ok := srv.Exchange(id)
	require.True(t, ok)
	assert.Equal(t, srv.VendorID, ex.VendorID)
	assert.Equal(t, coupang.ExchangeStatusReceipt, ex.Status)
	assert.True(t, ex.CreatedAt.Equal(now))

	second := srv.AddExchange(coupang.ExchangeRequest{ExchangeID: 999_000_001})
	assert.EqualValues(t, 999_000_001, second)
	assert.Greater(t, srv.AddExchange(coupang.ExchangeRequest{}), second, "new ids follow the largest")

	// Copies are deep: changing what was read changes nothing stored.
	ex.Items[0].Quantity = 99
	again, _ := srv.Exchange(id)
	assert.EqualValues(t, 1, again.Items[0].Quantity)

	require.True(t, srv.UpdateExchange(id, func(ex *coupang.ExchangeRequest) {
		ex.Rejectable = false
		ex.ExchangeID = 42 // ignored
	}))
	again, _ = srv.Exchange(id)
	assert.False(t, again.Rejectable)
	_, ok = srv.Exchange(42)
	assert.False(t, ok)
	assert.False(t, srv.UpdateExchange(42, func(*coupang.ExchangeRequest) {}))

	// Added exchanges are served like seeded ones.
	c := newClient(t, srv)
	page, err := c.Exchanges.List(context.Background(), coupang.ExchangeListOptions{CreatedAtFrom: now.Add(-time.Hour), CreatedAtTo: now, OrderID: 12345})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	assert.EqualValues(t, id, page.Items[0].ExchangeID)
}

func TestCallsNeverHoldTheAuthorizationHeader(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	c := newClient(t, srv)
	_, err := c.Exchanges.List(context.Background(), lastHour())
	require.NoError(t, err)
	for _, call := range srv.Calls() {
		s := fmt.Sprintf("%+v", call)
		assert.NotContains(t, s, "CEA")
		assert.NotContains(t, s, srv.SecretKey)
		assert.NotContains(t, s, "signature")
	}
}

// TestConcurrentClients runs several clients against one server while the
// test reads it back; run with -race.
func TestConcurrentClients(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	var receipts []int64
	for _, ex := range srv.Exchanges() {
		if ex.Status == coupang.ExchangeStatusReceipt {
			receipts = append(receipts, ex.ExchangeID)
		}
	}
	require.GreaterOrEqual(t, len(receipts), 8)

	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := srv.Client()
			if err != nil {
				errs <- err
				return
			}
			for range 2 {
				for _, err := range c.Exchanges.All(ctx, coupang.ExchangeListOptions{
					CreatedAtFrom: time.Now().Add(-14 * 24 * time.Hour), CreatedAtTo: time.Now(), MaxPerPage: 5,
				}) {
					if err != nil {
						errs <- err
						return
					}
				}
			}
			// Every worker confirms one exchange, and all try the first.
			if err := c.Exchanges.ConfirmReceipt(ctx, receipts[w]); err != nil && w != 0 {
				errs <- err
			}
			_ = c.Exchanges.ConfirmReceipt(ctx, receipts[0])
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range 50 {
			_ = srv.Calls()
			_ = srv.Exchanges()
			_ = srv.Applied()
			srv.UpdateExchange(receipts[len(receipts)-1], func(ex *coupang.ExchangeRequest) { ex.ReasonEtcDetail += "." })
		}
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for w := range 8 {
		assert.Equal(t, 1, srv.Confirmations(receipts[w]), "exchange %d confirmed exactly once", receipts[w])
	}
	ex, _ := srv.Exchange(receipts[len(receipts)-1])
	assert.True(t, strings.HasSuffix(string(ex.ReasonEtcDetail), strings.Repeat(".", 50)))
}
