package coupang

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	jsonv1 "github.com/go-json-experiment/json/v1"
)

// Do calls any endpoint of Coupang's Open API through the client's pacing,
// signing, retries, logging and error mapping: the same path the exchange
// calls take, so that calls made with Do share the vendor's budget with them.
//
// path is from the API root, such as
// "/v2/providers/openapi/apis/api/v4/vendors/A00012345/returnRequests"; it
// must not hold a query, a fragment, "." or ".." segments (encoded or not),
// encoded slashes or empty segments (//). query is encoded once
// (keys sorted) and that exact string is both sent and signed. body is
// encoded as JSON; nil sends no body. out (nil or a non-nil pointer) receives
// the envelope's data: a *json.RawMessage gets it as sent, any other pointer
// gets it decoded with encoding/json, and a nil out discards it.
//
// A 2xx answer whose envelope code is not a success, or whose data holds a
// resultCode other than a success, is an *APIError, as for the exchange calls.
// GET and HEAD are retried on transient failures; writes (POST, PUT, PATCH,
// DELETE) only when they certainly did not reach Coupang (see WithMaxRetries),
// otherwise they fail with an error matching ErrOutcomeUnknown.
//
// The returned *Response holds the metadata of the final answer, also with an
// error when an answer arrived; it is nil when none did. A success whose data
// does not fit out is a *RequestError returned with the Response of that
// success: the call itself, a write included, was applied; fix out rather
// than sending the write again. Invalid input is a
// *ValidationError, returned before anything is sent.
//
// Endpoint: the method and path given, at the client's base URL (the WING
// Open API gateway, https://api-gateway.coupang.com, unless WithBaseURL says
// otherwise).
func (c *Client) Do(ctx context.Context, method, path string, query url.Values, body, out any, opts ...CallOption) (_ *Response, err error) {
	ctx, observed := c.observeCall(ctx, opDo)
	defer func() { observed(err) }()
	m, err := checkMethod(method)
	if err != nil {
		return nil, err
	}
	if err := checkPath(path); err != nil {
		return nil, err
	}
	var payload []byte
	if body != nil {
		if m == http.MethodGet || m == http.MethodHead {
			return nil, invalid("body", "%s sends no body; pass nil", m)
		}
		if payload, err = json.Marshal(body); err != nil {
			return nil, invalid("body", "cannot be encoded as JSON: %v", err)
		}
		if err := checkBodyUTF8(body); err != nil {
			return nil, err
		}
	}
	if err := checkOut(out); err != nil {
		return nil, err
	}
	cc, err := c.forCall(opts)
	if err != nil {
		return nil, err
	}
	var env envelope[rawData]
	req := &apiRequest{method: m, path: path, query: query.Encode(), body: payload}
	resp, err := call(ctx, cc, req, &env)
	if err != nil {
		return resp, err
	}
	if err := decodeData(env.Data, out); err != nil {
		// The call itself succeeded, a write included: only out is wrong.
		return resp, &RequestError{Method: m, Path: path, Attempts: 1, Err: err}
	}
	return resp, nil
}

// call is the one path every request takes: pacing, signing, retries and
// error mapping in send, then the final answer's metadata for the caller and
// for WithResponse.
func call[T any](ctx context.Context, c *Client, req *apiRequest, out *envelope[T]) (*Response, error) {
	err := send(ctx, c, req, out)
	resp := req.answer
	if c.response != nil {
		if resp != nil {
			*c.response = *resp
		} else {
			*c.response = Response{}
		}
	}
	return resp, err
}

// checkBodyUTF8 refuses a body holding invalid UTF-8, which encoding/json
// silently replaces with U+FFFD: what would be sent is not what was given
// (a waybill number, a reply to a customer). The json/v2 engine with
// encoding/json's options otherwise encodes exactly as encoding/json does,
// but reports invalid UTF-8 instead of replacing it.
func checkBodyUTF8(body any) error {
	_, err := jsonv2.Marshal(body, jsonv1.DefaultOptionsV1(), jsontext.AllowInvalidUTF8(false))
	if err != nil && strings.Contains(err.Error(), "invalid UTF-8") {
		return invalid("body", "holds invalid UTF-8, which JSON encoding would replace with U+FFFD; send valid UTF-8")
	}
	return nil
}

