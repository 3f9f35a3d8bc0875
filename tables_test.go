package coupang

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// labelled is the method set shared by every enum type of enums.go.
type labelled interface {
	Korean() string
	English() string
	Known() bool
}

type enumCase struct {
	v      labelled
	raw    string
	ko, en string
}

// enumCases lists every documented enum value with its raw wire form and labels.
var enumCases = []enumCase{
	{ExchangeStatusReceipt, "RECEIPT", "접수", "received"},
	{ExchangeStatusProgress, "PROGRESS", "진행", "in progress"},
	{ExchangeStatusSuccess, "SUCCESS", "완료", "done"},
	{ExchangeStatusReject, "REJECT", "불가", "rejected"},
	{ExchangeStatusCancel, "CANCEL", "철회", "withdrawn"},
	{OrderDeliveryStatusAccept, "ACCEPT", "결제완료", "paid"},
	{OrderDeliveryStatusInstruct, "INSTRUCT", "상품준비중", "preparing the item"},
	{OrderDeliveryStatusDeparture, "DEPARTURE", "배송지시", "shipping instructed"},
	{OrderDeliveryStatusDelivering, "DELIVERING", "배송중", "in transit"},
	{OrderDeliveryStatusFinalDelivery, "FINAL_DELIVERY", "배송완료", "delivered"},
	{OrderDeliveryStatusNoneTracking, "NONE_TRACKING", "업체 직접 배송(추적불가)", "shipped directly by the seller (untracked)"},
	{ReferTypeVendor, "VENDOR", "벤더", "seller"},
	{ReferTypeCSCenter, "CS_CENTER", "CS", "customer service centre"},
	{ReferTypeWebPC, "WEB_PC", "웹 PC", "web (PC)"},
	{ReferTypeWebMobile, "WEB_MOBILE", "웹 모바일", "web (mobile)"},
	{FaultTypeCoupang, "COUPANG", "쿠팡과실", "Coupang at fault"},
	{FaultTypeVendor, "VENDOR", "업체과실", "seller at fault"},
	{FaultTypeCustomer, "CUSTOMER", "고객과실", "customer at fault"},
	{FaultTypeWMS, "WMS", "물류과실", "logistics (warehouse) at fault"},
	{FaultTypeGeneral, "GENERAL", "일반", "general"},
	{ActorTypeCustomer, "CUSTOMER", "고객", "customer"},
	{ActorTypeCounselor, "COUNSELOR", "상담사", "customer service agent"},
	{ActorTypeCoupang, "COUPANG", "내부직원", "Coupang staff"},
	{ActorTypeVendor, "VENDOR", "업체", "seller"},
	{ActorTypeEtc, "ETC", "기타", "other"},
	{ActorTypeTracking, "TRACKING", "배송추적", "delivery tracking"},
	{ActorTypeBatch, "BATCH", "배치", "batch job"},
	{ActorTypeSystem, "SYSTEM", "시스템", "system"},
	{DeliveryStatusBeforeDirection, "BeforeDirection", "배송연동 전", "not yet handed to the carrier"},
	{DeliveryStatusCompleteDirection, "CompleteDirection", "배송연동", "handed to the carrier"},
	{DeliveryStatusDelivering, "Delivering", "배송중", "in transit"},
	{DeliveryStatusCompleteDelivery, "CompleteDelivery", "배송완료", "delivered"},
	{DeliveryStatusDirectionFail, "DirectionFail", "배송연동실패", "handover to the carrier failed"},
	{DeliveryStatusVendorDirect, "VendorDirect", "업체직송", "shipped directly by the seller"},
	{DeliveryStatusFail, "Fail", "배송실패", "delivery failed"},
	{DeliveryStatusWithdraw, "Withdraw", "교환배송철회", "exchange delivery withdrawn"},
	{DeliveryStatusNoneData, "NoneData", "정보없음", "no information"},
	{CollectStatusBeforeDirection, "BeforeDirection", "회수연동 전", "pickup not yet handed to the carrier"},
	{CollectStatusCompleteDirection, "CompleteDirection", "회수연동", "pickup handed to the carrier"},
	{CollectStatusDelivering, "Delivering", "회수중", "pickup in transit"},
	{CollectStatusCompleteCollect, "CompleteCollect", "업체전달완료", "delivered to the seller"},
	{CollectStatusDirectionFail, "DirectionFail", "회수연동실패", "pickup handover to the carrier failed"},
	{CollectStatusFail, "Fail", "회수실패", "pickup failed"},
	{CollectStatusWithdraw, "Withdraw", "교환회수철회", "exchange pickup withdrawn"},
	{CollectStatusNoCollect, "NoCollect", "회수 불필요", "no pickup needed"},
	{CollectStatusNoneData, "NoneData", "정보없음", "no information"},
	{CollectStatusCollecting, "Collecting", "수거중", "being collected"},
	{ShippingDeliveryTypeDelivery, "DELIVERY", "일반배송", "standard delivery"},
	{ShippingDeliveryTypeExchangeDelivery, "EXCHANGE_DELIVERY", "교환배송", "exchange delivery"},
	{ShippingDeliveryTypeForcedDelivery, "FORCED_DELIVERY", "추가출고배송", "additional shipment"},
	{ExchangeReturnItemStatusReturnSendReady, "RETURN_SEND_READY", "접수", "received"},
	{ExchangeReturnItemStatusReturnSendComplete, "RETURN_SEND_COMPLETE", "전송완료", "sent"},
	{ExchangeReturnItemStatusReturnCollectOK, "RETURN_COLLECT_OK", "정상반품완료", "returned in normal condition"},
	{ExchangeReturnItemStatusReturnCollectNotOK, "RETURN_COLLECT_NOT_OK", "비정상반품완료", "returned in abnormal condition"},
	{ExchangeReturnItemStatusChangeSendReady, "CHANGE_SEND_READY", "교환확정", "exchange confirmed"},
	{ExchangeReturnItemStatusChangeSendHold, "CHANGE_SEND_HOLD", "교환확정홀드", "exchange confirmation on hold"},
	{ExchangeReturnItemStatusChangeSendComplete, "CHANGE_SEND_COMPLETE", "교환정보 전송완료", "exchange information sent"},
	{ExchangeReturnItemStatusChangeSendFail, "CHANGE_SEND_FAIL", "교환재고없음", "no stock for the exchange"},
	{ExchangeReturnItemStatusCollectFail, "COLLECT_FAIL", "회수실패", "pickup failed"},
	{ReleaseStatusReleased, "RELEASED", "이미출고", "already shipped"},
	{ReleaseStatusNotReleased, "NOT_RELEASED", "미출고", "not shipped"},
	{ConfirmTypeReleased, "RELEASED", "출고", "shipped"},
	{ConfirmTypeStopped, "STOPPED", "출고중지 완료", "shipment stopped"},
	{ExchangeReturnCollectStatusNone, "NONE", "없음", "none"},
	{ExchangeReturnCollectStatusReturn, "RETURN", "회수진행", "pickup in progress"},
	{ExchangeReturnCollectStatusNoReturn, "NO_RETURN", "회수안함", "not picked up"},
	{ExchangeReturnCollectStatusAlreadyReturn, "ALREADY_RETURN", "이미회수", "already picked up"},
	{ExchangeReturnCollectStatusCancelRequestWhenDeparture, "CANCEL_REQUEST_WHEN_DEPARTURE", "출고시 철회요청", "withdrawal requested after shipping"},
	{SafetyNumberStatusWait, "WAIT", "대기", "waiting"},
	{SafetyNumberStatusEnable, "ENABLE", "사용가능", "enabled"},
	{SafetyNumberStatusDepose, "DEPOSE", "폐기", "discarded"},
	{SafetyNumberStatusDisable, "DISABLE", "사용불가", "disabled"},
	{SafetyNumberStatusError, "ERROR", "오류", "error"},
	{SafetyNumberStatusReserve, "RESERVE", "보류", "on hold"},
	{ExchangeReturnTypeReturn, "RETURN", "반품회수", "return pickup"},
	{ExchangeReturnTypeExchangeReturn, "EXCHANGE_RETURN", "교환회수", "exchange pickup"},
}

