package message

import (
	"context"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// Listed is a message as the outbox lists it: with whom it went to and
// the order it is about.
type Listed struct {
	Message
	CustomerName string
	// Zone is the customer's time zone ("" when unknown: the shop's).
	Zone        string
	OrderNumber string // the shop's number of the order, "" for none
}

// Cursor is where the page after this message starts.
func (l Listed) Cursor() string {
	return store.Cursor(l.ScheduledAt, l.ID)
}

// ListPage returns a page of messages by the time they are (or were) due,
// the latest first, after the one whose Cursor is after ("" for the
// first page), and whether more follow. A row whose times cannot be read
// comes back flagged, never as an error.
func ListPage(ctx context.Context, q store.Querier, after string, limit int) ([]Listed, bool, error) {
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	where, args := "", []any{limit + 1}
	if at, id, ok := store.ParseCursor(after); ok {
		where = `WHERE scheduled_at <= $2 AND (scheduled_at < $2 OR id < $3)`
		args = append(args, at, id)
	}
	sql := `SELECT m.id, m.order_id, m.customer_id, m.rule, m.template, m.channel, m.language, m.transactional,
		m.status, m.reason, m.subject, m.scheduled_at, m.sent_at, COALESCE(c.name, ''), COALESCE(c.timezone, ''),
		COALESCE(o.external_id, '')
		FROM (SELECT id, order_id, customer_id, rule, template, channel, language, transactional, status, reason,
			subject, scheduled_at, sent_at FROM messages ` + where + ` ORDER BY scheduled_at DESC, id DESC LIMIT $1) m
		LEFT JOIN customers c ON c.id = m.customer_id
		LEFT JOIN orders o ON o.id = m.order_id
		ORDER BY m.scheduled_at DESC, m.id DESC`
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return nil, false, fmt.Errorf("list messages after %q: %w", after, err)
	}
	defer rows.Close()
	var out []Listed
	for rows.Next() {
		var l Listed
		var orderID *int64
		var sent time.Time
		var badDue, badSent bool
		if err := rows.Scan(&l.ID, &orderID, &l.CustomerID, &l.Rule, &l.Template, &l.Channel, &l.Language,
			&l.Transactional, &l.Status, &l.Reason, &l.Subject, store.LenientTime{T: &l.ScheduledAt, Bad: &badDue},
			store.LenientTime{T: &sent, Bad: &badSent}, &l.CustomerName, &l.Zone, &l.OrderNumber); err != nil {
			return nil, false, fmt.Errorf("list messages after %q: %w", after, err)
		}
		if orderID != nil {
			l.OrderID = *orderID
		}
		if !sent.IsZero() {
			l.SentAt = &sent
		}
		l.Unreadable = badDue || badSent || l.ScheduledAt.Year() > 9999 || sent.Year() > 9999
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("list messages after %q: %w", after, err)
	}
	more := len(out) > limit
	if more {
		out = out[:limit]
	}
	return out, more, nil
}
