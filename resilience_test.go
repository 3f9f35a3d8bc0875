package coupang_test

// Fault-injection tests for retries, pacing, timeouts and logging (issue 3).
// The faults are injected by real local HTTP servers (httptest), because most
// of them happen at the connection level: resets, EOF before a response,
// bodies cut short, servers that never answer. No test asserts how long
// anything took; waits that must end on cancellation are made long, and the
// tests assert on errors and on request counts instead.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
)

// Invented keys and personal data. The personal data is planted in every
// fixture so that the tests can prove it never reaches a log.
const (
	rsAccessKey = "rs-access-9f3e2a41"
	rsSecretKey = "rs-secret-never-log-7c41d0e9b2"
	rsVendorID  = "A00077777"
	rsBase      = "/v2/providers/openapi/apis/api/v4/vendors/A00077777/exchangeRequests"

	rsPIIName    = "류*결"
	rsPIIPhone   = "0502-7777-1234"
	rsPIIAddress = "결함특별시 재시도구 주입로 503"
	rsPIIDetail  = "문 앞에 두지 마세요 RSLPII"

	rsWriteOK = `{"code":"200","message":"SUCCESS","data":{"resultCode":"SUCCESS","resultMessage":"요청 처리완료"}}`
)

// rsExchange is one exchange record, in Coupang's shape and with its quirks
// (ids as strings, an 18-digit box id, the misspelled moodifiedAt).
func rsExchange(id int64, createdAt time.Time) string {
	return fmt.Sprintf(`{"exchangeId":%d,"orderId":"%d","vendorId":%q,"exchangeStatus":"RECEIPT",`+
		`"createdAt":%q,"modifiedAt":null,"reasonCode":"DEFECT","reasonEtcDetail":%q,"exchangeAmount":0,`+
		`"exchangeAddressDtoV1":{"returnCustomerName":%q,"returnPhone":%q,"returnAddress":%q,`+
		`"deliveryCustomerName":%q,"deliveryMobile":%q,"deliveryAddress":%q,"deliveryAddressDetail":%q},`+
		`"deliveryInvoiceGroupDtos":[{"shipmentBoxId":100000000000000123,"deliveryInvoiceDtos":[]}],`+
		`"collectInformationsDto":{"returnType":"EXCHANGE_RETURN","returndeliveryItemDtos":[{"vendorItemId":7001,"moodifiedAt":"2026-03-02 10:00:00"}],`+
		`"returndeliveryDestinationDto":{"customerName":%q,"customerPhone":%q,"customerAddress":%q}},`+
		`"successable":false,"rejectable":true}`,
		id, 9000000+id, rsVendorID, createdAt.In(coupang.KoreaLocation()).Format("2006-01-02T15:04:05"), rsPIIDetail,
		rsPIIName, rsPIIPhone, rsPIIAddress, rsPIIName, rsPIIPhone, rsPIIAddress, rsPIIDetail,
		rsPIIName, rsPIIPhone, rsPIIAddress)
}

var rsT0 = time.Date(2026, 3, 1, 0, 0, 0, 0, coupang.KoreaLocation())

// rsPage is a list response holding the given exchange ids.
func rsPage(next, txID string, ids ...int64) string {
	items := make([]string, len(ids))
	for i, id := range ids {
		items[i] = rsExchange(id, rsT0.Add(time.Duration(i+1)*time.Hour))
	}
	return fmt.Sprintf(`{"code":200,"message":"OK","transactionId":%q,"data":[%s],"nextToken":%q}`,
		txID, strings.Join(items, ","), next)
}

func rsListOpts() coupang.ExchangeListOptions {
	return coupang.ExchangeListOptions{CreatedAtFrom: rsT0, CreatedAtTo: rsT0.Add(24 * time.Hour)}
}

func rsIDs(items []coupang.ExchangeRequest) []int64 {
	ids := make([]int64, len(items))
	for i, ex := range items {
		ids[i] = ex.ExchangeID
	}
	return ids
}

// rsRequest is one request as the server received it.
type rsRequest struct {
	Method, Path, Query, Auth string
	Body                      []byte
	At                        time.Time
}

// rsServer is a local Coupang that records every request and answers with
// handle; n is the 1-based arrival number.
type rsServer struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []rsRequest
}

func rsNewServer(t testing.TB, handle func(w http.ResponseWriter, r *http.Request, n int)) *rsServer {
	t.Helper()
	s := &rsServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.reqs = append(s.reqs, rsRequest{
			Method: r.Method, Path: r.URL.EscapedPath(), Query: r.URL.RawQuery,
			Auth: r.Header.Get("Authorization"), Body: body, At: time.Now(),
		})
		n := len(s.reqs)
		s.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body)) // for handlers that read it too
		handle(w, r, n)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *rsServer) requests() []rsRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]rsRequest(nil), s.reqs...)
}

func (s *rsServer) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.reqs)
}

// rsFault is one way for the server to answer (or not).
type rsFault func(w http.ResponseWriter, r *http.Request)

// rsStatus answers with status and body; headers are name, value pairs.
func rsStatus(status int, body string, headers ...string) rsFault {
	return func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(body, "<") {
			w.Header().Set("Content-Type", "text/html")
		} else {
			w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		}
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

// rsHTML is the kind of page Coupang's CDN answers with.
func rsHTML(status int, title string) rsFault {
	return rsStatus(status, "<!DOCTYPE html>\n<html><head><title>"+title+"</title></head>"+
		"<body><h1>"+title+"</h1><p>Reference #18.deadbeef</p></body></html>")
}

// rsDrop closes the connection after reading the request, before any
// response: with reset, abortively (RST), else with an orderly close (EOF).
func rsDrop(reset bool) rsFault {
	return func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			panic(err)
		}
		if tcp, ok := conn.(*net.TCPConn); ok && reset {
			_ = tcp.SetLinger(0)
		}
		_ = conn.Close()
	}
}

// rsShortBody declares the full length of body but sends only half of it,
// then closes the connection.
func rsShortBody(body string) rsFault {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, body[:len(body)/2])
	}
}

// rsCutBody writes a 200 with no length and half of body on the raw
// connection, then closes it.
func rsCutBody(body string) rsFault {
	return func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			panic(err)
		}
		_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n" + body[:len(body)/2])
		_ = buf.Flush()
		_ = conn.Close()
	}
}

// rsHang never answers: it returns when the client gives up.
func rsHang(w http.ResponseWriter, r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-time.After(time.Minute): // only if the client never gives up
	}
}

// rsScript answers the first len(faults) arrivals with faults and the rest
// with ok.
func rsScript(ok rsFault, faults ...rsFault) func(http.ResponseWriter, *http.Request, int) {
	return func(w http.ResponseWriter, r *http.Request, n int) {
		if n <= len(faults) {
			faults[n-1](w, r)
			return
		}
		ok(w, r)
	}
}

func rsAlways(f rsFault) func(http.ResponseWriter, *http.Request, int) {
	return func(w http.ResponseWriter, r *http.Request, _ int) { f(w, r) }
}

