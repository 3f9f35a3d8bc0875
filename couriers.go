package coupang

import (
	"slices"
	"strings"
)

// Courier is a delivery company as Coupang identifies it in goodsDeliveryCode
// (the courier of an uploaded waybill) and deliveryCompanyCode.
//
// The courier list is data, not a closed set: Coupang adds couriers, so a code
// missing from Couriers may still be accepted by the API.
type Courier struct {
	// Code is the value sent as goodsDeliveryCode, e.g. "CJGLS".
	Code string
	// Name is the courier's name as Coupang shows it, usually in Korean.
	Name string
	// Retired is true for codes Coupang no longer offers (merged or closed
	// companies). They can still appear in old records.
	Retired bool
	// InvoiceLengths lists every waybill-number length, in characters, that
	// Coupang accepts for this courier, in ascending order. A range such as
	// 8–16 is stored as each length in it (8, 9, …, 16). It is nil when
	// Coupang documents no rule: the number is free form (DIRECT) or the
	// rule is unknown.
	InvoiceLengths []int
}

// Courier codes for goodsDeliveryCode. The codes are untyped string constants
// so that they can be used wherever a plain string is expected.
const (
	CourierLotte          = "HYUNDAI"       // 롯데택배 — the code really is HYUNDAI (Lotte bought Hyundai Logistics)
	CourierLogen          = "KGB"           // 로젠택배 — the code really is KGB
	CourierEPost          = "EPOST"         // 우체국 — Korea Post parcel
	CourierHanjin         = "HANJIN"        // 한진택배
	CourierCJ             = "CJGLS"         // CJ대한통운 — CJ Logistics
	CourierKyungdong      = "KDEXP"         // 경동택배
	CourierIlyang         = "ILYANG"        // 일양택배
	CourierChunil         = "CHUNIL"        // 천일택배
	CourierDaesin         = "DAESIN"        // 대신택배
	CourierCVS            = "CVS"           // CVS택배 — convenience-store parcel
	CourierHapdong        = "HDEXP"         // 합동택배
	CourierDHL            = "DHL"           // DHL
	CourierUPS            = "UPS"           // UPS
	CourierFedEx          = "FEDEX"         // FEDEX
	CourierRegisteredMail = "REGISTPOST"    // 우편등기 — registered mail
	CourierDirect         = "DIRECT"        // 업체직송 — delivered by the seller itself
	CourierCoupang        = "COUPANG"       // 쿠팡자체배송 — Coupang's own delivery
	CourierEMS            = "EMS"           // 우체국 EMS
	CourierTNT            = "TNT"           // TNT
	CourierUSPS           = "USPS"          // USPS
	CourierIParcel        = "IPARCEL"       // i-parcel
	CourierGSMNtoN        = "GSMNTON"       // GSM NtoN
	CourierSungwonGlobal  = "SWGEXP"        // 성원글로벌
	CourierPantos         = "PANTOS"        // 범한판토스
	CourierACIExpress     = "ACIEXPRESS"    // ACI Express
	CourierDaewoonGlobal  = "DAEWOON"       // 대운글로벌
	CourierAirboy         = "AIRBOY"        // 에어보이익스프레스
	CourierKGLNetworks    = "KGLNET"        // KGL네트웍스
	CourierKunyoung       = "KUNYOUNG"      // 건영택배
	CourierSLX            = "SLX"           // SLX택배
	CourierHonam          = "HONAM"         // 호남택배
	CourierLineExpress    = "LINEEXPRESS"   // LINEEXPRESS
	CourierTwoFastExpress = "TWOFASTEXP"    // 2FastsExpress
	CourierECMS           = "ECMS"          // ECMS익스프레스
	CourierSamsungDirect  = "SELC"          // 삼성직배송
	CourierWonders        = "WONDERS"       // 원더스퀵
	CourierYongma         = "YONGMA"        // 용마로지스
	CourierSebang         = "SEBANG"        // 세방택배
	CourierNonghyup       = "NHLOGIS"       // 농협택배
	CourierLotteGlobal    = "LOTTEGLOBAL"   // 롯데글로벌
	CourierGSIExpress     = "GSIEXPRESS"    // GSI익스프레스
	CourierEFS            = "EFS"           // EFS
	CourierDHLGlobalMail  = "DHLGLOBALMAIL" // DHLGLOBALMAIL
	CourierKGBParcel      = "KGBPS"         // KGB택배 — not Logen, whose code is KGB
	CourierAjou           = "AJOU"          // 아주택배
	CourierSCLogis        = "CSLOGIS"       // SC로지스 — the code is CSLOGIS

	CourierKorex   = "KOREX"   // 대한통운 — retired, merged into CJGLS
	CourierDongbu  = "DONGBU"  // 동부택배 — retired
	CourierInnogis = "INNOGIS" // 이노지스택배 — retired
	CourierIQS     = "IQS"     // IQS — retired
)

// invoiceLengthRange returns every length from lo to hi inclusive.
func invoiceLengthRange(lo, hi int) []int {
	out := make([]int, 0, hi-lo+1)
	for n := lo; n <= hi; n++ {
		out = append(out, n)
	}
	return out
}

