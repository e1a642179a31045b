package webhook

import (
	"context"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// Delivery is one event sent, or being sent, to one endpoint.
type Delivery struct {
	ID        int64
	EventID   int64
	EventKind string
	URL       string
	Status    string
	// Attempts counts every request made, throttled ones included.
	Attempts    int
	LastCode    int // 0: no HTTP answer yet
	LastError   string
	CreatedAt   time.Time
	DeliveredAt *time.Time
	Log         []Attempt // oldest first
}

// Attempt is one request of a delivery.
type Attempt struct {
	Code     int // 0: no HTTP answer (the error says why)
	Error    string
	Duration time.Duration
	At       time.Time
}

// Filter selects deliveries for List.
type Filter struct {
	// Limit is how many of the newest to list: DefaultLimit when zero,
	// at most MaxLimit.
	Limit int
	// Status lists only deliveries in it; all when empty.
	Status string
}

// List limits.
const (
	DefaultLimit = 50
	MaxLimit     = 500
)

// List returns the newest deliveries, newest first, each with its attempts.
func List(ctx context.Context, q store.Querier, f Filter) ([]Delivery, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	query := `SELECT id, event_id, event_kind, url, status, attempts, last_code, last_error, created_at, delivered_at
		FROM webhook_deliveries`
	args := []any{limit}
	if f.Status != "" {
		query += ` WHERE status = $2`
		args = append(args, f.Status)
	}
	query += ` ORDER BY id DESC LIMIT $1`
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list webhook deliveries: %w", err)
	}
	var out []Delivery
	index := map[int64]int{}
	var ids []int64
	for rows.Next() {
		var d Delivery
		var code *int
		if err := rows.Scan(&d.ID, &d.EventID, &d.EventKind, &d.URL, &d.Status, &d.Attempts, &code, &d.LastError,
			&d.CreatedAt, &d.DeliveredAt); err != nil {
			rows.Close()
			return nil, fmt.Errorf("list webhook deliveries: %w", err)
		}
		if code != nil {
			d.LastCode = *code
		}
		index[d.ID] = len(out)
		ids = append(ids, d.ID)
		out = append(out, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list webhook deliveries: %w", err)
	}
	err = store.QueryIn(ctx, q, `SELECT delivery_id, code, error, duration_ms, at FROM webhook_attempts
		WHERE delivery_id IN (IN_LIST) ORDER BY id`, nil, ids,
		func(r store.Rows) error {
			var id, ms int64
			var code *int
			var a Attempt
			if err := r.Scan(&id, &code, &a.Error, &ms, &a.At); err != nil {
				return err
			}
			if code != nil {
				a.Code = *code
			}
			a.Duration = time.Duration(ms) * time.Millisecond
			d := &out[index[id]]
			d.Log = append(d.Log, a)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("list webhook attempts: %w", err)
	}
	return out, nil
}
