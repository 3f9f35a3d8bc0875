package coupangredis

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The wait script's one-string answer is read field by field, and an answer
// of another shape is an error (the fallback takes over), never a grant.
func TestParseWaitReply(t *testing.T) {
	got, err := parseWaitReply("0|probe|204.5|0.5|1.25|1764763200000.1")
	require.NoError(t, err)
	assert.Equal(t, waitReply{code: 0, kind: "probe", ms: 204.5, factor: 0.5, delay: 1.25, slot: 1764763200000.1}, got)

	got, err = parseWaitReply("3||12|1|0|0")
	require.NoError(t, err)
	assert.Equal(t, waitReply{code: 3, ms: 12, factor: 1}, got)

	for _, bad := range []string{"", "0", "0|probe|204|1|0", "x||1|1|0|0", "0||1|1|0|", "1|throttled|1e|1|0|0", "0||1|1|0|0|9"} {
		_, err := parseWaitReply(bad)
		assert.Error(t, err, "%q", bad)
	}
}
