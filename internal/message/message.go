// Package message keeps every message shopcare decides to send a customer,
// from the moment the playbook schedules it to the moment a channel takes it
// or it is suppressed, and sends it.
//
// A message is a row first and a job second, both written in the
// transaction that decided on it. Its dedupe key (order and step) is unique
// in the store, so a retried event, a restart or a status posted twice can
// never schedule a second copy. The job sends it at its time on the first
// channel that may carry it (consent, opt-outs, addresses that failed for
// good, contact hours), and every attempt is recorded with its outcome.
package message

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/shopcare/shopcare/internal/secret"
	"github.com/shopcare/shopcare/internal/store"
)

// Status is where a message is.
type Status string

// The statuses of a message (GET /orders/{id}/messages).
const (
	Scheduled  Status = "scheduled"  // waiting for its time, or being retried
	Sent       Status = "sent"       // a channel took it
	Failed     Status = "failed"     // every channel failed, or retries ran out
	Suppressed Status = "suppressed" // decided against: opted out, capped, moot
)

// Message is one message to one customer.
type Message struct {
	ID         int64
	OrderID    int64 // 0 for messages about no order
	CustomerID int64
	// Rule is the playbook step that decided on it; Template what it says.
	Rule     string
	Template string
	// DedupeKey is unique: one message per order and step.
	DedupeKey string
	// Channel is the channel that carried it, or the one tried last.
	Channel       string
	Language      string
	Transactional bool
	Status        Status
	Reason        string // why suppressed or failed, or postponed
	Attempts      int
	Subject       string // as sent
	Body          string // as sent (text)
	// EventAt is when what it reacts to happened; ScheduledAt when it is
	// (or was) due, always inside the customer's contact hours unless the
	// rule is urgent.
	EventAt     time.Time
	ScheduledAt time.Time
	SentAt      *time.Time
	// UnsubscribeToken opts the customer out of the channel this message
	// went on; only marketing-type messages carry the link.
	UnsubscribeToken string
	// About is what the message is about beyond its order, for the
	// playbook to write it ("transaction=12&coupon=5"); "" for none.
	About     string
	CreatedAt time.Time
	// HandoffAt, when set, is when an attempt began handing the message
	// to HandoffChannel and has not come to an outcome yet: while a send
	// runs, or after the process died during one (the message may have
	// gone).
	HandoffAt      *time.Time
	HandoffChannel string
	// Batched marks a message the sweep sends (it was due when it was
	// scheduled, and has no job of its own).
	Batched bool
	// Unreadable marks a message whose stored due time could not be read
	// (a year SQLite's text cannot hold): ScheduledAt is zero.
	Unreadable bool
}

// Plan is a message the playbook decided on.
type Plan struct {
	OrderID       int64
	CustomerID    int64
	Rule          string
	Template      string
	DedupeKey     string
	Language      string
	Transactional bool
	EventAt       time.Time
	ScheduledAt   time.Time
	// Suppressed, with Reason, records a message decided against (a
	// frequency cap that drops): it is stored so the shop sees why, but
	// never sent.
	Suppressed bool
	Reason     string
	// About is what it is about beyond the order (Message.About).
	About string
}

// Inserter enqueues jobs inside a store transaction (jobs.Queue).
type Inserter interface {
	InsertManyTx(ctx context.Context, tx *store.Tx, params []river.InsertManyParams) error
}

const columns = `id, order_id, customer_id, rule, template, dedupe_key, channel, language, transactional, status,
	reason, attempts, subject, body, event_at, scheduled_at, sent_at, unsubscribe_token, about, created_at,
	handoff_at, handoff_channel, batched`

func scan(r store.Row) (*Message, error) {
	var m Message
	var orderID *int64
	var token *string
	err := r.Scan(&m.ID, &orderID, &m.CustomerID, &m.Rule, &m.Template, &m.DedupeKey, &m.Channel, &m.Language,
		&m.Transactional, &m.Status, &m.Reason, &m.Attempts, &m.Subject, &m.Body, &m.EventAt,
		store.LenientTime{T: &m.ScheduledAt, Bad: &m.Unreadable}, &m.SentAt, &token, &m.About, &m.CreatedAt, &m.HandoffAt, &m.HandoffChannel, &m.Batched)
	if err != nil {
		return nil, err
	}
	m.Unreadable = m.Unreadable || m.ScheduledAt.Year() > 9999
	if orderID != nil {
		m.OrderID = *orderID
	}
	m.UnsubscribeToken = store.Text(token)
	return &m, nil
}

