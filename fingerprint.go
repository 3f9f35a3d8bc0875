package coupang

import (
	"strconv"

	"github.com/go-coupang/coupang/internal/claims"
)

// exchangeSchema is what a change store keeps of an exchange (see
// Changes): which of the filled fields are set, and a hash of each tracked
// field. The order of both lists is part of the stored format: append only,
// and bump the version when changing it.
var exchangeSchema = &claims.Schema[ExchangeRequest]{
	Version: "f1.",
	Fields: []claims.Field[ExchangeRequest]{
		{Name: "Status", Hash: func(e *ExchangeRequest) uint32 { return claims.HashString(string(e.Status)) }},
		{Name: "OrderDeliveryStatus", Hash: func(e *ExchangeRequest) uint32 { return claims.HashString(string(e.OrderDeliveryStatus)) }},
		{Name: "CollectStatus", Hash: func(e *ExchangeRequest) uint32 { return claims.HashString(string(e.CollectStatus)) }},
		{Name: "DeliveryStatus", Hash: func(e *ExchangeRequest) uint32 { return claims.HashString(string(e.DeliveryStatus)) }},
		{Name: "Rejectable", Boolean: true, Hash: func(e *ExchangeRequest) uint32 { return claims.HashBool(e.Rejectable) }},
		{Name: "Successable", Boolean: true, Hash: func(e *ExchangeRequest) uint32 { return claims.HashBool(e.Successable) }},
		{Name: "DeliveryInvoiceModifiable", Boolean: true, Hash: func(e *ExchangeRequest) uint32 { return claims.HashBool(e.DeliveryInvoiceModifiable) }},
		{Name: "DeliveryInvoiceGroups", Hash: hashBoxes},
		{Name: "DeliveryInvoiceGroups.Invoices", Hash: hashWaybills},
		{Name: "ReturnDeliveries", Hash: hashReturnWaybills},
		{Name: "CancelReason", Hash: func(e *ExchangeRequest) uint32 { return claims.HashString(string(e.CancelReason)) }},
		{Name: "ModifiedAt", Hash: func(e *ExchangeRequest) uint32 { return claims.HashUnix(e.ModifiedAt.IsZero(), e.ModifiedAt.Unix()) }},
		{Name: "CollectCompleteDate", Hash: func(e *ExchangeRequest) uint32 {
			return claims.HashUnix(e.CollectCompleteDate.IsZero(), e.CollectCompleteDate.Unix())
		}},
	},
	Filled: []claims.Filled[ExchangeRequest]{
		{Name: "OrderID", Filled: func(e *ExchangeRequest) bool { return e.OrderID != 0 }},
		{Name: "ReasonCode", Filled: func(e *ExchangeRequest) bool { return e.ReasonCode != "" }},
		{Name: "Items", Filled: func(e *ExchangeRequest) bool { return len(e.Items) > 0 }},
		{Name: "Address.ReturnCustomerName", Filled: func(e *ExchangeRequest) bool { return e.Address.ReturnCustomerName != "" }},
		{Name: "Address.ReturnAddress", Filled: func(e *ExchangeRequest) bool { return e.Address.ReturnAddress != "" }},
		{Name: "Address.ReturnPhone", Filled: func(e *ExchangeRequest) bool { return e.Address.ReturnPhone != "" }},
		{Name: "Address.ReturnMobile", Filled: func(e *ExchangeRequest) bool { return e.Address.ReturnMobile != "" }},
		{Name: "Address.DeliveryCustomerName", Filled: func(e *ExchangeRequest) bool { return e.Address.DeliveryCustomerName != "" }},
		{Name: "Address.DeliveryAddress", Filled: func(e *ExchangeRequest) bool { return e.Address.DeliveryAddress != "" }},
		{Name: "Address.DeliveryPhone", Filled: func(e *ExchangeRequest) bool { return e.Address.DeliveryPhone != "" }},
		{Name: "Address.DeliveryMobile", Filled: func(e *ExchangeRequest) bool { return e.Address.DeliveryMobile != "" }},
		{Name: "CollectInformation.Items", Filled: func(e *ExchangeRequest) bool { return len(e.CollectInformation.Items) > 0 }},
		{Name: "CollectInformation.Destination.SafetyNumber", Filled: func(e *ExchangeRequest) bool {
			return e.CollectInformation.Destination.SafetyNumber != ""
		}},
		{Name: "CollectInformation.Destination.CustomerName", Filled: func(e *ExchangeRequest) bool {
			return e.CollectInformation.Destination.CustomerName != ""
		}},
		{Name: "CollectInformation.Destination.CustomerAddress", Filled: func(e *ExchangeRequest) bool {
			return e.CollectInformation.Destination.CustomerAddress != ""
		}},
		{Name: "CollectInformation.Destination.CustomerPhone", Filled: func(e *ExchangeRequest) bool {
			return e.CollectInformation.Destination.CustomerPhone != ""
		}},
		{Name: "CollectInformation.Destination.CustomerMobile", Filled: func(e *ExchangeRequest) bool {
			return e.CollectInformation.Destination.CustomerMobile != ""
		}},
		{Name: "CollectInformation.Destination.VendorAddress", Filled: func(e *ExchangeRequest) bool {
			return e.CollectInformation.Destination.VendorAddress != ""
		}},
	},
}

// hashBoxes hashes the set of shipment box ids, in any order.
func hashBoxes(e *ExchangeRequest) uint32 {
	ids := make([]int64, 0, len(e.DeliveryInvoiceGroups))
	for _, g := range e.DeliveryInvoiceGroups {
		ids = append(ids, g.ShipmentBoxID)
	}
	return claims.HashInt64s(ids)
}

// hashWaybills hashes every waybill of every box: box, courier, number and
// status, sorted so that Coupang's order does not matter.
func hashWaybills(e *ExchangeRequest) uint32 {
	var parts []string
	for _, g := range e.DeliveryInvoiceGroups {
		for _, inv := range g.Invoices {
			if inv.InvoiceNumber == "" && inv.DeliverCode == "" && inv.StatusCode == "" {
				continue
			}
			parts = append(parts, strconv.FormatInt(g.ShipmentBoxID, 10)+"|"+inv.DeliverCode+"|"+inv.InvoiceNumber+"|"+string(inv.StatusCode))
		}
	}
	return claims.HashSorted(parts)
}

// hashReturnWaybills hashes the pickup waybills.
func hashReturnWaybills(e *ExchangeRequest) uint32 {
	var parts []string
	for _, r := range e.ReturnDeliveries {
		if r.DeliveryInvoiceNo == "" && r.DeliveryCompanyCode == "" {
			continue
		}
		parts = append(parts, r.DeliveryCompanyCode+"|"+r.DeliveryInvoiceNo)
	}
	return claims.HashSorted(parts)
}
