package jobs

import (
	"context"
	"fmt"

	"github.com/shopcare/shopcare/internal/store"
)

// Count is how many jobs of a kind are in a queue in a state.
type Count struct {
	Kind, Queue, State string
	N                  int64
}

// Counts counts the queue's jobs by kind, queue and state (River keeps
// finished jobs a day before it deletes them, so this reads a day's
// worth at most).
func Counts(ctx context.Context, q store.Querier) ([]Count, error) {
	rows, err := q.Query(ctx, `SELECT kind, queue, state, COUNT(*) FROM river_job GROUP BY kind, queue, state ORDER BY kind, queue, state`)
	if err != nil {
		return nil, fmt.Errorf("count jobs: %w", err)
	}
	defer rows.Close()
	var out []Count
	for rows.Next() {
		var c Count
		if err := rows.Scan(&c.Kind, &c.Queue, &c.State, &c.N); err != nil {
			return nil, fmt.Errorf("count jobs: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count jobs: %w", err)
	}
	return out, nil
}
