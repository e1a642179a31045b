package callback

import (
	"context"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/task"
)

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
	p := task.CallbackQueueParams{Limit: limit + 1, Lenient: true}
	if at, id, ok := store.ParseCursor(after); ok {
		p.Cursor, p.AfterDue, p.AfterID = true, at, id
	}
	list, err := task.CallbackQueueList(ctx, s.db.Read(), p)
	if err != nil {
		return nil, false, fmt.Errorf("call-back queue after %q: %w", after, err)
	}
	now := s.clock.Now()
	out := make([]Item, 0, limit+1)
	for _, r := range list {
		it := queued(r)
		loc := s.location(it.Zone)
		it.Zone = loc.String()
		it.LocalNow = now.In(loc)
		it.Unreadable = r.BadPlaced || r.BadDue || !writable(it.PlacedAt) || !writable(it.DueAt)
		if !it.Unreadable {
			it.Left = it.DueAt.Sub(now)
			it.Overdue = it.DueAt.Before(now)
		}
		out = append(out, it)
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
