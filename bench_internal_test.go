package coupang

import (
	"bytes"
	"io"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// This file holds the benchmark fixture, shared with the external benchmarks
// of bench_test.go through the exported test-only names below, and the
// decoding benchmark, which must run the client's own unexported decoding
// path (envelope[[]ExchangeRequest] through a json.Decoder, then check).

// BenchWindowFrom and BenchWindowTo bound the one 7-day window every fixture
// exchange is created in (Korea time). Records are created inside it, never on
// its edges.
var (
	BenchWindowFrom = time.Date(2026, 3, 1, 0, 0, 0, 0, kst)
	BenchWindowTo   = BenchWindowFrom.Add(MaxListWindow)
)

// benchExchangeTemplate is one exchange with every documented field set to a
// non-null value: two exchanged items, two replacement boxes (one with two
// waybills), two items to pick up, the pickup destination and a pickup
// waybill. The data is invented; names are masked and phone numbers are safe
// numbers. Placeholders {{…}} are filled per record by AppendBenchExchange.
// Numbers are JSON numbers and times the documented zone-less form, so plain
// encoding/json structs (the baseline) can decode the same bytes.
const benchExchangeTemplate = `{"exchangeId":{{X}},"orderId":{{O}},"vendorId":"A00012345",` +
	`"orderDeliveryStatusCode":"FINAL_DELIVERY","orderDeliveryStatusLabel":"배송완료",` +
	`"exchangeStatus":"PROGRESS","exchangeStatusLabel":"진행","referType":"WEB_MOBILE","referTypeLabel":"웹 모바일",` +
	`"faultType":"VENDOR","faultTypeLabel":"업체과실","exchangeAmount":0,"reason":"색상 교환",` +
	`"reasonCode":"WRONGSIZECOL","reasonCodeText":"내가 주문한 상품과 다른 색상/ 사이즈의 상품이 배송됨",` +
	`"reasonEtcDetail":"M 사이즈를 주문했는데 L 사이즈가 왔어요. 교환 부탁드립니다.","cancelReason":"",` +
	`"createdByType":"CUSTOMER","createdByTypeLabel":"고객","createdAt":"{{C}}",` +
	`"modifiedByType":"VENDOR","modifiedByTypeLabel":"업체","modifiedAt":"{{M}}",` +
	`"exchangeItemDtoV1s":[` +
	`{"exchangeItemId":{{I1}},"orderItemId":{{V1}},"orderItemUnitPrice":35900,"orderItemName":"테스트 면 티셔츠 화이트, M",` +
	`"orderPackageId":7000001,"orderPackageName":"여름 묶음","targetItemId":{{V1}},"targetItemUnitPrice":35900,` +
	`"targetItemName":"테스트 면 티셔츠 화이트, L","targetPackageId":-1,"targetPackageName":"","quantity":1,` +
	`"orderItemDeliveryComplete":true,"orderItemReturnComplete":false,"targetItemDeliveryComplete":false,` +
	`"createdAt":"{{C}}","modifiedAt":"{{M}}","originalShipmentBoxId":{{B0}}},` +
	`{"exchangeItemId":{{I2}},"orderItemId":{{V2}},"orderItemUnitPrice":12900,"orderItemName":"테스트 양말 3켤레",` +
	`"orderPackageId":7000002,"orderPackageName":"양말 세트","targetItemId":{{V2}},"targetItemUnitPrice":12900,` +
	`"targetItemName":"테스트 양말 3켤레","targetPackageId":7000002,"targetPackageName":"양말 세트","quantity":2,` +
	`"orderItemDeliveryComplete":true,"orderItemReturnComplete":true,"targetItemDeliveryComplete":false,` +
	`"createdAt":"{{C}}","modifiedAt":"{{M}}","originalShipmentBoxId":{{B0}}}],` +
	`"exchangeAddressDtoV1":{"exchangeAddressId":{{A}},"returnCustomerName":"김*수","returnAddressZipCode":"06236",` +
	`"returnAddress":"서울특별시 강남구 테헤란로 *","returnAddressDetail":"**빌딩 3층","returnPhone":"0502-1234-5678",` +
	`"returnMobile":"0502-1234-5679","returnMemo":"문 앞에 두세요","deliveryCustomerName":"김*수",` +
	`"deliveryAddressZipCode":"06236","deliveryAddress":"서울특별시 강남구 테헤란로 *","deliveryAddressDetail":"**빌딩 3층",` +
	`"deliveryPhone":"0502-1234-5678","deliveryMobile":"0502-1234-5679","deliveryMemo":"부재 시 경비실",` +
	`"createdAt":"{{C}}","modifiedAt":"{{M}}","exchangeId":{{X}}},` +
	`"deliveryInvoiceGroupDtos":[` +
	`{"shipmentBoxId":{{B1}},"boxPrice":35900,"orderId":{{O}},"orderType":"EXCHANGE","customerType":"GENERAL",` +
	`"bundleType":"SINGLE","extraMessage":"교환 배송","shippingDeliveryType":"EXCHANGE_DELIVERY","deliveryInvoiceDtos":[` +
	`{"invoiceNumber":"123456789012","estimatedDeliveryDate":"{{D}}","deliveredDate":"{{D}}","statusModifiedAt":"{{M}}",` +
	`"invoiceNumberUploadDate":"{{M}}","statusCode":"DELIVERING","deliverCode":"CJGLS","isMainShipmentInvoice":true,` +
	`"parcelType":"NORMAL","invoiceVendorItemDtos":[` +
	`{"vendorItemId":{{V1}},"quantity":1,"hasAdditionalItem":false,"promiseDeliveryDate":"{{D}}","estimatedShippingDate":"{{M}}"}]},` +
	`{"invoiceNumber":"123456789013","estimatedDeliveryDate":"{{D}}","deliveredDate":"{{D}}","statusModifiedAt":"{{M}}",` +
	`"invoiceNumberUploadDate":"{{M}}","statusCode":"DEPARTURE","deliverCode":"CJGLS","isMainShipmentInvoice":false,` +
	`"parcelType":"NORMAL","invoiceVendorItemDtos":[` +
	`{"vendorItemId":{{V2}},"quantity":2,"hasAdditionalItem":true,"promiseDeliveryDate":"{{D}}","estimatedShippingDate":"{{M}}"}]}]},` +
	`{"shipmentBoxId":{{B2}},"boxPrice":12900,"orderId":{{O}},"orderType":"EXCHANGE","customerType":"GENERAL",` +
	`"bundleType":"SINGLE","extraMessage":"","shippingDeliveryType":"FORCED_DELIVERY","deliveryInvoiceDtos":[` +
	`{"invoiceNumber":"4012345678901","estimatedDeliveryDate":"{{D}}","deliveredDate":"{{D}}","statusModifiedAt":"{{M}}",` +
	`"invoiceNumberUploadDate":"{{M}}","statusCode":"INSTRUCT","deliverCode":"EPOST","isMainShipmentInvoice":true,` +
	`"parcelType":"NORMAL","invoiceVendorItemDtos":[` +
	`{"vendorItemId":{{V2}},"quantity":2,"hasAdditionalItem":false,"promiseDeliveryDate":"{{D}}","estimatedShippingDate":"{{M}}"}]}]}],` +
	`"deliveryStatus":"Delivering","collectStatus":"CompleteCollect","collectCompleteDate":"{{M}}",` +
	`"collectInformationsDto":{"returnType":"EXCHANGE_RETURN","expectedReturnDate":"{{D}}","returndeliveryItemDtos":[` +
	`{"vendorItemId":{{V1}},"statusCode":"CHANGE_SEND_READY","returnCount":1,"releaseStatus":"RELEASED",` +
	`"paymentReturnDeliveryMapId":{{P1}},"paymentItemId":1,"modifiedBy":"104132490","moodifiedAt":"{{M}}",` +
	`"createdBy":"104132490","createdAt":"{{C}}","count":1,"confirmType":"RELEASED","collectStatus":"RETURN"},` +
	`{"vendorItemId":{{V2}},"statusCode":"CHANGE_SEND_READY","returnCount":2,"releaseStatus":"RELEASED",` +
	`"paymentReturnDeliveryMapId":{{P2}},"paymentItemId":2,"modifiedBy":"104132490","moodifiedAt":"{{M}}",` +
	`"createdBy":"104132490","createdAt":"{{C}}","count":2,"confirmType":"RELEASED","collectStatus":"RETURN"}],` +
	`"returndeliveryDestinationDto":{"vendorZipCode":"31214","vendorPhone":"1588-0000","vendorName":"(주)테스트*몰",` +
	`"vendorMobile":"010-0000-0000","vendorAddressDetail":"** 물류센터 지하1층","vendorAddress":"충청남도 천안시 동남구 풍세면 *",` +
	`"safetyNumberStatus":"ENABLE","safetyNumberId":{{SN}},"safetyNumber":"050212345678","returnDeliveryId":{{R}},` +
	`"returnCenterCode":"1000276167","receiptId":{{RC}},"orderedByMobile":"0502-1234-5679","orderId":{{O}},` +
	`"message":"경비실에 맡겨 주세요","customerZipCode":"06236","customerPhone":"0502-1234-5678","customerName":"김*수",` +
	`"customerMobile":"0502-1234-5679","customerAddressDetail":"**빌딩 3층","customerAddress":"서울특별시 강남구 테헤란로 *"}},` +
	`"returnDeliveryDtos":[{"deliveryCompanyCode":"CJGLS","deliveryInvoiceNo":"650012345678"},` +
	`{"deliveryCompanyCode":"HANJIN","deliveryInvoiceNo":"420012345678"}],` +
	`"successable":false,"rejectable":true,"deliveryInvoiceModifiable":true}`

// benchSegment is a literal piece of the template followed by a placeholder
// (key == "" for the final piece).
type benchSegment struct{ lit, key string }

// benchSegments is the template split at its placeholders, once.
var benchSegments = func() []benchSegment {
	var segs []benchSegment
	s := benchExchangeTemplate
	for {
		i := strings.Index(s, "{{")
		if i < 0 {
			return append(segs, benchSegment{lit: s})
		}
		j := strings.Index(s[i:], "}}")
		segs = append(segs, benchSegment{lit: s[:i], key: s[i+2 : i+j]})
		s = s[i+j+2:]
	}
}()

// AppendBenchExchange appends fixture exchange number i (0-based) to buf. It
// allocates nothing when buf has room, so a test server can stream any number
// of exchanges without holding them. Ids are unique per i; shipment box ids
// have 18 digits.
func AppendBenchExchange(buf []byte, i int) []byte {
	n := int64(i)
	created := BenchWindowFrom.Add(time.Hour + time.Duration(i)*time.Second)
	for _, seg := range benchSegments {
		buf = append(buf, seg.lit...)
		switch seg.key {
		case "":
		case "X":
			buf = strconv.AppendInt(buf, 300000000+n, 10)
		case "O":
			buf = strconv.AppendInt(buf, 20000000000000+n, 10)
		case "A":
			buf = strconv.AppendInt(buf, 5000000+n, 10)
		case "I1", "I2":
			buf = strconv.AppendInt(buf, 1700000+2*n+int64(seg.key[1]-'1'), 10)
		case "V1", "V2":
			buf = strconv.AppendInt(buf, 3400000000+2*n+int64(seg.key[1]-'1'), 10)
		case "P1", "P2":
			buf = strconv.AppendInt(buf, 29700000+2*n+int64(seg.key[1]-'1'), 10)
		case "B0", "B1", "B2":
			buf = strconv.AppendInt(buf, 100000000000000000+3*n+int64(seg.key[1]-'0'), 10)
		case "SN":
			buf = strconv.AppendInt(buf, 245000000+n, 10)
		case "R":
			buf = strconv.AppendInt(buf, 81000000+n, 10)
		case "RC":
			buf = strconv.AppendInt(buf, 91000000+n, 10)
		case "C":
			buf = created.AppendFormat(buf, wireTimeLayout)
		case "M":
			buf = created.Add(26*time.Hour).AppendFormat(buf, wireTimeLayout)
		case "D":
			buf = created.Add(72*time.Hour).AppendFormat(buf, wireTimeLayout)
		default:
			panic("bench fixture: unknown placeholder " + seg.key)
		}
	}
	return buf
}

// AppendBenchPage appends a whole list response holding fixture exchanges
// start to start+n-1, with nextToken ("" on the last page).
func AppendBenchPage(buf []byte, start, n int, nextToken string) []byte {
	buf = append(buf, `{"code":200,"message":"OK","data":[`...)
	for i := start; i < start+n; i++ {
		if i > start {
			buf = append(buf, ',')
		}
		buf = AppendBenchExchange(buf, i)
	}
	buf = append(buf, `],"nextToken":`...)
	buf = strconv.AppendQuote(buf, nextToken)
	return append(buf, '}')
}

// DecodeBenchPage decodes a list response exactly as the client does: one
// pass of the json/v2 stream decoder over the body into the envelope, data
// included, then the envelope's success check. The external benchmarks use it
// to set the client's decoding beside the baseline's.
func DecodeBenchPage(r io.Reader) ([]ExchangeRequest, error) {
	var env envelope[exchangeList]
	if err := decodeBody(r, DefaultMaxResponseSize, &env); err != nil {
		return nil, err
	}
	if err := env.check(200); err != nil {
		return nil, err
	}
	page, err := env.page()
	if err != nil {
		return nil, err
	}
	return page.Items, nil
}

// BenchmarkDecodePage decodes a page of 50 exchanges as the client does.
func BenchmarkDecodePage(b *testing.B) {
	page := AppendBenchPage(nil, 0, 50, "")
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		data, err := DecodeBenchPage(bytes.NewReader(page))
		if err != nil {
			b.Fatal(err)
		}
		if len(data) != 50 {
			b.Fatalf("decoded %d exchanges, want 50", len(data))
		}
	}
}

