package main

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
	"github.com/go-coupang/coupang/examples/internal/clitest"
)

// The exchanges the sandbox run acts on with the default seed.
const (
	sandboxConfirmed = 400179366 // the oldest RECEIPT whose pickup is under way
	sandboxRejected  = 400178534 // the oldest other rejectable one
)

// timely reports a RECEIPT exchange whose returned item can have arrived:
// the SDK's rule lets it be confirmed without --force.
func timely(ex coupang.ExchangeRequest) bool {
	a := ex.Actions().ConfirmReceipt
	return a.Allowed && !a.Early
}

func TestSandboxWhenNoCredentials(t *testing.T) {
	clitest.NoEnv(t)
	res := clitest.Run(t, run)
	require.Equal(t, 0, res.Code, res.Stderr)
	assert.Regexp(t, `^no COUPANG_\* credentials set: using the in-process sandbox at http://127\.0\.0\.1:\d+\n$`, res.Stderr)

	out := res.Stdout
	for i, title := range []string{
		"List the RECEIPT exchange requests created",
		fmt.Sprintf("Confirm receipt of exchange %d", sandboxConfirmed),
		fmt.Sprintf("Wait for the new shipment box of exchange %d", sandboxConfirmed),
		"Upload the waybill of the replacement: courier CJGLS, number ",
		fmt.Sprintf("Reject exchange %d", sandboxRejected),
		"Final states, from a second pass of Changes",
	} {
		assert.Contains(t, out, fmt.Sprintf("\n%d. %s", i+1, title))
	}
	assert.Contains(t, out, "RECEIPT found, oldest first:")
	assert.Contains(t, out, "→ 2 changed since the first pass")
	assert.Equal(t, 3, strings.Count(out, "→ Coupang answered SUCCESS"))
	box := regexp.MustCompile(`→ new shipment box (\d{18}) \(after 1\.\ds\)\n`).FindStringSubmatch(out)
	require.NotNil(t, box, out)
	waybill := regexp.MustCompile(`courier CJGLS, number (\d{12}), box ` + box[1]).FindStringSubmatch(out)
	require.NotNil(t, waybill, out)
	assert.Contains(t, out, fmt.Sprintf("%d  PROGRESS (in progress)  pickup CompleteCollect  delivery CompleteDirection  box %s  waybill CJGLS %s", sandboxConfirmed, box[1], waybill[1]))
	assert.Contains(t, out, fmt.Sprintf("%d  REJECT (rejected)", sandboxRejected))
	assert.True(t, strings.HasSuffix(out, fmt.Sprintf("\nDone: receipt of exchange %d confirmed; waybill CJGLS %s uploaded for exchange %d; exchange %d rejected.\n",
		sandboxConfirmed, waybill[1], sandboxConfirmed, sandboxRejected)), out)
}

func TestNoPersonalDataInTheAccount(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	clitest.UseServer(t, srv)
	var confirm, reject int64
	for _, ex := range srv.Exchanges() {
		if ex.Status != coupang.ExchangeStatusReceipt {
			continue
		}
		if confirm == 0 && timely(ex) {
			confirm = ex.ExchangeID
		} else if reject == 0 && ex.Rejectable {
			reject = ex.ExchangeID
		}
	}
	res := clitest.Run(t, run, "-confirm", fmt.Sprint(confirm), "-reject", fmt.Sprint(reject), "-invoice", "123456789012")
	require.Equal(t, 0, res.Code, res.Stderr)
	for _, ex := range srv.Exchanges() {
		a := ex.Address
		for _, pii := range []string{string(a.ReturnCustomerName), string(a.ReturnAddress), string(a.ReturnAddressDetail), string(a.ReturnMobile), string(a.DeliveryMobile), string(ex.ReasonEtcDetail)} {
			if pii != "" {
				assert.NotContains(t, res.Stdout+res.Stderr, pii)
			}
		}
	}
}

