package coupang

import "strings"

// Reason is one entry of Coupang's reason-code table (VOC table v1.43), shared
// by exchanges, returns and cancellations. Records carry the code in their
// reasonCode field and the server's own Korean text in reasonCodeText; this
// table is the fallback when that text is missing and the only source of an
// English text. Codes missing from the table are not errors: Coupang adds
// reasons without notice.
type Reason struct {
	Code    string    // the reasonCode value, e.g. "CHANGEMIND"
	Korean  string    // Coupang's Korean text, verbatim
	English string    // an English translation
	Fault   FaultType // who the reason blames: FaultTypeCustomer, FaultTypeVendor or FaultTypeCoupang
}

// reasonTable is the reason-code table in Coupang's order. Never mutated.
var reasonTable = []Reason{
	{Code: "CHANGEMIND", Korean: "필요 없어짐 (단순 변심)", English: "no longer needed (change of mind)", Fault: FaultTypeCustomer},
	{Code: "NOLONGERNEED", Korean: "필요 없어짐", English: "no longer needed", Fault: FaultTypeCustomer},
	{Code: "DIFFERENTOPT", Korean: "색상/ 사이즈가 기대와 다름", English: "colour/size not as expected", Fault: FaultTypeCustomer},
	{Code: "DONTLIKESIZECOLOR", Korean: "색상, 사이즈가 기대와 다름", English: "dislikes colour/size", Fault: FaultTypeCustomer},
	{Code: "CHEAPER", Korean: "다른 사이트의 가격이 더 저렴함", English: "cheaper elsewhere", Fault: FaultTypeCustomer},
	{Code: "WRONGOPT", Korean: "상품의 옵션 선택을 잘못함", English: "chose the wrong option", Fault: FaultTypeCustomer},
	{Code: "DELIVERYLATER", Korean: "배송 예정일이 예상보다 늦음", English: "promised date later than expected", Fault: FaultTypeVendor},
	{Code: "WRONGADDRESS", Korean: "배송지 입력 실수", English: "wrong address entered", Fault: FaultTypeCustomer},
	{Code: "REORDER", Korean: "상품을 추가하여 재주문", English: "re-ordering with more items", Fault: FaultTypeCustomer},
	{Code: "OTHERS", Korean: "기타", English: "other", Fault: FaultTypeCustomer},
	{Code: "OTHERS_CHANGEMIND", Korean: "그외 (단순변심)", English: "other (change of mind)", Fault: FaultTypeCustomer},
	{Code: "DELIVERYSTOP", Korean: "배송흐름이 멈춤", English: "delivery stopped moving", Fault: FaultTypeVendor},
	{Code: "CARRIERLOST", Korean: "택배사 상품 분실", English: "lost by the carrier", Fault: FaultTypeVendor},
	{Code: "LOST", Korean: "배송 완료지만 상품 받지 못함", English: "marked delivered but not received", Fault: FaultTypeVendor},
	{Code: "PARTIALMISS", Korean: "주문상품 중 일부가 배송되지 않음", English: "part of the order missing", Fault: FaultTypeVendor},
	{Code: "COMPOMISS", Korean: "상품의 구성품, 부속품이 제대로 들어있지 않음", English: "components or accessories missing", Fault: FaultTypeVendor},
	{Code: "LATEDELIVERED", Korean: "상품이 늦게 배송됨", English: "delivered late", Fault: FaultTypeVendor},
	{Code: "SKUOOSRESHIP", Korean: "SKU OOS로 나머지 상품 재출고", English: "rest re-shipped after SKU out of stock", Fault: FaultTypeVendor},
	{Code: "DELIVERYSTUCK", Korean: "배송 상태가 멈춰 있음", English: "delivery status stuck", Fault: FaultTypeVendor},
	{Code: "LIKELYDELAY", Korean: "배송지연이 예상됨", English: "delay expected", Fault: FaultTypeVendor},
	{Code: "DAMAGED", Korean: "상품이 파손되어 배송됨", English: "arrived damaged", Fault: FaultTypeVendor},
	{Code: "DEFECT", Korean: "상품 결함/기능에 이상이 있음", English: "defective or malfunctioning", Fault: FaultTypeVendor},
	{Code: "INACCURATE", Korean: "실제 상품이 상품 설명에 써있는 것과 다름", English: "not as described", Fault: FaultTypeVendor},
	{Code: "BOTHDAMAGED", Korean: "포장과 상품 모두 훼손됨", English: "box and item both damaged", Fault: FaultTypeVendor},
	{Code: "SHIPBOXOK", Korean: "포장은 괜찮으나 상품이 파손됨", English: "box fine, item damaged", Fault: FaultTypeVendor},
	{Code: "UNABLEBOOK", Korean: "티켓 상품 예약 불가능", English: "ticket cannot be booked", Fault: FaultTypeVendor},
	{Code: "TICKETNOUSE", Korean: "티켓 상품 지점 휴업/ 폐점으로 사용 불가능", English: "ticket unusable (branch closed)", Fault: FaultTypeVendor},
	{Code: "PRICEERROR", Korean: "잘못된 가격 기재", English: "wrong price listed", Fault: FaultTypeVendor},
	{Code: "ITEMNAMEERR", Korean: "잘못된 상품명 기재", English: "wrong product name", Fault: FaultTypeVendor},
	{Code: "OTHERS_PRODUCT", Korean: "그외 (상품문제)", English: "other (product problem)", Fault: FaultTypeVendor},
	{Code: "WRONGDELIVERY", Korean: "내가 주문한 상품과 아예 다른 상품이 배송됨", English: "an entirely different item arrived", Fault: FaultTypeVendor},
	{Code: "WRONGSIZECOL", Korean: "내가 주문한 상품과 다른 색상/ 사이즈의 상품이 배송됨", English: "wrong colour/size delivered", Fault: FaultTypeVendor},
	{Code: "OTHERS_DELIVERY", Korean: "그외 (배송문제)", English: "other (delivery problem)", Fault: FaultTypeVendor},
	{Code: "OOSSELLER", Korean: "업체로부터 품절되었다고 연락 받음", English: "seller reported out of stock", Fault: FaultTypeVendor},
	{Code: "UNUSEDTICKET", Korean: "티켓 상품의 미사용 환불 취소", English: "unused ticket refunded", Fault: FaultTypeCustomer},
	{Code: "DUPLICATE", Korean: "Abusing 의심 중복구매 취소", English: "suspected abusive duplicate purchase", Fault: FaultTypeVendor},
	{Code: "SKUOOSCAN", Korean: "SKU OOS 취소", English: "cancelled: SKU out of stock", Fault: FaultTypeVendor},
	{Code: "SYSTEMERROR", Korean: "시스템 오류", English: "system error", Fault: FaultTypeCoupang},
	{Code: "SYSTEMINFO_ERROR", Korean: "상품 정보가 잘못 노출됨(쿠팡 시스템 오류)", English: "wrong product info shown (Coupang system error)", Fault: FaultTypeCoupang},
	{Code: "EXITERROR", Korean: "주문 이탈", English: "order abandoned", Fault: FaultTypeCoupang},
	{Code: "PAYERROR", Korean: "결제 오류", English: "payment error", Fault: FaultTypeCoupang},
	{Code: "PARTNERERROR", Korean: "제휴사이트 오류", English: "affiliate-site error", Fault: FaultTypeCoupang},
	{Code: "REGISTERROR", Korean: "쿠폰 등록 오류", English: "coupon registration error", Fault: FaultTypeCoupang},
	{Code: "NOTPURCHASABLE", Korean: "구매 불가능", English: "not purchasable", Fault: FaultTypeCoupang},
}