// enumTableSizes is how many documented values each type has.
var enumTableSizes = map[string]struct{ got, want int }{
	"ExchangeStatus":              {len(exchangeStatusLabels), 5},
	"OrderDeliveryStatus":         {len(orderDeliveryStatusLabels), 6},
	"ReferType":                   {len(referTypeLabels), 4},
	"FaultType":                   {len(faultTypeLabels), 5},
	"ActorType":                   {len(actorTypeLabels), 8},
	"DeliveryStatus":              {len(deliveryStatusLabels), 9},
	"CollectStatus":               {len(collectStatusLabels), 10},
	"ShippingDeliveryType":        {len(shippingDeliveryTypeLabels), 3},
	"ExchangeReturnItemStatus":    {len(exchangeReturnItemStatusLabels), 9},
	"ReleaseStatus":               {len(releaseStatusLabels), 2},
	"ConfirmType":                 {len(confirmTypeLabels), 2},
	"ExchangeReturnCollectStatus": {len(exchangeReturnCollectStatusLabels), 5},
	"SafetyNumberStatus":          {len(safetyNumberStatusLabels), 6},
	"ExchangeReturnType":          {len(exchangeReturnTypeLabels), 2},
}

func TestEnumKnownValues(t *testing.T) {
	for _, tc := range enumCases {
		name := reflect.TypeOf(tc.v).Name() + "/" + tc.raw
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, tc.raw, reflect.ValueOf(tc.v).String(), "wire value")
			assert.True(t, tc.v.Known())
			assert.Equal(t, tc.ko, tc.v.Korean())
			assert.Equal(t, tc.en, tc.v.English())
		})
	}
}

