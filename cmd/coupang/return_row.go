package main

import (
	"strconv"
	"time"

	"github.com/go-coupang/coupang"
)

// returnRow is what the list and watch print of one return or cancellation
// receipt: ids, times, codes with their Korean and English labels, flags
// and counts. Like the exchange row it holds no personal data: not the
// requester's name, phone numbers or address, not the customer's words,
// not the cancelling user's id, and no waybill numbers (the SDK's own
// redaction leaves those out too); the pickup waybills are counted.
type returnRow struct {
	ReceiptID           int64  `json:"receipt_id"`
	OrderID             int64  `json:"order_id"`
	ReceiptType         string `json:"receipt_type"`
	ReceiptTypeKo       string `json:"receipt_type_ko"`
	ReceiptTypeEn       string `json:"receipt_type_en"`
	CreatedAt           string `json:"created_at"`
	ModifiedAt          string `json:"modified_at"`
	Status              string `json:"status"`
	StatusKo            string `json:"status_ko"`
	StatusEn            string `json:"status_en"`
	ReleaseStopStatus   string `json:"release_stop_status"`
	ReleaseStopStatusKo string `json:"release_stop_status_ko"`
	ReleaseStopStatusEn string `json:"release_stop_status_en"`
	DeliveryType        string `json:"return_delivery_type"`
	DeliveryTypeKo      string `json:"return_delivery_type_ko"`
	DeliveryTypeEn      string `json:"return_delivery_type_en"`
	ReasonCode          string `json:"reason_code"`
	ReasonKo            string `json:"reason_ko"`
	ReasonEn            string `json:"reason_en"`
	FaultType           string `json:"fault_type"`
	FaultTypeKo         string `json:"fault_type_ko"`
	FaultTypeEn         string `json:"fault_type_en"`
	PreRefund           bool   `json:"pre_refund"`
	CompleteConfirmType string `json:"complete_confirm_type"`
	CompletedAt         string `json:"complete_confirmed_at"`
	Items               int    `json:"items"`
	// CancelCount is the receipt's whole quantity: the cancelCount that
	// approve and stop send.
	CancelCount    int64 `json:"cancel_count"`
	PickupWaybills int   `json:"pickup_waybills"`
	// NextStep is the seller's next step (ReturnRequest.Actions), such as
	// stop-shipment or approve.
	NextStep string `json:"next_step"`

	// created is CreatedAt as a time, for the table.
	created time.Time
}

// newReturnRow extracts a row from r.
func newReturnRow(r coupang.ReturnRequest) returnRow {
	x := returnRow{
		ReceiptID:           r.ReceiptID,
		OrderID:             r.OrderID,
		ReceiptType:         string(r.ReceiptType),
		ReceiptTypeKo:       r.ReceiptType.Korean(),
		ReceiptTypeEn:       r.ReceiptType.English(),
		Status:              string(r.Status),
		StatusKo:            r.Status.Korean(),
		StatusEn:            r.Status.English(),
		ReleaseStopStatus:   string(r.ReleaseStopStatus),
		ReleaseStopStatusKo: r.ReleaseStopStatus.Korean(),
		ReleaseStopStatusEn: r.ReleaseStopStatus.English(),
		DeliveryType:        string(r.ReturnDeliveryType),
		DeliveryTypeKo:      r.ReturnDeliveryType.Korean(),
		DeliveryTypeEn:      r.ReturnDeliveryType.English(),
		ReasonCode:          r.ReasonCode,
		FaultType:           string(r.FaultByType),
		FaultTypeKo:         r.FaultByType.Korean(),
		FaultTypeEn:         r.FaultByType.English(),
		PreRefund:           r.PreRefund,
		CompleteConfirmType: string(r.CompleteConfirmType),
		Items:               len(r.Items),
		CancelCount:         wholeQuantity(r),
		PickupWaybills:      len(r.PickupWaybills()),
		NextStep:            string(r.Actions().Next),
	}
	reason := r.ReasonInfo()
	x.ReasonKo, x.ReasonEn = reason.Korean, reason.English
	x.created, x.CreatedAt = inKorea(r.CreatedAt), dataTime(r.CreatedAt)
	x.ModifiedAt, x.CompletedAt = dataTime(r.ModifiedAt), dataTime(r.CompleteConfirmDate)
	return x
}

// wholeQuantity is the receipt's whole quantity, the only cancelCount
// Coupang accepts for an approval or a stopped shipment: CancelCountSum,
// or the sum of the items' CancelCount when Coupang left it out (as the
// SDK's Ensure… calls compute it); 0 when there is none.
func wholeQuantity(r coupang.ReturnRequest) int64 {
	n := r.CancelCountSum
	if n <= 0 {
		n = 0
		for _, it := range r.Items {
			n += it.CancelCount
		}
	}
	return max(n, 0)
}

