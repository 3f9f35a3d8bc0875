package coupangredis

import "time"

// SetOnGrant makes l call f with the slot of every start Redis grants, on
// Redis's clock: what the limiter decides, free of the scheduling of the
// goroutine that hears of it. Set it before the first Wait.
func SetOnGrant(l *Limiter, f func(slot time.Time)) { l.onGrant = f }
