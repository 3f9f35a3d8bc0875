package coupangtest

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"

	"github.com/go-coupang/coupang"
)

// encodeReturn writes r as one element of a return answer of version ver:
// v4 with plain numbers for money and Korea times without an offset, v6
// with {currencyCode, units, nanos} objects, ISO times with microseconds
// and an offset, and phone numbers in an international form. With quirks it
// reproduces, deterministically per receipt id, what Coupang's answers do
// to a decoder (reference §9): numeric strings, null for empty text, ""
// for an absent date, space-padded and duplicated pickup waybills and an
// empty waybill entry, unknown fields. Every quirk keeps the meaning.
func encodeReturn(r coupang.ReturnRequest, ver string, quirks bool) (json.RawMessage, error) {
	id := r.ReceiptID
	if r.Items == nil {
		r.Items = []coupang.ReturnItem{}
	}
	if r.Deliveries == nil {
		r.Deliveries = []coupang.ReturnDelivery{}
	}
	b, err := coupang.MarshalReturn(r)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber() // keep 18-digit ids exact
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	v6 := ver == "v6"
	for _, k := range []string{"enclosePrice", "returnShippingCharge"} {
		units := json.Number("0")
		switch v := m[k].(type) {
		case json.Number:
			units = v
		case map[string]any:
			if u, ok := v["units"].(json.Number); ok {
				units = u
			}
		}
		if v6 {
			m[k] = map[string]any{"currencyCode": "KRW", "units": units, "nanos": json.Number("0")}
		} else {
			m[k] = units
		}
	}
	if v6 {
		for _, k := range []string{"createdAt", "modifiedAt"} {
			var t time.Time
			switch k {
			case "createdAt":
				t = r.CreatedAt
			default:
				t = r.ModifiedAt
			}
			if !t.IsZero() {
				m[k] = t.In(coupang.KoreaLocation()).Format("2006-01-02T15:04:05.000000-07:00")
			}
		}
		for _, k := range []string{"requesterPhoneNumber", "requesterRealPhoneNumber"} {
			if s, ok := m[k].(string); ok && strings.HasPrefix(s, "0") {
				m[k] = "+82" + s[1:]
			}
		}
	}
	if !quirks {
		return json.Marshal(m)
	}
	if s, _ := m["requesterRealPhoneNumber"].(string); s == "" {
		m["requesterRealPhoneNumber"] = nil // documented and sampled as null
	}
	if m["completeConfirmDate"] == nil {
		m["completeConfirmDate"] = "" // samples show "", not null
	}
	if id%2 == 0 {
		nullIfEmpty(m, "cancelReason", "requesterAddressDetail")
	}
	if id%3 == 0 {
		toNumericString(m, "orderId", "cancelCountSum")
		m["claimChannel"] = "APP"
	}
	if id%5 == 2 && !v6 {
		spaceTime(m, "createdAt", "modifiedAt")
	}
	for _, it := range objects(m["returnItems"]) {
		nullIfEmpty(it, "vendorItemPackageName", "cancelCompleteUser")
		if id%3 == 0 {
			toNumericString(it, "shipmentBoxId", "vendorItemId")
		}
	}
	if ds := objects(m["returnDeliveryDtos"]); id%4 == 1 && len(ds) > 0 {
		// The first waybill again, padded with a space, and an empty entry.
		first := ds[0]
		padded := map[string]any{"deliveryCompanyCode": first["deliveryCompanyCode"], "deliveryInvoiceNo": first["deliveryInvoiceNo"]}
		if s, ok := padded["deliveryInvoiceNo"].(string); ok && s != "" {
			padded["deliveryInvoiceNo"] = s + " "
		}
		arr, _ := m["returnDeliveryDtos"].([]any)
		m["returnDeliveryDtos"] = append(arr, padded, map[string]any{"deliveryCompanyCode": "", "deliveryInvoiceNo": nil})
	}
	return json.Marshal(m)
}
