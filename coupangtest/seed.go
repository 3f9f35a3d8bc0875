package coupangtest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/go-coupang/coupang"
)

// The generated data is invented: masked names, safe numbers (0502-…), fake
// addresses with masked house numbers, product names of no real shop.

type product struct {
	name    string
	options []string
	price   int64
}

var catalogue = []product{
	{"무지 라운드 반팔 티셔츠", []string{"화이트, M", "화이트, L", "블랙, M", "블랙, L"}, 12900},
	{"데일리 코튼 와이드 팬츠", []string{"베이지, S", "베이지, M", "차콜, M"}, 29900},
	{"경량 패딩 조끼", []string{"네이비, 95", "네이비, 100", "카키, 100"}, 39900},
	{"스테인리스 보온 텀블러 500ml", []string{"실버", "민트", "핑크"}, 15800},
	{"논슬립 요가 매트 10mm", []string{"퍼플", "그레이"}, 21900},
	{"아동 캐릭터 운동화", []string{"160mm", "170mm", "180mm"}, 27500},
	{"무선 블루투스 이어폰", []string{"화이트", "블랙"}, 45900},
	{"메모리폼 경추 베개", []string{"기본형", "높은형"}, 33000},
	{"캠핑용 접이식 의자", []string{"카키", "블랙"}, 24900},
	{"러닝 양말 5켤레 세트", []string{"230-250", "250-270"}, 9900},
}

var maskedNames = []coupang.PersonalText{"김*수", "이*은", "박*준", "최*영", "정*호", "강*희", "조*민", "윤*아", "장*석", "임*정", "한**", "오*진"}

type place struct{ zip, address, detail coupang.PersonalText }

var places = []place{
	{"03***", "서울특별시 마포구 월드컵북로 *", "***동 ****호"},
	{"13***", "경기도 성남시 분당구 판교역로 *", "***동 ***호"},
	{"48***", "부산광역시 해운대구 센텀중앙로 *", "****호"},
	{"21***", "인천광역시 연수구 송도과학로 *", "***동 ***호"},
	{"34***", "대전광역시 유성구 대학로 *", "*층"},
	{"61***", "광주광역시 서구 상무중앙로 *", "***동 ****호"},
	{"63***", "제주특별자치도 제주시 첨단로 *", "*동"},
}

var memos = []coupang.PersonalText{"", "문 앞에 놓아주세요", "", "부재 시 경비실에 맡겨주세요", ""}

var customerWords = []coupang.PersonalText{
	"사이즈가 생각보다 작아요",
	"색상이 사진과 달라요",
	"한 번도 사용하지 않았습니다",
	"",
	"포장 박스가 찢어져서 왔어요",
	"옵션을 잘못 선택했어요",
}

// exchangeReasons are the reason codes an exchange is typically filed with.
var exchangeReasons = []string{
	"DIFFERENTOPT", "DONTLIKESIZECOLOR", "WRONGOPT", "DAMAGED", "DEFECT", "WRONGSIZECOL",
	"COMPOMISS", "WRONGDELIVERY", "INACCURATE", "SHIPBOXOK", "BOTHDAMAGED",
}

// statusPattern spreads statuses over the generated exchanges: 3 RECEIPT,
// 2 PROGRESS, 3 SUCCESS, 1 REJECT and 1 CANCEL in every 10.
var statusPattern = []coupang.ExchangeStatus{
	coupang.ExchangeStatusReceipt, coupang.ExchangeStatusProgress, coupang.ExchangeStatusSuccess,
	coupang.ExchangeStatusReceipt, coupang.ExchangeStatusReject, coupang.ExchangeStatusProgress,
	coupang.ExchangeStatusCancel, coupang.ExchangeStatusSuccess, coupang.ExchangeStatusReceipt,
	coupang.ExchangeStatusSuccess,
}

// ageRange is how long ago an exchange in each status was filed: pending
// ones are recent, finished ones older, all within the last 30 days.
func ageRange(st coupang.ExchangeStatus) (lo, hi time.Duration) {
	const day = 24 * time.Hour
	switch st {
	case coupang.ExchangeStatusReceipt:
		return 30 * time.Minute, 6*day + 12*time.Hour
	case coupang.ExchangeStatusProgress:
		return day, 12 * day
	case coupang.ExchangeStatusReject:
		return 3 * day, 25 * day
	case coupang.ExchangeStatusCancel:
		return 2 * day, 28 * day
	}
	return 8 * day, 30 * day
}

