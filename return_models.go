package coupang

import (
	"strings"
	"time"
)

// This file holds the models of return and cancellation requests (반품·취소):
// what Coupang sends, as plain Go types. How they are read from both
// versions of Coupang's JSON (v4 and v6) is decode.go's concern, what their
// state allows is return_actions.go's.

// ReturnRequest is one return or cancellation request (반품/취소 요청), with
// every field Coupang documents, as plain Go types: ids and counts are int64,
// money is a Money, times are time.Time in Korea time (the zero Time when
// absent), text is string, and text that is personal data is PersonalText
// (tagged `coupang:"personal"`), which never prints or logs itself:
// string(t) reads it. It is read from the v4 and the v6 answers alike:
// v6 sends money as {currencyCode, units, nanos} objects and times with an
// offset, v4 plain numbers and Korea wall-clock times; both decode into the
// same fields. Fields Coupang sends as null or "" hold their zero value.
// Enum fields keep Coupang's raw text, Korean labels included, with named
// constants for the documented values.
//
// The json tags name Coupang's wire keys; to read or write Coupang's own JSON
// use UnmarshalReturn, DecodeReturnPage and MarshalReturn, which know its
// quirks (encoding/json does not).
type ReturnRequest struct {
	// ReceiptID is the return/cancel receipt number (취소(반품)접수번호): the
	// key of every action (ConfirmReceipt, Approve, StopShipment, …).
	ReceiptID int64 `json:"receiptId"`
	// OrderID is the order the returned items belong to (the same id as in
	// ordersheets and exchanges).
	OrderID int64 `json:"orderId"`
	// PaymentID is the payment number.
	PaymentID int64 `json:"paymentId"`
	// ReceiptType is RETURN, or CANCEL for a row listed with
	// CancelType CANCEL (old answers: the Korean 반품).
	ReceiptType ReturnReceiptType `json:"receiptType"`
	// Status is where the receipt is in its workflow (receiptStatus).
	Status ReturnStatus `json:"receiptStatus"`
	// CreatedAt is when the request was filed; ModifiedAt its last status
	// change. v6 sends them with an offset, which is honoured.
	CreatedAt  time.Time `json:"createdAt"`
	ModifiedAt time.Time `json:"modifiedAt"`
	// RequesterName is the requester, masked by Coupang (구*숙). Personal
	// data (PersonalText).
	RequesterName PersonalText `json:"requesterName" coupang:"personal"`
	// RequesterPhoneNumber is the requester's safe number (안심번호), masked
	// in v4 and an E.164-like text in v6; kept as sent. Personal data.
	RequesterPhoneNumber PersonalText `json:"requesterPhoneNumber" coupang:"personal"`
	// RequesterRealPhoneNumber is the real number; Coupang documents and
	// sends it as null so far. Personal data.
	RequesterRealPhoneNumber PersonalText `json:"requesterRealPhoneNumber" coupang:"personal"`
	// RequesterAddress, RequesterAddressDetail and RequesterZipCode are the
	// pickup address. Personal data.
	RequesterAddress       PersonalText `json:"requesterAddress" coupang:"personal"`
	RequesterAddressDetail PersonalText `json:"requesterAddressDetail" coupang:"personal"`
	RequesterZipCode       PersonalText `json:"requesterZipCode" coupang:"personal"`
	// CancelReasonCategory1 and CancelReasonCategory2 are Coupang's Korean
	// reason categories (고객변심 / 단순변심(사유없음)).
	CancelReasonCategory1 string `json:"cancelReasonCategory1"`
	CancelReasonCategory2 string `json:"cancelReasonCategory2"`
	// CancelReason is the customer's own words (often ""). Personal data
	// (PersonalText).
	CancelReason PersonalText `json:"cancelReason" coupang:"personal"`
	// CancelCountSum is the total quantity of the receipt: the cancelCount
	// that Approve and StopShipment must send.
	CancelCountSum int64 `json:"cancelCountSum"`
	// ReturnDeliveryID is Coupang's internal return-delivery id.
	ReturnDeliveryID int64 `json:"returnDeliveryId"`
	// ReturnDeliveryType is how the item is picked up (a Korean label such
	// as 연동택배).
	ReturnDeliveryType ReturnDeliveryType `json:"returnDeliveryType"`
	// ReleaseStopStatus says whether a release-stop request was processed
	// (a Korean label such as 미처리).
	ReleaseStopStatus ReturnReleaseStopStatus `json:"releaseStopStatus"`
	// EnclosePrice is the shipping fee enclosed in the box (unused by
	// Coupang, normally 0): a plain number in v4, a money object in v6.
	EnclosePrice Money `json:"enclosePrice"`
	// FaultByType says who bears the cost (COUPANG, VENDOR, CUSTOMER, WMS,
	// GENERAL; answers before v4 carry Korean labels, kept as sent).
	FaultByType FaultType `json:"faultByType"`
	// PreRefund reports a quick refund (빠른환불/선환불): Coupang refunded the
	// customer before the goods came back.
	PreRefund bool `json:"preRefund"`
	// CompleteConfirmType is how the receipt was confirmed, and
	// CompleteConfirmDate when (zero while it is not).
	CompleteConfirmType ReturnCompleteConfirmType `json:"completeConfirmType"`
	CompleteConfirmDate time.Time                 `json:"completeConfirmDate"`
	// Items are the receipt's lines (returnItems).
	Items []ReturnItem `json:"returnItems"`
	// Deliveries are the pickup waybills as Coupang sends them
	// (returnDeliveryDtos): possibly several, with empty entries,
	// duplicates and trailing spaces. PickupWaybills returns them cleaned.
	Deliveries []ReturnDelivery `json:"returnDeliveryDtos"`
	// ReasonCode is the VOC reason code; see ReasonInfo.
	ReasonCode string `json:"reasonCode"`
	// ReasonCodeText is Coupang's Korean text for ReasonCode.
	ReasonCodeText string `json:"reasonCodeText"`
	// ReturnShippingCharge is the expected return shipping charge (예상
	// 반품배송비); negative in Coupang's samples. Two clients read negative
	// as "the customer pays": Coupang does not document the sign.
	ReturnShippingCharge Money `json:"returnShippingCharge"`
}

