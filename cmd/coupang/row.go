package main

import (
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/internal/termsafe"
)

// row is what the list prints of one exchange request: ids, times, codes
// with their Korean and English labels, flags and the new box id. It holds
// no personal data (names, addresses, phones, the customer's words), so the
// output can be shared and kept in spreadsheets.
type row struct {
	ExchangeID        int64  `json:"exchange_id"`
	OrderID           int64  `json:"order_id"`
	CreatedAt         string `json:"created_at"`
	ModifiedAt        string `json:"modified_at"`
	Status            string `json:"status"`
	StatusKo          string `json:"status_ko"`
	StatusEn          string `json:"status_en"`
	CollectStatus     string `json:"collect_status"`
	CollectStatusKo   string `json:"collect_status_ko"`
	CollectStatusEn   string `json:"collect_status_en"`
	DeliveryStatus    string `json:"delivery_status"`
	DeliveryStatusKo  string `json:"delivery_status_ko"`
	DeliveryStatusEn  string `json:"delivery_status_en"`
	ReasonCode        string `json:"reason_code"`
	ReasonKo          string `json:"reason_ko"`
	ReasonEn          string `json:"reason_en"`
	FaultType         string `json:"fault_type"`
	FaultTypeKo       string `json:"fault_type_ko"`
	FaultTypeEn       string `json:"fault_type_en"`
	Items             int    `json:"items"`
	Rejectable        bool   `json:"rejectable"`
	Successable       bool   `json:"successable"`
	InvoiceModifiable bool   `json:"invoice_modifiable"`
	// NewShipmentBoxID is a string: 18-digit box ids are beyond the exact
	// range of JavaScript numbers and of Excel's 15 digits.
	NewShipmentBoxID string `json:"new_shipment_box_id"`
	// NextStep is the seller's next step (ExchangeRequest.Actions), such as
	// confirm-receipt or wait-pickup.
	NextStep string `json:"next_step"`

	// created is CreatedAt as a time, for the table.
	created time.Time
}

// timeLayout is how the table and text lines print times: Korea time,
// without the zone, which the column header names.
const timeLayout = "2006-01-02 15:04:05"

// dataTimeLayout is how JSON and CSV give times: RFC 3339 in Korea time,
// with its offset, so that a program reading them needs no knowledge of the
// zone.
const dataTimeLayout = time.RFC3339

// newRow extracts a row from ex. It uses only methods and conversions that
// work whether the model's ids and times are the SDK's wrapper types or
// plain int64 and time.Time.
func newRow(ex coupang.ExchangeRequest) row {
	r := row{
		ExchangeID:        ex.ExchangeID,
		OrderID:           ex.OrderID,
		Status:            string(ex.Status),
		StatusKo:          ex.Status.Korean(),
		StatusEn:          ex.Status.English(),
		CollectStatus:     string(ex.CollectStatus),
		CollectStatusKo:   ex.CollectStatus.Korean(),
		CollectStatusEn:   ex.CollectStatus.English(),
		DeliveryStatus:    string(ex.DeliveryStatus),
		DeliveryStatusKo:  ex.DeliveryStatus.Korean(),
		DeliveryStatusEn:  ex.DeliveryStatus.English(),
		ReasonCode:        ex.ReasonCode,
		FaultType:         string(ex.FaultType),
		FaultTypeKo:       ex.FaultType.Korean(),
		FaultTypeEn:       ex.FaultType.English(),
		Items:             len(ex.Items),
		Rejectable:        ex.Rejectable,
		Successable:       ex.Successable,
		InvoiceModifiable: ex.DeliveryInvoiceModifiable,
	}
	// A code the built-in table does not know has no English label
	// (ReasonInfo leaves it empty): the column stays empty.
	reason := ex.ReasonInfo()
	r.ReasonKo, r.ReasonEn = reason.Korean, reason.English
	r.created, r.CreatedAt = inKorea(ex.CreatedAt), dataTime(ex.CreatedAt)
	r.ModifiedAt = dataTime(ex.ModifiedAt)
	r.NextStep = string(ex.Actions().Next)
	if box, ok := ex.ReplacementShipmentBoxID(); ok {
		r.NewShipmentBoxID = strconv.FormatInt(box, 10)
	}
	return r
}

// inKorea is t in Korea time, for the table; the zero time when absent.
func inKorea(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.In(coupang.KoreaLocation())
}

// dataTime is t as JSON and CSV give it (dataTimeLayout); "" when absent.
func dataTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(coupang.KoreaLocation()).Format(dataTimeLayout)
}

