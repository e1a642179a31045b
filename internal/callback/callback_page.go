package callback

import (
	"context"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// queuePageSQL is queueSQL from a cursor on: the open call-backs due at or
// after the cursor's time, the same index walked from there.
const queuePageSQL = `SELECT t.id, t.order_id, o.external_id, o.status, o.placed_at, o.customer_id, c.name, c.phone,
	c.timezone, t.due_at, t.attempts
	FROM tasks t
	JOIN orders o ON o.id = t.order_id
	JOIN customers c ON c.id = o.customer_id
	WHERE t.kind = 'callback' AND t.status = 'open' AND t.due_at >= $1 AND (t.due_at > $1 OR t.id > $2)
	ORDER BY t.due_at, t.id
	LIMIT $3`

// Cursor is where the page after this item starts.
func (it Item) Cursor() string {
	return store.Cursor(it.DueAt, it.TaskID)
}

// QueuePage returns a page of the queue in Queue's order, starting after
// the item whose Cursor is after ("" for the first page), and whether
// more follow. Pages are cut by the last row seen (keyset), so a deep
// page costs what the first does. A row whose stored times cannot be read
// is returned with Unreadable set, not an error, so one bad row never
// hides the queue.
func (s *Service) QueuePage(ctx context.Context, after string, limit int) ([]Item, bool, error) {
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	query, args := queueSQL, []any{limit + 1}
	if at, id, ok := store.ParseCursor(after); ok {
		query, args = queuePageSQL, []any{at, id, limit + 1}
	}
	rows, err := s.db.Read().Query(ctx, query, args...)
	if err != nil {
		return nil, false, fmt.Errorf("call-back queue after %q: %w", after, err)
	}
	defer rows.Close()
	now := s.clock.Now()
	out := make([]Item, 0, limit+1)
	for rows.Next() {
		var it Item
		var phone *string
		var badPlaced, badDue bool
		if err := rows.Scan(&it.TaskID, &it.OrderID, &it.OrderNumber, &it.OrderStatus,
			store.LenientTime{T: &it.PlacedAt, Bad: &badPlaced}, &it.CustomerID, &it.CustomerName, &phone, &it.Zone,
			store.LenientTime{T: &it.DueAt, Bad: &badDue}, &it.Attempts); err != nil {
			return nil, false, fmt.Errorf("call-back queue after %q: %w", after, err)
		}
		it.Phone = store.Text(phone)
		loc := s.location(it.Zone)
		it.Zone = loc.String()
		it.LocalNow = now.In(loc)
		it.Unreadable = badPlaced || badDue || !writable(it.PlacedAt) || !writable(it.DueAt)
		if !it.Unreadable {
			it.Left = it.DueAt.Sub(now)
			it.Overdue = it.DueAt.Before(now)
		}
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("call-back queue after %q: %w", after, err)
	}
	more := len(out) > limit
	if more {
		out = out[:limit]
	}
	return out, more, nil
}

// writable reports whether t has a four-digit year, which every stored
// and printed form of a time can hold; a row due in year 10000 is flagged
// alike on both engines (SQLite cannot even read it back).
func writable(t time.Time) bool { return t.Year() >= 1000 && t.Year() <= 9999 }
