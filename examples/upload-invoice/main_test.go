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
		if b, ok := e.NewShipmentBoxID(); ok && e.Status == coupang.ExchangeStatusProgress {
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
	lines := clitest.Lines(res.Stderr)
	require.Len(t, lines, 2)
	assert.Contains(t, lines[1], "upload-invoice: coupang: POST ")
	assert.Contains(t, lines[1], "resultCode FAIL): shipmentBoxId ("+original+")'s status [NONE_TRACKING] is not suitable for applyInvoice")

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
		{[]string{"-id", "1", "-box", "2", "-courier", "CJGLS", "-invoice", " 123456789012"}, "invalid invoices[0].InvoiceNumber"},
	} {
		res := clitest.Run(t, run, tt.args...)
		assert.Equal(t, 2, res.Code, tt.args)
		lines := clitest.Lines(res.Stderr)
		require.NotEmpty(t, lines)
		assert.Contains(t, lines[len(lines)-1], tt.msg)
	}
	assert.Empty(t, srv.Calls(), "the client refused all of them before sending")
}
