package message

import (
	"context"
	"fmt"
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

// What the inbox learns of a marketing message after it went out, kept as
// attempts of the message (they do not count in messages.attempts): the
// marketing flows' results count them.
const (
	// OutcomeBounced is a delivery status notification of a permanent
	// failure of the message.
	OutcomeBounced = "bounced"
	// OutcomeComplained is a feedback report (RFC 5965): the customer
	// marked the message as spam.
	OutcomeComplained = "complained"
)

// RecordReport records that message id bounced, or was complained about
// (complaint), at at: once each.
func RecordReport(ctx context.Context, q store.Querier, id int64, complaint bool, at time.Time) error {
	outcome := OutcomeBounced
	if complaint {
		outcome = OutcomeComplained
	}
	_, err := q.Exec(ctx, `INSERT INTO message_attempts (message_id, channel, outcome, detail, at)
		SELECT id, channel, $2, '', $3 FROM messages WHERE id = $1
		AND NOT EXISTS (SELECT 1 FROM message_attempts WHERE message_id = $1 AND outcome = $2)`, id, outcome, at)
	if err != nil {
		return fmt.Errorf("record %s of message %d: %w", outcome, id, err)
	}
	return nil
}

// MarketingSent is a marketing-type message that went out: what the
// marketing flows' results are made of.
type MarketingSent struct {
	ID         int64
	CustomerID int64
	Rule       string
	Channel    string
	SentAt     time.Time
	Bounced    bool
	Complained bool
}

// EachMarketingSent calls fn for every marketing-type (not transactional)
// message sent in [from, to), in the order they were sent.
func EachMarketingSent(ctx context.Context, q store.Querier, from, to time.Time, fn func(MarketingSent) error) error {
	rows, err := q.Query(ctx, `SELECT m.id, m.customer_id, m.rule, m.channel, m.sent_at,
		EXISTS (SELECT 1 FROM message_attempts a WHERE a.message_id = m.id AND a.outcome = $4),
		EXISTS (SELECT 1 FROM message_attempts a WHERE a.message_id = m.id AND a.outcome = $5)
		FROM messages m WHERE m.transactional = $3 AND m.status = 'sent' AND m.sent_at >= $1 AND m.sent_at < $2
		ORDER BY m.sent_at, m.id`, from, to, false, OutcomeBounced, OutcomeComplained)
	if err != nil {
		return fmt.Errorf("list marketing messages: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var m MarketingSent
		if err := rows.Scan(&m.ID, &m.CustomerID, &m.Rule, &m.Channel, &m.SentAt, &m.Bounced, &m.Complained); err != nil {
			return fmt.Errorf("list marketing messages: %w", err)
		}
		if err := fn(m); err != nil {
			return err
		}
	}
	return rows.Err()
}

// MarketingSentTo returns the marketing-type messages sent to the
// customers in [from, to): the touches an order may be attributed to.
func MarketingSentTo(ctx context.Context, q store.Querier, customerIDs []int64, from, to time.Time) ([]MarketingSent, error) {
	var out []MarketingSent
	for len(customerIDs) > 0 {
		chunk := customerIDs[:min(len(customerIDs), 500)]
		customerIDs = customerIDs[len(chunk):]
		args := []any{from, to, false}
		for _, id := range chunk {
			args = append(args, id)
		}
		rows, err := q.Query(ctx, `SELECT id, customer_id, rule, channel, sent_at FROM messages
			WHERE transactional = $3 AND status = 'sent' AND sent_at >= $1 AND sent_at < $2
			AND customer_id IN (`+store.Placeholders(4, len(chunk))+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("list customers' marketing messages: %w", err)
		}
		for rows.Next() {
			var m MarketingSent
			if err := rows.Scan(&m.ID, &m.CustomerID, &m.Rule, &m.Channel, &m.SentAt); err != nil {
				rows.Close()
				return nil, fmt.Errorf("list customers' marketing messages: %w", err)
			}
			out = append(out, m)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
