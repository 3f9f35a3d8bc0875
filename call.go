package coupang

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// Response is the metadata of Coupang's answer to the final attempt of a call,
// filled by WithResponse.
type Response struct {
	// StatusCode is the HTTP status.
	StatusCode int
	// Header holds the answer's HTTP headers.
	Header http.Header
	// Code and Message are Coupang's envelope code and message, as sent.
	Code, Message string
	// TransactionID is Coupang's transactionId, what its support asks for.
	TransactionID string
	// NextToken is the envelope's nextToken, for paged listings.
	NextToken string
	// NextPageIndex is the envelope's nextPageIndex, for the listings that
	// page by index (the return withdrawal history); set by Do and DoAll.
	NextPageIndex string
}

// WithResponse fills *r with the metadata of the call's final answer, on
// success as on failure (zero when no answer arrived, also when the call was
// refused before sending). It is the way to
// keep the transactionId of a successful write. Only for one call.
func WithResponse(r *Response) CallOption {
	if r != nil {
		// Zeroed now, not only when the call is made: a call refused before
		// its options are applied (invalid input) must not leave a reused
		// Response holding the previous call's answer.
		*r = Response{}
	}
	return callOption(func(c *Client) error {
		if r == nil {
			return invalid("response", "must not be nil")
		}
		c.response = r
		return nil
	})
}

// WithExtendedTimeout asks Coupang's gateway to wait up to d for the call
// instead of its default 3 seconds, by sending X-EXTENDED-TIMEOUT in
// milliseconds. Use it for slow listings of wide ranges. On a client it
// applies to every call. The attempt's own deadline (WithAttemptTimeout) is
// raised to d plus 5 seconds when that is longer. Coupang notes that heavy
// use of extended timeouts can itself draw 429s.
func WithExtendedTimeout(d time.Duration) CommonOption {
	return common(func(c *Client) error {
		// Under 1ms would be sent as "0": the header is in whole milliseconds.
		if d < time.Millisecond || d > 10*time.Minute {
			return invalid("extendedTimeout", "must be between 1ms and 10m, got %v", d)
		}
		c.extendedTimeout = d
		return nil
	})
}

// forCall returns the client to make one call with: c itself when there are
// no options, else a copy with the options applied. The copy shares c's
// limiter, HTTP client and keys, so the call stays within the vendor budget.
func (c *Client) forCall(opts []CallOption) (*Client, error) {
	if len(opts) == 0 {
		return c, nil
	}
	cp := *c
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt.applyToCall(&cp); err != nil {
			return nil, err
		}
	}
	return &cp, nil
}

// writeCall sends one write of a service with the call's options: method
// "" is the update method of the call's client (WithUpdateMethod), so that
// a per-call option wins, and target gives the path and its template (for
// an Observer, observer.go) from the call's client, so that a per-call
// version option wins too. A data.resultCode other than a success is an
// *APIError.
func (c *Client) writeCall(ctx context.Context, opts []CallOption, method string, target func(*Client) (path, route string), body any) error {
	cc, err := c.forCall(opts)
	if err != nil {
		return err
	}
	if method == "" {
		method = cc.updateMethod
	}
	payload, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("coupang: encoding the request: %w", err)
	}
	path, route := target(cc)
	var env envelope[writeResult]
	_, err = call(ctx, cc, &apiRequest{method: method, path: path, route: route, body: payload}, &env)
	return err
}
