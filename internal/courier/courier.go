// Package courier holds the shape rule of a courier code, shared by the
// client (which checks it before sending) and package coupangtest (which
// answers as Coupang does): one rule, so that the sandbox never refuses a
// code the client sends, nor accepts one it refuses.
package courier

// MaxCodeLength is the longest courier code accepted.
const MaxCodeLength = 32

// WellFormed reports whether code looks like a courier code: capital
// letters, digits and underscores, 1 to MaxCodeLength of them — the shape of
// every code in Coupang's table. Codes outside the table are fine, since
// Coupang adds couriers without notice.
func WellFormed(code string) bool {
	if code == "" || len(code) > MaxCodeLength {
		return false
	}
	for i := 0; i < len(code); i++ {
		c := code[i]
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}
