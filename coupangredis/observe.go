package coupangredis

import (
	"context"
	"time"

	"github.com/go-coupang/coupang"
)

// observe reports what the report script did to the vendor's standing to
// the Observer of the client whose call ctx belongs to (coupang.WithObserver):
// the pause this process's answer started or extended, or the resumption its
// probe's answer brought. Processes that only learn of a pause from Redis
// report nothing: the one that saw the 429 does, for the vendor.
func observe(ctx context.Context, event string, until time.Time) {
	switch event {
	case "throttled", "extended":
		coupang.ObserveVendor(ctx, coupang.VendorEvent{Kind: coupang.VendorPaused, Reason: coupang.OutcomeThrottled, Until: until})
	case "blocked":
		coupang.ObserveVendor(ctx, coupang.VendorEvent{Kind: coupang.VendorPaused, Reason: coupang.OutcomeBlocked, Until: until})
	case "resumed":
		// Redis has forgotten whether the pause was a 429's or a block's.
		coupang.ObserveVendor(ctx, coupang.VendorEvent{Kind: coupang.VendorResumed})
	}
}
