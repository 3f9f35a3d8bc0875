package coupang

// This file holds the string-based enum types of the exchange API (the code
// tables of Coupang's exchange documentation). Every type is an open set: Coupang adds values without
// notice, so a value missing from the tables below decodes unchanged, is kept
// as it came, and only reports Known() == false. No method here ever fails.

// enumLabel is the Korean and English label of one documented enum value.
type enumLabel struct{ ko, en string }

// enumKorean returns the Korean label of v, or v itself when it is unknown.
func enumKorean[T ~string](table map[T]enumLabel, v T) string {
	if l, ok := table[v]; ok {
		return l.ko
	}
	return string(v)
}

// enumEnglish returns the English label of v, or v itself when it is unknown.
func enumEnglish[T ~string](table map[T]enumLabel, v T) string {
	if l, ok := table[v]; ok {
		return l.en
	}
	return string(v)
}

// enumKnown reports whether v is a documented value of table.
func enumKnown[T ~string](table map[T]enumLabel, v T) bool {
	_, ok := table[v]
	return ok
}

// ExchangeStatus is the state of an exchange request, decoded from the
// exchangeStatus field (the same values filter the list call). It is an open
// set: an undocumented value is kept as it came, and its Known method reports
// false.
type ExchangeStatus string

// Documented ExchangeStatus values.
const (
	ExchangeStatusReceipt  ExchangeStatus = "RECEIPT"  // 접수 — received
	ExchangeStatusProgress ExchangeStatus = "PROGRESS" // 진행 — in progress
	ExchangeStatusSuccess  ExchangeStatus = "SUCCESS"  // 완료 — done
	ExchangeStatusReject   ExchangeStatus = "REJECT"   // 불가 — rejected
	ExchangeStatusCancel   ExchangeStatus = "CANCEL"   // 철회 — withdrawn
)

var exchangeStatusLabels = map[ExchangeStatus]enumLabel{
	ExchangeStatusReceipt:  {"접수", "received"},
	ExchangeStatusProgress: {"진행", "in progress"},
	ExchangeStatusSuccess:  {"완료", "done"},
	ExchangeStatusReject:   {"불가", "rejected"},
	ExchangeStatusCancel:   {"철회", "withdrawn"},
}

// Korean returns the Korean label of s, or s itself when it is undocumented.
func (s ExchangeStatus) Korean() string { return enumKorean(exchangeStatusLabels, s) }

// English returns the English label of s, or s itself when it is undocumented.
func (s ExchangeStatus) English() string { return enumEnglish(exchangeStatusLabels, s) }

// Known reports whether s is a documented ExchangeStatus value.
func (s ExchangeStatus) Known() bool { return enumKnown(exchangeStatusLabels, s) }

// Terminal reports whether s is a final state (SUCCESS, REJECT or CANCEL): an
// exchange in such a state accepts no further action. Unknown values are not
// terminal.
func (s ExchangeStatus) Terminal() bool {
	switch s {
	case ExchangeStatusSuccess, ExchangeStatusReject, ExchangeStatusCancel:
		return true
	}
	return false
}

// OrderDeliveryStatus is the delivery state of an order or of one waybill,
// decoded from orderDeliveryStatusCode and from
// deliveryInvoiceDtos[].statusCode. It is an open set: an undocumented value is
// kept as it came, and its Known method reports false.
type OrderDeliveryStatus string

// Documented OrderDeliveryStatus values.
const (
	OrderDeliveryStatusAccept        OrderDeliveryStatus = "ACCEPT"         // 결제완료 — paid
	OrderDeliveryStatusInstruct      OrderDeliveryStatus = "INSTRUCT"       // 상품준비중 — preparing the item
	OrderDeliveryStatusDeparture     OrderDeliveryStatus = "DEPARTURE"      // 배송지시 — shipping instructed
	OrderDeliveryStatusDelivering    OrderDeliveryStatus = "DELIVERING"     // 배송중 — in transit
	OrderDeliveryStatusFinalDelivery OrderDeliveryStatus = "FINAL_DELIVERY" // 배송완료 — delivered
	OrderDeliveryStatusNoneTracking  OrderDeliveryStatus = "NONE_TRACKING"  // 업체 직접 배송(추적불가) — shipped directly by the seller (untracked)
)

