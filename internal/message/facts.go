package message

import (
	"context"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// FactsCountSentAboutOrders counts the messages about an order sent in
// [from, to), for the analytics' messages per order.
func FactsCountSentAboutOrders(ctx context.Context, q store.Querier, from, to time.Time) (int64, error) {
	var n int64
	err := q.QueryRow(ctx, `SELECT COUNT(*) FROM messages WHERE status = 'sent' AND order_id IS NOT NULL
		AND event_at >= $1 AND event_at < $2`, from, to).Scan(&n)
	return n, err
}