// rsCounter is an http.RoundTripper that counts attempts and records when
// each started, as the client sees it.
type rsCounter struct {
	base   http.RoundTripper
	mu     sync.Mutex
	starts []time.Time
}

func (c *rsCounter) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.starts = append(c.starts, time.Now())
	c.mu.Unlock()
	return c.base.RoundTrip(r)
}

func (c *rsCounter) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.starts)
}

func (c *rsCounter) times() []time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Time(nil), c.starts...)
}

// rsTransport is a private transport, so that no connection is shared with
// another test.
func rsTransport(t testing.TB) *http.Transport {
	tr := &http.Transport{MaxIdleConnsPerHost: 16, DisableCompression: true}
	t.Cleanup(tr.CloseIdleConnections)
	return tr
}

// rsClient returns a client for baseURL with pacing off and short backoff,
// whose attempts are counted; timeout, if not 0, bounds each attempt. opts
// come last and win.
func rsClient(t testing.TB, baseURL string, timeout time.Duration, opts ...coupang.Option) (*coupang.Client, *rsCounter) {
	t.Helper()
	rt := &rsCounter{base: rsTransport(t)}
	all := append([]coupang.Option{
		coupang.WithBaseURL(baseURL),
		coupang.WithHTTPClient(&http.Client{Transport: rt, Timeout: timeout}),
		coupang.WithRateLimit(0),
		coupang.WithBackoff(time.Millisecond, 20*time.Millisecond),
	}, opts...)
	c, err := coupang.NewClient(rsAccessKey, rsSecretKey, rsVendorID, all...)
	require.NoError(t, err)
	return c, rt
}

// rsWriteOp is one of the three writes, with what it must send.
type rsWriteOp struct {
	name, method, path, body string
	call                     func(context.Context, *coupang.Client) error
}

var rsWriteOps = []rsWriteOp{
	{
		name: "ConfirmReceipt", method: http.MethodPut, path: rsBase + "/40001/receiveConfirmation",
		body: `{"exchangeId":40001,"vendorId":"A00077777"}`,
		call: func(ctx context.Context, c *coupang.Client) error { return c.Exchanges.ConfirmReceipt(ctx, 40001) },
	},
	{
		name: "Reject", method: http.MethodPut, path: rsBase + "/40002/rejection",
		body: `{"exchangeId":40002,"vendorId":"A00077777","exchangeRejectCode":"SOLDOUT"}`,
		call: func(ctx context.Context, c *coupang.Client) error {
			return c.Exchanges.Reject(ctx, 40002, coupang.RejectSoldOut)
		},
	},
	{
		name: "UploadInvoices", method: http.MethodPost, path: rsBase + "/40003/invoices",
		body: `[{"exchangeId":40003,"vendorId":"A00077777","shipmentBoxId":100000000000000123,"goodsDeliveryCode":"CJGLS","invoiceNumber":"123456789012"}]`,
		call: func(ctx context.Context, c *coupang.Client) error {
			return c.Exchanges.UploadInvoices(ctx, 40003, []coupang.ExchangeInvoice{
				{ShipmentBoxID: 100000000000000123, GoodsDeliveryCode: coupang.CourierCJ, InvoiceNumber: "123456789012"},
			})
		},
	},
}

// rsList is List as a call of the same shape as the writes.
func rsList(ctx context.Context, c *coupang.Client) error {
	_, err := c.Exchanges.List(ctx, rsListOpts())
	return err
}

// rsFailure describes the error expected once retries are exhausted: an
// *APIError with status and message, or a *RequestError when status is 0.
type rsFailure struct {
	status  int
	message string
}

func (want rsFailure) check(t *testing.T, err error, attempts int, outcomeUnknown bool) {
	t.Helper()
	require.Error(t, err)
	assert.Equal(t, outcomeUnknown, errors.Is(err, coupang.ErrOutcomeUnknown), "errors.Is(err, ErrOutcomeUnknown): %v", err)
	if want.status != 0 {
		var apiErr *coupang.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, want.status, apiErr.StatusCode)
		assert.Equal(t, want.message, apiErr.Message)
		assert.Equal(t, attempts, apiErr.Attempts)
		assert.Equal(t, outcomeUnknown, apiErr.OutcomeUnknown)
		return
	}
	var reqErr *coupang.RequestError
	require.ErrorAs(t, err, &reqErr)
	assert.Equal(t, attempts, reqErr.Attempts)
	assert.Equal(t, outcomeUnknown, reqErr.OutcomeUnknown)
}

// rsTransient are the faults after which a GET is retried.
var rsTransient = []struct {
	name    string
	fault   rsFault
	timeout time.Duration // the client's per-attempt timeout, when it matters
	want    rsFailure
}{
	{name: "429", fault: rsStatus(429, `{"code":"ERROR","message":"Too many requests"}`), want: rsFailure{429, "Too many requests"}},
	{name: "500", fault: rsStatus(500, `{"code":"ERROR","message":"Internal Server Error","transactionId":"tx-500"}`), want: rsFailure{500, "Internal Server Error"}},
	{name: "502 HTML", fault: rsHTML(502, "502 Bad Gateway"), want: rsFailure{502, "502 Bad Gateway"}},
	{name: "503 HTML", fault: rsHTML(503, "Service Unavailable - Zero size object"), want: rsFailure{503, "Service Unavailable - Zero size object"}},
	{name: "504", fault: rsStatus(504, `{"code":"504","message":"Gateway Timeout"}`), want: rsFailure{504, "Gateway Timeout"}},
	{name: "connection reset before a response", fault: rsDrop(true)},
	{name: "EOF before a response", fault: rsDrop(false)},
	{name: "body shorter than its Content-Length", fault: rsShortBody(rsPage("", "tx", 1001, 1002))},
	{name: "body cut by a closed connection", fault: rsCutBody(rsPage("", "tx", 1001, 1002))},
	{name: "200 with an HTML body", fault: rsHTML(200, "Access Denied")},
	{name: "client timeout", fault: rsHang, timeout: 500 * time.Millisecond},
}

func TestGETRetriesTransientFaults(t *testing.T) {
	t.Parallel()
	for _, tc := range rsTransient {
		t.Run(tc.name+"/then success", func(t *testing.T) {
			t.Parallel()
			srv := rsNewServer(t, rsScript(rsStatus(200, rsPage("", "tx-ok", 1001, 1002)), tc.fault, tc.fault))
			c, rt := rsClient(t, srv.URL, tc.timeout)

			page, err := c.Exchanges.List(context.Background(), rsListOpts())
			require.NoError(t, err)
			assert.Equal(t, []int64{1001, 1002}, rsIDs(page.Items))
			assert.Equal(t, "tx-ok", page.TransactionID)
			assert.Equal(t, 3, srv.count(), "requests that reached the server")
			assert.Equal(t, 3, rt.count(), "attempts")
		})
		t.Run(tc.name+"/exhausted", func(t *testing.T) {
			t.Parallel()
			srv := rsNewServer(t, rsAlways(tc.fault))
			c, rt := rsClient(t, srv.URL, tc.timeout, coupang.WithMaxRetries(2))

			page, err := c.Exchanges.List(context.Background(), rsListOpts())
			assert.Nil(t, page)
			tc.want.check(t, err, 3, false)
			assert.Equal(t, 3, srv.count())
			assert.Equal(t, 3, rt.count())
		})
	}
}

