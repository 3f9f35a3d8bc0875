package main

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
	"github.com/go-coupang/coupang/examples/internal/clitest"
)

// A PROGRESS exchange of the default sandbox seed and its new box, the ones
// the package documentation shows.
const (
	sandboxProgress = 400177819
	sandboxBox      = 500000789279679787
)

func TestSandboxWhenNoCredentials(t *testing.T) {
	clitest.NoEnv(t)
	res := clitest.Run(t, run, "-id", fmt.Sprint(sandboxProgress), "-box", fmt.Sprint(sandboxBox), "-courier", "CJGLS", "-invoice", "123456789012")
	require.Equal(t, 0, res.Code, res.Stderr)
	assert.Regexp(t, `^no COUPANG_\* credentials set: using the in-process sandbox at http://127\.0\.0\.1:\d+\n$`, res.Stderr)
	assert.Equal(t, fmt.Sprintf("exchange %d: waybill CJGLS 123456789012 uploaded for box %d; Coupang answered SUCCESS\n", sandboxProgress, sandboxBox), res.Stdout)
}

func TestAgainstAServer(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	clitest.UseServer(t, srv)
	var ex coupang.ExchangeRequest
	var box int64
	for _, e := range srv.Exchanges() {
		if b, ok := e.ReplacementShipmentBoxID(); ok && e.Status == coupang.ExchangeStatusProgress {
			ex, box = e, b
			break
		}
	}
	require.NotZero(t, box)
	id := fmt.Sprint(ex.ExchangeID)

	res := clitest.Run(t, run, "-id", id, "-box", fmt.Sprint(box), "-courier", "HANJIN", "-invoice", "9876543210")
	require.Equal(t, 0, res.Code, res.Stderr)
	assert.Equal(t, []coupang.ExchangeInvoice{{ShipmentBoxID: box, GoodsDeliveryCode: "HANJIN", InvoiceNumber: "9876543210"}}, srv.Invoices(ex.ExchangeID))

	original := fmt.Sprint(ex.Items[0].OriginalShipmentBoxID)
	res = clitest.Run(t, run, "-id", id, "-box", original, "-courier", "CJGLS", "-invoice", "123456789012")
	assert.Equal(t, 1, res.Code)
	assert.Contains(t, res.Stderr, fmt.Sprintf("exchange %s cannot take a waybill: -box %s is not the exchange's new shipment box %d", id, original, box))
	assert.Len(t, srv.Invoices(ex.ExchangeID), 1, "nothing sent")

	// With -force it is sent, and Coupang's refusal is reported as it came.
	res = clitest.Run(t, run, "-id", id, "-box", original, "-courier", "CJGLS", "-invoice", "123456789012", "-force")
	assert.Equal(t, 1, res.Code)
	lines := clitest.Lines(res.Stderr)
	require.Len(t, lines, 3)
	assert.Contains(t, lines[1], "uploading with -force although -box")
	assert.Contains(t, lines[2], "upload-invoice: coupang: POST ")
	assert.Contains(t, lines[2], "resultCode FAIL): shipmentBoxId ("+original+")'s status [NONE_TRACKING] is not suitable for applyInvoice")

	// A waybill of an unusual length is sent with a warning; Coupang refuses it.
	res = clitest.Run(t, run, "-id", id, "-box", fmt.Sprint(box), "-courier", "CJGLS", "-invoice", "12345")
	assert.Equal(t, 1, res.Code)
	assert.Contains(t, res.Stderr, "warning: CJGLS waybill numbers have [10 12] characters, not 5\n")
	assert.Len(t, srv.Invoices(ex.ExchangeID), 1)

	// An unknown courier is sent as given, with a warning; like Coupang,
	// which adds couriers without notice, the sandbox accepts it.
	res = clitest.Run(t, run, "-id", id, "-box", fmt.Sprint(box), "-courier", "NEWCOURIER", "-invoice", "123")
	assert.Equal(t, 0, res.Code, res.Stderr)
	assert.Contains(t, res.Stderr, "warning: courier code NEWCOURIER is not in the built-in table (Coupang adds couriers); sending it as given\n")
	assert.Len(t, srv.Invoices(ex.ExchangeID), 2)
}