func TestEnumTablesComplete(t *testing.T) {
	for name, n := range enumTableSizes {
		assert.Equal(t, n.want, n.got, name)
	}
	perType := map[string]int{}
	for _, tc := range enumCases {
		perType[reflect.TypeOf(tc.v).Name()]++
	}
	for name, n := range enumTableSizes {
		assert.Equal(t, n.want, perType[name], name)
	}
}

// enumOf builds a value of enum type T from a raw string.
func enumOf[T interface {
	~string
	labelled
}](raw string) labelled {
	return T(raw)
}

func TestEnumUnknownValues(t *testing.T) {
	makers := map[string]func(string) labelled{
		"ExchangeStatus":              enumOf[ExchangeStatus],
		"OrderDeliveryStatus":         enumOf[OrderDeliveryStatus],
		"ReferType":                   enumOf[ReferType],
		"FaultType":                   enumOf[FaultType],
		"ActorType":                   enumOf[ActorType],
		"DeliveryStatus":              enumOf[DeliveryStatus],
		"CollectStatus":               enumOf[CollectStatus],
		"ShippingDeliveryType":        enumOf[ShippingDeliveryType],
		"ExchangeReturnItemStatus":    enumOf[ExchangeReturnItemStatus],
		"ReleaseStatus":               enumOf[ReleaseStatus],
		"ConfirmType":                 enumOf[ConfirmType],
		"ExchangeReturnCollectStatus": enumOf[ExchangeReturnCollectStatus],
		"SafetyNumberStatus":          enumOf[SafetyNumberStatus],
		"ExchangeReturnType":          enumOf[ExchangeReturnType],
	}
	require.Len(t, makers, len(enumTableSizes), "every enum type is covered")
	for name, mk := range makers {
		for _, raw := range []string{"Collecting2", "", "receipt", "collecting"} {
			v := mk(raw)
			assert.False(t, v.Known(), "%s(%q)", name, raw)
			assert.Equal(t, raw, v.Korean(), "%s(%q)", name, raw)
			assert.Equal(t, raw, v.English(), "%s(%q)", name, raw)
		}
	}
}