// safe returns x with every text field through termsafe.String (see
// row.safe).
func (x returnRow) safe() returnRow { return safeText(x) }

// returnLayout is how every command prints return receipts.
var returnLayout = &layout[returnRow]{
	csvHeader:     returnCSVHeader,
	csvRecord:     returnCSVRecord,
	narrowHeaders: returnNarrowHeaders,
	narrowCells:   returnNarrowCells,
	wideHeaders:   returnWideHeaders,
	wideCells:     returnWideCells,
	safe:          returnRow.safe,
}

// returnCSVHeader names the CSV columns, in the order of returnCSVRecord:
// the JSON keys, in the same order.
var returnCSVHeader = []string{
	"receipt_id", "order_id", "receipt_type", "receipt_type_ko", "receipt_type_en", "created_at", "modified_at",
	"status", "status_ko", "status_en",
	"release_stop_status", "release_stop_status_ko", "release_stop_status_en",
	"return_delivery_type", "return_delivery_type_ko", "return_delivery_type_en",
	"reason_code", "reason_ko", "reason_en",
	"fault_type", "fault_type_ko", "fault_type_en",
	"pre_refund", "complete_confirm_type", "complete_confirmed_at",
	"items", "cancel_count", "pickup_waybills", "next_step",
}

func returnCSVRecord(x returnRow) []string {
	return []string{
		strconv.FormatInt(x.ReceiptID, 10), strconv.FormatInt(x.OrderID, 10), x.ReceiptType, x.ReceiptTypeKo, x.ReceiptTypeEn, x.CreatedAt, x.ModifiedAt,
		x.Status, x.StatusKo, x.StatusEn,
		x.ReleaseStopStatus, x.ReleaseStopStatusKo, x.ReleaseStopStatusEn,
		x.DeliveryType, x.DeliveryTypeKo, x.DeliveryTypeEn,
		x.ReasonCode, x.ReasonKo, x.ReasonEn,
		x.FaultType, x.FaultTypeKo, x.FaultTypeEn,
		strconv.FormatBool(x.PreRefund), x.CompleteConfirmType, x.CompletedAt,
		strconv.Itoa(x.Items), strconv.FormatInt(x.CancelCount, 10), strconv.Itoa(x.PickupWaybills), x.NextStep,
	}
}

// The default table: what an operator needs to decide. A cancellation at
// payment-complete shows its type in the STATUS column.
var returnNarrowHeaders = [][]string{
	{"RECEIPT ID", "ORDER ID", "CREATED", "STATUS", "QTY", "NEXT", "REASON"},
	{"접수번호", "주문번호", "접수일시", "상태", "수량", "다음 단계", "사유"},
}

func returnNarrowCells(x returnRow) []string {
	return leadCells(x.ReceiptID, x.OrderID, narrowCreated(x.created),
		returnStatusKo(x),
		strconv.FormatInt(x.CancelCount, 10),
		nextLabel(coupang.Step(x.NextStep)),
		labelKo(x.ReasonCode, x.ReasonKo),
	)
}

// returnStatusKo is the narrow table's STATUS: the status's Korean label,
// or, for a cancellation at payment-complete (whose status says little) or
// a receipt without a status, its type's.
func returnStatusKo(x returnRow) string {
	if x.ReceiptType == string(coupang.ReturnReceiptTypeCancel) || (x.Status == "" && x.ReceiptType != "") {
		return labelKo(x.ReceiptType, x.ReceiptTypeKo)
	}
	return labelKo(x.Status, x.StatusKo)
}

var returnWideHeaders = [][]string{
	{"RECEIPT ID", "ORDER ID", "CREATED (KST)", "TYPE", "STATUS", "RELEASE STOP", "PICKUP", "QUICK REFUND", "QTY", "WAYBILLS", "NEXT", "REASON"},
	{"접수번호", "주문번호", "접수일시", "유형", "상태", "출고중지", "회수", "빠른환불", "수량", "회수송장", "다음 단계", "사유"},
}

func returnWideCells(x returnRow) []string {
	return leadCells(x.ReceiptID, x.OrderID, wideTime(x.created),
		label(x.ReceiptType, x.ReceiptTypeKo, x.ReceiptTypeEn),
		label(x.Status, x.StatusKo, x.StatusEn),
		label(x.ReleaseStopStatus, x.ReleaseStopStatusKo, x.ReleaseStopStatusEn),
		label(x.DeliveryType, x.DeliveryTypeKo, x.DeliveryTypeEn),
		yes(x.PreRefund),
		strconv.FormatInt(x.CancelCount, 10),
		strconv.Itoa(x.PickupWaybills),
		nextLabel(coupang.Step(x.NextStep)),
		wideReason(x.ReasonCode, x.ReasonKo),
	)
}
