package customer

import (
	"context"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// MarketingReach is what a campaign's sender reads of a customer at send
// time: where to reach them on one channel and whether it may.
type MarketingReach struct {
	ID                         int64
	Name, Language, Timezone   string
	Email, Phone, TelegramChat *string
	// MarketingOptedOutAt is their unsubscribe from all marketing,
	// ErasedAt their erasure.
	MarketingOptedOutAt, ErasedAt *time.Time
	// The standing on the channel: marketing consent, opt-out from the
	// channel, the address failed.
	MarketingConsentAt, OptedOutAt, FailedAt *time.Time
}

// EachMarketingReach calls fn with the MarketingReach on channel of each
// customer of ids that exists.
func EachMarketingReach(ctx context.Context, q store.Querier, channel string, ids []int64, fn func(MarketingReach) error) error {
	return store.QueryIn(ctx, q, `SELECT c.id, c.name, c.language, c.timezone, c.email, c.phone, c.telegram_chat_id,
		c.marketing_opted_out_at, c.erased_at, ch.marketing_consent_at, ch.opted_out_at, ch.failed_at
		FROM customers c LEFT JOIN customer_channels ch ON ch.customer_id = c.id AND ch.channel = $1
		WHERE c.id IN (IN_LIST)`, []any{channel}, ids, func(r store.Rows) error {
		var m MarketingReach
		if err := r.Scan(&m.ID, &m.Name, &m.Language, &m.Timezone, &m.Email, &m.Phone, &m.TelegramChat,
			&m.MarketingOptedOutAt, &m.ErasedAt, &m.MarketingConsentAt, &m.OptedOutAt, &m.FailedAt); err != nil {
			return err
		}
		return fn(m)
	})
}