var orderDeliveryStatusLabels = map[OrderDeliveryStatus]enumLabel{
	OrderDeliveryStatusAccept:        {"결제완료", "paid"},
	OrderDeliveryStatusInstruct:      {"상품준비중", "preparing the item"},
	OrderDeliveryStatusDeparture:     {"배송지시", "shipping instructed"},
	OrderDeliveryStatusDelivering:    {"배송중", "in transit"},
	OrderDeliveryStatusFinalDelivery: {"배송완료", "delivered"},
	OrderDeliveryStatusNoneTracking:  {"업체 직접 배송(추적불가)", "shipped directly by the seller (untracked)"},
}

// Korean returns the Korean label of s, or s itself when it is undocumented.
func (s OrderDeliveryStatus) Korean() string { return enumKorean(orderDeliveryStatusLabels, s) }

// English returns the English label of s, or s itself when it is undocumented.
func (s OrderDeliveryStatus) English() string { return enumEnglish(orderDeliveryStatusLabels, s) }

// Known reports whether s is a documented OrderDeliveryStatus value.
func (s OrderDeliveryStatus) Known() bool { return enumKnown(orderDeliveryStatusLabels, s) }

// ReferType is the channel through which an exchange request was filed, decoded
// from the referType field. It is an open set: an undocumented value is kept as
// it came, and its Known method reports false.
type ReferType string

// Documented ReferType values.
const (
	ReferTypeVendor    ReferType = "VENDOR"     // 벤더 — seller
	ReferTypeCSCenter  ReferType = "CS_CENTER"  // CS — customer service centre
	ReferTypeWebPC     ReferType = "WEB_PC"     // 웹 PC — web (PC)
	ReferTypeWebMobile ReferType = "WEB_MOBILE" // 웹 모바일 — web (mobile)
)

var referTypeLabels = map[ReferType]enumLabel{
	ReferTypeVendor:    {"벤더", "seller"},
	ReferTypeCSCenter:  {"CS", "customer service centre"},
	ReferTypeWebPC:     {"웹 PC", "web (PC)"},
	ReferTypeWebMobile: {"웹 모바일", "web (mobile)"},
}

// Korean returns the Korean label of s, or s itself when it is undocumented.
func (s ReferType) Korean() string { return enumKorean(referTypeLabels, s) }

// English returns the English label of s, or s itself when it is undocumented.
func (s ReferType) English() string { return enumEnglish(referTypeLabels, s) }

// Known reports whether s is a documented ReferType value.
func (s ReferType) Known() bool { return enumKnown(referTypeLabels, s) }

// FaultType says who is at fault: who bears the cost of an exchange
// (ExchangeRequest.FaultType) or of a return (ReturnRequest.FaultByType), and
// whom a reason code blames (Reason.Fault, from the fault column of
// Coupang's reason table: 고객, 업체 and 쿠팡 there). It is an open set: an
// undocumented value is kept as it came, and its Known method reports false.
type FaultType string

// Documented FaultType values.
const (
	FaultTypeCoupang  FaultType = "COUPANG"  // 쿠팡과실 — Coupang at fault
	FaultTypeVendor   FaultType = "VENDOR"   // 업체과실 — seller at fault
	FaultTypeCustomer FaultType = "CUSTOMER" // 고객과실 — customer at fault
	FaultTypeWMS      FaultType = "WMS"      // 물류과실 — logistics (warehouse) at fault
	FaultTypeGeneral  FaultType = "GENERAL"  // 일반 — general
)

var faultTypeLabels = map[FaultType]enumLabel{
	FaultTypeCoupang:  {"쿠팡과실", "Coupang at fault"},
	FaultTypeVendor:   {"업체과실", "seller at fault"},
	FaultTypeCustomer: {"고객과실", "customer at fault"},
	FaultTypeWMS:      {"물류과실", "logistics (warehouse) at fault"},
	FaultTypeGeneral:  {"일반", "general"},
}

// Korean returns the Korean label of s, or s itself when it is undocumented.
func (s FaultType) Korean() string { return enumKorean(faultTypeLabels, s) }

// English returns the English label of s, or s itself when it is undocumented.
func (s FaultType) English() string { return enumEnglish(faultTypeLabels, s) }

