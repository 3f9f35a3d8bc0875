package coupang_test

// Fuzz targets. `go test` replays the seeds below and the committed corpus in
// testdata/fuzz; .ci/fuzz runs each target for a few seconds:
//
//	go test -run='^$' -fuzz='^FuzzDecodeExchangePage$' -fuzztime=30s .

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/go-coupang/coupang"
)

// fzBody is a transport that answers every request with a 200 carrying the
// fuzzed bytes.
type fzBody []byte

func (b fzBody) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{
		Status: "200 OK", StatusCode: http.StatusOK, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:        http.Header{"Content-Type": {"application/json;charset=UTF-8"}},
		Body:          io.NopCloser(bytes.NewReader(b)),
		ContentLength: int64(len(b)),
		Request:       r,
	}, nil
}

// fzRecord is one realistic exchange record with the quirks Coupang's real
// answers have: ids as numbers and as strings, an 18-digit box id, nulls,
// three time forms, the misspelled moodifiedAt, enum values outside the
// documented tables. Invented data.
const fzRecord = `{"exchangeId":100000070,"orderId":"5000012345678","vendorId":"A00012345",` +
	`"orderDeliveryStatusCode":"FINAL_DELIVERY","orderDeliveryStatusLabel":"배송완료",` +
	`"exchangeStatus":"RECEIPT","exchangeStatusLabel":"접수","referType":"WEB_MOBILE","referTypeLabel":"웹 모바일",` +
	`"faultType":"VENDOR","faultTypeLabel":"업체과실","exchangeAmount":0,"reason":null,` +
	`"reasonCode":"DEFECT","reasonCodeText":"상품 결함/기능에 이상이 있음","reasonEtcDetail":"작동이 안 돼요",` +
	`"cancelReason":null,"createdByType":"CUSTOMER","createdByTypeLabel":"고객",` +
	`"createdAt":"2026-03-05T10:54:41","modifiedByType":"SYSTEM","modifiedByTypeLabel":"SYSTEM","modifiedAt":"2026-03-05 11:00:00.123",` +
	`"exchangeItemDtoV1s":[{"exchangeItemId":"300001","orderItemId":70000001,"orderItemUnitPrice":"35900",` +
	`"orderItemName":null,"orderPackageId":0,"orderPackageName":null,"targetItemId":70000001,"targetItemUnitPrice":35900.0,` +
	`"targetItemName":"무선 이어폰 화이트","targetPackageId":-1,"targetPackageName":"","quantity":1,` +
	`"orderItemDeliveryComplete":true,"orderItemReturnComplete":null,"targetItemDeliveryComplete":false,` +
	`"createdAt":1772675681000,"modifiedAt":"1772675681000","originalShipmentBoxId":100000000000000001}],` +
	`"exchangeAddressDtoV1":{"exchangeAddressId":81234,"returnCustomerName":"김*수","returnAddressZipCode":12345,` +
	`"returnAddress":"서울특별시 송파구 가상로 1","returnAddressDetail":"101동 1001호","returnPhone":"0502-1234-5678",` +
	`"returnMobile":"0502-1234-5678","returnMemo":"","deliveryCustomerName":"김*수","deliveryAddressZipCode":"05510",` +
	`"deliveryAddress":"서울특별시 송파구 가상로 1","deliveryAddressDetail":"101동 1001호","deliveryPhone":"",` +
	`"deliveryMobile":"0502-1234-5678","deliveryMemo":null,"createdAt":"2026-03-05 10:54:41","modifiedAt":"2026-03-05T10:54:41+09:00","exchangeId":"100000070"},` +
	`"deliveryInvoiceGroupDtos":[{"shipmentBoxId":100000000000000123,"boxPrice":0,"orderId":5000012345678,` +
	`"orderType":"EXCHANGE","customerType":"GENERAL","bundleType":"","extraMessage":null,"shippingDeliveryType":"EXCHANGE_DELIVERY",` +
	`"deliveryInvoiceDtos":[{"invoiceNumber":123456789012,"estimatedDeliveryDate":null,"deliveredDate":"",` +
	`"statusModifiedAt":"2026-03-06T09:00:00","invoiceNumberUploadDate":"2026-03-06T09:00:00","statusCode":"DELIVERING",` +
	`"deliverCode":"CJGLS","isMainShipmentInvoice":true,"parcelType":"NORMAL",` +
	`"invoiceVendorItemDtos":[{"vendorItemId":70000001,"quantity":"1","hasAdditionalItem":false,` +
	`"promiseDeliveryDate":"2026-03-08T00:00:00","estimatedShippingDate":null}]}]}],` +
	`"deliveryStatus":"BeforeDirection","collectStatus":"Collecting","collectCompleteDate":null,` +
	`"collectInformationsDto":{"returnType":"EXCHANGE_RETURN","expectedReturnDate":"2026-03-07T00:00:00",` +
	`"returndeliveryItemDtos":[{"vendorItemId":70000001,"statusCode":"RETURN_SEND_READY","returnCount":null,` +
	`"releaseStatus":"RELEASED","paymentReturnDeliveryMapId":"9001","paymentItemId":9002,"modifiedBy":1234,` +
	`"moodifiedAt":"2026-03-05T10:54:41","createdBy":"system","createdAt":"2026-03-05T10:54:41","count":1,` +
	`"confirmType":null,"collectStatus":"NONE"}],` +
	`"returndeliveryDestinationDto":{"vendorZipCode":"12345","vendorPhone":"02-0000-0000","vendorName":"가상상점",` +
	`"vendorMobile":null,"vendorAddressDetail":"3층","vendorAddress":"경기도 가상시 반품로 9","safetyNumberStatus":"ENABLE",` +
	`"safetyNumberId":"778899","safetyNumber":"0502-1234-5678","returnDeliveryId":66001,"returnCenterCode":1000558,` +
	`"receiptId":55001,"orderedByMobile":"0502-1234-5678","orderId":"5000012345678","message":"",` +
	`"customerZipCode":12345,"customerPhone":"0502-1234-5678","customerName":"김*수","customerMobile":"",` +
	`"customerAddressDetail":"101동 1001호","customerAddress":"서울특별시 송파구 가상로 1"}},` +
	`"returnDeliveryDtos":[{"deliveryCompanyCode":"CJGLS","deliveryInvoiceNo":""}],` +
	`"successable":false,"rejectable":true,"deliveryInvoiceModifiable":false}`

