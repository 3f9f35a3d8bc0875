package coupang

// This file holds the string-based enum types of the return API (the code
// tables of Coupang's return documentation, reference §4). Like the exchange
// enums they are open sets: a value missing from the tables decodes
// unchanged and only reports Known() == false. Several of Coupang's wire
// values are Korean text; they are kept as sent.

// ReturnStatus is the state of a return receipt, decoded from receiptStatus.
// The list call filters by ReturnFilter codes, not by these values.
type ReturnStatus string

// Documented ReturnStatus values.
const (
	// ReturnStatusReleaseStopUnchecked: the customer cancelled while the order
	// was being prepared (출고중지요청); listed under RU and under UC.
	ReturnStatusReleaseStopUnchecked ReturnStatus = "RELEASE_STOP_UNCHECKED"
	// ReturnStatusReturnsUnchecked: a return was filed and not yet checked
	// (반품접수); listed under UC.
	ReturnStatusReturnsUnchecked ReturnStatus = "RETURNS_UNCHECKED"
	// ReturnStatusVendorWarehouseConfirm: the seller confirmed that the goods
	// arrived (입고완료). Which filter lists it is not documented.
	ReturnStatusVendorWarehouseConfirm ReturnStatus = "VENDOR_WAREHOUSE_CONFIRM"
	// ReturnStatusRequestCoupangCheck: the seller asked Coupang to check the
	// refund (쿠팡확인요청); listed under PR.
	ReturnStatusRequestCoupangCheck ReturnStatus = "REQUEST_COUPANG_CHECK"
	// ReturnStatusReturnsCompleted: the return is completed (반품완료);
	// listed under CC.
	ReturnStatusReturnsCompleted ReturnStatus = "RETURNS_COMPLETED"
)

var returnStatusLabels = map[ReturnStatus]enumLabel{
	ReturnStatusReleaseStopUnchecked:   {"출고중지요청", "release stop requested"},
	ReturnStatusReturnsUnchecked:       {"반품접수", "return received, unchecked"},
	ReturnStatusVendorWarehouseConfirm: {"입고완료", "received at the seller's warehouse"},
	ReturnStatusRequestCoupangCheck:    {"쿠팡확인요청", "Coupang check requested"},
	ReturnStatusReturnsCompleted:       {"반품완료", "return completed"},
}

// Korean returns the Korean label of s, or s itself when it is undocumented.
func (s ReturnStatus) Korean() string { return enumKorean(returnStatusLabels, s) }

// English returns the English label of s, or s itself when it is undocumented.
func (s ReturnStatus) English() string { return enumEnglish(returnStatusLabels, s) }

// Known reports whether s is a documented ReturnStatus value.
func (s ReturnStatus) Known() bool { return enumKnown(returnStatusLabels, s) }

// ReturnFilter is the status filter of the return list call (the status
// query parameter): two-letter codes that select receipt statuses. The zero
// value selects no filter: All then sweeps all four.
type ReturnFilter string

// The documented filters.
const (
	// ReturnFilterReleaseStop (RU, 출고중지요청) lists release-stop requests.
	ReturnFilterReleaseStop ReturnFilter = "RU"
	// ReturnFilterUnchecked (UC, 반품접수) lists unchecked returns, the
	// release-stop requests included.
	ReturnFilterUnchecked ReturnFilter = "UC"
	// ReturnFilterCompleted (CC, 반품완료) lists completed returns.
	ReturnFilterCompleted ReturnFilter = "CC"
	// ReturnFilterCoupangCheck (PR, 쿠팡확인요청) lists receipts waiting for
	// Coupang's check.
	ReturnFilterCoupangCheck ReturnFilter = "PR"
)

// ReturnFilters are the four documented filters, in the order of a
// receipt's life, which is the order All sweeps them in: a receipt that
// moves on while All lists is then seen twice (and yielded once), never
// missed.
var returnFilters = [...]ReturnFilter{ReturnFilterReleaseStop, ReturnFilterUnchecked, ReturnFilterCompleted, ReturnFilterCoupangCheck}

var returnFilterLabels = map[ReturnFilter]enumLabel{
	ReturnFilterReleaseStop:  {"출고중지요청", "release stop requested"},
	ReturnFilterUnchecked:    {"반품접수", "return received"},
	ReturnFilterCompleted:    {"반품완료", "return completed"},
	ReturnFilterCoupangCheck: {"쿠팡확인요청", "Coupang check requested"},
}

// Korean returns the Korean label of f, or f itself when it is undocumented.
func (f ReturnFilter) Korean() string { return enumKorean(returnFilterLabels, f) }

// English returns the English label of f, or f itself when it is undocumented.
func (f ReturnFilter) English() string { return enumEnglish(returnFilterLabels, f) }

// Known reports whether f is a documented filter.
func (f ReturnFilter) Known() bool { return enumKnown(returnFilterLabels, f) }

// ReturnReceiptType is the kind of receipt (receiptType), and the
// cancelType parameter of the list call.
type ReturnReceiptType string

