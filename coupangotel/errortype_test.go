package coupangotel_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangotel"
)

// timeoutError is a net.Error that timed out.
type timeoutError struct{}

func (timeoutError) Error() string   { return "i/o timeout" }
func (timeoutError) Timeout() bool   { return true }
func (timeoutError) Temporary() bool { return true }

func TestErrorType(t *testing.T) {
	dial := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	for _, tt := range []struct {
		err  error
		want string
	}{
		{nil, ""},
		{&coupang.ValidationError{Field: "x", Reason: "y"}, "coupang.validation"},
		{&coupang.PauseError{Kind: coupang.OutcomeBlocked}, "coupang.blocked"},
		{fmt.Errorf("waiting: %w", &coupang.PauseError{Kind: coupang.OutcomeThrottled}), "coupang.paused"},
		{&coupang.APIError{StatusCode: 429}, "429"},
		{&coupang.APIError{StatusCode: 302}, "302"},
		{fmt.Errorf("%w (%w)", &coupang.APIError{StatusCode: 503}, context.DeadlineExceeded), "503"},
		{&coupang.APIError{StatusCode: 200, ResultCode: "FAIL"}, "coupang.business_failure"},
		{&coupang.PageError{Records: []*coupang.RecordError{{ExchangeID: 1}}}, "coupang.record_errors"},
		{fmt.Errorf("x: %w", coupang.ErrPagingLoop), "coupang.paging_loop"},
		{fmt.Errorf("exchange 400000001: %w", coupang.ErrNotApplicable), "coupang.not_applicable"},
		{fmt.Errorf("x: %w", coupang.ErrNotReady), "coupang.not_ready"},
		{fmt.Errorf("exchange 400000001 of order 2: %w", coupang.ErrNotFound), "coupang.not_found"},
		{fmt.Errorf("x: %w", coupang.ErrResponseTooLarge), "coupang.response_too_large"},
		{coupang.ErrPassInProgress, "coupang.pass_in_progress"},
		{&coupang.RequestError{Err: context.DeadlineExceeded}, "timeout"},
		{context.Canceled, "canceled"},
		{&coupang.RequestError{Err: &url.Error{Op: "Get", URL: "http://x/400000001", Err: timeoutError{}}}, "timeout"},
		{&coupang.RequestError{Err: &url.Error{Op: "Get", URL: "http://x/400000001", Err: dial}}, "*net.OpError"},
		{&coupang.RequestError{Err: fmt.Errorf("decoding the response: %w", errors.New("bad"))}, "*errors.errorString"},
	} {
		assert.Equal(t, tt.want, coupangotel.ErrorType(tt.err), "%v", tt.err)
	}
}
