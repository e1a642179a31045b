package customer

import (
	"context"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// This file holds the customer tables' SQL that other packages need: the
// customers, customer_channels and customer_search tables belong to this
// package (style rule 14a), so the loyalty program, the message sender,
// the importer and the rest call these functions rather than naming the
// tables. Each takes a store.Querier, so a caller keeps its change in one
// transaction.

// EachBirthdayBuyer calls fn with the id of every customer whose birthday
// (MM-DD) is one of days and who has had an order delivered.
func EachBirthdayBuyer(ctx context.Context, q store.Querier, days []string, fn func(id int64) error) error {
	return store.QueryIn(ctx, q, `SELECT c.id FROM customers c WHERE c.birthday IN (IN_LIST)
		AND EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.status = 'delivered')`, nil, days, func(r store.Rows) error {
		var c int64
		if err := r.Scan(&c); err != nil {
			return err
		}
		return fn(c)
	})
}

// GetErasedAt returns when the customer was erased, nil when not.
func GetErasedAt(ctx context.Context, q store.Querier, id int64) (*time.Time, error) {
	var erased *time.Time
	err := q.QueryRow(ctx, `SELECT erased_at FROM customers WHERE id = $1`, id).Scan(&erased)
	return erased, err
}

// Reach is what the message sender reads of a customer to reach them.
type Reach struct {
	Name                       string
	Email, Phone, TelegramChat *string
	Language, Timezone         string
	// ChannelOrder is the customer's channels by preference, comma
	// separated; "" for the shop's order.
	ChannelOrder        string
	MarketingOptedOutAt *time.Time
}

// GetReach returns the customer's Reach; a missing customer is
// store.ErrNotFound.
func GetReach(ctx context.Context, q store.Querier, id int64) (Reach, error) {
	var r Reach
	err := q.QueryRow(ctx, `SELECT name, email, phone, telegram_chat_id, language, timezone, channel_order, marketing_opted_out_at
		FROM customers WHERE id = $1`, id).Scan(&r.Name, &r.Email, &r.Phone, &r.TelegramChat, &r.Language, &r.Timezone,
		&r.ChannelOrder, &r.MarketingOptedOutAt)
	return r, err
}

// ChannelStanding is where a customer stands on one channel.
type ChannelStanding struct {
	Channel    string
	ConsentAt  *time.Time
	OptedOutAt *time.Time
	FailedAt   *time.Time
	Failure    string
	// MarketingRevokedAt is when the customer withdrew their marketing
	// consent on the channel (nil: they did not, or gave it again since).
	MarketingRevokedAt *time.Time
	// MarketingConsentAt is when the customer gave their explicit
	// marketing consent on the channel (nil: never, withdrawn, or still
	// pending its confirmation): what advertising needs.
	MarketingConsentAt *time.Time
}

// ListChannelStandings returns the customer's standing on each channel
// that has one.
func ListChannelStandings(ctx context.Context, q store.Querier, id int64) ([]ChannelStanding, error) {
	var out []ChannelStanding
	err := store.Each(ctx, q, `SELECT channel, consent_at, opted_out_at, failed_at, failure, marketing_revoked_at,
		marketing_consent_at FROM customer_channels WHERE customer_id = $1`, []any{id}, func(r store.Rows) error {
		var s ChannelStanding
		if err := r.Scan(&s.Channel, &s.ConsentAt, &s.OptedOutAt, &s.FailedAt, &s.Failure, &s.MarketingRevokedAt,
			&s.MarketingConsentAt); err != nil {
			return err
		}
		out = append(out, s)
		return nil
	})
	return out, err
}

// ChannelConsentSet is a customer's consent to (Consent) or opt-out from
// a channel, at At.
type ChannelConsentSet struct {
	CustomerID int64
	Channel    string
	Consent    bool
	At         time.Time
}

// SetChannelConsent records a ChannelConsentSet: consent clears an earlier
// opt-out and the other way round. The channel is not checked.
func SetChannelConsent(ctx context.Context, q store.Querier, c ChannelConsentSet) error {
	query := `INSERT INTO customer_channels (customer_id, channel, consent_at, opted_out_at, updated_at)
		VALUES ($1, $2, $3, NULL, $3)
		ON CONFLICT (customer_id, channel) DO UPDATE SET consent_at = $3, opted_out_at = NULL, updated_at = $3`
	if !c.Consent {
		query = `INSERT INTO customer_channels (customer_id, channel, opted_out_at, updated_at)
			VALUES ($1, $2, $3, $3)
			ON CONFLICT (customer_id, channel) DO UPDATE SET opted_out_at = $3, consent_at = NULL, updated_at = $3`
	}
	_, err := q.Exec(ctx, query, c.CustomerID, c.Channel, c.At)
	return err
}

// ChannelFailure is a customer's address on a channel failing for good.
type ChannelFailure struct {
	CustomerID int64
	Channel    string
	Failure    string
	At         time.Time
}

// SetChannelFailure records a ChannelFailure.
func SetChannelFailure(ctx context.Context, q store.Querier, f ChannelFailure) error {
	_, err := q.Exec(ctx, `INSERT INTO customer_channels (customer_id, channel, failed_at, failure, updated_at)
		VALUES ($1, $2, $3, $4, $3)
		ON CONFLICT (customer_id, channel) DO UPDATE SET failed_at = $3, failure = $4, updated_at = $3`,
		f.CustomerID, f.Channel, f.At, f.Failure)
	return err
}

// SetMarketingOptOut records that the customer wants no more marketing,
// at at unless they said so before.
func SetMarketingOptOut(ctx context.Context, q store.Querier, id int64, at time.Time) error {
	_, err := q.Exec(ctx, `UPDATE customers SET marketing_opted_out_at = COALESCE(marketing_opted_out_at, $2) WHERE id = $1`,
		id, at)
	return err
}

// Locale is where a customer is and what they read.
type Locale struct {
	ID                          int64
	Country, Timezone, Language string
}

// EachLocale calls fn with the Locale of each customer of ids that exists.
func EachLocale(ctx context.Context, q store.Querier, ids []int64, fn func(Locale) error) error {
	return store.QueryIn(ctx, q, `SELECT id, country, timezone, language FROM customers WHERE id IN (IN_LIST)`, nil, ids,
		func(r store.Rows) error {
			var l Locale
			if err := r.Scan(&l.ID, &l.Country, &l.Timezone, &l.Language); err != nil {
				return err
			}
			return fn(l)
		})
}

// EachExternalIDEmail calls fn with the external id and e-mail address
// (nil when none) of every customer.
func EachExternalIDEmail(ctx context.Context, q store.Querier, fn func(ext, email *string) error) error {
	return store.Each(ctx, q, `SELECT external_id, email FROM customers`, nil, func(r store.Rows) error {
		var ext, email *string
		if err := r.Scan(&ext, &email); err != nil {
			return err
		}
		return fn(ext, email)
	})
}

// GetByOffset returns the Input that would recreate the customer at
// offset n in id order (without the birthday), and their stored birthday,
// nil when unknown.
func GetByOffset(ctx context.Context, q store.Querier, n int64) (Input, *string, error) {
	var in Input
	var ext, email, phone, born *string
	err := q.QueryRow(ctx, `SELECT external_id, name, email, phone, language, country, city, timezone, birthday
		FROM customers ORDER BY id LIMIT 1 OFFSET $1`, n).Scan(
		&ext, &in.Name, &email, &phone, &in.Language, &in.Country, &in.City, &in.Timezone, &born)
	in.ExternalID, in.Email, in.Phone = store.Text(ext), store.Text(email), store.Text(phone)
	return in, born, err
}

// GetIDByOffset returns the id of the customer at offset n in id order.
func GetIDByOffset(ctx context.Context, q store.Querier, n int64) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, `SELECT id FROM customers ORDER BY id LIMIT 1 OFFSET $1`, n).Scan(&id)
	return id, err
}
