package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
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
	var others []string // the order's other exchanges, when --order is given
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
		others = append(others, strconv.FormatInt(ex.ExchangeID, 10))
	}
	switch {
	case order == 0:
		return coupang.ExchangeRequest{}, fmt.Errorf("exchange %d: not among the exchange requests of the last %d days (a wrong id, or an older one: raise --days)", id, days)
	case len(others) == 0:
		// Raising --days would only list more of nothing: the order is
		// the likelier mistake.
		return coupang.ExchangeRequest{}, fmt.Errorf("exchange %d: order %d has no exchange requests in the last %d days: check --order, or leave it out to search all orders", id, order, days)
	}
	return coupang.ExchangeRequest{}, fmt.Errorf("exchange %d is not one of order %d's exchange requests (%s): check --id and --order", id, order, strings.Join(others, ", "))
}
