package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

// pick returns the id of the first seeded exchange for which ok holds.
func pick(t *testing.T, srv *coupangtest.Server, ok func(coupang.ExchangeRequest) bool) string {
	t.Helper()
	for _, ex := range srv.Exchanges() {
		if ok(ex) {
			return fmt.Sprint(ex.ExchangeID)
		}
	}
	t.Fatal("no seeded exchange fits")
	return ""
}

// receipt holds for a RECEIPT exchange that can be rejected and whose item
// can have arrived (the courier has it), so that confirm needs no --force.
func receipt(ex coupang.ExchangeRequest) bool {
	a := ex.Actions()
	return ex.Status == coupang.ExchangeStatusReceipt && ex.Rejectable && a.ConfirmReceipt.Allowed && !a.ConfirmReceipt.Early
}

func TestConfirmWaitUpload(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	useServer(t, srv)
	id := pick(t, srv, receipt)
	var idNum int64
	fmt.Sscan(id, &idNum)

	// A dry run sends no write.
	res := runCLI(t, "exchanges", "confirm", "--id", id, "--dry-run")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Equal(t, "exchange "+id+": would confirm receipt (status 접수 received, pickup "+pickupLabel(srv, idNum)+") [dry run: nothing sent]\n", res.stdout)
	assert.Empty(t, srv.Applied())

	// Uploading before confirming says what to do.
	res = runCLI(t, "exchanges", "upload-invoice", "--id", id, "--courier", "CJGLS", "--invoice", "123456789012")
	assert.Equal(t, exitFail, res.code)
	assert.Contains(t, res.stderr, "confirm the receipt first: coupang exchanges confirm --id "+id)

	res = runCLI(t, "exchanges", "confirm", "--id", id)
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Equal(t, "exchange "+id+": receipt confirmed\nnext: coupang exchanges wait-box --id "+id+"\n", res.stdout)

	// Confirming again sends nothing.
	res = runCLI(t, "exchanges", "confirm", "--id", id)
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Contains(t, res.stdout, "receipt already confirmed")
	assert.Equal(t, 1, srv.Confirmations(idNum))

	res = runCLI(t, "exchanges", "wait-box", "--id", id)
	require.Equal(t, exitOK, res.code, res.stderr)
	ex, _ := srv.Exchange(idNum)
	box, ok := ex.ReplacementShipmentBoxID()
	require.True(t, ok)
	assert.Equal(t, fmt.Sprintf("%d\n", box), res.stdout)

	res = runCLI(t, "exchanges", "upload-invoice", "--id", id, "--courier", "CJGLS", "--invoice", "123456789012", "--dry-run")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Contains(t, res.stdout, "would upload CJGLS 123456789012 for box")
	assert.Empty(t, srv.Invoices(idNum))

	res = runCLI(t, "exchanges", "upload-invoice", "--id", id, "--courier", "CJGLS", "--invoice", "123456789012")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Equal(t, fmt.Sprintf("exchange %s: waybill CJGLS 123456789012 uploaded for box %d\n", id, box), res.stdout)

	res = runCLI(t, "exchanges", "upload-invoice", "--id", id, "--courier", "CJGLS", "--invoice", "123456789012")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Contains(t, res.stdout, "already carries CJGLS 123456789012; nothing sent")
	assert.Len(t, srv.Invoices(idNum), 1)

	// A courier the table does not know is sent, with a warning; a dry
	// run warns without claiming to send.
	res = runCLI(t, "exchanges", "upload-invoice", "--id", id, "--courier", "NEWCOURIER", "--invoice", "X1", "--dry-run")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Contains(t, res.stderr, "warning: courier code NEWCOURIER is not in the built-in table")
	assert.NotContains(t, res.stderr, "sending", "a dry run sends nothing")
	res = runCLI(t, "exchanges", "upload-invoice", "--id", id, "--courier", "NEWCOURIER", "--invoice", "X1")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Contains(t, res.stderr, "warning: courier code NEWCOURIER is not in the built-in table")
}

func TestUploadInvoiceRefusesACourierOneSlipFromAKnownOne(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	useServer(t, srv)
	id := pick(t, srv, func(ex coupang.ExchangeRequest) bool { return ex.Actions().Next == coupang.StepUploadInvoice })
	var idNum int64
	fmt.Sscan(id, &idNum)

	for _, code := range []string{"CJGSL", "CJGL", "HANJN"} {
		res := runCLI(t, "exchanges", "upload-invoice", "--id", id, "--courier", code, "--invoice", "123456789012")
		assert.Equal(t, exitUsage, res.code, code)
		assert.Contains(t, res.stderr, "--courier "+code+" is not in the built-in table: did you mean ", code)
		assert.Contains(t, res.stderr, "(--courier-unlisted sends it as given)", code)
	}
	res := runCLI(t, "exchanges", "upload-invoice", "--id", id, "--courier", "CJGSL", "--invoice", "123456789012")
	assert.Contains(t, res.stderr, "did you mean CJGLS?")
	assert.Empty(t, srv.Invoices(idNum), "nothing sent")

	res = runCLI(t, "exchanges", "upload-invoice", "--id", id, "--courier", "CJGSL", "--invoice", "123456789012", "--courier-unlisted")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Contains(t, res.stderr, "warning: courier code CJGSL is not in the built-in table")
	assert.Len(t, srv.Invoices(idNum), 1)
}

