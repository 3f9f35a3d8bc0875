package coupang

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-querystring/query"
)

// maxPagesPerWindow bounds the pages All follows in one 7-day window: 2,000
// pages of 50 is 100,000 exchange requests in a week, far beyond any seller.
const maxPagesPerWindow = 2000

// Limits of the list call.
const (
	// MaxListWindow is the longest createdAt range one List call may ask for.
	// All splits longer ranges into windows of this length.
	MaxListWindow = 7 * 24 * time.Hour
	// DefaultMaxPerPage is what List asks for when MaxPerPage is 0: Coupang's
	// own default of 10 would cost five times the calls against a budget of
	// five requests a second.
	DefaultMaxPerPage = 50
	// MaxMaxPerPage is the largest page size List accepts. Coupang does not
	// document a maximum; 50 is what every known client uses.
	MaxMaxPerPage = 50
)

// ExchangeService wraps the four exchange-request (교환요청) endpoints.
// Get it from Client.Exchanges.
type ExchangeService struct {
	client *Client
	// locks serialises the Ensure… calls per exchange.
	locks *keyedLocks
}

// ExchangeListOptions selects exchange requests by creation time, status and
// order. Times may be in any zone: they are sent as Korea time, to the second.
type ExchangeListOptions struct {
	// CreatedAtFrom and CreatedAtTo bound the creation time, both included.
	// Both are required; for List they may be at most MaxListWindow apart.
	CreatedAtFrom time.Time `url:"createdAtFrom" layout:"2006-01-02T15:04:05"`
	CreatedAtTo   time.Time `url:"createdAtTo" layout:"2006-01-02T15:04:05"`
	// Status selects one status; "" selects all.
	Status ExchangeStatus `url:"status,omitempty"`
	// OrderID selects the exchanges of one order; 0 selects all.
	OrderID int64 `url:"orderId,omitempty"`
	// MaxPerPage is the page size, 1 to MaxMaxPerPage; 0 means
	// DefaultMaxPerPage.
	MaxPerPage int `url:"maxPerPage,omitempty"`
	// NextToken continues a previous List from ExchangePage.NextToken. All
	// uses it for its first window only; leave it empty there unless resuming.
	NextToken string `url:"nextToken,omitempty"`
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
}

// ExchangeRequest is one customer's exchange request (교환요청), with every
// field Coupang documents. Fields Coupang sends as null hold their zero value.
type ExchangeRequest struct {
	// ExchangeID identifies the exchange request; pass ExchangeID.Int64() to
	// ConfirmReceipt, Reject and UploadInvoices.
	ExchangeID Int64 `json:"exchangeId"`
	// OrderID is the order the exchanged items belong to.
	OrderID Int64 `json:"orderId"`
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
	// ExchangeAmount is the amount charged for the exchange, in won
	// (documented as a string, sent as a number).
	ExchangeAmount Int64 `json:"exchangeAmount"`
	// LegacyReason is the old free-text reason; Coupang no longer fills it.
	LegacyReason Text `json:"reason"`
	// ReasonCode is the VOC reason code; see LookupReason and ReasonInfo.
	ReasonCode string `json:"reasonCode"`
	// ReasonCodeText is Coupang's Korean text for ReasonCode.
	ReasonCodeText string `json:"reasonCodeText"`
	// ReasonEtcDetail is the customer's own words. Personal data: do not log.
	ReasonEtcDetail string `json:"reasonEtcDetail"`
	// CancelReason is why the request was withdrawn, if it was.
	CancelReason Text `json:"cancelReason"`
	// CreatedByType is who filed the request.
	CreatedByType ActorType `json:"createdByType"`
	// CreatedByTypeLabel is Coupang's label for CreatedByType.
	CreatedByTypeLabel string `json:"createdByTypeLabel"`
	// CreatedAt is when the request was filed.
	CreatedAt Time `json:"createdAt"`
	// ModifiedByType is who last changed the request.
	ModifiedByType ActorType `json:"modifiedByType"`
	// ModifiedByTypeLabel is Coupang's label for ModifiedByType.
	ModifiedByTypeLabel string `json:"modifiedByTypeLabel"`
	// ModifiedAt is when the request last changed.
	ModifiedAt Time `json:"modifiedAt"`
	// Items are the exchanged items.
	Items []ExchangeItem `json:"exchangeItemDtoV1s"`
	// Address holds the pickup and the replacement-delivery addresses.
	// Personal data: do not log.
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
	CollectCompleteDate Time `json:"collectCompleteDate"`
	// CollectInformation describes the pickup.
	CollectInformation CollectInformation `json:"collectInformationsDto"`
	// ReturnDeliveries are the pickup waybills.
	ReturnDeliveries []ReturnDelivery `json:"returnDeliveryDtos"`
	// Successable reports whether the exchange can be completed.
	Successable bool `json:"successable"`
	// Rejectable reports whether Reject is allowed.
	Rejectable bool `json:"rejectable"`
	// DeliveryInvoiceModifiable reports whether a waybill can be entered.
	DeliveryInvoiceModifiable bool `json:"deliveryInvoiceModifiable"`
}

