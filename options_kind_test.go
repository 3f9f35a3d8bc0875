package coupang_test

import (
	"errors"
	"log/slog"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
)

// TestOptionKinds: an option that only makes sense for a whole client is
// not a CallOption, so giving it to one call is a compile error (it was a
// *ValidationError at run time while CallOption was Option); a call-only
// option is not an Option; the rest are both.
func TestOptionKinds(t *testing.T) {
	const (
		clientOnly = "client only"
		callOnly   = "call only"
		both       = "both"
	)
	newObserver := func(string) (coupang.Observer, error) { return coupang.Observer{}, nil }
	tests := []struct {
		name string
		opt  any
		kind string
	}{
		{"WithBaseURL", coupang.WithBaseURL(testBaseURL), clientOnly},
		{"WithRateLimit", coupang.WithRateLimit(1), clientOnly},
		{"WithLimiter", coupang.WithLimiter(coupang.NewPacer(1)), clientOnly},
		{"WithObserver", coupang.WithObserver(coupang.Observer{}), clientOnly},
		{"WithObserverFunc", coupang.WithObserverFunc(newObserver), clientOnly},
		{"WithResponse", coupang.WithResponse(&coupang.Response{}), callOnly},
		{"WithPageIndex", coupang.WithPageIndex("pageIndex"), callOnly},
		{"WithHTTPClient", coupang.WithHTTPClient(http.DefaultClient), both},
		{"WithMaxRetries", coupang.WithMaxRetries(1), both},
		{"WithRetryWritesOn429", coupang.WithRetryWritesOn429(true), both},
		{"WithAttemptTimeout", coupang.WithAttemptTimeout(time.Second), both},
		{"WithBackoff", coupang.WithBackoff(time.Second, time.Minute), both},
		{"WithMaxListRange", coupang.WithMaxListRange(0), both},
		{"WithListConcurrency", coupang.WithListConcurrency(1), both},
		{"WithLogger", coupang.WithLogger(slog.Default()), both},
		{"WithUpdateMethod", coupang.WithUpdateMethod(http.MethodPatch), both},
		{"WithExtendedTimeout", coupang.WithExtendedTimeout(time.Second), both},
		{"WithMaxResponseSize", coupang.WithMaxResponseSize(1 << 20), both},
		{"WithReturnListVersion", coupang.WithReturnListVersion(coupang.ReturnListVersionV4), both},
		{"WithReturnActionVersion", coupang.WithReturnActionVersion(coupang.ReturnActionVersionV5), both},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, isOption := tt.opt.(coupang.Option)
			_, isCall := tt.opt.(coupang.CallOption)
			assert.Equal(t, tt.kind != callOnly, isOption, "an Option (for NewClient)")
			assert.Equal(t, tt.kind != clientOnly, isCall, "a CallOption (for one call)")
		})
	}
}

// TestCommonOptionZero: the zero CommonOption changes nothing, for a client
// or a call.
func TestCommonOptionZero(t *testing.T) {
	c, err := coupang.NewClient(testAccessKey, testSecretKey, testVendorID, coupang.CommonOption{}, nil)
	require.NoError(t, err)
	assert.Equal(t, coupang.DefaultBaseURL, c.BaseURL())
}

// TestObserverFuncError: WithObserverFunc is given the client's vendor id,
// and its error is NewClient's.
func TestObserverFuncError(t *testing.T) {
	boom := errors.New("boom")
	var got string
	_, err := coupang.NewClient(testAccessKey, testSecretKey, testVendorID, coupang.WithObserverFunc(func(vendorID string) (coupang.Observer, error) {
		got = vendorID
		return coupang.Observer{}, boom
	}))
	require.ErrorIs(t, err, boom)
	assert.Equal(t, testVendorID, got)

	_, err = coupang.NewClient(testAccessKey, testSecretKey, testVendorID, coupang.WithObserverFunc(nil))
	requireValidation(t, err, "observer")
}

// TestChangeOptionsHaveNoClock: a pass's clock is not part of the API (it was
// ChangeOptions.Now, a test hook); the tests set it through export_test.go.
func TestChangeOptionsHaveNoClock(t *testing.T) {
	typ := reflect.TypeFor[coupang.ChangeOptions]()
	for i := range typ.NumField() {
		f := typ.Field(i)
		assert.False(t, f.IsExported() && f.Type.Kind() == reflect.Func, "exported func field %s", f.Name)
	}
}
