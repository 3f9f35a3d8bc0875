package coupang

import "time"

// This file holds the models: what Coupang sends, as plain Go types. How
// they are read from Coupang's drifting JSON is decode.go's concern.

// ExchangeRequest is one customer's exchange request (교환요청), with every
// field Coupang documents, as plain Go types: ids are int64, amounts are
// Money (exact; a plain number of won reads as Money{Units: won}), times
// are time.Time in Korea time (the zero Time when absent), text is string,
// and text that is personal data is PersonalText (tagged `coupang:"personal"`),
// which never prints or logs itself: string(t) reads it. Fields Coupang sends
// as null or leaves out hold their zero value. The json
// tags name Coupang's wire keys; to read or write Coupang's own JSON use
// UnmarshalExchange, DecodeExchangePage and MarshalExchange, which know its
// quirks (encoding/json does not).
type ExchangeRequest struct {
	// ExchangeID identifies the exchange request; pass it as is to
	// ConfirmReceipt, Reject and UploadInvoices.
	ExchangeID int64 `json:"exchangeId"`
	// OrderID is the order the exchanged items belong to.
	OrderID int64 `json:"orderId"`
	// VendorID is the seller's vendor id.
	VendorID string `json:"vendorId"`
	// OrderDeliveryStatus is the delivery status of the original order.
	OrderDeliveryStatus OrderDeliveryStatus `json:"orderDeliveryStatusCode"`
	// OrderDeliveryStatusLabel is Coupang's label: the code itself or Korean.
	OrderDeliveryStatusLabel string `json:"orderDeliveryStatusLabel"`
	// Status is where the exchange is in its workflow.
	Status ExchangeStatus `json:"exchangeStatus"`
	// StatusLabel is Coupang's label for Status: the code itself or Korean.
	StatusLabel string `json:"exchangeStatusLabel"`
	// ReferType is the channel the request came through.
	ReferType ReferType `json:"referType"`
	// ReferTypeLabel is Coupang's label for ReferType.
	ReferTypeLabel string `json:"referTypeLabel"`
	// FaultType says who bears the cost of the exchange.
	FaultType FaultType `json:"faultType"`
	// FaultTypeLabel is Coupang's label for FaultType.
	FaultTypeLabel string `json:"faultTypeLabel"`
	// ExchangeAmount is the amount charged for the exchange (documented as
	// a string, sent as a number of won: Currency is then ""; the v6 object
	// form is read too, should the exchange endpoints move to it).
	ExchangeAmount Money `json:"exchangeAmount"`
	// LegacyReason is the old free-text reason, the customer's words;
	// Coupang no longer fills it.
	LegacyReason PersonalText `json:"reason" coupang:"personal"`
	// ReasonCode is the VOC reason code; see LookupReason and ReasonInfo.
	ReasonCode string `json:"reasonCode"`
	// ReasonCodeText is Coupang's Korean text for ReasonCode.
	ReasonCodeText string `json:"reasonCodeText"`
	// ReasonEtcDetail is the customer's own words.
	ReasonEtcDetail PersonalText `json:"reasonEtcDetail" coupang:"personal"`
	// CancelReason is why the request was withdrawn, if it was: free text,
	// often the customer's or a counsellor's words.
	CancelReason PersonalText `json:"cancelReason" coupang:"personal"`
	// CreatedByType is who filed the request.
	CreatedByType ActorType `json:"createdByType"`
	// CreatedByTypeLabel is Coupang's label for CreatedByType.
	CreatedByTypeLabel string `json:"createdByTypeLabel"`
	// CreatedAt is when the request was filed.
	CreatedAt time.Time `json:"createdAt"`
	// ModifiedByType is who last changed the request.
	ModifiedByType ActorType `json:"modifiedByType"`
	// ModifiedByTypeLabel is Coupang's label for ModifiedByType.
	ModifiedByTypeLabel string `json:"modifiedByTypeLabel"`
	// ModifiedAt is when the request last changed.
	ModifiedAt time.Time `json:"modifiedAt"`
	// Items are the exchanged items.
	Items []ExchangeItem `json:"exchangeItemDtoV1s"`
	// Address holds the pickup and the replacement-delivery addresses.
	// Personal data (PersonalText fields).
	Address ExchangeAddress `json:"exchangeAddressDtoV1"`
	// DeliveryInvoiceGroups are the replacement shipments. Empty until receipt
	// is confirmed; then ShipmentBoxID holds the NEW box id to upload the
	// waybill against (it can take about 10 minutes to appear).
	DeliveryInvoiceGroups []DeliveryInvoiceGroup `json:"deliveryInvoiceGroupDtos"`
	// DeliveryStatus is the status of the replacement delivery.
	DeliveryStatus DeliveryStatus `json:"deliveryStatus"`
	// CollectStatus is the status of the pickup of the returned item;
	// CollectStatusCompleteCollect once receipt is confirmed.
	CollectStatus CollectStatus `json:"collectStatus"`
	// CollectCompleteDate is when the returned item arrived; zero until then.
	CollectCompleteDate time.Time `json:"collectCompleteDate"`
	// CollectInformation describes the pickup.
	CollectInformation CollectInformation `json:"collectInformationsDto"`
	// ReturnDeliveries are the pickup waybills.
	ReturnDeliveries []ExchangeReturnDelivery `json:"returnDeliveryDtos"`
	// Successable reports whether Coupang lets the exchange be completed
	// (the name is Coupang's field successable, kept so that its
	// documentation finds it).
	Successable bool `json:"successable"`
	// Rejectable reports whether Reject is allowed.
	Rejectable bool `json:"rejectable"`
	// DeliveryInvoiceModifiable reports whether a waybill can be entered.
	DeliveryInvoiceModifiable bool `json:"deliveryInvoiceModifiable"`
}

