package coupangtest

import (
	"crypto/sha256"
	"net"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/go-coupang/coupang"
)

// Default credentials of a Server. They are only ever valid against a
// sandbox; WithCredentials replaces them.
const (
	DefaultAccessKey = "coupangtest-access-key"
	DefaultSecretKey = "coupangtest-secret-key"
	DefaultVendorID  = "A00012345"
)

// DefaultExchanges is how many exchange requests a Server is seeded with
// unless WithExchanges says otherwise.
const DefaultExchanges = 40

// DefaultSeed is the seed of the generated data unless WithSeed says
// otherwise. The same seed gives the same exchange ids, statuses, orders and
// reasons on every run; timestamps are relative to the server's clock.
const DefaultSeed = 20240917

// addedOrderIDBase plus the exchange id is the order id AddExchange gives an
// exchange that has none: deterministic, and apart from the seeded orders.
const addedOrderIDBase = 40_000_000_000_000

// MaxSignatureSkew is how far a request's signed-date may be from the
// server's clock before the gateway answers "Specified signature is expired.".
const MaxSignatureSkew = 5 * time.Minute

// Server is an in-memory Coupang gateway serving the exchange-request and
// return endpoints (and a few order-sheet and inquiry ones; see the package
// documentation) over plain HTTP on 127.0.0.1. It checks signatures and list
// parameters as Coupang does, keeps a state machine of exchanges and of
// returns, and records every call so that tests can assert what their code
// did.
//
// All methods are safe for concurrent use, also while requests are served.
type Server struct {
	// URL is the base URL to pass to coupang.WithBaseURL, such as
	// "http://127.0.0.1:53117".
	URL string
	// AccessKey, SecretKey and VendorID are the credentials the server
	// accepts; pass them to coupang.NewClient.
	AccessKey, SecretKey, VendorID string

	ts       *httptest.Server
	cfg      config
	tokenKey []byte

	mu        sync.Mutex
	exchanges map[int64]*record
	// idx orders the exchanges for list calls (index.go).
	idx exchangeIndex
	// returns are the return requests (returns.go), withdrawals the
	// withdrawal history, nextReceipt the next free receipt id.
	returns   map[int64]*returnRecord
	returnIdx returnIndex
	// returnPageBySort, when set (by the tests), serves return lists the
	// way the sandbox did before the index: sorting every receipt per call.
	returnPageBySort func(returnQuery) ([]*returnRecord, bool)
	withdrawals      []coupang.ReturnWithdrawal
	nextReceipt      int64
	// returnLists counts return list answers, as lists does.
	returnLists int
	nextID      int64
	nextBox     int64
	calls       []Call
	applied     []Action
	failures    []failure
	latency     time.Duration
	// lists counts list answers; every other one uses Coupang's other
	// envelope spelling, so a client meets both in any run of two calls.
	lists int
	// incident, when set, changes every record a list call answers with.
	incident func(*coupang.ExchangeRequest)
	// bodied are the indexes in calls of the bodies kept, oldest first (at
	// most MaxRecordedBodies).
	bodied []int
	// orders holds the order sheets and inquiries (orders.go).
	orders orderState
}

// record is one exchange with the server-side state that Coupang keeps but
// does not show: the new shipment box that will appear after confirmation.
type record struct {
	ex coupang.ExchangeRequest
	// pendingBox is the new box id created by a confirmation, not visible
	// until boxAt (0 when none is pending).
	pendingBox int64
	boxAt      time.Time
	// hiddenUntil and scheduled are the record's timeline (timeline.go).
	hiddenUntil time.Time
	scheduled   []scheduledUpdate
	// idx is where the record sits in the index (index.go).
	idx indexSlot[coupang.ExchangeStatus]
}

type failure struct {
	status int
	// afterApply answers with status after processing the request normally,
	// the way a gateway timeout hides a write that went through.
	afterApply bool
	// drop processes the request normally and then closes the connection
	// without answering (status is unused).
	drop bool
}

