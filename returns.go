package coupang

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Limits of the return list call.
const (
	// MaxReturnListDays is how many Korea days one return List call may
	// cover, both ends included: Coupang allows 31. All cuts longer ranges
	// into windows of 7 days.
	MaxReturnListDays = 31
	// maxCancelCount bounds a cancelCount: Coupang reads it as an Integer.
	maxCancelCount = math.MaxInt32
)

// ReturnListOptions selects return or cancellation requests by creation
// day, status filter and order. The return list takes dates, not times: a
// call covers whole Korea days, from CreatedAtFrom's day to CreatedAtTo's;
// All then leaves out records outside [CreatedAtFrom, CreatedAtTo].
type ReturnListOptions struct {
	// CreatedAtFrom and CreatedAtTo bound the creation time, both included.
	// Both are required; for List their days may be at most
	// MaxReturnListDays apart (both included).
	CreatedAtFrom, CreatedAtTo time.Time
	// Status selects one filter. Coupang needs Status or OrderID for
	// returns: List refuses a call with neither (*ValidationError); All,
	// with neither, sweeps all four filters and yields each receipt once.
	Status ReturnFilter
	// OrderID selects the receipts of one order; 0 selects all.
	OrderID int64
	// CancelType ReturnReceiptTypeCancel lists orders cancelled at
	// payment-complete instead of returns ("" or ReturnReceiptTypeReturn);
	// Status must then be empty (Coupang's rule).
	CancelType ReturnReceiptType
	// MaxPerPage is the page size, 1 to MaxPageSize; 0 means
	// DefaultMaxPerPage.
	MaxPerPage int
	// NextToken continues a previous List from ReturnPage.NextToken. All
	// refuses it: a sweep has one listing per filter and window.
	NextToken string
}

// vendorPath is the path of the client's vendor in API version ver.
func (c *Client) vendorPath(ver string) string {
	return "/v2/providers/openapi/apis/api/" + ver + "/vendors/" + c.vendorID
}

func returnsPath(c *Client, ver string) string { return c.vendorPath(ver) + "/returnRequests" }

func receiptPath(c *Client, ver string, receiptID int64) string {
	return returnsPath(c, ver) + "/" + strconv.FormatInt(receiptID, 10)
}

// List fetches one page of return requests created on the days from
// opts.CreatedAtFrom's to opts.CreatedAtTo's (Korea time, at most
// MaxReturnListDays), with Status, OrderID or, for cancellations,
// CancelType. Pass the page's NextToken back in opts to get the next one, or
// use All, which pages, sweeps the filters and splits long ranges for you.
//
// One record that cannot be decoded never costs the page: List then returns
// the page with every other record AND a *PageError listing the bad ones.
//
// Endpoint: GET /v2/providers/openapi/apis/api/v6/vendors/{vendorId}/returnRequests
// (반품/취소 요청 목록 조회), in daily mode (dates, nextToken paging), one
// request; v4 with WithReturnListVersion("v4").
func (s *ReturnService) List(ctx context.Context, opts ReturnListOptions, callOpts ...CallOption) (_ *ReturnPage, err error) {
	ctx, observed := s.client.observeCall(ctx, opReturnsList)
	defer func() { observed(err) }()
	q, err := encodeReturnQuery(opts, true)
	if err != nil {
		return nil, err
	}
	c, err := s.client.forCall(callOpts)
	if err != nil {
		return nil, err
	}
	var env envelope[recordList[ReturnRequest]]
	ver := c.returnReadVersion()
	req := &apiRequest{method: http.MethodGet, path: returnsPath(c, ver), query: q, route: returnsRoute(ver, false)}
	if _, err := call(ctx, c, req, &env); err != nil {
		return nil, err
	}
	page, err := returnPage(&env)
	c.observeRecordErrors(ctx, opReturnsList, err)
	return page, err
}

// encodeReturnQuery checks opts and returns the query of one list call;
// single reports a List call, which needs Status or OrderID for returns.
func encodeReturnQuery(opts ReturnListOptions, single bool) (string, error) {
	if err := validateRange(opts.CreatedAtFrom, opts.CreatedAtTo); err != nil {
		return "", err
	}
	if days := daysBetween(opts.CreatedAtFrom, opts.CreatedAtTo) + 1; single && days > MaxReturnListDays {
		return "", invalid("CreatedAtTo", "the range covers %d days, Coupang allows at most %d (use All for longer ranges)", days, MaxReturnListDays)
	}
	if err := checkReturnListOptions(opts, single); err != nil {
		return "", err
	}
	v := url.Values{}
	v.Set("createdAtFrom", opts.CreatedAtFrom.In(kst).Format(time.DateOnly))
	v.Set("createdAtTo", opts.CreatedAtTo.In(kst).Format(time.DateOnly))
	if opts.Status != "" {
		v.Set("status", string(opts.Status))
	}
	if opts.OrderID != 0 {
		v.Set("orderId", strconv.FormatInt(opts.OrderID, 10))
	}
	if opts.CancelType == ReturnReceiptTypeCancel {
		v.Set("cancelType", string(ReturnReceiptTypeCancel))
	}
	perPage := opts.MaxPerPage
	if perPage == 0 {
		perPage = DefaultMaxPerPage
	}
	v.Set("maxPerPage", strconv.Itoa(perPage))
	if opts.NextToken != "" {
		v.Set("nextToken", opts.NextToken)
	}
	// Encode sorts the keys; the string is both sent and signed.
	return v.Encode(), nil
}

