package coupang_test

// A write answered 429 may have been applied: nothing proves that Coupang's
// gateway answered before its application did, and the gateway's 429 looks
// like a service error. It is sent once, reported as outcome unknown, and
// the Ensure… calls read the state again before they write again (issue
// 17.2).

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

// hearing is a Limiter that lets every request go at once and counts the
// 429s the client reports, to prove that the vendor protection still hears
// of a 429 that was answered to a write.
type hearing struct{ throttled atomic.Int64 }

func (h *hearing) Wait(ctx context.Context) error { return ctx.Err() }

func (h *hearing) Report(_ context.Context, o coupang.Outcome) {
	if o.Kind == coupang.OutcomeThrottled {
		h.throttled.Add(1)
	}
}

// sentWrites counts the requests other than GET that srv received.
func sentWrites(srv *coupangtest.Server) int {
	n := 0
	for _, c := range srv.Calls() {
		if c.Method != http.MethodGet {
			n++
		}
	}
	return n
}

// confirmedWithBox confirms the receipt of sb's first exchange, outside
// any test fault, and returns the invoice for its new box.
func confirmedWithBox(t *testing.T, sb *syncSandbox) coupang.ExchangeInvoice {
	t.Helper()
	require.NoError(t, sb.client.Exchanges.ConfirmReceipt(context.Background(), sb.ids[0]))
	box, ok := sb.exchange(t, sb.ids[0]).ReplacementShipmentBoxID()
	require.True(t, ok)
	return coupang.ExchangeInvoice{ShipmentBoxID: box, GoodsDeliveryCode: coupang.CourierCJ, InvoiceNumber: "123456789012"}
}

// sandboxWrite is one of the three writes against a sandbox exchange.
type sandboxWrite struct {
	name string
	// prepare brings sb's first exchange to the state the write needs.
	prepare func(t *testing.T, sb *syncSandbox) coupang.ExchangeInvoice
	call    func(ctx context.Context, c *coupang.Client, id int64, inv coupang.ExchangeInvoice, opts ...coupang.CallOption) error
	kind    coupangtest.ActionKind
}

var sandboxWrites = []sandboxWrite{
	{
		name: "ConfirmReceipt", kind: coupangtest.ActionConfirmReceipt,
		call: func(ctx context.Context, c *coupang.Client, id int64, _ coupang.ExchangeInvoice, opts ...coupang.CallOption) error {
			return c.Exchanges.ConfirmReceipt(ctx, id, opts...)
		},
	},
	{
		name: "Reject", kind: coupangtest.ActionReject,
		call: func(ctx context.Context, c *coupang.Client, id int64, _ coupang.ExchangeInvoice, opts ...coupang.CallOption) error {
			return c.Exchanges.Reject(ctx, id, coupang.RejectSoldOut, opts...)
		},
	},
	{
		name: "UploadInvoices", kind: coupangtest.ActionUploadInvoice, prepare: confirmedWithBox,
		call: func(ctx context.Context, c *coupang.Client, id int64, inv coupang.ExchangeInvoice, opts ...coupang.CallOption) error {
			return c.Exchanges.UploadInvoices(ctx, id, []coupang.ExchangeInvoice{inv}, opts...)
		},
	},
}

// applied counts the actions of kind applied to id.
func applied(srv *coupangtest.Server, kind coupangtest.ActionKind, id int64) int {
	n := 0
	for _, a := range srv.Applied() {
		if a.Kind == kind && a.ExchangeID == id {
			n++
		}
	}
	return n
}

