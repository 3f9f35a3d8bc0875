package main

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

// confirm refuses an exchange whose returned item cannot have arrived (the
// courier has not picked it up), naming the reason and --force; --force
// confirms it (issue 22).
func TestConfirmRefusesBeforeTheItemCanHaveArrived(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	useServer(t, srv)
	id := pick(t, srv, func(ex coupang.ExchangeRequest) bool {
		return ex.Status == coupang.ExchangeStatusReceipt && ex.CollectStatus == coupang.CollectStatusBeforeDirection
	})
	var idNum int64
	fmt.Sscan(id, &idNum)

	for _, args := range [][]string{{"--dry-run"}, nil} {
		res := runCLI(t, append([]string{"exchanges", "confirm", "--id", id}, args...)...)
		assert.Equal(t, exitFail, res.code, args)
		assert.Empty(t, res.stdout, args)
		assert.Contains(t, res.stderr, "coupang: exchange "+id+" not confirmed: the returned item cannot have reached you yet: the courier has not picked it up yet (pickup BeforeDirection 회수연동 전)", args)
		assert.Contains(t, res.stderr, "run again with --force", args)
	}
	assert.Empty(t, srv.Applied(), "nothing sent")

	res := runCLI(t, "exchanges", "confirm", "--id", id, "--force")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Contains(t, res.stderr, "confirming with --force although the returned item cannot have reached you yet")
	assert.Contains(t, res.stdout, "receipt confirmed")
	assert.Equal(t, 1, srv.Confirmations(idNum))
}

// An item on its way back can be confirmed without --force: the seller
// may hold it before Coupang's tracking says so.
func TestConfirmOnArrivalNeedsNoForce(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	useServer(t, srv)
	id := pick(t, srv, func(ex coupang.ExchangeRequest) bool {
		return ex.Status == coupang.ExchangeStatusReceipt && ex.CollectStatus == coupang.CollectStatusDelivering
	})
	res := runCLI(t, "exchanges", "confirm", "--id", id)
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.NotContains(t, res.stderr, "--force")
}

// A withdrawn exchange cannot be confirmed, with or without --force.
func TestConfirmWithdrawnIsRefusedEvenWithForce(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	useServer(t, srv)
	id := pick(t, srv, func(ex coupang.ExchangeRequest) bool { return ex.Status == coupang.ExchangeStatusCancel })
	res := runCLI(t, "exchanges", "confirm", "--id", id, "--force")
	assert.Equal(t, exitFail, res.code)
	assert.Contains(t, res.stderr, "cannot be confirmed: the exchange is withdrawn (CANCEL): it accepts no further action")
	assert.Empty(t, srv.Applied())
}

// A wrong --order says so, rather than "raise --days" (issue 22).
func TestWrongOrderIsNamed(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	useServer(t, srv)
	exs := srv.Exchanges()
	id := fmt.Sprint(exs[0].ExchangeID)

	res := runCLI(t, "exchanges", "confirm", "--id", id, "--order", "1")
	assert.Equal(t, exitFail, res.code)
	assert.Contains(t, res.stderr, "exchange "+id+": order 1 has no exchange requests in the last 30 days: check --order, or leave it out to search all orders")
	assert.NotContains(t, res.stderr, "raise --days")

	var other coupang.ExchangeRequest
	for _, ex := range exs {
		if ex.OrderID != exs[0].OrderID && ex.CreatedAt.After(exs[len(exs)-1].CreatedAt.AddDate(0, 0, -29)) {
			other = ex
			break
		}
	}
	require.NotZero(t, other.OrderID)
	res = runCLI(t, "exchanges", "confirm", "--id", id, "--order", fmt.Sprint(other.OrderID))
	assert.Equal(t, exitFail, res.code)
	assert.Contains(t, res.stderr, fmt.Sprintf("exchange %s is not one of order %d's exchange requests (%d", id, other.OrderID, other.ExchangeID))
	assert.Contains(t, res.stderr, "check --id and --order")
	assert.NotContains(t, res.stderr, "raise --days")
}

// "coupang help exchanges list" prints that command's help, not the
// top-level one (issue 22).
func TestHelpForACommand(t *testing.T) {
	noEnv(t)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"help", "exchanges", "list"}, "Usage: coupang exchanges list"},
		{[]string{"help", "exchanges", "confirm"}, "Usage: coupang exchanges confirm --id ID [--force] [--order ID] [--days 30] [--dry-run]"},
		{[]string{"help", "doctor"}, "Usage: coupang doctor"},
	} {
		res := runCLI(t, tt.args...)
		assert.Equal(t, exitOK, res.code, tt.args)
		assert.Contains(t, res.stdout, tt.want, tt.args)
		assert.NotContains(t, res.stdout, "coupang: Coupang exchange requests (교환요청) from the command line", tt.args)
	}
}

// wait-box writes nothing, so its help offers no --dry-run; upload-invoice
// says that a different waybill replaces the one on the box (issue 22).
func TestWriteHelpTexts(t *testing.T) {
	noEnv(t)
	res := runCLI(t, "exchanges", "wait-box", "--help")
	assert.NotContains(t, res.stdout, "dry-run")
	res = runCLI(t, "exchanges", "upload-invoice", "--help")
	assert.Contains(t, res.stdout, "a different one replaces it, deliberately: that is how a\nmistyped waybill is corrected")
	assert.NotContains(t, res.stdout, "A waybill already on the box is left as it\nis.")
}