// ReasonInfo describes ReasonCode from the built-in table. For a code the
// table does not know (Coupang adds codes), Korean is Coupang's own
// ReasonCodeText and English is the code itself, since no translation exists.
func (e ExchangeRequest) ReasonInfo() Reason {
	if r, ok := LookupReason(e.ReasonCode); ok {
		return r
	}
	return Reason{Code: e.ReasonCode, Korean: e.ReasonCodeText, English: e.ReasonCode}
}

// NewShipmentBoxID returns the box id of the replacement shipment, which
// UploadInvoices needs, and false while Coupang has not created it yet (before
// receipt is confirmed, and for up to about 10 minutes after). A box of type
// EXCHANGE_DELIVERY is preferred, and a box that is the original shipment of
// an exchanged item is never returned: uploading against it fails.
func (e ExchangeRequest) NewShipmentBoxID() (int64, bool) {
	var found int64
	for _, g := range e.DeliveryInvoiceGroups {
		if g.ShipmentBoxID <= 0 || e.isOriginalBox(g.ShipmentBoxID) {
			continue
		}
		if g.ShippingDeliveryType == ShippingDeliveryTypeExchangeDelivery {
			return int64(g.ShipmentBoxID), true
		}
		if found == 0 {
			found = int64(g.ShipmentBoxID)
		}
	}
	return found, found != 0
}

func (e ExchangeRequest) isOriginalBox(box Int64) bool {
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
	ExchangeItemID Int64 `json:"exchangeItemId"`
	// OrderItemID is the vendor item that was ordered.
	OrderItemID Int64 `json:"orderItemId"`
	// OrderItemUnitPrice is its unit price in won.
	OrderItemUnitPrice Int64 `json:"orderItemUnitPrice"`
	// OrderItemName is its name (often null).
	OrderItemName string `json:"orderItemName"`
	// OrderPackageID is its package, if any.
	OrderPackageID Int64 `json:"orderPackageId"`
	// OrderPackageName is its package's name, if any.
	OrderPackageName string `json:"orderPackageName"`
	// TargetItemID is the vendor item sent as the replacement.
	TargetItemID Int64 `json:"targetItemId"`
	// TargetItemUnitPrice is its unit price in won.
	TargetItemUnitPrice Int64 `json:"targetItemUnitPrice"`
	// TargetItemName is its name.
	TargetItemName string `json:"targetItemName"`
	// TargetPackageID is its package; -1 means none (see HasTargetPackage).
	TargetPackageID Int64 `json:"targetPackageId"`
	// TargetPackageName is its package's name, if any.
	TargetPackageName string `json:"targetPackageName"`
	// Quantity is how many are exchanged.
	Quantity Int64 `json:"quantity"`
	// OrderItemDeliveryComplete, OrderItemReturnComplete and
	// TargetItemDeliveryComplete are nil when Coupang does not know.
	OrderItemDeliveryComplete  *bool `json:"orderItemDeliveryComplete"`
	OrderItemReturnComplete    *bool `json:"orderItemReturnComplete"`
	TargetItemDeliveryComplete *bool `json:"targetItemDeliveryComplete"`
	// CreatedAt and ModifiedAt are the item's timestamps.
	CreatedAt  Time `json:"createdAt"`
	ModifiedAt Time `json:"modifiedAt"`
	// OriginalShipmentBoxID is the box the item was first shipped in. Never
	// upload a waybill against it; see ExchangeRequest.NewShipmentBoxID.
	OriginalShipmentBoxID Int64 `json:"originalShipmentBoxId"`
}