var fzPageSeeds = []string{
	`{"code":200,"message":"OK","data":[` + fzRecord + `],"nextToken":"2"}`,
	`{"code":"200","message":"OK","transactionId":"0a1b2c3d-0000-4000-8000-000000000001","data":[` + fzRecord + `,` + fzRecord + `],"nextToken":""}`,
	`{"code":"200","message":"OK","data":[],"nextToken":null}`,
	`{"code":200,"data":null}`,
	`{"code":200,"message":"OK","data":[{}],"nextToken":1}`,
	`{"code":"ERROR","message":"요청 변수 오류입니다.","transactionId":"tx-err"}`,
	`{"code":200,"message":"OK","data":{"not":"an array"}}`,
	`{"code":200,"data":[{"exchangeId":"","orderId":null,"exchangeAmount":"","createdAt":"","modifiedAt":null,"exchangeItemDtoV1s":null}]}`,
	`{"code":200,"data":[{"exchangeId":99999999999999999999}]}`,
	`{"code":200,"data":[{"exchangeId":1e3,"exchangeAmount":-0.0,"createdAt":"2026-02-30T00:00:00"}]}`,
	`{"code":200,"data":[{"reasonEtcDetail":"\uAE40\u002A\uC218 \"quoted\" \\ \/","createdAt":"2026-03-05T10:54:41.5Z"}]}`,
	`{"code":200,"data":[{"collectInformationsDto":{"returndeliveryItemDtos":[{"modifiedAt":"2026-03-05T10:54","moodifiedAt":null}]}}]}`,
	`{"code":200,"data":[]}{"trailing":"value"}`,
	`{"code":200,"data":[{"exchangeId":1,"rejectable":"Y"},{"exchangeId":2,"createdAt":"20180305105441"},{"exchangeId":3,"exchangeAddressDtoV1":[],"deliveryInvoiceGroupDtos":{}}]}`,
	`{"code":200,"data":[{"exchangeItemDtoV1s":[{"quantity":"x"}],"exchangeId":4},5,null,{"exchangeId":6}]}`,
	"\ufeff" + `{"code":200,"data":[]}`,
	`{"code":200,"data":[` + fzRecord[:len(fzRecord)/2],
	`<!DOCTYPE html><html><head><title>Access Denied</title></head><body></body></html>`,
	`[]`,
	`null`,
	``,
}

