package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWorkflowScrape runs the example and scrapes its /metrics once the
// workflow is done: every metric of coupangotel is there, the 429 counted,
// the pause over, and no exchange id in any series; stdout holds the spans.
func TestWorkflowScrape(t *testing.T) {
	var scrape string
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"-listen", "127.0.0.1:0", "-serve=false"}, &out, &errOut, func(u string) {
		resp, err := http.Get(u)
		require.NoError(t, err)
		defer resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		scrape = string(b)
	})
	require.Equal(t, 0, code, errOut.String())
	assert.Contains(t, errOut.String(), "\nworkflow done; the metrics were at http://127.0.0.1:", "with -serve=false it says it is done, not that it serves")

	for _, series := range []string{
		`http_client_request_duration_seconds_count\{error_type="429",http_request_method="GET",http_response_status_code="429",[^\n]*url_template="/v2/providers/openapi/apis/api/v4/vendors/\{vendorId\}/exchangeRequests"\} 1`,
		`http_client_request_duration_seconds_count\{http_request_method="PUT",http_response_status_code="200",[^\n]*url_template="/v2/providers/openapi/apis/api/v4/vendors/\{vendorId\}/exchangeRequests/\{exchangeId\}/receiveConfirmation"\} 1`,
		`coupang_client_operation_duration_seconds_count\{coupang_operation="Exchanges.EnsureReceiptConfirmed",coupang_vendor_id="A00012345",[^\n]*\} 1`,
		`coupang_client_operation_duration_seconds_count\{coupang_operation="Exchanges.Changes",coupang_vendor_id="A00012345",[^\n]*\} 2`,
		`coupang_limiter_wait_duration_seconds_count\{coupang_vendor_id="A00012345",[^\n]*\} \d+`,
		`coupang_client_throttled_total\{coupang_vendor_id="A00012345",http_request_method="GET",[^\n]*\} 1`,
		`coupang_vendor_paused\{coupang_pause_reason="throttled",coupang_vendor_id="A00012345",[^\n]*\} 0`,
		`coupang_vendor_paused\{coupang_pause_reason="blocked",coupang_vendor_id="A00012345",[^\n]*\} 0`,
		`coupang_changes_lag_seconds\{coupang_changes_kind="exchange",coupang_vendor_id="A00012345",[^\n]*\} [0-9.e+]+`,
	} {
		assert.Regexp(t, regexp.MustCompile(`(?m)^`+series+`$`), scrape)
	}
	assert.NotContains(t, scrape, "coupang_decode_record_errors", "the sandbox's records all decode: no series yet")

	ids := regexp.MustCompile(`exchange (\d+)`).FindAllStringSubmatch(errOut.String(), -1)
	require.Len(t, ids, 2, errOut.String())
	for _, id := range ids {
		assert.NotContains(t, scrape, id[1])
		assert.NotContains(t, out.String(), id[1], "nor in the spans")
	}

	spans := map[string]int{}
	events := map[string]int{}
	sc := bufio.NewScanner(&out)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var span struct {
			Name   string
			Events []struct{ Name string }
		}
		require.NoError(t, json.Unmarshal(sc.Bytes(), &span), sc.Text())
		spans[span.Name]++
		for _, e := range span.Events {
			events[e.Name]++
		}
	}
	for _, name := range []string{"Exchanges.Changes", "Exchanges.EnsureReceiptConfirmed", "Exchanges.WaitForShipmentBox",
		"Exchanges.EnsureInvoicesUploaded", "Exchanges.EnsureRejected", "GET /v2/providers/openapi/apis/api/v4/vendors/{vendorId}/exchangeRequests"} {
		assert.Positive(t, spans[name], name)
	}
	for _, name := range []string{"coupang.vendor.paused", "coupang.vendor.probe", "coupang.vendor.resumed", "coupang.limiter.wait",
		"coupang.list.page", "coupang.changes.pass", "coupang.ensure.sending"} {
		assert.Positive(t, events[name], name)
	}
}

func TestBadInvocations(t *testing.T) {
	for _, args := range [][]string{{"-serve=maybe"}, {"now"}, {"-listen", "256.0.0.1:1", "-serve=false"}} {
		var out, errOut bytes.Buffer
		code := run(context.Background(), args, &out, &errOut, nil)
		assert.NotZero(t, code, args)
		assert.True(t, strings.HasPrefix(errOut.String(), "") && errOut.Len() > 0, args)
		assert.Empty(t, out.String(), args)
	}
}

// Serving after the workflow, the example says it runs until Ctrl-C, so
// that a user does not wait for it to end by itself.
func TestDoneLineSaysHowToStop(t *testing.T) {
	assert.Equal(t, "workflow done; serving the metrics at http://h/metrics until Ctrl-C (-serve=false exits now)", doneLine("http://h/metrics", true))
	assert.Equal(t, "workflow done; the metrics were at http://h/metrics", doneLine("http://h/metrics", false))
}
