package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"strings"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/internal/termsafe"
)

// renderer prints rows in one output format.
type renderer interface {
	// row prints, or keeps for later, one row.
	row(row) error
	// flush prints what is kept and flushes the output.
	flush() error
}

// newRenderer returns the renderer for --format; wide selects the wide
// table.
func newRenderer(format string, bom, wide bool, w io.Writer) (renderer, error) {
	if bom && format != "csv" {
		return nil, usageErrorf("exchanges list: --bom applies to --format csv only")
	}
	if wide && format != "table" {
		return nil, usageErrorf("exchanges list: --wide applies to --format table only")
	}
	switch format {
	case "table":
		if wide {
			return &tableRenderer{w: w, headers: wideHeaders, cells: wideCells}, nil
		}
		return &tableRenderer{w: w, headers: narrowHeaders, cells: narrowCells, maxWidth: narrowWidth}, nil
	case "json":
		bw := bufio.NewWriter(w)
		enc := json.NewEncoder(bw)
		enc.SetEscapeHTML(false)
		return &jsonRenderer{bw: bw, enc: enc}, nil
	case "csv":
		return newCSVRenderer(w, bom)
	default:
		return nil, usageErrorf("exchanges list: --format %q: want table, json or csv", format)
	}
}

// jsonRenderer prints one JSON object per line, as each row arrives.
type jsonRenderer struct {
	bw  *bufio.Writer
	enc *json.Encoder
}

func (r *jsonRenderer) row(x row) error { return r.enc.Encode(x.safe()) }
func (r *jsonRenderer) flush() error    { return r.bw.Flush() }

// utf8BOM makes Excel read a CSV file as UTF-8; without it, Excel on Korean
// Windows reads it as CP949 and Korean labels turn to mojibake.
const utf8BOM = "\uFEFF"

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

// csvRenderer prints a header row, then one record per row as it arrives.
type csvRenderer struct{ cw *csv.Writer }

func newCSVRenderer(w io.Writer, bom bool) (*csvRenderer, error) {
	if bom {
		if _, err := io.WriteString(w, utf8BOM); err != nil {
			return nil, err
		}
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return nil, err
	}
	return &csvRenderer{cw: cw}, nil
}

// row writes x with each cell through termsafe.CSVCell: codes outside the
// tables and the server's reason text reach the CSV as Coupang sent them,
// and a cell starting with = + - @ (after any white space) is a formula to
// a spreadsheet.
func (r *csvRenderer) row(x row) error {
	rec := csvRecord(x)
	for i, c := range rec {
		rec[i] = termsafe.CSVCell(c)
	}
	return r.cw.Write(rec)
}

func (r *csvRenderer) flush() error {
	r.cw.Flush()
	return r.cw.Error()
}

// tableRenderer keeps the rows and prints them aligned, with a header in
// English and one in Korean. Alignment counts display columns, not bytes or
// runes: Hangul takes two columns in a terminal.
type tableRenderer struct {
	w       io.Writer
	headers [][]string
	cells   func(row) []string
	// maxWidth, when not 0, is the widest a line may be: the last column
	// (free text) is cut to fit.
	maxWidth int
	rows     [][]string
}

// narrowWidth is the widest line of the default table: it fits a terminal
// of 100 columns (and the usual 120), with Hangul counted as two.
const narrowWidth = 100

// The default table: what an operator needs to decide, one short label per
// column, in Korean where the label is Korean text. --wide adds the English
// labels, the replacement's delivery, the rejectable flag and the box id.
var narrowHeaders = [][]string{
	{"EXCHANGE ID", "ORDER ID", "CREATED", "STATUS", "PICKUP", "NEXT", "REASON"},
	{"교환번호", "주문번호", "접수일시", "상태", "회수", "다음 단계", "사유"},
}

// narrowTime is the narrow table's time: Korea time, without the year.
const narrowTime = "01-02 15:04"

func narrowCells(x row) []string {
	created := "-"
	if !x.created.IsZero() {
		created = x.created.Format(narrowTime)
	}
	reason := x.ReasonKo
	if reason == "" {
		reason = x.ReasonCode
	}
	return []string{
		strconv.FormatInt(x.ExchangeID, 10),
		strconv.FormatInt(x.OrderID, 10),
		created,
		labelKo(x.Status, x.StatusKo),
		labelKo(x.CollectStatus, x.CollectStatusKo),
		nextLabel(coupang.Step(x.NextStep)),
		dash(reason),
	}
}

var wideHeaders = [][]string{
	{"EXCHANGE ID", "ORDER ID", "CREATED (KST)", "STATUS", "PICKUP", "REPLACEMENT", "REJECTABLE", "NEW BOX", "REASON"},
	{"교환번호", "주문번호", "접수일시", "상태", "회수", "교환배송", "거부가능", "새 박스", "사유"},
}

