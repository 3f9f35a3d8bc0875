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

// sandboxRejectable is a rejectable RECEIPT exchange of the default sandbox
// seed, the one the package documentation shows.
const sandboxRejectable = 400179366

func TestSandboxWhenNoCredentials(t *testing.T) {
	clitest.NoEnv(t)
	res := clitest.Run(t, run, "-id", fmt.Sprint(sandboxRejectable), "-code", "WITHDRAW")
	require.Equal(t, 0, res.Code, res.Stderr)
	assert.Regexp(t, `^no COUPANG_\* credentials set: using the in-process sandbox at http://127\.0\.0\.1:\d+\n$`, res.Stderr)
	assert.Equal(t, fmt.Sprintf("exchange %d: rejected with WITHDRAW (the customer withdrew the request); Coupang answered SUCCESS\n", sandboxRejectable), res.Stdout)
}

func TestAgainstAServer(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	clitest.UseServer(t, srv)
	var rejectable, fixed int64
	for _, ex := range srv.Exchanges() {
		if ex.Status != coupang.ExchangeStatusReceipt {
			continue
		}
		if ex.Rejectable && rejectable == 0 {
			rejectable = ex.ExchangeID
		}
		if !ex.Rejectable && fixed == 0 {
			fixed = ex.ExchangeID
		}
	}

	res := clitest.Run(t, run, "-id", fmt.Sprint(rejectable), "-code", "SOLDOUT")
	require.Equal(t, 0, res.Code, res.Stderr)
	assert.Contains(t, res.Stdout, "rejected with SOLDOUT (replacement item sold out)")
	applied := srv.Applied()
	require.Len(t, applied, 1)
	assert.Equal(t, coupangtest.Action{Kind: coupangtest.ActionReject, ExchangeID: rejectable, RejectCode: coupang.RejectSoldOut, At: applied[0].At}, applied[0])

	res = clitest.Run(t, run, "-id", fmt.Sprint(rejectable), "-code", "SOLDOUT")
	require.Equal(t, 0, res.Code, res.Stderr)
	assert.Equal(t, fmt.Sprintf("exchange %d: already rejected; nothing sent\n", rejectable), res.Stdout)
	assert.Len(t, srv.Applied(), 1)

	// The state rule refuses before anything is sent.
	res = clitest.Run(t, run, "-id", fmt.Sprint(fixed), "-code", "SOLDOUT")
	assert.Equal(t, 1, res.Code)
	lines := clitest.Lines(res.Stderr)
	require.Len(t, lines, 2)
	assert.Contains(t, lines[1], fmt.Sprintf("exchange %d cannot be rejected: Coupang marks the exchange not rejectable (-force sends it anyway; Coupang decides)", fixed))
	assert.Zero(t, srv.Rejections(fixed))

	// With -force it is sent, and Coupang's refusal is reported as it came.
	res = clitest.Run(t, run, "-id", fmt.Sprint(fixed), "-code", "SOLDOUT", "-force")
	assert.Equal(t, 1, res.Code)
	lines = clitest.Lines(res.Stderr)
	require.Len(t, lines, 3)
	assert.Contains(t, lines[1], "rejecting with -force although Coupang marks the exchange not rejectable")
	assert.Contains(t, lines[2], "reject-exchange: coupang: PUT ")
	assert.Contains(t, lines[2], "resultCode FAIL): 교환 거부 처리가 불가능한 상태입니다. (exchangeStatus: RECEIPT, rejectable: false)")
	assert.Equal(t, 0, srv.Rejections(fixed))
}

func TestBadInvocations(t *testing.T) {
	srv := coupangtest.NewTestServer(t)
	clitest.UseServer(t, srv)
	for _, tt := range []struct {
		args []string
		msg  string
	}{
		{nil, "reject-exchange: -code is required"},
		{[]string{"-code", "SOLDOUT"}, "-id is required"},
		{[]string{"-id", "5"}, "-code is required"},
		{[]string{"-id", "5", "-code", "CHANGEMIND"}, `-code "CHANGEMIND": want SOLDOUT or WITHDRAW`},
		{[]string{"-id", "5", "-code", "soldout"}, `-code "soldout": want SOLDOUT or WITHDRAW (did you mean SOLDOUT?)`},
		{[]string{"-id", "5", "-code", " WITHDRAW"}, `-code " WITHDRAW": want SOLDOUT or WITHDRAW (did you mean WITHDRAW?)`},
		{[]string{"-id", "-5", "-code", "SOLDOUT"}, "-id must be positive, got -5"},
		{[]string{"-id", "x", "-code", "SOLDOUT"}, `invalid value "x" for flag -id`},
	} {
		res := clitest.Run(t, run, tt.args...)
		assert.Equal(t, 2, res.Code, tt.args)
		lines := clitest.Lines(res.Stderr)
		require.Len(t, lines, 1, "nothing but the error: no server was contacted")
		assert.Contains(t, lines[0], tt.msg)
	}
	assert.Empty(t, srv.Calls())
}