// ReasonInfo describes ReasonCode from the built-in table. For a code the
// table does not know (Coupang adds codes), Korean is Coupang's own
// ReasonCodeText and English is empty: no translation exists, and the raw
// code in an English column reads as if it were one. Code is always set.
func (e ExchangeRequest) ReasonInfo() Reason { return reasonInfo(e.ReasonCode, e.ReasonCodeText) }

// ReplacementShipmentBoxID returns the box id of the replacement shipment, which
// UploadInvoices needs, and false while Coupang has not created it yet (before
// receipt is confirmed, and for up to about 10 minutes after). A box of type
// EXCHANGE_DELIVERY is preferred, and a box that is the original shipment of
// an exchanged item is never returned: uploading against it fails.
func (e ExchangeRequest) ReplacementShipmentBoxID() (int64, bool) {
	var found int64
	for _, g := range e.DeliveryInvoiceGroups {
		if g.ShipmentBoxID <= 0 || e.isOriginalBox(g.ShipmentBoxID) {
			continue
		}
		if g.ShippingDeliveryType == ShippingDeliveryTypeExchangeDelivery {
			return g.ShipmentBoxID, true
		}
		if found == 0 {
			found = g.ShipmentBoxID
		}
	}
	return found, found != 0
}

func (e ExchangeRequest) isOriginalBox(box int64) bool {
	for _, it := range e.Items {
		if it.OriginalShipmentBoxID == box {
			return true
		}
	}
	return false
}

// ExchangeItem is one exchanged item (exchangeItemDtoV1s).
type ExchangeItem struct {
	// ExchangeItemID identifies the item within the exchange.
	ExchangeItemID int64 `json:"exchangeItemId"`
	// OrderItemID is the vendor item that was ordered.
	OrderItemID int64 `json:"orderItemId"`
	// OrderItemUnitPrice is its unit price (won when Currency is "").
	OrderItemUnitPrice Money `json:"orderItemUnitPrice"`
	// OrderItemName is its name (often null).
	OrderItemName string `json:"orderItemName"`
	// OrderPackageID is its package, if any.
	OrderPackageID int64 `json:"orderPackageId"`
	// OrderPackageName is its package's name, if any.
	OrderPackageName string `json:"orderPackageName"`
	// TargetItemID is the vendor item sent as the replacement.
	TargetItemID int64 `json:"targetItemId"`
	// TargetItemUnitPrice is its unit price (won when Currency is "").
	TargetItemUnitPrice Money `json:"targetItemUnitPrice"`
	// TargetItemName is its name.
	TargetItemName string `json:"targetItemName"`
	// TargetPackageID is its package; -1 means none (see HasTargetPackage).
	TargetPackageID int64 `json:"targetPackageId"`
	// TargetPackageName is its package's name, if any.
	TargetPackageName string `json:"targetPackageName"`
	// Quantity is how many are exchanged.
	Quantity int64 `json:"quantity"`
	// OrderItemDeliveryComplete, OrderItemReturnComplete and
	// TargetItemDeliveryComplete are nil when Coupang does not know.
	OrderItemDeliveryComplete  *bool `json:"orderItemDeliveryComplete"`
	OrderItemReturnComplete    *bool `json:"orderItemReturnComplete"`
	TargetItemDeliveryComplete *bool `json:"targetItemDeliveryComplete"`
	// CreatedAt and ModifiedAt are the item's timestamps.
	CreatedAt  time.Time `json:"createdAt"`
	ModifiedAt time.Time `json:"modifiedAt"`
	// OriginalShipmentBoxID is the box the item was first shipped in. Never
	// upload a waybill against it; see ExchangeRequest.ReplacementShipmentBoxID.
	OriginalShipmentBoxID int64 `json:"originalShipmentBoxId"`
}