func TestWriteAnswered429AfterApplyingIsSentOnce(t *testing.T) {
	t.Parallel()
	for _, w := range sandboxWrites {
		t.Run(w.name, func(t *testing.T) {
			t.Parallel()
			sb := newSyncSandbox(t, 1)
			var inv coupang.ExchangeInvoice
			if w.prepare != nil {
				inv = w.prepare(t, sb)
			}
			heard := &hearing{}
			c, err := sb.srv.Client(coupang.WithLimiter(heard))
			require.NoError(t, err)
			writesBefore := sentWrites(sb.srv)

			sb.srv.FailNextAfterApplying(1, http.StatusTooManyRequests)
			err = w.call(context.Background(), c, sb.ids[0], inv)

			assert.Equal(t, 1, sentWrites(sb.srv)-writesBefore, "exactly one request sent")
			assert.Equal(t, 1, applied(sb.srv, w.kind, sb.ids[0]), "applied once")
			require.ErrorIs(t, err, coupang.ErrOutcomeUnknown)
			require.ErrorIs(t, err, coupang.ErrRateLimited)
			assert.NotErrorIs(t, err, coupang.ErrBusinessFailure)
			apiErr := requireAPIError(t, err)
			assert.Equal(t, http.StatusTooManyRequests, apiErr.StatusCode)
			assert.Equal(t, 1, apiErr.Attempts)
			assert.Contains(t, err.Error(), "outcome unknown")
			assert.EqualValues(t, 1, heard.throttled.Load(), "the vendor protection heard of the 429")
		})
	}
}

// TestWrite429BeforeApplyingIsNotResentEither: the client cannot tell a 429
// answered before the application from one answered after it, so a 429
// that applied nothing is outcome-unknown too, unless the seller opts in.
func TestWrite429BeforeApplyingIsNotResentEither(t *testing.T) {
	t.Parallel()
	for _, w := range sandboxWrites {
		t.Run(w.name, func(t *testing.T) {
			t.Parallel()
			sb := newSyncSandbox(t, 1)
			var inv coupang.ExchangeInvoice
			if w.prepare != nil {
				inv = w.prepare(t, sb)
			}
			before := sentWrites(sb.srv)
			sb.srv.FailNext(1, http.StatusTooManyRequests)
			err := w.call(context.Background(), sb.client, sb.ids[0], inv)
			require.ErrorIs(t, err, coupang.ErrOutcomeUnknown)
			require.ErrorIs(t, err, coupang.ErrRateLimited)
			assert.Equal(t, 1, sentWrites(sb.srv)-before)
			assert.Equal(t, 0, applied(sb.srv, w.kind, sb.ids[0]))

			// Opted in: the seller vouches that its 429s come before
			// processing, and the write is sent again.
			sb.srv.FailNext(1, http.StatusTooManyRequests)
			require.NoError(t, w.call(context.Background(), sb.client, sb.ids[0], inv, coupang.WithRetryWritesOn429(true)))
			assert.Equal(t, 3, sentWrites(sb.srv)-before)
			assert.Equal(t, 1, applied(sb.srv, w.kind, sb.ids[0]))
		})
	}
}

// ensureCall is one of the Ensure… calls on sb's first exchange.
type ensureCall struct {
	name    string
	prepare func(t *testing.T, sb *syncSandbox) coupang.ExchangeInvoice
	call    func(ctx context.Context, c *coupang.Client, ex coupang.ExchangeRequest, inv coupang.ExchangeInvoice, opts ...coupang.CallOption) error
	kind    coupangtest.ActionKind
}

var ensureCalls = []ensureCall{
	{
		name: "EnsureReceiptConfirmed", kind: coupangtest.ActionConfirmReceipt,
		call: func(ctx context.Context, c *coupang.Client, ex coupang.ExchangeRequest, _ coupang.ExchangeInvoice, opts ...coupang.CallOption) error {
			return c.Exchanges.EnsureReceiptConfirmed(ctx, ex, opts...)
		},
	},
	{
		name: "EnsureRejected", kind: coupangtest.ActionReject,
		call: func(ctx context.Context, c *coupang.Client, ex coupang.ExchangeRequest, _ coupang.ExchangeInvoice, opts ...coupang.CallOption) error {
			return c.Exchanges.EnsureRejected(ctx, ex, coupang.RejectSoldOut, opts...)
		},
	},
	{
		name: "EnsureInvoicesUploaded", kind: coupangtest.ActionUploadInvoice, prepare: confirmedWithBox,
		call: func(ctx context.Context, c *coupang.Client, ex coupang.ExchangeRequest, inv coupang.ExchangeInvoice, opts ...coupang.CallOption) error {
			return c.Exchanges.EnsureInvoicesUploaded(ctx, ex, []coupang.ExchangeInvoice{inv}, opts...)
		},
	},
}

