// Package termsafe shows text that came from a server (Coupang's message
// and transactionId, codes outside the built-in tables, a record's text) so
// that it cannot act on whoever reads it: on a terminal, an escape sequence
// can set the window title, clear the screen or forge lines, and a bidi
// override can make text read backwards; in a spreadsheet, a cell starting
// with "=" runs as a formula. The coupang command and the examples pass
// every piece of server text through it before it reaches a terminal, a CSV
// file or JSON output, so that there is one rule and one place to change it.
package termsafe

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// String returns s with every character that could act on a terminal shown
// escaped, as Go writes it in a string literal, so that a reader sees it and
// nothing happens:
//   - control characters: C0 (tab, newline and carriage return as \t, \n
//     and \r, the rest such as ESC as \x1b), DEL (\x7f) and C1 (U+0080 to
//     U+009F, such as the one-byte CSI \u009b);
//   - format characters (Unicode category Cf), among them the bidi
//     overrides, embeddings and isolates (U+202A to U+202E, U+2066 to
//     U+2069), the marks U+200E, U+200F and U+061C, and the byte order mark;
//     only the zero-width joiner and non-joiner (U+200C, U+200D), which
//     emoji and some scripts need and which move nothing, are kept;
//   - the line and paragraph separators U+2028 and U+2029;
//   - bytes that are not UTF-8, as \xff.
//
// Everything else, Hangul and other scripts included, is kept as it is.
// Backslashes are kept too: the result is for reading, not for decoding.
func String(s string) string {
	if clean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case !escaped(r):
			b.WriteString(s[i : i+size])
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r <= 0xFFFF:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
		i += size
	}
	return b.String()
}

// Line returns s as one line: runs of white space, line breaks included,
// become one space, and then String escapes what is left.
func Line(s string) string {
	return String(strings.Join(strings.Fields(s), " "))
}

// CSVCell returns s for a CSV cell: String's escapes, behind an apostrophe
// when a spreadsheet would run s as a formula. Excel and LibreOffice take a
// cell whose first character other than white space is =, +, - or @ (or
// its full-width form) as a formula, so leading spaces, tabs, newlines or
// carriage returns do not make it safe (CSV injection, OWASP). The
// apostrophe makes Excel show the cell as text. A cell of our own (an id, a
// time, a boolean) never starts with one of these.
func CSVCell(s string) string {
	first, _ := utf8.DecodeRuneInString(strings.TrimLeftFunc(s, unicode.IsSpace))
	if strings.ContainsRune("=+-@＝＋－＠", first) {
		return "'" + String(s)
	}
	return String(s)
}

// clean reports that s holds nothing String would escape: the common case,
// which then costs no allocation.
func clean(s string) bool {
	for i := 0; i < len(s); {
		if c := s[i]; c >= 0x20 && c < 0x7f {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || escaped(r) {
			return false
		}
		i += size
	}
	return true
}

// escaped reports whether String shows r escaped.
func escaped(r rune) bool {
	switch {
	case r == '\u200c', r == '\u200d':
		return false
	case unicode.IsControl(r), unicode.Is(unicode.Cf, r), r == '\u2028', r == '\u2029':
		return true
	}
	return false
}

// JSON returns the encoded JSON b with every character String would escape
// written as a JSON escape (\u202e, or a surrogate pair above U+FFFF), so
// that the bytes are inert on a terminal while a JSON reader still decodes
// the very same strings: for output that promises the server's records
// whole. encoding/json already escapes C0 controls and U+2028/U+2029 and
// replaces bytes that are not UTF-8; C1 controls, bidi overrides and other
// format characters it leaves raw. Outside strings JSON allows only ASCII,
// so every such character b holds is inside a string.
func JSON(b []byte) []byte {
	if clean(string(b)) {
		return b
	}
	out := make([]byte, 0, len(b)+16)
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			out = append(out, `\ufffd`...)
		case !escaped(r) || r == '\t' || r == '\n' || r == '\r':
			// Tabs and line breaks are JSON's white space between values
			// (an encoder's indentation); inside a string they are escaped.
			out = append(out, b[i:i+size]...)
		case r <= 0xFFFF:
			out = fmt.Appendf(out, `\u%04x`, r)
		default:
			hi, lo := utf16.EncodeRune(r)
			out = fmt.Appendf(out, `\u%04x\u%04x`, hi, lo)
		}
		i += size
	}
	return out
}