// HasTargetPackage reports whether the replacement belongs to a package
// (Coupang sends -1, or nothing, when it does not).
func (it ExchangeItem) HasTargetPackage() bool { return it.TargetPackageID > 0 }

// ExchangeAddress holds the pickup (return…) and replacement-delivery
// (delivery…) addresses (exchangeAddressDtoV1). Values are partly masked and
// phone numbers are safe numbers (안심번호), but all of it is personal data.
type ExchangeAddress struct {
	// ExchangeAddressID identifies this address record.
	ExchangeAddressID Int64 `json:"exchangeAddressId"`
	// ReturnCustomerName … ReturnMemo: where the item is picked up.
	ReturnCustomerName   string `json:"returnCustomerName"`
	ReturnAddressZipCode Text   `json:"returnAddressZipCode"`
	ReturnAddress        string `json:"returnAddress"`
	ReturnAddressDetail  string `json:"returnAddressDetail"`
	ReturnPhone          Text   `json:"returnPhone"`
	ReturnMobile         Text   `json:"returnMobile"`
	ReturnMemo           string `json:"returnMemo"`
	// DeliveryCustomerName … DeliveryMemo: where the replacement goes.
	DeliveryCustomerName   string `json:"deliveryCustomerName"`
	DeliveryAddressZipCode Text   `json:"deliveryAddressZipCode"`
	DeliveryAddress        string `json:"deliveryAddress"`
	DeliveryAddressDetail  string `json:"deliveryAddressDetail"`
	DeliveryPhone          Text   `json:"deliveryPhone"`
	DeliveryMobile         Text   `json:"deliveryMobile"`
	DeliveryMemo           string `json:"deliveryMemo"`
	// CreatedAt and ModifiedAt are the record's timestamps.
	CreatedAt  Time `json:"createdAt"`
	ModifiedAt Time `json:"modifiedAt"`
	// ExchangeID is the exchange the address belongs to.
	ExchangeID Int64 `json:"exchangeId"`
}

// DeliveryInvoiceGroup is one replacement shipment box
// (deliveryInvoiceGroupDtos).
type DeliveryInvoiceGroup struct {
	// ShipmentBoxID is the NEW box id to pass in ExchangeInvoice (18 digits
	// since 2024-11).
	ShipmentBoxID Int64 `json:"shipmentBoxId"`
	// BoxPrice is the box's price in won.
	BoxPrice Int64 `json:"boxPrice"`
	// OrderID is the order the box belongs to.
	OrderID Int64 `json:"orderId"`
	// OrderType, CustomerType, BundleType and ExtraMessage are passed through
	// as Coupang sends them.
	OrderType    string `json:"orderType"`
	CustomerType string `json:"customerType"`
	BundleType   string `json:"bundleType"`
	ExtraMessage string `json:"extraMessage"`
	// ShippingDeliveryType is the kind of shipment ("" when null).
	ShippingDeliveryType ShippingDeliveryType `json:"shippingDeliveryType"`
	// Invoices are the waybills of the box.
	Invoices []DeliveryInvoice `json:"deliveryInvoiceDtos"`
}

// DeliveryInvoice is one waybill of a replacement shipment
// (deliveryInvoiceDtos).
type DeliveryInvoice struct {
	// InvoiceNumber is the waybill number ("" until uploaded).
	InvoiceNumber Text `json:"invoiceNumber"`
	// EstimatedDeliveryDate, DeliveredDate, StatusModifiedAt and
	// InvoiceNumberUploadDate are zero when Coupang sends null.
	EstimatedDeliveryDate   Time `json:"estimatedDeliveryDate"`
	DeliveredDate           Time `json:"deliveredDate"`
	StatusModifiedAt        Time `json:"statusModifiedAt"`
	InvoiceNumberUploadDate Time `json:"invoiceNumberUploadDate"`
	// StatusCode is the delivery status of this waybill.
	StatusCode OrderDeliveryStatus `json:"statusCode"`
	// DeliverCode is the courier code (see LookupCourier).
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
	VendorItemID Int64 `json:"vendorItemId"`
	// Quantity is how many are in the box.
	Quantity Int64 `json:"quantity"`
	// HasAdditionalItem reports an additional item in the box.
	HasAdditionalItem bool `json:"hasAdditionalItem"`
	// PromiseDeliveryDate and EstimatedShippingDate are Coupang's dates.
	PromiseDeliveryDate   Time `json:"promiseDeliveryDate"`
	EstimatedShippingDate Time `json:"estimatedShippingDate"`
}

