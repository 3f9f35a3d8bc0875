package coupang

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/google/go-querystring/query"
)

// ExchangeListOptions selects exchange requests by creation time, status and
// order. Times may be in any zone: they are sent as Korea time, to the second.
type ExchangeListOptions struct {
	// CreatedAtFrom is the start of the creation time range, included;
	// required. For List it may be at most MaxListWindow before
	// CreatedAtTo.
	CreatedAtFrom time.Time `url:"createdAtFrom" layout:"2006-01-02T15:04:05"`
	// CreatedAtTo is the end of the creation time range, included;
	// required.
	CreatedAtTo time.Time `url:"createdAtTo" layout:"2006-01-02T15:04:05"`
	// Status selects one status; "" selects all.
	Status ExchangeStatus `url:"status,omitempty"`
	// OrderID selects the exchanges of one order; 0 selects all.
	OrderID int64 `url:"orderId,omitempty"`
	// MaxPerPage is the page size, 1 to MaxPageSize; 0 means
	// DefaultMaxPerPage.
	MaxPerPage int `url:"maxPerPage,omitempty"`
	// NextToken continues a previous List from ExchangePage.NextToken. All
	// uses it for its first window only; leave it empty there unless resuming.
	NextToken string `url:"nextToken,omitempty"`
}

// ExchangeInvoice is the waybill of a replacement shipment, for
// UploadInvoices.
type ExchangeInvoice struct {
	// ShipmentBoxID is the NEW box id from
	// ExchangeRequest.DeliveryInvoiceGroups (see ReplacementShipmentBoxID), never the
	// item's OriginalShipmentBoxID.
	ShipmentBoxID int64
	// GoodsDeliveryCode is the courier code, such as CourierCJ ("CJGLS").
	// Codes outside the built-in table are sent as given: Coupang adds couriers.
	GoodsDeliveryCode string
	// InvoiceNumber is the waybill number: ASCII letters, digits and "-", at
	// most MaxInvoiceNumberLength characters. Korean couriers use digits only
	// (CJ대한통운, 한진 and 롯데 10 or 12, 로젠 11, 우체국 13); international
	// ones add letters (EMS "EE123456789KR"). Anything else — spaces,
	// full-width digits, invisible or control characters, invalid UTF-8 — is
	// refused with a *ValidationError, not cleaned up, so that what is
	// uploaded is what is on the label.
	InvoiceNumber string
}

func (s *ExchangeService) basePath() string {
	return "/v2/providers/openapi/apis/api/v4/vendors/" + s.client.vendorID + "/exchangeRequests"
}

func (s *ExchangeService) exchangePath(exchangeID int64, action string) string {
	return s.basePath() + "/" + strconv.FormatInt(exchangeID, 10) + "/" + action
}

// List fetches one page of exchange requests created between
// opts.CreatedAtFrom and opts.CreatedAtTo (at most MaxListWindow apart). Pass
// the page's NextToken back in opts to get the next one, or use All, which
// pages and splits long ranges for you.
//
// One record that cannot be decoded never costs the page: List then returns
// the page with every other record AND a *PageError listing the bad ones
// (each a *RecordError). Use the page when errors.As(err, &pageErr) holds;
// any other error comes with a nil page.
//
// Endpoint: GET /v2/providers/openapi/apis/api/v4/vendors/{vendorId}/exchangeRequests
// (교환요청 목록조회), one request.
func (s *ExchangeService) List(ctx context.Context, opts ExchangeListOptions, callOpts ...CallOption) (_ *ExchangePage, err error) {
	ctx, observed := s.client.observeCall(ctx, opList)
	defer func() { observed(err) }()
	if err := validateRange(opts.CreatedAtFrom, opts.CreatedAtTo); err != nil {
		return nil, err
	}
	if span := opts.CreatedAtTo.Sub(opts.CreatedAtFrom); span > MaxListWindow {
		return nil, invalid("CreatedAtTo", "the window is %s long, Coupang allows at most 7 days (use All for longer ranges)", describeSpan(span))
	}
	q, err := encodeListQuery(opts)
	if err != nil {
		return nil, err
	}
	c, err := s.client.forCall(callOpts)
	if err != nil {
		return nil, err
	}
	var env envelope[exchangeList]
	req := &apiRequest{method: http.MethodGet, path: s.basePath(), query: q, route: routeExchanges}
	if _, err := call(ctx, c, req, &env); err != nil {
		return nil, err
	}
	page, err := env.page()
	c.observeRecordErrors(ctx, opList, err)
	return page, err
}

