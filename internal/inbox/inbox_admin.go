package inbox

// Read helpers of the admin's inbox page (internal/web): the badge's
// counts, the signature its live updates watch, and the unassigned
// conversations. They only read.

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// Counts are the inbox's figures for the admin menu's badge.
type Counts struct {
	Open       int // conversations waiting for the shop
	Overdue    int // of them, past their response target
	Unassigned int // of them, given to nobody
}

// Counts counts the open conversations, the overdue and the unassigned
// ones among them.
func (s *Service) Counts(ctx context.Context) (Counts, error) {
	var c Counts
	var overdue, unassigned *int64
	err := s.db.Read().QueryRow(ctx, `SELECT COUNT(*),
			SUM(CASE WHEN overdue_at IS NOT NULL THEN 1 ELSE 0 END),
			SUM(CASE WHEN assignee_id IS NULL THEN 1 ELSE 0 END)
		FROM conversations WHERE status = 'open'`).Scan(&c.Open, &overdue, &unassigned)
	if err != nil {
		return c, fmt.Errorf("count conversations: %w", err)
	}
	c.Overdue, c.Unassigned = int(deref(overdue)), int(deref(unassigned))
	return c, nil
}

// Signature changes whenever a conversation changes or a message is
// written: the admin's live updates poll it. It reads two index ends.
func (s *Service) Signature(ctx context.Context) (string, error) {
	var updated time.Time
	var conv, last int64
	q := s.db.Read()
	err := q.QueryRow(ctx, `SELECT updated_at, id FROM conversations ORDER BY updated_at DESC, id DESC LIMIT 1`).Scan(&updated, &conv)
	if err != nil && !isNotFound(err) {
		return "", fmt.Errorf("inbox signature: %w", err)
	}
	if err := q.QueryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM conversation_messages`).Scan(&last); err != nil {
		return "", fmt.Errorf("inbox signature: %w", err)
	}
	return store.Cursor(updated, conv) + ":" + strconv.FormatInt(last, 36), nil
}