// CollectInformation describes the pickup of the returned item
// (collectInformationsDto).
type CollectInformation struct {
	// ReturnType is RETURN or EXCHANGE_RETURN.
	ReturnType ReturnType `json:"returnType"`
	// ExpectedReturnDate is when the pickup is expected.
	ExpectedReturnDate Time `json:"expectedReturnDate"`
	// Items are the items to pick up (returndeliveryItemDtos).
	Items []ReturnDeliveryItem `json:"returndeliveryItemDtos"`
	// Destination is where the pickup goes and who it comes from
	// (returndeliveryDestinationDto). Personal data: do not log.
	Destination ReturnDestination `json:"returndeliveryDestinationDto"`
}

// ReturnDeliveryItem is one item to pick up (returndeliveryItemDtos).
type ReturnDeliveryItem struct {
	// VendorItemID is the vendor item.
	VendorItemID Int64 `json:"vendorItemId"`
	// StatusCode is the return status of the item.
	StatusCode ReturnItemStatus `json:"statusCode"`
	// ReturnCount is how many come back (0 when null).
	ReturnCount Int64 `json:"returnCount"`
	// ReleaseStatus says whether the item had shipped.
	ReleaseStatus ReleaseStatus `json:"releaseStatus"`
	// PaymentReturnDeliveryMapID and PaymentItemID are Coupang's ids.
	PaymentReturnDeliveryMapID Int64 `json:"paymentReturnDeliveryMapId"`
	PaymentItemID              Int64 `json:"paymentItemId"`
	// ModifiedBy and CreatedBy are Coupang staff or system ids.
	ModifiedBy Text `json:"modifiedBy"`
	CreatedBy  Text `json:"createdBy"`
	// ModifiedAt comes from the misspelled wire key moodifiedAt (or
	// modifiedAt, should Coupang fix it); see UnmarshalJSON.
	ModifiedAt Time `json:"-"`
	// CreatedAt is when the item record was created.
	CreatedAt Time `json:"createdAt"`
	// Count is the item count.
	Count Int64 `json:"count"`
	// ConfirmType is RELEASED or STOPPED ("" when null).
	ConfirmType ConfirmType `json:"confirmType"`
	// CollectStatus is the pickup status of the item.
	CollectStatus ReturnCollectStatus `json:"collectStatus"`
}

// returnDeliveryItemWire adds the two spellings of the modification time.
type returnDeliveryItemWire struct {
	returnDeliveryItemFields
	MoodifiedAt Time `json:"moodifiedAt"`
	ModifiedAt  Time `json:"modifiedAt"`
}

type returnDeliveryItemFields ReturnDeliveryItem

// UnmarshalJSON reads the item and takes ModifiedAt from moodifiedAt, the
// real (misspelled) wire key, or from modifiedAt.
func (r *ReturnDeliveryItem) UnmarshalJSON(b []byte) error {
	var w returnDeliveryItemWire
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*r = ReturnDeliveryItem(w.returnDeliveryItemFields)
	r.ModifiedAt = w.MoodifiedAt
	if r.ModifiedAt.IsZero() {
		r.ModifiedAt = w.ModifiedAt
	}
	return nil
}

// MarshalJSON writes the item with Coupang's wire key moodifiedAt.
func (r ReturnDeliveryItem) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		returnDeliveryItemFields
		MoodifiedAt Time `json:"moodifiedAt"`
	}{returnDeliveryItemFields(r), r.ModifiedAt})
}