// Known reports whether s is a documented FaultType value.
func (s FaultType) Known() bool { return enumKnown(faultTypeLabels, s) }

// ActorType is the kind of party that created or last modified a record,
// decoded from the createdByType and modifiedByType fields. It is an open set:
// an undocumented value is kept as it came, and its Known method reports false.
type ActorType string

// Documented ActorType values.
const (
	ActorTypeCustomer  ActorType = "CUSTOMER"  // 고객 — customer
	ActorTypeCounselor ActorType = "COUNSELOR" // 상담사 — customer service agent
	ActorTypeCoupang   ActorType = "COUPANG"   // 내부직원 — Coupang staff
	ActorTypeVendor    ActorType = "VENDOR"    // 업체 — seller
	ActorTypeEtc       ActorType = "ETC"       // 기타 — other
	ActorTypeTracking  ActorType = "TRACKING"  // 배송추적 — delivery tracking
	ActorTypeBatch     ActorType = "BATCH"     // 배치 — batch job; from the official Java SDK, not in the API table
	ActorTypeSystem    ActorType = "SYSTEM"    // 시스템 — system; from the official Java SDK, not in the API table
)

var actorTypeLabels = map[ActorType]enumLabel{
	ActorTypeCustomer:  {"고객", "customer"},
	ActorTypeCounselor: {"상담사", "customer service agent"},
	ActorTypeCoupang:   {"내부직원", "Coupang staff"},
	ActorTypeVendor:    {"업체", "seller"},
	ActorTypeEtc:       {"기타", "other"},
	ActorTypeTracking:  {"배송추적", "delivery tracking"},
	ActorTypeBatch:     {"배치", "batch job"},
	ActorTypeSystem:    {"시스템", "system"},
}

// Korean returns the Korean label of s, or s itself when it is undocumented.
func (s ActorType) Korean() string { return enumKorean(actorTypeLabels, s) }

// English returns the English label of s, or s itself when it is undocumented.
func (s ActorType) English() string { return enumEnglish(actorTypeLabels, s) }

// Known reports whether s is a documented ActorType value.
func (s ActorType) Known() bool { return enumKnown(actorTypeLabels, s) }

// DeliveryStatus is the state of the delivery of the replacement item, decoded
// from the deliveryStatus field. Its values are PascalCase on the wire. It is
// an open set: an undocumented value is kept as it came, and its Known method
// reports false.
type DeliveryStatus string

// Documented DeliveryStatus values.
const (
	DeliveryStatusBeforeDirection   DeliveryStatus = "BeforeDirection"   // 배송연동 전 — not yet handed to the carrier
	DeliveryStatusCompleteDirection DeliveryStatus = "CompleteDirection" // 배송연동 — handed to the carrier
	DeliveryStatusDelivering        DeliveryStatus = "Delivering"        // 배송중 — in transit
	DeliveryStatusCompleteDelivery  DeliveryStatus = "CompleteDelivery"  // 배송완료 — delivered
	DeliveryStatusDirectionFail     DeliveryStatus = "DirectionFail"     // 배송연동실패 — handover to the carrier failed
	DeliveryStatusVendorDirect      DeliveryStatus = "VendorDirect"      // 업체직송 — shipped directly by the seller
	DeliveryStatusFail              DeliveryStatus = "Fail"              // 배송실패 — delivery failed
	DeliveryStatusWithdraw          DeliveryStatus = "Withdraw"          // 교환배송철회 — exchange delivery withdrawn
	DeliveryStatusNoneData          DeliveryStatus = "NoneData"          // 정보없음 — no information
)

var deliveryStatusLabels = map[DeliveryStatus]enumLabel{
	DeliveryStatusBeforeDirection:   {"배송연동 전", "not yet handed to the carrier"},
	DeliveryStatusCompleteDirection: {"배송연동", "handed to the carrier"},
	DeliveryStatusDelivering:        {"배송중", "in transit"},
	DeliveryStatusCompleteDelivery:  {"배송완료", "delivered"},
	DeliveryStatusDirectionFail:     {"배송연동실패", "handover to the carrier failed"},
	DeliveryStatusVendorDirect:      {"업체직송", "shipped directly by the seller"},
	DeliveryStatusFail:              {"배송실패", "delivery failed"},
	DeliveryStatusWithdraw:          {"교환배송철회", "exchange delivery withdrawn"},
	DeliveryStatusNoneData:          {"정보없음", "no information"},
}

