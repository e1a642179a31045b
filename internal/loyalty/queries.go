package loyalty

import (
	"context"

	"github.com/shopcare/shopcare/internal/store"
)

// This file holds the loyalty tables' SQL that other packages need: the
// loyalty_* and coupon tables belong to this package (style rule 14a).

// CountCards returns how many customers hold a tier card.
func CountCards(ctx context.Context, q store.Querier) (int64, error) {
	var n int64
	err := q.QueryRow(ctx, `SELECT COUNT(*) FROM loyalty_accounts WHERE customer_id IS NOT NULL AND tier <> ''`).Scan(&n)
	return n, err
}