// Call is one request the server received, in order of arrival. It never
// holds the Authorization header.
type Call struct {
	// Method is the HTTP method, such as GET or PUT.
	Method string
	// Path is the escaped path, from /v2/providers/… on.
	Path string
	// Query is the raw query string as sent, without "?".
	Query string
	// Body is the request body, kept only for an authenticated request
	// (a valid signature with the server's keys) and only for the last
	// MaxRecordedBodies of them; "" otherwise.
	Body string
	// Status is the HTTP status the server answered with: 0 when it
	// closed the connection without answering (DropNextAfterApplying), 499
	// when the client gave up while the server waited out its latency.
	Status int
}

// MaxRecordedBodies is how many request bodies Calls keeps: those of the
// most recent authenticated requests. A long-running sandbox (`coupang
// sandbox`) or a test that floods the server would otherwise hold every body
// it was sent, up to 1 MiB each, forever; unauthenticated requests, which
// anyone reaching the port can send, never keep theirs. The calls
// themselves (method, path, query, status) are all kept.
const MaxRecordedBodies = 100

// ActionKind names a change an Action applied.
type ActionKind string

// The changes a Server applies.
const (
	ActionConfirmReceipt ActionKind = "confirmReceipt"
	ActionReject         ActionKind = "reject"
	ActionUploadInvoice  ActionKind = "uploadInvoice"
	// ActionPickupInvoice is a pickup waybill (회수 송장 등록) registered for
	// an exchange (ExchangeID) or a return (ReceiptID).
	ActionPickupInvoice ActionKind = "pickupInvoice"
	// The actions on a return receipt (ReceiptID).
	ActionReturnConfirmReceipt ActionKind = "returnConfirmReceipt"
	ActionReturnApprove        ActionKind = "returnApprove"
	ActionReturnStopShipment   ActionKind = "returnStopShipment"
	ActionReturnMarkShipped    ActionKind = "returnMarkShipped"
)

// Action is one write that the server applied, for asserting that code
// confirmed, rejected or uploaded exactly what it should. Writes the server
// refused (a business failure, a 4xx, FailNext) are not actions; see Calls
// for those. A write applied and then answered with a failure or with no
// answer at all (FailNextAfterApplying, DropNextAfterApplying) is one: it
// took effect, which is what a test of exactly-once handling must count.
type Action struct {
	// Kind is what was done.
	Kind ActionKind
	// ExchangeID is the exchange it was done to (0 for a return).
	ExchangeID int64
	// ReceiptID is the return receipt it was done to (0 for an exchange).
	ReceiptID int64
	// CancelCount is the count of an ActionReturnApprove or
	// ActionReturnStopShipment.
	CancelCount int
	// Waybill is the courier and number of an ActionPickupInvoice or
	// ActionReturnMarkShipped.
	Waybill coupang.ReturnDelivery
	// RejectCode is the code of an ActionReject.
	RejectCode coupang.RejectCode
	// Invoice is the waybill of an ActionUploadInvoice.
	Invoice coupang.ExchangeInvoice
	// At is the server's clock when it was applied.
	At time.Time
}

type config struct {
	accessKey, secretKey, vendorID string
	clock                          func() time.Time
	boxDelay                       time.Duration
	seed                           uint64
	exchanges                      int
	returns                        int
	quickRefundDelay               time.Duration
	orderSheets                    int
	quirks                         bool
	listener                       net.Listener
}

// Option configures a Server.
type Option func(*config)

// WithClock sets the server's clock, which checks signed-dates, dates the
// seeded data and times the appearance of new shipment boxes. Tests use it
// to simulate clock skew ("Specified signature is expired.") or the passing
// of time. The default is time.Now.
//
// Clients sign with their own clock, so a server clock more than
// MaxSignatureSkew away from it makes every request "expired": derive a
// test clock from time.Now plus an offset that the test moves forward,
// rather than from a fixed date.
func WithClock(now func() time.Time) Option {
	return func(c *config) {
		if now != nil {
			c.clock = now
		}
	}
}

// WithBoxDelay sets how long after a receipt confirmation the new shipment
// box id appears in the exchange's deliveryInvoiceGroupDtos, measured on the
// server's clock. Coupang takes up to about 10 minutes; the default is 0, so
// that examples finish quickly. See also Server.CreatePendingBoxes.
func WithBoxDelay(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.boxDelay = d
		}
	}
}

