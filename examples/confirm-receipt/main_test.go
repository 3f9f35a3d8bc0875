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
	"github.com/go-coupang/coupang/examples/internal/clitest"
)

// sandboxReceipt is a RECEIPT exchange of the default sandbox seed whose
// item is on its way back, the one the package documentation shows.
const sandboxReceipt = 400179366

func TestRefusesAnExchangeNotPickedUp(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	clitest.UseServer(t, srv)
	var early int64
	for _, ex := range srv.Exchanges() {
		if ex.Status == coupang.ExchangeStatusReceipt && ex.CollectStatus == coupang.CollectStatusBeforeDirection {
			early = ex.ExchangeID
			break
		}
	}
	require.NotZero(t, early)

	res := clitest.Run(t, run, "-id", fmt.Sprint(early))
	assert.Equal(t, 1, res.Code)
	assert.Empty(t, res.Stdout)
	lines := clitest.Lines(res.Stderr)
	require.Len(t, lines, 2, "the server line, then one error line")
	assert.Contains(t, lines[1], fmt.Sprintf("exchange %d not confirmed: the returned item cannot have reached you yet: the courier has not picked it up yet (pickup BeforeDirection", early))
	assert.Contains(t, lines[1], "run again with -force")
	assert.Zero(t, srv.Confirmations(early), "nothing sent")

	res = clitest.Run(t, run, "-id", fmt.Sprint(early), "-force")
	require.Equal(t, 0, res.Code, res.Stderr)
	assert.Contains(t, res.Stderr, "confirming with -force although the returned item cannot have reached you yet")
	assert.Equal(t, 1, srv.Confirmations(early))
}

func TestRefusesWhatTheStateDoesNotAllow(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	clitest.UseServer(t, srv)
	var done, rejected int64
	for _, ex := range srv.Exchanges() {
		switch {
		case done == 0 && ex.Status == coupang.ExchangeStatusSuccess:
			done = ex.ExchangeID
		case rejected == 0 && ex.Status == coupang.ExchangeStatusReject:
			rejected = ex.ExchangeID
		}
	}
	res := clitest.Run(t, run, "-id", fmt.Sprint(rejected))
	assert.Equal(t, 1, res.Code)
	assert.Contains(t, res.Stderr, fmt.Sprintf("exchange %d cannot be confirmed: the exchange is rejected (REJECT)", rejected))
	assert.Contains(t, res.Stderr, "-force sends it anyway")

	res = clitest.Run(t, run, "-id", fmt.Sprint(done))
	require.Equal(t, 0, res.Code, res.Stderr)
	assert.Equal(t, fmt.Sprintf("exchange %d: receipt already confirmed; nothing sent\n", done), res.Stdout)
	for _, c := range srv.Calls() {
		assert.Equal(t, http.MethodGet, c.Method, "nothing but listing")
	}
}

func TestSandboxWhenNoCredentials(t *testing.T) {
	clitest.NoEnv(t)
	res := clitest.Run(t, run, "-id", fmt.Sprint(sandboxReceipt))
	require.Equal(t, 0, res.Code, res.Stderr)
	assert.Regexp(t, `^no COUPANG_\* credentials set: using the in-process sandbox at http://127\.0\.0\.1:\d+\n$`, res.Stderr)
	assert.True(t, strings.HasPrefix(res.Stdout, fmt.Sprintf("exchange %d: receipt confirmed; Coupang answered SUCCESS\n", sandboxReceipt)), res.Stdout)
	assert.Contains(t, res.Stdout, fmt.Sprintf("upload-invoice -id %d -box BOX_ID", sandboxReceipt))
}

func TestAgainstAServer(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	clitest.UseServer(t, srv)
	var id, progress int64
	for _, ex := range srv.Exchanges() {
		switch {
		case id == 0 && ex.Status == coupang.ExchangeStatusReceipt && ex.Actions().Next == coupang.StepConfirmOnArrival:
			id = ex.ExchangeID
		case progress == 0 && ex.Status == coupang.ExchangeStatusProgress:
			progress = ex.ExchangeID
		}
	}

	res := clitest.Run(t, run, "-id", fmt.Sprint(id))
	require.Equal(t, 0, res.Code, res.Stderr)
	assert.Contains(t, res.Stdout, "receipt confirmed")
	assert.Equal(t, 1, srv.Confirmations(id))
	var puts []coupangtest.Call
	for _, c := range srv.Calls() {
		if c.Method != http.MethodGet {
			puts = append(puts, c)
		}
	}
	require.Len(t, puts, 1, "the exchange is listed, then confirmed once")
	assert.Equal(t, http.MethodPut, puts[0].Method)
	assert.JSONEq(t, fmt.Sprintf(`{"exchangeId":%d,"vendorId":%q}`, id, srv.VendorID), puts[0].Body)

	// With -force the write is sent whatever the state, and Coupang's
	// refusal is reported as it came.
	for _, again := range []int64{id, progress} {
		res = clitest.Run(t, run, "-id", fmt.Sprint(again), "-force")
		assert.Equal(t, 1, res.Code)
		assert.Empty(t, res.Stdout)
		lines := clitest.Lines(res.Stderr)
		require.Len(t, lines, 3, "the server line, the -force warning, then one error line")
		assert.Contains(t, lines[2], "confirm-receipt: coupang: PUT ")
		assert.Contains(t, lines[2], "business failure (HTTP 200, resultCode FAIL): 입고 확인 처리가 불가능한 상태입니다. (exchangeStatus: PROGRESS)")
	}
	assert.Equal(t, 1, srv.Confirmations(id), "confirmed exactly once")

	res = clitest.Run(t, run, "-id", "1")
	assert.Equal(t, 1, res.Code)
	assert.Contains(t, res.Stderr, "exchange 1: not among the exchange requests of the last 30 days")
}

func TestBadInvocations(t *testing.T) {
	clitest.NoEnv(t)
	for _, tt := range []struct {
		args []string
		msg  string
	}{
		{nil, "confirm-receipt: -id is required (see -help)"},
		{[]string{"-id", "abc"}, `invalid value "abc" for flag -id`},
		{[]string{"-id", "-5"}, "-id must be positive, got -5"},
		{[]string{"-id", "5", "extra"}, `unexpected argument "extra"`},
	} {
		res := clitest.Run(t, run, tt.args...)
		assert.Equal(t, 2, res.Code, tt.args)
		lines := clitest.Lines(res.Stderr)
		require.NotEmpty(t, lines)
		assert.Contains(t, lines[len(lines)-1], tt.msg)
		assert.Empty(t, res.Stdout)
	}
	res := clitest.Run(t, run, "-h")
	assert.Equal(t, 0, res.Code)
	assert.Contains(t, res.Stdout, "list-exchanges -status RECEIPT")
}
