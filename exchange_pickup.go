package coupang

import (
	"context"
	"net/http"
)

// The pickup-waybill endpoint (회수 송장 등록) is shared by returns and
// exchanges: returnExchangeDeliveryType says which, and receiptId carries
// the return's receiptId or the exchange's exchangeId.

// pickupKind is the returnExchangeDeliveryType of the shared endpoint.
type pickupKind string

const (
	pickupReturn   pickupKind = "RETURN"
	pickupExchange pickupKind = "EXCHANGE"
)

// pickupInvoice is the body of the shared endpoint: ids as JSON numbers.
type pickupInvoice struct {
	ReturnExchangeDeliveryType pickupKind `json:"returnExchangeDeliveryType"`
	ReceiptID                  int64      `json:"receiptId"`
	DeliveryCompanyCode        string     `json:"deliveryCompanyCode"`
	InvoiceNumber              string     `json:"invoiceNumber"`
}

// uploadPickupInvoice sends one pickup waybill of kind for id.
func (c *Client) uploadPickupInvoice(ctx context.Context, kind pickupKind, id int64, courier, invoiceNumber string, opts []CallOption) error {
	field := "receiptID"
	if kind == pickupExchange {
		field = "exchangeID"
	}
	if id <= 0 {
		return invalid(field, "must be positive, got %d", id)
	}
	if err := checkCourierCode("courier", courier); err != nil {
		return err
	}
	if err := checkInvoiceNumber("invoiceNumber", invoiceNumber); err != nil {
		return err
	}
	body := pickupInvoice{ReturnExchangeDeliveryType: kind, ReceiptID: id, DeliveryCompanyCode: courier, InvoiceNumber: invoiceNumber}
	return c.writeCall(ctx, opts, http.MethodPost, func(c *Client) (string, string) {
		return c.vendorPath("v4") + "/return-exchange-invoices/manual", routePickupInvoice
	}, body)
}

// UploadPickupInvoice registers the waybill under which the seller has the
// exchanged item picked up (회수 송장 등록), for a seller who collects it
// itself. Coupang allows it while the exchange's pickup is BeforeDirection
// (회수연동 전).
//
// A failure matching ErrOutcomeUnknown means the waybill may have been
// registered: list the exchange again (Relist: its ReturnDeliveries) before
// sending it again, or use EnsurePickupInvoiceUploaded.
//
// Endpoint: POST /v2/providers/openapi/apis/api/v4/vendors/{vendorId}/return-exchange-invoices/manual
// (회수 송장 등록) with returnExchangeDeliveryType EXCHANGE and the
// exchangeId as receiptId.
func (s *ExchangeService) UploadPickupInvoice(ctx context.Context, exchangeID int64, courier, invoiceNumber string, opts ...CallOption) (err error) {
	ctx, observed := s.client.observeCall(ctx, opUploadPickupInvoice)
	defer func() { observed(err) }()
	return s.client.uploadPickupInvoice(ctx, pickupExchange, exchangeID, courier, invoiceNumber, opts)
}
