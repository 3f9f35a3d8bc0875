package coupangtest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/go-coupang/coupang"
)

// returnReasons are the reason codes a return is typically filed with, with
// Coupang's Korean categories.
var returnReasons = []struct{ code, cat1, cat2 string }{
	{"CHANGEMIND", "고객변심", "단순변심(사유없음)"},
	{"WRONGOPT", "고객변심", "주문실수"},
	{"DIFFERENTOPT", "고객변심", "색상/사이즈 불만"},
	{"DAMAGED", "상품불량", "파손"},
	{"DEFECT", "상품불량", "기능 이상"},
	{"WRONGDELIVERY", "오배송", "다른 상품 배송"},
	{"LATEDELIVERED", "배송문제", "배송 지연"},
}

// returnKind is one stage of a receipt's life the seed spreads receipts
// over.
type returnKind int

const (
	seedReleaseStop        returnKind = iota // RU: cancelled while being prepared
	seedUnchecked                            // UC: filed, picked up under a waybill
	seedQuickRefundWaiting                   // UC: quick refund, not picked up yet
	seedWarehouse                            // VENDOR_WAREHOUSE_CONFIRM
	seedCompleted                            // CC: approved
	seedStopped                              // CC: release stop answered with a stop
	seedCoupangCheck                         // PR
	seedShippedAnyway                        // UC: release stop answered "already shipped"
	seedCancelled                            // cancelled at payment-complete (cancelType CANCEL)
	seedQuickRefundDone                      // CC: quick refund completed by Coupang
)