// Korean returns the Korean label of s, or s itself when it is undocumented.
func (s DeliveryStatus) Korean() string { return enumKorean(deliveryStatusLabels, s) }

// English returns the English label of s, or s itself when it is undocumented.
func (s DeliveryStatus) English() string { return enumEnglish(deliveryStatusLabels, s) }

// Known reports whether s is a documented DeliveryStatus value.
func (s DeliveryStatus) Known() bool { return enumKnown(deliveryStatusLabels, s) }

// CollectStatus is the state of the pickup of the item the customer sends back,
// decoded from the collectStatus field of an exchange. Its values are
// PascalCase on the wire. CollectStatusCompleteCollect is the state in which
// the replacement waybill can be uploaded. It is an open set: an undocumented
// value is kept as it came, and its Known method reports false.
type CollectStatus string

// Documented CollectStatus values.
const (
	CollectStatusBeforeDirection   CollectStatus = "BeforeDirection"   // 회수연동 전 — pickup not yet handed to the carrier
	CollectStatusCompleteDirection CollectStatus = "CompleteDirection" // 회수연동 — pickup handed to the carrier
	CollectStatusDelivering        CollectStatus = "Delivering"        // 회수중 — pickup in transit
	CollectStatusCompleteCollect   CollectStatus = "CompleteCollect"   // 업체전달완료 — delivered to the seller
	CollectStatusDirectionFail     CollectStatus = "DirectionFail"     // 회수연동실패 — pickup handover to the carrier failed
	CollectStatusFail              CollectStatus = "Fail"              // 회수실패 — pickup failed
	CollectStatusWithdraw          CollectStatus = "Withdraw"          // 교환회수철회 — exchange pickup withdrawn
	CollectStatusNoCollect         CollectStatus = "NoCollect"         // 회수 불필요 — no pickup needed
	CollectStatusNoneData          CollectStatus = "NoneData"          // 정보없음 — no information
	CollectStatusCollecting        CollectStatus = "Collecting"        // 수거중 — being collected from the customer; seen in real data but not in Coupang's table, so its labels are the SDK's, not Coupang's
)

var collectStatusLabels = map[CollectStatus]enumLabel{
	CollectStatusBeforeDirection:   {"회수연동 전", "pickup not yet handed to the carrier"},
	CollectStatusCompleteDirection: {"회수연동", "pickup handed to the carrier"},
	CollectStatusDelivering:        {"회수중", "pickup in transit"},
	CollectStatusCompleteCollect:   {"업체전달완료", "delivered to the seller"},
	CollectStatusDirectionFail:     {"회수연동실패", "pickup handover to the carrier failed"},
	CollectStatusFail:              {"회수실패", "pickup failed"},
	CollectStatusWithdraw:          {"교환회수철회", "exchange pickup withdrawn"},
	CollectStatusNoCollect:         {"회수 불필요", "no pickup needed"},
	CollectStatusNoneData:          {"정보없음", "no information"},
	// Not in Coupang's table: the labels are the SDK's (INFERRED). 회수중
	// is Coupang's label for Delivering; a second 회수중 would make two
	// states read alike in the Korean columns.
	CollectStatusCollecting: {"수거중", "being collected"},
}

// Korean returns the Korean label of s, or s itself when it is undocumented.
func (s CollectStatus) Korean() string { return enumKorean(collectStatusLabels, s) }

// English returns the English label of s, or s itself when it is undocumented.
func (s CollectStatus) English() string { return enumEnglish(collectStatusLabels, s) }

// Known reports whether s is a documented CollectStatus value.
func (s CollectStatus) Known() bool { return enumKnown(collectStatusLabels, s) }

// ShippingDeliveryType is the kind of shipment of a waybill group, decoded from
// deliveryInvoiceGroupDtos[].shippingDeliveryType. It is an open set: an
// undocumented value is kept as it came, and its Known method reports false.
type ShippingDeliveryType string

// Documented ShippingDeliveryType values.
const (
	ShippingDeliveryTypeDelivery         ShippingDeliveryType = "DELIVERY"          // 일반배송 — standard delivery
	ShippingDeliveryTypeExchangeDelivery ShippingDeliveryType = "EXCHANGE_DELIVERY" // 교환배송 — exchange delivery
	ShippingDeliveryTypeForcedDelivery   ShippingDeliveryType = "FORCED_DELIVERY"   // 추가출고배송 — additional shipment
)