// checkOut refuses an out that could never receive data, before sending: a
// write would otherwise be applied and then reported as failed.
func checkOut(out any) error {
	if out == nil {
		return nil
	}
	v := reflect.ValueOf(out)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return invalid("out", "must be nil or a non-nil pointer, got %T", out)
	}
	return nil
}

// checkMethod accepts the methods Coupang's Open API uses.
func checkMethod(method string) (string, error) {
	m := strings.ToUpper(method)
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		return m, nil
	}
	return "", invalid("method", "must be GET, HEAD, POST, PUT, PATCH or DELETE, got %q", method)
}

// checkPath refuses paths that would not be sent as given: the signature
// covers the path as sent, so a query, a fragment or a ".." segment (which
// a proxy may resolve) would at best fail the signature and at worst reach
// another endpoint than the caller meant.
func checkPath(path string) error {
	switch {
	case !strings.HasPrefix(path, "/"):
		return invalid("path", "must start with / (from the API root, such as /v2/providers/...), got %q", path)
	case strings.ContainsAny(path, "?#"):
		return invalid("path", "must not hold a query or a fragment: pass the query in query, got %q", path)
	case strings.IndexFunc(path, func(r rune) bool { return r <= ' ' || r == 0x7f }) >= 0:
		return invalid("path", "must not hold spaces or control characters, got %q", path)
	}
	if _, err := url.ParseRequestURI(path); err != nil {
		return invalid("path", "not a valid URL path: %q", path)
	}
	// A proxy or gateway may decode %2e and %2f before it routes, so the
	// checks below apply to each segment as decoded too: "/%2e%2e/" is "..".
	segs := strings.Split(path, "/")
	for i, seg := range segs {
		dec, err := url.PathUnescape(seg)
		if err != nil {
			return invalid("path", "not a valid URL path: %q", path)
		}
		switch {
		case dec == "." || dec == "..":
			return invalid("path", "must not hold . or .. segments, encoded or not, got %q", path)
		case strings.IndexFunc(dec, func(r rune) bool { return r < ' ' || r == 0x7f }) >= 0:
			return invalid("path", "must not hold encoded control characters (%%00, %%0A…), got %q", path)
		case strings.ContainsAny(dec, "/\\"):
			return invalid("path", "must not hold an encoded / or a \\ in a segment, got %q", path)
		case dec == "" && i > 0 && i < len(segs)-1:
			return invalid("path", "must not hold empty segments (//), got %q", path)
		}
	}
	return nil
}

// rawData is the envelope's data kept as sent, for Do. It carries the
// business-failure check of the write calls: data that is an object with a
// resultCode other than a success makes the call fail.
type rawData []byte

// UnmarshalJSON keeps a copy of the raw value.
func (d *rawData) UnmarshalJSON(b []byte) error {
	*d = append((*d)[:0], b...)
	return nil
}

func (d *rawData) result() (string, string) {
	var w writeResult
	if err := w.UnmarshalJSON(*d); err != nil {
		return "", ""
	}
	return w.result()
}

// decodeData stores data in out, as Do documents.
func decodeData(data rawData, out any) error {
	switch o := out.(type) {
	case nil:
		return nil
	case *json.RawMessage:
		*o = append((*o)[:0], data...)
		return nil
	}
	if len(data) == 0 {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			// Name the field, never the value: data may hold personal data,
			// and encoding/json quotes numbers.
			kind, _, _ := strings.Cut(te.Value, " ")
			return fmt.Errorf("decoding data into %T: field %q: cannot decode a JSON %s into %v", out, te.Field, kind, te.Type)
		}
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return fmt.Errorf("decoding data into %T: %w", out, err)
		}
		// Other errors (time.Time's, a ",string" field's, most
		// UnmarshalJSON methods') quote the value: keep the cause
		// reachable through errors.Unwrap but out of the text.
		return fmt.Errorf("decoding data into %T: %w", out, quietError{err})
	}
	return nil
}

// quietError hides the text of an error that may quote personal data, and
// keeps it for errors.Is, errors.As and errors.Unwrap.
type quietError struct{ err error }

func (e quietError) Error() string {
	return "the data does not fit (the decoder's message is not shown: it may quote personal data)"
}

func (e quietError) Unwrap() error { return e.err }
