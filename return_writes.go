package coupang

import (
	"context"
	"strconv"
)

// The four actions on a return receipt. Each is one write, never sent
// again by the client once it may have reached Coupang: a failure matching
// ErrOutcomeUnknown means it may have been applied, and the receipt must be
// read again (Get) before it is sent again. The Ensure… calls do exactly
// that.

// returnAction is the body of the four actions: ids as JSON numbers.
type returnAction struct {
	VendorID            string `json:"vendorId"`
	ReceiptID           int64  `json:"receiptId"`
	CancelCount         int    `json:"cancelCount,omitempty"`
	DeliveryCompanyCode string `json:"deliveryCompanyCode,omitempty"`
	InvoiceNumber       string `json:"invoiceNumber,omitempty"`
}

// actionPath is the path of one action on receiptID; version "" is the
// action version of the call's client (WithReturnActionVersion).
// The second result is the path's template, for an Observer.
func actionPath(receiptID int64, version, action string) func(*Client) (string, string) {
	return func(c *Client) (string, string) {
		v := version
		if v == "" {
			v = c.returnWriteVersion()
		}
		return receiptPath(c, v, receiptID) + "/" + action, returnActionRoute(v, action)
	}
}

// ConfirmReceipt confirms that the returned goods arrived (반품상품 입고
// 확인처리). Coupang allows it while the receipt is RETURNS_UNCHECKED; the
// receipt then moves to VENDOR_WAREHOUSE_CONFIRM, except a quick-refund
// receipt whose pickup could not be tracked, which Coupang refunds,
// approves and completes at once.
//
// A failure matching ErrOutcomeUnknown means the confirmation may have been
// applied: read the receipt with Get before confirming again, or use
// EnsureReceiptConfirmed.
//
// Endpoint: PUT /v2/providers/openapi/apis/api/v4/vendors/{vendorId}/returnRequests/{receiptId}/receiveConfirmation
// (반품상품 입고 확인처리); PATCH with WithUpdateMethod("PATCH"), v5 with
// WithReturnActionVersion("v5").
func (s *ReturnService) ConfirmReceipt(ctx context.Context, receiptID int64, opts ...CallOption) (err error) {
	ctx, observed := s.client.observeCall(ctx, opReturnsConfirmReceipt)
	defer func() { observed(err) }()
	if receiptID <= 0 {
		return invalid("receiptID", "must be positive, got %d", receiptID)
	}
	body := returnAction{VendorID: s.client.vendorID, ReceiptID: receiptID}
	return s.client.writeCall(ctx, opts, "", actionPath(receiptID, "", "receiveConfirmation"), body)
}

// Approve approves a return (반품요청 승인 처리) with cancelCount, which
// must be the receipt's whole quantity (CancelCountSum: 5 of one item and 2
// of another is 7); Coupang refuses another count. Coupang allows it at
// VENDOR_WAREHOUSE_CONFIRM, and approves confirmed receipts left alone
// after a while by itself (quick-refund receipts need no approval).
//
// A failure matching ErrOutcomeUnknown means the approval may have been
// applied: read the receipt with Get before approving again, or use
// EnsureApproved, which also takes the count from the receipt.
//
// Endpoint: PUT /v2/providers/openapi/apis/api/v4/vendors/{vendorId}/returnRequests/{receiptId}/approval
// (반품요청 승인 처리); PATCH with WithUpdateMethod("PATCH"), v5 with
// WithReturnActionVersion("v5").
func (s *ReturnService) Approve(ctx context.Context, receiptID int64, cancelCount int, opts ...CallOption) (err error) {
	ctx, observed := s.client.observeCall(ctx, opReturnsApprove)
	defer func() { observed(err) }()
	if err := checkReceiptCount(receiptID, cancelCount); err != nil {
		return err
	}
	body := returnAction{VendorID: s.client.vendorID, ReceiptID: receiptID, CancelCount: cancelCount}
	return s.client.writeCall(ctx, opts, "", actionPath(receiptID, "", "approval"), body)
}