// reasonIndex maps each code of reasonTable to its entry. Never mutated.
var reasonIndex = func() map[string]Reason {
	m := make(map[string]Reason, len(reasonTable))
	for _, r := range reasonTable {
		m[r.Code] = r
	}
	return m
}()

// LookupReason returns the table entry for a reasonCode. It tries code as
// given, then upper-cased with surrounding white space removed. The second
// result is false for a code that is not in the table.
func LookupReason(code string) (Reason, bool) {
	if r, ok := reasonIndex[code]; ok {
		return r, true
	}
	r, ok := reasonIndex[strings.ToUpper(strings.TrimSpace(code))]
	return r, ok
}

// Reasons returns every known reason code in the order of Coupang's table.
// The slice is a fresh copy that the caller may modify.
func Reasons() []Reason {
	out := make([]Reason, len(reasonTable))
	copy(out, reasonTable)
	return out
}

// RejectCode is the reason sent when rejecting an exchange request
// (exchangeRejectCode). Coupang accepts only RejectSoldOut and RejectWithdraw;
// check Valid before sending a code that did not come from these constants.
type RejectCode string

// The only two reject codes Coupang accepts.
const (
	RejectSoldOut  RejectCode = "SOLDOUT"  // 교환 상품 품절 — the replacement item is sold out
	RejectWithdraw RejectCode = "WITHDRAW" // 고객 교환 철회 — the customer withdrew the request
)

var rejectCodeLabels = map[RejectCode]enumLabel{
	RejectSoldOut:  {"교환 상품 품절", "replacement item sold out"},
	RejectWithdraw: {"고객 교환 철회", "the customer withdrew the request"},
}

// Valid reports whether c is one of the two codes Coupang accepts. The match
// is exact: "soldout" is not valid.
func (c RejectCode) Valid() bool { return enumKnown(rejectCodeLabels, c) }

// Korean returns the Korean label of c, or c itself when it is not valid.
func (c RejectCode) Korean() string { return enumKorean(rejectCodeLabels, c) }

// English returns the English label of c, or c itself when it is not valid.
func (c RejectCode) English() string { return enumEnglish(rejectCodeLabels, c) }

// reasonInfo is the models' ReasonInfo: the table's entry for code, or for a
// code it does not know Coupang's own text with no English (a raw code in an
// English column reads as if it were a translation).
func reasonInfo(code, text string) Reason {
	if r, ok := LookupReason(code); ok {
		return r
	}
	return Reason{Code: code, Korean: text}
}
