package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/go-coupang/coupang"
)

// LookBackDays is how far back FindExchange looks: Coupang has no call to
// fetch one exchange by id, so the examples find it by listing, as the
// coupang command does.
const LookBackDays = 30

// FindExchange returns exchange id, listed from the last LookBackDays
// days, so that a write example can ask the SDK's one state rule
// (ExchangeRequest.Actions) before it sends anything.
func FindExchange(ctx context.Context, c *coupang.Client, id int64) (coupang.ExchangeRequest, error) {
	now := time.Now().Truncate(time.Second)
	opts := coupang.ExchangeListOptions{CreatedAtFrom: now.AddDate(0, 0, -LookBackDays), CreatedAtTo: now}
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
	return coupang.ExchangeRequest{}, fmt.Errorf("exchange %d: not among the exchange requests of the last %d days", id, LookBackDays)
}

// PositiveID refuses an -id that is not positive before anything is sent.
func PositiveID(id int64) error {
	if id <= 0 {
		return Usagef("-id must be positive, got %d", id)
	}
	return nil
}
