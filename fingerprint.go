package coupang

import (
	"encoding/base64"
	"encoding/binary"
	"hash/fnv"
	"slices"
	"strconv"
)

// fingerprintVersion prefixes every encoded fingerprint, so that a store
// written by a version tracking other fields is recognised, not misread.
const fingerprintVersion = "f1."

// trackedField is one field Changes compares. Its hash is 0 when the field
// is empty, so that "went empty" can be told from "changed".
type trackedField struct {
	name string
	// boolean fields are never "empty": false is a value.
	boolean bool
	hash    func(e *ExchangeRequest) uint32
}

// trackedFields are the fields whose change makes an ExchangeChange. The
// order is part of the stored format: append only, and bump
// fingerprintVersion when changing it.
var trackedFields = [...]trackedField{
	{name: "Status", hash: func(e *ExchangeRequest) uint32 { return hashString(string(e.Status)) }},
	{name: "OrderDeliveryStatus", hash: func(e *ExchangeRequest) uint32 { return hashString(string(e.OrderDeliveryStatus)) }},
	{name: "CollectStatus", hash: func(e *ExchangeRequest) uint32 { return hashString(string(e.CollectStatus)) }},
	{name: "DeliveryStatus", hash: func(e *ExchangeRequest) uint32 { return hashString(string(e.DeliveryStatus)) }},
	{name: "Rejectable", boolean: true, hash: func(e *ExchangeRequest) uint32 { return hashBool(e.Rejectable) }},
	{name: "Successable", boolean: true, hash: func(e *ExchangeRequest) uint32 { return hashBool(e.Successable) }},
	{name: "DeliveryInvoiceModifiable", boolean: true, hash: func(e *ExchangeRequest) uint32 { return hashBool(e.DeliveryInvoiceModifiable) }},
	{name: "DeliveryInvoiceGroups", hash: hashBoxes},
	{name: "DeliveryInvoiceGroups.Invoices", hash: hashWaybills},
	{name: "ReturnDeliveries", hash: hashReturnWaybills},
	{name: "CancelReason", hash: func(e *ExchangeRequest) uint32 { return hashString(string(e.CancelReason)) }},
	{name: "ModifiedAt", hash: func(e *ExchangeRequest) uint32 { return hashUnix(e.ModifiedAt.IsZero(), e.ModifiedAt.Unix()) }},
	{name: "CollectCompleteDate", hash: func(e *ExchangeRequest) uint32 {
		return hashUnix(e.CollectCompleteDate.IsZero(), e.CollectCompleteDate.Unix())
	}},
}

// filledFields are the fields whose going from empty to filled is a change:
// what a re-collection after an incident brings. Only whether each is filled
// is stored, as one bit, never the value (most are personal data). The order
// is part of the stored format: append only (at most 32).
var filledFields = [...]struct {
	name   string
	filled func(e *ExchangeRequest) bool
}{
	{"OrderID", func(e *ExchangeRequest) bool { return e.OrderID != 0 }},
	{"ReasonCode", func(e *ExchangeRequest) bool { return e.ReasonCode != "" }},
	{"Items", func(e *ExchangeRequest) bool { return len(e.Items) > 0 }},
	{"Address.ReturnCustomerName", func(e *ExchangeRequest) bool { return e.Address.ReturnCustomerName != "" }},
	{"Address.ReturnAddress", func(e *ExchangeRequest) bool { return e.Address.ReturnAddress != "" }},
	{"Address.ReturnPhone", func(e *ExchangeRequest) bool { return e.Address.ReturnPhone != "" }},
	{"Address.ReturnMobile", func(e *ExchangeRequest) bool { return e.Address.ReturnMobile != "" }},
	{"Address.DeliveryCustomerName", func(e *ExchangeRequest) bool { return e.Address.DeliveryCustomerName != "" }},
	{"Address.DeliveryAddress", func(e *ExchangeRequest) bool { return e.Address.DeliveryAddress != "" }},
	{"Address.DeliveryPhone", func(e *ExchangeRequest) bool { return e.Address.DeliveryPhone != "" }},
	{"Address.DeliveryMobile", func(e *ExchangeRequest) bool { return e.Address.DeliveryMobile != "" }},
	{"CollectInformation.Items", func(e *ExchangeRequest) bool { return len(e.CollectInformation.Items) > 0 }},
	{"CollectInformation.Destination.SafetyNumber", func(e *ExchangeRequest) bool {
		return e.CollectInformation.Destination.SafetyNumber != ""
	}},
	{"CollectInformation.Destination.CustomerName", func(e *ExchangeRequest) bool {
		return e.CollectInformation.Destination.CustomerName != ""
	}},
	{"CollectInformation.Destination.CustomerAddress", func(e *ExchangeRequest) bool {
		return e.CollectInformation.Destination.CustomerAddress != ""
	}},
	{"CollectInformation.Destination.CustomerPhone", func(e *ExchangeRequest) bool {
		return e.CollectInformation.Destination.CustomerPhone != ""
	}},
	{"CollectInformation.Destination.CustomerMobile", func(e *ExchangeRequest) bool {
		return e.CollectInformation.Destination.CustomerMobile != ""
	}},
	{"CollectInformation.Destination.VendorAddress", func(e *ExchangeRequest) bool {
		return e.CollectInformation.Destination.VendorAddress != ""
	}},
}