func TestEnumCaseSensitive(t *testing.T) {
	// Values are matched exactly: PascalCase and UPPER_SNAKE are distinct.
	assert.True(t, CollectStatus("CompleteCollect").Known())
	assert.False(t, CollectStatus("COMPLETE_COLLECT").Known())
	assert.False(t, ExchangeStatus("Receipt").Known())
}

func TestEnumExchangeStatusTerminal(t *testing.T) {
	cases := map[ExchangeStatus]bool{
		ExchangeStatusReceipt:  false,
		ExchangeStatusProgress: false,
		ExchangeStatusSuccess:  true,
		ExchangeStatusReject:   true,
		ExchangeStatusCancel:   true,
		"":                     false,
		"DONE":                 false,
	}
	for s, want := range cases {
		assert.Equal(t, want, s.Terminal(), "%q", s)
	}
}

func TestReasonTable(t *testing.T) {
	all := Reasons()
	require.Len(t, all, 44)
	assert.Equal(t, "CHANGEMIND", all[0].Code, "table order")
	assert.Equal(t, "NOTPURCHASABLE", all[43].Code, "table order")
	seen := map[string]bool{}
	for _, r := range all {
		assert.False(t, seen[r.Code], "duplicate code %s", r.Code)
		seen[r.Code] = true
		assert.NotEmpty(t, r.Code)
		assert.NotEmpty(t, r.Korean, r.Code)
		assert.NotEmpty(t, r.English, r.Code)
		assert.Contains(t, []FaultType{FaultTypeCustomer, FaultTypeVendor, FaultTypeCoupang}, r.Fault, r.Code)
		got, ok := LookupReason(r.Code)
		assert.True(t, ok, r.Code)
		assert.Equal(t, r, got)
	}
}

func TestLookupReason(t *testing.T) {
	cases := []struct {
		code   string
		ok     bool
		want   string // canonical code
		fault  FaultType
		korean string
	}{
		{"CHANGEMIND", true, "CHANGEMIND", FaultTypeCustomer, "필요 없어짐 (단순 변심)"},
		{" changemind ", true, "CHANGEMIND", FaultTypeCustomer, "필요 없어짐 (단순 변심)"},
		{"changeMind", true, "CHANGEMIND", FaultTypeCustomer, "필요 없어짐 (단순 변심)"},
		{"SYSTEMINFO_ERROR", true, "SYSTEMINFO_ERROR", FaultTypeCoupang, "상품 정보가 잘못 노출됨(쿠팡 시스템 오류)"},
		{"OOSSELLER", true, "OOSSELLER", FaultTypeVendor, "업체로부터 품절되었다고 연락 받음"},
		{"DIFFERENTOPT", true, "DIFFERENTOPT", FaultTypeCustomer, "색상/ 사이즈가 기대와 다름"},
		{"DONTLIKESIZECOLOR", true, "DONTLIKESIZECOLOR", FaultTypeCustomer, "색상, 사이즈가 기대와 다름"},
		{"UNUSEDTICKET", true, "UNUSEDTICKET", FaultTypeCustomer, "티켓 상품의 미사용 환불 취소"},
		{"DELIVERYLATER", true, "DELIVERYLATER", FaultTypeVendor, "배송 예정일이 예상보다 늦음"},
		{"", false, "", "", ""},
		{"NOPE", false, "", "", ""},
		{"CHANGE MIND", false, "", "", ""},
	}
	for _, tc := range cases {
		r, ok := LookupReason(tc.code)
		require.Equal(t, tc.ok, ok, "%q", tc.code)
		if !ok {
			assert.Equal(t, Reason{}, r)
			continue
		}
		assert.Equal(t, tc.want, r.Code)
		assert.Equal(t, tc.fault, r.Fault)
		assert.Equal(t, tc.korean, r.Korean)
	}
}

func TestReasonInfoOfAnUnknownCode(t *testing.T) {
	ex := ExchangeRequest{ReasonCode: "EXCHANGE_OTHER_OPTION", ReasonCodeText: "다른 옵션으로 교환 희망"}
	assert.Equal(t, Reason{Code: "EXCHANGE_OTHER_OPTION", Korean: "다른 옵션으로 교환 희망"}, ex.ReasonInfo(),
		"no English label rather than the code repeated")
	known := ExchangeRequest{ReasonCode: "DAMAGED", ReasonCodeText: "whatever Coupang sent"}
	assert.Equal(t, "arrived damaged", known.ReasonInfo().English)
}