// faultOnWrites arms a sandbox fault just before each write reaches it, so
// that writes fail and reads do not. A sandbox with a faultOnWrites must be
// used by one goroutine at a time: the fault is for the next request.
type faultOnWrites struct {
	srv  *coupangtest.Server
	base http.RoundTripper
	// arm arms srv for the write about to be sent.
	arm func(srv *coupangtest.Server)
}

func (f *faultOnWrites) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method != http.MethodGet {
		f.arm(f.srv)
	}
	return f.base.RoundTrip(r)
}

func newFaultOnWrites(t *testing.T, srv *coupangtest.Server, arm func(*coupangtest.Server)) *http.Client {
	t.Helper()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: &faultOnWrites{srv: srv, base: tr, arm: arm}}
}

func every429AfterApplying(srv *coupangtest.Server) {
	srv.FailNextAfterApplying(1, http.StatusTooManyRequests)
}

func TestEnsureWithEveryWriteAnswered429AfterApplying(t *testing.T) {
	t.Parallel()
	clients := []struct {
		name string
		opts []coupang.Option
	}{
		{name: "default client"},
		// Ensure reads the state again instead: its own writes are never
		// resent after a 429, whatever the client's setting.
		{name: "client retrying writes on 429", opts: []coupang.Option{coupang.WithRetryWritesOn429(true)}},
	}
	for _, e := range ensureCalls {
		for _, cl := range clients {
			t.Run(e.name+"/"+cl.name, func(t *testing.T) {
				t.Parallel()
				sb := newSyncSandbox(t, 1)
				var inv coupang.ExchangeInvoice
				if e.prepare != nil {
					inv = e.prepare(t, sb)
				}
				ex := sb.exchange(t, sb.ids[0])
				heard := &hearing{}
				opts := append([]coupang.Option{
					coupang.WithLimiter(heard),
					coupang.WithHTTPClient(newFaultOnWrites(t, sb.srv, every429AfterApplying)),
				}, cl.opts...)
				c, err := sb.srv.Client(opts...)
				require.NoError(t, err)
				before := sentWrites(sb.srv)

				require.NoError(t, e.call(context.Background(), c, ex, inv), "the state read again shows it done")
				assert.Equal(t, 1, applied(sb.srv, e.kind, sb.ids[0]), "applied exactly once")
				assert.Equal(t, 1, sentWrites(sb.srv)-before, "one write, then reads")
				assert.EqualValues(t, 1, heard.throttled.Load(), "the vendor protection heard of the 429")

				// Run again with a stale copy, as a retried job would: nothing more is written.
				require.NoError(t, e.call(context.Background(), c, ex, inv))
				assert.Equal(t, 1, applied(sb.srv, e.kind, sb.ids[0]))
				assert.Equal(t, 1, sentWrites(sb.srv)-before)
			})
		}
	}
}