// courierTable lists the couriers, current ones first in Coupang's order,
// then the retired ones. Never mutated: accessors hand out copies.
var courierTable = []Courier{
	{Code: CourierLotte, Name: "롯데택배", InvoiceLengths: []int{10, 12, 13}},
	{Code: CourierLogen, Name: "로젠택배", InvoiceLengths: []int{10, 11}},
	{Code: CourierEPost, Name: "우체국", InvoiceLengths: []int{13}},
	{Code: CourierHanjin, Name: "한진택배", InvoiceLengths: []int{10, 12}},
	{Code: CourierCJ, Name: "CJ대한통운", InvoiceLengths: []int{10, 12}},
	{Code: CourierKyungdong, Name: "경동택배", InvoiceLengths: invoiceLengthRange(8, 16)},
	{Code: CourierIlyang, Name: "일양택배", InvoiceLengths: invoiceLengthRange(8, 16)},
	{Code: CourierChunil, Name: "천일택배", InvoiceLengths: []int{11}},
	{Code: CourierDaesin, Name: "대신택배", InvoiceLengths: []int{13}},
	{Code: CourierCVS, Name: "CVS택배", InvoiceLengths: []int{10, 12}},
	{Code: CourierHapdong, Name: "합동택배", InvoiceLengths: invoiceLengthRange(8, 16)},
	{Code: CourierDHL, Name: "DHL", InvoiceLengths: []int{10, 13, 20}},
	{Code: CourierUPS, Name: "UPS", InvoiceLengths: []int{9, 18}},
	{Code: CourierFedEx, Name: "FEDEX"},
	{Code: CourierRegisteredMail, Name: "우편등기"},
	{Code: CourierDirect, Name: "업체직송"},
	{Code: CourierCoupang, Name: "쿠팡자체배송"},
	{Code: CourierEMS, Name: "우체국 EMS"},
	{Code: CourierTNT, Name: "TNT"},
	{Code: CourierUSPS, Name: "USPS"},
	{Code: CourierIParcel, Name: "i-parcel"},
	{Code: CourierGSMNtoN, Name: "GSM NtoN"},
	{Code: CourierSungwonGlobal, Name: "성원글로벌"},
	{Code: CourierPantos, Name: "범한판토스"},
	{Code: CourierACIExpress, Name: "ACI Express"},
	{Code: CourierDaewoonGlobal, Name: "대운글로벌"},
	{Code: CourierAirboy, Name: "에어보이익스프레스"},
	{Code: CourierKGLNetworks, Name: "KGL네트웍스"},
	{Code: CourierKunyoung, Name: "건영택배"},
	{Code: CourierSLX, Name: "SLX택배"},
	{Code: CourierHonam, Name: "호남택배"},
	{Code: CourierLineExpress, Name: "LINEEXPRESS"},
	{Code: CourierTwoFastExpress, Name: "2FastsExpress"},
	{Code: CourierECMS, Name: "ECMS익스프레스"},
	{Code: CourierSamsungDirect, Name: "삼성직배송"},
	{Code: CourierWonders, Name: "원더스퀵"},
	{Code: CourierYongma, Name: "용마로지스"},
	{Code: CourierSebang, Name: "세방택배"},
	{Code: CourierNonghyup, Name: "농협택배"},
	{Code: CourierLotteGlobal, Name: "롯데글로벌"},
	{Code: CourierGSIExpress, Name: "GSI익스프레스"},
	{Code: CourierEFS, Name: "EFS"},
	{Code: CourierDHLGlobalMail, Name: "DHLGLOBALMAIL"},
	{Code: CourierKGBParcel, Name: "KGB택배"},
	{Code: CourierAjou, Name: "아주택배"},
	{Code: CourierSCLogis, Name: "SC로지스"},

	{Code: CourierKorex, Name: "대한통운", Retired: true},
	{Code: CourierDongbu, Name: "동부택배", Retired: true},
	{Code: CourierInnogis, Name: "이노지스택배", Retired: true},
	{Code: CourierIQS, Name: "IQS", Retired: true},
}

// courierIndex maps each code of courierTable to its position. Never mutated.
var courierIndex = func() map[string]int {
	m := make(map[string]int, len(courierTable))
	for i, c := range courierTable {
		m[c.Code] = i
	}
	return m
}()

// clone returns c with its own copy of InvoiceLengths (nil stays nil).
func (c Courier) clone() Courier {
	c.InvoiceLengths = slices.Clone(c.InvoiceLengths)
	return c
}

// LookupCourier returns the courier with the given goodsDeliveryCode. It tries
// code as given, then upper-cased with surrounding white space removed. The
// second result is false for a code that is not in the list; such a code may
// still be valid for Coupang. The result is a copy the caller may modify.
func LookupCourier(code string) (Courier, bool) {
	i, ok := courierIndex[code]
	if !ok {
		i, ok = courierIndex[strings.ToUpper(strings.TrimSpace(code))]
	}
	if !ok {
		return Courier{}, false
	}
	return courierTable[i].clone(), true
}

// Couriers returns every known courier, current ones first in Coupang's order,
// then the retired ones. The slice and its elements are a fresh copy that the
// caller may modify.
func Couriers() []Courier {
	out := make([]Courier, len(courierTable))
	for i, c := range courierTable {
		out[i] = c.clone()
	}
	return out
}

// AcceptsInvoiceNumber reports whether n has a length Coupang documents for
// this courier's waybill numbers. The length is counted in bytes, which for
// waybill numbers (ASCII) equals characters; digits are not required. When
// the courier has no length rule (InvoiceLengths is empty: DIRECT, couriers
// without a documented rule, or the zero Courier) every n is accepted, even
// "". This is a client-side sanity check only: Coupang has the final word.
func (c Courier) AcceptsInvoiceNumber(n string) bool {
	if len(c.InvoiceLengths) == 0 {
		return true
	}
	return slices.Contains(c.InvoiceLengths, len(n))
}
