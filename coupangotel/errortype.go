package coupangotel

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-coupang/coupang"
)

// errorType is error.type for err: a low-cardinality class, never the
// error's text (which may name an exchange). "" for nil.
func errorType(err error) string {
	if err == nil {
		return ""
	}
	var (
		validation *coupang.ValidationError
		pause      *coupang.PauseError
		apiErr     *coupang.APIError
		recErr     *coupang.RecordError
		netErr     net.Error
	)
	switch {
	case errors.As(err, &validation):
		return "coupang.validation"
	case errors.As(err, &pause):
		if pause.Kind == coupang.OutcomeBlocked {
			return "coupang.blocked"
		}
		return "coupang.paused"
	case errors.As(err, &apiErr):
		if apiErr.StatusCode < 200 || apiErr.StatusCode > 299 {
			return strconv.Itoa(apiErr.StatusCode)
		}
		return "coupang.business_failure"
	case errors.As(err, &recErr):
		return "coupang.record_errors"
	}
	for _, s := range []struct {
		err  error
		name string
	}{
		{coupang.ErrPagingLoop, "coupang.paging_loop"},
		{coupang.ErrNotApplicable, "coupang.not_applicable"},
		{coupang.ErrNotReady, "coupang.not_ready"},
		{coupang.ErrNotFound, "coupang.not_found"},
		{coupang.ErrResponseTooLarge, "coupang.response_too_large"},
		{coupang.ErrPassInProgress, "coupang.pass_in_progress"},
		{context.DeadlineExceeded, "timeout"},
		{context.Canceled, "canceled"},
	} {
		if errors.Is(err, s.err) {
			return s.name
		}
	}
	if errors.As(err, &netErr) && netErr.Timeout() {
		return "timeout"
	}
	return fmt.Sprintf("%T", cause(err))
}

// cause is the first error along err's chain of single wraps that is not
// a wrapper of the client's, fmt's or net/url's: the failure itself, such as
// a *net.OpError, rather than what carries it.
func cause(err error) error {
	for {
		var next error
		switch e := err.(type) {
		case *coupang.RequestError:
			next = e.Err
		case *url.Error:
			next = e.Err
		default:
			if strings.HasPrefix(fmt.Sprintf("%T", err), "*fmt.") {
				next = errors.Unwrap(err)
			}
		}
		if next == nil {
			return err
		}
		err = next
	}
}
