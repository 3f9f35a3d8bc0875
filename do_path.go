package coupang

import (
	"net/url"
	"strings"
	"unicode/utf8"
)

// maxPathDecodings is how many times checkPath percent-decodes a segment
// looking for what a proxy or a server could make of it: "%25252e" takes
// three decodings to become ".". A segment still holding escapes after that
// many is refused rather than judged.
const maxPathDecodings = 4

// checkPath refuses paths that would not be sent as given, or that a proxy,
// gateway or server in front of Coupang's API could route elsewhere than
// they read. The signature covers the path as sent, so a query, a fragment
// or a ".." segment would at best fail the signature and at worst reach
// another endpoint than the caller meant. Some servers also cut path
// parameters (";x" in "/a/..;/b" makes "/a/../b" on Tomcat) and some decode
// more than once ("%252e%252e" becomes ".." after two decodings) or accept
// overlong UTF-8 ("%c0%ae" for "."): none of them has a place in a path of
// Coupang's API, whose segments are names and ids, so each is refused at any
// depth of decoding.
func checkPath(path string) error {
	switch {
	case !strings.HasPrefix(path, "/"):
		return invalid("path", "must start with / (from the API root, such as /v2/providers/...), got %q", path)
	case strings.ContainsAny(path, "?#"):
		return invalid("path", "must not hold a query or a fragment: pass the query in query, got %q", path)
	case strings.IndexFunc(path, func(r rune) bool { return r <= ' ' || r == 0x7f }) >= 0:
		return invalid("path", "must not hold spaces or control characters, got %q", path)
	case !utf8.ValidString(path):
		return invalid("path", "must be valid UTF-8, got %q", path)
	case strings.Contains(path, ";"):
		return invalid("path", "must not hold ; (a path parameter, which servers cut or route differently), got %q", path)
	}
	if _, err := url.ParseRequestURI(path); err != nil {
		return invalid("path", "not a valid URL path: %q", path)
	}
	segs := strings.Split(path, "/")
	for i, seg := range segs {
		if seg == "" && i > 0 && i < len(segs)-1 {
			return invalid("path", "must not hold empty segments (//), got %q", path)
		}
		if why := checkSegment(seg); why != "" {
			return invalid("path", "%s, got %q", why, path)
		}
	}
	return nil
}

// checkSegment says what is wrong with one path segment, "" when nothing is.
// It looks at the segment as written and as each further percent-decoding
// would read it.
func checkSegment(seg string) string {
	cur := seg
	for depth := 0; ; depth++ {
		switch {
		case cur == "." || cur == "..":
			return "must not hold . or .. segments, encoded or not"
		case strings.Contains(cur, `\`):
			return `must not hold a \`
		case depth == 0:
		case !utf8.ValidString(cur):
			return "must not hold encoded bytes that are not UTF-8, such as overlong forms (%c0%ae)"
		case strings.IndexFunc(cur, func(r rune) bool { return r < ' ' || r == 0x7f }) >= 0:
			return "must not hold encoded control characters (%00, %0A…)"
		case strings.Contains(cur, "/"):
			return "must not hold an encoded / in a segment"
		case strings.Contains(cur, ";"):
			return "must not hold an encoded ; (a path parameter)"
		}
		if why := escapedSeparator(cur); why != "" {
			return why
		}
		if !strings.Contains(cur, "%") {
			return ""
		}
		dec, err := url.PathUnescape(cur)
		if err != nil {
			if depth == 0 {
				return "not a valid URL path"
			}
			// A "%" that starts no escape, decoded from "%25": text, not
			// an escape any server would undo.
			return ""
		}
		if depth+1 > maxPathDecodings {
			return "must not be percent-encoded more than a few times over (%2525…)"
		}
		cur = dec
	}
}

// escapedSeparator reports an escape of '.', '/', '\' or ';' in s: there is
// no reason to encode them in Coupang's paths other than to pass a segment
// that a decoding server would read as a separator or a dot segment.
func escapedSeparator(s string) string {
	for i := 0; i+2 < len(s); i++ {
		if s[i] != '%' {
			continue
		}
		switch strings.ToLower(s[i+1 : i+3]) {
		case "2e":
			return "must not hold an encoded . (%2e), at any depth of encoding"
		case "2f":
			return "must not hold an encoded / (%2f), at any depth of encoding"
		case "5c":
			return `must not hold an encoded \ (%5c), at any depth of encoding`
		case "3b":
			return "must not hold an encoded ; (%3b), at any depth of encoding"
		}
	}
	return ""
}