// TestRetryDecodesIntoAFreshPage: what a failed attempt decoded before it
// broke off must not leak into the retried answer (a stale nextToken would
// send All to a page that does not exist). json.Decoder reads a whole value
// before it fills anything, so today this guards the reset in send against a
// switch to a streaming decoder.
func TestRetryDecodesIntoAFreshPage(t *testing.T) {
	t.Parallel()
	first := `{"nextToken":"stale-token","transactionId":"tx-stale","code":200,"data":[` + rsExchange(1001, rsT0) + `,` + rsExchange(1002, rsT0) + `]}`
	second := `{"code":200,"message":"OK","data":[` + rsExchange(1003, rsT0) + `]}`
	srv := rsNewServer(t, rsScript(rsStatus(200, second), rsShortBody(first)))
	c, _ := rsClient(t, srv.URL, 0)

	page, err := c.Exchanges.List(context.Background(), rsListOpts())
	require.NoError(t, err)
	assert.Equal(t, []int64{1003}, rsIDs(page.Items))
	assert.Empty(t, page.NextToken)
	assert.Empty(t, page.TransactionID)
	assert.Equal(t, 2, srv.count())
}

func TestRetriesDisabled(t *testing.T) {
	t.Parallel()
	srv := rsNewServer(t, rsAlways(rsHTML(503, "Service Unavailable")))
	c, _ := rsClient(t, srv.URL, 0, coupang.WithMaxRetries(0))
	err := rsList(context.Background(), c)
	rsFailure{503, "Service Unavailable"}.check(t, err, 1, false)
	assert.Equal(t, 1, srv.count())
}

// TestWritesRetriedOn429WithIdenticalBodies: with WithRetryWritesOn429(true)
// a write answered 429 is sent again, byte for byte.
func TestWritesRetriedOn429WithIdenticalBodies(t *testing.T) {
	t.Parallel()
	optIn := coupang.WithRetryWritesOn429(true)
	for _, op := range rsWriteOps {
		t.Run(op.name, func(t *testing.T) {
			t.Parallel()
			tooMany := rsStatus(429, `{"code":"ERROR","message":"Too many requests"}`)
			srv := rsNewServer(t, rsScript(rsStatus(200, rsWriteOK), tooMany, tooMany))
			c, _ := rsClient(t, srv.URL, 0, optIn)

			require.NoError(t, op.call(context.Background(), c))
			reqs := srv.requests()
			require.Len(t, reqs, 3)
			for i, r := range reqs {
				assert.Equal(t, op.method, r.Method, "attempt %d", i+1)
				assert.Equal(t, op.path, r.Path, "attempt %d", i+1)
				assert.JSONEq(t, op.body, string(r.Body), "attempt %d", i+1)
				assert.Equal(t, reqs[0].Body, r.Body, "attempt %d replays the body byte for byte", i+1)
			}
		})
		t.Run(op.name+"/429 exhausted", func(t *testing.T) {
			t.Parallel()
			srv := rsNewServer(t, rsAlways(rsStatus(429, `{"code":"ERROR","message":"Too many requests"}`)))
			c, _ := rsClient(t, srv.URL, 0, coupang.WithMaxRetries(2), optIn)
			err := op.call(context.Background(), c)
			rsFailure{429, "Too many requests"}.check(t, err, 3, false)
			assert.ErrorIs(t, err, coupang.ErrRateLimited)
			assert.Equal(t, 3, srv.count())
		})
	}
}

// TestWritesNotRetriedOnceSent: a write that reached the server and then
// failed may have been applied, so it is sent exactly once and reported as
// ErrOutcomeUnknown.
func TestWritesNotRetriedOnceSent(t *testing.T) {
	t.Parallel()
	faults := []struct {
		name    string
		fault   rsFault
		timeout time.Duration
		want    rsFailure
	}{
		{name: "500", fault: rsStatus(500, `{"code":"ERROR","message":"Internal Server Error"}`), want: rsFailure{500, "Internal Server Error"}},
		{name: "502 HTML", fault: rsHTML(502, "502 Bad Gateway"), want: rsFailure{502, "502 Bad Gateway"}},
		{name: "503 HTML", fault: rsHTML(503, "Service Unavailable"), want: rsFailure{503, "Service Unavailable"}},
		{name: "504", fault: rsStatus(504, `{"code":"504","message":"Gateway Timeout"}`), want: rsFailure{504, "Gateway Timeout"}},
		{name: "connection dropped after the request was read", fault: rsDrop(false)},
		{name: "connection reset after the request was read", fault: rsDrop(true)},
		{name: "timeout after the request was written", fault: rsHang, timeout: 300 * time.Millisecond},
		{name: "success body cut short", fault: rsShortBody(rsWriteOK)},
		{name: "success body unreadable", fault: rsHTML(200, "Access Denied")},
	}
	for _, op := range rsWriteOps {
		for _, tc := range faults {
			t.Run(op.name+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				srv := rsNewServer(t, rsAlways(tc.fault))
				c, rt := rsClient(t, srv.URL, tc.timeout)

				err := op.call(context.Background(), c)
				tc.want.check(t, err, 1, true)
				assert.Equal(t, 1, srv.count(), "the write must reach the server exactly once")
				assert.Equal(t, 1, rt.count())
			})
		}
	}
}

// rsClosedPort returns a loopback address on which nothing listens.
func rsClosedPort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}

// TestRetriedWhenNoConnection: a request that could not even be sent is
// retried, writes included.
func TestRetriedWhenNoConnection(t *testing.T) {
	t.Parallel()
	calls := append([]rsWriteOp{{name: "List", call: rsList}}, rsWriteOps...)
	for _, op := range calls {
		t.Run(op.name+"/refused every time", func(t *testing.T) {
			t.Parallel()
			c, rt := rsClient(t, "http://"+rsClosedPort(t), 0)
			err := op.call(context.Background(), c)
			rsFailure{}.check(t, err, coupang.DefaultMaxRetries+1, false)
			assert.ErrorIs(t, err, syscall.ECONNREFUSED)
			assert.Equal(t, coupang.DefaultMaxRetries+1, rt.count(), "attempts")
		})
		t.Run(op.name+"/refused twice", func(t *testing.T) {
			t.Parallel()
			srv := rsNewServer(t, rsAlways(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodGet {
					rsStatus(200, rsPage("", "tx", 1001))(w, r)
					return
				}
				rsStatus(200, rsWriteOK)(w, r)
			}))
			var dials atomic.Int32
			tr := rsTransport(t)
			tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
				if dials.Add(1) <= 2 {
					return nil, &net.OpError{Op: "dial", Net: network, Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
				}
				return (&net.Dialer{}).DialContext(ctx, network, addr)
			}
			rt := &rsCounter{base: tr}
			c, _ := rsClient(t, srv.URL, 0, coupang.WithHTTPClient(&http.Client{Transport: rt}))

			require.NoError(t, op.call(context.Background(), c))
			assert.Equal(t, 3, rt.count(), "attempts")
			assert.Equal(t, int32(3), dials.Load())
			assert.Equal(t, 1, srv.count(), "requests that reached the server")
		})
	}
}