// WithSeed sets the seed of the generated exchanges (default DefaultSeed).
func WithSeed(seed uint64) Option {
	return func(c *config) { c.seed = seed }
}

// WithExchanges sets how many exchanges the server is seeded with (default
// DefaultExchanges). 0 starts empty, for tests that add their own with
// AddExchange.
func WithExchanges(n int) Option {
	return func(c *config) { c.exchanges = max(n, 0) }
}

// WithCredentials replaces the keys and vendor id the server accepts.
func WithCredentials(accessKey, secretKey, vendorID string) Option {
	return func(c *config) {
		c.accessKey, c.secretKey, c.vendorID = accessKey, secretKey, vendorID
	}
}

// WithoutQuirks makes the server answer in the documented shape only: no
// numeric strings, epoch timestamps, Korean labels or unknown fields. By
// default it reproduces those quirks of Coupang's real answers so that a
// client's decoder is exercised.
func WithoutQuirks() Option {
	return func(c *config) { c.quirks = false }
}

// WithListener serves on l instead of a free port of 127.0.0.1: a sandbox
// that keeps running at a fixed address (such as `coupang sandbox` on
// 127.0.0.1:8089) listens with net.Listen("tcp", addr) and passes the
// listener here, so that a busy port is an error for the caller rather than
// a panic. The server closes l when it is closed.
func WithListener(l net.Listener) Option {
	return func(c *config) { c.listener = l }
}

// NewServer starts a sandbox on a free port of 127.0.0.1. Call Close when
// done, or use NewTestServer in tests.
func NewServer(opts ...Option) *Server {
	cfg := config{
		accessKey: DefaultAccessKey,
		secretKey: DefaultSecretKey,
		vendorID:  DefaultVendorID,
		clock:     time.Now,
		seed:      DefaultSeed,
		exchanges: DefaultExchanges,
		returns:   DefaultReturns,
		quirks:    true,

		orderSheets: DefaultOrderSheets,
	}
	for _, opt := range opts {
		if opt != nil {
			opt(&cfg)
		}
	}
	key := sha256.Sum256([]byte("coupangtest-token:" + strconv.FormatUint(cfg.seed, 10) + ":" + cfg.secretKey))
	s := &Server{
		AccessKey: cfg.accessKey,
		SecretKey: cfg.secretKey,
		VendorID:  cfg.vendorID,
		cfg:       cfg,
		tokenKey:  key[:],
		exchanges: map[int64]*record{},
		returns:   map[int64]*returnRecord{},
	}
	seedData(s, cfg.clock())
	seedReturns(s, cfg.clock())
	seedOrders(s, cfg.clock())
	if cfg.listener != nil {
		s.ts = httptest.NewUnstartedServer(s)
		_ = s.ts.Listener.Close() // the free port httptest picked is not used
		s.ts.Listener = cfg.listener
		s.ts.Start()
	} else {
		s.ts = httptest.NewServer(s)
	}
	s.URL = s.ts.URL
	return s
}

// NewTestServer is NewServer for tests: the server is closed when t ends.
func NewTestServer(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := NewServer(opts...)
	t.Cleanup(s.Close)
	return s
}

// Close shuts the server down and waits for the requests in flight.
func (s *Server) Close() { s.ts.Close() }

// Client returns a coupang.Client for this server: its credentials, its URL,
// no pacing and short retry backoffs, so that tests run fast. opts are
// applied after these and can override them.
func (s *Server) Client(opts ...coupang.Option) (*coupang.Client, error) {
	base := []coupang.Option{
		coupang.WithBaseURL(s.URL),
		coupang.WithRateLimit(0),
		coupang.WithBackoff(time.Millisecond, 20*time.Millisecond),
	}
	return coupang.NewClient(s.AccessKey, s.SecretKey, s.VendorID, append(base, opts...)...)
}

// now reads the server's clock.
func (s *Server) now() time.Time { return s.cfg.clock() }

// FailNext makes the next n requests fail with HTTP status before they are
// processed: nothing is applied. 429 answers with Coupang's JSON body; 502,
// 503 and 504 with an HTML page like Coupang's CDN; 403 with the CDN's
// "Access Denied" page. Use it to test retries and error handling. A write
// answered so is not retried by a coupang.Client (its outcome is unknown to
// the client, which cannot see that nothing was applied), except a 429 with
// coupang.WithRetryWritesOn429(true).
func (s *Server) FailNext(n int, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range max(n, 0) {
		s.failures = append(s.failures, failure{status: status})
	}
}