// HasTargetPackage reports whether the replacement belongs to a package
// (Coupang sends -1, or nothing, when it does not).
func (it ExchangeItem) HasTargetPackage() bool { return it.TargetPackageID > 0 }

// ExchangeAddress holds the pickup (return…) and replacement-delivery
// (delivery…) addresses (exchangeAddressDtoV1). Values are partly masked and
// phone numbers are safe numbers (안심번호), but all of it is personal data.
type ExchangeAddress struct {
	// ExchangeAddressID identifies this address record.
	ExchangeAddressID int64 `json:"exchangeAddressId"`
	// ReturnCustomerName … ReturnMemo: where the item is picked up.
	ReturnCustomerName   PersonalText `json:"returnCustomerName" coupang:"personal"`
	ReturnAddressZipCode PersonalText `json:"returnAddressZipCode" coupang:"personal"`
	ReturnAddress        PersonalText `json:"returnAddress" coupang:"personal"`
	ReturnAddressDetail  PersonalText `json:"returnAddressDetail" coupang:"personal"`
	ReturnPhone          PersonalText `json:"returnPhone" coupang:"personal"`
	ReturnMobile         PersonalText `json:"returnMobile" coupang:"personal"`
	ReturnMemo           PersonalText `json:"returnMemo" coupang:"personal"`
	// DeliveryCustomerName … DeliveryMemo: where the replacement goes.
	DeliveryCustomerName   PersonalText `json:"deliveryCustomerName" coupang:"personal"`
	DeliveryAddressZipCode PersonalText `json:"deliveryAddressZipCode" coupang:"personal"`
	DeliveryAddress        PersonalText `json:"deliveryAddress" coupang:"personal"`
	DeliveryAddressDetail  PersonalText `json:"deliveryAddressDetail" coupang:"personal"`
	DeliveryPhone          PersonalText `json:"deliveryPhone" coupang:"personal"`
	DeliveryMobile         PersonalText `json:"deliveryMobile" coupang:"personal"`
	DeliveryMemo           PersonalText `json:"deliveryMemo" coupang:"personal"`
	// CreatedAt and ModifiedAt are the record's timestamps.
	CreatedAt  time.Time `json:"createdAt"`
	ModifiedAt time.Time `json:"modifiedAt"`
	// ExchangeID is the exchange the address belongs to.
	ExchangeID int64 `json:"exchangeId"`
}

// DeliveryInvoiceGroup is one replacement shipment box
// (deliveryInvoiceGroupDtos).
type DeliveryInvoiceGroup struct {
	// ShipmentBoxID is the NEW box id to pass in ExchangeInvoice (18 digits
	// since 2024-11).
	ShipmentBoxID int64 `json:"shipmentBoxId"`
	// BoxPrice is the box's price (won when Currency is "").
	BoxPrice Money `json:"boxPrice"`
	// OrderID is the order the box belongs to.
	OrderID int64 `json:"orderId"`
	// OrderType, CustomerType, BundleType and ExtraMessage are passed through
	// as Coupang sends them. ExtraMessage is free text (a delivery request
	// may name a person or a place), so it is PersonalText.
	OrderType    string       `json:"orderType"`
	CustomerType string       `json:"customerType"`
	BundleType   string       `json:"bundleType"`
	ExtraMessage PersonalText `json:"extraMessage" coupang:"personal"`
	// ShippingDeliveryType is the kind of shipment ("" when null).
	ShippingDeliveryType ShippingDeliveryType `json:"shippingDeliveryType"`
	// Invoices are the waybills of the box.
	Invoices []DeliveryInvoice `json:"deliveryInvoiceDtos"`
}

