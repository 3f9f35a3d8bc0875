package coupang

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// This file keeps personal data and secrets out of logs and printed values.
//
// Coupang's exchange records hold customers' names, addresses, phone and safe
// numbers, delivery memos and the customer's own words. Code that logs "the
// exchange" while debugging must not copy any of it into log storage,
// whatever it logs: one exchange, a change from Changes, a slice of them, a
// map holding one, a pointer, through fmt (every verb) or slog (text or
// JSON handler).
//
// How: redaction by construction. Every field that holds personal data has
// the type PersonalText (and the struct tag `coupang:"personal"`, which the
// tests walk), and PersonalText itself never prints or logs its text: String,
// Format (every verb, %#v included), LogValue, MarshalJSON and MarshalText
// all give "[redacted]" ("" for empty text). Whatever holds a PersonalText —
// any struct, slice, map or pointer, ours or the caller's — is printed field
// by field by fmt and encoding/json, which reach the field's methods, so
// nothing has to be remembered on the containers. The options weighed:
//
//   - LogValue and Format on each model type (what 0.1.0 did) cover a value
//     logged on its own, but slog's JSON handler serialises everything that
//     is not itself a LogValuer with encoding/json: a []ExchangeRequest, a
//     map holding one and an ExchangeChange were printed in full, and every
//     new container type had to remember the methods.
//   - MarshalJSON on each model type would fix slog's JSON handler for
//     slices and maps, but it would also take the data away from everyone
//     who stores records with encoding/json, and it leaves the other
//     encoders (and fields added later to a type) to chance.
//   - A redacting text type is one small type whose behaviour the field
//     carries wherever it goes. Its cost: reading the text takes
//     string(t), on purpose. Storage keeps the data: MarshalExchange and
//     UnmarshalExchange use the json/v2 engine with their own marshalers for
//     PersonalText, which take precedence over the type's methods and write
//     and read the real text; only encoders that know nothing of it
//     (encoding/json, json/v2 without those options, slog) see
//     "[redacted]".
//
// What it cannot cover: fmt prints a caller's unexported struct field by
// reflection, without calling its methods, so a record kept in an unexported
// field of the caller's own type prints in full with %v. Log such a struct
// through a LogValue of its own.
//
// One gap in fmt needs the containers after all: for a verb that does not
// fit a pointer (%s or %q of a []*DeliveryInvoiceGroup, say), fmt prints
// "%!s(*T=…)" and, while it does, calls no method of anything inside: the
// text would print raw. So every type that holds a PersonalText, directly or
// nested, has a Format method of its own (TestPersonalDataNeverPrintedOrLogged
// walks them all). ExchangeRequest, ExchangeAddress, CollectInformation,
// ExchangeReturnDestination, ReturnRequest and ReturnItem print and log ids,
// statuses, the reason code and times only: shorter, and the same in every
// handler; ExchangePage's and ReturnPage's LogValue list their records that
// way, since a []ExchangeRequest is not a LogValuer itself.
// DeliveryInvoiceGroup, ExchangeChange, ExchangePage, ReturnChange and
// ReturnPage print their fields, each redacting itself (formatFields); the
// return types' methods are in return_redact.go.

// redactedText is what a non-empty PersonalText prints as.
const redactedText = "[redacted]"

// PersonalText is text that is personal data: a name, an address, a phone or
// safe number, a zip code, a memo or a customer's own words. It holds the
// text unchanged — string(t) is the text, for code that needs it — but it
// never prints, logs or serialises it by itself: String, every fmt verb,
// slog, encoding/json and encoding.TextMarshaler give "[redacted]" ("" when
// the text is empty, so that a missing value still shows). MarshalExchange
// and UnmarshalExchange (MarshalReturn and UnmarshalReturn for returns) write
// and read the real text, for storage.
type PersonalText string

func (t PersonalText) redacted() string {
	if t == "" {
		return ""
	}
	return redactedText
}

// String returns "[redacted]", or "" for empty text; string(t) is the text.
func (t PersonalText) String() string { return t.redacted() }

