package coupang

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/go-coupang/coupang/internal/claims"
)

// DefaultBaseURL is Coupang's Open API gateway.
const DefaultBaseURL = "https://api-gateway.coupang.com"

// Defaults, each changeable with an Option.
const (
	// DefaultMaxRetries is how many times a failed request is retried when it
	// is safe to do so (see WithMaxRetries).
	DefaultMaxRetries = 3
	// DefaultRateLimit is the pace, in requests a second, that a client keeps:
	// Coupang's per-vendor budget since 2026-03 (10 before).
	DefaultRateLimit = 5.0
	// DefaultTimeout bounds one attempt of one request, body included (see
	// WithAttemptTimeout). Coupang's gateway itself gives up after 3 seconds
	// unless asked to wait longer with WithExtendedTimeout.
	DefaultTimeout = 30 * time.Second
	// DefaultMinBackoff and DefaultMaxBackoff bound the wait between retries.
	DefaultMinBackoff = 500 * time.Millisecond
	DefaultMaxBackoff = 30 * time.Second
)

// userAgent names this client and its Version in every request.
const userAgent = "go-coupang/" + Version + " (+https://github.com/go-coupang/coupang)"

// Client calls Coupang's WING Open API for one vendor. It is safe for
// concurrent use, and all goroutines using it share its rate limit; create one
// per vendor and reuse it.
type Client struct {
	// Exchanges lists exchange requests and acts on them.
	Exchanges *ExchangeService
	// Returns lists return and cancellation requests and acts on them.
	Returns *ReturnService

	// authorize signs a request with the client's keys. The keys live only
	// in this closure: fmt prints a func as its address whatever the verb,
	// where a pointer to a struct of keys is dereferenced by a bad verb such
	// as fmt.Sprintf("%s", *client), and by deep printers such as testify's.
	authorize func(req *http.Request, t time.Time)

	vendorID     string
	baseURL      string // scheme://host[/prefix], no trailing slash
	httpClient   *http.Client
	maxRetries   int
	minBackoff   time.Duration
	maxBackoff   time.Duration
	rateLimit    float64
	limiter      Limiter // from WithLimiter, or the pacer for rateLimit
	logger       *slog.Logger
	observer     *Observer // WithObserver; nil costs nothing (observer.go)
	updateMethod string
	maxListRange time.Duration // longest range All accepts; 0 means no limit
	// listConcurrency is how many windows All pages at once
	// (WithListConcurrency); 0 sizes it from the measured round trip.
	listConcurrency int
	// maxResponseSize bounds a success body (WithMaxResponseSize); 0 means
	// DefaultMaxResponseSize.
	maxResponseSize int64

	// returnListVersion and returnActionVersion are the API versions of the
	// return calls (WithReturnListVersion, WithReturnActionVersion); ""
	// means the default.
	returnListVersion   string
	returnActionVersion string

	attemptTimeout time.Duration
	// retryWritesOn429 resends a write answered 429 (WithRetryWritesOn429).
	// Off by default: nothing shows that a 429 was answered before Coupang
	// applied the write.
	retryWritesOn429 bool

	// Per-call settings, set on a copy of the client by CallOptions.
	response        *Response
	extendedTimeout time.Duration
	pageIndexParam  string // WithPageIndex: DoAll pages by this query parameter

	// now is the clock used to sign; tests replace it.
	now func() time.Time
	// sleep waits between retries; tests replace it.
	sleep func(ctx context.Context, d time.Duration) error
}

// String describes the client without its keys.
func (c *Client) String() string {
	return fmt.Sprintf("coupang.Client{vendorID: %s, baseURL: %s}", c.vendorID, c.baseURL)
}

// GoString describes the client without its keys, for %#v.
func (c *Client) GoString() string { return c.String() }

// VendorID returns the vendor id the client acts for.
func (c *Client) VendorID() string { return c.vendorID }

// BaseURL returns the base URL requests are sent to.
func (c *Client) BaseURL() string { return c.baseURL }

// NewClient returns a Client that signs requests with the given keys and
// acts for vendorID (a letter A or C followed by digits, such as
// "A00012345").
func NewClient(accessKey, secretKey, vendorID string, opts ...Option) (*Client, error) {
	if err := checkKey("accessKey", accessKey); err != nil {
		return nil, err
	}
	if err := checkKey("secretKey", secretKey); err != nil {
		return nil, err
	}
	if err := checkVendorID(vendorID); err != nil {
		return nil, err
	}
	c := &Client{
		authorize: func(req *http.Request, t time.Time) {
			SignRequest(req, accessKey, secretKey, t)
		},
		vendorID:     vendorID,
		baseURL:      DefaultBaseURL,
		maxRetries:   DefaultMaxRetries,
		minBackoff:   DefaultMinBackoff,
		maxBackoff:   DefaultMaxBackoff,
		rateLimit:    DefaultRateLimit,
		maxListRange: DefaultMaxListRange,
		updateMethod: http.MethodPut,

		attemptTimeout: DefaultTimeout,
		now:            time.Now,
		sleep:          sleepContext,
	}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt.applyToClient(c); err != nil {
			return nil, err
		}
	}
	if c.httpClient == nil {
		c.httpClient = defaultHTTPClient()
	}
	if b, ok := c.limiter.(VendorBound); ok && b.VendorID() != vendorID {
		return nil, invalid("limiter", "paces vendor %.40q, not the client's %s: the client would spend another vendor's budget and leave its own unshared", b.VendorID(), vendorID)
	}
	if c.limiter == nil && c.rateLimit > 0 {
		c.limiter = NewPacer(c.rateLimit, WithPacerLogger(c.logger))
	}
	c.Exchanges = &ExchangeService{client: c, locks: &claims.Locks{}, roundTrips: &roundTrips{}, density: &densityMemory{}}
	c.Returns = &ReturnService{client: c, locks: &claims.Locks{}, roundTrips: &roundTrips{}}
	return c, nil
}

