package coupang

import (
	"fmt"
	"log/slog"
)

// Redaction of the exchange models (see redact.go): an ExchangeRequest holds
// the customer's name, phones and address and their own words. Each model
// prints and logs only ids, statuses, counts, codes and times.

func (e ExchangeRequest) safeAttrs() []slog.Attr {
	attrs := []slog.Attr{
		slog.Int64("exchangeId", int64(e.ExchangeID)),
		slog.Int64("orderId", int64(e.OrderID)),
	}
	attrs = append(attrs, stringAttr("vendorId", e.VendorID)...)
	attrs = append(attrs, stringAttr("status", string(e.Status))...)
	attrs = append(attrs, stringAttr("orderDeliveryStatus", string(e.OrderDeliveryStatus))...)
	attrs = append(attrs, stringAttr("collectStatus", string(e.CollectStatus))...)
	attrs = append(attrs, stringAttr("deliveryStatus", string(e.DeliveryStatus))...)
	attrs = append(attrs, stringAttr("reasonCode", e.ReasonCode)...)
	attrs = append(attrs, stringAttr("faultType", string(e.FaultType))...)
	attrs = append(attrs, timeAttr("createdAt", e.CreatedAt)...)
	attrs = append(attrs, timeAttr("modifiedAt", e.ModifiedAt)...)
	attrs = append(attrs, timeAttr("collectCompleteDate", e.CollectCompleteDate)...)
	return append(attrs, slog.Int("items", len(e.Items)))
}

// LogValue logs the exchange's ids, statuses, reason code and times only:
// never names, addresses, phone or safe numbers, memos or the customer's
// words.
func (e ExchangeRequest) LogValue() slog.Value { return slog.GroupValue(e.safeAttrs()...) }

// String describes the exchange by ids, statuses, reason code and times,
// without personal data.
func (e ExchangeRequest) String() string {
	return attrsString("coupang.ExchangeRequest", e.safeAttrs())
}

// GoString is String, so %#v is redacted too.
func (e ExchangeRequest) GoString() string { return e.String() }

// Format prints String for every verb (%v, %+v, %s, %#v, …), so no verb
// dumps the personal fields.
func (e ExchangeRequest) Format(f fmt.State, verb rune) { formatRedacted(f, verb, e.String()) }

func (a ExchangeAddress) safeAttrs() []slog.Attr {
	attrs := []slog.Attr{
		slog.Int64("exchangeAddressId", int64(a.ExchangeAddressID)),
		slog.Int64("exchangeId", int64(a.ExchangeID)),
	}
	attrs = append(attrs, timeAttr("createdAt", a.CreatedAt)...)
	return append(attrs, timeAttr("modifiedAt", a.ModifiedAt)...)
}

// LogValue logs the address record's ids and times only.
func (a ExchangeAddress) LogValue() slog.Value { return slog.GroupValue(a.safeAttrs()...) }

// String describes the address record by ids and times, without the address.
func (a ExchangeAddress) String() string {
	return attrsString("coupang.ExchangeAddress", a.safeAttrs())
}

// GoString is String, so %#v is redacted too.
func (a ExchangeAddress) GoString() string { return a.String() }

// Format prints String for every verb.
func (a ExchangeAddress) Format(f fmt.State, verb rune) { formatRedacted(f, verb, a.String()) }

func (d ExchangeReturnDestination) safeAttrs() []slog.Attr {
	attrs := []slog.Attr{
		slog.Int64("returnDeliveryId", int64(d.ReturnDeliveryID)),
		slog.Int64("receiptId", int64(d.ReceiptID)),
		slog.Int64("orderId", int64(d.OrderID)),
	}
	return append(attrs, stringAttr("safetyNumberStatus", string(d.SafetyNumberStatus))...)
}

// LogValue logs the pickup's ids and safe-number status only.
func (d ExchangeReturnDestination) LogValue() slog.Value { return slog.GroupValue(d.safeAttrs()...) }

// String describes the pickup by ids, without names, addresses or numbers.
func (d ExchangeReturnDestination) String() string {
	return attrsString("coupang.ExchangeReturnDestination", d.safeAttrs())
}

// GoString is String, so %#v is redacted too.
func (d ExchangeReturnDestination) GoString() string { return d.String() }

// Format prints String for every verb.
func (d ExchangeReturnDestination) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, d.String())
}

func (ci CollectInformation) safeAttrs() []slog.Attr {
	attrs := stringAttr("returnType", string(ci.ReturnType))
	attrs = append(attrs, timeAttr("expectedReturnDate", ci.ExpectedReturnDate)...)
	attrs = append(attrs, slog.Int("items", len(ci.Items)))
	return append(attrs, slog.Attr{Key: "destination", Value: ci.Destination.LogValue()})
}

// LogValue logs the pickup's type, date and ids only: Destination holds the
// customer's name, address and phone numbers.
func (ci CollectInformation) LogValue() slog.Value { return slog.GroupValue(ci.safeAttrs()...) }

// String describes the pickup without personal data.
func (ci CollectInformation) String() string {
	return attrsString("coupang.CollectInformation", ci.safeAttrs())
}

// GoString is String, so %#v is redacted too.
func (ci CollectInformation) GoString() string { return ci.String() }

// Format prints String for every verb.
func (ci CollectInformation) Format(f fmt.State, verb rune) { formatRedacted(f, verb, ci.String()) }

// Format prints the box's fields for every verb, ExtraMessage redacted (see
// PersonalText); %#v is prefixed with the type's name, %q quoted.
func (g DeliveryInvoiceGroup) Format(f fmt.State, verb rune) {
	type plain DeliveryInvoiceGroup
	formatFields(f, verb, "coupang.DeliveryInvoiceGroup", plain(g))
}

// Format prints the page's exchanges as ExchangeRequest prints them (no
// personal data), its NextToken and TransactionID, for every verb; %#v is
// prefixed with the type's name, %q quoted.
func (p ExchangePage) Format(f fmt.State, verb rune) {
	formatFields(f, verb, "coupang.ExchangePage", struct {
		Items         []ExchangeRequest
		NextToken     string
		TransactionID string
	}{p.Items, p.NextToken, p.TransactionID})
}

// LogValue logs the page's size, token length and transactionId, and each
// exchange redacted (see ExchangeRequest.LogValue). Without it slog's JSON
// handler would serialise every field of every exchange.
func (p ExchangePage) LogValue() slog.Value {
	attrs := []slog.Attr{slog.Int("count", len(p.Items)), slog.Bool("more", p.NextToken != "")}
	attrs = append(attrs, stringAttr("transactionId", p.TransactionID)...)
	attrs = append(attrs, slog.Any("items", redactedList[ExchangeRequest](p.Items)))
	return slog.GroupValue(attrs...)
}