var shippingDeliveryTypeLabels = map[ShippingDeliveryType]enumLabel{
	ShippingDeliveryTypeDelivery:         {"일반배송", "standard delivery"},
	ShippingDeliveryTypeExchangeDelivery: {"교환배송", "exchange delivery"},
	ShippingDeliveryTypeForcedDelivery:   {"추가출고배송", "additional shipment"},
}

// Korean returns the Korean label of s, or s itself when it is undocumented.
func (s ShippingDeliveryType) Korean() string { return enumKorean(shippingDeliveryTypeLabels, s) }

// English returns the English label of s, or s itself when it is undocumented.
func (s ShippingDeliveryType) English() string { return enumEnglish(shippingDeliveryTypeLabels, s) }

// Known reports whether s is a documented ShippingDeliveryType value.
func (s ShippingDeliveryType) Known() bool { return enumKnown(shippingDeliveryTypeLabels, s) }

// ExchangeReturnItemStatus is the state of one item being picked up, decoded from
// collectInformationsDto.returndeliveryItemDtos[].statusCode. It is an open
// set: an undocumented value is kept as it came, and its Known method reports
// false.
type ExchangeReturnItemStatus string

// Documented ExchangeReturnItemStatus values.
const (
	ExchangeReturnItemStatusReturnSendReady    ExchangeReturnItemStatus = "RETURN_SEND_READY"     // 접수 — received
	ExchangeReturnItemStatusReturnSendComplete ExchangeReturnItemStatus = "RETURN_SEND_COMPLETE"  // 전송완료 — sent
	ExchangeReturnItemStatusReturnCollectOK    ExchangeReturnItemStatus = "RETURN_COLLECT_OK"     // 정상반품완료 — returned in normal condition
	ExchangeReturnItemStatusReturnCollectNotOK ExchangeReturnItemStatus = "RETURN_COLLECT_NOT_OK" // 비정상반품완료 — returned in abnormal condition
	ExchangeReturnItemStatusChangeSendReady    ExchangeReturnItemStatus = "CHANGE_SEND_READY"     // 교환확정 — exchange confirmed
	ExchangeReturnItemStatusChangeSendHold     ExchangeReturnItemStatus = "CHANGE_SEND_HOLD"      // 교환확정홀드 — exchange confirmation on hold
	ExchangeReturnItemStatusChangeSendComplete ExchangeReturnItemStatus = "CHANGE_SEND_COMPLETE"  // 교환정보 전송완료 — exchange information sent
	ExchangeReturnItemStatusChangeSendFail     ExchangeReturnItemStatus = "CHANGE_SEND_FAIL"      // 교환재고없음 — no stock for the exchange
	ExchangeReturnItemStatusCollectFail        ExchangeReturnItemStatus = "COLLECT_FAIL"          // 회수실패 — pickup failed
)

var exchangeReturnItemStatusLabels = map[ExchangeReturnItemStatus]enumLabel{
	ExchangeReturnItemStatusReturnSendReady:    {"접수", "received"},
	ExchangeReturnItemStatusReturnSendComplete: {"전송완료", "sent"},
	ExchangeReturnItemStatusReturnCollectOK:    {"정상반품완료", "returned in normal condition"},
	ExchangeReturnItemStatusReturnCollectNotOK: {"비정상반품완료", "returned in abnormal condition"},
	ExchangeReturnItemStatusChangeSendReady:    {"교환확정", "exchange confirmed"},
	ExchangeReturnItemStatusChangeSendHold:     {"교환확정홀드", "exchange confirmation on hold"},
	ExchangeReturnItemStatusChangeSendComplete: {"교환정보 전송완료", "exchange information sent"},
	ExchangeReturnItemStatusChangeSendFail:     {"교환재고없음", "no stock for the exchange"},
	ExchangeReturnItemStatusCollectFail:        {"회수실패", "pickup failed"},
}

// Korean returns the Korean label of s, or s itself when it is undocumented.
func (s ExchangeReturnItemStatus) Korean() string {
	return enumKorean(exchangeReturnItemStatusLabels, s)
}

