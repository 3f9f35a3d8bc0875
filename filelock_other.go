//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package coupang

// lockFile does nothing here: passes are excluded within one process only.
func lockFile(string) (unlock func(), err error) { return func() {}, nil }