func TestNotRetriedOnClientErrors(t *testing.T) {
	t.Parallel()
	statuses := []struct {
		name  string
		fault rsFault
		want  rsFailure
		is    error
	}{
		{"400", rsStatus(400, `{"code":400,"message":"exchangeId is invalid"}`), rsFailure{400, "exchangeId is invalid"}, nil},
		{"401", rsStatus(401, `{"code":"ERROR","message":"Invalid signature."}`), rsFailure{401, "Invalid signature."}, coupang.ErrUnauthorized},
		{"403 HTML", rsHTML(403, "Access Denied"), rsFailure{403, "Access Denied"}, coupang.ErrForbidden},
		{"404", rsStatus(404, `{"code":404,"message":"Not Found"}`), rsFailure{404, "Not Found"}, coupang.ErrNotFound},
		{"302 from the CDN", rsStatus(302, "", "Location", "/blocked?reason=ip"), rsFailure{302, ""}, coupang.ErrForbidden},
	}
	calls := append([]rsWriteOp{{name: "List", call: rsList}}, rsWriteOps...)
	for _, op := range calls {
		for _, tc := range statuses {
			t.Run(op.name+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				srv := rsNewServer(t, rsAlways(tc.fault))
				c, _ := rsClient(t, srv.URL, 0)
				err := op.call(context.Background(), c)
				tc.want.check(t, err, 1, false)
				if tc.is != nil {
					assert.ErrorIs(t, err, tc.is)
				}
				assert.Equal(t, 1, srv.count(), "exactly one request, and no redirect followed")
			})
		}
	}
}

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	tooMany := func(after string) rsFault {
		return rsStatus(429, `{"code":"ERROR","message":"Too many requests"}`, "Retry-After", after)
	}
	t.Run("seconds", func(t *testing.T) {
		t.Parallel()
		srv := rsNewServer(t, rsScript(rsStatus(200, rsPage("", "tx", 1001)), tooMany("1")))
		c, _ := rsClient(t, srv.URL, 0, coupang.WithBackoff(time.Millisecond, 5*time.Second))
		require.NoError(t, rsList(context.Background(), c))
		assert.Equal(t, 2, srv.count())
	})
	t.Run("HTTP date in the past", func(t *testing.T) {
		t.Parallel()
		past := time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat)
		srv := rsNewServer(t, rsScript(rsStatus(200, rsPage("", "tx", 1001)), tooMany(past)))
		// Not no wait at all (retryafter_internal_test.go): the minimum
		// backoff, never its maximum.
		c, _ := rsClient(t, srv.URL, 0, coupang.WithBackoff(time.Millisecond, time.Hour))
		require.NoError(t, rsList(context.Background(), c), "a date in the past means the minimum wait, whatever the maximum")
		assert.Equal(t, 2, srv.count())
	})
	longer := []struct {
		name, header string
		min, max     time.Duration
	}{
		{"seconds", "120", 120 * time.Second, 120 * time.Second},
		{"HTTP date", time.Now().Add(2 * time.Hour).UTC().Format(http.TimeFormat), 110 * time.Minute, 2 * time.Hour},
	}
	calls := append([]rsWriteOp{{name: "List", call: rsList}}, rsWriteOps...)
	for _, op := range calls {
		for _, tc := range longer {
			t.Run(op.name+"/longer than the max backoff, "+tc.name, func(t *testing.T) {
				t.Parallel()
				srv := rsNewServer(t, rsAlways(tooMany(tc.header)))
				opts := []coupang.Option{coupang.WithBackoff(time.Millisecond, time.Minute)}
				if op.method != "" {
					// A write is retried on a 429 only when opted in.
					opts = append(opts, coupang.WithRetryWritesOn429(true))
				}
				c, _ := rsClient(t, srv.URL, 0, opts...)
				err := op.call(context.Background(), c)
				rsFailure{429, "Too many requests"}.check(t, err, 1, false)
				var apiErr *coupang.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.GreaterOrEqual(t, apiErr.RetryAfter, tc.min)
				assert.LessOrEqual(t, apiErr.RetryAfter, tc.max)
				assert.Equal(t, 1, srv.count(), "no retry when the server asks for more than the max backoff")
			})
		}
	}
}

// rsSignalHandler is a slog.Handler that reports each warning on a channel:
// the client logs its retry warning just before it starts to wait.
type rsSignalHandler struct{ warned chan struct{} }

func (h rsSignalHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h rsSignalHandler) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h rsSignalHandler) WithGroup(string) slog.Handler            { return h }
func (h rsSignalHandler) Handle(_ context.Context, r slog.Record) error {
	if r.Level >= slog.LevelWarn {
		select {
		case h.warned <- struct{}{}:
		default:
		}
	}
	return nil
}

func TestWaitForRetryEndsOnCancel(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		call  func(context.Context, *coupang.Client) error
		fault rsFault
		want  rsFailure
		opts  []coupang.Option
	}{
		{"List after 503", rsList, rsHTML(503, "Service Unavailable"), rsFailure{503, "Service Unavailable"}, nil},
		{"List after 429 with a long Retry-After", rsList,
			rsStatus(429, `{"code":"ERROR","message":"Too many requests"}`, "Retry-After", "3600"), rsFailure{429, "Too many requests"}, nil},
		{"List after a dropped connection", rsList, rsDrop(false), rsFailure{}, nil},
		{"UploadInvoices after 429, retries opted in", rsWriteOps[2].call,
			rsStatus(429, `{"code":"ERROR","message":"Too many requests"}`), rsFailure{429, "Too many requests"},
			[]coupang.Option{coupang.WithRetryWritesOn429(true)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := rsNewServer(t, rsAlways(tc.fault))
			warned := make(chan struct{}, 1)
			c, rt := rsClient(t, srv.URL, 0, append([]coupang.Option{
				coupang.WithBackoff(time.Hour, 2*time.Hour),
				coupang.WithLogger(slog.New(rsSignalHandler{warned})),
			}, tc.opts...)...)

			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			go func() {
				<-warned // the client decided to retry and is about to wait an hour
				cancel()
			}()
			err := tc.call(ctx, c)
			require.ErrorIs(t, err, context.Canceled)
			tc.want.check(t, err, 1, false)
			assert.Equal(t, 1, srv.count(), "no request after the cancellation")
			assert.Equal(t, 1, rt.count())
		})
	}
}