// ReturnDestination is where a pickup goes and who it comes from
// (returndeliveryDestinationDto). Personal data: do not log.
type ReturnDestination struct {
	// Vendor… fields: the seller's return centre.
	VendorZipCode       Text   `json:"vendorZipCode"`
	VendorPhone         Text   `json:"vendorPhone"`
	VendorName          string `json:"vendorName"`
	VendorMobile        Text   `json:"vendorMobile"`
	VendorAddressDetail string `json:"vendorAddressDetail"`
	VendorAddress       string `json:"vendorAddress"`
	// SafetyNumberStatus, SafetyNumberID and SafetyNumber describe the
	// customer's safe number (안심번호).
	SafetyNumberStatus SafetyNumberStatus `json:"safetyNumberStatus"`
	SafetyNumberID     Int64              `json:"safetyNumberId"`
	SafetyNumber       Text               `json:"safetyNumber"`
	// ReturnDeliveryID, ReturnCenterCode and ReceiptID are Coupang's ids.
	ReturnDeliveryID Int64 `json:"returnDeliveryId"`
	ReturnCenterCode Text  `json:"returnCenterCode"`
	ReceiptID        Int64 `json:"receiptId"`
	// OrderedByMobile is the orderer's phone.
	OrderedByMobile Text `json:"orderedByMobile"`
	// OrderID is the order.
	OrderID Int64 `json:"orderId"`
	// Message is the customer's message.
	Message string `json:"message"`
	// Customer… fields: where the item is picked up.
	CustomerZipCode       Text   `json:"customerZipCode"`
	CustomerPhone         Text   `json:"customerPhone"`
	CustomerName          string `json:"customerName"`
	CustomerMobile        Text   `json:"customerMobile"`
	CustomerAddressDetail string `json:"customerAddressDetail"`
	CustomerAddress       string `json:"customerAddress"`
}

// ReturnDelivery is a pickup waybill (returnDeliveryDtos).
type ReturnDelivery struct {
	// DeliveryCompanyCode is the courier code (see LookupCourier).
	DeliveryCompanyCode string `json:"deliveryCompanyCode"`
	// DeliveryInvoiceNo is the pickup waybill number; "" if none.
	DeliveryInvoiceNo Text `json:"deliveryInvoiceNo"`
}

// ExchangeInvoice is the waybill of a replacement shipment, for
// UploadInvoices.
type ExchangeInvoice struct {
	// ShipmentBoxID is the NEW box id from
	// ExchangeRequest.DeliveryInvoiceGroups (see NewShipmentBoxID), never the
	// item's OriginalShipmentBoxID.
	ShipmentBoxID int64
	// GoodsDeliveryCode is the courier code, such as CourierCJ ("CJGLS").
	// Codes outside the built-in table are sent as given: Coupang adds couriers.
	GoodsDeliveryCode string
	// InvoiceNumber is the waybill number: ASCII letters, digits and "-", at
	// most MaxInvoiceNumberLength characters. Korean couriers use digits only
	// (CJ대한통운, 한진 and 롯데 10 or 12, 로젠 11, 우체국 13); international
	// ones add letters (EMS "EE123456789KR"). Anything else — spaces,
	// full-width digits, invisible or control characters, invalid UTF-8 — is
	// refused with a *ValidationError, not cleaned up, so that what is
	// uploaded is what is on the label.
	InvoiceNumber string
}

func (s *ExchangeService) basePath() string {
	return "/v2/providers/openapi/apis/api/v4/vendors/" + s.client.vendorID + "/exchangeRequests"
}

func (s *ExchangeService) exchangePath(exchangeID int64, action string) string {
	return s.basePath() + "/" + strconv.FormatInt(exchangeID, 10) + "/" + action
}

// List fetches one page of exchange requests created between
// opts.CreatedAtFrom and opts.CreatedAtTo (at most MaxListWindow apart). Pass
// the page's NextToken back in opts to get the next one, or use All, which
// pages and splits long ranges for you.
func (s *ExchangeService) List(ctx context.Context, opts ExchangeListOptions, callOpts ...CallOption) (*ExchangePage, error) {
	if err := validateRange(opts.CreatedAtFrom, opts.CreatedAtTo); err != nil {
		return nil, err
	}
	if span := opts.CreatedAtTo.Sub(opts.CreatedAtFrom); span > MaxListWindow {
		return nil, invalid("CreatedAtTo", "the window is %s long, Coupang allows at most 7 days (use All for longer ranges)", describeSpan(span))
	}
	q, err := encodeListQuery(opts)
	if err != nil {
		return nil, err
	}
	c, err := s.client.forCall(callOpts)
	if err != nil {
		return nil, err
	}
	var env envelope[[]ExchangeRequest]
	req := &apiRequest{method: http.MethodGet, path: s.basePath(), query: q}
	if _, err := call(ctx, c, req, &env); err != nil {
		return nil, err
	}
	return &ExchangePage{Items: env.Data, NextToken: strings.TrimSpace(string(env.NextToken)), TransactionID: string(env.TransactionID)}, nil
}

