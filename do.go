package coupang

import (
	"context"
	"encoding/json"
	"errors"
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
// must not hold a query, a fragment, "." or ".." segments, a ";" (a path
// parameter), empty segments (//), or an escape of ".", "/", "\" or ";"
// (%2e, %252e…), control characters or bytes that are not UTF-8 (overlong
// forms such as %c0%ae) at any depth of percent-decoding. query is encoded
// once (keys sorted) and that exact string is both sent and signed. body is
// encoded as JSON; nil sends no body.
//
// out (nil or a non-nil pointer) receives the answer's data: a
// *json.RawMessage gets it as sent, a nil out discards it, any other pointer
// gets it decoded with encoding/json when its shape fits: an array into a
// slice (*[]T), an object into a struct or map, a string, number or boolean
// into a scalar, anything into a type with its own UnmarshalJSON (Money,
// Time) or an interface. An object into a slice becomes its one element, and
// an array of exactly one object into a struct is that object (Coupang sends
// both shapes for some endpoints). Data that is null or absent, and an answer
// with no body at all (204 No Content, or an empty 2xx, to a write too),
// leave out as it was: the call succeeded with no data. An answer that is a
// bare JSON array with no envelope (settlement histories) is the data
// itself. Other shapes that do not fit out are a *RequestError naming both
// shapes, never the values, returned with the Response of that success: the
// call itself, a write included, was applied; fix out rather than sending the
// write again.
//
// A 2xx answer whose envelope code is not a success, or whose data holds a
// resultCode other than a success, is an *APIError, as for the exchange
// calls; so is data that is itself an answer, holding only code and message
// (the return actions' answers nest them next to resultCode), with a code
// other than a success and no resultCode, as an unknown outcome. An answer listing per-item results (data.responseList[] with
// succeed, resultCode, resultMessage and retryRequired, the shape of the
// order-sheet batch calls such as the waybill upload) in which any item
// failed is a *BatchError, which lists each failed and succeeded item; out is
// still filled. See BatchError for the shapes recognised.
//
// GET and HEAD are retried on transient failures; writes (POST, PUT, PATCH,
// DELETE) only when they certainly did not reach Coupang (see WithMaxRetries),
// otherwise they fail with an error matching ErrOutcomeUnknown — after a 429
// too, unless WithRetryWritesOn429(true): read the state back before sending
// such a write again.
//
// The returned *Response holds the metadata of the final answer, also with an
// error when an answer arrived; it is nil when none did. Invalid input is a
// *ValidationError, returned before anything is sent. To page a listing, use
// DoAll.
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
	if cc.pageIndexParam != "" {
		return nil, invalid("pageIndex", "WithPageIndex applies to DoAll, which follows the pages; Do makes one call")
	}
	var env envelope[doData]
	req := &apiRequest{method: m, path: path, query: query.Encode(), body: payload}
	resp, err := call(ctx, cc, req, &env)
	if err != nil {
		return resp, err
	}
	var outErr error
	if err := decodeData(&env.Data, out); err != nil {
		// The call itself succeeded, a write included: only out is wrong.
		outErr = &RequestError{Method: m, Path: path, Attempts: 1, Err: err}
	}
	if batch, ok := recogniseBatch(env.Data.raw); ok && batch.failed() {
		if outErr != nil {
			return resp, errors.Join(batch.asError(m, path, resp), outErr)
		}
		return resp, batch.asError(m, path, resp)
	}
	return resp, outErr
}

// call is the one path every request takes: pacing, signing, retries and
// error mapping in send, then the final answer's metadata for the caller and
// for WithResponse.
func call[T any](ctx context.Context, c *Client, req *apiRequest, out *envelope[T]) (*Response, error) {
	err := send(ctx, c, req, out)
	resp := req.answer
	if d, ok := any(&out.Data).(*doData); ok && resp != nil && err == nil {
		resp.NextPageIndex = d.nextPageIndex
	}
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

// quietError hides the text of an error that may quote personal data, and
// keeps it for errors.Is, errors.As and errors.Unwrap.
type quietError struct{ err error }

func (e quietError) Error() string {
	return "the data does not fit (the decoder's message is not shown: it may quote personal data)"
}

func (e quietError) Unwrap() error { return e.err }