// English returns the English label of s, or s itself when it is undocumented.
func (s ExchangeReturnItemStatus) English() string {
	return enumEnglish(exchangeReturnItemStatusLabels, s)
}

// Known reports whether s is a documented ExchangeReturnItemStatus value.
func (s ExchangeReturnItemStatus) Known() bool { return enumKnown(exchangeReturnItemStatusLabels, s) }

// ReleaseStatus says whether an item had already left the warehouse, decoded
// from collectInformationsDto.returndeliveryItemDtos[].releaseStatus. It is an
// open set: an undocumented value is kept as it came, and its Known method
// reports false.
type ReleaseStatus string

// Documented ReleaseStatus values.
const (
	ReleaseStatusReleased    ReleaseStatus = "RELEASED"     // 이미출고 — already shipped
	ReleaseStatusNotReleased ReleaseStatus = "NOT_RELEASED" // 미출고 — not shipped
)

var releaseStatusLabels = map[ReleaseStatus]enumLabel{
	ReleaseStatusReleased:    {"이미출고", "already shipped"},
	ReleaseStatusNotReleased: {"미출고", "not shipped"},
}

// Korean returns the Korean label of s, or s itself when it is undocumented.
func (s ReleaseStatus) Korean() string { return enumKorean(releaseStatusLabels, s) }

// English returns the English label of s, or s itself when it is undocumented.
func (s ReleaseStatus) English() string { return enumEnglish(releaseStatusLabels, s) }

// Known reports whether s is a documented ReleaseStatus value.
func (s ReleaseStatus) Known() bool { return enumKnown(releaseStatusLabels, s) }

// ConfirmType is how the shipment of an item was settled, decoded from
// collectInformationsDto.returndeliveryItemDtos[].confirmType (often null). It
// is an open set: an undocumented value is kept as it came, and its Known
// method reports false.
type ConfirmType string

// Documented ConfirmType values.
const (
	ConfirmTypeReleased ConfirmType = "RELEASED" // 출고 — shipped
	ConfirmTypeStopped  ConfirmType = "STOPPED"  // 출고중지 완료 — shipment stopped
)

var confirmTypeLabels = map[ConfirmType]enumLabel{
	ConfirmTypeReleased: {"출고", "shipped"},
	ConfirmTypeStopped:  {"출고중지 완료", "shipment stopped"},
}

// Korean returns the Korean label of s, or s itself when it is undocumented.
func (s ConfirmType) Korean() string { return enumKorean(confirmTypeLabels, s) }

// English returns the English label of s, or s itself when it is undocumented.
func (s ConfirmType) English() string { return enumEnglish(confirmTypeLabels, s) }

// Known reports whether s is a documented ConfirmType value.
func (s ConfirmType) Known() bool { return enumKnown(confirmTypeLabels, s) }

// ExchangeReturnCollectStatus is the pickup decision for one item, decoded from
// collectInformationsDto.returndeliveryItemDtos[].collectStatus (not to be
// confused with the exchange-level CollectStatus). It is an open set: an
// undocumented value is kept as it came, and its Known method reports false.
type ExchangeReturnCollectStatus string

// Documented ExchangeReturnCollectStatus values.
const (
	ExchangeReturnCollectStatusNone                       ExchangeReturnCollectStatus = "NONE"                          // 없음 — none
	ExchangeReturnCollectStatusReturn                     ExchangeReturnCollectStatus = "RETURN"                        // 회수진행 — pickup in progress
	ExchangeReturnCollectStatusNoReturn                   ExchangeReturnCollectStatus = "NO_RETURN"                     // 회수안함 — not picked up
	ExchangeReturnCollectStatusAlreadyReturn              ExchangeReturnCollectStatus = "ALREADY_RETURN"                // 이미회수 — already picked up
	ExchangeReturnCollectStatusCancelRequestWhenDeparture ExchangeReturnCollectStatus = "CANCEL_REQUEST_WHEN_DEPARTURE" // 출고시 철회요청 — withdrawal requested after shipping
)