// seedReturns fills s with cfg.returns generated receipts over the last 30
// days and a withdrawal history. Everything but the timestamps depends on
// the seed only.
func seedReturns(s *Server, now time.Time) {
	rng := rand.New(rand.NewPCG(s.cfg.seed, 0x72657475726e73))
	now = now.Truncate(time.Second).In(coupang.KoreaLocation())
	s.nextReceipt = 500_100_000 + rng.Int64N(100_000)

	type draft struct {
		kind    returnKind
		created time.Time
	}
	drafts := make([]draft, s.cfg.returns)
	for i := range drafts {
		kind := returnKind(i % 10)
		lo, hi := 2*time.Hour, 29*24*time.Hour
		switch kind {
		case seedReleaseStop, seedQuickRefundWaiting:
			hi = 2 * 24 * time.Hour
		case seedUnchecked, seedShippedAnyway:
			hi = 6 * 24 * time.Hour
		}
		drafts[i] = draft{kind: kind, created: now.Add(-(lo + time.Duration(rng.Int64N(int64(hi-lo))))).Truncate(time.Second)}
	}
	slices.SortStableFunc(drafts, func(a, b draft) int { return a.created.Compare(b.created) })

	productBase := make([]int64, len(catalogue))
	for i := range productBase {
		productBase[i] = 7_000_000_000 + rng.Int64N(2_000_000_000)
	}
	var withdrawn []int64
	for k, d := range drafts {
		g := &generator{rng: rng}
		id := s.nextReceipt
		reason := returnReasons[rng.IntN(len(returnReasons))]
		pl := places[rng.IntN(len(places))]
		r := coupang.ReturnRequest{
			ReceiptID:              id,
			OrderID:                20_000_000_000_000 + rng.Int64N(10_000_000_000_000),
			PaymentID:              60_000_000_000 + rng.Int64N(1_000_000_000),
			ReceiptType:            coupang.ReturnReceiptTypeReturn,
			CreatedAt:              d.created,
			ModifiedAt:             d.created,
			RequesterName:          maskedNames[rng.IntN(len(maskedNames))],
			RequesterPhoneNumber:   g.safeNumber(),
			RequesterAddress:       pl.address,
			RequesterAddressDetail: pl.detail,
			RequesterZipCode:       pl.zip,
			CancelReasonCategory1:  reason.cat1,
			CancelReasonCategory2:  reason.cat2,
			CancelReason:           customerWords[rng.IntN(len(customerWords))],
			ReturnDeliveryType:     coupang.ReturnDeliveryTypeIntegrated,
			ReleaseStopStatus:      coupang.ReturnReleaseStopNotApplicable,
			ReasonCode:             reason.code,
			FaultByType:            coupang.FaultTypeCustomer,
			CompleteConfirmType:    coupang.ReturnCompleteConfirmUndefined,
			ReturnShippingCharge:   coupang.Money{Units: -3000},
		}
		if info, ok := coupang.LookupReason(reason.code); ok {
			r.ReasonCodeText = info.Korean
			if info.Fault == coupang.FaultTypeVendor {
				r.FaultByType, r.ReturnShippingCharge = coupang.FaultTypeVendor, coupang.Money{}
			}
		}
		nItems := 1
		if k%7 == 3 {
			nItems = 2
		}
		for n := range nItems {
			p := rng.IntN(len(catalogue))
			prod := catalogue[p]
			o := rng.IntN(len(prod.options))
			qty := int64(1 + k%2)
			r.Items = append(r.Items, coupang.ReturnItem{
				VendorItemID:      productBase[p] + int64(o),
				VendorItemName:    prod.name + ", " + prod.options[o],
				PurchaseCount:     qty,
				CancelCount:       qty,
				ShipmentBoxID:     600_000_000_000_000_000 + rng.Int64N(1_000_000_000_000_000),
				SellerProductID:   1_000_000_000 + int64(p),
				SellerProductName: prod.name,
				ReleaseStatus:     coupang.ReturnReleaseStatusShipped,
			})
			r.CancelCountSum += qty
			_ = n
		}
		pickup := coupang.Courier{Code: coupang.CourierCJ, InvoiceLengths: []int{12}}
		span := now.Sub(d.created)
		later := d.created.Add(span / 2).Truncate(time.Second)
		waybill := func() {
			r.Deliveries = append(r.Deliveries, coupang.ReturnDelivery{DeliveryCompanyCode: pickup.Code, DeliveryInvoiceNo: g.waybill(pickup)})
			r.ReturnDeliveryID = 80_000_000 + rng.Int64N(10_000_000)
		}
		confirmed := func(how coupang.ReturnCompleteConfirmType) {
			r.CompleteConfirmType, r.CompleteConfirmDate, r.ModifiedAt = how, later, later
		}
		switch d.kind {
		case seedReleaseStop:
			r.Status = coupang.ReturnStatusReleaseStopUnchecked
			r.ReleaseStopStatus = coupang.ReturnReleaseStopUnprocessed
			r.FaultByType, r.ReturnShippingCharge = coupang.FaultTypeCustomer, coupang.Money{}
			for i := range r.Items {
				r.Items[i].ReleaseStatus = coupang.ReturnReleaseStatusNotShipped
			}
		case seedUnchecked:
			r.Status = coupang.ReturnStatusReturnsUnchecked
			waybill()
			r.ModifiedAt = later
		case seedQuickRefundWaiting:
			r.Status = coupang.ReturnStatusReturnsUnchecked
			r.PreRefund = true
		case seedWarehouse:
			r.Status = coupang.ReturnStatusVendorWarehouseConfirm
			waybill()
			confirmed(coupang.ReturnCompleteConfirmVendor)
		case seedCompleted:
			r.Status = coupang.ReturnStatusReturnsCompleted
			waybill()
			confirmed(coupang.ReturnCompleteConfirmVendor)
		case seedStopped:
			r.Status = coupang.ReturnStatusReturnsCompleted
			r.ReleaseStopStatus = coupang.ReturnReleaseStopStopped
			for i := range r.Items {
				r.Items[i].ReleaseStatus = coupang.ReturnReleaseStatusStopped
				r.Items[i].CancelCompleteUser = coupang.PersonalText(fmt.Sprintf("%c******", 'a'+rune(rng.IntN(26))))
			}
			confirmed(coupang.ReturnCompleteConfirmVendor)
		case seedCoupangCheck:
			r.Status = coupang.ReturnStatusRequestCoupangCheck
			r.PreRefund = true
			waybill()
			confirmed(coupang.ReturnCompleteConfirmVendor)
		case seedShippedAnyway:
			r.Status = coupang.ReturnStatusReturnsUnchecked
			r.ReleaseStopStatus = coupang.ReturnReleaseStopShipped
			for i := range r.Items {
				r.Items[i].ReleaseStatus = coupang.ReturnReleaseStatusAlreadyShipped
			}
			r.ModifiedAt = later
		case seedCancelled:
			r.ReceiptType = coupang.ReturnReceiptTypeCancel
			r.Status = coupang.ReturnStatusReturnsCompleted
			r.ReturnDeliveryType = ""
			r.ReturnShippingCharge = coupang.Money{}
			for i := range r.Items {
				r.Items[i].ReleaseStatus = coupang.ReturnReleaseStatusNotShipped
			}
			confirmed(coupang.ReturnCompleteConfirmCS)
		case seedQuickRefundDone:
			r.Status = coupang.ReturnStatusReturnsCompleted
			r.PreRefund = true
			waybill()
			confirmed(coupang.ReturnCompleteConfirmCS)
		}
		s.addReturnLocked(r)
		s.nextReceipt = id + 1 + rng.Int64N(3000)
		if k%15 == 14 {
			withdrawn = append(withdrawn, id)
		}
	}
	// A few receipts were withdrawn by their customers, a while after filing.
	for _, id := range withdrawn {
		rec := s.returns[id]
		s.withdrawLocked(rec, rec.r.CreatedAt.Add(now.Sub(rec.r.CreatedAt)/3))
	}
}
