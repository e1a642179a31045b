package packing

import (
	"context"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/order"
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
	list, err := order.ListToPack(ctx, q, limit)
	if err != nil {
		return nil, fmt.Errorf("packing queue: %w", err)
	}
	var out []QueueItem
	for _, o := range list {
		out = append(out, QueueItem{OrderID: o.ID, ExternalID: o.ExternalID, CustomerName: o.CustomerName,
			ShipDate: o.ShipDate, PlacedAt: o.PlacedAt, GiftWrap: o.GiftWrap, Packed: o.Packed, Pieces: o.Pieces})
	}
	return out, nil
}
