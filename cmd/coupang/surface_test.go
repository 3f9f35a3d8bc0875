package main

import (
	"fmt"
	"strings"
	"testing"
)

// TestSurface pins, in one golden file, what every command prints and
// returns before it connects: each --help, the groups' answers to a
// missing, unknown or help subcommand and the refusals of bad flags. It
// keeps a change of how the commands are put together (one dispatcher, one
// write frame) from changing a word of what a user sees.
func TestSurface(t *testing.T) {
	noEnv(t)
	commands := [][]string{
		{"exchanges", "list"}, {"exchanges", "confirm"}, {"exchanges", "reject"}, {"exchanges", "upload-invoice"},
		{"exchanges", "pickup-invoice"}, {"exchanges", "wait-box"}, {"exchanges", "watch"},
		{"returns", "list"}, {"returns", "confirm"}, {"returns", "approve"}, {"returns", "stop"},
		{"returns", "shipped"}, {"returns", "pickup-invoice"}, {"returns", "watch"},
	}
	calls := [][]string{
		{"exchanges"}, {"exchange", "nope"}, {"ex", "help"}, {"exchanges", "--help"}, {"exchanges", "ls", "--help"},
		{"returns"}, {"return", "nope"}, {"returns", "-h"}, {"returns", "ls", "-help"}, {"help", "returns", "approve"},
		// Refusals before connecting, in the order the commands check.
		{"exchanges", "confirm"}, {"exchanges", "confirm", "--id", "0"}, {"exchanges", "confirm", "--id", "1", "extra"},
		{"exchanges", "reject", "--id", "1"}, {"exchanges", "reject", "--id", "1", "--code", "soldout"},
		{"exchanges", "upload-invoice", "--id", "1", "--courier", "CJGLS"},
		{"exchanges", "upload-invoice", "--id", "1", "--courier", "cj", "--invoice", "1", "--box", "-1"},
		{"exchanges", "upload-invoice", "--id", "1", "--courier", "cj", "--invoice", "1"},
		{"exchanges", "pickup-invoice", "--id", "1", "--courier", "CJGSL", "--invoice", "1"},
		{"exchanges", "pickup-invoice", "--id", "-1", "--courier", "CJGLS"},
		{"exchanges", "wait-box", "--id", "1", "--timeout", "0s"},
		{"returns", "confirm"}, {"returns", "confirm", "--id", "0"}, {"returns", "confirm", "--id", "1", "--force=maybe"},
		{"returns", "approve", "--id", "1", "--count", "0"}, {"returns", "stop", "--id", "-1", "--count", "0"},
		{"returns", "stop", "--count", "3000000000"}, {"returns", "approve", "--id", "1", "--count", "3000000000"},
		{"returns", "list", "--status", "XX"}, {"returns", "watch", "--every", "0s"},
		{"returns", "shipped", "--id", "1", "--courier", "CJGLS"}, {"returns", "shipped", "--id", "1", "--courier", "cj", "--invoice", "1"},
		{"returns", "pickup-invoice", "--id", "0", "--courier", "cj"}, {"returns", "pickup-invoice", "--id", "1", "--courier", "CJGLS", "--invoice", "1 2"},
	}
	for _, c := range commands {
		calls = append(calls, append(c, "--help"))
	}
	var b strings.Builder
	for _, args := range calls {
		res := runCLI(t, args...)
		fmt.Fprintf(&b, "$ coupang %s\nexit %d\n--- stdout\n%s--- stderr\n%s\n", strings.Join(args, " "), res.code, res.stdout, res.stderr)
	}
	golden(t, "surface.golden", b.String())
}