// TestEnsureWhenTheStateCannotBeReadAfterA429: the vendor is paused after
// the 429 beyond the caller's deadline, so the state cannot be read again.
// Ensure reports that the write may have been applied, and writes nothing
// more.
func TestEnsureWhenTheStateCannotBeReadAfterA429(t *testing.T) {
	t.Parallel()
	for _, e := range ensureCalls {
		t.Run(e.name, func(t *testing.T) {
			t.Parallel()
			sb := newSyncSandbox(t, 1)
			var inv coupang.ExchangeInvoice
			if e.prepare != nil {
				inv = e.prepare(t, sb)
			}
			ex := sb.exchange(t, sb.ids[0])
			pacer := coupang.NewPacer(1000, coupang.WithProtection(coupang.Protection{Cooldown: time.Hour, MaxCooldown: time.Hour}))
			c, err := sb.srv.Client(coupang.WithLimiter(pacer),
				coupang.WithHTTPClient(newFaultOnWrites(t, sb.srv, every429AfterApplying)))
			require.NoError(t, err)
			before := sentWrites(sb.srv)
			// Long enough for the first read and the write, shorter than the pause.
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
			defer cancel()

			err = e.call(ctx, c, ex, inv)
			require.ErrorIs(t, err, coupang.ErrOutcomeUnknown)
			require.ErrorIs(t, err, coupang.ErrRateLimited)
			assert.NotErrorIs(t, err, coupang.ErrBusinessFailure)
			var pause *coupang.PauseError
			require.ErrorAs(t, err, &pause, "the read again was refused by the pause")
			assert.Contains(t, err.Error(), "may or may not have")
			assert.Equal(t, 1, sentWrites(sb.srv)-before, "never a second write")
			assert.Equal(t, 1, applied(sb.srv, e.kind, sb.ids[0]))
			st := pacer.State()
			assert.False(t, st.PausedUntil.IsZero(), "the pacer paused the vendor after the 429")
		})
	}
}

// writeFault is what a sandbox does to one write.
type writeFault struct {
	name string
	arm  func(*coupangtest.Server)
	// status is what the sandbox records for the write: 0 for no answer.
	status int
}

func (f writeFault) is429() bool { return f.status == http.StatusTooManyRequests }

var (
	fault429After  = writeFault{"429 after applying", every429AfterApplying, http.StatusTooManyRequests}
	fault504After  = writeFault{"504 after applying", func(s *coupangtest.Server) { s.FailNextAfterApplying(1, http.StatusGatewayTimeout) }, http.StatusGatewayTimeout}
	faultDropAfter = writeFault{"dropped after applying", func(s *coupangtest.Server) { s.DropNextAfterApplying(1) }, 0}
	fault429Before = writeFault{"429 before applying", func(s *coupangtest.Server) { s.FailNext(1, http.StatusTooManyRequests) }, http.StatusTooManyRequests}
	fault503Before = writeFault{"503 before applying", func(s *coupangtest.Server) { s.FailNext(1, http.StatusServiceUnavailable) }, http.StatusServiceUnavailable}
	faultNone      = writeFault{"none", func(*coupangtest.Server) {}, http.StatusOK}
)

// TestEnsureExactlyOnceUnderWriteFaults runs 1,000 Ensure… calls over
// sandbox exchanges whose writes are answered so that their outcome is
// unknown, and counts every write the sandboxes applied: none twice.
func TestEnsureExactlyOnceUnderWriteFaults(t *testing.T) {
	t.Parallel()
	const callsPerMix = 250 // four mixes: 1,000 Ensure calls
	mixes := []struct {
		name   string
		faults []writeFault
	}{
		{"429", []writeFault{fault429After}},
		{"504", []writeFault{fault504After}},
		{"dropped connection", []writeFault{faultDropAfter}},
		{"mixed", []writeFault{fault429After, fault504After, faultDropAfter, fault429Before, fault503Before, faultNone}},
	}
	for _, mix := range mixes {
		t.Run(mix.name, func(t *testing.T) {
			t.Parallel()
			stressEnsure(t, callsPerMix, mix.faults)
		})
	}
}