// describeSpan writes a window length in days, as Coupang's limit is given.
func describeSpan(d time.Duration) string {
	days := d / (24 * time.Hour)
	rest := d - days*24*time.Hour
	if rest == 0 {
		return fmt.Sprintf("%d days", days)
	}
	return fmt.Sprintf("%d days and %v", days, rest)
}

func encodeListQuery(opts ExchangeListOptions) (string, error) {
	if err := checkListOptions(opts); err != nil {
		return "", err
	}
	if opts.MaxPerPage == 0 {
		opts.MaxPerPage = DefaultMaxPerPage
	}
	opts.CreatedAtFrom = opts.CreatedAtFrom.In(kst)
	opts.CreatedAtTo = opts.CreatedAtTo.In(kst)
	v, err := query.Values(opts)
	if err != nil {
		return "", fmt.Errorf("coupang: encoding list options: %w", err)
	}
	// url.Values.Encode sorts keys and percent-encodes; what it returns is
	// both sent and signed, so the two cannot differ.
	return v.Encode(), nil
}

// All returns every exchange request created between opts.CreatedAtFrom and
// opts.CreatedAtTo. It is lazy: a page is fetched only when the loop needs
// it, and nothing more once the loop stops.
//
// The range may be at most DefaultMaxListRange (a year; change it with
// WithMaxListRange) long, so that a mistyped year cannot start hundreds of
// calls: a longer one is refused with a *ValidationError before anything is
// sent. To go further back, call All again for the earlier part.
//
// The range is split into consecutive windows of MaxListWindow, oldest first.
// Whether Coupang's createdAtTo is inclusive is not documented, so
// consecutive windows share their edge second and a record created exactly on
// an edge is yielded once. Within a window All follows nextToken until it is
// empty, and stops if Coupang repeats a token (a loop).
//
// On error All yields a zero ExchangeRequest with the error, once, and stops.
// Listing is read-only: after an error, list the same range again.
func (s *ExchangeService) All(ctx context.Context, opts ExchangeListOptions, callOpts ...CallOption) iter.Seq2[ExchangeRequest, error] {
	return func(yield func(ExchangeRequest, error) bool) {
		if err := validateRange(opts.CreatedAtFrom, opts.CreatedAtTo); err != nil {
			yield(ExchangeRequest{}, err)
			return
		}
		if _, err := encodeListQuery(opts); err != nil {
			yield(ExchangeRequest{}, err)
			return
		}
		c, err := s.client.forCall(callOpts)
		if err != nil {
			yield(ExchangeRequest{}, err)
			return
		}
		if err := checkAllRange(opts.CreatedAtFrom, opts.CreatedAtTo, c.maxListRange); err != nil {
			yield(ExchangeRequest{}, err)
			return
		}
		from := opts.CreatedAtFrom.Truncate(time.Second)
		end := opts.CreatedAtTo.Truncate(time.Second)
		var edgeIDs map[int64]bool // ids seen at the previous window's end second
		for {
			to := from.Add(MaxListWindow)
			if to.After(end) {
				to = end
			}
			wopts := opts
			wopts.CreatedAtFrom, wopts.CreatedAtTo = from, to
			nextEdge := map[int64]bool{}
			seenTokens := map[string]bool{}
			for pages := 1; ; pages++ {
				if pages > maxPagesPerWindow {
					yield(ExchangeRequest{}, fmt.Errorf("coupang: more than %d pages in the window from %s: Coupang's paging seems to loop: %w",
						maxPagesPerWindow, formatWireTime(from), ErrPagingLoop))
					return
				}
				page, err := s.List(ctx, wopts, callOpts...)
				if err != nil {
					yield(ExchangeRequest{}, err)
					return
				}
				for _, ex := range page.Items {
					if edgeIDs[int64(ex.ExchangeID)] && ex.CreatedAt.Equal(from) {
						continue // yielded by the previous window
					}
					if ex.CreatedAt.Equal(to) {
						nextEdge[int64(ex.ExchangeID)] = true
					}
					if !yield(ex, nil) {
						return
					}
				}
				if page.NextToken == "" || seenTokens[page.NextToken] {
					if page.NextToken != "" {
						s.client.logPagingLoop(ctx, page.NextToken)
					}
					break
				}
				seenTokens[page.NextToken] = true
				wopts.NextToken = page.NextToken
			}
			if !to.Before(end) {
				return
			}
			from, edgeIDs = to, nextEdge
			opts.NextToken = ""
		}
	}
}