// StopShipment reports that the shipment of a cancelled order was stopped
// (출고중지완료 처리), with cancelCount the receipt's whole quantity
// (CancelCountSum; Coupang stops per receipt, never per item). Coupang
// allows it while the receipt is RELEASE_STOP_UNCHECKED, or RETURNS_UNCHECKED
// with items not shipped (releaseStatus N); it may answer HTTP 200 with
// resultCode FAIL, returned as an *APIError matching ErrBusinessFailure.
// Shipping a stopped order anyway makes the seller pay the round trip.
//
// A failure matching ErrOutcomeUnknown means the stop may have been applied:
// read the receipt with Get before stopping again, or use
// EnsureShipmentStopped.
//
// Endpoint: PUT /v2/providers/openapi/apis/api/v4/vendors/{vendorId}/returnRequests/{receiptId}/stoppedShipment
// (출고중지완료 처리); PATCH with WithUpdateMethod("PATCH").
func (s *ReturnService) StopShipment(ctx context.Context, receiptID int64, cancelCount int, opts ...CallOption) (err error) {
	ctx, observed := s.client.observeCall(ctx, opReturnsStopShipment)
	defer func() { observed(err) }()
	if err := checkReceiptCount(receiptID, cancelCount); err != nil {
		return err
	}
	body := returnAction{VendorID: s.client.vendorID, ReceiptID: receiptID, CancelCount: cancelCount}
	return s.client.writeCall(ctx, opts, "", actionPath(receiptID, ReturnActionVersionV4, "stoppedShipment"), body)
}

// MarkShipped reports that the order of a release-stop request had already
// shipped (이미출고 처리), with the waybill it shipped under: courier is a
// courier code such as CourierCJ, invoiceNumber the waybill number (checked
// as for ExchangeInvoice.InvoiceNumber). Same preconditions as
// StopShipment; the receipt then proceeds as a return, and the seller bears
// the shipping.
//
// A failure matching ErrOutcomeUnknown means it may have been applied: read
// the receipt with Get before sending it again, or use EnsureMarkedShipped.
//
// Endpoint: PUT /v2/providers/openapi/apis/api/v4/vendors/{vendorId}/returnRequests/{receiptId}/completedShipment
// (이미출고 처리); PATCH with WithUpdateMethod("PATCH").
func (s *ReturnService) MarkShipped(ctx context.Context, receiptID int64, courier, invoiceNumber string, opts ...CallOption) (err error) {
	ctx, observed := s.client.observeCall(ctx, opReturnsMarkShipped)
	defer func() { observed(err) }()
	if receiptID <= 0 {
		return invalid("receiptID", "must be positive, got %d", receiptID)
	}
	if err := checkCourierCode("courier", courier); err != nil {
		return err
	}
	if err := checkInvoiceNumber("invoiceNumber", invoiceNumber); err != nil {
		return err
	}
	body := returnAction{VendorID: s.client.vendorID, ReceiptID: receiptID, DeliveryCompanyCode: courier, InvoiceNumber: invoiceNumber}
	return s.client.writeCall(ctx, opts, "", actionPath(receiptID, ReturnActionVersionV4, "completedShipment"), body)
}

// UploadPickupInvoice registers the waybill under which the seller has the
// returned goods picked up (회수 송장 등록), for a seller who collects
// returns itself rather than through Coupang's automatic return integration.
// Coupang allows it while the receipt is RETURNS_UNCHECKED. It does not
// lock the return: the customer can still withdraw until the courier picks
// the goods up.
//
// A failure matching ErrOutcomeUnknown means the waybill may have been
// registered: whether a second registration adds a waybill or is refused is
// not documented, so read the receipt with Get (its PickupWaybills) before
// sending it again, or use EnsurePickupInvoiceUploaded.
//
// Endpoint: POST /v2/providers/openapi/apis/api/v4/vendors/{vendorId}/return-exchange-invoices/manual
// (회수 송장 등록) with returnExchangeDeliveryType RETURN.
func (s *ReturnService) UploadPickupInvoice(ctx context.Context, receiptID int64, courier, invoiceNumber string, opts ...CallOption) (err error) {
	ctx, observed := s.client.observeCall(ctx, opReturnsUploadPickupInvoice)
	defer func() { observed(err) }()
	return s.client.uploadPickupInvoice(ctx, pickupReturn, receiptID, courier, invoiceNumber, opts)
}

// checkReceiptCount checks the receipt id and cancelCount of Approve and
// StopShipment.
func checkReceiptCount(receiptID int64, cancelCount int) error {
	if receiptID <= 0 {
		return invalid("receiptID", "must be positive, got %d", receiptID)
	}
	if cancelCount <= 0 || cancelCount > maxCancelCount {
		return invalid("cancelCount", "must be the receipt's whole quantity (CancelCountSum), between 1 and %s, got %d",
			strconv.Itoa(maxCancelCount), cancelCount)
	}
	return nil
}