// seedData fills s with cfg.exchanges generated exchanges. Everything but
// the timestamps depends on the seed only; timestamps are relative to now.
func seedData(s *Server, now time.Time) {
	rng := rand.New(rand.NewPCG(s.cfg.seed, 0x636f7570616e67))
	now = now.Truncate(time.Second).In(coupang.KoreaLocation())

	s.nextID = 400_100_000 + rng.Int64N(100_000)
	s.nextBox = 500_000_000_000_000_000 + rng.Int64N(1_000_000_000_000)

	type draft struct {
		status  coupang.ExchangeStatus
		created time.Time
	}
	drafts := make([]draft, s.cfg.exchanges)
	for i := range drafts {
		st := statusPattern[i%len(statusPattern)]
		lo, hi := ageRange(st)
		age := lo + time.Duration(rng.Int64N(int64(hi-lo)))
		drafts[i] = draft{status: st, created: now.Add(-age).Truncate(time.Second)}
	}
	slices.SortStableFunc(drafts, func(a, b draft) int { return a.created.Compare(b.created) })

	reasons := map[string]coupang.Reason{}
	for _, r := range coupang.Reasons() {
		reasons[r.Code] = r
	}
	var pickupCouriers []coupang.Courier
	for _, code := range []string{coupang.CourierCJ, coupang.CourierHanjin, coupang.CourierLotte, coupang.CourierEPost, coupang.CourierLogen} {
		if c, ok := coupang.LookupCourier(code); ok {
			pickupCouriers = append(pickupCouriers, c)
		}
	}
	productBase := make([]int64, len(catalogue))
	for i := range productBase {
		productBase[i] = 7_000_000_000 + rng.Int64N(2_000_000_000)
	}

	var prevOrder int64
	receipts := 0
	for k, d := range drafts {
		g := &generator{rng: rng}
		id := s.nextID
		s.nextID += 1 + rng.Int64N(2500)

		orderID := 20_000_000_000_000 + rng.Int64N(10_000_000_000_000)
		if k%10 == 9 && prevOrder != 0 {
			orderID = prevOrder // a second exchange request on the same order
		}
		prevOrder = orderID

		var reason coupang.Reason
		if k%17 == 5 {
			// A code missing from the table: Coupang adds reasons unannounced.
			reason = coupang.Reason{Code: "EXCHANGE_OTHER_OPTION", Korean: "다른 옵션으로 교환 희망"}
		} else {
			reason = reasons[exchangeReasons[rng.IntN(len(exchangeReasons))]]
		}

		ex := coupang.ExchangeRequest{
			ExchangeID:          id,
			OrderID:             orderID,
			VendorID:            s.VendorID,
			OrderDeliveryStatus: coupang.OrderDeliveryStatusFinalDelivery,
			Status:              d.status,
			ReasonCode:          reason.Code,
			ReasonCodeText:      reason.Korean,
			ReasonEtcDetail:     customerWords[rng.IntN(len(customerWords))],
			CreatedAt:           wireTime(d.created),
		}
		if k%9 == 4 {
			ex.OrderDeliveryStatus = coupang.OrderDeliveryStatusNoneTracking
		}
		// The reason's fault is the exchange's: the table's parties are
		// FaultType values.
		ex.FaultType = reason.Fault
		switch k % 5 {
		case 3:
			ex.ReferType, ex.CreatedByType = coupang.ReferTypeWebPC, coupang.ActorTypeCustomer
		case 4:
			ex.ReferType, ex.CreatedByType = coupang.ReferTypeCSCenter, coupang.ActorTypeCounselor
		default:
			ex.ReferType, ex.CreatedByType = coupang.ReferTypeWebMobile, coupang.ActorTypeCustomer
		}

		// Items: one, sometimes two; the replacement is another option of
		// the same product when the customer wants a different size/colour.
		nItems := 1
		if k%8 == 3 {
			nItems = 2
		}
		wantsOther := reason.Fault == coupang.FaultTypeCustomer
		var itemsQty []int64
		for n := range nItems {
			p := rng.IntN(len(catalogue))
			prod := catalogue[p]
			o := rng.IntN(len(prod.options))
			t := o
			if wantsOther && len(prod.options) > 1 {
				t = (o + 1 + rng.IntN(len(prod.options)-1)) % len(prod.options)
			}
			qty := int64(1)
			if k%6 == 1 {
				qty = 2
			}
			itemsQty = append(itemsQty, qty)
			orderItem := productBase[p] + int64(o)
			ex.Items = append(ex.Items, coupang.ExchangeItem{
				ExchangeItemID:        id*10 + int64(n) + 1,
				OrderItemID:           orderItem,
				OrderItemUnitPrice:    coupang.Money{Units: prod.price},
				TargetItemID:          productBase[p] + int64(t),
				TargetItemUnitPrice:   coupang.Money{Units: prod.price},
				TargetItemName:        prod.name + ", " + prod.options[t],
				TargetPackageID:       -1,
				Quantity:              qty,
				CreatedAt:             wireTime(d.created),
				ModifiedAt:            wireTime(d.created),
				OriginalShipmentBoxID: 600_000_000_000_000_000 + rng.Int64N(1_000_000_000_000_000),
			})
			if k%4 == 2 {
				ex.Items[n].OrderItemName = prod.name + ", " + prod.options[o]
			}
		}

		name := maskedNames[rng.IntN(len(maskedNames))]
		pl := places[rng.IntN(len(places))]
		mobile := g.safeNumber()
		memo := memos[rng.IntN(len(memos))]
		ex.Address = coupang.ExchangeAddress{
			ExchangeAddressID:      id + 900_000_000,
			ReturnCustomerName:     name,
			ReturnAddressZipCode:   pl.zip,
			ReturnAddress:          pl.address,
			ReturnAddressDetail:    pl.detail,
			ReturnMobile:           mobile,
			ReturnMemo:             memo,
			DeliveryCustomerName:   name,
			DeliveryAddressZipCode: pl.zip,
			DeliveryAddress:        pl.address,
			DeliveryAddressDetail:  pl.detail,
			DeliveryMobile:         mobile,
			DeliveryMemo:           memo,
			CreatedAt:              wireTime(d.created),
			ModifiedAt:             wireTime(d.created),
			ExchangeID:             id,
		}

		pickup := pickupCouriers[rng.IntN(len(pickupCouriers))]
		ex.ReturnDeliveries = []coupang.ExchangeReturnDelivery{{DeliveryCompanyCode: pickup.Code}}
		ex.DeliveryInvoiceGroups = []coupang.DeliveryInvoiceGroup{}
		ex.DeliveryStatus = coupang.DeliveryStatusBeforeDirection
		ex.CollectInformation = coupang.CollectInformation{
			ReturnType:         coupang.ExchangeReturnTypeExchangeReturn,
			ExpectedReturnDate: wireTime(d.created.Add(72 * time.Hour)),
			Destination: coupang.ExchangeReturnDestination{
				VendorZipCode:         "10881",
				VendorPhone:           "02-0000-0000",
				VendorName:            "코업샌드박스(주)",
				VendorAddress:         "경기도 파주시 문발로 *",
				VendorAddressDetail:   "샌드박스 반품센터 2층",
				SafetyNumberStatus:    coupang.SafetyNumberStatusEnable,
				SafetyNumberID:        200_000_000 + rng.Int64N(100_000_000),
				SafetyNumber:          mobile[:4] + mobile[5:9] + mobile[10:],
				ReturnCenterCode:      fmt.Sprintf("1000%06d", rng.IntN(1_000_000)),
				OrderID:               orderID,
				CustomerZipCode:       pl.zip,
				CustomerName:          name,
				CustomerMobile:        mobile,
				CustomerAddress:       pl.address,
				CustomerAddressDetail: pl.detail,
			},
		}
		staff := fmt.Sprintf("1%08d", rng.IntN(100_000_000))
		for n, it := range ex.Items {
			ex.CollectInformation.Items = append(ex.CollectInformation.Items, coupang.ExchangeReturnDeliveryItem{
				VendorItemID:               it.OrderItemID,
				StatusCode:                 coupang.ExchangeReturnItemStatusReturnSendReady,
				ReleaseStatus:              coupang.ReleaseStatusReleased,
				PaymentReturnDeliveryMapID: 30_000_000 + rng.Int64N(10_000_000),
				PaymentItemID:              int64(n + 1),
				ModifiedBy:                 staff,
				CreatedBy:                  staff,
				ModifiedAt:                 wireTime(d.created),
				CreatedAt:                  wireTime(d.created),
				Count:                      itemsQty[n],
				CollectStatus:              coupang.ExchangeReturnCollectStatusReturn,
			})
		}

		span := now.Sub(d.created)
		collected := d.created.Add(span / 3).Truncate(time.Second)
		modified := d.created.Add(span / 2).Truncate(time.Second)
		ex.ModifiedAt = wireTime(modified)
		switch d.status {
		case coupang.ExchangeStatusReceipt:
			ex.ModifiedAt = ex.CreatedAt
			ex.ModifiedByType = ex.CreatedByType
			collect := []coupang.CollectStatus{
				coupang.CollectStatusBeforeDirection, coupang.CollectStatusCollecting,
				coupang.CollectStatusCompleteDirection, coupang.CollectStatusDelivering,
			}
			ex.CollectStatus = collect[receipts%len(collect)]
			ex.Rejectable = receipts%3 != 2
			if ex.CollectStatus != coupang.CollectStatusBeforeDirection {
				ex.ReturnDeliveries[0].DeliveryInvoiceNo = g.waybill(pickup)
				ex.ModifiedByType = coupang.ActorTypeTracking
				ex.ModifiedAt = wireTime(d.created.Add(span / 4).Truncate(time.Second))
			}
			receipts++
		case coupang.ExchangeStatusProgress:
			ex.ModifiedByType = []coupang.ActorType{coupang.ActorTypeVendor, coupang.ActorTypeSystem}[k%2]
			g.collected(&ex, pickup, collected)
			box := s.newBox(id)
			group := coupang.DeliveryInvoiceGroup{
				ShipmentBoxID:        box,
				OrderID:              orderID,
				OrderType:            "EXCHANGE",
				ShippingDeliveryType: coupang.ShippingDeliveryTypeExchangeDelivery,
				Invoices:             []coupang.DeliveryInvoice{},
			}
			ex.DeliveryInvoiceModifiable = true
			if k%2 == 0 {
				courier := pickupCouriers[rng.IntN(len(pickupCouriers))]
				group.Invoices = append(group.Invoices, g.invoice(&ex, courier, modified, coupang.OrderDeliveryStatusDelivering))
				ex.DeliveryStatus = coupang.DeliveryStatusDelivering
				ex.Successable = true
			}
			ex.DeliveryInvoiceGroups = append(ex.DeliveryInvoiceGroups, group)
		case coupang.ExchangeStatusSuccess:
			ex.ModifiedByType = []coupang.ActorType{coupang.ActorTypeTracking, coupang.ActorTypeBatch}[k%2]
			g.collected(&ex, pickup, collected)
			courier := pickupCouriers[rng.IntN(len(pickupCouriers))]
			inv := g.invoice(&ex, courier, collected.Add(6*time.Hour), coupang.OrderDeliveryStatusFinalDelivery)
			inv.DeliveredDate = wireTime(modified)
			ex.DeliveryInvoiceGroups = append(ex.DeliveryInvoiceGroups, coupang.DeliveryInvoiceGroup{
				ShipmentBoxID:        s.newBox(id),
				OrderID:              orderID,
				OrderType:            "EXCHANGE",
				ShippingDeliveryType: coupang.ShippingDeliveryTypeExchangeDelivery,
				Invoices:             []coupang.DeliveryInvoice{inv},
			})
			ex.DeliveryStatus = coupang.DeliveryStatusCompleteDelivery
			for i := range ex.CollectInformation.Items {
				ex.CollectInformation.Items[i].StatusCode = coupang.ExchangeReturnItemStatusChangeSendComplete
				ex.CollectInformation.Items[i].ConfirmType = coupang.ConfirmTypeReleased
			}
			ex.CollectInformation.Destination.SafetyNumberStatus = coupang.SafetyNumberStatusDepose
		case coupang.ExchangeStatusReject:
			ex.ModifiedByType = coupang.ActorTypeVendor
			ex.CollectStatus = coupang.CollectStatusCompleteDirection
			ex.DeliveryStatus = coupang.DeliveryStatusWithdraw
			for i := range ex.CollectInformation.Items {
				ex.CollectInformation.Items[i].StatusCode = coupang.ExchangeReturnItemStatusChangeSendFail
			}
			ex.CollectInformation.Destination.SafetyNumberStatus = coupang.SafetyNumberStatusDepose
		case coupang.ExchangeStatusCancel:
			ex.ModifiedByType = coupang.ActorTypeCustomer
			ex.CollectStatus = coupang.CollectStatusWithdraw
			ex.DeliveryStatus = coupang.DeliveryStatusWithdraw
			ex.CancelReason = "고객 요청으로 교환 철회"
			for i := range ex.CollectInformation.Items {
				ex.CollectInformation.Items[i].CollectStatus = coupang.ExchangeReturnCollectStatusNoReturn
			}
			ex.CollectInformation.Destination.SafetyNumberStatus = coupang.SafetyNumberStatusDepose
		}
		s.put(&record{ex: ex})
	}
}

