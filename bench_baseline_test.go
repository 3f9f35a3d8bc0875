package coupang_test

// The standard-library baseline: the plain structs a careful engineer would
// write for Coupang's exchange list by hand, holding the same fields as the
// package's models. Numbers are plain int64, strings plain string, nullable
// booleans *bool. Times stay strings: Coupang's zone-less layout
// ("2006-01-02T15:04:05") is not RFC 3339, so encoding/json cannot decode it
// into time.Time without custom code, and custom code is what the baseline
// leaves out. The baseline decodes only the documented, well-formed shapes:
// it has none of the package's tolerance for numbers sent as strings,
// epoch-millisecond times or a "code" of another type. It uses nothing from
// package coupang (see BenchmarkListBaseline in bench_test.go).

import "encoding/json"

type plainEnvelope struct {
	Code          json.Number     `json:"code"` // 200 or "200"
	Message       string          `json:"message"`
	TransactionID string          `json:"transactionId"`
	Data          []plainExchange `json:"data"`
	NextToken     string          `json:"nextToken"`
}

type plainExchange struct {
	ExchangeID                int64                   `json:"exchangeId"`
	OrderID                   int64                   `json:"orderId"`
	VendorID                  string                  `json:"vendorId"`
	OrderDeliveryStatusCode   string                  `json:"orderDeliveryStatusCode"`
	OrderDeliveryStatusLabel  string                  `json:"orderDeliveryStatusLabel"`
	ExchangeStatus            string                  `json:"exchangeStatus"`
	ExchangeStatusLabel       string                  `json:"exchangeStatusLabel"`
	ReferType                 string                  `json:"referType"`
	ReferTypeLabel            string                  `json:"referTypeLabel"`
	FaultType                 string                  `json:"faultType"`
	FaultTypeLabel            string                  `json:"faultTypeLabel"`
	ExchangeAmount            int64                   `json:"exchangeAmount"`
	Reason                    string                  `json:"reason"`
	ReasonCode                string                  `json:"reasonCode"`
	ReasonCodeText            string                  `json:"reasonCodeText"`
	ReasonEtcDetail           string                  `json:"reasonEtcDetail"`
	CancelReason              string                  `json:"cancelReason"`
	CreatedByType             string                  `json:"createdByType"`
	CreatedByTypeLabel        string                  `json:"createdByTypeLabel"`
	CreatedAt                 string                  `json:"createdAt"`
	ModifiedByType            string                  `json:"modifiedByType"`
	ModifiedByTypeLabel       string                  `json:"modifiedByTypeLabel"`
	ModifiedAt                string                  `json:"modifiedAt"`
	Items                     []plainExchangeItem     `json:"exchangeItemDtoV1s"`
	Address                   plainExchangeAddress    `json:"exchangeAddressDtoV1"`
	DeliveryInvoiceGroups     []plainInvoiceGroup     `json:"deliveryInvoiceGroupDtos"`
	DeliveryStatus            string                  `json:"deliveryStatus"`
	CollectStatus             string                  `json:"collectStatus"`
	CollectCompleteDate       string                  `json:"collectCompleteDate"`
	CollectInformation        plainCollectInformation `json:"collectInformationsDto"`
	ReturnDeliveries          []plainReturnDelivery   `json:"returnDeliveryDtos"`
	Successable               bool                    `json:"successable"`
	Rejectable                bool                    `json:"rejectable"`
	DeliveryInvoiceModifiable bool                    `json:"deliveryInvoiceModifiable"`
}

type plainExchangeItem struct {
	ExchangeItemID             int64  `json:"exchangeItemId"`
	OrderItemID                int64  `json:"orderItemId"`
	OrderItemUnitPrice         int64  `json:"orderItemUnitPrice"`
	OrderItemName              string `json:"orderItemName"`
	OrderPackageID             int64  `json:"orderPackageId"`
	OrderPackageName           string `json:"orderPackageName"`
	TargetItemID               int64  `json:"targetItemId"`
	TargetItemUnitPrice        int64  `json:"targetItemUnitPrice"`
	TargetItemName             string `json:"targetItemName"`
	TargetPackageID            int64  `json:"targetPackageId"`
	TargetPackageName          string `json:"targetPackageName"`
	Quantity                   int64  `json:"quantity"`
	OrderItemDeliveryComplete  *bool  `json:"orderItemDeliveryComplete"`
	OrderItemReturnComplete    *bool  `json:"orderItemReturnComplete"`
	TargetItemDeliveryComplete *bool  `json:"targetItemDeliveryComplete"`
	CreatedAt                  string `json:"createdAt"`
	ModifiedAt                 string `json:"modifiedAt"`
	OriginalShipmentBoxID      int64  `json:"originalShipmentBoxId"`
}