// Documented ReturnReceiptType values.
const (
	// ReturnReceiptTypeReturn: a return (the list's default cancelType).
	ReturnReceiptTypeReturn ReturnReceiptType = "RETURN"
	// ReturnReceiptTypeCancel: an order cancelled at payment-complete
	// (결제완료), listed only with cancelType CANCEL; no action applies.
	ReturnReceiptTypeCancel ReturnReceiptType = "CANCEL"
)

var returnReceiptTypeLabels = map[ReturnReceiptType]enumLabel{
	ReturnReceiptTypeReturn: {"반품", "return"},
	ReturnReceiptTypeCancel: {"취소", "cancellation"},
}

// Korean returns the Korean label of t, or t itself when it is undocumented.
func (t ReturnReceiptType) Korean() string { return enumKorean(returnReceiptTypeLabels, t) }

// English returns the English label of t, or t itself when it is undocumented.
func (t ReturnReceiptType) English() string { return enumEnglish(returnReceiptTypeLabels, t) }

// Known reports whether t is a documented ReturnReceiptType value.
func (t ReturnReceiptType) Known() bool { return enumKnown(returnReceiptTypeLabels, t) }

// ReturnReleaseStatus says whether one item of a receipt had shipped
// (returnItems[].releaseStatus). The exchange model's ReleaseStatus is
// another code table.
type ReturnReleaseStatus string

// Documented ReturnReleaseStatus values.
const (
	ReturnReleaseStatusShipped        ReturnReleaseStatus = "Y" // 출고됨 — shipped
	ReturnReleaseStatusNotShipped     ReturnReleaseStatus = "N" // 미출고 — not shipped
	ReturnReleaseStatusStopped        ReturnReleaseStatus = "S" // 출고중지됨 — shipment stopped
	ReturnReleaseStatusAlreadyShipped ReturnReleaseStatus = "A" // 이미출고됨 — marked already shipped
)

var returnReleaseStatusLabels = map[ReturnReleaseStatus]enumLabel{
	ReturnReleaseStatusShipped:        {"출고됨", "shipped"},
	ReturnReleaseStatusNotShipped:     {"미출고", "not shipped"},
	ReturnReleaseStatusStopped:        {"출고중지됨", "shipment stopped"},
	ReturnReleaseStatusAlreadyShipped: {"이미출고됨", "marked already shipped"},
}

// Korean returns the Korean label of s, or s itself when it is undocumented.
func (s ReturnReleaseStatus) Korean() string { return enumKorean(returnReleaseStatusLabels, s) }

// English returns the English label of s, or s itself when it is undocumented.
func (s ReturnReleaseStatus) English() string { return enumEnglish(returnReleaseStatusLabels, s) }

// Known reports whether s is a documented ReturnReleaseStatus value.
func (s ReturnReleaseStatus) Known() bool { return enumKnown(returnReleaseStatusLabels, s) }

// ReturnReleaseStopStatus says whether a release-stop request was processed
// (releaseStopStatus). Coupang's wire values are Korean text.
type ReturnReleaseStopStatus string

// Documented ReturnReleaseStopStatus values (the constants hold the Korean
// wire text).
const (
	ReturnReleaseStopUnprocessed   ReturnReleaseStopStatus = "미처리"        // not processed
	ReturnReleaseStopShipped       ReturnReleaseStopStatus = "처리(이미출고)"   // processed: already shipped
	ReturnReleaseStopStopped       ReturnReleaseStopStatus = "처리(출고중지)"   // processed: shipment stopped
	ReturnReleaseStopAutoShipped   ReturnReleaseStopStatus = "자동처리(이미출고)" // processed automatically: already shipped
	ReturnReleaseStopNotApplicable ReturnReleaseStopStatus = "비대상"        // not applicable
)

var returnReleaseStopStatusLabels = map[ReturnReleaseStopStatus]enumLabel{
	ReturnReleaseStopUnprocessed:   {"미처리", "not processed"},
	ReturnReleaseStopShipped:       {"처리(이미출고)", "processed: already shipped"},
	ReturnReleaseStopStopped:       {"처리(출고중지)", "processed: shipment stopped"},
	ReturnReleaseStopAutoShipped:   {"자동처리(이미출고)", "processed automatically: already shipped"},
	ReturnReleaseStopNotApplicable: {"비대상", "not applicable"},
}

// Korean returns s itself: its wire values are Korean.
func (s ReturnReleaseStopStatus) Korean() string { return enumKorean(returnReleaseStopStatusLabels, s) }

// English returns the English label of s, or s itself when it is undocumented.
func (s ReturnReleaseStopStatus) English() string {
	return enumEnglish(returnReleaseStopStatusLabels, s)
}

// Known reports whether s is a documented ReturnReleaseStopStatus value.
func (s ReturnReleaseStopStatus) Known() bool { return enumKnown(returnReleaseStopStatusLabels, s) }

// ReturnDeliveryType is how a return is picked up (returnDeliveryType), a
// Korean label on the wire.
type ReturnDeliveryType string

