package customer

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
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
	if len(order) == 0 {
		return nil
	}
	slices.Sort(order)
	if _, sqlite := tx.Raw().(*sql.Tx); !sqlite {
		return projectPostgres(ctx, tx, order, deltas)
	}
	return projectSQLite(ctx, tx, order, deltas)
}

// projectionSet folds a batch's deltas d (orders, spent, first, last; first
// and last NULL when the batch created no order of the customer) into the
// customer's row c.
const projectionSet = `orders_count = c.orders_count + d.orders, spent_minor = c.spent_minor + d.spent,
	first_order_at = CASE WHEN d.first_at IS NOT NULL AND (c.first_order_at IS NULL OR c.first_order_at > d.first_at)
		THEN d.first_at ELSE c.first_order_at END,
	last_order_at = CASE WHEN d.last_at IS NOT NULL AND (c.last_order_at IS NULL OR c.last_order_at < d.last_at)
		THEN d.last_at ELSE c.last_order_at END`

// projectSQLite updates the customers ids (ascending) one statement each,
// through the transaction's prepared statement: in process there is no
// round trip to save, and one UPDATE … FROM a VALUES list of the batch
// cost twice the CPU (parsing the list, and a statement journal of every
// page it changed). In id order the rows are found page after page.
func projectSQLite(ctx context.Context, tx *store.Tx, ids []int64, deltas map[int64]*delta) error {
	for _, id := range ids {
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
			return fmt.Errorf("project the orders of customer %d: %w", id, err)
		}
	}
	return nil
}

// projectPostgres updates the customers ids (ascending) in one statement,
// their deltas passed as arrays.
func projectPostgres(ctx context.Context, tx *store.Tx, ids []int64, deltas map[int64]*delta) error {
	orders, spent := make([]int64, len(ids)), make([]int64, len(ids))
	first, last := make([]*time.Time, len(ids)), make([]*time.Time, len(ids))
	for i, id := range ids {
		d := deltas[id]
		orders[i], spent[i], first[i], last[i] = d.orders, d.spent, nullTime(d.first), nullTime(d.last)
	}
	_, err := tx.Exec(ctx, `UPDATE customers AS c SET `+projectionSet+`
		FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::timestamptz[], $5::timestamptz[]) AS d (id, orders, spent, first_at, last_at)
		WHERE c.id = d.id`, ids, orders, spent, first, last)
	if err != nil {
		return fmt.Errorf("project the orders of %d customers: %w", len(ids), err)
	}
	return nil
}

func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// OrdersCounted is the sum of the customers' order counts: every order
// the projection has folded, once.
func OrdersCounted(ctx context.Context, q store.Querier) (int64, error) {
	var n int64
	if err := q.QueryRow(ctx, `SELECT COALESCE(SUM(orders_count), 0) FROM customers`).Scan(&n); err != nil {
		return 0, fmt.Errorf("sum the customers' order counts: %w", err)
	}
	return n, nil
}