// fzList runs one List whose answer is body.
func fzList(t *testing.T, body []byte) (*coupang.ExchangePage, error) {
	c, err := coupang.NewClient("fz-access", "fz-secret", "A00012345",
		coupang.WithBaseURL("http://127.0.0.1:1"),
		coupang.WithHTTPClient(&http.Client{Transport: fzBody(body)}),
		coupang.WithRateLimit(0), coupang.WithMaxRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, coupang.KoreaLocation())
	return c.Exchanges.List(context.Background(), coupang.ExchangeListOptions{CreatedAtFrom: from, CreatedAtTo: from.Add(24 * time.Hour)})
}

// FuzzDecodeExchangePage feeds arbitrary bytes as the body of a 200 answer to
// List, through the real client: it must never panic, and must return either
// a page or an *APIError / *RequestError, never both and never neither.
func FuzzDecodeExchangePage(f *testing.F) {
	for _, s := range fzPageSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		page, err := fzList(t, body)
		var pageErr *coupang.PageError
		if errors.As(err, &pageErr) {
			if page == nil {
				t.Fatalf("a *PageError without the page: %v", err)
			}
			for _, r := range pageErr.Records {
				if r.Index < 0 || r.Index >= len(page.Items)+len(pageErr.Records) {
					t.Fatalf("record error at index %d of a page of %d+%d", r.Index, len(page.Items), len(pageErr.Records))
				}
			}
		} else if err != nil {
			if page != nil {
				t.Fatalf("both a page and an error: %v", err)
			}
			var apiErr *coupang.APIError
			var reqErr *coupang.RequestError
			if !errors.As(err, &apiErr) && !errors.As(err, &reqErr) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		if page == nil {
			t.Fatal("neither a page nor an error")
		}
		if strings.TrimSpace(page.NextToken) != page.NextToken {
			t.Fatalf("NextToken %q not trimmed", page.NextToken)
		}
		// What was decoded can be stored as Coupang's JSON and read back.
		for i, ex := range page.Items {
			out, err := coupang.MarshalExchange(ex)
			if err != nil {
				t.Fatalf("marshal decoded item %d: %v", i, err)
			}
			var back coupang.ExchangeRequest
			if err := coupang.UnmarshalExchange(out, &back); err != nil {
				t.Fatalf("unmarshal re-encoded item %d: %v\n%s", i, err, out)
			}
			if back.ExchangeID != ex.ExchangeID || back.OrderID != ex.OrderID || !back.CreatedAt.Equal(ex.CreatedAt.Truncate(time.Second)) {
				t.Fatalf("item %d: changed through JSON: %s", i, out)
			}
		}
	})
}

var fzSignedDate = regexp.MustCompile(`^[0-9]{6}T[0-9]{6}Z$`)

