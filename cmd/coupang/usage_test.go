package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// "coupang help" lists each command with the synopsis of its own --help,
// and each synopsis names every flag the command takes: a user who reads
// either one learns every flag there is (the list had lost --force,
// --courier-unlisted, watch's --once and others).
func TestUsageNamesEveryFlag(t *testing.T) {
	noEnv(t)
	top := runCLI(t, "help")
	require.Equal(t, exitOK, top.code)
	flagLine := regexp.MustCompile(`^  -([a-z-]+)`)
	for _, args := range [][]string{
		{"exchanges", "list"}, {"exchanges", "confirm"}, {"exchanges", "reject"}, {"exchanges", "upload-invoice"},
		{"exchanges", "pickup-invoice"}, {"exchanges", "wait-box"}, {"exchanges", "watch"},
		{"returns", "list"}, {"returns", "confirm"}, {"returns", "approve"}, {"returns", "stop"},
		{"returns", "shipped"}, {"returns", "pickup-invoice"}, {"returns", "watch"},
		{"doctor"}, {"sandbox"},
	} {
		name := strings.Join(args, " ")
		t.Run(name, func(t *testing.T) {
			res := runCLI(t, append(args, "--help")...)
			require.Equal(t, exitOK, res.code)
			first, _, _ := strings.Cut(res.stdout, "\n")
			synopsis, ok := strings.CutPrefix(first, "Usage: ")
			require.True(t, ok, "first line of --help: %q", first)
			assert.Contains(t, top.stdout, "\n  "+synopsis+"\n", "coupang help lists the synopsis of %s --help", name)
			for line := range strings.SplitSeq(res.stdout, "\n") {
				if m := flagLine.FindStringSubmatch(line); m != nil {
					assert.Regexp(t, `(^| |\[)--`+regexp.QuoteMeta(m[1])+`( |\]|$)`, synopsis, "the synopsis names --%s", m[1])
				}
			}
		})
	}
}