// newBox returns a new 18-digit shipment box id. Called with s.mu held or
// before the server starts.
func (s *Server) newBox(exchangeID int64) int64 {
	s.nextBox += 1 + exchangeID%7
	return s.nextBox
}

// generator holds what the helpers for one generated exchange need.
type generator struct {
	rng *rand.Rand
}

// safeNumber returns a safe number (안심번호) such as "0502-1234-5678".
func (g *generator) safeNumber() coupang.PersonalText {
	return coupang.PersonalText(fmt.Sprintf("050%d-%04d-%04d", 2+g.rng.IntN(2), g.rng.IntN(10_000), g.rng.IntN(10_000)))
}

// waybill returns a waybill number of a length the courier accepts.
func (g *generator) waybill(c coupang.Courier) string {
	n := 12
	if len(c.InvoiceLengths) > 0 && !slices.Contains(c.InvoiceLengths, n) {
		n = c.InvoiceLengths[len(c.InvoiceLengths)-1]
	}
	b := make([]byte, n)
	b[0] = byte('1' + g.rng.IntN(9))
	for i := 1; i < n; i++ {
		b[i] = byte('0' + g.rng.IntN(10))
	}
	return string(b)
}

// collected marks the returned item as received by the seller.
func (g *generator) collected(ex *coupang.ExchangeRequest, pickup coupang.Courier, at time.Time) {
	ex.CollectStatus = coupang.CollectStatusCompleteCollect
	ex.CollectCompleteDate = wireTime(at)
	ex.ReturnDeliveries[0].DeliveryInvoiceNo = g.waybill(pickup)
	dst := &ex.CollectInformation.Destination
	dst.ReturnDeliveryID = 80_000_000 + g.rng.Int64N(10_000_000)
	markItemsReceived(ex, at)
}

