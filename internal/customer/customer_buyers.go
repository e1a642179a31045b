package customer

import (
	"context"
	"fmt"

	"github.com/shopcare/shopcare/internal/store"
)

// BuyerTotals are the shop's buyers at a glance: the customers with at
// least one counted purchase, those with two or more, and what they spent
// (minor units of the shop's currency).
type BuyerTotals struct {
	Buyers     int64
	Repeaters  int64
	SpentMinor int64
}

// Buyers sums the buyers up from the customers' running counts.
func Buyers(ctx context.Context, q store.Querier) (BuyerTotals, error) {
	var t BuyerTotals
	err := q.QueryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN purchases >= 2 THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(spent_minor), 0) FROM customers WHERE purchases > 0`).Scan(&t.Buyers, &t.Repeaters, &t.SpentMinor)
	if err != nil {
		return t, fmt.Errorf("buyers' totals: %w", err)
	}
	return t, nil
}