// Close releases the client's idle connections, and with them the goroutines
// that keep them. Call it when done with a client that is not kept for the
// life of the process. It always returns nil; the client stays usable, and a
// later call opens new connections. With WithHTTPClient it closes the idle
// connections of that client's transport, which other users of the
// transport simply reopen.
func (c *Client) Close() error {
	c.httpClient.CloseIdleConnections()
	return nil
}

// Environment variables read by NewClientFromEnv.
const (
	EnvAccessKey = "COUPANG_ACCESS_KEY"
	EnvSecretKey = "COUPANG_SECRET_KEY"
	EnvVendorID  = "COUPANG_VENDOR_ID"
	EnvBaseURL   = "COUPANG_BASE_URL"
)

// NewClientFromEnv is NewClient with the keys and vendor id read from
// COUPANG_ACCESS_KEY, COUPANG_SECRET_KEY and COUPANG_VENDOR_ID, and the base
// URL from COUPANG_BASE_URL when it is set. opts are applied after, so an
// explicit WithBaseURL wins.
func NewClientFromEnv(opts ...Option) (*Client, error) {
	var missing []string
	for _, name := range []string{EnvAccessKey, EnvSecretKey, EnvVendorID} {
		if os.Getenv(name) == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return nil, invalid("environment", "%s not set", strings.Join(missing, ", "))
	}
	if base := os.Getenv(EnvBaseURL); base != "" {
		opts = append([]Option{WithBaseURL(base)}, opts...)
	}
	return NewClient(os.Getenv(EnvAccessKey), os.Getenv(EnvSecretKey), os.Getenv(EnvVendorID), opts...)
}

// ExchangeService wraps the four exchange-request (교환요청) endpoints of
// Coupang's WING Open API, all under
// /v2/providers/openapi/apis/api/v4/vendors/{vendorId}/exchangeRequests:
// List (교환요청 목록조회), ConfirmReceipt (교환요청상품 입고 확인처리), Reject
// (교환요청 거부 처리) and UploadInvoices (교환상품 송장 업로드 처리); All,
// Relist, Changes, WaitForShipmentBox and the Ensure… calls are built on
// them. UploadPickupInvoice registers the pickup waybill (회수 송장 등록) on
// the endpoint exchanges share with returns. Get it from Client.Exchanges.
type ExchangeService struct {
	client *Client
	// locks serialises the Ensure… calls per exchange.
	locks *claims.Locks
	// roundTrips sizes All's automatic concurrency. The service is shared
	// by the client's per-call copies, and so are the measurements.
	roundTrips *roundTrips
	// density plans All's windows for a client that lists again
	// (list_density.go), shared like roundTrips.
	density *densityMemory
}

// ReturnService wraps the return and cancellation request (반품·취소)
// endpoints of Coupang's WING Open API, under
// /v2/providers/openapi/apis/api/{version}/vendors/{vendorId}: the list
// (반품/취소 요청 목록 조회) and single query (반품요청 단건 조회) of
// returnRequests, the four actions on a receipt (입고 확인, 반품 승인,
// 출고중지완료, 이미출고), the pickup waybill (회수 송장 등록) and the
// withdrawal history (반품철회 이력). All, Changes and the Ensure… calls are
// built on them. Get it from Client.Returns.
//
// # Versions, methods and what Coupang leaves open
//
// Where Coupang's documentation contradicts itself, the service picks one
// reading and lets a client or one call change it:
//   - List, All and Get use v6 (the current pages, since 2025-07), whose
//     answers carry money objects and times with offsets; v4 still answers
//     with plain numbers and Korea times. Both decode into ReturnRequest.
//     WithReturnListVersion("v4") switches.
//   - ConfirmReceipt and Approve use v4, the path their pages print; the
//     2025 notice lists v5 for them, with a body it does not show (assumed
//     the same). WithReturnActionVersion("v5") switches. StopShipment,
//     MarkShipped, the pickup waybill and the withdrawal history exist in
//     v4 only.
//   - The four actions are sent with PUT (the current pages strike PATCH
//     out); WithUpdateMethod("PATCH") switches, as for the exchange actions.
//   - Cancellations at payment-complete (결제완료) are listed with
//     CancelType ReturnReceiptTypeCancel and no status. Whether Coupang then
//     needs an orderId is disputed by its users: the service sends one only
//     when OrderID is set, and passes Coupang's answer on as it comes.
type ReturnService struct {
	client *Client
	// locks serialises the Ensure… calls per receipt.
	locks *claims.Locks
	// roundTrips sizes All's concurrency, as for exchanges.
	roundTrips *roundTrips
}
