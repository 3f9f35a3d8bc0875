package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"io"
	"strings"
	"time"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/internal/termsafe"
)

// renderer prints the rows of one kind of record (T: row for exchanges,
// returnRow for returns) in one output format.
type renderer[T any] interface {
	// row prints, or keeps for later, one row.
	row(T) error
	// flush prints what is kept and flushes the output.
	flush() error
}

// layout is how one kind of row is printed: its CSV columns, its two
// tables and how its text is made safe for a terminal. Each kind has one
// (exchangeLayout, returnLayout), so that every command, list and watch
// alike, prints a kind the same way through the same renderers.
type layout[T any] struct {
	// csvHeader names the CSV columns, in the order of csvRecord; it is
	// part of the output's contract: append only.
	csvHeader []string
	csvRecord func(T) []string
	// narrow is the default table, within narrowWidth columns; wide is
	// --wide's, with every label.
	narrowHeaders, wideHeaders [][]string
	narrowCells, wideCells     func(T) []string
	// safe returns the row with its text through termsafe.String, for the
	// table and JSON (CSV escapes per cell instead: see csvRenderer.row).
	safe func(T) T
}

// newRenderer returns the renderer of l's rows for --format; wide selects
// the wide table; cmd names the command in a usage error.
func newRenderer[T any](cmd string, l *layout[T], format string, bom, wide bool, w io.Writer) (renderer[T], error) {
	if bom && format != "csv" {
		return nil, usageErrorf("%s: --bom applies to --format csv only", cmd)
	}
	if wide && format != "table" {
		return nil, usageErrorf("%s: --wide applies to --format table only", cmd)
	}
	switch format {
	case "table":
		if wide {
			return &tableRenderer[T]{w: w, headers: l.wideHeaders, cells: l.wideCells, safe: l.safe}, nil
		}
		return &tableRenderer[T]{w: w, headers: l.narrowHeaders, cells: l.narrowCells, safe: l.safe, maxWidth: narrowWidth}, nil
	case "json":
		bw := bufio.NewWriter(w)
		enc := json.NewEncoder(bw)
		enc.SetEscapeHTML(false)
		return &jsonRenderer[T]{bw: bw, enc: enc, safe: l.safe}, nil
	case "csv":
		return newCSVRenderer(w, bom, l.csvHeader, l.csvRecord)
	default:
		return nil, usageErrorf("%s: --format %q: want table, json or csv", cmd, format)
	}
}

// jsonRenderer prints one JSON object per line, as each row arrives.
type jsonRenderer[T any] struct {
	bw   *bufio.Writer
	enc  *json.Encoder
	safe func(T) T
}

func (r *jsonRenderer[T]) row(x T) error { return r.enc.Encode(r.safe(x)) }
func (r *jsonRenderer[T]) flush() error  { return r.bw.Flush() }

// utf8BOM makes Excel read a CSV file as UTF-8; without it, Excel on Korean
// Windows reads it as CP949 and Korean labels turn to mojibake.
const utf8BOM = "\uFEFF"

// csvRenderer prints a header row, then one record per row as it arrives.
type csvRenderer[T any] struct {
	cw     *csv.Writer
	record func(T) []string
}

func newCSVRenderer[T any](w io.Writer, bom bool, header []string, record func(T) []string) (*csvRenderer[T], error) {
	if bom {
		if _, err := io.WriteString(w, utf8BOM); err != nil {
			return nil, err
		}
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return nil, err
	}
	return &csvRenderer[T]{cw: cw, record: record}, nil
}

// row writes x with each cell through termsafe.CSVCell: codes outside the
// tables and the server's reason text reach the CSV as Coupang sent them,
// and a cell starting with = + - @ (after any white space) is a formula to
// a spreadsheet.
func (r *csvRenderer[T]) row(x T) error {
	rec := r.record(x)
	for i, c := range rec {
		rec[i] = termsafe.CSVCell(c)
	}
	return r.cw.Write(rec)
}

func (r *csvRenderer[T]) flush() error {
	r.cw.Flush()
	return r.cw.Error()
}

// tableRenderer keeps the rows and prints them aligned, with a header in
// English and one in Korean. Alignment counts display columns, not bytes or
// runes: Hangul takes two columns in a terminal.
type tableRenderer[T any] struct {
	w       io.Writer
	headers [][]string
	cells   func(T) []string
	safe    func(T) T
	// maxWidth, when not 0, is the widest a line may be: the last column
	// (free text) is cut to fit.
	maxWidth int
	rows     [][]string
}

// narrowWidth is the widest line of the default table: it fits a terminal
// of 100 columns (and the usual 120), with Hangul counted as two.
const narrowWidth = 100

// narrowTime is the narrow table's time: Korea time, without the year.
const narrowTime = "01-02 15:04"

// narrowCreated is a creation time in the narrow table: "-" when absent.
func narrowCreated(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Format(narrowTime)
}

// wideTime is a time in the wide table: "-" when absent.
func wideTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Format(timeLayout)
}

// yes shows a flag in the wide table.
func yes(b bool) string {
	if b {
		return "yes 예"
	}
	return "-"
}

// row keeps x's cells, its text shown escaped (termsafe): codes outside
// the tables and the server's reason text are as Coupang sent them.
func (r *tableRenderer[T]) row(x T) error {
	r.rows = append(r.rows, r.cells(r.safe(x)))
	return nil
}

func (r *tableRenderer[T]) flush() error {
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
// or the code itself when the tables do not know it. A code that is Korean
// text itself (미처리) is followed by its English label.
func label(code, ko, en string) string {
	switch {
	case code == "":
		return "-"
	case (ko == "" || ko == code) && en != "" && en != code:
		return code + " " + en
	case ko == "" || ko == code:
		return code
	case en == "" || en == code:
		return ko
	}
	return ko + " " + en
}

// coded is a code type of the SDK that knows its Korean and English
// labels (statuses, types, reasons' fault types).
type coded interface {
	~string
	Korean() string
	English() string
}

// labelOf is label for a code of the SDK, with the labels it knows.
func labelOf[C coded](c C) string { return label(string(c), c.Korean(), c.English()) }

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