// FuzzSign: for any secret, method, path, query and time, Sign never panics,
// is deterministic, returns 64 lower-case hex digits that are the HMAC-SHA256
// of signed-date+method+path+query under the secret (checked against
// crypto/hmac), and a signed-date in SignedDateLayout.
func FuzzSign(f *testing.F) {
	f.Add("7ffcdf00aa00bb00cc00dd00ee00ff0011223344", "GET", "/v2/providers/openapi/apis/api/v4/vendors/A00012345/exchangeRequests",
		"createdAtFrom=2026-03-01T00%3A00%3A00&createdAtTo=2026-03-05T23%3A59%3A59&maxPerPage=50", int64(1772675681), int64(0))
	f.Add("s", "PUT", "/v2/providers/openapi/apis/api/v4/vendors/A00012345/exchangeRequests/100000070/receiveConfirmation", "", int64(0), int64(0))
	f.Add(strings.Repeat("k", 65), "POST", "/invoices", "", int64(4102444799), int64(999999999))
	f.Add(strings.Repeat("키", 40), "PATCH", strings.Repeat("/경로", 200), "q=%ED%95%9C&x=1", int64(-1), int64(-1))
	f.Add("", "", "", "", int64(253402300799), int64(0))
	f.Add("\x00\xff", "G\x00T", "/a b", "a=b&a=c", int64(-62135596800), int64(5))
	f.Fuzz(func(t *testing.T, secret, method, path, query string, sec, nsec int64) {
		at := time.Unix(sec, nsec)
		date, sig := coupang.Sign(secret, method, path, query, at)
		date2, sig2 := coupang.Sign(secret, method, path, query, at)
		if date != date2 || sig != sig2 {
			t.Fatalf("not deterministic: %s/%s then %s/%s", date, sig, date2, sig2)
		}
		if len(sig) != 64 || strings.ToLower(sig) != sig {
			t.Fatalf("signature %q is not 64 lower-case hex digits", sig)
		}
		if _, err := hex.DecodeString(sig); err != nil {
			t.Fatalf("signature %q: %v", sig, err)
		}
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write([]byte(date + method + path + query))
		if want := hex.EncodeToString(mac.Sum(nil)); sig != want {
			t.Fatalf("signature %s, crypto/hmac gives %s", sig, want)
		}
		if u := at.UTC(); u.Year() >= 0 && u.Year() <= 9999 {
			want := fmt.Sprintf("%02d%02d%02dT%02d%02d%02dZ", u.Year()%100, int(u.Month()), u.Day(), u.Hour(), u.Minute(), u.Second())
			if date != want || !fzSignedDate.MatchString(date) {
				t.Fatalf("signed-date %q for %v, want %q", date, u, want)
			}
			if _, err := time.Parse(coupang.SignedDateLayout, date); err != nil {
				t.Fatalf("signed-date %q does not parse with SignedDateLayout: %v", date, err)
			}
		}
		if auth := coupang.AuthorizationHeader("AK", secret, method, path, query, at); auth != "CEA algorithm=HmacSHA256, access-key=AK, signed-date="+date+", signature="+sig {
			t.Fatalf("Authorization %q", auth)
		}
	})
}

