package coupangotel_test

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

// secrets collects what must never reach telemetry from v: every integer of
// seven digits or more (exchange, order, box, item and address ids) and
// every text of three characters or more holding a digit or a non-ASCII
// letter (names, addresses, phones, safe numbers, waybills, customers'
// words, item names).
func secrets(v reflect.Value, ids map[int64]bool, texts map[string]bool) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			secrets(v.Elem(), ids, texts)
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(time.Time{}) {
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				secrets(v.Field(i), ids, texts)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			secrets(v.Index(i), ids, texts)
		}
	case reflect.Int64, reflect.Int:
		if n := v.Int(); n >= 1_000_000 {
			ids[n] = true
		}
	case reflect.String:
		s := v.String()
		if utf8.RuneCountInString(s) >= 3 && strings.IndexFunc(s, func(r rune) bool { return unicode.IsDigit(r) || r > unicode.MaxASCII }) >= 0 {
			texts[s] = true
		}
	}
}

// TestNoIDsOrPersonalDataInTelemetry runs the whole exchange workflow on the
// sandbox, with a 429, a 503 and a Do, and scans every span name, span and
// event attribute, status and metric attribute for the sandbox's ids and
// personal data.
func TestNoIDsOrPersonalDataInTelemetry(t *testing.T) {
	h := sandboxOnly(t, coupangtest.WithBoxDelay(10*time.Millisecond))
	p := coupang.NewPacer(100, coupang.WithProtection(coupang.Protection{Cooldown: time.Millisecond, MaxCooldown: time.Millisecond}))
	h.connect([]coupang.Option{coupang.WithLimiter(p)})
	ctx := context.Background()
	c, srv := h.client, h.srv

	srv.FailNext(1, http.StatusTooManyRequests)
	srv.FailNext(1, http.StatusServiceUnavailable)
	var receipts []coupang.ExchangeRequest
	for ch, err := range c.Exchanges.Changes(ctx, coupang.NewMemoryChangeStore(), coupang.ChangeOptions{}) {
		require.NoError(t, err)
		if ch.Exchange.Status == coupang.ExchangeStatusReceipt {
			receipts = append(receipts, ch.Exchange)
		}
	}
	require.GreaterOrEqual(t, len(receipts), 2)
	confirm, reject := receipts[0], receipts[1]
	for _, r := range receipts[1:] {
		if r.Rejectable {
			reject = r
			break
		}
	}
	require.NoError(t, c.Exchanges.EnsureReceiptConfirmed(ctx, confirm))
	box, err := c.Exchanges.WaitForShipmentBox(ctx, confirm)
	require.NoError(t, err)
	const waybill = "987654321098"
	require.NoError(t, c.Exchanges.EnsureInvoicesUploaded(ctx, confirm, []coupang.ExchangeInvoice{{ShipmentBoxID: box, GoodsDeliveryCode: coupang.CourierCJ, InvoiceNumber: waybill}}))
	require.NoError(t, c.Exchanges.EnsureRejected(ctx, reject, coupang.RejectSoldOut))
	_, err = c.Exchanges.Relist(ctx, confirm)
	require.NoError(t, err)
	_, _ = c.Do(ctx, http.MethodGet, fmt.Sprintf("/v2/providers/openapi/apis/api/v4/vendors/%s/exchangeRequests/%d/receiveConfirmation", srv.VendorID, confirm.ExchangeID), nil, nil, nil)

	ids, texts := map[int64]bool{box: true}, map[string]bool{waybill: true}
	secrets(reflect.ValueOf(srv.Exchanges()), ids, texts)
	require.True(t, ids[confirm.ExchangeID] && ids[confirm.OrderID], "the scan knows the ids")
	require.True(t, texts[string(confirm.Address.ReturnCustomerName)], "the scan knows the names")
	for id := range ids {
		texts[strconv.FormatInt(id, 10)] = true
	}
	// The seller's own vendor id is an attribute by design (by vendor).
	delete(texts, srv.VendorID)

	var exported []string // every string that telemetry exported, with where it was
	check := func(where string, kvs []attribute.KeyValue) {
		for _, kv := range kvs {
			switch kv.Value.Type() {
			case attribute.INT64:
				assert.False(t, ids[kv.Value.AsInt64()], "%s: %s is an id", where, kv.Key)
			case attribute.STRING, attribute.STRINGSLICE:
				exported = append(exported, where+" "+string(kv.Key)+"="+kv.Value.String())
			}
		}
	}
	spans := h.ended()
	require.Greater(t, len(spans), 20)
	for _, s := range spans {
		exported = append(exported, "span name "+s.Name, "span status "+s.Status.Description)
		check("span "+s.Name, s.Attributes)
		for _, e := range s.Events {
			exported = append(exported, "event "+e.Name)
			check("event "+e.Name, e.Attributes)
		}
	}
	names := map[string]bool{}
	for name, m := range h.collect() {
		names[name] = true
		exported = append(exported, "metric "+name)
		for _, p := range pointsOf(m) {
			for k, v := range p.attrs {
				check("metric "+name, []attribute.KeyValue{attribute.String(k, fmt.Sprint(v))})
			}
		}
	}
	for _, s := range exported {
		for secret := range texts {
			assert.NotContains(t, s, secret)
		}
	}
	for _, name := range []string{"http.client.request.duration", "coupang.client.operation.duration", "coupang.limiter.wait.duration",
		"coupang.client.throttled", "coupang.vendor.paused", "coupang.changes.lag"} {
		assert.True(t, names[name], "metric %s", name)
	}
	t.Logf("%d spans, %d exported strings scanned for %d ids and %d texts", len(spans), len(exported), len(ids), len(texts))
}