// TestBenchFixtureComplete guards the benchmarks' claim that the fixture
// populates every documented field: it decodes one fixture exchange and fails
// on any field that holds its zero value in every place it occurs, apart from
// the few whose documented value is zero or empty.
func TestBenchFixtureComplete(t *testing.T) {
	var ex ExchangeRequest
	require.NoError(t, UnmarshalExchange(AppendBenchExchange(nil, 7), &ex))

	setSomewhere := map[string]bool{}
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Slice:
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i))
			}
		case reflect.Struct:
			if v.Type() == reflect.TypeOf(time.Time{}) || v.Type() == reflect.TypeOf(Money{}) {
				return // a value type: set as a whole (an amount of won has no Currency)
			}
			for i := 0; i < v.NumField(); i++ {
				f := v.Type().Field(i)
				name := v.Type().Name() + "." + f.Name
				if _, ok := setSomewhere[name]; !ok {
					setSomewhere[name] = false
				}
				if !v.Field(i).IsZero() {
					setSomewhere[name] = true
				}
				walk(v.Field(i))
			}
		}
	}
	walk(reflect.ValueOf(ex))

	documentedZero := map[string]bool{
		"ExchangeRequest.ExchangeAmount": true, // documented as sent as 0
		"ExchangeRequest.CancelReason":   true, // "" while not withdrawn
		"ExchangeRequest.Successable":    true, // false while in progress
	}
	var neverSet []string
	for name, set := range setSomewhere {
		if !set && !documentedZero[name] {
			neverSet = append(neverSet, name)
		}
	}
	sort.Strings(neverSet)
	assert.Empty(t, neverSet, "fields the fixture never populates")
	assert.Contains(t, setSomewhere, "InvoiceVendorItem.EstimatedShippingDate", "the walk must reach the deepest level")

	require.Len(t, ex.CollectInformation.Items, 2)
	assert.Equal(t, ex.CollectInformation.Items[0].CreatedAt.Add(26*time.Hour), ex.CollectInformation.Items[0].ModifiedAt,
		"moodifiedAt must reach ExchangeReturnDeliveryItem.ModifiedAt")
	require.Len(t, ex.DeliveryInvoiceGroups, 2)
	assert.Len(t, strconv.FormatInt(ex.DeliveryInvoiceGroups[0].ShipmentBoxID, 10), 18, "shipment box ids have 18 digits")
}