var exchangeReturnCollectStatusLabels = map[ExchangeReturnCollectStatus]enumLabel{
	ExchangeReturnCollectStatusNone:                       {"없음", "none"},
	ExchangeReturnCollectStatusReturn:                     {"회수진행", "pickup in progress"},
	ExchangeReturnCollectStatusNoReturn:                   {"회수안함", "not picked up"},
	ExchangeReturnCollectStatusAlreadyReturn:              {"이미회수", "already picked up"},
	ExchangeReturnCollectStatusCancelRequestWhenDeparture: {"출고시 철회요청", "withdrawal requested after shipping"},
}

// Korean returns the Korean label of s, or s itself when it is undocumented.
func (s ExchangeReturnCollectStatus) Korean() string {
	return enumKorean(exchangeReturnCollectStatusLabels, s)
}

// English returns the English label of s, or s itself when it is undocumented.
func (s ExchangeReturnCollectStatus) English() string {
	return enumEnglish(exchangeReturnCollectStatusLabels, s)
}

// Known reports whether s is a documented ExchangeReturnCollectStatus value.
func (s ExchangeReturnCollectStatus) Known() bool {
	return enumKnown(exchangeReturnCollectStatusLabels, s)
}

// SafetyNumberStatus is the state of a safe number (안심번호, a masked relay phone
// number), decoded from returndeliveryDestinationDto.safetyNumberStatus. It is
// an open set: an undocumented value is kept as it came, and its Known method
// reports false.
type SafetyNumberStatus string

// Documented SafetyNumberStatus values.
const (
	SafetyNumberStatusWait    SafetyNumberStatus = "WAIT"    // 대기 — waiting
	SafetyNumberStatusEnable  SafetyNumberStatus = "ENABLE"  // 사용가능 — enabled
	SafetyNumberStatusDepose  SafetyNumberStatus = "DEPOSE"  // 폐기 — discarded
	SafetyNumberStatusDisable SafetyNumberStatus = "DISABLE" // 사용불가 — disabled
	SafetyNumberStatusError   SafetyNumberStatus = "ERROR"   // 오류 — error
	SafetyNumberStatusReserve SafetyNumberStatus = "RESERVE" // 보류 — on hold
)

var safetyNumberStatusLabels = map[SafetyNumberStatus]enumLabel{
	SafetyNumberStatusWait:    {"대기", "waiting"},
	SafetyNumberStatusEnable:  {"사용가능", "enabled"},
	SafetyNumberStatusDepose:  {"폐기", "discarded"},
	SafetyNumberStatusDisable: {"사용불가", "disabled"},
	SafetyNumberStatusError:   {"오류", "error"},
	SafetyNumberStatusReserve: {"보류", "on hold"},
}

// Korean returns the Korean label of s, or s itself when it is undocumented.
func (s SafetyNumberStatus) Korean() string { return enumKorean(safetyNumberStatusLabels, s) }

// English returns the English label of s, or s itself when it is undocumented.
func (s SafetyNumberStatus) English() string { return enumEnglish(safetyNumberStatusLabels, s) }

// Known reports whether s is a documented SafetyNumberStatus value.
func (s SafetyNumberStatus) Known() bool { return enumKnown(safetyNumberStatusLabels, s) }

// ExchangeReturnType is the kind of pickup, decoded from
// collectInformationsDto.returnType. It is an open set: an undocumented value
// is kept as it came, and its Known method reports false.
type ExchangeReturnType string

// Documented ExchangeReturnType values.
const (
	ExchangeReturnTypeReturn         ExchangeReturnType = "RETURN"          // 반품회수 — return pickup
	ExchangeReturnTypeExchangeReturn ExchangeReturnType = "EXCHANGE_RETURN" // 교환회수 — exchange pickup
)

var exchangeReturnTypeLabels = map[ExchangeReturnType]enumLabel{
	ExchangeReturnTypeReturn:         {"반품회수", "return pickup"},
	ExchangeReturnTypeExchangeReturn: {"교환회수", "exchange pickup"},
}

// Korean returns the Korean label of s, or s itself when it is undocumented.
func (s ExchangeReturnType) Korean() string { return enumKorean(exchangeReturnTypeLabels, s) }

// English returns the English label of s, or s itself when it is undocumented.
func (s ExchangeReturnType) English() string { return enumEnglish(exchangeReturnTypeLabels, s) }

// Known reports whether s is a documented ExchangeReturnType value.
func (s ExchangeReturnType) Known() bool { return enumKnown(exchangeReturnTypeLabels, s) }
