package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

// returnWriteFixture is returnFixture with one more receipt: a return the
// seller collects itself (수기관리) with no pickup waybill yet.
func returnWriteFixture(t *testing.T) *coupangtest.Server {
	t.Helper()
	srv := returnFixture(t)
	srv.AddReturn(coupang.ReturnRequest{
		ReceiptID: 500000006, OrderID: 30000000006, CreatedAt: kst("2024-03-19 10:00:00"),
		Status: coupang.ReturnStatusReturnsUnchecked, ReasonCode: "CHANGEMIND", ReturnDeliveryType: coupang.ReturnDeliveryTypeManual,
	})
	return srv
}

// writesSent counts the writes srv was sent: every request but the reads
// (GET) and the withdrawal-history lookup, a POST that changes nothing.
func writesSent(srv *coupangtest.Server) int {
	n := 0
	for _, c := range srv.Calls() {
		if c.Method != http.MethodGet && !strings.Contains(c.Path, "returnWithdraw") {
			n++
		}
	}
	return n
}

// Each write: a dry run says what it would send and sends nothing; the
// write goes once; run again, it is found done and nothing is sent.
func TestReturnsWrites(t *testing.T) {
	for _, tt := range []struct {
		name        string
		args        []string
		id          int64
		kind        coupangtest.ActionKind
		would, did  string
		cancelCount int
	}{
		{"confirm", []string{"returns", "confirm", "--id", "500000002"}, 500000002, coupangtest.ActionReturnConfirmReceipt,
			"return 500000002: would confirm the receipt (status 반품접수 return received, unchecked) [dry run: nothing sent]\n",
			"return 500000002: receipt confirmed\nnext: coupang returns approve --id 500000002 (or leave it to Coupang's automatic approval)\n", 0},
		{"approve", []string{"returns", "approve", "--id", "500000003", "--count", "1"}, 500000003, coupangtest.ActionReturnApprove,
			"return 500000003: would approve with cancelCount 1 (status 입고완료 received at the seller's warehouse) [dry run: nothing sent]\n",
			"return 500000003: approved with cancelCount 1\n", 1},
		{"stop", []string{"returns", "stop", "--id", "500000001"}, 500000001, coupangtest.ActionReturnStopShipment,
			"return 500000001: would stop the shipment (cancelCount 2) (status 출고중지요청 release stop requested, release stop 미처리 not processed) [dry run: nothing sent]\n",
			"return 500000001: shipment stopped (cancelCount 2)\n", 2},
		{"shipped", []string{"returns", "shipped", "--id", "500000001", "--courier", "CJGLS", "--invoice", "612345678902"}, 500000001, coupangtest.ActionReturnMarkShipped,
			"return 500000001: would report it shipped under CJGLS 612345678902 (status 출고중지요청 release stop requested, release stop 미처리 not processed) [dry run: nothing sent]\n",
			"return 500000001: reported shipped under CJGLS 612345678902\n", 0},
		{"pickup-invoice", []string{"returns", "pickup-invoice", "--id", "500000006", "--courier", "CJGLS", "--invoice", "612345678903"}, 500000006, coupangtest.ActionPickupInvoice,
			"return 500000006: would register pickup waybill CJGLS 612345678903 (status 반품접수 return received, unchecked) [dry run: nothing sent]\n",
			"return 500000006: pickup waybill CJGLS 612345678903 registered\n", 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := returnWriteFixture(t)
			useServer(t, srv)

			res := runCLI(t, append(tt.args, "--dry-run")...)
			require.Equal(t, exitOK, res.code, res.stderr)
			assert.Equal(t, tt.would, res.stdout)
			assert.Zero(t, writesSent(srv), "a dry run sends no write")
			require.Len(t, srv.Calls(), 1, "a dry run reads the receipt once and sends nothing else")
			assert.Equal(t, http.MethodGet, srv.Calls()[0].Method)
			assert.Empty(t, srv.Applied())

			res = runCLI(t, tt.args...)
			require.Equal(t, exitOK, res.code, res.stderr)
			assert.Equal(t, tt.did, res.stdout)
			assert.Equal(t, 1, writesSent(srv))

			res = runCLI(t, tt.args...)
			require.Equal(t, exitOK, res.code, res.stderr)
			assert.Contains(t, res.stdout, "; nothing sent\n")
			assert.Equal(t, 1, srv.Count(tt.kind, tt.id), "applied once")
			assert.Equal(t, 1, writesSent(srv), "nothing sent the second time")
			if tt.cancelCount > 0 {
				require.Len(t, srv.Applied(), 1)
				assert.Equal(t, tt.cancelCount, srv.Applied()[0].CancelCount, "the whole quantity")
			}

			res = runCLI(t, append(tt.args, "--dry-run")...)
			require.Equal(t, exitOK, res.code, res.stderr)
			assert.Contains(t, res.stdout, "; nothing to do\n")
		})
	}
}

