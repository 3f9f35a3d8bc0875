// Package termsafetest holds hostile server text, one piece per kind, and a
// check that output holds none of it live: the tests of the coupang command
// and of the examples feed each piece through each of their output paths.
package termsafetest

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Hostile is one kind of hostile text: In as a server could send it and
// Want as termsafe.String shows it.
type Hostile struct {
	Name, In, Want string
}

// All is every kind of hostile text the sanitiser handles.
var All = []Hostile{
	{"OSC window title", "x\x1b]0;pwned\x07y", `x\x1b]0;pwned\x07y`},
	{"screen clear", "\x1b[2J\x1b[H", `\x1b[2J\x1b[H`},
	{"colour", "R\x1b[31mred", `R\x1b[31mred`},
	{"C1 CSI", "a\u009b2Jb", `a\u009b2Jb`},
	{"C1 NEL", "a\u0085b", `a\u0085b`},
	{"carriage return forging a line", "ok\rFAIL", `ok\rFAIL`},
	{"newline", "one\ntwo", `one\ntwo`},
	{"tab", "a\tb", `a\tb`},
	{"DEL and NUL", "a\x7f\x00b", `a\x7f\x00b`},
	{"bidi override", "abc\u202edcba", `abc\u202edcba`},
	{"bidi embeddings", "\u202a\u202b\u202c\u202d", `\u202a\u202b\u202c\u202d`},
	{"bidi isolates", "\u2066\u2067\u2068\u2069", `\u2066\u2067\u2068\u2069`},
	{"bidi marks", "\u200e\u200f\u061c", `\u200e\u200f\u061c`},
	{"line and paragraph separators", "a\u2028b\u2029c", `a\u2028b\u2029c`},
	{"byte order mark", "\ufeffx", `\ufeffx`},
	{"tag character", "x\U000e0041", `x\U000e0041`},
	{"not UTF-8", "a\xffb", `a\xffb`},
}

// Live returns what in s could act on a terminal: control and format
// characters (other than the zero-width joiner and non-joiner), line and
// paragraph separators and bytes that are not UTF-8. keep are characters
// the output format itself puts there (a table's newlines); they are not
// reported.
func Live(s string, keep ...rune) []rune {
	var out []rune
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			out = append(out, r)
		case strings.ContainsRune(string(keep), r), r == '\u200c', r == '\u200d':
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r), r == '\u2028', r == '\u2029':
			out = append(out, r)
		}
	}
	return out
}