// Documented ReturnDeliveryType values (the constants hold the Korean wire
// text).
const (
	// ReturnDeliveryTypeIntegrated: the seller's contracted courier,
	// integrated automatically (연동택배, 반품자동연동).
	ReturnDeliveryTypeIntegrated ReturnDeliveryType = "연동택배"
	// ReturnDeliveryTypeDedicated: a courier contracted by Coupang (전담택배).
	ReturnDeliveryTypeDedicated ReturnDeliveryType = "전담택배"
	// ReturnDeliveryTypeManual: a waybill entered by hand by a counsellor
	// (수기관리; Coupang's FAQ spells it 수기택배, which is read the same).
	ReturnDeliveryTypeManual ReturnDeliveryType = "수기관리"
)

var returnDeliveryTypeLabels = map[ReturnDeliveryType]enumLabel{
	ReturnDeliveryTypeIntegrated: {"연동택배", "seller's courier, integrated"},
	ReturnDeliveryTypeDedicated:  {"전담택배", "Coupang's contracted courier"},
	ReturnDeliveryTypeManual:     {"수기관리", "waybill entered by hand"},
	"수기택배":                       {"수기택배", "waybill entered by hand"},
}

// Korean returns s itself: its wire values are Korean.
func (t ReturnDeliveryType) Korean() string { return enumKorean(returnDeliveryTypeLabels, t) }

// English returns the English label of t, or t itself when it is undocumented.
func (t ReturnDeliveryType) English() string { return enumEnglish(returnDeliveryTypeLabels, t) }

// Known reports whether t is a documented ReturnDeliveryType value.
func (t ReturnDeliveryType) Known() bool { return enumKnown(returnDeliveryTypeLabels, t) }

// ReturnCompleteConfirmType is how a receipt was confirmed
// (completeConfirmType).
type ReturnCompleteConfirmType string

// Documented ReturnCompleteConfirmType values.
const (
	ReturnCompleteConfirmVendor    ReturnCompleteConfirmType = "VENDOR_CONFIRM"  // 파트너 확인 — confirmed by the seller
	ReturnCompleteConfirmUndefined ReturnCompleteConfirmType = "UNDEFINED"       // 미확인 — not confirmed
	ReturnCompleteConfirmCS        ReturnCompleteConfirmType = "CS_CONFIRM"      // CS 대리확인 — confirmed by CS for the seller
	ReturnCompleteConfirmCSLoss    ReturnCompleteConfirmType = "CS_LOSS_CONFIRM" // CS 손실확인 — loss confirmed by CS
)

var returnCompleteConfirmTypeLabels = map[ReturnCompleteConfirmType]enumLabel{
	ReturnCompleteConfirmVendor:    {"파트너 확인", "confirmed by the seller"},
	ReturnCompleteConfirmUndefined: {"미확인", "not confirmed"},
	ReturnCompleteConfirmCS:        {"CS 대리확인", "confirmed by CS for the seller"},
	ReturnCompleteConfirmCSLoss:    {"CS 손실확인", "loss confirmed by CS"},
	"미확인":                          {"미확인", "not confirmed"},
}

// Korean returns the Korean label of t, or t itself when it is undocumented.
func (t ReturnCompleteConfirmType) Korean() string {
	return enumKorean(returnCompleteConfirmTypeLabels, t)
}

// English returns the English label of t, or t itself when it is undocumented.
func (t ReturnCompleteConfirmType) English() string {
	return enumEnglish(returnCompleteConfirmTypeLabels, t)
}

// Known reports whether t is a documented ReturnCompleteConfirmType value.
func (t ReturnCompleteConfirmType) Known() bool { return enumKnown(returnCompleteConfirmTypeLabels, t) }

// Confirmed reports whether t says the receipt was confirmed by someone
// (not "" and not UNDEFINED / 미확인).
func (t ReturnCompleteConfirmType) Confirmed() bool {
	return t != "" && t != ReturnCompleteConfirmUndefined && t != "미확인"
}

// RefundDeliveryDuty says who pays the return shipping of a withdrawn
// return (refundDeliveryDuty).
type RefundDeliveryDuty string

// Documented RefundDeliveryDuty values.
const (
	RefundDeliveryDutySeller   RefundDeliveryDuty = "COM" // 판매자 — the seller
	RefundDeliveryDutyCustomer RefundDeliveryDuty = "CUS" // 고객 — the customer
	RefundDeliveryDutyCoupang  RefundDeliveryDuty = "COU" // 쿠팡 — Coupang
)

var refundDeliveryDutyLabels = map[RefundDeliveryDuty]enumLabel{
	RefundDeliveryDutySeller:   {"판매자", "the seller"},
	RefundDeliveryDutyCustomer: {"고객", "the customer"},
	RefundDeliveryDutyCoupang:  {"쿠팡", "Coupang"},
}

// Korean returns the Korean label of d, or d itself when it is undocumented.
func (d RefundDeliveryDuty) Korean() string { return enumKorean(refundDeliveryDutyLabels, d) }

// English returns the English label of d, or d itself when it is undocumented.
func (d RefundDeliveryDuty) English() string { return enumEnglish(refundDeliveryDutyLabels, d) }

// Known reports whether d is a documented RefundDeliveryDuty value.
func (d RefundDeliveryDuty) Known() bool { return enumKnown(refundDeliveryDutyLabels, d) }