// Bad input is refused with a usage message and exit code 2 before
// anything is sent, --dry-run or not.
func TestReturnsBadInvocations(t *testing.T) {
	srv := returnWriteFixture(t)
	useServer(t, srv)
	for _, tt := range []struct {
		args []string
		msg  string
	}{
		{[]string{"returns"}, "returns: want a subcommand"},
		{[]string{"returns", "frob"}, `returns: unknown subcommand "frob"`},
		{[]string{"returns", "confirm"}, "returns confirm: --id is required"},
		{[]string{"returns", "confirm", "--id", "0"}, "returns confirm: --id must be positive"},
		{[]string{"returns", "confirm", "--id", "x"}, `invalid value "x" for flag -id`},
		{[]string{"returns", "confirm", "--id", "1", "extra"}, `unexpected argument "extra"`},
		{[]string{"returns", "approve", "--id", "1", "--count", "0"}, "returns approve: --count must be between 1 and 2147483647"},
		{[]string{"returns", "stop", "--id", "1", "--count", "-3", "--dry-run"}, "returns stop: --count must be between 1 and 2147483647"},
		{[]string{"returns", "stop", "--id", "1", "--count", "2147483648"}, "--count must be between 1 and"},
		{[]string{"returns", "shipped", "--id", "1", "--courier", "CJGLS"}, "returns shipped: --invoice is required"},
		{[]string{"returns", "shipped", "--id", "1", "--invoice", "1234"}, "returns shipped: --courier is required"},
		{[]string{"returns", "shipped", "--id", "1", "--courier", "cj", "--invoice", "1234567890"}, `returns shipped: --courier "cj": want a courier code of capital letters, digits and underscores, such as CJGLS (did you mean CJGLS?)`},
		{[]string{"returns", "pickup-invoice", "--id", "1", "--courier", "CJGSL", "--invoice", "1234567890", "--dry-run"}, "returns pickup-invoice: --courier CJGSL is not in the built-in table: did you mean CJGLS? (--courier-unlisted sends it as given)"},
		{[]string{"returns", "pickup-invoice", "--id", "1", "--courier", "CJGLS", "--invoice", "12 34"}, `returns pickup-invoice: --invoice "12 34": want a waybill number`},
		{[]string{"returns", "approve", "--id", "1", "--courier", "CJGLS"}, "flag provided but not defined: -courier"},
		{[]string{"returns", "list", "--status", "XX"}, `returns list: --status "XX": want RU, UC, CC or PR`},
		{[]string{"returns", "list", "--status", "RETURNS_UNCHECKED"}, `--status "RETURNS_UNCHECKED": want RU, UC, CC or PR`},
		{[]string{"returns", "list", "--status", "RU", "--cancelled"}, "returns list: --status and --cancelled both given"},
		{[]string{"returns", "list", "--format", "xml"}, `returns list: --format "xml": want table, json or csv`},
		{[]string{"returns", "list", "--bom"}, "returns list: --bom applies to --format csv only"},
		{[]string{"returns", "list", "--wide", "--format", "json"}, "returns list: --wide applies to --format table only"},
		{[]string{"returns", "list", "--order", "-1"}, "returns list: --order must be positive"},
		{[]string{"returns", "list", "--from", "1999-01-01", "--to", "1999-01-02"}, "returns list: --from 1999-01-01 is in the year 1999: Coupang lists returns from 2000 on"},
		{[]string{"returns", "list", "--from", "2024/03/01"}, `returns list: --from "2024/03/01": want a date as YYYY-MM-DD`},
		{[]string{"returns", "list", "--days", "400"}, "returns list: the range"},
		{[]string{"returns", "list", "--days", "30", "--from", "2026-11-01"}, "returns list: --days and --from both given"},
		{[]string{"returns", "watch", "--status", "RU"}, "flag provided but not defined: -status"},
		{[]string{"returns", "watch", "--every", "10ms"}, "returns watch: --every must be at least 1s"},
		{[]string{"returns", "watch", "--days", "0"}, "returns watch: --days must be at least 1, got 0"},
		{[]string{"returns", "watch", "--format", "csv"}, `returns watch: --format "csv": want text or json`},
		{[]string{"exchanges", "pickup-invoice", "--id", "1", "--courier", "hanjin", "--invoice", "1234567890"}, "exchanges pickup-invoice: --courier \"hanjin\""},
		{[]string{"exchanges", "pickup-invoice", "--id", "1", "--courier", "CJGLS"}, "exchanges pickup-invoice: --invoice is required"},
		{[]string{"sandbox", "--returns", "-1"}, "--returns must not be negative"},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			res := runCLI(t, tt.args...)
			assert.Equal(t, exitUsage, res.code)
			assert.Empty(t, res.stdout)
			got := lines(res.stderr)
			require.NotEmpty(t, got)
			last := got[len(got)-1]
			assert.True(t, strings.HasPrefix(last, "coupang: "), last)
			assert.Contains(t, last, tt.msg)
		})
	}
	assert.Empty(t, srv.Calls(), "nothing was sent for any of them")
}