// fingerprint is what the store keeps of an exchange: which filledFields
// are filled, and a hash of each tracked field.
type fingerprint struct {
	filled uint32
	fields [len(trackedFields)]uint32
}

func fingerprintOf(e *ExchangeRequest) fingerprint {
	var fp fingerprint
	for i, f := range filledFields {
		if f.filled(e) {
			fp.filled |= 1 << i
		}
	}
	for i, f := range trackedFields {
		fp.fields[i] = f.hash(e)
	}
	return fp
}

// encode writes fp as printable text (78 characters), for any store.
func (fp fingerprint) encode() string {
	var b [4 * (1 + len(trackedFields))]byte
	binary.BigEndian.PutUint32(b[:], fp.filled)
	for i, h := range fp.fields {
		binary.BigEndian.PutUint32(b[4*(i+1):], h)
	}
	return fingerprintVersion + base64.RawURLEncoding.EncodeToString(b[:])
}

func decodeFingerprint(s string) (fingerprint, bool) {
	var fp fingerprint
	if len(s) < len(fingerprintVersion) || s[:len(fingerprintVersion)] != fingerprintVersion {
		return fp, false
	}
	b, err := base64.RawURLEncoding.DecodeString(s[len(fingerprintVersion):])
	if err != nil || len(b) != 4*(1+len(trackedFields)) {
		return fp, false
	}
	fp.filled = binary.BigEndian.Uint32(b)
	for i := range fp.fields {
		fp.fields[i] = binary.BigEndian.Uint32(b[4*(i+1):])
	}
	return fp, true
}

// compareFingerprints names the fields that make old → cur a change; ok is
// false when old cannot be read (another version wrote it).
func compareFingerprints(oldText, curText string) (changed []string, ok bool) {
	old, ok1 := decodeFingerprint(oldText)
	cur, ok2 := decodeFingerprint(curText)
	if !ok1 || !ok2 {
		return nil, false
	}
	for i, f := range trackedFields {
		o, c := old.fields[i], cur.fields[i]
		if o == c || (c == 0 && !f.boolean) {
			continue // unchanged, or went empty (an incident, not a change)
		}
		changed = append(changed, f.name)
	}
	for i, f := range filledFields {
		if cur.filled&^old.filled&(1<<i) != 0 {
			changed = append(changed, f.name)
		}
	}
	return changed, true
}

// hashString hashes s; "" is 0 (empty).
func hashString(s string) uint32 {
	if s == "" {
		return 0
	}
	h := fnv.New32a()
	_, _ = h.Write([]byte(s))
	return nonZero(h.Sum32())
}

func hashBool(b bool) uint32 {
	if b {
		return 2
	}
	return 1
}

func hashUnix(zero bool, sec int64) uint32 {
	if zero {
		return 0
	}
	return hashString(strconv.FormatInt(sec, 10))
}

// nonZero keeps 0 for "empty": a real value hashing to 0 becomes 1.
func nonZero(h uint32) uint32 {
	if h == 0 {
		return 1
	}
	return h
}

// hashBoxes hashes the set of shipment box ids, in any order.
func hashBoxes(e *ExchangeRequest) uint32 {
	ids := make([]int64, 0, len(e.DeliveryInvoiceGroups))
	for _, g := range e.DeliveryInvoiceGroups {
		if g.ShipmentBoxID != 0 {
			ids = append(ids, g.ShipmentBoxID)
		}
	}
	if len(ids) == 0 {
		return 0
	}
	slices.Sort(ids)
	var b []byte
	for _, id := range ids {
		b = strconv.AppendInt(b, id, 10)
		b = append(b, ',')
	}
	return hashString(string(b))
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
	return hashSorted(parts)
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
	return hashSorted(parts)
}

func hashSorted(parts []string) uint32 {
	if len(parts) == 0 {
		return 0
	}
	slices.Sort(parts)
	h := fnv.New32a()
	for _, p := range parts {
		_, _ = h.Write([]byte(p))
		_, _ = h.Write([]byte{0})
	}
	return nonZero(h.Sum32())
}