func TestSlowServerPastDeadline(t *testing.T) {
	t.Parallel()
	calls := append([]rsWriteOp{{name: "List", call: rsList}}, rsWriteOps...)
	for _, op := range calls {
		t.Run(op.name, func(t *testing.T) {
			t.Parallel()
			srv := rsNewServer(t, rsAlways(rsHang))
			c, rt := rsClient(t, srv.URL, 0)
			ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
			defer cancel()

			err := op.call(ctx, c)
			require.ErrorIs(t, err, context.DeadlineExceeded)
			var reqErr *coupang.RequestError
			require.ErrorAs(t, err, &reqErr)
			isWrite := op.method != ""
			assert.Equal(t, isWrite, errors.Is(err, coupang.ErrOutcomeUnknown),
				"a write cut off by the deadline may have been applied; a GET has no outcome to know")
			assert.Equal(t, 1, srv.count(), "never retried once the context ended")
			assert.Equal(t, 1, rt.count())
		})
	}
}

// TestCancelledBeforeSending: a call whose context has already ended sends
// nothing, and says so: no unknown outcome.
func TestCancelledBeforeSending(t *testing.T) {
	t.Parallel()
	calls := append([]rsWriteOp{{name: "List", call: rsList}}, rsWriteOps...)
	for _, op := range calls {
		t.Run(op.name, func(t *testing.T) {
			t.Parallel()
			srv := rsNewServer(t, rsAlways(rsStatus(200, rsWriteOK)))
			c, rt := rsClient(t, srv.URL, 0)
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			err := op.call(ctx, c)
			require.ErrorIs(t, err, context.Canceled)
			assert.NotErrorIs(t, err, coupang.ErrOutcomeUnknown)
			assert.Equal(t, 0, rt.count())
			assert.Equal(t, 0, srv.count())
		})
	}
}

// TestRateLimitWaitCountsAgainstContext: a call that would have to wait for
// the limiter past its deadline fails at once, and sends nothing.
func TestRateLimitWaitCountsAgainstContext(t *testing.T) {
	t.Parallel()
	t.Run("deadline", func(t *testing.T) {
		t.Parallel()
		srv := rsNewServer(t, rsAlways(rsStatus(200, rsPage("", "tx", 1001))))
		c, _ := rsClient(t, srv.URL, 0, coupang.WithRateLimit(coupang.MinRateLimit)) // one request a minute
		require.NoError(t, rsList(context.Background(), c), "the first request goes at once")

		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		err := rsList(ctx, c)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		assert.NoError(t, ctx.Err(), "the limiter gave up without waiting for the deadline")
		assert.Equal(t, 1, srv.count(), "nothing sent by the call that could not get a slot")
	})
	t.Run("cancel", func(t *testing.T) {
		t.Parallel()
		srv := rsNewServer(t, rsAlways(rsStatus(200, rsPage("", "tx", 1001))))
		c, _ := rsClient(t, srv.URL, 0, coupang.WithRateLimit(coupang.MinRateLimit))
		require.NoError(t, rsList(context.Background(), c))

		ctx, cancel := context.WithCancel(context.Background())
		go func() {
			time.Sleep(20 * time.Millisecond) // most likely inside the wait by then; either way it must end
			cancel()
		}()
		err := rsList(ctx, c)
		require.ErrorIs(t, err, context.Canceled)
		assert.Equal(t, 1, srv.count())
	})
	t.Run("custom limiter", func(t *testing.T) {
		t.Parallel()
		srv := rsNewServer(t, rsAlways(rsStatus(200, rsPage("", "tx", 1001))))
		l := &rsBlockingLimiter{entered: make(chan struct{}, 1)}
		c, _ := rsClient(t, srv.URL, 0, coupang.WithLimiter(l))
		ctx, cancel := context.WithCancel(context.Background())
		go func() {
			<-l.entered
			cancel()
		}()
		err := rsList(ctx, c)
		require.ErrorIs(t, err, context.Canceled)
		assert.Equal(t, 0, srv.count())
	})
}

// rsBlockingLimiter never grants a slot: it waits for the context.
type rsBlockingLimiter struct{ entered chan struct{} }

func (l *rsBlockingLimiter) Wait(ctx context.Context) error {
	l.entered <- struct{}{}
	<-ctx.Done()
	return ctx.Err()
}

// rsCountingLimiter grants every slot and counts the calls.
type rsCountingLimiter struct {
	n   atomic.Int32
	err error
}

func (l *rsCountingLimiter) Wait(ctx context.Context) error {
	l.n.Add(1)
	return l.err
}

func TestLimiterCalledPerAttempt(t *testing.T) {
	t.Parallel()
	t.Run("List with retries", func(t *testing.T) {
		t.Parallel()
		srv := rsNewServer(t, rsScript(rsStatus(200, rsPage("", "tx", 1001)), rsDrop(false), rsHTML(503, "Busy")))
		l := &rsCountingLimiter{}
		c, _ := rsClient(t, srv.URL, 0, coupang.WithLimiter(l))
		require.NoError(t, rsList(context.Background(), c))
		assert.Equal(t, int32(3), l.n.Load(), "one Wait per attempt, retries included")
		assert.Equal(t, 3, srv.count())
	})
	t.Run("write with 429, retries opted in", func(t *testing.T) {
		t.Parallel()
		srv := rsNewServer(t, rsScript(rsStatus(200, rsWriteOK), rsStatus(429, `{"code":"ERROR","message":"slow down"}`)))
		l := &rsCountingLimiter{}
		c, _ := rsClient(t, srv.URL, 0, coupang.WithLimiter(l), coupang.WithRetryWritesOn429(true))
		require.NoError(t, rsWriteOps[0].call(context.Background(), c))
		assert.Equal(t, int32(2), l.n.Load())
	})
	t.Run("limiter error", func(t *testing.T) {
		t.Parallel()
		srv := rsNewServer(t, rsAlways(rsStatus(200, rsPage("", "tx", 1001))))
		down := errors.New("shared limiter unreachable")
		l := &rsCountingLimiter{err: down}
		c, _ := rsClient(t, srv.URL, 0, coupang.WithLimiter(l))
		err := rsList(context.Background(), c)
		require.ErrorIs(t, err, down)
		assert.Equal(t, int32(1), l.n.Load())
		assert.Equal(t, 0, srv.count(), "nothing sent without a slot")
	})
	t.Run("WithLimiter overrides WithRateLimit", func(t *testing.T) {
		t.Parallel()
		srv := rsNewServer(t, rsAlways(rsStatus(200, rsPage("", "tx", 1001))))
		l := &rsCountingLimiter{}
		c, _ := rsClient(t, srv.URL, 0, coupang.WithRateLimit(coupang.MinRateLimit), coupang.WithLimiter(l))
		for i := 0; i < 3; i++ {
			require.NoError(t, rsList(context.Background(), c), "a one-a-minute pacer would block the second call")
		}
		assert.Equal(t, int32(3), l.n.Load())
	})
}

