package coupangtest

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/go-coupang/coupang"
)

// cloneExchange returns a deep copy of ex, so that callers and the server
// never share slices or pointers.
func cloneExchange(ex coupang.ExchangeRequest) coupang.ExchangeRequest {
	ex.Items = slices.Clone(ex.Items)
	for i := range ex.Items {
		it := &ex.Items[i]
		it.OrderItemDeliveryComplete = cloneBool(it.OrderItemDeliveryComplete)
		it.OrderItemReturnComplete = cloneBool(it.OrderItemReturnComplete)
		it.TargetItemDeliveryComplete = cloneBool(it.TargetItemDeliveryComplete)
	}
	ex.DeliveryInvoiceGroups = slices.Clone(ex.DeliveryInvoiceGroups)
	for i := range ex.DeliveryInvoiceGroups {
		g := &ex.DeliveryInvoiceGroups[i]
		g.Invoices = slices.Clone(g.Invoices)
		for j := range g.Invoices {
			g.Invoices[j].Items = slices.Clone(g.Invoices[j].Items)
		}
	}
	ex.CollectInformation.Items = slices.Clone(ex.CollectInformation.Items)
	ex.ReturnDeliveries = slices.Clone(ex.ReturnDeliveries)
	return ex
}

func cloneBool(p *bool) *bool {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// withLabels fills the empty *Label fields of ex from their codes: in Korean
// when korean is set, otherwise with the code itself (Coupang does both).
func withLabels(ex coupang.ExchangeRequest, korean bool) coupang.ExchangeRequest {
	label := func(dst *string, code string, ko string) {
		if *dst != "" || code == "" {
			return
		}
		*dst = code
		if korean {
			*dst = ko
		}
	}
	label(&ex.OrderDeliveryStatusLabel, string(ex.OrderDeliveryStatus), ex.OrderDeliveryStatus.Korean())
	label(&ex.StatusLabel, string(ex.Status), ex.Status.Korean())
	label(&ex.ReferTypeLabel, string(ex.ReferType), ex.ReferType.Korean())
	label(&ex.FaultTypeLabel, string(ex.FaultType), ex.FaultType.Korean())
	label(&ex.CreatedByTypeLabel, string(ex.CreatedByType), ex.CreatedByType.Korean())
	label(&ex.ModifiedByTypeLabel, string(ex.ModifiedByType), ex.ModifiedByType.Korean())
	return ex
}

// withEmptyArrays replaces nil slices with empty ones: Coupang sends [] for
// an empty list, never null.
func withEmptyArrays(ex coupang.ExchangeRequest) coupang.ExchangeRequest {
	if ex.Items == nil {
		ex.Items = []coupang.ExchangeItem{}
	}
	if ex.DeliveryInvoiceGroups == nil {
		ex.DeliveryInvoiceGroups = []coupang.DeliveryInvoiceGroup{}
	}
	for i := range ex.DeliveryInvoiceGroups {
		g := &ex.DeliveryInvoiceGroups[i]
		if g.Invoices == nil {
			g.Invoices = []coupang.DeliveryInvoice{}
		}
		for j := range g.Invoices {
			if g.Invoices[j].Items == nil {
				g.Invoices[j].Items = []coupang.InvoiceVendorItem{}
			}
		}
	}
	if ex.CollectInformation.Items == nil {
		ex.CollectInformation.Items = []coupang.ExchangeReturnDeliveryItem{}
	}
	if ex.ReturnDeliveries == nil {
		ex.ReturnDeliveries = []coupang.ExchangeReturnDelivery{}
	}
	return ex
}

// encodeExchange writes ex as one element of a list answer. With quirks it
// reproduces, deterministically per exchange id, what Coupang's real answers
// do to a decoder (reference §5): numeric strings, timestamps with a space or
// as epoch milliseconds, nulls for empty values, Korean labels, unknown extra
// fields. Every quirk keeps the meaning, so a tolerant decoder reads back
// exactly ex.
func encodeExchange(ex coupang.ExchangeRequest, quirks bool) (json.RawMessage, error) {
	id := ex.ExchangeID
	ex = withEmptyArrays(withLabels(ex, quirks && id%2 == 0))
	b, err := coupang.MarshalExchange(ex)
	if err != nil || !quirks {
		return b, err
	}
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber() // keep 18-digit box ids exact
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	applyQuirks(m, id)
	return json.Marshal(m)
}

// applyQuirks rewrites one encoded exchange in place.
func applyQuirks(m map[string]any, id int64) {
	// Fields Coupang sends as null rather than "" or 0.
	m["reason"] = nil
	nullIfEmpty(m, "cancelReason", "reasonEtcDetail")
	if id%4 == 1 {
		toNumericString(m, "orderId")
	}
	if id%5 == 2 {
		spaceTime(m, "createdAt", "modifiedAt")
	}
	if id%3 == 0 {
		m["exchangeDeliveryFeeType"] = "FREE"
		m["claimMeta"] = map[string]any{"channel": "WING", "version": json.Number("2")}
	}
	for _, it := range objects(m["exchangeItemDtoV1s"]) {
		nullIfEmpty(it, "orderItemName", "orderPackageName")
		nullIfZero(it, "orderPackageId")
		if id%4 == 1 {
			toNumericString(it, "targetItemUnitPrice", "originalShipmentBoxId")
		}
		if id%5 == 2 {
			spaceTime(it, "createdAt", "modifiedAt")
		}
		if id%3 == 0 {
			it["vendorItemPackageId"] = nil
		}
	}
	if addr, ok := m["exchangeAddressDtoV1"].(map[string]any); ok {
		nullIfEmpty(addr, "returnPhone", "returnMemo", "deliveryPhone", "deliveryMemo")
		if id%7 == 3 {
			epochTime(addr, "createdAt", "modifiedAt")
		}
	}
	for _, g := range objects(m["deliveryInvoiceGroupDtos"]) {
		nullIfEmpty(g, "shippingDeliveryType", "extraMessage", "customerType", "bundleType")
		if id%4 == 1 {
			toNumericString(g, "shipmentBoxId", "orderId")
		}
		for _, inv := range objects(g["deliveryInvoiceDtos"]) {
			nullIfEmpty(inv, "invoiceNumber")
		}
	}
	if ci, ok := m["collectInformationsDto"].(map[string]any); ok {
		if id%7 == 3 {
			epochTime(ci, "expectedReturnDate")
		}
		for _, it := range objects(ci["returndeliveryItemDtos"]) {
			nullIfZero(it, "returnCount")
			nullIfEmpty(it, "confirmType")
			if id%4 == 3 {
				toNumber(it, "modifiedBy", "createdBy")
			}
		}
		if dst, ok := ci["returndeliveryDestinationDto"].(map[string]any); ok {
			nullIfZero(dst, "returnDeliveryId", "receiptId")
			nullIfEmpty(dst, "orderedByMobile", "message", "customerPhone")
			if id%4 == 3 {
				toNumber(dst, "vendorZipCode", "customerZipCode")
				toNumericString(dst, "safetyNumberId")
			}
		}
	}
}

// objects returns the JSON objects of an array value.
func objects(v any) []map[string]any {
	arr, _ := v.([]any)
	out := make([]map[string]any, 0, len(arr))
	for _, e := range arr {
		if o, ok := e.(map[string]any); ok {
			out = append(out, o)
		}
	}
	return out
}

func nullIfEmpty(m map[string]any, keys ...string) {
	for _, k := range keys {
		if s, ok := m[k].(string); ok && s == "" {
			m[k] = nil
		}
	}
}

func nullIfZero(m map[string]any, keys ...string) {
	for _, k := range keys {
		if n, ok := m[k].(json.Number); ok && n == "0" {
			m[k] = nil
		}
	}
}

// toNumericString turns a number into a string of its digits.
func toNumericString(m map[string]any, keys ...string) {
	for _, k := range keys {
		if n, ok := m[k].(json.Number); ok {
			m[k] = n.String()
		}
	}
}

// toNumber turns a string of digits (with no leading zero) into a number.
func toNumber(m map[string]any, keys ...string) {
	for _, k := range keys {
		s, ok := m[k].(string)
		if !ok || s == "" || s[0] == '0' || strings.Trim(s, "0123456789") != "" {
			continue
		}
		m[k] = json.Number(s)
	}
}

// spaceTime writes "2006-01-02 15:04:05" instead of "2006-01-02T15:04:05".
func spaceTime(m map[string]any, keys ...string) {
	for _, k := range keys {
		if s, ok := m[k].(string); ok && len(s) == len(wireLayout) && s[10] == 'T' {
			m[k] = s[:10] + " " + s[11:]
		}
	}
}

// epochTime writes a timestamp as epoch milliseconds, as older answers did.
func epochTime(m map[string]any, keys ...string) {
	for _, k := range keys {
		s, ok := m[k].(string)
		if !ok {
			continue
		}
		t, err := coupang.ParseTime(s)
		if err != nil || t.IsZero() {
			continue
		}
		m[k] = json.Number(strconv.FormatInt(t.UnixMilli(), 10))
	}
}
