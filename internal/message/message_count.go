package message

import (
	"context"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// Count is how many messages went on a channel with a status.
type Count struct {
	Channel string
	Status  Status
	N       int64
}

// CountSince counts the messages scheduled since since by channel and
// status (the owner's system page: the last day's outcomes).
func CountSince(ctx context.Context, q store.Querier, since time.Time) ([]Count, error) {
	rows, err := q.Query(ctx, `SELECT channel, status, COUNT(*) FROM messages WHERE scheduled_at >= $1
		GROUP BY channel, status ORDER BY channel, status`, since)
	if err != nil {
		return nil, fmt.Errorf("count messages: %w", err)
	}
	defer rows.Close()
	var out []Count
	for rows.Next() {
		var c Count
		if err := rows.Scan(&c.Channel, &c.Status, &c.N); err != nil {
			return nil, fmt.Errorf("count messages: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count messages: %w", err)
	}
	return out, nil
}