func TestRejectRefusesACodeInAnotherForm(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	useServer(t, srv)
	id := pick(t, srv, receipt)
	for _, code := range []string{"soldout", "Withdraw", " SOLDOUT"} {
		res := runCLI(t, "exchanges", "reject", "--id", id, "--code", code)
		assert.Equal(t, exitUsage, res.code, code)
		assert.Contains(t, res.stderr, fmt.Sprintf("--code %q: want SOLDOUT or WITHDRAW (did you mean ", code))
	}
	assert.Empty(t, srv.Calls(), "refused before connecting")
}

func pickupLabel(srv *coupangtest.Server, id int64) string {
	ex, _ := srv.Exchange(id)
	return label(string(ex.CollectStatus), ex.CollectStatus.Korean(), ex.CollectStatus.English())
}

func TestWaitBoxUntilTheBoxAppears(t *testing.T) {
	srv := coupangtest.NewTestServer(t, coupangtest.WithBoxDelay(2*time.Second)) // on the server's clock; long enough that a loaded machine still finds no box at first
	useServer(t, srv)
	id := pick(t, srv, receipt)
	require.Equal(t, exitOK, runCLI(t, "exchanges", "confirm", "--id", id).code)
	res := runCLI(t, "exchanges", "wait-box", "--id", id)
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Contains(t, res.stderr, "waiting for its new shipment box")
	assert.Regexp(t, `^\d{18}\n$`, res.stdout)

	// Waiting for an unconfirmed exchange ends at once with the reason.
	other := pick(t, srv, func(ex coupang.ExchangeRequest) bool { return receipt(ex) && fmt.Sprint(ex.ExchangeID) != id })
	res = runCLI(t, "exchanges", "wait-box", "--id", other)
	assert.Equal(t, exitFail, res.code)
	assert.Contains(t, res.stderr, "receipt is not confirmed")

	// A timeout says so.
	srv2 := coupangtest.NewTestServer(t, coupangtest.WithBoxDelay(1<<40))
	useServer(t, srv2)
	id2 := pick(t, srv2, receipt)
	require.Equal(t, exitOK, runCLI(t, "exchanges", "confirm", "--id", id2).code)
	res = runCLI(t, "exchanges", "wait-box", "--id", id2, "--timeout", "100ms")
	assert.Equal(t, exitFail, res.code)
	assert.Contains(t, res.stderr, "no new shipment box after 100ms")
}

func TestReject(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	useServer(t, srv)
	id := pick(t, srv, receipt)
	var idNum int64
	fmt.Sscan(id, &idNum)

	res := runCLI(t, "exchanges", "reject", "--id", id, "--code", "SOLDOUT", "--dry-run")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Contains(t, res.stdout, "would reject with SOLDOUT")
	assert.Empty(t, srv.Applied())

	res = runCLI(t, "exchanges", "reject", "--id", id, "--code", "SOLDOUT")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Equal(t, "exchange "+id+": rejected with SOLDOUT\n", res.stdout)
	res = runCLI(t, "exchanges", "reject", "--id", id, "--code", "SOLDOUT")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Contains(t, res.stdout, "already rejected; nothing sent")
	assert.Equal(t, 1, srv.Rejections(idNum))

	notRejectable := pick(t, srv, func(ex coupang.ExchangeRequest) bool {
		return ex.Status == coupang.ExchangeStatusReceipt && !ex.Rejectable
	})
	res = runCLI(t, "exchanges", "reject", "--id", notRejectable, "--code", "WITHDRAW")
	assert.Equal(t, exitFail, res.code)
	assert.Contains(t, res.stderr, "cannot be rejected: Coupang marks the exchange not rejectable")

	res = runCLI(t, "exchanges", "reject", "--id", "1", "--code", "WITHDRAW")
	assert.Equal(t, exitFail, res.code)
	assert.Contains(t, res.stderr, "exchange 1: not among the exchange requests of the last 30 days")
}

// A write whose answer is lost is resolved by listing again, never sent twice.
func TestOutcomeUnknownIsResolvedByListing(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	useServer(t, srv)
	id := pick(t, srv, receipt)
	var idNum int64
	fmt.Sscan(id, &idNum)
	failFirstWrite(t, srv, http.StatusGatewayTimeout)

	res := runCLI(t, "exchanges", "confirm", "--id", id)
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Contains(t, res.stdout, "receipt confirmed")
	assert.Equal(t, 1, srv.Confirmations(idNum))
	writes := 0
	for _, c := range srv.Calls() {
		if c.Method != http.MethodGet {
			writes++
		}
	}
	assert.Equal(t, 1, writes, "sent once")
}

// failFirstWrite puts a proxy in front of srv that makes srv apply the first
// write it forwards and then answer it with status, as a gateway timeout
// hides a write that went through.
func failFirstWrite(t *testing.T, srv *coupangtest.Server, status int) {
	t.Helper()
	target, err := url.Parse(srv.URL)
	require.NoError(t, err)
	proxy := httputil.NewSingleHostReverseProxy(target)
	var once sync.Once
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			once.Do(func() { srv.FailNextAfterApplying(1, status) })
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	t.Setenv(coupang.EnvBaseURL, front.URL)
}