// A --count other than the receipt's whole quantity is refused (exit 2)
// after the receipt is read and before anything is written.
func TestReturnsCountMustBeTheWholeQuantity(t *testing.T) {
	srv := returnWriteFixture(t)
	useServer(t, srv)
	for _, args := range [][]string{
		{"returns", "approve", "--id", "500000003", "--count", "2"},
		{"returns", "approve", "--id", "500000003", "--count", "2", "--dry-run"},
		{"returns", "stop", "--id", "500000001", "--count", "1"},
	} {
		res := runCLI(t, args...)
		assert.Equal(t, exitUsage, res.code, args)
		assert.Empty(t, res.stdout, args)
		assert.Contains(t, res.stderr, "whole quantity is", args)
		assert.Contains(t, res.stderr, "and Coupang accepts only that", args)
	}
	res := runCLI(t, "returns", "stop", "--id", "500000001", "--count", "1")
	assert.Contains(t, res.stderr, "coupang: returns stop: --count 1: return 500000001's whole quantity is 2, and Coupang accepts only that")
	assert.Zero(t, writesSent(srv))
	assert.Empty(t, srv.Applied())
}

// A receipt whose state does not allow the write is refused with the
// reason (exit 1), before anything is sent.
func TestReturnsWriteRefusedByTheState(t *testing.T) {
	srv := returnWriteFixture(t)
	useServer(t, srv)
	for _, tt := range []struct {
		args []string
		msg  string
	}{
		{[]string{"returns", "approve", "--id", "500000002"}, "coupang: return 500000002 cannot be approved: the receipt is not confirmed yet: confirm it once the goods are back (status 반품접수 return received, unchecked)"},
		{[]string{"returns", "stop", "--id", "500000002", "--dry-run"}, "coupang: return 500000002 cannot have its shipment stopped: the order had shipped"},
		{[]string{"returns", "shipped", "--id", "500000003", "--courier", "CJGLS", "--invoice", "612345678902"}, "coupang: return 500000003 cannot be reported shipped"},
		{[]string{"returns", "pickup-invoice", "--id", "500000004", "--courier", "CJGLS", "--invoice", "612345678902"}, "coupang: return 500000004 cannot take a pickup waybill: its state no longer allows it (status 반품완료 return completed, quick refund)"},
		{[]string{"returns", "pickup-invoice", "--id", "500000001", "--courier", "CJGLS", "--invoice", "612345678902"}, "coupang: return 500000001 cannot take a pickup waybill: the order has not shipped: there is nothing to pick up"},
		{[]string{"returns", "confirm", "--id", "500000001", "--force"}, "coupang: return 500000001 cannot be confirmed: a release-stop request: answer it first"},
	} {
		res := runCLI(t, tt.args...)
		assert.Equal(t, exitFail, res.code, tt.args)
		assert.Empty(t, res.stdout, tt.args)
		assert.Contains(t, res.stderr, tt.msg, tt.args)
	}
	assert.Zero(t, writesSent(srv))
}