// Refresh lists ex again and returns its current state. Coupang has no call
// to fetch one exchange, so Refresh lists ex's order around ex.CreatedAt.
// Use it to re-check an exchange before acting on it (customers can withdraw
// until pickup), to learn the outcome of a write that failed with
// ErrOutcomeUnknown, or to poll for NewShipmentBoxID after ConfirmReceipt.
// An exchange Coupang no longer lists gives an error matching ErrNotFound.
func (s *ExchangeService) Refresh(ctx context.Context, ex ExchangeRequest, callOpts ...CallOption) (*ExchangeRequest, error) {
	if ex.ExchangeID <= 0 {
		return nil, invalid("ExchangeID", "must be positive, got %d", ex.ExchangeID)
	}
	if ex.OrderID <= 0 {
		return nil, invalid("OrderID", "must be positive, got %d", ex.OrderID)
	}
	if ex.CreatedAt.IsZero() {
		return nil, invalid("CreatedAt", "is required to find the exchange")
	}
	// A minute either side: whether Coupang's bounds are inclusive is not
	// documented, and the order filter keeps the answer to a page.
	opts := ExchangeListOptions{
		CreatedAtFrom: ex.CreatedAt.Add(-time.Minute),
		CreatedAtTo:   ex.CreatedAt.Add(time.Minute),
		OrderID:       int64(ex.OrderID),
	}
	for cur, err := range s.All(ctx, opts, callOpts...) {
		if err != nil {
			return nil, err
		}
		if cur.ExchangeID == ex.ExchangeID {
			return &cur, nil
		}
	}
	return nil, fmt.Errorf("coupang: exchange %d of order %d is no longer listed: %w", ex.ExchangeID, ex.OrderID, ErrNotFound)
}

// ConfirmReceipt confirms that the returned item arrived (교환요청상품 입고
// 확인처리). Coupang then moves the exchange to PROGRESS with collectStatus
// CompleteCollect and, within about 10 minutes, creates the replacement's
// shipment box (see ExchangeRequest.NewShipmentBoxID).
//
// It is sent with PUT unless the client or the call has
// WithUpdateMethod("PATCH").
//
// A failure matching ErrOutcomeUnknown means the confirmation may have been
// applied: learn the exchange's state with Refresh (collectStatus
// CompleteCollect, status PROGRESS) before confirming again. Pass
// WithResponse to keep the transactionId of a success.
func (s *ExchangeService) ConfirmReceipt(ctx context.Context, exchangeID int64, opts ...CallOption) error {
	if exchangeID <= 0 {
		return invalid("exchangeID", "must be positive, got %d", exchangeID)
	}
	body := exchangeAction{ExchangeID: exchangeID, VendorID: s.client.vendorID}
	return s.write(ctx, "", s.exchangePath(exchangeID, "receiveConfirmation"), body, opts)
}

// Reject rejects an exchange request (교환요청 거부 처리) with code
// RejectSoldOut or RejectWithdraw. Coupang allows it only while the exchange
// is Rejectable; otherwise it answers with a business failure, returned as an
// *APIError with ResultCode "FAIL" and Coupang's message.
//
// It is sent with PUT unless the client or the call has
// WithUpdateMethod("PATCH").
//
// A failure matching ErrOutcomeUnknown means the rejection may have been
// applied: learn the exchange's state with Refresh (status REJECT) before
// rejecting again. Pass WithResponse to keep the transactionId of a success.
func (s *ExchangeService) Reject(ctx context.Context, exchangeID int64, code RejectCode, opts ...CallOption) error {
	if exchangeID <= 0 {
		return invalid("exchangeID", "must be positive, got %d", exchangeID)
	}
	if !code.Valid() {
		return invalid("code", "must be %q or %q, got %q", RejectSoldOut, RejectWithdraw, code)
	}
	body := exchangeAction{ExchangeID: exchangeID, VendorID: s.client.vendorID, RejectCode: code}
	return s.write(ctx, "", s.exchangePath(exchangeID, "rejection"), body, opts)
}

