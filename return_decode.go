package coupang

import (
	"fmt"
	"io"
	"strings"

	"github.com/go-json-experiment/json"
)

// Public decoding and encoding of Coupang's return JSON, with the same
// tolerance as the client's own calls (decode.go).

// DecodeReturnPage decodes a whole return list answer as Coupang sends it
// (the envelope with code, message, data and nextToken), v4 or v6, for
// pages stored raw and replayed. As List: an envelope reporting a failure
// gives an *APIError, and records that cannot be decoded give the page of
// the others together with a *PageError. r is read up to
// DefaultMaxResponseSize bytes.
func DecodeReturnPage(r io.Reader) (*ReturnPage, error) {
	var env envelope[recordList[ReturnRequest]]
	if err := decodeBody(r, DefaultMaxResponseSize, &env); err != nil {
		return nil, fmt.Errorf("coupang: decoding a return page: %w", err)
	}
	if apiErr := env.check(200); apiErr != nil {
		return nil, apiErr
	}
	return returnPage(&env)
}

// UnmarshalReturn decodes one return request (one element of a list
// answer's data), v4 or v6, with every tolerance of the client: money as a
// number or as {currencyCode, units, nanos}, times with or without an
// offset, ids as numbers or numeric strings, "" or null for absent. A field
// that still cannot be decoded gives a *RecordError naming it (never its
// value).
func UnmarshalReturn(data []byte, r *ReturnRequest) error {
	return unmarshalRecord(data, r, "a return")
}

// MarshalReturn encodes r as Coupang writes it: times as
// "2006-01-02T15:04:05" in Korea time (null when zero; a fraction of a
// second, which v6 times carry, after a dot), ids as JSON numbers, money as
// in the answer it came from (a plain number for v4 amounts, an object for
// v6 ones), personal data as its text (for storage: PersonalText's own
// encodings redact it). UnmarshalReturn reads it back to an equal value.
func MarshalReturn(r ReturnRequest) ([]byte, error) {
	return json.Marshal(r, returnEncodeOptions)
}

// returnEncodeOptions are encodeOptions keeping fractions of a second:
// PersonalText as its text (its own MarshalJSON redacts, for logs; this is
// for storage).
var returnEncodeOptions = storageOptions(wireTimeLayout + ".999999999")

// returnPage is the page of a decoded return list answer, with a
// *PageError when some records could not be decoded.
func returnPage(env *envelope[recordList[ReturnRequest]]) (*ReturnPage, error) {
	page := &ReturnPage{Items: env.Data.items, NextToken: strings.TrimSpace(env.NextToken), TransactionID: env.TransactionID, bad: env.Data.bad}
	return page, env.Data.pageError()
}
