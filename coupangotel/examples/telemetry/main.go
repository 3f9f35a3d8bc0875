// Command telemetry runs the exchange workflow on the in-process sandbox
// (package coupangtest, invented data) with coupangotel: traces go to stdout,
// one JSON span a line, and the metrics are served for Prometheus at
// http://127.0.0.1:9464/metrics.
//
//	go run ./examples/telemetry            (from the coupangotel directory)
//	curl -s http://127.0.0.1:9464/metrics | grep coupang_
//
// The workflow: a pass of Changes over the last 30 days, a 429 from the
// sandbox that pauses the vendor (the pause, the probe and the resumption are
// span events, coupang.vendor.paused goes to 1 and back to 0), the receipt of
// one exchange confirmed, its new shipment box awaited, the replacement's
// waybill uploaded, another exchange rejected, and a second pass of Changes.
// The metrics stay served until the command is interrupted (-serve=false
// exits after the workflow).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangotel"
	"github.com/go-coupang/coupang/coupangtest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr, nil))
}

// run runs the example and returns its exit code. ready, when not nil, is
// called with the URL of /metrics once the workflow is done; the metrics are
// served until ctx ends (or not at all after the workflow with -serve=false).
func run(ctx context.Context, args []string, stdout, stderr io.Writer, ready func(metricsURL string)) int {
	fs := flag.NewFlagSet("telemetry", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:9464", "`address` to serve /metrics on")
	serve := fs.Bool("serve", true, "keep serving /metrics after the workflow, until interrupted")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "telemetry: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if err := example(ctx, *listen, *serve, stdout, stderr, ready); err != nil {
		fmt.Fprintf(stderr, "telemetry: %v\n", err)
		return 1
	}
	return 0
}

func example(ctx context.Context, listen string, serve bool, stdout, stderr io.Writer, ready func(string)) error {
	// Metrics: the OpenTelemetry SDK, read by the Prometheus exporter into a
	// registry of the example's own, served at /metrics.
	reg := prometheus.NewRegistry()
	exporter, err := otelprom.New(otelprom.WithRegisterer(reg))
	if err != nil {
		return err
	}
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(exporter))
	defer func() { _ = mp.Shutdown(context.Background()) }()
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	metrics := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = metrics.Serve(ln) }()
	defer func() { _ = metrics.Close() }()
	metricsURL := "http://" + ln.Addr().String() + "/metrics"
	fmt.Fprintf(stderr, "serving metrics at %s\n", metricsURL)

	// Traces: every span as one line of JSON on stdout, as it ends.
	spans, err := stdouttrace.New(stdouttrace.WithWriter(stdout))
	if err != nil {
		return err
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(spans))
	defer func() { _ = tp.Shutdown(context.Background()) }()

	sandbox := coupangtest.NewServer(coupangtest.WithBoxDelay(time.Second))
	defer sandbox.Close()
	// The client's default pacing (5 requests a second) with a short pause
	// after a 429, so that the demo shows one without waiting for long.
	pacer := coupang.NewPacer(coupang.DefaultRateLimit, coupang.WithProtection(coupang.Protection{Cooldown: 500 * time.Millisecond, MaxCooldown: 5 * time.Second}))
	client, err := sandbox.Client(coupang.WithLimiter(pacer),
		coupangotel.New(coupangotel.WithTracerProvider(tp), coupangotel.WithMeterProvider(mp)))
	if err != nil {
		return err
	}
	if err := workflow(ctx, client, sandbox, stderr); err != nil {
		return err
	}
	fmt.Fprintln(stderr, doneLine(metricsURL, serve))
	if ready != nil {
		ready(metricsURL)
	}
	if serve {
		<-ctx.Done()
	}
	return nil
}

// doneLine says that the workflow is over and, when the example goes on
// serving /metrics, that it does so until interrupted: the command does not
// end by itself then, and a user should not wait for it to.
func doneLine(metricsURL string, serve bool) string {
	if serve {
		return "workflow done; serving the metrics at " + metricsURL + " until Ctrl-C (-serve=false exits now)"
	}
	return "workflow done; the metrics were at " + metricsURL
}

// workflow is the exchange workflow of examples/exchange-workflow in the
// core module, in short. It says what it does on log (stderr), without
// personal data.
func workflow(ctx context.Context, c *coupang.Client, sandbox *coupangtest.Server, log io.Writer) error {
	store := coupang.NewMemoryChangeStore()
	var receipts []coupang.ExchangeRequest
	n := 0
	for ch, err := range c.Exchanges.Changes(ctx, store, coupang.ChangeOptions{}) {
		if err != nil {
			return err
		}
		n++
		if ch.Exchange.Status == coupang.ExchangeStatusReceipt {
			receipts = append(receipts, ch.Exchange)
		}
	}
	fmt.Fprintf(log, "1. a pass of Changes: %d exchanges, %d waiting for receipt\n", n, len(receipts))
	var confirm, reject *coupang.ExchangeRequest
	for i := range receipts {
		switch {
		case confirm == nil && receipts[i].CollectStatus != coupang.CollectStatusBeforeDirection:
			confirm = &receipts[i]
		case reject == nil && receipts[i].Rejectable:
			reject = &receipts[i]
		}
	}
	if confirm == nil || reject == nil {
		return errors.New("the sandbox has no exchange to confirm and another to reject")
	}

	// Coupang answers the next request 429: the vendor pauses, one probe
	// goes out when the pause ends, and its answer resumes the vendor.
	sandbox.FailNext(1, http.StatusTooManyRequests)
	if err := c.Exchanges.EnsureReceiptConfirmed(ctx, *confirm); err != nil {
		return err
	}
	fmt.Fprintf(log, "2. receipt of exchange %d confirmed, after a 429 and a pause\n", confirm.ExchangeID)
	box, err := c.Exchanges.WaitForShipmentBox(ctx, *confirm)
	if err != nil {
		return err
	}
	fmt.Fprintf(log, "3. its new shipment box appeared\n")
	err = c.Exchanges.EnsureInvoicesUploaded(ctx, *confirm, []coupang.ExchangeInvoice{
		{ShipmentBoxID: box, GoodsDeliveryCode: coupang.CourierCJ, InvoiceNumber: "123456789012"},
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(log, "4. the replacement's waybill uploaded\n")
	if err := c.Exchanges.EnsureRejected(ctx, *reject, coupang.RejectSoldOut); err != nil {
		return err
	}
	fmt.Fprintf(log, "5. exchange %d rejected: sold out\n", reject.ExchangeID)
	n = 0
	for _, err := range c.Exchanges.Changes(ctx, store, coupang.ChangeOptions{}) {
		if err != nil {
			return err
		}
		n++
	}
	fmt.Fprintf(log, "6. a second pass of Changes: %d changed\n", n)
	return nil
}
