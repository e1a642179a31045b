package customer

import (
	"context"

	"github.com/shopcare/shopcare/internal/store"
)

// The reads of a batch of customers (issue 22): the message sweep writes
// a hundred messages at once and reads their customers with one statement
// per table, not one per customer. Each returns, for every id, exactly
// what its one-customer read returns.

// GetReachMany returns the Reach of each customer of ids that exists, by
// id, as GetReach reads it.
func GetReachMany(ctx context.Context, q store.Querier, ids []int64) (map[int64]Reach, error) {
	out := make(map[int64]Reach, len(ids))
	err := store.QueryIn(ctx, q, `SELECT id, name, email, phone, telegram_chat_id, language, timezone, channel_order,
		marketing_opted_out_at FROM customers WHERE id IN (IN_LIST)`, nil, ids, func(rs store.Rows) error {
		var id int64
		var r Reach
		if err := rs.Scan(&id, &r.Name, &r.Email, &r.Phone, &r.TelegramChat, &r.Language, &r.Timezone,
			&r.ChannelOrder, &r.MarketingOptedOutAt); err != nil {
			return err
		}
		out[id] = r
		return nil
	})
	return out, err
}

// ListChannelStandingsMany returns the standings of the customers ids, by
// customer, as ListChannelStandings reads them; a customer with none is
// absent.
func ListChannelStandingsMany(ctx context.Context, q store.Querier, ids []int64) (map[int64][]ChannelStanding, error) {
	out := make(map[int64][]ChannelStanding)
	err := store.QueryIn(ctx, q, `SELECT customer_id, channel, consent_at, opted_out_at, failed_at, failure,
		marketing_revoked_at, marketing_consent_at FROM customer_channels WHERE customer_id IN (IN_LIST)`, nil, ids,
		func(r store.Rows) error {
			var id int64
			var s ChannelStanding
			if err := r.Scan(&id, &s.Channel, &s.ConsentAt, &s.OptedOutAt, &s.FailedAt, &s.Failure, &s.MarketingRevokedAt,
				&s.MarketingConsentAt); err != nil {
				return err
			}
			out[id] = append(out[id], s)
			return nil
		})
	return out, err
}