// checkReturnListOptions checks the options of a return list call other
// than its range.
func checkReturnListOptions(opts ReturnListOptions, single bool) error {
	switch {
	case opts.MaxPerPage < 0 || opts.MaxPerPage > MaxPageSize:
		return invalid("MaxPerPage", "must be between 1 and %d, got %d", MaxPageSize, opts.MaxPerPage)
	case opts.OrderID < 0:
		return invalid("OrderID", "must be positive, got %d", opts.OrderID)
	case opts.CancelType != "" && opts.CancelType != ReturnReceiptTypeReturn && opts.CancelType != ReturnReceiptTypeCancel:
		return invalid("CancelType", "must be %q, %q or empty, got %q", ReturnReceiptTypeReturn, ReturnReceiptTypeCancel, opts.CancelType)
	case opts.CancelType == ReturnReceiptTypeCancel && opts.Status != "":
		return invalid("Status", "must be empty with CancelType %q: Coupang lists cancellations without a status filter", ReturnReceiptTypeCancel)
	case single && opts.CancelType != ReturnReceiptTypeCancel && opts.Status == "" && opts.OrderID == 0:
		return invalid("Status", "or OrderID is required: Coupang lists returns by status filter (RU, UC, CC, PR) or by order; All sweeps the four filters")
	}
	if err := checkStatus("Status", string(opts.Status)); err != nil {
		return err
	}
	if len(opts.NextToken) > maxNextTokenLength {
		return invalid("NextToken", "is %d bytes long; Coupang's paging tokens are short", len(opts.NextToken))
	}
	return checkWireText("NextToken", opts.NextToken)
}

// daysBetween is how many Korea days b's day is after a's.
func daysBetween(a, b time.Time) int {
	return int(startOfDay(b).Sub(startOfDay(a)).Round(time.Hour) / (24 * time.Hour))
}

// Get fetches one return receipt by its id. Only returns can be read so:
// Coupang does not serve the rows of cancellations at payment-complete here.
// A withdrawn receipt, or one of another vendor, gives Coupang's error (a
// 400, as far as its users report); an answer without the receipt gives an
// error matching ErrNotFound.
//
// Endpoint: GET /v2/providers/openapi/apis/api/v6/vendors/{vendorId}/returnRequests/{receiptId}
// (반품요청 단건 조회), one request; v4 with WithReturnListVersion("v4").
func (s *ReturnService) Get(ctx context.Context, receiptID int64, callOpts ...CallOption) (_ *ReturnRequest, err error) {
	ctx, observed := s.client.observeCall(ctx, opReturnsGet)
	defer func() { observed(err) }()
	if receiptID <= 0 {
		return nil, invalid("receiptID", "must be positive, got %d", receiptID)
	}
	c, err := s.client.forCall(callOpts)
	if err != nil {
		return nil, err
	}
	var env envelope[recordList[ReturnRequest]]
	ver := c.returnReadVersion()
	req := &apiRequest{method: http.MethodGet, path: receiptPath(c, ver, receiptID), route: returnsRoute(ver, true)}
	if _, err := call(ctx, c, req, &env); err != nil {
		return nil, err
	}
	// data is an array of one or, for some answers, the object itself.
	for i := range env.Data.items {
		if env.Data.items[i].ReceiptID == receiptID {
			return &env.Data.items[i], nil
		}
	}
	for _, bad := range env.Data.bad {
		if bad.ReceiptID == receiptID || bad.ReceiptID == 0 {
			return nil, bad
		}
	}
	return nil, fmt.Errorf("coupang: return receipt %d: Coupang answered without it: %w", receiptID, ErrNotFound)
}

// errNoReceipt reports whether err says Coupang does not have the receipt:
// a 404, or one of the texts its users report for a withdrawn receipt
// (취소반품접수내역이 존재하지 않습니다, "There is no history").
func errNoReceipt(err error) bool {
	if errors.Is(err, ErrNotFound) {
		return true
	}
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode >= 500 {
		return false
	}
	msg := strings.ToLower(apiErr.Message)
	return strings.Contains(msg, "존재하지 않") || strings.Contains(msg, "no history") || strings.Contains(msg, "not found")
}

func (c *Client) returnReadVersion() string {
	if c.returnListVersion == "" {
		return ReturnListVersionV6
	}
	return c.returnListVersion
}

func (c *Client) returnWriteVersion() string {
	if c.returnActionVersion == "" {
		return ReturnActionVersionV4
	}
	return c.returnActionVersion
}
