package customer

import (
	"context"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/store"
)

// Projection keeps each customer's order count, spend and first and last
// order up to date from the journal. It adds to the totals, so it relies on
// the journal's exactly-once handling: a double handling would show.
type Projection struct{}

type delta struct {
	orders, spent int64
	first, last   time.Time
}

// HandleEvents folds a batch of order events into the customers' totals.
func (Projection) HandleEvents(ctx context.Context, tx *store.Tx, events []journal.Event) error {
	deltas := map[int64]*delta{}
	order := []int64{}
	for _, e := range events {
		if e.CustomerID == 0 || e.Kind != journal.OrderCreated && e.Kind != journal.OrderStatusChanged && e.Kind != journal.OrderChanged {
			continue
		}
		var f event.OrderFacts
		if err := e.Decode(&f); err != nil {
			return err
		}
		d := deltas[e.CustomerID]
		if d == nil {
			d = &delta{}
			deltas[e.CustomerID] = d
			order = append(order, e.CustomerID)
		}
		switch e.Kind {
		case journal.OrderCreated:
			d.orders++
			if f.Counted {
				d.spent += f.TotalMinor
			}
			if d.first.IsZero() || f.PlacedAt.Before(d.first) {
				d.first = f.PlacedAt
			}
			if f.PlacedAt.After(d.last) {
				d.last = f.PlacedAt
			}
		case journal.OrderChanged:
			// TotalMinor is the change of a counted order's total.
			if f.Counted {
				d.spent += f.TotalMinor
			}
		case journal.OrderStatusChanged:
			switch {
			case f.Uncounted:
				d.spent -= f.TotalMinor
			case f.Recounted:
				d.spent += f.TotalMinor
			}
		}
	}
	for _, id := range order {
		d := deltas[id]
		var err error
		if d.first.IsZero() {
			_, err = tx.Exec(ctx, `UPDATE customers SET spent_minor = spent_minor + $2 WHERE id = $1`, id, d.spent)
		} else {
			_, err = tx.Exec(ctx, `UPDATE customers SET orders_count = orders_count + $2, spent_minor = spent_minor + $3,
				first_order_at = CASE WHEN first_order_at IS NULL OR first_order_at > $4 THEN $4 ELSE first_order_at END,
				last_order_at = CASE WHEN last_order_at IS NULL OR last_order_at < $5 THEN $5 ELSE last_order_at END
				WHERE id = $1`, id, d.orders, d.spent, d.first, d.last)
		}
		if err != nil {
			return fmt.Errorf("project orders of customer %d: %w", id, err)
		}
	}
	return nil
}
