package packing

import (
	"context"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// QueueItem is one order waiting at the packing station.
type QueueItem struct {
	OrderID      int64
	ExternalID   string
	CustomerName string
	// ShipDate is the promised ship day, YYYY-MM-DD in the shop's time
	// zone; "" when the order has none (an imported one).
	ShipDate string
	PlacedAt time.Time
	// Pieces is the number of pieces to pack: the items' quantities added
	// up.
	Pieces   int64
	GiftWrap bool
	// Packed says packing was recorded but the order is not yet
	// ready_to_ship: a Finish cut short, which finishing again completes.
	Packed bool
}

// maxQueue bounds one page of the queue.
const maxQueue = 500

// queueSQL lists the processing orders by ship date, then by when they
// were placed. Orders without a ship date (imported ones: nobody was
// promised a day) come first, so they are looked at rather than forgotten;
// NULLS FIRST says so to PostgreSQL and is SQLite's own order. The partial
// index orders_to_pack (migration 00006) holds exactly these orders in
// this order, so a page is read straight off it however many orders the
// table has; the status must stay a literal for SQLite to use it.
const queueSQL = `SELECT o.id, o.external_id, c.name, o.ship_date, o.placed_at, o.gift_wrap, o.packed_at IS NOT NULL,
		(SELECT COALESCE(SUM(i.qty), 0) FROM order_items i WHERE i.order_id = o.id)
	FROM orders o JOIN customers c ON c.id = o.customer_id
	WHERE o.status = 'processing'
	ORDER BY o.ship_date NULLS FIRST, o.placed_at, o.id
	LIMIT $1`

// Queue returns up to limit orders waiting to be packed — status
// processing — the earliest ship date first, then the earliest placed.
// A limit outside 1..500 is 500.
//
// An order whose packing was recorded but whose status change did not go
// through (Finish cut short between its two steps) is still processing:
// it stays in the queue, marked Packed, for Finish to complete.
func Queue(ctx context.Context, q store.Querier, limit int) ([]QueueItem, error) {
	if limit <= 0 || limit > maxQueue {
		limit = maxQueue
	}
	rows, err := q.Query(ctx, queueSQL, limit)
	if err != nil {
		return nil, fmt.Errorf("packing queue: %w", err)
	}
	defer rows.Close()
	var out []QueueItem
	for rows.Next() {
		var it QueueItem
		var ship *string
		if err := rows.Scan(&it.OrderID, &it.ExternalID, &it.CustomerName, &ship, &it.PlacedAt, &it.GiftWrap,
			&it.Packed, &it.Pieces); err != nil {
			return nil, fmt.Errorf("packing queue: %w", err)
		}
		it.ShipDate = store.Text(ship)
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("packing queue: %w", err)
	}
	return out, nil
}
