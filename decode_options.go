package coupang

import (
	"errors"
	"reflect"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/go-coupang/coupang/internal/jsondec"
)

// The models' tolerance of reference §5, as json/v2 options built from the
// engine's unmarshalers (internal/jsondec). A record is decoded with
// fastOptions first, where strings, enums, integers and booleans take the
// engine's own path; only a record that fails there is decoded again with
// decodeOptions, which read the drifted forms (numbers in text, ids as
// strings, "Y" for true, [] for an object...). Both agree wherever the first
// succeeds. Types with their own UnmarshalJSON (Money) decode themselves.

// shapes are the unmarshalers both passes need: Coupang's times, the slices
// (whose growth is charged to the answer's budget, and which may arrive as
// one object) and the pickup items' two spellings of modifiedAt.
var shapes = []*json.Unmarshalers{
	json.UnmarshalFromFunc(jsondec.Time),
	json.UnmarshalFromFunc(decodeReturnDeliveryItem),
	jsondec.Slice[ExchangeItem](),
	jsondec.Slice[DeliveryInvoiceGroup](),
	jsondec.Slice[DeliveryInvoice](),
	jsondec.Slice[InvoiceVendorItem](),
	jsondec.Slice[ExchangeReturnDeliveryItem](),
	jsondec.Slice[ExchangeReturnDelivery](),
	jsondec.Slice[ReturnItem](),
	jsondec.Slice[ReturnDelivery](),
}

// fastOptions decode a well-formed record (see above).
var fastOptions = json.WithUnmarshalers(json.JoinUnmarshalers(shapes...))

// decodeOptions configure the engine for Coupang's answers: v1's leniency on
// the syntax (duplicate names, invalid UTF-8, case-insensitive names) and
// every tolerant unmarshaler.
var decodeOptions = json.JoinOptions(
	jsontext.AllowDuplicateNames(true),
	jsontext.AllowInvalidUTF8(true),
	json.MatchCaseInsensitiveNames(true),
	json.WithUnmarshalers(json.JoinUnmarshalers(append(shapes,
		json.UnmarshalFromFunc(jsondec.Int64),
		json.UnmarshalFromFunc(jsondec.Bool),
		json.UnmarshalFromFunc(jsondec.BoolPtr),
		jsondec.Object[ExchangeAddress](),
		jsondec.Object[CollectInformation](),
		jsondec.Object[ExchangeReturnDestination](),
		json.UnmarshalFromFunc(jsondec.Text),
	)...)),
)

// decodeReturnDeliveryItem reads moodifiedAt (the wire key) or modifiedAt.
func decodeReturnDeliveryItem(dec *jsontext.Decoder, v *ExchangeReturnDeliveryItem) error {
	if dec.PeekKind() != '{' {
		return errors.ErrUnsupported
	}
	var w struct {
		ExchangeReturnDeliveryItem `json:",inline"`
		ModifiedAtFixed            time.Time `json:"modifiedAt"`
	}
	if err := jsondec.Charge(dec, int64(reflect.TypeOf(w).Size())); err != nil {
		return err // w escapes to the heap: charged like an element
	}
	err := json.UnmarshalDecode(dec, &w)
	*v = w.ExchangeReturnDeliveryItem
	if v.ModifiedAt.IsZero() {
		v.ModifiedAt = w.ModifiedAtFixed
	}
	return err
}

// unmarshalTolerant decodes a small JSON document, such as an error body,
// with the client's tolerance (numbers in text fields and the like).
func unmarshalTolerant(data []byte, v any) error {
	return json.Unmarshal(data, v, decodeOptions)
}