// confirm refuses a return whose goods cannot be back yet (no pickup
// waybill), naming --force; --force confirms it.
func TestReturnsConfirmEarlyNeedsForce(t *testing.T) {
	srv := returnWriteFixture(t)
	useServer(t, srv)
	for _, args := range [][]string{{"--dry-run"}, nil} {
		res := runCLI(t, append([]string{"returns", "confirm", "--id", "500000006"}, args...)...)
		assert.Equal(t, exitFail, res.code, args)
		assert.Empty(t, res.stdout, args)
		assert.Contains(t, res.stderr, "coupang: return 500000006: not sent: the goods cannot be back yet: no pickup waybill is registered. If you have the goods already and have checked them, run again with --force", args)
	}
	assert.Zero(t, writesSent(srv))

	res := runCLI(t, "returns", "confirm", "--id", "500000006", "--force", "--dry-run")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Contains(t, res.stdout, "would confirm the receipt")
	assert.Zero(t, writesSent(srv))

	res = runCLI(t, "returns", "confirm", "--id", "500000006", "--force")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Contains(t, res.stderr, "return 500000006: sending with --force although the goods cannot be back yet")
	assert.Contains(t, res.stdout, "receipt confirmed")
	assert.Equal(t, 1, srv.Count(coupangtest.ActionReturnConfirmReceipt, 500000006))
}

// A receipt the customer withdrew is named so, from the withdrawal
// history, and nothing is written.
func TestReturnsWriteOnAWithdrawnReceipt(t *testing.T) {
	srv := returnWriteFixture(t)
	useServer(t, srv)
	require.True(t, srv.WithdrawReturn(500000002))
	for _, args := range [][]string{
		{"returns", "confirm", "--id", "500000002"},
		{"returns", "confirm", "--id", "500000002", "--dry-run"},
		{"returns", "pickup-invoice", "--id", "500000002", "--courier", "CJGLS", "--invoice", "612345678902"},
	} {
		res := runCLI(t, args...)
		assert.Equal(t, exitFail, res.code, args)
		assert.Empty(t, res.stdout, args)
		assert.Contains(t, res.stderr, "coupang: return 500000002 was withdrawn by the customer at ", args)
	}
	assert.Zero(t, writesSent(srv))

	// An id Coupang never had is Coupang's own error.
	res := runCLI(t, "returns", "confirm", "--id", "1")
	assert.Equal(t, exitFail, res.code)
	assert.NotContains(t, res.stderr, "withdrawn")
	assert.Zero(t, writesSent(srv))
}

// A write whose answer is lost is resolved by reading the receipt again,
// never sent twice (the Ensure… calls).
func TestReturnsOutcomeUnknownIsResolvedByReading(t *testing.T) {
	srv := returnWriteFixture(t)
	useServer(t, srv)
	failFirstWrite(t, srv, http.StatusGatewayTimeout)
	res := runCLI(t, "returns", "approve", "--id", "500000003")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Equal(t, "return 500000003: approved with cancelCount 1\n", res.stdout)
	assert.Equal(t, 1, srv.Count(coupangtest.ActionReturnApprove, 500000003))
	assert.Equal(t, 1, writesSent(srv), "sent once")
}

// exchanges pickup-invoice: dry run, once, then nothing; refused once the
// pickup is directed.
func TestExchangesPickupInvoice(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	useServer(t, srv)
	id := pick(t, srv, func(ex coupang.ExchangeRequest) bool {
		return ex.CollectStatus == coupang.CollectStatusBeforeDirection && !ex.Status.Terminal()
	})
	var idNum int64
	fmt.Sscan(id, &idNum)
	args := []string{"exchanges", "pickup-invoice", "--id", id, "--courier", "HANJIN", "--invoice", "512345678901"}

	res := runCLI(t, append(args, "--dry-run")...)
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Equal(t, "exchange "+id+": would register pickup waybill HANJIN 512345678901 (status 접수 received, pickup "+pickupLabel(srv, idNum)+") [dry run: nothing sent]\n", res.stdout)
	assert.Empty(t, srv.Applied())

	res = runCLI(t, args...)
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Equal(t, "exchange "+id+": pickup waybill HANJIN 512345678901 registered\n", res.stdout)

	res = runCLI(t, args...)
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Contains(t, res.stdout, "already carries pickup waybill HANJIN 512345678901")
	assert.Contains(t, res.stdout, "; nothing sent\n")
	assert.Equal(t, 1, srv.Count(coupangtest.ActionPickupInvoice, idNum))

	other := pick(t, srv, func(ex coupang.ExchangeRequest) bool { return ex.CollectStatus == coupang.CollectStatusDelivering })
	res = runCLI(t, "exchanges", "pickup-invoice", "--id", other, "--courier", "HANJIN", "--invoice", "512345678901")
	assert.Equal(t, exitFail, res.code)
	assert.Contains(t, res.stderr, "coupang: exchange "+other+" cannot take a pickup waybill: a pickup waybill can be registered only before the pickup is directed")
	assert.Len(t, srv.Applied(), 1)
}
