package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/go-coupang/coupang"
)

// defaultLookBack is how far back the write commands look for the exchange
// they are given: Coupang has no call to fetch one exchange by id, so it is
// found by listing.
const defaultLookBack = 30

// findExchange lists the last days days (only order's exchanges when order
// is not 0) and returns exchange id.
func findExchange(ctx context.Context, c *coupang.Client, id, order int64, days int) (coupang.ExchangeRequest, error) {
	if days < 1 {
		return coupang.ExchangeRequest{}, usageErrorf("--days must be at least 1, got %d", days)
	}
	now := time.Now().Truncate(time.Second)
	opts := coupang.ExchangeListOptions{CreatedAtFrom: now.AddDate(0, 0, -days), CreatedAtTo: now, OrderID: order}
	for ex, err := range c.Exchanges.All(ctx, opts) {
		var recErr *coupang.RecordError
		if errors.As(err, &recErr) && recErr.ExchangeID != id {
			continue // another exchange's malformed record
		}
		if err != nil {
			return coupang.ExchangeRequest{}, err
		}
		if ex.ExchangeID == id {
			return ex, nil
		}
	}
	return coupang.ExchangeRequest{}, fmt.Errorf("exchange %d: not among the exchange requests of the last %d days (a wrong id, or an older one: raise --days)", id, days)
}