// FailNextAfterApplying makes the next n requests be processed normally and
// then answered with HTTP status instead of the real answer, like a gateway
// timeout after the service applied a write; 429 answers with the same JSON
// body as FailNext, which the client cannot tell from a 429 that applied
// nothing. Use it to test that code lists again after
// coupang.ErrOutcomeUnknown instead of writing twice.
func (s *Server) FailNextAfterApplying(n int, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range max(n, 0) {
		s.failures = append(s.failures, failure{status: status, afterApply: true})
	}
}

// DropNextAfterApplying makes the next n requests be processed normally and
// then go unanswered: the server closes the connection, as when a connection
// breaks after Coupang applied a write. The client sees a transport error
// after sending, which leaves a write's outcome unknown
// (coupang.ErrOutcomeUnknown). Such calls are recorded with Status 0. Where
// the connection cannot be taken over (a server speaking HTTP/2), the answer
// is cut off after its status line instead, which leaves the outcome just as
// unknown.
func (s *Server) DropNextAfterApplying(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range max(n, 0) {
		s.failures = append(s.failures, failure{afterApply: true, drop: true})
	}
}

// SetLatency delays every answer by d (0 for none), to test timeouts and
// context cancellation.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = max(d, 0)
}

// AddExchange stores ex and returns its id. A zero ExchangeID gets the next
// free id, a zero OrderID 40,000,000,000,000 + ExchangeID (Relist and the
// Ensure… calls look an exchange up by its order, so they need one; the
// seeded orders are below 30,000,000,000,000), an empty VendorID
// the server's, an empty Status RECEIPT, a zero CreatedAt the server's clock
// (and ModifiedAt CreatedAt). An exchange with the id of an existing one
// replaces it. Times are kept to the second, as on the wire.
func (s *Server) AddExchange(ex coupang.ExchangeRequest) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ex.ExchangeID <= 0 {
		ex.ExchangeID = s.nextID
	}
	if ex.ExchangeID >= s.nextID {
		s.nextID = ex.ExchangeID + 1
	}
	if ex.OrderID == 0 {
		ex.OrderID = addedOrderIDBase + ex.ExchangeID
	}
	if ex.VendorID == "" {
		ex.VendorID = s.VendorID
	}
	if ex.Status == "" {
		ex.Status = coupang.ExchangeStatusReceipt
	}
	if ex.CreatedAt.IsZero() {
		ex.CreatedAt = s.now()
	}
	if ex.ModifiedAt.IsZero() {
		ex.ModifiedAt = ex.CreatedAt
	}
	ex.CreatedAt = wireTime(ex.CreatedAt)
	ex.ModifiedAt = wireTime(ex.ModifiedAt)
	id := ex.ExchangeID
	s.put(&record{ex: cloneExchange(ex)})
	return id
}

// UpdateExchange changes the stored exchange id with fn, atomically, and
// reports whether it exists. Use it to set up a state, or to simulate what
// happens on Coupang's side (a customer withdrawing, a parcel delivered).
// fn must not call the Server's methods. Changing ExchangeID is ignored.
func (s *Server) UpdateExchange(id int64, fn func(*coupang.ExchangeRequest)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.exchanges[id]
	if !ok {
		return false
	}
	s.settle(rec)
	ex := cloneExchange(rec.ex)
	fn(&ex)
	ex.ExchangeID = id
	rec.ex = cloneExchange(ex)
	s.reindex(rec)
	return true
}

// Withdraw simulates the customer withdrawing exchange id (철회): it moves to
// CANCEL and can no longer be confirmed, rejected or shipped. It reports
// whether the exchange exists.
func (s *Server) Withdraw(id int64) bool {
	now := wireTime(s.now())
	return s.UpdateExchange(id, func(ex *coupang.ExchangeRequest) {
		ex.Status = coupang.ExchangeStatusCancel
		ex.StatusLabel = ""
		ex.CollectStatus = coupang.CollectStatusWithdraw
		ex.DeliveryStatus = coupang.DeliveryStatusWithdraw
		ex.CancelReason = "고객 요청으로 교환 철회"
		ex.ModifiedByType = coupang.ActorTypeCustomer
		ex.ModifiedByTypeLabel = ""
		ex.ModifiedAt = now
		ex.Rejectable, ex.Successable, ex.DeliveryInvoiceModifiable = false, false, false
	})
}