func TestAgainstAServer(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	clitest.UseServer(t, srv)
	var receipts, timelyOnes []coupang.ExchangeRequest
	var early int64
	for _, ex := range srv.Exchanges() {
		if ex.Status == coupang.ExchangeStatusReceipt {
			receipts = append(receipts, ex)
			if timely(ex) {
				timelyOnes = append(timelyOnes, ex)
			} else if early == 0 && ex.Actions().ConfirmReceipt.Early {
				early = ex.ExchangeID
			}
		}
	}
	require.GreaterOrEqual(t, len(timelyOnes), 2)
	require.NotZero(t, early)
	confirm := timelyOnes[0].ExchangeID
	var reject int64
	for _, ex := range receipts {
		if ex.Rejectable && ex.ExchangeID != confirm && ex.ExchangeID != timelyOnes[1].ExchangeID && ex.ExchangeID != early {
			reject = ex.ExchangeID
			break
		}
	}
	require.NotZero(t, reject)

	t.Run("without ids it only lists", func(t *testing.T) {
		res := clitest.Run(t, run)
		require.Equal(t, 0, res.Code, res.Stderr)
		assert.Contains(t, res.Stdout, fmt.Sprintf("Exchange workflow for vendor %s at %s\n", srv.VendorID, srv.URL))
		assert.Contains(t, res.Stdout, "2. Confirm receipt — skipped")
		assert.Contains(t, res.Stdout, "3. Reject a sold-out exchange — skipped")
		assert.True(t, strings.HasSuffix(res.Stdout, "\nDone: nothing changed.\n"))
		assert.Empty(t, srv.Applied(), "nothing is done to a real account unasked")
	})

	t.Run("with ids it acts on them", func(t *testing.T) {
		res := clitest.Run(t, run, "-confirm", fmt.Sprint(confirm), "-reject", fmt.Sprint(reject), "-courier", "HANJIN", "-invoice", "1234567890")
		require.Equal(t, 0, res.Code, res.Stderr)
		assert.Equal(t, 1, srv.Confirmations(confirm))
		assert.Equal(t, 1, srv.Rejections(reject))
		invoices := srv.Invoices(confirm)
		require.Len(t, invoices, 1)
		assert.Equal(t, "HANJIN", invoices[0].GoodsDeliveryCode)
		assert.Equal(t, "1234567890", invoices[0].InvoiceNumber)
		ex, _ := srv.Exchange(confirm)
		box, _ := ex.ReplacementShipmentBoxID()
		assert.Equal(t, box, invoices[0].ShipmentBoxID, "the waybill went to the NEW box")
		assert.Contains(t, res.Stdout, fmt.Sprintf("→ new shipment box %d", box))
	})

	t.Run("without a waybill number it confirms but uploads nothing", func(t *testing.T) {
		id := timelyOnes[1].ExchangeID
		res := clitest.Run(t, run, "-confirm", fmt.Sprint(id), "-days", "7")
		require.Equal(t, 0, res.Code, res.Stderr)
		assert.Contains(t, res.Stdout, "Upload the waybill — skipped")
		assert.Equal(t, 1, srv.Confirmations(id))
		assert.Empty(t, srv.Invoices(id))
	})

	// The SDK's one rule: no confirmation before the item can have
	// arrived, even when asked for by id (issue 22).
	t.Run("an item that cannot have arrived is not confirmed", func(t *testing.T) {
		res := clitest.Run(t, run, "-confirm", fmt.Sprint(early))
		assert.Equal(t, 1, res.Code)
		assert.Contains(t, res.Stderr, fmt.Sprintf("-confirm %d: not confirmed: the returned item cannot have reached you yet: the courier has not picked it up yet (pickup ", early))
		assert.Contains(t, res.Stderr, "--force")
		assert.Zero(t, srv.Confirmations(early), "nothing sent")
	})

	t.Run("an exchange that is not waiting", func(t *testing.T) {
		res := clitest.Run(t, run, "-confirm", fmt.Sprint(confirm))
		assert.Equal(t, 1, res.Code)
		lines := clitest.Lines(res.Stderr)
		require.Len(t, lines, 2)
		assert.Equal(t, fmt.Sprintf("exchange-workflow: -confirm %d: not among the RECEIPT exchange requests of the last 30 days", confirm), lines[1])
	})

	t.Run("a state that does not allow the action is reported and nothing sent", func(t *testing.T) {
		var fixed int64
		for _, ex := range receipts[3:] {
			if !ex.Rejectable {
				fixed = ex.ExchangeID
				break
			}
		}
		require.NotZero(t, fixed)
		res := clitest.Run(t, run, "-reject", fmt.Sprint(fixed), "-days", "7")
		assert.Equal(t, 1, res.Code)
		assert.Contains(t, res.Stdout, "note: Coupang marks the exchange not rejectable, so Coupang should refuse")
		assert.Contains(t, res.Stdout, "→ not sent: the exchange's current state does not allow it")
		lines := clitest.Lines(res.Stderr)
		require.Len(t, lines, 2)
		assert.Contains(t, lines[1], fmt.Sprintf("exchange-workflow: coupang: exchange %d is RECEIPT (pickup ", fixed))
		assert.Contains(t, lines[1], "rejectable false): coupang: action not applicable to the exchange's state")
		assert.Zero(t, srv.Rejections(fixed), "nothing sent")
	})
}

func TestGivesUpWaitingForTheBox(t *testing.T) {
	srv := coupangtest.NewTestServer(t, coupangtest.WithBoxDelay(time.Hour))
	clitest.UseServer(t, srv)
	id := int64(0)
	for _, ex := range srv.Exchanges() {
		if timely(ex) {
			id = ex.ExchangeID
			break
		}
	}
	res := clitest.Run(t, run, "-confirm", fmt.Sprint(id), "-invoice", "123456789012", "-wait", "300ms", "-days", "7")
	assert.Equal(t, 1, res.Code)
	lines := clitest.Lines(res.Stderr)
	require.Len(t, lines, 2)
	assert.Contains(t, lines[1], fmt.Sprintf("exchange-workflow: no new shipment box for exchange %d after 300ms; list it again later", id))
	assert.Equal(t, 1, srv.Confirmations(id))
	assert.Empty(t, srv.Invoices(id))
}

func TestBadInvocations(t *testing.T) {
	clitest.NoEnv(t)
	for _, tt := range []struct {
		args []string
		msg  string
	}{
		{[]string{"-days", "0"}, "-days 0: want at least 1"},
		{[]string{"-wait", "0s"}, "-wait 0s: want a positive duration"},
		{[]string{"-wait", "soon"}, `invalid value "soon" for flag -wait`},
		{[]string{"-confirm", "5", "-reject", "5"}, "-confirm and -reject need two different positive exchange ids"},
		{[]string{"-confirm", "-5"}, "-confirm and -reject need two different positive exchange ids"},
		{[]string{"now"}, `unexpected argument "now"`},
	} {
		res := clitest.Run(t, run, tt.args...)
		assert.Equal(t, 2, res.Code, tt.args)
		lines := clitest.Lines(res.Stderr)
		require.Len(t, lines, 1, tt.args)
		assert.Contains(t, lines[0], "exchange-workflow: "+tt.msg)
		assert.Empty(t, res.Stdout)
	}
}