// UploadInvoices uploads the waybills of the replacement shipment (교환상품
// 송장 업로드 처리). Confirm receipt first and wait until the exchange has its
// new shipment box id: the original box id fails with "status
// [NONE_TRACKING] is not suitable for applyInvoice".
//
// A failure matching ErrOutcomeUnknown means the waybills may have been
// uploaded: learn the exchange's state with Refresh (the invoice numbers in
// DeliveryInvoiceGroups) before uploading again. Pass WithResponse to keep the
// transactionId of a success.
func (s *ExchangeService) UploadInvoices(ctx context.Context, exchangeID int64, invoices []ExchangeInvoice, opts ...CallOption) error {
	if exchangeID <= 0 {
		return invalid("exchangeID", "must be positive, got %d", exchangeID)
	}
	if len(invoices) == 0 {
		return invalid("invoices", "at least one invoice is required")
	}
	body := make([]invoiceUpload, len(invoices))
	for i, inv := range invoices {
		field := "invoices[" + strconv.Itoa(i) + "]"
		if err := checkInvoice(field, inv); err != nil {
			return err
		}
		body[i] = invoiceUpload{
			ExchangeID:        exchangeID,
			VendorID:          s.client.vendorID,
			ShipmentBoxID:     inv.ShipmentBoxID,
			GoodsDeliveryCode: inv.GoodsDeliveryCode,
			InvoiceNumber:     inv.InvoiceNumber,
		}
	}
	return s.write(ctx, http.MethodPost, s.exchangePath(exchangeID, "invoices"), body, opts)
}

// exchangeAction is the body of confirm and reject: ids as JSON numbers.
type exchangeAction struct {
	ExchangeID int64      `json:"exchangeId"`
	VendorID   string     `json:"vendorId"`
	RejectCode RejectCode `json:"exchangeRejectCode,omitempty"`
}

// invoiceUpload is one element of the invoices body, a JSON array.
type invoiceUpload struct {
	ExchangeID        int64  `json:"exchangeId"`
	VendorID          string `json:"vendorId"`
	ShipmentBoxID     int64  `json:"shipmentBoxId"`
	GoodsDeliveryCode string `json:"goodsDeliveryCode"`
	InvoiceNumber     string `json:"invoiceNumber"`
}

// writeResult is data of a write's answer: {"resultCode", "resultMessage"}.
// It tolerates data being absent, null or of another shape.
type writeResult struct {
	ResultCode    string
	ResultMessage string
}

func (w *writeResult) result() (string, string) { return w.ResultCode, w.ResultMessage }

// UnmarshalJSON reads {"resultCode", "resultMessage"} and ignores any other
// shape: confirm answers carry no data at all.
func (w *writeResult) UnmarshalJSON(b []byte) error {
	if len(b) == 0 || b[0] != '{' {
		return nil
	}
	var v struct {
		ResultCode    Text `json:"resultCode"`
		ResultMessage Text `json:"resultMessage"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	w.ResultCode, w.ResultMessage = strings.TrimSpace(string(v.ResultCode)), string(v.ResultMessage)
	return nil
}

// write sends one of the exchange writes; method "" is the update method of
// the call's client (WithUpdateMethod), so that a per-call option wins.
func (s *ExchangeService) write(ctx context.Context, method, path string, body any, opts []CallOption) error {
	c, err := s.client.forCall(opts)
	if err != nil {
		return err
	}
	if method == "" {
		method = c.updateMethod
	}
	payload, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("coupang: encoding the request: %w", err)
	}
	var env envelope[writeResult]
	_, err = call(ctx, c, &apiRequest{method: method, path: path, body: payload}, &env)
	return err
}