func encodeListQuery(opts ExchangeListOptions) (string, error) {
	if err := checkListOptions(opts); err != nil {
		return "", err
	}
	if opts.MaxPerPage == 0 {
		opts.MaxPerPage = DefaultMaxPerPage
	}
	opts.CreatedAtFrom = opts.CreatedAtFrom.In(kst)
	opts.CreatedAtTo = opts.CreatedAtTo.In(kst)
	v, err := query.Values(opts)
	if err != nil {
		return "", fmt.Errorf("coupang: encoding list options: %w", err)
	}
	// url.Values.Encode sorts keys and percent-encodes; what it returns is
	// both sent and signed, so the two cannot differ.
	return v.Encode(), nil
}

// Relist lists ex again and returns its current state. Coupang has no call
// to fetch one exchange, so Relist lists ex's order around ex.CreatedAt.
// Use it to re-check an exchange before acting on it (customers can withdraw
// until pickup), to learn the outcome of a write that failed with
// ErrOutcomeUnknown, or to poll for ReplacementShipmentBoxID after ConfirmReceipt.
// An exchange Coupang no longer lists gives an error matching ErrNotFound.
//
// Endpoint: GET /v2/providers/openapi/apis/api/v4/vendors/{vendorId}/exchangeRequests
// (교환요청 목록조회), usually one request.
func (s *ExchangeService) Relist(ctx context.Context, ex ExchangeRequest, callOpts ...CallOption) (_ *ExchangeRequest, err error) {
	ctx, observed := s.client.observeCall(ctx, opRelist)
	defer func() { observed(err) }()
	if ex.ExchangeID <= 0 {
		return nil, invalid("ExchangeID", "must be positive, got %d", ex.ExchangeID)
	}
	if ex.OrderID <= 0 {
		return nil, invalid("OrderID", "must be positive, got %d", ex.OrderID)
	}
	if ex.CreatedAt.IsZero() {
		return nil, invalid("CreatedAt", "is required to find the exchange")
	}
	// A minute either side: whether Coupang's bounds are inclusive is not
	// documented, and the order filter keeps the answer to a page.
	opts := ExchangeListOptions{
		CreatedAtFrom: ex.CreatedAt.Add(-time.Minute),
		CreatedAtTo:   ex.CreatedAt.Add(time.Minute),
		OrderID:       ex.OrderID,
	}
	for cur, err := range s.All(ctx, opts, callOpts...) {
		var recErr *RecordError
		if errors.As(err, &recErr) && recErr.ExchangeID != ex.ExchangeID {
			continue // another exchange of the order
		}
		if err != nil {
			return nil, err
		}
		if cur.ExchangeID == ex.ExchangeID {
			return &cur, nil
		}
	}
	return nil, fmt.Errorf("coupang: exchange %d of order %d is no longer listed: %w", ex.ExchangeID, ex.OrderID, ErrNotFound)
}

// ConfirmReceipt confirms that the returned item arrived (교환요청상품 입고
// 확인처리). Coupang then moves the exchange to PROGRESS with collectStatus
// CompleteCollect and, within about 10 minutes, creates the replacement's
// shipment box (see ExchangeRequest.ReplacementShipmentBoxID).
//
// It is sent with PUT unless the client or the call has
// WithUpdateMethod("PATCH").
//
// A failure matching ErrOutcomeUnknown means the confirmation may have been
// applied: learn the exchange's state with Relist (collectStatus
// CompleteCollect, status PROGRESS) before confirming again. Pass
// WithResponse to keep the transactionId of a success.
//
// Endpoint: PUT /v2/providers/openapi/apis/api/v4/vendors/{vendorId}/exchangeRequests/{exchangeId}/receiveConfirmation
// (교환요청상품 입고 확인처리).
func (s *ExchangeService) ConfirmReceipt(ctx context.Context, exchangeID int64, opts ...CallOption) (err error) {
	ctx, observed := s.client.observeCall(ctx, opConfirmReceipt)
	defer func() { observed(err) }()
	if exchangeID <= 0 {
		return invalid("exchangeID", "must be positive, got %d", exchangeID)
	}
	body := exchangeAction{ExchangeID: exchangeID, VendorID: s.client.vendorID}
	return s.write(ctx, "", s.exchangePath(exchangeID, "receiveConfirmation"), routeReceiveConfirmation, body, opts)
}

// Reject rejects an exchange request (교환요청 거부 처리) with code
// RejectSoldOut or RejectWithdraw. Coupang allows it only while the exchange
// is Rejectable; otherwise it answers with a business failure, returned as an
// *APIError with ResultCode "FAIL" and Coupang's message.
//
// It is sent with PUT unless the client or the call has
// WithUpdateMethod("PATCH").
//
// A failure matching ErrOutcomeUnknown means the rejection may have been
// applied: learn the exchange's state with Relist (status REJECT) before
// rejecting again. Pass WithResponse to keep the transactionId of a success.
//
// Endpoint: PUT /v2/providers/openapi/apis/api/v4/vendors/{vendorId}/exchangeRequests/{exchangeId}/rejection
// (교환요청 거부 처리).
func (s *ExchangeService) Reject(ctx context.Context, exchangeID int64, code RejectCode, opts ...CallOption) (err error) {
	ctx, observed := s.client.observeCall(ctx, opReject)
	defer func() { observed(err) }()
	if exchangeID <= 0 {
		return invalid("exchangeID", "must be positive, got %d", exchangeID)
	}
	if !code.Valid() {
		return invalid("code", "must be %q or %q, got %q", RejectSoldOut, RejectWithdraw, code)
	}
	body := exchangeAction{ExchangeID: exchangeID, VendorID: s.client.vendorID, RejectCode: code}
	return s.write(ctx, "", s.exchangePath(exchangeID, "rejection"), routeRejection, body, opts)
}