// GoString is String quoted, so %#v shows a redacted Go string.
func (t PersonalText) GoString() string { return strconv.Quote(t.redacted()) }

// Format prints String for every verb (quoted for %q and %#v), so that no
// verb (%x, %d, …) prints the text.
func (t PersonalText) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		verb = 'q'
	}
	formatRedacted(f, verb, t.redacted())
}

// LogValue logs "[redacted]", or "" for empty text.
func (t PersonalText) LogValue() slog.Value { return slog.StringValue(t.redacted()) }

// MarshalJSON writes "[redacted]", or "" for empty text: encoding/json is
// what slog's JSON handler uses for structs, slices and maps. MarshalExchange
// writes the text itself.
func (t PersonalText) MarshalJSON() ([]byte, error) { return []byte(strconv.Quote(t.redacted())), nil }

// MarshalText writes "[redacted]", or nothing for empty text, for encoders
// that use encoding.TextMarshaler (map keys in encoding/json, slog's text
// handler, others).
func (t PersonalText) MarshalText() ([]byte, error) { return []byte(t.redacted()), nil }

// redactedNote ends every redacted rendering, so a reader knows fields are
// missing on purpose.
const redactedNote = "personal data redacted"

// attrsString renders attrs as name{key: value, …, personal data redacted}.
func attrsString(name string, attrs []slog.Attr) string {
	var b strings.Builder
	b.WriteString(name)
	b.WriteByte('{')
	for _, a := range attrs {
		b.WriteString(a.Key)
		b.WriteString(": ")
		writeAttrValue(&b, a.Value)
		b.WriteString(", ")
	}
	b.WriteString(redactedNote)
	b.WriteByte('}')
	return b.String()
}

func writeAttrValue(b *strings.Builder, v slog.Value) {
	switch v.Kind() {
	case slog.KindTime:
		b.WriteString(formatWireTime(v.Time()))
	case slog.KindGroup:
		b.WriteByte('{')
		for i, a := range v.Group() {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(a.Key + ": ")
			writeAttrValue(b, a.Value)
		}
		b.WriteByte('}')
	case slog.KindString:
		b.WriteString(strconv.Quote(v.String()))
	default:
		b.WriteString(v.String())
	}
}

// formatRedacted serves fmt.Formatter for every redacting type: all verbs
// print the same redacted text, %q quoted.
func formatRedacted(f fmt.State, verb rune, s string) {
	if verb == 'q' {
		s = strconv.Quote(s)
	}
	_, _ = f.Write([]byte(s))
}

// formatFields serves fmt.Formatter for a type whose fields are safe to print
// one by one (its personal data is PersonalText): plain is the value
// converted to a method-less copy of its type, printed with %v, or %+v when
// the + flag is set, whatever the verb, so that fmt never takes its bad-verb
// path, which skips the fields' methods. %#v is name followed by the %+v
// form; %q quotes it.
func formatFields(f fmt.State, verb rune, name string, plain any) {
	var s string
	switch {
	case verb == 'v' && f.Flag('#'):
		s = name + fmt.Sprintf("%+v", plain)
	case f.Flag('+'):
		s = fmt.Sprintf("%+v", plain)
	default:
		s = fmt.Sprintf("%v", plain)
	}
	formatRedacted(f, verb, s)
}

// timeAttr is an attribute for t in Korea time, or nothing for the zero time.
func timeAttr(key string, t time.Time) []slog.Attr {
	if t.IsZero() {
		return nil
	}
	return []slog.Attr{slog.Time(key, t.In(kst))}
}

func stringAttr(key, v string) []slog.Attr {
	if v == "" {
		return nil
	}
	return []slog.Attr{slog.String(key, v)}
}

// ---- ExchangeRequest ----

// ---- ExchangeAddress ----

// ---- ExchangeReturnDestination ----

// ---- CollectInformation ----

// ---- DeliveryInvoiceGroup ----

// ---- ExchangeChange ----

// ---- ExchangePage ----