func TestReasonsReturnsCopy(t *testing.T) {
	a := Reasons()
	a[0].Korean = "mutated"
	a[0].Fault = FaultTypeCoupang
	a[1] = Reason{}
	r, ok := LookupReason("CHANGEMIND")
	require.True(t, ok)
	assert.Equal(t, "필요 없어짐 (단순 변심)", r.Korean)
	assert.Equal(t, FaultTypeCustomer, r.Fault)
	b := Reasons()
	assert.Len(t, b, 44)
	assert.Equal(t, "필요 없어짐 (단순 변심)", b[0].Korean)
	assert.Equal(t, "NOLONGERNEED", b[1].Code)
}

func TestReasonRejectCode(t *testing.T) {
	cases := []struct {
		c      RejectCode
		valid  bool
		ko, en string
	}{
		{RejectSoldOut, true, "교환 상품 품절", "replacement item sold out"},
		{RejectWithdraw, true, "고객 교환 철회", "the customer withdrew the request"},
		{"soldout", false, "soldout", "soldout"},
		{"CANCEL", false, "CANCEL", "CANCEL"},
		{"", false, "", ""},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.valid, tc.c.Valid(), "%q", tc.c)
		assert.Equal(t, tc.ko, tc.c.Korean(), "%q", tc.c)
		assert.Equal(t, tc.en, tc.c.English(), "%q", tc.c)
	}
	assert.Equal(t, "SOLDOUT", string(RejectSoldOut))
	assert.Equal(t, "WITHDRAW", string(RejectWithdraw))
}

func TestCourierLookup(t *testing.T) {
	cases := []struct {
		code    string
		ok      bool
		want    string // canonical code
		name    string
		retired bool
	}{
		{CourierLotte, true, "HYUNDAI", "롯데택배", false},
		{"HYUNDAI", true, "HYUNDAI", "롯데택배", false},
		{" hyundai ", true, "HYUNDAI", "롯데택배", false},
		{CourierCJ, true, "CJGLS", "CJ대한통운", false},
		{CourierLogen, true, "KGB", "로젠택배", false},
		{CourierKGBParcel, true, "KGBPS", "KGB택배", false},
		{CourierEPost, true, "EPOST", "우체국", false},
		{CourierDirect, true, "DIRECT", "업체직송", false},
		{CourierKorex, true, "KOREX", "대한통운", true},
		{"DONGBU", true, "DONGBU", "동부택배", true},
		{"INNOGIS", true, "INNOGIS", "이노지스택배", true},
		{"IQS", true, "IQS", "IQS", true},
		{"LOTTE", false, "", "", false},
		{"", false, "", "", false},
	}
	for _, tc := range cases {
		c, ok := LookupCourier(tc.code)
		require.Equal(t, tc.ok, ok, "%q", tc.code)
		if !ok {
			assert.Equal(t, "", c.Code)
			continue
		}
		assert.Equal(t, tc.want, c.Code, "%q", tc.code)
		assert.Equal(t, tc.name, c.Name, "%q", tc.code)
		assert.Equal(t, tc.retired, c.Retired, "%q", tc.code)
	}
}

func TestCouriersList(t *testing.T) {
	all := Couriers()
	require.Len(t, all, 50, "46 current + 4 retired")
	seen := map[string]bool{}
	retiredSeen := false
	for _, c := range all {
		assert.False(t, seen[c.Code], "duplicate %s", c.Code)
		seen[c.Code] = true
		assert.NotEmpty(t, c.Name, c.Code)
		if c.Retired {
			retiredSeen = true
		} else {
			assert.False(t, retiredSeen, "current courier %s listed after a retired one", c.Code)
		}
		got, ok := LookupCourier(c.Code)
		assert.True(t, ok, c.Code)
		assert.Equal(t, c, got)
	}
	assert.Equal(t, "HYUNDAI", all[0].Code)
	assert.Equal(t, []string{"KOREX", "DONGBU", "INNOGIS", "IQS"},
		[]string{all[46].Code, all[47].Code, all[48].Code, all[49].Code})
}