// rsMaxPerSecond is the largest number of times that fall within any
// half-open window of one second.
func rsMaxPerSecond(ts []time.Time) int {
	ts = append([]time.Time(nil), ts...)
	sort.Slice(ts, func(i, j int) bool { return ts[i].Before(ts[j]) })
	best, j := 0, 0
	for i := range ts {
		for ts[i].Sub(ts[j]) >= time.Second {
			j++
		}
		best = max(best, i-j+1)
	}
	return best
}

func TestMaxPerSecond(t *testing.T) {
	t.Parallel()
	at := func(ms ...int) []time.Time {
		ts := make([]time.Time, len(ms))
		for i, m := range ms {
			ts[i] = rsT0.Add(time.Duration(m) * time.Millisecond)
		}
		return ts
	}
	assert.Equal(t, 0, rsMaxPerSecond(nil))
	assert.Equal(t, 5, rsMaxPerSecond(at(0, 200, 400, 600, 800, 1000, 1200)))
	assert.Equal(t, 6, rsMaxPerSecond(at(0, 200, 400, 600, 800, 999)))
	assert.Equal(t, 3, rsMaxPerSecond(at(2000, 0, 1999, 1000, 1001)))
}

// TestRateLimitSharedByGoroutines: goroutines sharing a client share its
// budget: no second holds more than the budget's requests.
//
// Not parallel: it measures when attempts start, and other tests' load would
// only add scheduling noise.
func TestRateLimitSharedByGoroutines(t *testing.T) {
	const perSecond, workers, each = 20, 8, 6
	srv := rsNewServer(t, rsAlways(rsStatus(200, rsPage("", "tx", 1001))))
	c, rt := rsClient(t, srv.URL, 0, coupang.WithRateLimit(perSecond))

	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				errs <- rsList(context.Background(), c)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	require.Equal(t, workers*each, rt.count())
	starts := rt.times()
	assert.LessOrEqual(t, rsMaxPerSecond(starts), perSecond, "attempts started within one second")
	// Arrivals at the server add the loopback's jitter; they are logged, not
	// asserted (under load, 21 arrivals have been seen within 995 ms even
	// though their starts were more than a second apart).
	arrivals := make([]time.Time, 0, workers*each)
	for _, r := range srv.requests() {
		arrivals = append(arrivals, r.At)
	}
	t.Logf("shortest span of %d consecutive requests: %v at the client, %v at the server",
		perSecond+1, rsMinSpan(starts, perSecond), rsMinSpan(arrivals, perSecond))
}

// rsMinSpan is the shortest time taken by n+1 consecutive times.
func rsMinSpan(ts []time.Time, n int) time.Duration {
	ts = append([]time.Time(nil), ts...)
	sort.Slice(ts, func(i, j int) bool { return ts[i].Before(ts[j]) })
	shortest := time.Duration(-1)
	for i := 0; i+n < len(ts); i++ {
		if d := ts[i+n].Sub(ts[i]); shortest < 0 || d < shortest {
			shortest = d
		}
	}
	return shortest
}

// TestAllThroughFaults: All yields every record exactly once and in order
// while the server throws every kind of fault at it, in three windows of
// several pages each.
func TestAllThroughFaults(t *testing.T) {
	t.Parallel()
	const windows, pages, perPage = 3, 3, 4
	from := rsT0
	to := from.Add(windows * coupang.MaxListWindow)
	edgeID := int64(999) // created exactly on the edge between windows 0 and 1
	edge := from.Add(coupang.MaxListWindow)

	// page returns the records of one page of one window.
	page := func(w, p int) []string {
		var items []string
		if w == 1 && p == 0 {
			items = append(items, rsExchange(edgeID, edge)) // sent again by the next window
		}
		for i := 0; i < perPage; i++ {
			id := int64(w*100 + p*10 + i + 1)
			items = append(items, rsExchange(id, from.Add(time.Duration(w)*coupang.MaxListWindow+time.Duration(p*perPage+i+1)*time.Hour)))
		}
		if w == 0 && p == pages-1 {
			items = append(items, rsExchange(edgeID, edge))
		}
		return items
	}
	var want []int64
	for w := 0; w < windows; w++ {
		for p := 0; p < pages; p++ {
			for i := 0; i < perPage; i++ {
				want = append(want, int64(w*100+p*10+i+1))
			}
			if w == 0 && p == pages-1 {
				want = append(want, edgeID)
			}
		}
	}

	type key struct{ w, p int }
	body := func(w, p int) string {
		next := ""
		if p < pages-1 {
			next = fmt.Sprintf("w%dp%d", w, p+1)
		}
		return fmt.Sprintf(`{"code":200,"message":"OK","transactionId":"tx-%d-%d","data":[%s],"nextToken":%q}`,
			w, p, strings.Join(page(w, p), ","), next)
	}
	faults := map[key]rsFault{
		{0, 1}: rsStatus(429, `{"code":"ERROR","message":"Too many requests"}`, "Retry-After", "0"),
		{0, 2}: rsDrop(true),
		{1, 0}: rsHTML(503, "Service Unavailable"),
		{1, 2}: rsDrop(false),
		{2, 0}: rsStatus(504, `{"code":"504","message":"Gateway Timeout"}`),
		{2, 1}: rsShortBody(body(2, 1)),
		{2, 2}: rsCutBody(body(2, 2)),
	}
	var mu sync.Mutex
	fired := map[key]bool{}
	srv := rsNewServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		q := r.URL.Query()
		start, err := time.ParseInLocation("2006-01-02T15:04:05", q.Get("createdAtFrom"), coupang.KoreaLocation())
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		k := key{w: int(start.Sub(from) / coupang.MaxListWindow)}
		if tok := q.Get("nextToken"); tok != "" {
			if _, err := fmt.Sscanf(tok, "w%dp%d", new(int), &k.p); err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
		}
		mu.Lock()
		f, inject := faults[k]
		inject = inject && !fired[k]
		fired[k] = true
		mu.Unlock()
		if inject {
			f(w, r)
			return
		}
		rsStatus(200, body(k.w, k.p))(w, r)
	})
	c, _ := rsClient(t, srv.URL, 0)

	var got []int64
	for ex, err := range c.Exchanges.All(context.Background(), coupang.ExchangeListOptions{CreatedAtFrom: from, CreatedAtTo: to}, coupang.WithListConcurrency(1)) {
		require.NoError(t, err)
		got = append(got, ex.ExchangeID)
	}
	assert.Equal(t, want, got, "every record once, in order")
	assert.Equal(t, windows*pages+len(faults), srv.count(), "one request per page plus one per fault")
	for k := range faults {
		assert.True(t, fired[k], "fault at window %d page %d was injected", k.w, k.p)
	}
}

