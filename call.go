package coupang

import (
	"context"
	"encoding/json"
	"fmt"
)

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
