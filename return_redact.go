package coupang

import (
	"fmt"
	"log/slog"
)

// Redaction of the return models (see redact.go): a ReturnRequest holds the
// requester's name, phone numbers and address and the customer's own words,
// a ReturnItem the WING id of whoever completed a cancellation. They print
// and log only ids, statuses, counts, the reason code and times.

// ---- ReturnRequest ----

func (r ReturnRequest) safeAttrs() []slog.Attr {
	attrs := []slog.Attr{
		slog.Int64("receiptId", r.ReceiptID),
		slog.Int64("orderId", r.OrderID),
	}
	attrs = append(attrs, stringAttr("receiptType", string(r.ReceiptType))...)
	attrs = append(attrs, stringAttr("status", string(r.Status))...)
	attrs = append(attrs, stringAttr("releaseStopStatus", string(r.ReleaseStopStatus))...)
	attrs = append(attrs, stringAttr("returnDeliveryType", string(r.ReturnDeliveryType))...)
	attrs = append(attrs, stringAttr("reasonCode", r.ReasonCode)...)
	attrs = append(attrs, stringAttr("faultByType", string(r.FaultByType))...)
	attrs = append(attrs, slog.Bool("preRefund", r.PreRefund), slog.Int64("cancelCountSum", r.CancelCountSum))
	attrs = append(attrs, timeAttr("createdAt", r.CreatedAt)...)
	attrs = append(attrs, timeAttr("modifiedAt", r.ModifiedAt)...)
	attrs = append(attrs, timeAttr("completeConfirmDate", r.CompleteConfirmDate)...)
	return append(attrs, slog.Int("items", len(r.Items)))
}

// LogValue logs the receipt's ids, statuses, counts, reason code and times
// only: never the requester's name, phone numbers or address, the
// customer's words or the cancelling user's id.
func (r ReturnRequest) LogValue() slog.Value { return slog.GroupValue(r.safeAttrs()...) }

// String describes the receipt without personal data.
func (r ReturnRequest) String() string { return attrsString("coupang.ReturnRequest", r.safeAttrs()) }

// GoString is String, so %#v is redacted too.
func (r ReturnRequest) GoString() string { return r.String() }

// Format prints String for every verb (%v, %+v, %s, %#v, …).
func (r ReturnRequest) Format(f fmt.State, verb rune) { formatRedacted(f, verb, r.String()) }

// ---- ReturnItem ----

func (it ReturnItem) safeAttrs() []slog.Attr {
	attrs := []slog.Attr{
		slog.Int64("vendorItemId", it.VendorItemID),
		slog.Int64("sellerProductId", it.SellerProductID),
		slog.Int64("shipmentBoxId", it.ShipmentBoxID),
		slog.Int64("purchaseCount", it.PurchaseCount),
		slog.Int64("cancelCount", it.CancelCount),
	}
	return append(attrs, stringAttr("releaseStatus", string(it.ReleaseStatus))...)
}

// LogValue logs the item's ids, counts and release status only, never the
// cancelling user's id.
func (it ReturnItem) LogValue() slog.Value { return slog.GroupValue(it.safeAttrs()...) }

// String describes the item without personal data.
func (it ReturnItem) String() string { return attrsString("coupang.ReturnItem", it.safeAttrs()) }

// GoString is String, so %#v is redacted too.
func (it ReturnItem) GoString() string { return it.String() }

// Format prints String for every verb.
func (it ReturnItem) Format(f fmt.State, verb rune) { formatRedacted(f, verb, it.String()) }

// ---- ReturnPage ----

// LogValue logs the page's size, whether more follow, its transactionId
// and each receipt redacted. Without it slog's JSON handler would serialise
// every field of every receipt.
func (p ReturnPage) LogValue() slog.Value {
	attrs := []slog.Attr{slog.Int("count", len(p.Items)), slog.Bool("more", p.NextToken != "")}
	attrs = append(attrs, stringAttr("transactionId", p.TransactionID)...)
	attrs = append(attrs, slog.Any("items", redactedList[ReturnRequest](p.Items)))
	return slog.GroupValue(attrs...)
}

// Format prints the page's receipts as ReturnRequest prints them (no
// personal data), its NextToken and TransactionID, for every verb; %#v is
// prefixed with the type's name, %q quoted. Without it a verb that does not
// fit a pointer (%s of a []*ReturnPage) would print the fields raw.
func (p ReturnPage) Format(f fmt.State, verb rune) {
	formatFields(f, verb, "coupang.ReturnPage", struct {
		Items         []ReturnRequest
		NextToken     string
		TransactionID string
	}{p.Items, p.NextToken, p.TransactionID})
}

// ---- ReturnChange ----