// TestWritesExactlyOnceUnderFaults: many writes at once through a server
// that applies each and then fails in every way; each must be applied
// exactly once, and each failure after the fact must say so.
func TestWritesExactlyOnceUnderFaults(t *testing.T) {
	t.Parallel()
	const n = 36
	var mu sync.Mutex
	applied := map[int64]int{}
	tooManyOnce := map[int64]bool{}
	srv := rsNewServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		var body struct{ ExchangeID int64 }
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		id := body.ExchangeID
		mu.Lock()
		if id%6 == 1 && !tooManyOnce[id] { // turned away before being processed, which the client cannot know
			tooManyOnce[id] = true
			mu.Unlock()
			rsStatus(429, `{"code":"ERROR","message":"Too many requests"}`)(w, r)
			return
		}
		applied[id]++
		mu.Unlock()
		switch id % 6 {
		case 0, 1:
			rsStatus(200, rsWriteOK)(w, r)
		case 2:
			rsStatus(500, `{"code":"ERROR","message":"Internal Server Error"}`)(w, r)
		case 3:
			rsHang(w, r)
		case 4:
			rsDrop(false)(w, r)
		case 5:
			rsHTML(503, "Service Unavailable")(w, r)
		}
	})
	// An attempt timeout long enough that every answer the server gives
	// reaches the client on a loaded machine; only the hanging ones run
	// into it.
	c, _ := rsClient(t, srv.URL, 2*time.Second)

	var wg sync.WaitGroup
	results := make([]error, n+1)
	for id := int64(1); id <= n; id++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[id] = c.Exchanges.ConfirmReceipt(context.Background(), id)
		}()
	}
	wg.Wait()
	// Every handler has returned (the hanging ones when their client gave
	// up) before the counts are read, under their lock.
	srv.Close()
	mu.Lock()
	defer mu.Unlock()
	for id := int64(1); id <= n; id++ {
		switch id % 6 {
		case 0:
			assert.Equal(t, 1, applied[id], "exchange %d applied exactly once", id)
			assert.NoError(t, results[id], "exchange %d", id)
		case 1:
			assert.Equal(t, 0, applied[id], "exchange %d: a 429 is not followed by a resend", id)
			assert.ErrorIs(t, results[id], coupang.ErrOutcomeUnknown, "exchange %d", id)
			assert.ErrorIs(t, results[id], coupang.ErrRateLimited, "exchange %d", id)
		default:
			assert.Equal(t, 1, applied[id], "exchange %d applied exactly once", id)
			assert.ErrorIs(t, results[id], coupang.ErrOutcomeUnknown, "exchange %d", id)
		}
	}
}

// rsLogRecord is one JSON log line.
type rsLogRecord map[string]any

func rsLogs(t *testing.T, buf *bytes.Buffer) (debug, warn []rsLogRecord) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(buf.Bytes()))
	for dec.More() {
		var r rsLogRecord
		require.NoError(t, dec.Decode(&r))
		switch r["level"] {
		case "DEBUG":
			debug = append(debug, r)
		case "WARN":
			warn = append(warn, r)
		}
	}
	return debug, warn
}

// rsLockedBuffer is a bytes.Buffer safe for the handler's concurrent writes.
type rsLockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *rsLockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func TestLogging(t *testing.T) {
	t.Parallel()
	type attempt struct {
		status int
		txID   string // "" when the server sent none
		err    bool
	}
	cases := []struct {
		name     string
		call     func(context.Context, *coupang.Client) error
		script   func(http.ResponseWriter, *http.Request, int)
		path     string
		method   string
		attempts []attempt
		reasons  []string // of the retry warnings
	}{
		{
			name: "List through a dropped connection, 503 and 429",
			call: rsList,
			// The drop comes first: on a reused connection Go's transport
			// would replay the GET itself, unseen by the client.
			script: rsScript(rsStatus(200, rsPage("", "tx-page-ok", 1001, 1002)),
				rsDrop(false),
				rsHTML(503, "Service Unavailable"),
				rsStatus(429, `{"code":"ERROR","message":"Too many requests","transactionId":"tx-429"}`, "Retry-After", "0"),
			),
			method: http.MethodGet, path: rsBase,
			attempts: []attempt{{0, "", true}, {503, "", false}, {429, "tx-429", false}, {200, "tx-page-ok", false}},
			reasons:  []string{"transport error", "503", "429"},
		},
		{
			name: "List with a body cut short",
			call: rsList,
			script: rsScript(rsStatus(200, rsPage("", "tx-page-ok", 1001)),
				rsShortBody(rsPage("", "tx-cut", 1001, 1002))),
			method: http.MethodGet, path: rsBase,
			attempts: []attempt{{200, "", true}, {200, "tx-page-ok", false}},
			reasons:  []string{"body"},
		},
		{
			name:     "UploadInvoices answered 500 with personal data in the message",
			call:     rsWriteOps[2].call,
			script:   rsAlways(rsStatus(500, `{"code":"ERROR","message":"주소 `+rsPIIAddress+` 수취인 `+rsPIIName+` `+rsPIIPhone+` 확인 필요","transactionId":"tx-500"}`)),
			method:   http.MethodPost,
			path:     rsBase + "/40003/invoices",
			attempts: []attempt{{500, "tx-500", false}},
		},
		{
			name:   "Reject with a business failure",
			call:   rsWriteOps[1].call,
			script: rsAlways(rsStatus(200, `{"code":"200","message":"OK","transactionId":"tx-fail","data":{"resultCode":"FAIL","resultMessage":"`+rsPIIName+` 님의 교환은 거부할 수 없습니다"}}`)),
			method: http.MethodPut, path: rsBase + "/40002/rejection",
			attempts: []attempt{{200, "tx-fail", false}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := rsNewServer(t, tc.script)
			buf := &rsLockedBuffer{}
			logger := slog.New(slog.NewJSONHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
			c, _ := rsClient(t, srv.URL, 0, coupang.WithLogger(logger))
			callErr := tc.call(context.Background(), c)

			debug, warn := rsLogs(t, &buf.buf)
			require.Len(t, debug, len(tc.attempts), "one debug record per attempt:\n%s", buf.buf.String())
			for i, want := range tc.attempts {
				r := debug[i]
				assert.Equal(t, tc.method, r["method"], "attempt %d", i+1)
				assert.Equal(t, tc.path, r["path"], "attempt %d", i+1)
				assert.EqualValues(t, want.status, r["status"], "attempt %d", i+1)
				assert.EqualValues(t, i+1, r["attempt"], "attempt %d", i+1)
				assert.Contains(t, r, "duration", "attempt %d", i+1)
				if want.txID != "" {
					assert.Equal(t, want.txID, r["transactionId"], "attempt %d", i+1)
				} else {
					assert.NotContains(t, r, "transactionId", "attempt %d", i+1)
				}
				assert.Equal(t, want.err, r["error"] != nil, "attempt %d: error attribute %v", i+1, r["error"])
			}
			require.Len(t, warn, len(tc.reasons), "one warning per retry:\n%s", buf.buf.String())
			for i, reason := range tc.reasons {
				assert.Contains(t, warn[i]["reason"], reason, "retry %d", i+1)
				assert.Contains(t, warn[i], "wait", "retry %d", i+1)
				assert.EqualValues(t, i+1, warn[i]["attempt"], "retry %d", i+1)
			}

			logged := buf.buf.String()
			secrets := []string{rsSecretKey, rsAccessKey, "Authorization", "authorization", "CEA algorithm", "signature=",
				rsPIIName, rsPIIPhone, rsPIIAddress, rsPIIDetail}
			for _, r := range srv.requests() {
				_, sig, _ := strings.Cut(r.Auth, "signature=")
				require.Len(t, sig, 64)
				secrets = append(secrets, sig)
				if r.Query != "" {
					secrets = append(secrets, r.Query, "createdAtFrom=")
				}
			}
			for _, s := range secrets {
				assert.False(t, strings.Contains(logged, s), "the log holds %q:\n%s", s, logged)
			}
			if callErr != nil {
				for _, s := range []string{rsSecretKey, "CEA algorithm"} {
					assert.NotContains(t, callErr.Error(), s)
				}
			}
		})
	}
}

func TestLoggerAtInfoGetsOnlyWarnings(t *testing.T) {
	t.Parallel()
	srv := rsNewServer(t, rsScript(rsStatus(200, rsPage("", "tx", 1001)), rsHTML(503, "Busy")))
	var buf bytes.Buffer
	c, _ := rsClient(t, srv.URL, 0, coupang.WithLogger(slog.New(slog.NewJSONHandler(&buf, nil))))
	require.NoError(t, rsList(context.Background(), c))
	debug, warn := rsLogs(t, &buf)
	assert.Empty(t, debug)
	assert.Len(t, warn, 1)
}

func TestWithHTTPClientLeavesCallersClientAlone(t *testing.T) {
	t.Parallel()
	var elsewhere atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/elsewhere", func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		rsStatus(200, rsPage("", "tx", 1001))(w, r)
	})
	mux.HandleFunc("/", rsStatus(302, "", "Location", "/elsewhere"))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	tr := rsTransport(t)
	hc := &http.Client{Transport: tr, Timeout: 7 * time.Second}
	c, err := coupang.NewClient(rsAccessKey, rsSecretKey, rsVendorID,
		coupang.WithBaseURL(srv.URL), coupang.WithHTTPClient(hc), coupang.WithRateLimit(0))
	require.NoError(t, err)

	err = rsList(context.Background(), c)
	rsFailure{302, ""}.check(t, err, 1, false)
	assert.ErrorIs(t, err, coupang.ErrForbidden)
	assert.Equal(t, int32(0), elsewhere.Load(), "the client never follows a redirect")

	assert.Nil(t, hc.CheckRedirect, "the caller's client is not modified")
	assert.Equal(t, 7*time.Second, hc.Timeout)
	assert.Same(t, tr, hc.Transport)
	resp, err := hc.Get(srv.URL + "/anything")
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, int32(1), elsewhere.Load(), "the caller's own client still follows redirects")
}