// redactedRecord is a model that renders itself without personal data.
type redactedRecord interface {
	safeAttrs() []slog.Attr
	String() string
}

// redactedList marshals as a JSON array of redacted records (exchanges,
// returns), for slog's JSON handler, and prints as their Strings.
type redactedList[R redactedRecord] []R

// MarshalJSON writes each record's LogValue attributes as an object.
func (l redactedList[R]) MarshalJSON() ([]byte, error) {
	var b strings.Builder
	b.WriteByte('[')
	for i, ex := range l {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('{')
		for j, a := range ex.safeAttrs() {
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Quote(a.Key))
			b.WriteByte(':')
			switch a.Value.Kind() {
			case slog.KindInt64, slog.KindBool:
				b.WriteString(a.Value.String())
			case slog.KindTime:
				b.WriteString(strconv.Quote(a.Value.Time().Format(time.RFC3339)))
			default:
				b.WriteString(strconv.Quote(a.Value.String()))
			}
		}
		b.WriteByte('}')
	}
	b.WriteByte(']')
	return []byte(b.String()), nil
}

// String lists the redacted records.
func (l redactedList[R]) String() string {
	parts := make([]string, len(l))
	for i, ex := range l {
		parts[i] = ex.String()
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// ---- APIError ----

// LogValue logs everything Error says, field by field, and never Body: an
// error page may echo what was sent.
func (e APIError) LogValue() slog.Value {
	attrs := []slog.Attr{slog.Int("status", e.StatusCode)}
	attrs = append(attrs, stringAttr("code", e.Code)...)
	attrs = append(attrs, stringAttr("message", e.Message)...)
	attrs = append(attrs, stringAttr("resultCode", e.ResultCode)...)
	attrs = append(attrs, stringAttr("transactionId", e.TransactionID)...)
	attrs = append(attrs, stringAttr("method", e.Method)...)
	attrs = append(attrs, stringAttr("path", e.Path)...)
	attrs = append(attrs, stringAttr("location", e.Location)...)
	if e.RetryAfter > 0 {
		attrs = append(attrs, slog.Duration("retryAfter", e.RetryAfter))
	}
	attrs = append(attrs, slog.Int("attempts", e.Attempts), slog.Bool("outcomeUnknown", e.OutcomeUnknown))
	return slog.GroupValue(attrs...)
}

// Format prints Error for every verb, and for %#v a Go-syntax form of the
// fields with Body left out (only its length is shown): fmt would otherwise
// dump Body for %#v and for verbs such as %d.
//
// The methods have value receivers so that an APIError value, not only a
// pointer, is redacted too.
func (e APIError) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		_, _ = f.Write([]byte(e.GoString()))
		return
	}
	formatRedacted(f, verb, e.Error())
}

// GoString is a Go-syntax form of e without Body.
func (e APIError) GoString() string {
	return fmt.Sprintf("coupang.APIError{StatusCode:%d, Code:%q, Message:%q, ResultCode:%q, TransactionID:%q, "+
		"Body:<%d bytes redacted>, Method:%q, Path:%q, Location:%q, RetryAfter:%d, Attempts:%d, OutcomeUnknown:%t}",
		e.StatusCode, e.Code, e.Message, e.ResultCode, e.TransactionID, len(e.Body), e.Method, e.Path,
		e.Location, e.RetryAfter, e.Attempts, e.OutcomeUnknown)
}

// ---- URLs ----

// withoutLocation replaces net/http's error for a redirect whose Location it
// cannot parse: that error quotes the Location twice, user info and all.
func withoutLocation(err error) error {
	if err != nil && strings.HasPrefix(err.Error(), "failed to parse Location header") {
		return errors.New("failed to parse the Location header of a redirect (not quoted: it may hold a password)")
	}
	return err
}

// withoutUserInfo writes u without its user info (user:password@), which
// must never reach an error message or a log.
func withoutUserInfo(u *url.URL) string {
	cp := *u
	cp.User = nil
	return cp.String()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
