package campaign

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// LastSent returns when customerID last got, or is due to get, a
// campaign's message: the latest of the sent ones' send times and the
// pending ones' due times; zero when none. The playbook's frequency cap
// counts campaigns with the marketing flows' messages, so that a welcome
// or a win-back never lands on the day of a newsletter.
func LastSent(ctx context.Context, q store.Querier, customerID int64) (time.Time, error) {
	var last time.Time
	for _, query := range []string{
		`SELECT sent_at FROM campaign_recipients WHERE customer_id = $1 AND sent_at IS NOT NULL ORDER BY sent_at DESC LIMIT 1`,
		`SELECT due_at FROM campaign_recipients WHERE customer_id = $1 AND status IN ('pending', 'sending') ORDER BY due_at DESC LIMIT 1`,
	} {
		var at time.Time
		err := q.QueryRow(ctx, query, customerID).Scan(&at)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return time.Time{}, fmt.Errorf("last campaign message of customer %d: %w", customerID, err)
		}
		if at.After(last) {
			last = at
		}
	}
	return last, nil
}