// invoice returns the waybill of a replacement shipped at at.
func (g *generator) invoice(ex *coupang.ExchangeRequest, c coupang.Courier, at time.Time, st coupang.OrderDeliveryStatus) coupang.DeliveryInvoice {
	return newInvoice(ex, c.Code, g.waybill(c), at, st)
}

// markItemsReceived records, on each item to pick up, that the seller
// received it: what Coupang shows after a confirmation of receipt.
func markItemsReceived(ex *coupang.ExchangeRequest, at time.Time) {
	for i := range ex.CollectInformation.Items {
		it := &ex.CollectInformation.Items[i]
		it.StatusCode = coupang.ExchangeReturnItemStatusChangeSendReady
		it.CollectStatus = coupang.ExchangeReturnCollectStatusAlreadyReturn
		it.ReturnCount = it.Count
		it.ModifiedAt = wireTime(at)
	}
}

// newInvoice returns the waybill record of a replacement shipped at at with
// the given courier and number, as Coupang lists it.
func newInvoice(ex *coupang.ExchangeRequest, courier, number string, at time.Time, st coupang.OrderDeliveryStatus) coupang.DeliveryInvoice {
	var items []coupang.InvoiceVendorItem
	for _, it := range ex.Items {
		items = append(items, coupang.InvoiceVendorItem{
			VendorItemID:          it.TargetItemID,
			Quantity:              it.Quantity,
			EstimatedShippingDate: wireTime(at),
			PromiseDeliveryDate:   wireTime(at.Add(48 * time.Hour)),
		})
	}
	return coupang.DeliveryInvoice{
		InvoiceNumber:           number,
		EstimatedDeliveryDate:   wireTime(at.Add(48 * time.Hour)),
		StatusModifiedAt:        wireTime(at),
		InvoiceNumberUploadDate: wireTime(at),
		StatusCode:              st,
		DeliverCode:             courier,
		IsMainShipmentInvoice:   true,
		ParcelType:              "NORMAL",
		Items:                   items,
	}
}
