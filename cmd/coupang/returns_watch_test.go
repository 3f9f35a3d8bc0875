package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

// pickReturn returns the first seeded receipt for which ok holds.
func pickReturn(t *testing.T, srv *coupangtest.Server, ok func(coupang.ReturnRequest) bool) coupang.ReturnRequest {
	t.Helper()
	for _, r := range srv.Returns() {
		if ok(r) {
			return r
		}
	}
	t.Fatal("no seeded return fits")
	return coupang.ReturnRequest{}
}

func TestReturnsWatch(t *testing.T) {
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			srv := coupangtest.NewTestServer(t)
			useServer(t, srv)
			state := filepath.Join(t.TempDir(), "watch.state")

			// Without a state file, what exists at start is the baseline.
			res := runCLI(t, "returns", "watch", "--once")
			require.Equal(t, exitOK, res.code, res.stderr)
			assert.Empty(t, res.stdout)
			assert.Regexp(t, `watching \d+ return requests of the last 30 days; printing changes from now on`, res.stderr)

			// With one, the first pass prints everything as new…
			res = runCLI(t, "returns", "watch", "--once", "--state", state, "--format", "json")
			require.Equal(t, exitOK, res.code, res.stderr)
			got := lines(res.stdout)
			require.NotEmpty(t, got)
			for _, l := range got {
				var ch returnChangeLine
				require.NoError(t, json.Unmarshal([]byte(l), &ch))
				assert.Equal(t, "new", ch.Kind)
				assert.NotZero(t, ch.ReceiptID)
			}

			// …the next only what changed in between: one receipt
			// confirmed, one withdrawn by the customer.
			unchecked := func(r coupang.ReturnRequest) bool {
				return r.Status == coupang.ReturnStatusReturnsUnchecked && r.ReceiptType == coupang.ReturnReceiptTypeReturn
			}
			changed := pickReturn(t, srv, unchecked)
			withdrawn := pickReturn(t, srv, func(r coupang.ReturnRequest) bool { return unchecked(r) && r.ReceiptID != changed.ReceiptID })
			require.True(t, srv.UpdateReturn(changed.ReceiptID, func(r *coupang.ReturnRequest) { r.Status = coupang.ReturnStatusVendorWarehouseConfirm }))
			require.True(t, srv.WithdrawReturn(withdrawn.ReceiptID))

			res = runCLI(t, "returns", "watch", "--once", "--state", state, "--format", format)
			require.Equal(t, exitOK, res.code, res.stderr)
			got = lines(res.stdout)
			require.Len(t, got, 2, res.stdout)
			byID := map[int64]string{}
			for _, l := range got {
				for _, id := range []int64{changed.ReceiptID, withdrawn.ReceiptID} {
					if strings.Contains(l, fmt.Sprint(id)) {
						byID[id] = l
					}
				}
			}
			require.Len(t, byID, 2, got)
			if format == "text" {
				assert.Contains(t, byID[changed.ReceiptID], fmt.Sprintf("updated    %d  입고완료 received at the seller's warehouse", changed.ReceiptID))
				assert.Contains(t, byID[changed.ReceiptID], "changed: Status")
				assert.Contains(t, byID[withdrawn.ReceiptID], fmt.Sprintf("withdrawn  %d  order %d · withdrawn by the customer 반품철회 at ", withdrawn.ReceiptID, withdrawn.OrderID))
			} else {
				var up, gone returnChangeLine
				require.NoError(t, json.Unmarshal([]byte(byID[changed.ReceiptID]), &up))
				require.NoError(t, json.Unmarshal([]byte(byID[withdrawn.ReceiptID]), &gone))
				assert.Equal(t, "updated", up.Kind)
				assert.Equal(t, []string{"Status"}, up.Changed)
				assert.Equal(t, string(coupang.ReturnStatusVendorWarehouseConfirm), up.Status)
				assert.Equal(t, "withdrawn", gone.Kind)
				assert.Equal(t, withdrawn.OrderID, gone.OrderID)
				assert.NotEmpty(t, gone.WithdrawnAt)
				assert.True(t, strings.HasSuffix(gone.WithdrawnAt, "+09:00"), gone.WithdrawnAt)
				assert.Empty(t, gone.NextStep, "nothing is known of a withdrawn receipt's state")
			}

			res = runCLI(t, "returns", "watch", "--once", "--state", state)
			require.Equal(t, exitOK, res.code, res.stderr)
			assert.Empty(t, res.stdout, "nothing changed since; the withdrawal is reported once")
		})
	}
}

// One state file serves an exchanges watch and a returns watch: each kind
// keeps its own records.
func TestReturnsAndExchangesWatchShareAStateFile(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	useServer(t, srv)
	state := filepath.Join(t.TempDir(), "watch.state")
	res := runCLI(t, "exchanges", "watch", "--once", "--state", state)
	require.Equal(t, exitOK, res.code, res.stderr)
	require.Len(t, lines(res.stdout), coupangtest.DefaultExchanges)
	res = runCLI(t, "returns", "watch", "--once", "--state", state)
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.NotEmpty(t, lines(res.stdout), "the returns are new to the file")
	res = runCLI(t, "exchanges", "watch", "--once", "--state", state)
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Empty(t, res.stdout, "the exchanges were not disturbed")
}

func TestReturnsHelp(t *testing.T) {
	noEnv(t)
	for _, args := range [][]string{
		{"returns", "list", "--help"}, {"returns", "confirm", "-h"}, {"returns", "approve", "--help"}, {"returns", "stop", "--help"},
		{"returns", "shipped", "--help"}, {"returns", "pickup-invoice", "--help"}, {"help", "returns", "watch"},
		{"exchanges", "pickup-invoice", "--help"}, {"returns", "help"},
	} {
		res := runCLI(t, args...)
		assert.Equal(t, exitOK, res.code, args)
		assert.Contains(t, res.stdout, "Usage", args)
		assert.Contains(t, res.stdout, "COUPANG_ACCESS_KEY", args)
		assert.Empty(t, res.stderr, "no sandbox is started for --help")
	}
	res := runCLI(t, "help")
	for _, sub := range []string{"list", "confirm", "approve", "stop", "shipped", "pickup-invoice", "watch"} {
		assert.Contains(t, res.stdout, "\n  coupang returns "+sub+" ", sub)
	}
	assert.Contains(t, res.stdout, "\n  coupang exchanges pickup-invoice ")
	assert.Contains(t, res.stdout, "\n  coupang doctor [--json] [--fake-skew DURATION]\n", "doctor unchanged")
}
