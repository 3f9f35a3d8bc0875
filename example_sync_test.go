package coupang_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/go-coupang/coupang"
	"github.com/go-coupang/coupang/coupangtest"
)

// A worker that keeps a seller's system in step: every few minutes one pass
// of Changes yields what is new or changed since the last pass, and the
// store remembers what was handled, across restarts.
func ExampleExchangeService_Changes() {
	srv := coupangtest.NewServer() // a sandbox; use coupang.NewClient on a real account
	defer srv.Close()
	client, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "changes")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	store, err := coupang.NewFileChangeStore(filepath.Join(dir, "exchanges.json"))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	pass := func() {
		counts := map[coupang.ChangeKind]int{}
		for change, err := range client.Exchanges.Changes(ctx, store, coupang.ChangeOptions{}) {
			if err != nil {
				log.Print(err) // the next pass yields again what was not handled
				continue
			}
			// Handle the change here (enqueue a job, update a database…).
			// It is recorded as handled when the loop asks for the next one.
			counts[change.Kind]++
			if change.Kind == coupang.ChangeUpdated {
				fmt.Printf("now %s, changed: %v\n", change.Exchange.Status, change.Changed)
			}
		}
		fmt.Printf("pass: %d new, %d updated\n", counts[coupang.ChangeNew], counts[coupang.ChangeUpdated])
	}
	pass()
	for _, ex := range srv.Exchanges() {
		if ex.Status == coupang.ExchangeStatusReceipt {
			srv.Withdraw(ex.ExchangeID) // a customer withdraws
			break
		}
	}
	pass()
	pass()
	// Output:
	// pass: 40 new, 0 updated
	// now CANCEL, changed: [Status CollectStatus DeliveryStatus Rejectable CancelReason ModifiedAt]
	// pass: 0 new, 1 updated
	// pass: 0 new, 0 updated
}

// Acting on a change from a job queue that delivers at least once: the
// Ensure… calls apply each effect once, however often they run.
func ExampleExchangeService_EnsureReceiptConfirmed() {
	srv := coupangtest.NewServer()
	defer srv.Close()
	client, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	var ex coupang.ExchangeRequest
	for _, e := range srv.Exchanges() {
		if e.Status == coupang.ExchangeStatusReceipt {
			ex = e
			break
		}
	}

	for range 2 { // the job runs twice
		err := client.Exchanges.EnsureReceiptConfirmed(ctx, ex)
		switch {
		case errors.Is(err, coupang.ErrNotApplicable):
			fmt.Println("withdrawn or rejected meanwhile: nothing to do")
		case err != nil:
			log.Fatal(err) // retry the job later
		}
	}
	box, err := client.Exchanges.WaitForShipmentBox(ctx, ex)
	if err != nil {
		log.Fatal(err)
	}
	err = client.Exchanges.EnsureInvoicesUploaded(ctx, ex, []coupang.ExchangeInvoice{
		{ShipmentBoxID: box, GoodsDeliveryCode: coupang.CourierCJ, InvoiceNumber: "123456789012"},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("confirmations:", srv.Confirmations(ex.ExchangeID))
	fmt.Println("waybills:", len(srv.Invoices(ex.ExchangeID)))
	// Output:
	// confirmations: 1
	// waybills: 1
}