// Exchange returns a copy of the stored exchange id as a list call would
// show it now, and whether it exists.
func (s *Server) Exchange(id int64) (coupang.ExchangeRequest, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.exchanges[id]
	if !ok {
		return coupang.ExchangeRequest{}, false
	}
	s.settle(rec)
	return cloneExchange(rec.ex), true
}

// Exchanges returns a copy of every stored exchange, oldest first (by
// creation time, then id), as a list call would show them now.
func (s *Server) Exchanges() []coupang.ExchangeRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.applyAllDue()
	out := make([]coupang.ExchangeRequest, 0, len(s.idx.all))
	for _, rec := range s.idx.all {
		s.settleBox(rec)
		if s.visible(rec) {
			out = append(out, cloneExchange(rec.ex))
		}
	}
	return out
}

// CreatePendingBoxes makes every new shipment box that is waiting for its
// WithBoxDelay appear now, and returns how many did. Tests use it instead of
// waiting or moving the clock.
func (s *Server) CreatePendingBoxes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, rec := range s.exchanges {
		if rec.pendingBox != 0 {
			rec.boxAt = time.Time{}
			s.settle(rec)
			n++
		}
	}
	return n
}

// Calls returns every request received so far, in order.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls)
}

// Applied returns every write applied so far, in order, also those whose
// answer FailNextAfterApplying or DropNextAfterApplying replaced: counting
// them is how a test proves that a write took effect exactly once (see
// Action).
func (s *Server) Applied() []Action {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.applied)
}

// Confirmations returns how many times the receipt of exchange id was
// confirmed successfully (at most once: a second confirmation fails).
func (s *Server) Confirmations(id int64) int { return s.countApplied(ActionConfirmReceipt, id) }

// Rejections returns how many times exchange id was rejected successfully.
func (s *Server) Rejections(id int64) int { return s.countApplied(ActionReject, id) }

// Invoices returns the waybills uploaded successfully for exchange id, in
// order; a later one for the same box replaced the earlier one.
func (s *Server) Invoices(id int64) []coupang.ExchangeInvoice {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []coupang.ExchangeInvoice
	for _, a := range s.applied {
		if a.Kind == ActionUploadInvoice && a.ExchangeID == id {
			out = append(out, a.Invoice)
		}
	}
	return out
}

func (s *Server) countApplied(kind ActionKind, id int64) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, a := range s.applied {
		if a.Kind == kind && a.ExchangeID == id {
			n++
		}
	}
	return n
}

// settle makes rec's pending box visible once its time has come, and
// applies its scheduled updates that are due.
func (s *Server) settle(rec *record) {
	s.applyDue(rec)
	s.settleBox(rec)
}

// settleBox makes rec's pending box visible once its time has come. It
// changes nothing the index orders or filters by.
func (s *Server) settleBox(rec *record) {
	if rec.pendingBox == 0 || (!rec.boxAt.IsZero() && s.now().Before(rec.boxAt)) {
		return
	}
	ex := &rec.ex
	ex.DeliveryInvoiceGroups = append(ex.DeliveryInvoiceGroups, coupang.DeliveryInvoiceGroup{
		ShipmentBoxID:        rec.pendingBox,
		OrderID:              ex.OrderID,
		OrderType:            "EXCHANGE",
		ShippingDeliveryType: coupang.ShippingDeliveryTypeExchangeDelivery,
		Invoices:             []coupang.DeliveryInvoice{},
	})
	ex.DeliveryStatus = coupang.DeliveryStatusBeforeDirection
	ex.DeliveryInvoiceModifiable = true
	rec.pendingBox, rec.boxAt = 0, time.Time{}
}

// wireTime keeps t to the second in Korea time, as Coupang's wire format does.
func wireTime(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.Truncate(time.Second).In(coupang.KoreaLocation())
}