// TestConnectionsReused: sequential calls share one connection, whatever
// the answers were.
func TestConnectionsReused(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name        string
		script      func(http.ResponseWriter, *http.Request, int)
		defaultHTTP bool
		wantErr     bool
	}{
		{name: "success", script: rsAlways(rsStatus(200, rsPage("next-ignored", "tx", 1001, 1002, 1003)))},
		{name: "success, default HTTP client", script: rsAlways(rsStatus(200, rsPage("", "tx", 1001, 1002, 1003))), defaultHTTP: true},
		{name: "404 answers", script: rsAlways(rsStatus(404, `{"code":404,"message":"Not Found"}`)), wantErr: true},
		{name: "retried 503 HTML then success", script: func(w http.ResponseWriter, r *http.Request, n int) {
			if n%2 == 1 {
				rsHTML(503, "Service Unavailable")(w, r)
				return
			}
			rsStatus(200, rsPage("", "tx", 1001))(w, r)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var mu sync.Mutex
			var reqs int
			var newConns atomic.Int32
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				reqs++
				n := reqs
				mu.Unlock()
				tc.script(w, r, n)
			}))
			srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
				if s == http.StateNew {
					newConns.Add(1)
				}
			}
			srv.Start()
			defer srv.Close()

			var c *coupang.Client
			if tc.defaultHTTP {
				var err error
				c, err = coupang.NewClient(rsAccessKey, rsSecretKey, rsVendorID,
					coupang.WithBaseURL(srv.URL), coupang.WithRateLimit(0), coupang.WithBackoff(time.Millisecond, 20*time.Millisecond))
				require.NoError(t, err)
			} else {
				c, _ = rsClient(t, srv.URL, 0)
			}
			for i := 0; i < 10; i++ {
				err := rsList(context.Background(), c)
				assert.Equal(t, tc.wantErr, err != nil, "call %d: %v", i+1, err)
			}
			assert.Equal(t, int32(1), newConns.Load(), "connections opened for 10 sequential calls")
		})
	}
}

// rsOpaqueTransport stands for a RoundTripper that reports nothing to
// net/http/httptrace (an adapter over another HTTP stack, say): it delivers
// the request to the server out of band, then fails as a broken connection
// would. When dialFails, it fails instead before sending anything, with the
// error a failed dial gives.
type rsOpaqueTransport struct {
	dialFails bool
	calls     atomic.Int32
}

func (o *rsOpaqueTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	o.calls.Add(1)
	if o.dialFails {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	}
	out, err := http.NewRequestWithContext(context.Background(), r.Method, r.URL.String(), r.Body)
	if err != nil {
		return nil, err
	}
	resp, err := (&http.Client{Transport: &http.Transport{}}).Do(out)
	if err == nil {
		_ = resp.Body.Close()
	}
	return nil, errors.New("opaque transport: connection lost")
}

// TestWritesThroughOpaqueTransport: a write is retried only on proof that
// it was not sent; a transport that does not report to httptrace gives no
// such proof unless its error is a failed dial.
func TestWritesThroughOpaqueTransport(t *testing.T) {
	t.Parallel()
	for _, op := range rsWriteOps {
		t.Run(op.name+"/sent, then failed", func(t *testing.T) {
			t.Parallel()
			srv := rsNewServer(t, rsAlways(rsStatus(200, rsWriteOK)))
			rt := &rsOpaqueTransport{}
			c, _ := rsClient(t, srv.URL, 0, coupang.WithHTTPClient(&http.Client{Transport: rt}))
			err := op.call(context.Background(), c)
			rsFailure{}.check(t, err, 1, true)
			assert.Equal(t, 1, srv.count(), "the write reached the server exactly once")
			assert.Equal(t, int32(1), rt.calls.Load())
		})
		t.Run(op.name+"/dial failed", func(t *testing.T) {
			t.Parallel()
			rt := &rsOpaqueTransport{dialFails: true}
			c, _ := rsClient(t, "http://127.0.0.1:1", 0, coupang.WithHTTPClient(&http.Client{Transport: rt}))
			err := op.call(context.Background(), c)
			rsFailure{}.check(t, err, coupang.DefaultMaxRetries+1, false)
			assert.ErrorIs(t, err, syscall.ECONNREFUSED)
			assert.Equal(t, int32(coupang.DefaultMaxRetries+1), rt.calls.Load())
		})
	}
}
