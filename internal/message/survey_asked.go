package message

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// LastSentByRule returns when the customer was last sent a message of
// rule, other than message except, and whether they ever were: the
// survey's quiet days (no second delivery survey within months).
func LastSentByRule(ctx context.Context, q store.Querier, customerID int64, rule string, except int64) (time.Time, bool, error) {
	var at *time.Time
	err := q.QueryRow(ctx, `SELECT sent_at FROM messages WHERE customer_id = $1 AND rule = $2 AND status = 'sent'
		AND id <> $3 AND sent_at IS NOT NULL ORDER BY sent_at DESC LIMIT 1`, customerID, rule, except).Scan(&at)
	if errors.Is(err, store.ErrNotFound) || err == nil && at == nil {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("last %s message of customer %d: %w", rule, customerID, err)
	}
	return *at, true, nil
}