// DeliveryInvoice is one waybill of a replacement shipment
// (deliveryInvoiceDtos).
type DeliveryInvoice struct {
	// InvoiceNumber is the waybill number ("" until uploaded).
	InvoiceNumber string `json:"invoiceNumber"`
	// EstimatedDeliveryDate, DeliveredDate, StatusModifiedAt and
	// InvoiceNumberUploadDate are zero when Coupang sends null.
	EstimatedDeliveryDate   time.Time `json:"estimatedDeliveryDate"`
	DeliveredDate           time.Time `json:"deliveredDate"`
	StatusModifiedAt        time.Time `json:"statusModifiedAt"`
	InvoiceNumberUploadDate time.Time `json:"invoiceNumberUploadDate"`
	// StatusCode is the delivery status of this waybill.
	StatusCode OrderDeliveryStatus `json:"statusCode"`
	// DeliverCode is the waybill's courier code, such as CourierCJ (see
	// LookupCourier). The name is Coupang's field deliverCode: model fields
	// keep Coupang's names, so the same codes are GoodsDeliveryCode in
	// ExchangeInvoice and DeliveryCompanyCode in ExchangeReturnDelivery.
	DeliverCode string `json:"deliverCode"`
	// IsMainShipmentInvoice reports whether this is the box's main waybill.
	IsMainShipmentInvoice bool `json:"isMainShipmentInvoice"`
	// ParcelType is passed through as Coupang sends it.
	ParcelType string `json:"parcelType"`
	// Items are the vendor items in this waybill.
	Items []InvoiceVendorItem `json:"invoiceVendorItemDtos"`
}

// InvoiceVendorItem is one vendor item of a waybill (invoiceVendorItemDtos).
type InvoiceVendorItem struct {
	// VendorItemID is the vendor item.
	VendorItemID int64 `json:"vendorItemId"`
	// Quantity is how many are in the box.
	Quantity int64 `json:"quantity"`
	// HasAdditionalItem reports an additional item in the box.
	HasAdditionalItem bool `json:"hasAdditionalItem"`
	// PromiseDeliveryDate and EstimatedShippingDate are Coupang's dates.
	PromiseDeliveryDate   time.Time `json:"promiseDeliveryDate"`
	EstimatedShippingDate time.Time `json:"estimatedShippingDate"`
}

// CollectInformation describes the pickup of the returned item
// (collectInformationsDto).
type CollectInformation struct {
	// ExchangeReturnType is RETURN or EXCHANGE_RETURN.
	ReturnType ExchangeReturnType `json:"returnType"`
	// ExpectedReturnDate is when the pickup is expected.
	ExpectedReturnDate time.Time `json:"expectedReturnDate"`
	// Items are the items to pick up (returndeliveryItemDtos).
	Items []ExchangeReturnDeliveryItem `json:"returndeliveryItemDtos"`
	// Destination is where the pickup goes and who it comes from
	// (returndeliveryDestinationDto). Personal data (PersonalText fields).
	Destination ExchangeReturnDestination `json:"returndeliveryDestinationDto"`
}