type plainExchangeAddress struct {
	ExchangeAddressID      int64  `json:"exchangeAddressId"`
	ReturnCustomerName     string `json:"returnCustomerName"`
	ReturnAddressZipCode   string `json:"returnAddressZipCode"`
	ReturnAddress          string `json:"returnAddress"`
	ReturnAddressDetail    string `json:"returnAddressDetail"`
	ReturnPhone            string `json:"returnPhone"`
	ReturnMobile           string `json:"returnMobile"`
	ReturnMemo             string `json:"returnMemo"`
	DeliveryCustomerName   string `json:"deliveryCustomerName"`
	DeliveryAddressZipCode string `json:"deliveryAddressZipCode"`
	DeliveryAddress        string `json:"deliveryAddress"`
	DeliveryAddressDetail  string `json:"deliveryAddressDetail"`
	DeliveryPhone          string `json:"deliveryPhone"`
	DeliveryMobile         string `json:"deliveryMobile"`
	DeliveryMemo           string `json:"deliveryMemo"`
	CreatedAt              string `json:"createdAt"`
	ModifiedAt             string `json:"modifiedAt"`
	ExchangeID             int64  `json:"exchangeId"`
}

type plainInvoiceGroup struct {
	ShipmentBoxID        int64          `json:"shipmentBoxId"`
	BoxPrice             int64          `json:"boxPrice"`
	OrderID              int64          `json:"orderId"`
	OrderType            string         `json:"orderType"`
	CustomerType         string         `json:"customerType"`
	BundleType           string         `json:"bundleType"`
	ExtraMessage         string         `json:"extraMessage"`
	ShippingDeliveryType string         `json:"shippingDeliveryType"`
	Invoices             []plainInvoice `json:"deliveryInvoiceDtos"`
}

type plainInvoice struct {
	InvoiceNumber           string                   `json:"invoiceNumber"`
	EstimatedDeliveryDate   string                   `json:"estimatedDeliveryDate"`
	DeliveredDate           string                   `json:"deliveredDate"`
	StatusModifiedAt        string                   `json:"statusModifiedAt"`
	InvoiceNumberUploadDate string                   `json:"invoiceNumberUploadDate"`
	StatusCode              string                   `json:"statusCode"`
	DeliverCode             string                   `json:"deliverCode"`
	IsMainShipmentInvoice   bool                     `json:"isMainShipmentInvoice"`
	ParcelType              string                   `json:"parcelType"`
	Items                   []plainInvoiceVendorItem `json:"invoiceVendorItemDtos"`
}

type plainInvoiceVendorItem struct {
	VendorItemID          int64  `json:"vendorItemId"`
	Quantity              int64  `json:"quantity"`
	HasAdditionalItem     bool   `json:"hasAdditionalItem"`
	PromiseDeliveryDate   string `json:"promiseDeliveryDate"`
	EstimatedShippingDate string `json:"estimatedShippingDate"`
}

type plainCollectInformation struct {
	ExchangeReturnType string                 `json:"returnType"`
	ExpectedReturnDate string                 `json:"expectedReturnDate"`
	Items              []plainReturnItem      `json:"returndeliveryItemDtos"`
	Destination        plainReturnDestination `json:"returndeliveryDestinationDto"`
}

type plainReturnItem struct {
	VendorItemID               int64  `json:"vendorItemId"`
	StatusCode                 string `json:"statusCode"`
	ReturnCount                int64  `json:"returnCount"`
	ReleaseStatus              string `json:"releaseStatus"`
	PaymentReturnDeliveryMapID int64  `json:"paymentReturnDeliveryMapId"`
	PaymentItemID              int64  `json:"paymentItemId"`
	ModifiedBy                 string `json:"modifiedBy"`
	ModifiedAt                 string `json:"moodifiedAt"` // sic: the wire key
	CreatedBy                  string `json:"createdBy"`
	CreatedAt                  string `json:"createdAt"`
	Count                      int64  `json:"count"`
	ConfirmType                string `json:"confirmType"`
	CollectStatus              string `json:"collectStatus"`
}

type plainReturnDestination struct {
	VendorZipCode         string `json:"vendorZipCode"`
	VendorPhone           string `json:"vendorPhone"`
	VendorName            string `json:"vendorName"`
	VendorMobile          string `json:"vendorMobile"`
	VendorAddressDetail   string `json:"vendorAddressDetail"`
	VendorAddress         string `json:"vendorAddress"`
	SafetyNumberStatus    string `json:"safetyNumberStatus"`
	SafetyNumberID        int64  `json:"safetyNumberId"`
	SafetyNumber          string `json:"safetyNumber"`
	ReturnDeliveryID      int64  `json:"returnDeliveryId"`
	ReturnCenterCode      string `json:"returnCenterCode"`
	ReceiptID             int64  `json:"receiptId"`
	OrderedByMobile       string `json:"orderedByMobile"`
	OrderID               int64  `json:"orderId"`
	Message               string `json:"message"`
	CustomerZipCode       string `json:"customerZipCode"`
	CustomerPhone         string `json:"customerPhone"`
	CustomerName          string `json:"customerName"`
	CustomerMobile        string `json:"customerMobile"`
	CustomerAddressDetail string `json:"customerAddressDetail"`
	CustomerAddress       string `json:"customerAddress"`
}

type plainReturnDelivery struct {
	DeliveryCompanyCode string `json:"deliveryCompanyCode"`
	DeliveryInvoiceNo   string `json:"deliveryInvoiceNo"`
}
