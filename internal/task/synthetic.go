package task

import (
	"context"
	"fmt"

	"github.com/shopcare/shopcare/internal/store"
)

// The reads of the call-back queue the benchmarks (shopcare bench pages)
// seed and check their store with. Nothing here is used by the shop
// itself.

// OpenCallbackIDs returns the first limit open call-backs of the queue,
// the soonest due first.
func OpenCallbackIDs(ctx context.Context, q store.Querier, limit int) ([]int64, error) {
	var ids []int64
	err := store.Each(ctx, q, `SELECT id FROM tasks WHERE kind = 'callback' AND status = 'open'
		ORDER BY due_at, id LIMIT $1`, []any{limit}, func(r store.Rows) error {
		var id int64
		if err := r.Scan(&id); err != nil {
			return err
		}
		ids = append(ids, id)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the call-back queue: %w", err)
	}
	return ids, nil
}

// CountOpenCallbacks counts the open call-backs.
func CountOpenCallbacks(ctx context.Context, q store.Querier) (int, error) {
	var n int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM tasks WHERE kind = 'callback' AND status = 'open'`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count open call-backs: %w", err)
	}
	return n, nil
}
