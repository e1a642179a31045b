package message

import (
	"context"
	"fmt"

	"github.com/shopcare/shopcare/internal/store"
)

// CountAll counts the messages, whatever their state; the benchmarks
// (shopcare bench pages) report it beside the store they measure.
func CountAll(ctx context.Context, q store.Querier) (int, error) {
	var n int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM messages`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count messages: %w", err)
	}
	return n, nil
}
