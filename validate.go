package coupang

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-coupang/coupang/internal/courier"
)

// This file holds every check of input that is sent to Coupang. Each refusal
// is a *ValidationError returned before anything is sent. Input is refused,
// never rewritten: a waybill number silently "cleaned" would no longer be the
// one printed on the box.

// checkKey refuses an access or secret key that cannot be right: Coupang
// issues keys of ASCII letters, digits and dashes. The access key goes into
// the Authorization header, where a "," or a space would add or split fields
// (an access key holding ",signature=x"), and a key pasted with a
// non-breaking space or a newline fails every signature for reasons nobody
// can see. The key is never echoed: it may be the secret.
func checkKey(field, key string) error {
	if key == "" {
		return invalid(field, "must not be empty")
	}
	for i, r := range key {
		if r >= '!' && r <= '~' && r != ',' {
			continue
		}
		return invalid(field, "contains %s at byte %d; keys are printable ASCII without spaces or commas (pasted with a newline or a non-breaking space?)",
			describeRune(key, i, r), i)
	}
	return nil
}

// ValidateVendorID returns a *ValidationError unless id is a vendor id as
// NewClient accepts it: a letter A or C followed by digits, such as
// "A00012345". It is exported for packages that take a vendor id of their
// own (coupangredis keys its Redis state by it), so that they accept exactly
// the ids a client accepts.
func ValidateVendorID(id string) error { return checkVendorID(id) }

// checkVendorID accepts a letter A or C followed by digits.
func checkVendorID(id string) error {
	ok := len(id) >= 2 && (id[0] == 'A' || id[0] == 'C') && allDigits(id[1:])
	if !ok {
		return invalid("vendorID", "must be a letter A or C followed by digits, such as A00012345; got %.40q", id)
	}
	return nil
}

// checkCourierCode accepts capital letters, digits and underscores, at most
// 32: the shape of every code in Couriers. Codes outside the table are sent
// as given, since Coupang adds couriers.
func checkCourierCode(field, code string) error {
	if courier.WellFormed(code) {
		return nil
	}
	return invalid(field, "must be a courier code of capital letters, digits and underscores such as %q, got %.40q", CourierCJ, code)
}

// checkInvoiceNumber accepts a waybill number of ASCII letters, digits and
// "-", 1 to MaxInvoiceNumberLength characters. Full-width digits, spaces,
// invisible characters and invalid UTF-8 are refused, not cleaned up: what is
// uploaded must be what is printed on the label. The number is not echoed.
func checkInvoiceNumber(field, n string) error {
	if n == "" {
		return invalid(field, "must not be empty")
	}
	if len(n) > MaxInvoiceNumberLength {
		return invalid(field, "is %d bytes long; waybill numbers have at most %d characters", len(n), MaxInvoiceNumberLength)
	}
	for i, r := range n {
		if r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' {
			continue
		}
		return invalid(field, "contains %s at byte %d; waybill numbers are ASCII letters, digits and \"-\"", describeRune(n, i, r), i)
	}
	return nil
}

// checkStatus accepts a status filter Coupang may know: any text that
// passes checkWireText, without surrounding spaces (Coupang adds statuses, so
// the documented ones are not a closed set).
func checkStatus(field, s string) error {
	if len(s) > 64 {
		return invalid(field, "is %d bytes long; a status code is a short word such as %q", len(s), ExchangeStatusReceipt)
	}
	if strings.TrimSpace(s) != s {
		return invalid(field, "has surrounding spaces: %q", s)
	}
	return checkWireText(field, s)
}