func TestRefusesWhatTheStateDoesNotAllow(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	clitest.UseServer(t, srv)
	var receipt, done int64
	for _, e := range srv.Exchanges() {
		switch {
		case receipt == 0 && e.Status == coupang.ExchangeStatusReceipt:
			receipt = e.ExchangeID
		case done == 0 && e.Status == coupang.ExchangeStatusSuccess:
			done = e.ExchangeID
		}
	}
	for _, tt := range []struct {
		id  int64
		why string
	}{
		{receipt, "the receipt is not confirmed yet"},
		{done, "the exchange is done (SUCCESS): its box carries a waybill and it accepts no further action"},
	} {
		res := clitest.Run(t, run, "-id", fmt.Sprint(tt.id), "-box", "500000000000000001", "-courier", "CJGLS", "-invoice", "123456789012")
		assert.Equal(t, 1, res.Code, res.Stderr)
		assert.Contains(t, res.Stderr, fmt.Sprintf("exchange %d cannot take a waybill: %s", tt.id, tt.why))
		assert.Contains(t, res.Stderr, "(-force sends it anyway; Coupang decides)")
		assert.Empty(t, srv.Invoices(tt.id))
	}

	// A box Coupang has not created yet: wait.
	srv2 := coupangtest.NewTestServer(t, coupangtest.WithBoxDelay(1<<40))
	clitest.UseServer(t, srv2)
	var id int64
	for _, e := range srv2.Exchanges() {
		if e.Status == coupang.ExchangeStatusReceipt && e.Actions().Next == coupang.StepConfirmOnArrival {
			id = e.ExchangeID
			break
		}
	}
	c, err := srv2.Client()
	require.NoError(t, err)
	require.NoError(t, c.Exchanges.ConfirmReceipt(t.Context(), id))
	res := clitest.Run(t, run, "-id", fmt.Sprint(id), "-box", "500000000000000001", "-courier", "CJGLS", "-invoice", "123456789012")
	assert.Equal(t, 1, res.Code, res.Stderr)
	assert.Contains(t, res.Stderr, "Coupang has not created the replacement's shipment box yet")
	assert.Contains(t, res.Stderr, "wait and run again")
}

func TestRefusesACourierOneSlipFromAKnownOne(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	clitest.UseServer(t, srv)
	args := []string{"-id", fmt.Sprint(sandboxProgress), "-box", fmt.Sprint(sandboxBox), "-courier", "CJGSL", "-invoice", "123456789012"}
	res := clitest.Run(t, run, args...)
	assert.Equal(t, 2, res.Code)
	assert.Contains(t, res.Stderr, "-courier CJGSL is not in the built-in table: did you mean CJGLS? (-courier-unlisted sends it as given)")
	assert.Empty(t, srv.Calls())

	res = clitest.Run(t, run, append(args, "-courier-unlisted")...)
	require.Equal(t, 0, res.Code, res.Stderr)
	assert.Contains(t, res.Stderr, "warning: courier code CJGSL is not in the built-in table")
	assert.Len(t, srv.Invoices(sandboxProgress), 1)
}

func TestBadInvocations(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	clitest.UseServer(t, srv)
	for _, tt := range []struct {
		args []string
		msg  string
	}{
		{nil, "upload-invoice: -box is required"},
		{[]string{"-id", "1", "-box", "2", "-courier", "CJGLS"}, "-invoice is required"},
		{[]string{"-id", "1", "-box", "2", "-invoice", "123456789012"}, "-courier is required"},
		{[]string{"-id", "1", "-box", "x"}, `invalid value "x" for flag -box`},
		{[]string{"-id", "1", "-box", "2", "-courier", "CJ GLS", "-invoice", "123456789012"}, `-courier "CJ GLS": want a courier code of capital letters`},
		// Refused, never rewritten (issue 22): not upper-cased and sent.
		{[]string{"-id", "1", "-box", "2", "-courier", "cj", "-invoice", "123456789012"}, `-courier "cj": want a courier code of capital letters, digits and underscores, such as CJGLS (did you mean CJGLS?)`},
		{[]string{"-id", "1", "-box", "2", "-courier", "cjgls", "-invoice", "123456789012"}, `(did you mean CJGLS?)`},
		{[]string{"-id", "1", "-box", "2", "-courier", "CJGLS", "-invoice", " 123456789012"}, `-invoice: want a waybill number of ASCII letters, digits and "-"`},
		{[]string{"-id", "-1", "-box", "2", "-courier", "CJGLS", "-invoice", "123456789012"}, "-id must be positive, got -1"},
	} {
		res := clitest.Run(t, run, tt.args...)
		assert.Equal(t, 2, res.Code, tt.args)
		lines := clitest.Lines(res.Stderr)
		require.NotEmpty(t, lines)
		assert.Contains(t, lines[len(lines)-1], tt.msg)
	}
	assert.Empty(t, srv.Calls(), "the client refused all of them before sending")
}