// FuzzTolerantScalars puts any bytes in the place of an id, a time, a boolean,
// a text, an object and an array of an exchange and decodes it with
// UnmarshalExchange: it never panics, fails only with a *RecordError (or a
// syntax error for bytes that are not JSON), agrees with encoding/json
// wherever encoding/json itself reads an integer or a string, and what it
// decodes survives MarshalExchange.
func FuzzTolerantScalars(f *testing.F) {
	for _, s := range []string{
		`123`, `"123"`, `""`, `null`, `"  42 "`, `-9223372036854775808`, `9223372036854775807`, `9223372036854775808`,
		`"18446744073709551616"`, `35900.0`, `3.59e4`, `1.5`, `"+7"`, `"-"`, `"0502-1234-5678"`, `"\u0031"`, `true`, `{}`, `[1]`,
		`"2026-03-05T10:54:41"`, `"2026-03-05 10:54:41"`, `"2026-03-05T10:54:41.123456"`, `"2026-03-05"`, `"2026-03-05T10:54"`,
		`"2026-03-05T10:54:41+09:00"`, `"2026-03-05T01:54:41Z"`, `1772675681000`, `"1772675681000"`, `-1`, `"2026-02-30T00:00:00"`,
		`{"currencyCode":"KRW","units":5000,"nanos":0}`, `"\ud55c\uae00"`, `"a\"b"`, `"` + "\xff" + `"`, `"`, `"abc`, ` 1 `, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, field := range []string{"exchangeId", "createdAt", "rejectable", "reason", "exchangeAmount", "exchangeAddressDtoV1", "deliveryInvoiceGroupDtos"} {
			doc := append([]byte(`{"orderId":1,"`+field+`":`), b...)
			doc = append(doc, '}')
			var ex coupang.ExchangeRequest
			err := coupang.UnmarshalExchange(doc, &ex)
			if err != nil {
				var recErr *coupang.RecordError
				if errors.As(err, &recErr) && recErr.Field != "" && !strings.HasPrefix(recErr.Field, field) {
					t.Fatalf("%s of %q: error names field %q", field, b, recErr.Field)
				}
				if !json.Valid(doc) || errors.As(err, &recErr) {
					continue
				}
				t.Fatalf("%s of %q: error of type %T: %v", field, b, err, err)
			}
			if ex.OrderID != 1 {
				t.Fatalf("%s of %q: orderId lost", field, b)
			}
			if !ex.CreatedAt.IsZero() && ex.CreatedAt.Location() != coupang.KoreaLocation() {
				t.Fatalf("createdAt of %q in %v, not Korea time", b, ex.CreatedAt.Location())
			}
			out, err := coupang.MarshalExchange(ex)
			if err != nil {
				t.Fatalf("%s of %q: marshal: %v", field, b, err)
			}
			var back coupang.ExchangeRequest
			if err := coupang.UnmarshalExchange(out, &back); err != nil {
				t.Fatalf("%s of %q: re-encoded %s does not read back: %v", field, b, out, err)
			}
			if back.ExchangeID != ex.ExchangeID || back.Rejectable != ex.Rejectable || back.LegacyReason != ex.LegacyReason ||
				back.ExchangeAmount != ex.ExchangeAmount ||
				!back.CreatedAt.Equal(ex.CreatedAt.Truncate(time.Second)) {
				t.Fatalf("%s of %q: changed through MarshalExchange: %s", field, b, out)
			}
		}

		// Integers and text agree with encoding/json where it can read them.
		var ex coupang.ExchangeRequest
		idErr := coupang.UnmarshalExchange(append(append([]byte(`{"exchangeId":`), b...), '}'), &ex)
		var std int64
		if json.Unmarshal(b, &std) == nil && (idErr != nil || ex.ExchangeID != std) {
			t.Fatalf("exchangeId of %q: %d, %v; encoding/json gives %d", b, ex.ExchangeID, idErr, std)
		}
		var s string
		if json.Unmarshal(b, &s) == nil {
			if v, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil && (idErr != nil || ex.ExchangeID != v) {
				t.Fatalf("exchangeId of %q: %d, %v; want %d", b, ex.ExchangeID, idErr, v)
			}
			if utf8.ValidString(s) {
				var got coupang.ExchangeRequest
				err := coupang.UnmarshalExchange(append(append([]byte(`{"reason":`), b...), '}'), &got)
				if err != nil || string(got.LegacyReason) != s {
					t.Fatalf("text of %q: %q, %v; encoding/json gives %q", b, got.LegacyReason, err, s)
				}
			}
		}
		var num json.Number
		if trimmed := bytes.TrimSpace(b); len(trimmed) > 0 && trimmed[0] != '"' && json.Unmarshal(b, &num) == nil {
			var got coupang.ExchangeRequest
			err := coupang.UnmarshalExchange(append(append([]byte(`{"reason":`), b...), '}'), &got)
			if err != nil || string(got.LegacyReason) != num.String() {
				t.Fatalf("text of number %q: %q, %v", b, got.LegacyReason, err)
			}
		}
	})
}
