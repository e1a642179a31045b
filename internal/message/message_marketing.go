package message

import (
	"context"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// LastMarketingOf returns, for those of customerIDs who were sent a
// marketing (non-transactional) message at or after since, the time of
// the last one (LastMarketing for many at once): the campaigns' frequency
// cap shares it with the flows.
func LastMarketingOf(ctx context.Context, q store.Querier, customerIDs []int64, since time.Time) (map[int64]time.Time, error) {
	out := map[int64]time.Time{}
	err := store.QueryIn(ctx, q, `SELECT customer_id, sent_at FROM messages
		WHERE transactional = $1 AND status = 'sent' AND sent_at >= $2 AND customer_id IN (IN_LIST)`,
		[]any{false, since}, customerIDs, func(r store.Rows) error {
			var id int64
			var at time.Time
			if err := r.Scan(&id, &at); err != nil {
				return err
			}
			if at.After(out[id]) {
				out[id] = at
			}
			return nil
		})
	return out, err
}