// stressEnsure makes calls Ensure… calls on fresh exchanges of one sandbox,
// each write faulted with one of faults picked by a seeded generator (the
// same sequence every run, so that a failure reproduces), and checks the
// applied writes.
func stressEnsure(t *testing.T, calls int, faults []writeFault) {
	sb := newSyncSandbox(t, 0)
	var (
		rnd       = rand.New(rand.NewPCG(17, 2))
		next      int
		injected  int // 429s answered to writes
		faultMu   sync.Mutex
		heard     = &hearing{}
		ctx       = context.Background()
		confirmed = map[int64]bool{}
		rejected  = map[int64]bool{}
		uploaded  = map[int64]coupang.ExchangeInvoice{}
	)
	arm := func(srv *coupangtest.Server) {
		faultMu.Lock()
		f := faults[rnd.IntN(len(faults))]
		next++
		if f.is429() {
			injected++
		}
		faultMu.Unlock()
		f.arm(srv)
	}
	// In memory rather than over TCP: the 1,000 calls are the point, not
	// the sockets, and a dropped connection still reaches the client as a
	// connection closed without an answer (see hijackableRecorder).
	c, err := sb.srv.Client(coupang.WithLimiter(heard), coupang.WithHTTPClient(&http.Client{
		Transport: &faultOnWrites{srv: sb.srv, base: inMemory{sb.srv}, arm: arm},
	}))
	require.NoError(t, err)

	made, failed := 0, 0
	// until calls ensure until it reports success, each call counted; an
	// error must say that the outcome is unknown.
	until := func(ensure func() error) bool {
		for made < calls {
			made++
			err := ensure()
			if err == nil {
				return true
			}
			failed++
			require.ErrorIs(t, err, coupang.ErrOutcomeUnknown, "call %d", made)
			require.NotErrorIs(t, err, coupang.ErrBusinessFailure, "call %d", made)
		}
		return false
	}
	for i := 0; made < calls; i++ {
		id := sb.add(time.Duration(i+1)*time.Minute, nil)
		sb.ids = append(sb.ids, id)
		ex := sb.exchange(t, id) // kept stale on purpose: Ensure reads again
		if i%3 == 0 {
			if until(func() error { return c.Exchanges.EnsureRejected(ctx, ex, coupang.RejectWithdraw) }) {
				rejected[id] = true
				until(func() error { return c.Exchanges.EnsureRejected(ctx, ex, coupang.RejectWithdraw) })
			}
			continue
		}
		if !until(func() error { return c.Exchanges.EnsureReceiptConfirmed(ctx, ex) }) {
			break
		}
		confirmed[id] = true
		box, err := c.Exchanges.WaitForShipmentBox(ctx, ex)
		require.NoError(t, err)
		inv := coupang.ExchangeInvoice{ShipmentBoxID: box, GoodsDeliveryCode: coupang.CourierCJ, InvoiceNumber: fmt.Sprintf("5%011d", id%1e11)}
		if until(func() error { return c.Exchanges.EnsureInvoicesUploaded(ctx, ex, []coupang.ExchangeInvoice{inv}) }) {
			uploaded[id] = inv
		}
	}
	require.Equal(t, calls, made)

	// Every effect at most once, and exactly once where Ensure said done.
	seen := map[string]int{}
	for _, a := range sb.srv.Applied() {
		key := fmt.Sprintf("%s/%d", a.Kind, a.ExchangeID)
		seen[key]++
		assert.Equal(t, 1, seen[key], "%s applied twice", key)
	}
	for id := range confirmed {
		assert.Equal(t, 1, sb.srv.Confirmations(id))
	}
	for id := range rejected {
		assert.Equal(t, 1, sb.srv.Rejections(id))
	}
	for id, inv := range uploaded {
		assert.Equal(t, []coupang.ExchangeInvoice{inv}, sb.srv.Invoices(id))
	}
	// The faults really happened, each kind of them.
	statuses := map[int]int{}
	for _, call := range sb.srv.Calls() {
		if call.Method != http.MethodGet {
			statuses[call.Status]++
		}
	}
	for _, f := range faults {
		assert.Positive(t, statuses[f.status], "writes answered %s", f.name)
	}
	faultMu.Lock()
	defer faultMu.Unlock()
	assert.EqualValues(t, injected, heard.throttled.Load(), "every 429 reached the vendor protection")
	t.Logf("%d Ensure calls (%d of them reported an unknown outcome), %d writes, %d applied: %d confirmed, %d rejected, %d uploaded",
		made, failed, next, len(sb.srv.Applied()), len(confirmed), len(rejected), len(uploaded))
}
