package coupang_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
)

// boundLimiter is a limiter that paces one vendor's budget.
type boundLimiter struct{ vendor string }

func (boundLimiter) Wait(context.Context) error { return nil }
func (b boundLimiter) VendorID() string         { return b.vendor }

// A limiter bound to another vendor would spend that vendor's budget and
// leave the client's own unshared: NewClient refuses it before anything is
// sent. One bound to the client's vendor, or bound to none, is taken.
func TestNewClientRefusesALimiterOfAnotherVendor(t *testing.T) {
	for _, other := range []string{"A00099999", "", "a00012345", "A00012345 "} {
		_, err := coupang.NewClient("ak", "sk", "A00012345", coupang.WithLimiter(boundLimiter{other}))
		var ve *coupang.ValidationError
		require.ErrorAs(t, err, &ve, "limiter of %q", other)
		assert.Equal(t, "limiter", ve.Field)
		assert.Contains(t, ve.Error(), "A00012345")
	}
	c, err := coupang.NewClient("ak", "sk", "A00012345", coupang.WithLimiter(boundLimiter{"A00012345"}))
	require.NoError(t, err)
	assert.Equal(t, "A00012345", c.VendorID())
	_, err = coupang.NewClient("ak", "sk", "A00012345", coupang.WithLimiter(coupang.NewPacer(5)))
	require.NoError(t, err, "a pacer is bound to no vendor")
}

// ValidateVendorID accepts exactly what NewClient accepts.
func TestValidateVendorIDMatchesNewClient(t *testing.T) {
	for _, id := range []string{"A00012345", "C1", "A0", "", "A", "B00012345", "a00012345", "A0001234x", "A0}1", "A0 1", "A00012345\n", "Ａ00012345", "A١٢٣"} {
		_, clientErr := coupang.NewClient("ak", "sk", id)
		err := coupang.ValidateVendorID(id)
		assert.Equal(t, clientErr == nil, err == nil, "%q", id)
		if err != nil {
			var ve *coupang.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, "vendorID", ve.Field)
		}
	}
}