// checkWireText refuses, in a free-form string that is sent (such as a paging
// token), what no honest value holds and what would be sent differently from
// how it reads: invalid UTF-8 (which JSON and URL encoders rewrite), control
// characters (NUL, ESC, newlines), Unicode spaces other than the ASCII space
// (NBSP, U+2028…), invisible formatting characters (zero-width, bidi
// overrides) and full-width forms.
func checkWireText(field, s string) error {
	for i, r := range s {
		if r == ' ' {
			continue
		}
		if r == utf8.RuneError || unicode.IsControl(r) || unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) ||
			isFullWidth(r) || !unicode.IsPrint(r) {
			return invalid(field, "contains %s at byte %d", describeRune(s, i, r), i)
		}
	}
	return nil
}

func isFullWidth(r rune) bool { return r >= 0xFF01 && r <= 0xFF60 || r >= 0xFFE0 && r <= 0xFFE6 }

// describeRune names the character r found at byte i of s, for an error that
// must not quote s itself.
func describeRune(s string, i int, r rune) string {
	switch {
	case r == utf8.RuneError:
		if _, size := utf8.DecodeRuneInString(s[i:]); size <= 1 {
			return "invalid UTF-8"
		}
		return "U+FFFD (the replacement character)"
	case r == 0:
		return "a NUL byte"
	case r == 0x1b:
		return "ESC (U+001B)"
	case r == ' ':
		return "a space"
	case r == ',':
		return "a comma"
	case unicode.IsControl(r):
		return fmt.Sprintf("a control character (U+%04X)", r)
	case unicode.IsSpace(r):
		return fmt.Sprintf("a Unicode space (U+%04X)", r)
	case unicode.Is(unicode.Cf, r):
		return fmt.Sprintf("an invisible formatting character such as a zero-width or bidi mark (U+%04X)", r)
	case r >= 0xFF10 && r <= 0xFF19:
		return fmt.Sprintf("a full-width digit (U+%04X): use ASCII digits", r)
	case isFullWidth(r):
		return fmt.Sprintf("a full-width character (U+%04X)", r)
	case r >= utf8.RuneSelf:
		return fmt.Sprintf("a non-ASCII character (U+%04X)", r)
	}
	return fmt.Sprintf("the character %q", r)
}

// validateRange checks the createdAt bounds common to List and All.
func validateRange(from, to time.Time) error {
	if from.IsZero() {
		return invalid("CreatedAtFrom", "is required")
	}
	if to.IsZero() {
		return invalid("CreatedAtTo", "is required")
	}
	if err := checkListYear("CreatedAtFrom", from); err != nil {
		return err
	}
	if err := checkListYear("CreatedAtTo", to); err != nil {
		return err
	}
	if to.Before(from) {
		return invalid("CreatedAtTo", "%s is before CreatedAtFrom %s", formatWireTime(to), formatWireTime(from))
	}
	return nil
}

func checkListYear(field string, t time.Time) error {
	if y := t.In(kst).Year(); y < minListYear || y > maxListYear {
		return invalid(field, "is in the year %d; list bounds must lie in %d–%d (Korea time)", y, minListYear, maxListYear)
	}
	return nil
}

// checkAllRange refuses an All range longer than limit, saying how to list
// further back: each call of All is one bounded piece of history.
func checkAllRange(from, to time.Time, limit time.Duration) error {
	if limit <= 0 || to.Sub(from) <= limit {
		return nil
	}
	return invalid("CreatedAtFrom", "the range %s to %s is %s long; All lists at most %s at a time (WithMaxListRange): "+
		"list the most recent part with CreatedAtFrom %s, then page further back by calling All again with the earlier part "+
		"(CreatedAtTo = the previous CreatedAtFrom), or raise the limit with WithMaxListRange",
		formatWireTime(from), formatWireTime(to), describeSpan(to.Sub(from)), describeSpan(limit), formatWireTime(to.Add(-limit)))
}

// describeSpan writes a window length in days, as Coupang's limit is given.
func describeSpan(d time.Duration) string {
	days := d / (24 * time.Hour)
	rest := d - days*24*time.Hour
	if rest == 0 {
		return fmt.Sprintf("%d days", days)
	}
	return fmt.Sprintf("%d days and %v", days, rest)
}