func TestCouriersReturnsCopy(t *testing.T) {
	all := Couriers()
	all[0].Name = "mutated"
	all[0].InvoiceLengths[0] = 99
	c, ok := LookupCourier(CourierLotte)
	require.True(t, ok)
	assert.Equal(t, "롯데택배", c.Name)
	assert.Equal(t, []int{10, 12, 13}, c.InvoiceLengths)
	c.InvoiceLengths[0] = 77
	again, _ := LookupCourier(CourierLotte)
	assert.Equal(t, []int{10, 12, 13}, again.InvoiceLengths)
}

func TestCourierInvoiceLengths(t *testing.T) {
	want := map[string][]int{
		"HYUNDAI": {10, 12, 13},
		"KGB":     {10, 11},
		"EPOST":   {13},
		"HANJIN":  {10, 12},
		"CJGLS":   {10, 12},
		"CHUNIL":  {11},
		"DAESIN":  {13},
		"CVS":     {10, 12},
		"KDEXP":   {8, 9, 10, 11, 12, 13, 14, 15, 16},
		"ILYANG":  {8, 9, 10, 11, 12, 13, 14, 15, 16},
		"HDEXP":   {8, 9, 10, 11, 12, 13, 14, 15, 16},
		"DHL":     {10, 13, 20},
		"UPS":     {9, 18},
	}
	for _, c := range Couriers() {
		assert.Equal(t, want[c.Code], c.InvoiceLengths, c.Code)
	}
}

func TestCourierAcceptsInvoiceNumber(t *testing.T) {
	cases := []struct {
		code string
		n    string
		want bool
	}{
		{CourierCJ, "1234567890", true},
		{CourierCJ, "123456789012", true},
		{CourierCJ, "12345678901", false},
		{CourierCJ, "", false},
		{CourierCJ, "ABCDEFGHIJ", true}, // digits are not required
		{CourierLotte, "1234567890123", true},
		{CourierLotte, "12345678901234", false},
		{CourierEPost, "1234567890123", true},
		{CourierEPost, "123456789012", false},
		{CourierKyungdong, "1234567", false},
		{CourierKyungdong, "12345678", true},
		{CourierKyungdong, "1234567890123456", true},
		{CourierKyungdong, "12345678901234567", false},
		{CourierHapdong, "123456789012", true},
		{CourierDHL, "12345678901234567890", true},
		{CourierUPS, "1Z9999999999999999", true},
		{CourierUPS, "1234567890", false},
		{CourierDirect, "anything at all", true},
		{CourierDirect, "1", true},
		{CourierFedEx, "123", true}, // no documented rule
		{CourierKorex, "1", true},
	}
	for _, tc := range cases {
		c, ok := LookupCourier(tc.code)
		require.True(t, ok, tc.code)
		assert.Equal(t, tc.want, c.AcceptsInvoiceNumber(tc.n), "%s %q", tc.code, tc.n)
	}
	assert.True(t, Courier{}.AcceptsInvoiceNumber("x"), "zero Courier has no rule")
}

// Two states must not read alike: Delivering and Collecting were both
// 회수중 (issue 22).
func TestCollectStatusLabelsAreDistinct(t *testing.T) {
	ko, en := map[string]CollectStatus{}, map[string]CollectStatus{}
	for s, l := range collectStatusLabels {
		if other, dup := ko[l.ko]; dup {
			t.Errorf("%s and %s share the Korean label %q", s, other, l.ko)
		}
		if other, dup := en[l.en]; dup {
			t.Errorf("%s and %s share the English label %q", s, other, l.en)
		}
		ko[l.ko], en[l.en] = s, s
	}
	assert.Equal(t, "회수중", CollectStatusDelivering.Korean(), "Coupang's own label")
}