// ExchangeReturnDeliveryItem is one item to pick up (returndeliveryItemDtos).
type ExchangeReturnDeliveryItem struct {
	// VendorItemID is the vendor item.
	VendorItemID int64 `json:"vendorItemId"`
	// StatusCode is the return status of the item.
	StatusCode ExchangeReturnItemStatus `json:"statusCode"`
	// ReturnCount is how many come back (0 when null).
	ReturnCount int64 `json:"returnCount"`
	// ReleaseStatus says whether the item had shipped.
	ReleaseStatus ReleaseStatus `json:"releaseStatus"`
	// PaymentReturnDeliveryMapID and PaymentItemID are Coupang's ids.
	PaymentReturnDeliveryMapID int64 `json:"paymentReturnDeliveryMapId"`
	PaymentItemID              int64 `json:"paymentItemId"`
	// ModifiedBy and CreatedBy are Coupang staff or system ids.
	ModifiedBy string `json:"modifiedBy"`
	CreatedBy  string `json:"createdBy"`
	// ModifiedAt comes from the misspelled wire key moodifiedAt, or from
	// modifiedAt should Coupang fix the spelling (moodifiedAt wins when both
	// are set).
	ModifiedAt time.Time `json:"moodifiedAt"`
	// CreatedAt is when the item record was created.
	CreatedAt time.Time `json:"createdAt"`
	// Count is the item count.
	Count int64 `json:"count"`
	// ConfirmType is RELEASED or STOPPED ("" when null).
	ConfirmType ConfirmType `json:"confirmType"`
	// CollectStatus is the pickup status of the item.
	CollectStatus ExchangeReturnCollectStatus `json:"collectStatus"`
}

// ExchangeReturnDestination is where a pickup goes and who it comes from
// (returndeliveryDestinationDto). Personal data (PersonalText fields).
type ExchangeReturnDestination struct {
	// Vendor… fields: the seller's return centre.
	VendorZipCode       PersonalText `json:"vendorZipCode" coupang:"personal"`
	VendorPhone         PersonalText `json:"vendorPhone" coupang:"personal"`
	VendorName          PersonalText `json:"vendorName" coupang:"personal"`
	VendorMobile        PersonalText `json:"vendorMobile" coupang:"personal"`
	VendorAddressDetail PersonalText `json:"vendorAddressDetail" coupang:"personal"`
	VendorAddress       PersonalText `json:"vendorAddress" coupang:"personal"`
	// SafetyNumberStatus, SafetyNumberID and SafetyNumber describe the
	// customer's safe number (안심번호).
	SafetyNumberStatus SafetyNumberStatus `json:"safetyNumberStatus"`
	SafetyNumberID     int64              `json:"safetyNumberId"`
	SafetyNumber       PersonalText       `json:"safetyNumber" coupang:"personal"`
	// ReturnDeliveryID, ReturnCenterCode and ReceiptID are Coupang's ids.
	ReturnDeliveryID int64  `json:"returnDeliveryId"`
	ReturnCenterCode string `json:"returnCenterCode"`
	ReceiptID        int64  `json:"receiptId"`
	// OrderedByMobile is the orderer's phone.
	OrderedByMobile PersonalText `json:"orderedByMobile" coupang:"personal"`
	// OrderID is the order.
	OrderID int64 `json:"orderId"`
	// Message is the customer's message.
	Message PersonalText `json:"message" coupang:"personal"`
	// Customer… fields: where the item is picked up.
	CustomerZipCode       PersonalText `json:"customerZipCode" coupang:"personal"`
	CustomerPhone         PersonalText `json:"customerPhone" coupang:"personal"`
	CustomerName          PersonalText `json:"customerName" coupang:"personal"`
	CustomerMobile        PersonalText `json:"customerMobile" coupang:"personal"`
	CustomerAddressDetail PersonalText `json:"customerAddressDetail" coupang:"personal"`
	CustomerAddress       PersonalText `json:"customerAddress" coupang:"personal"`
}

// ExchangeReturnDelivery is a pickup waybill (returnDeliveryDtos).
type ExchangeReturnDelivery struct {
	// DeliveryCompanyCode is the courier code (see LookupCourier).
	DeliveryCompanyCode string `json:"deliveryCompanyCode"`
	// DeliveryInvoiceNo is the pickup waybill number; "" if none.
	DeliveryInvoiceNo string `json:"deliveryInvoiceNo"`
}

// ExchangePage is one page of exchange requests.
type ExchangePage struct {
	// Items are the exchange requests of this page.
	Items []ExchangeRequest
	// NextToken fetches the next page when passed back in
	// ExchangeListOptions.NextToken; "" on the last page.
	NextToken string
	// TransactionID is Coupang's id of the call, when it sent one.
	TransactionID string

	// bad are the records that could not be decoded, for All to report in
	// their place.
	bad []*RecordError
}