// UploadInvoices uploads the waybills of the replacement shipment (교환상품
// 송장 업로드 처리). Confirm receipt first and wait until the exchange has its
// new shipment box id: the original box id fails with "status
// [NONE_TRACKING] is not suitable for applyInvoice".
//
// A failure matching ErrOutcomeUnknown means the waybills may have been
// uploaded: learn the exchange's state with Relist (the invoice numbers in
// DeliveryInvoiceGroups) before uploading again. Pass WithResponse to keep the
// transactionId of a success.
//
// Endpoint: POST /v2/providers/openapi/apis/api/v4/vendors/{vendorId}/exchangeRequests/{exchangeId}/invoices
// (교환상품 송장 업로드 처리), with all of invoices in one JSON array.
func (s *ExchangeService) UploadInvoices(ctx context.Context, exchangeID int64, invoices []ExchangeInvoice, opts ...CallOption) (err error) {
	ctx, observed := s.client.observeCall(ctx, opUploadInvoices)
	defer func() { observed(err) }()
	if exchangeID <= 0 {
		return invalid("exchangeID", "must be positive, got %d", exchangeID)
	}
	if len(invoices) == 0 {
		return invalid("invoices", "at least one invoice is required")
	}
	body := make([]invoiceUpload, len(invoices))
	for i, inv := range invoices {
		field := "invoices[" + strconv.Itoa(i) + "]"
		if err := checkInvoice(field, inv); err != nil {
			return err
		}
		body[i] = invoiceUpload{
			ExchangeID:        exchangeID,
			VendorID:          s.client.vendorID,
			ShipmentBoxID:     inv.ShipmentBoxID,
			GoodsDeliveryCode: inv.GoodsDeliveryCode,
			InvoiceNumber:     inv.InvoiceNumber,
		}
	}
	return s.write(ctx, http.MethodPost, s.exchangePath(exchangeID, "invoices"), routeInvoices, body, opts)
}

// exchangeAction is the body of confirm and reject: ids as JSON numbers.
type exchangeAction struct {
	ExchangeID int64      `json:"exchangeId"`
	VendorID   string     `json:"vendorId"`
	RejectCode RejectCode `json:"exchangeRejectCode,omitempty"`
}

// invoiceUpload is one element of the invoices body, a JSON array.
type invoiceUpload struct {
	ExchangeID        int64  `json:"exchangeId"`
	VendorID          string `json:"vendorId"`
	ShipmentBoxID     int64  `json:"shipmentBoxId"`
	GoodsDeliveryCode string `json:"goodsDeliveryCode"`
	InvoiceNumber     string `json:"invoiceNumber"`
}

// write sends one of the exchange writes (see writeCall); route is path's
// template (observer.go).
func (s *ExchangeService) write(ctx context.Context, method, path, route string, body any, opts []CallOption) error {
	return s.client.writeCall(ctx, opts, method, func(*Client) (string, string) { return path, route }, body)
}

// checkListOptions checks the options of a list call other than its range.
func checkListOptions(opts ExchangeListOptions) error {
	switch {
	case opts.MaxPerPage < 0 || opts.MaxPerPage > MaxPageSize:
		return invalid("MaxPerPage", "must be between 1 and %d, got %d", MaxPageSize, opts.MaxPerPage)
	case opts.OrderID < 0:
		return invalid("OrderID", "must be positive, got %d", opts.OrderID)
	}
	if err := checkStatus("Status", string(opts.Status)); err != nil {
		return err
	}
	if len(opts.NextToken) > maxNextTokenLength {
		return invalid("NextToken", "is %d bytes long; Coupang's paging tokens are short", len(opts.NextToken))
	}
	return checkWireText("NextToken", opts.NextToken)
}

// checkInvoice checks one waybill of UploadInvoices; field is
// "invoices[i]".
func checkInvoice(field string, inv ExchangeInvoice) error {
	if inv.ShipmentBoxID <= 0 {
		return invalid(field+".ShipmentBoxID", "must be positive, got %d", inv.ShipmentBoxID)
	}
	if err := checkCourierCode(field+".GoodsDeliveryCode", inv.GoodsDeliveryCode); err != nil {
		return err
	}
	return checkInvoiceNumber(field+".InvoiceNumber", inv.InvoiceNumber)
}