func wideCells(x row) []string {
	yes := func(b bool) string {
		if b {
			return "yes 예"
		}
		return "-"
	}
	created := ""
	if !x.created.IsZero() {
		created = x.created.Format(timeLayout)
	}
	return []string{
		strconv.FormatInt(x.ExchangeID, 10),
		strconv.FormatInt(x.OrderID, 10),
		dash(created),
		label(x.Status, x.StatusKo, x.StatusEn),
		label(x.CollectStatus, x.CollectStatusKo, x.CollectStatusEn),
		label(x.DeliveryStatus, x.DeliveryStatusKo, x.DeliveryStatusEn),
		yes(x.Rejectable),
		dash(x.NewShipmentBoxID),
		strings.TrimSpace(x.ReasonCode + " " + x.ReasonKo),
	}
}

// row keeps x's cells, its text shown escaped (termsafe): codes outside
// the tables and the server's reason text are as Coupang sent them.
func (r *tableRenderer) row(x row) error {
	r.rows = append(r.rows, r.cells(x.safe()))
	return nil
}

func (r *tableRenderer) flush() error {
	if len(r.rows) == 0 {
		return nil
	}
	all := append(append([][]string{}, r.headers...), r.rows...)
	last := len(r.headers[0]) - 1
	widths := make([]int, last+1)
	for _, cells := range all {
		for i, c := range cells {
			widths[i] = max(widths[i], displayWidth(c))
		}
	}
	if r.maxWidth > 0 {
		used := 0
		for _, w := range widths[:last] {
			used += w + 2
		}
		if room := max(r.maxWidth-used, 8); widths[last] > room {
			widths[last] = room
			for _, cells := range all {
				cells[last] = truncate(cells[last], room)
			}
		}
	}
	bw := bufio.NewWriter(r.w)
	for _, cells := range all {
		var b strings.Builder
		for i, c := range cells {
			b.WriteString(c)
			if i < len(cells)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-displayWidth(c)+2))
			}
		}
		bw.WriteString(strings.TrimRight(b.String(), " ") + "\n")
	}
	return bw.Flush()
}

// truncate cuts s to at most width display columns, ending it with ".."
// when cut (ASCII: "…" is two columns wide on many Korean terminals).
func truncate(s string, width int) string {
	if displayWidth(s) <= width {
		return s
	}
	var b strings.Builder
	n := 0
	for _, r := range s {
		w := 1
		if isWide(r) {
			w = 2
		}
		if n+w > width-2 {
			break
		}
		b.WriteRune(r)
		n += w
	}
	return strings.TrimRight(b.String(), " ") + ".."
}

// nextLabel is the NEXT column: the step's English label, or "-" when
// nothing is left to do (the status says why).
func nextLabel(s coupang.Step) string {
	if s == coupang.StepNone || s == "" {
		return "-"
	}
	return s.English()
}

// labelKo shows a code by its Korean label, or the code itself when the
// tables do not know it.
func labelKo(code, ko string) string {
	if ko == "" {
		return dash(code)
	}
	return ko
}

// label shows a code by its Korean and English labels ("접수 received"),
// or the code itself when the tables do not know it.
func label(code, ko, en string) string {
	switch {
	case code == "":
		return "-"
	case ko == "" || ko == code:
		return code
	case en == "" || en == code:
		return ko
	}
	return ko + " " + en
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// displayWidth is how many terminal columns s takes: two for East Asian
// wide characters (Hangul, CJK, full-width forms), one for the rest.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		n++
		if isWide(r) {
			n++
		}
	}
	return n
}

func isWide(r rune) bool {
	switch {
	case r >= 0x1100 && r <= 0x115F, // Hangul Jamo initials
		r >= 0x2E80 && r <= 0x303E, // CJK radicals, punctuation
		r >= 0x3041 && r <= 0x33FF, // kana, compatibility Jamo, CJK symbols
		r >= 0x3400 && r <= 0x4DBF, // CJK extension A
		r >= 0x4E00 && r <= 0x9FFF, // CJK unified ideographs
		r >= 0xA960 && r <= 0xA97F, // Hangul Jamo extended A
		r >= 0xAC00 && r <= 0xD7A3, // Hangul syllables
		r >= 0xF900 && r <= 0xFAFF, // CJK compatibility ideographs
		r >= 0xFE30 && r <= 0xFE4F, // CJK compatibility forms
		r >= 0xFF00 && r <= 0xFF60, // full-width forms
		r >= 0xFFE0 && r <= 0xFFE6:
		return true
	}
	return false
}