// ReasonInfo describes ReasonCode from the built-in table. For a code the
// table does not know, Korean is Coupang's own ReasonCodeText and English is
// empty, as for exchanges. Code is always set.
func (r ReturnRequest) ReasonInfo() Reason { return reasonInfo(r.ReasonCode, r.ReasonCodeText) }

// PickupWaybills returns the receipt's pickup waybills cleaned the way
// Coupang's documentation asks: entries without a number are left out,
// surrounding spaces trimmed, duplicates (same courier and number) kept once,
// in Coupang's order.
func (r ReturnRequest) PickupWaybills() []ReturnDelivery {
	var out []ReturnDelivery
	for _, d := range r.Deliveries {
		w := ReturnDelivery{
			DeliveryCompanyCode: strings.TrimSpace(d.DeliveryCompanyCode),
			DeliveryInvoiceNo:   strings.TrimSpace(d.DeliveryInvoiceNo),
		}
		if w.DeliveryInvoiceNo == "" {
			continue
		}
		dup := false
		for _, seen := range out {
			dup = dup || seen == w
		}
		if !dup {
			out = append(out, w)
		}
	}
	return out
}

// ReturnItem is one line of a receipt (returnItems).
type ReturnItem struct {
	// VendorItemPackageID is the deal id, usually 0; VendorItemPackageName
	// its name.
	VendorItemPackageID   int64  `json:"vendorItemPackageId"`
	VendorItemPackageName string `json:"vendorItemPackageName"`
	// VendorItemID is the vendor item (option); VendorItemName its name.
	VendorItemID   int64  `json:"vendorItemId"`
	VendorItemName string `json:"vendorItemName"`
	// PurchaseCount is the quantity ordered; CancelCount the quantity in
	// this receipt.
	PurchaseCount int64 `json:"purchaseCount"`
	CancelCount   int64 `json:"cancelCount"`
	// ShipmentBoxID is the original shipment (18 digits since 2024-11).
	ShipmentBoxID int64 `json:"shipmentBoxId"`
	// SellerProductID is the seller's product; SellerProductName its name.
	SellerProductID   int64  `json:"sellerProductId"`
	SellerProductName string `json:"sellerProductName"`
	// ReleaseStatus says whether the item had shipped (Y, N, S, A).
	ReleaseStatus ReturnReleaseStatus `json:"releaseStatus"`
	// CancelCompleteUser is the masked WING id of whoever completed the
	// cancellation (l******). Personal data (PersonalText).
	CancelCompleteUser PersonalText `json:"cancelCompleteUser" coupang:"personal"`
}

// ReturnDelivery is a pickup waybill of a return (returnDeliveryDtos). The
// exchange model's pickup waybills are ExchangeReturnDelivery.
type ReturnDelivery struct {
	// DeliveryCompanyCode is the courier code (see LookupCourier).
	DeliveryCompanyCode string `json:"deliveryCompanyCode"`
	// DeliveryInvoiceNo is the pickup waybill number; "" if none.
	DeliveryInvoiceNo string `json:"deliveryInvoiceNo"`
}

// ReturnWithdrawal is one entry of the withdrawal history (반품철회 이력): a
// return the customer withdrew, which Coupang then no longer lists.
type ReturnWithdrawal struct {
	// ReceiptID is the withdrawn receipt (the wire's cancelId).
	ReceiptID int64 `json:"cancelId"`
	// OrderID is its order.
	OrderID int64 `json:"orderId"`
	// VendorID is the seller's vendor id.
	VendorID string `json:"vendorId"`
	// RefundDeliveryDuty says who pays the return shipping (COM seller,
	// CUS customer, COU Coupang).
	RefundDeliveryDuty RefundDeliveryDuty `json:"refundDeliveryDuty"`
	// CreatedAt is when the return was withdrawn.
	CreatedAt time.Time `json:"createdAt"`
	// VendorItemIDs are the vendor items of the withdrawn receipt.
	VendorItemIDs []int64 `json:"vendorItemIds"`
}

// ReturnPage is one page of return requests.
type ReturnPage struct {
	// Items are the receipts of this page.
	Items []ReturnRequest
	// NextToken fetches the next page when passed back in
	// ReturnListOptions.NextToken; "" on the last page.
	NextToken string
	// TransactionID is Coupang's id of the call, when it sent one.
	TransactionID string

	// bad are the records that could not be decoded, for All to report in
	// their place.
	bad []*RecordError
}
