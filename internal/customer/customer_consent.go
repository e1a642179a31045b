package customer

import (
	"context"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/store"
)

// ConsentSourceMyPage is the consent source of a consent the customer
// gave or withdrew themself on their own page (/my).
const ConsentSourceMyPage = "my_page"

// ChannelConsent is a customer's standing on one channel, with the proof
// of each consent: when, and from where.
type ChannelConsent struct {
	Channel string
	// ConsentAt is when the customer agreed to order news on the channel
	// (sms needs it), ConsentSource where; OptedOutAt when they asked for
	// no more messages at all on it.
	ConsentAt     *time.Time
	ConsentSource string
	OptedOutAt    *time.Time
	// MarketingConsentAt is when the customer agreed to campaigns and
	// offers on the channel (nil: they have not, or took it back at
	// MarketingRevokedAt), MarketingConsentSource where.
	MarketingConsentAt     *time.Time
	MarketingConsentSource string
	MarketingRevokedAt     *time.Time
	// MarketingPendingAt is when a marketing e-mail consent was given
	// that waits for the customer's confirmation (double opt-in),
	// MarketingPendingSource where.
	MarketingPendingAt     *time.Time
	MarketingPendingSource string
	// FailedAt is when the address failed for good (a bounce), Failure why.
	FailedAt *time.Time
	Failure  string
}

// Transactional tells whether order news may go on the channel as far as
// the customer's word goes: consent given and not withdrawn.
func (c ChannelConsent) Transactional() bool { return c.ConsentAt != nil && c.OptedOutAt == nil }

// Marketing tells whether the customer's marketing consent on the channel
// stands.
func (c ChannelConsent) Marketing() bool { return c.MarketingConsentAt != nil }

// Profile is everything a customer's row holds, for their copy of it
// (GDPR art. 15) and the API's views.
type Profile struct {
	Customer
	TelegramChatID string
	Birthday       string // MM-DD
	ChannelOrder   string
	// MarketingOptedOutAt is when the customer unsubscribed from all
	// marketing (the link in a campaign); nil when they have not, or
	// gave a new consent since.
	MarketingOptedOutAt *time.Time
	// ErasedAt is when their personal data was erased on request.
	ErasedAt  *time.Time
	UpdatedAt time.Time
	Channels  []ChannelConsent
}

// GetProfile returns customer id's whole row and channels.
func GetProfile(ctx context.Context, q store.Querier, id int64) (*Profile, error) {
	var p Profile
	var ext, email, phone, telegram, birthday *string
	err := q.QueryRow(ctx, `SELECT id, external_id, email, phone, name, language, country, city, timezone,
		orders_count, spent_minor, first_order_at, last_order_at, created_at, updated_at,
		telegram_chat_id, birthday, channel_order, marketing_opted_out_at, erased_at
		FROM customers WHERE id = $1`, id).Scan(&p.ID, &ext, &email, &phone, &p.Name, &p.Language, &p.Country, &p.City,
		&p.Timezone, &p.OrdersCount, &p.SpentMinor, &p.FirstOrderAt, &p.LastOrderAt, &p.CreatedAt, &p.UpdatedAt,
		&telegram, &birthday, &p.ChannelOrder, &p.MarketingOptedOutAt, &p.ErasedAt)
	if err != nil {
		return nil, fmt.Errorf("load customer %d: %w", id, err)
	}
	p.ExternalID, p.Email, p.Phone = store.Text(ext), store.Text(email), store.Text(phone)
	p.TelegramChatID, p.Birthday = store.Text(telegram), store.Text(birthday)
	p.Channels, err = Channels(ctx, q, id)
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// Channels returns customer id's standing on each channel they have one
// on, by channel name.
func Channels(ctx context.Context, q store.Querier, id int64) ([]ChannelConsent, error) {
	var out []ChannelConsent
	err := store.Each(ctx, q, `SELECT channel, consent_at, consent_source, opted_out_at, marketing_consent_at,
		marketing_consent_source, marketing_revoked_at, marketing_pending_at, marketing_pending_source, failed_at, failure
		FROM customer_channels WHERE customer_id = $1 ORDER BY channel`, []any{id}, func(r store.Rows) error {
		var c ChannelConsent
		if err := r.Scan(&c.Channel, &c.ConsentAt, &c.ConsentSource, &c.OptedOutAt, &c.MarketingConsentAt,
			&c.MarketingConsentSource, &c.MarketingRevokedAt, &c.MarketingPendingAt, &c.MarketingPendingSource, &c.FailedAt, &c.Failure); err != nil {
			return err
		}
		out = append(out, c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load channels of customer %d: %w", id, err)
	}
	return out, nil
}

// PatchTx applies p to customer id inside tx (Update) and journals
// customer.changed when something changed.
func PatchTx(ctx context.Context, tx *store.Tx, j *journal.Journal, id int64, p Patch, def Defaults, source string, now time.Time) (Changed, error) {
	changed, err := Update(ctx, tx, id, p, def, "", now)
	if err != nil || len(changed) == 0 {
		return changed, err
	}
	return changed, j.Append(ctx, tx, journal.Event{Kind: journal.CustomerChanged, CustomerID: id, OccurredAt: now,
		Payload: journal.MustPayload(event.CustomerChangedPayload{Fields: changed, Source: source})})
}
