package coupang

import "time"

// Protection is how a protecting limiter treats the vendor after trouble:
// how long it pauses after a 429, how long it refuses to send after a block,
// and what counts as an error storm. One value configures NewPacer
// (WithProtection) and coupangredis.NewLimiter (coupangredis.WithProtection)
// alike, so that moving from one process to several keeps the same rules; a
// Limiter over another shared store can take it too and read it through
// WithDefaults.
//
// A zero field keeps its default (DefaultProtection). A Max below its first
// value is raised to it. NewPacer, which has no error to return, treats a
// negative field as zero; coupangredis.WithProtection refuses it.
type Protection struct {
	// Cooldown is the first pause after a 429 that carries no Retry-After;
	// it doubles on every 429 in a row (until a probe is answered well), up
	// to MaxCooldown. A Retry-After is honoured instead, up to an hour.
	Cooldown, MaxCooldown time.Duration
	// BlockCooldown is how long every call fails fast with ErrBlocked after
	// a block (a 302 or a 403 "Access Denied" page); it doubles on every
	// block in a row, up to MaxBlockCooldown.
	BlockCooldown, MaxBlockCooldown time.Duration
	// StormErrors non-2xx answers within StormWindow make an error storm,
	// which doubles the spacing between starts (up to 16 times) until an
	// answer is good again.
	StormErrors int
	StormWindow time.Duration
}

// Defaults of Protection.
const (
	// DefaultCooldown is the first pause after a 429 without Retry-After; it
	// doubles on every 429 in a row, up to DefaultMaxCooldown.
	DefaultCooldown    = 5 * time.Second
	DefaultMaxCooldown = 5 * time.Minute
	// DefaultBlockCooldown is the first cool-down after a block (302, 403
	// HTML); it doubles on every block in a row, up to DefaultMaxBlockCooldown.
	DefaultBlockCooldown    = time.Minute
	DefaultMaxBlockCooldown = 30 * time.Minute
	// DefaultStormErrors non-2xx answers within DefaultStormWindow make an
	// error storm, which doubles the spacing (up to 16 times) until an answer
	// is good again.
	DefaultStormErrors = 3
	DefaultStormWindow = time.Second
)

// DefaultProtection is the protection a limiter has when none is given.
func DefaultProtection() Protection {
	return Protection{
		Cooldown:         DefaultCooldown,
		MaxCooldown:      DefaultMaxCooldown,
		BlockCooldown:    DefaultBlockCooldown,
		MaxBlockCooldown: DefaultMaxBlockCooldown,
		StormErrors:      DefaultStormErrors,
		StormWindow:      DefaultStormWindow,
	}
}

// WithDefaults returns p as a limiter applies it: every field that is zero
// or negative replaced by its default, and each Max raised to at least its
// first value.
func (p Protection) WithDefaults() Protection {
	d := DefaultProtection()
	if p.Cooldown <= 0 {
		p.Cooldown = d.Cooldown
	}
	if p.MaxCooldown <= 0 {
		p.MaxCooldown = d.MaxCooldown
	}
	p.MaxCooldown = max(p.MaxCooldown, p.Cooldown)
	if p.BlockCooldown <= 0 {
		p.BlockCooldown = d.BlockCooldown
	}
	if p.MaxBlockCooldown <= 0 {
		p.MaxBlockCooldown = d.MaxBlockCooldown
	}
	p.MaxBlockCooldown = max(p.MaxBlockCooldown, p.BlockCooldown)
	if p.StormErrors <= 0 {
		p.StormErrors = d.StormErrors
	}
	if p.StormWindow <= 0 {
		p.StormWindow = d.StormWindow
	}
	return p
}

// WithProtection sets how the pacer treats the vendor after a 429, a block
// or an error storm (default DefaultProtection; zero fields keep their
// defaults, see Protection).
func WithProtection(p Protection) PacerOption {
	return func(c *pacerConfig) { c.protection = p }
}