// safe returns r with every text field through termsafe.String, for the
// table, JSON and watch's lines: codes outside the tables and the server's
// reason text are as Coupang sent them and could hold escape sequences or
// bidi overrides. (CSV takes the raw row: termsafe.CSVCell needs to see a
// formula behind leading white space before it is escaped.)
func (r row) safe() row { return safeText(r) }

// safeText returns r, a row struct, with every string field through
// termsafe.String. It walks the fields so that a text field added later,
// to any kind of row, is covered too.
func safeText[T any](r T) T {
	v := reflect.ValueOf(&r).Elem()
	for i := range v.NumField() {
		if f := v.Field(i); f.Kind() == reflect.String && f.CanSet() {
			f.SetString(termsafe.String(f.String()))
		}
	}
	return r
}

// exchangeLayout is how every command prints exchange requests.
var exchangeLayout = &layout[row]{
	csvHeader:     csvHeader,
	csvRecord:     csvRecord,
	narrowHeaders: narrowHeaders,
	narrowCells:   narrowCells,
	wideHeaders:   wideHeaders,
	wideCells:     wideCells,
	safe:          row.safe,
}

// csvHeader names the CSV columns, in the order of csvRecord.
var csvHeader = []string{
	"exchange_id", "order_id", "created_at", "modified_at",
	"status", "status_ko", "status_en",
	"collect_status", "collect_status_ko", "collect_status_en",
	"delivery_status", "delivery_status_ko", "delivery_status_en",
	"reason_code", "reason_ko", "reason_en",
	"fault_type", "fault_type_ko", "fault_type_en",
	"items", "rejectable", "successable", "invoice_modifiable", "new_shipment_box_id",
	"next_step",
}

func csvRecord(x row) []string {
	return []string{
		strconv.FormatInt(x.ExchangeID, 10), strconv.FormatInt(x.OrderID, 10), x.CreatedAt, x.ModifiedAt,
		x.Status, x.StatusKo, x.StatusEn,
		x.CollectStatus, x.CollectStatusKo, x.CollectStatusEn,
		x.DeliveryStatus, x.DeliveryStatusKo, x.DeliveryStatusEn,
		x.ReasonCode, x.ReasonKo, x.ReasonEn,
		x.FaultType, x.FaultTypeKo, x.FaultTypeEn,
		strconv.Itoa(x.Items), strconv.FormatBool(x.Rejectable), strconv.FormatBool(x.Successable),
		strconv.FormatBool(x.InvoiceModifiable), x.NewShipmentBoxID,
		x.NextStep,
	}
}

// The default table: what an operator needs to decide, one short label per
// column, in Korean where the label is Korean text. --wide adds the English
// labels, the replacement's delivery, the rejectable flag and the box id.
var narrowHeaders = [][]string{
	{"EXCHANGE ID", "ORDER ID", "CREATED", "STATUS", "PICKUP", "NEXT", "REASON"},
	{"교환번호", "주문번호", "접수일시", "상태", "회수", "다음 단계", "사유"},
}

func narrowCells(x row) []string {
	return leadCells(x.ExchangeID, x.OrderID, narrowCreated(x.created),
		labelKo(x.Status, x.StatusKo),
		labelKo(x.CollectStatus, x.CollectStatusKo),
		nextLabel(coupang.Step(x.NextStep)),
		labelKo(x.ReasonCode, x.ReasonKo),
	)
}

var wideHeaders = [][]string{
	{"EXCHANGE ID", "ORDER ID", "CREATED (KST)", "STATUS", "PICKUP", "REPLACEMENT", "REJECTABLE", "NEW BOX", "REASON"},
	{"교환번호", "주문번호", "접수일시", "상태", "회수", "교환배송", "거부가능", "새 박스", "사유"},
}

func wideCells(x row) []string {
	return leadCells(x.ExchangeID, x.OrderID, wideTime(x.created),
		label(x.Status, x.StatusKo, x.StatusEn),
		label(x.CollectStatus, x.CollectStatusKo, x.CollectStatusEn),
		label(x.DeliveryStatus, x.DeliveryStatusKo, x.DeliveryStatusEn),
		yes(x.Rejectable),
		dash(x.NewShipmentBoxID),
		wideReason(x.ReasonCode, x.ReasonKo),
	)
}

// leadCells are a table row's cells: first those of every kind of record,
// its id, its order's and when it was created (narrowCreated, wideTime),
// then the rest.
func leadCells(id, order int64, created string, rest ...string) []string {
	return append([]string{strconv.FormatInt(id, 10), strconv.FormatInt(order, 10), created}, rest...)
}

// wideReason is the wide table's REASON: the code and its Korean label.
func wideReason(code, ko string) string { return strings.TrimSpace(code + " " + ko) }
