package coupang

import (
	"time"

	"github.com/go-coupang/coupang/internal/jsondec"
)

// Coupang's documented limits and the bounds this package keeps, in one place:
// each says where it comes from.

// Limits of the list call.
const (
	// MaxListWindow is the longest createdAt range one List call may ask for.
	// All splits longer ranges into windows of this length.
	MaxListWindow = 7 * 24 * time.Hour
	// DefaultMaxPerPage is what List asks for when MaxPerPage is 0: Coupang's
	// own default of 10 would cost five times the calls against a budget of
	// five requests a second.
	DefaultMaxPerPage = 50
	// MaxPageSize is the largest page size (MaxPerPage) List accepts.
	// Coupang does not document a maximum; 50 is what every known client uses.
	MaxPageSize = 50
)

// MaxInvoiceNumberLength is the longest waybill number UploadInvoices
// accepts. Korean couriers use 10 to 14 digits (CJ대한통운, 한진 and 롯데 10 or
// 12, 로젠 11, 우체국 13) and international ones up to about 30 letters and
// digits (EMS "EE123456789KR", UPS "1Z…"); 64 leaves room for any of them and
// refuses pasted garbage.
const MaxInvoiceNumberLength = 64

// Bounds of list times: Coupang's data starts after 2010, and a year outside
// 2000–2099 is a bug in the caller (a zero date, a year of 10000, a Unix time
// read as milliseconds), not a range to page through.
const (
	minListYear = 2000
	maxListYear = 2099
)

// DefaultMaxListRange is the longest createdAt range All accepts unless the
// client was made WithMaxListRange. A year of exchanges is 53 windows of 7
// days, about 11 seconds of calls at the default pace; ten years would be 522
// calls and almost two minutes. 366 days lets any calendar year through.
const DefaultMaxListRange = 366 * 24 * time.Hour

// maxNextTokenLength bounds a paging token, passed in or followed by All:
// Coupang's are page numbers or short opaque strings.
const maxNextTokenLength = 4 << 10

// DefaultMaxResponseSize bounds the body of a successful answer, after
// decompression, unless WithMaxResponseSize says otherwise. A full page of 50
// exchanges is about 0.2 MiB; 32 MiB is far above any real answer and keeps a
// broken or hostile server from exhausting memory.
const DefaultMaxResponseSize = 32 << 20

// MaxRecordsPerPage bounds the records of one list answer. Coupang sends at
// most MaxPageSize; an answer with more is not Coupang's (a broken proxy, a
// hostile server), and every record costs about a kilobyte decoded even when
// it is 2 bytes of JSON ({}), so a compressed answer of a few kilobytes could
// otherwise become gigabytes. A larger answer fails the call with an error
// matching ErrResponseTooLarge, like a body over the byte limit: not retried
// (the same answer would come again), and none of the page's records is
// delivered, since a cut page would silently lose the rest.
const MaxRecordsPerPage = jsondec.MaxRecords

// Versions of the return API that the options below accept.
const (
	// ReturnListVersionV6 is the current version of the list and single
	// query (money objects, times with offsets), the default.
	ReturnListVersionV6 = "v6"
	// ReturnListVersionV4 is the version before 2025-07 (plain numbers,
	// Korea times), which Coupang still serves.
	ReturnListVersionV4 = "v4"
	// ReturnActionVersionV4 is the version the pages of ConfirmReceipt and
	// Approve print, the default.
	ReturnActionVersionV4 = "v4"
	// ReturnActionVersionV5 is the version Coupang's 2025-06 notice gives
	// for the two; its body is not documented and is assumed the same.
	ReturnActionVersionV5 = "v5"
)
