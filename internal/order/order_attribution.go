package order

import (
	"context"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// Placed is an order as the campaigns' attribution sees it: who placed
// it, when, and for how much.
type Placed struct {
	ID         int64
	CustomerID int64
	TotalMinor int64
	PlacedAt   time.Time
}

// EachPlaced calls fn for every order placed in [from, to) that counts
// (not cancelled or returned, not imported history), oldest first.
func EachPlaced(ctx context.Context, q store.Querier, from, to time.Time, fn func(Placed) error) error {
	rows, err := q.Query(ctx, `SELECT id, customer_id, total_minor, placed_at FROM orders
		WHERE placed_at >= $1 AND placed_at < $2 AND status NOT IN ('cancelled', 'returned') AND NOT history
		ORDER BY placed_at, id`, from, to)
	if err != nil {
		return fmt.Errorf("list orders placed from %s: %w", from.Format(time.RFC3339), err)
	}
	defer rows.Close()
	for rows.Next() {
		var p Placed
		if err := rows.Scan(&p.ID, &p.CustomerID, &p.TotalMinor, &p.PlacedAt); err != nil {
			return fmt.Errorf("list placed orders: %w", err)
		}
		if err := fn(p); err != nil {
			return err
		}
	}
	return rows.Err()
}
