package customer

import (
	"context"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// Erased says what Erase did to a customer's own rows.
type Erased struct {
	// At is when the customer was erased: now, or the first time for a
	// customer erased before.
	At time.Time
	// Already is true when the customer had been erased before: nothing
	// was written.
	Already bool
	// Fields lists the profile fields that held something and were
	// erased ("name", "email"…).
	Fields []string
	// SearchTerms and Channels count the search index rows and the
	// channel rows (consents, opt-outs) removed.
	SearchTerms, Channels int64
}

// Erase removes customer id's personal data on their request (GDPR art.
// 17, 152-FZ art. 21) inside tx: name, e-mail, phone, city, Telegram chat,
// birthday, the shop's external id (a key to the person in the shop's
// own records), the search index rows and the channel rows with their
// consents. The row stays, anonymous, with its figures (orders, spend,
// first and last order), country, language and time zone, so the shop's
// analytics stay whole. Erasing an erased customer writes nothing.
func Erase(ctx context.Context, tx *store.Tx, id int64, now time.Time) (Erased, error) {
	cur, erased, err := getForUpdate(ctx, tx, id)
	if err != nil {
		return Erased{}, err
	}
	if erased {
		var at time.Time
		if err := tx.QueryRow(ctx, `SELECT erased_at FROM customers WHERE id = $1`, id).Scan(&at); err != nil {
			return Erased{}, fmt.Errorf("load customer %d: %w", id, err)
		}
		return Erased{At: at, Already: true}, nil
	}
	out := Erased{At: now}
	var birthday *string
	if err := tx.QueryRow(ctx, `SELECT birthday FROM customers WHERE id = $1`, id).Scan(&birthday); err != nil {
		return Erased{}, fmt.Errorf("load customer %d: %w", id, err)
	}
	for _, f := range []struct{ name, v string }{{"external_id", cur.ExternalID}, {"name", cur.Name}, {"email", cur.Email},
		{"phone", cur.Phone}, {"city", cur.City}, {"telegram_chat_id", cur.telegram}, {"birthday", store.Text(birthday)}} {
		if f.v != "" {
			out.Fields = append(out.Fields, f.name)
		}
	}
	_, err = tx.Exec(ctx, `UPDATE customers SET external_id = NULL, name = '', email = NULL, phone = NULL, city = '',
		telegram_chat_id = NULL, birthday = NULL, channel_order = '', erased_at = $2, updated_at = $2 WHERE id = $1`, id, now)
	if err != nil {
		return Erased{}, fmt.Errorf("erase customer %d: %w", id, err)
	}
	if out.SearchTerms, err = tx.Exec(ctx, `DELETE FROM customer_search WHERE customer_id = $1`, id); err != nil {
		return Erased{}, fmt.Errorf("erase search terms of customer %d: %w", id, err)
	}
	if out.Channels, err = tx.Exec(ctx, `DELETE FROM customer_channels WHERE customer_id = $1`, id); err != nil {
		return Erased{}, fmt.Errorf("erase channels of customer %d: %w", id, err)
	}
	return out, nil
}

// IsErased tells whether customer id's personal data was erased: what
// would bring it back (an order's new address) is refused.
func IsErased(ctx context.Context, q store.Querier, id int64) (bool, error) {
	var at *time.Time
	if err := q.QueryRow(ctx, `SELECT erased_at FROM customers WHERE id = $1`, id).Scan(&at); err != nil {
		return false, fmt.Errorf("load customer %d: %w", id, err)
	}
	return at != nil, nil
}