// Schedule stores plans inside tx and has each one that is new and not
// suppressed sent at its ScheduledAt. A plan whose dedupe key exists is
// skipped: the step has run for that order already. It returns how many
// plans were new.
//
// A message due now has no job of its own: it is marked batched, and one
// sweep job (SendArgs without a message id) per transaction sends it with
// every other due message, in batches. A message due later gets its own
// send job at its time, as does a batched one that is put off or retried.
func Schedule(ctx context.Context, tx *store.Tx, jobs Inserter, plans []Plan, now time.Time) (int, error) {
	if len(plans) == 0 {
		return 0, nil
	}
	rows := make([][]any, len(plans))
	for i, p := range plans {
		status := Scheduled
		if p.Suppressed {
			status = Suppressed
		}
		var token *string
		if !p.Transactional {
			t := secret.Token()
			token = &t
		}
		var orderID *int64
		if p.OrderID != 0 {
			orderID = &p.OrderID
		}
		batched := status == Scheduled && !p.ScheduledAt.After(now)
		rows[i] = []any{orderID, p.CustomerID, p.Rule, p.Template, p.DedupeKey, p.Language, p.Transactional,
			string(status), p.Reason, p.EventAt, p.ScheduledAt, token, p.About, now, now, batched}
	}
	var params []river.InsertManyParams
	var fresh, swept int
	err := store.InsertMany(ctx, tx, "messages", []string{"order_id", "customer_id", "rule", "template", "dedupe_key",
		"language", "transactional", "status", "reason", "event_at", "scheduled_at", "unsubscribe_token",
		"about", "created_at", "updated_at", "batched"}, rows,
		"ON CONFLICT (dedupe_key) DO NOTHING RETURNING id, status, scheduled_at, batched", func(r store.Rows) error {
			var id int64
			var status Status
			var at time.Time
			var batched bool
			if err := r.Scan(&id, &status, &at, &batched); err != nil {
				return err
			}
			fresh++
			switch {
			case batched:
				swept++
			case status == Scheduled:
				params = append(params, river.InsertManyParams{Args: SendArgs{MessageID: id}, InsertOpts: sendOpts(at, now)})
			}
			return nil
		})
	if err != nil {
		return 0, fmt.Errorf("schedule %d messages: %w", len(plans), err)
	}
	if swept > 0 {
		params = append(params, river.InsertManyParams{Args: SendArgs{}, InsertOpts: &river.InsertOpts{MaxAttempts: MaxAttempts}})
	}
	return fresh, jobs.InsertManyTx(ctx, tx, params)
}

// Get returns one message.
func Get(ctx context.Context, q store.Querier, id int64) (*Message, error) {
	m, err := scan(q.QueryRow(ctx, `SELECT `+columns+` FROM messages WHERE id = $1`, id))
	if err != nil {
		return nil, fmt.Errorf("load message %d: %w", id, err)
	}
	return m, nil
}

// ListByOrder returns an order's messages, oldest first.
func ListByOrder(ctx context.Context, q store.Querier, orderID int64) ([]Message, error) {
	return list(ctx, q, `SELECT `+columns+` FROM messages WHERE order_id = $1 ORDER BY scheduled_at, id`, orderID)
}

func list(ctx context.Context, q store.Querier, query string, args ...any) ([]Message, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list messages: %w", err)
	}
	defer rows.Close()
	var out []Message
	for rows.Next() {
		m, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("list messages: %w", err)
		}
		out = append(out, *m)
	}
	return out, rows.Err()
}

// LastMarketing returns when the customer's latest marketing-type message
// was sent or is scheduled, other than suppressed ones; ok is false when
// there is none. The frequency cap is measured from it.
func LastMarketing(ctx context.Context, q store.Querier, customerID int64) (at time.Time, ok bool, err error) {
	var sent *time.Time
	err = q.QueryRow(ctx, `SELECT scheduled_at, sent_at FROM messages
		WHERE customer_id = $1 AND transactional = $2 AND status IN ('scheduled', 'sent')
		ORDER BY scheduled_at DESC LIMIT 1`, customerID, false).Scan(&at, &sent)
	if errors.Is(err, store.ErrNotFound) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("last marketing message of customer %d: %w", customerID, err)
	}
	if sent != nil && sent.After(at) {
		at = *sent
	}
	return at, true, nil
}

// ListRecent returns the newest messages first, those before id before
// when it is not 0: the outbox, page by page.
func ListRecent(ctx context.Context, q store.Querier, before int64, limit int) ([]Message, error) {
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	if before <= 0 {
		return list(ctx, q, `SELECT `+columns+` FROM messages ORDER BY id DESC LIMIT $1`, limit)
	}
	return list(ctx, q, `SELECT `+columns+` FROM messages WHERE id < $1 ORDER BY id DESC LIMIT $2`, before, limit)
}

// ListByCustomer returns a customer's messages, newest first.
func ListByCustomer(ctx context.Context, q store.Querier, customerID int64, limit int) ([]Message, error) {
	return list(ctx, q, `SELECT `+columns+` FROM messages WHERE customer_id = $1 ORDER BY scheduled_at DESC, id DESC LIMIT $2`,
		customerID, limit)
}
