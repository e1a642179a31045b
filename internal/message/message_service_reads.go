package message

import (
	"context"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// The methods below let the HTTP surfaces read the messages log and
// record a customer's opt-out through the sender instead of holding the
// database: each reads through the read pool, or writes in its own
// transaction.

// Get returns a message (see Get).
func (s *Sender) Get(ctx context.Context, id int64) (*Message, error) {
	return Get(ctx, s.db.Read(), id)
}

// ListByOrder returns an order's messages (see ListByOrder).
func (s *Sender) ListByOrder(ctx context.Context, orderID int64) ([]Message, error) {
	return ListByOrder(ctx, s.db.Read(), orderID)
}

// ListByCustomer returns a customer's newest messages (see ListByCustomer).
func (s *Sender) ListByCustomer(ctx context.Context, customerID int64, limit int) ([]Message, error) {
	return ListByCustomer(ctx, s.db.Read(), customerID, limit)
}

// ListPage returns a page of the outbox (see ListPage).
func (s *Sender) ListPage(ctx context.Context, after string, limit int) ([]Listed, bool, error) {
	return ListPage(ctx, s.db.Read(), after, limit)
}

// Attempts returns a message's delivery attempts (see Attempts).
func (s *Sender) Attempts(ctx context.Context, messageID int64) ([]Attempt, error) {
	return Attempts(ctx, s.db.Read(), messageID)
}

// LoadContact returns how the customer can be reached (see LoadContact).
func (s *Sender) LoadContact(ctx context.Context, customerID int64) (*Contact, error) {
	return LoadContact(ctx, s.db.Read(), customerID)
}

// GetByUnsubscribeToken returns the message of an unsubscribe link (see
// GetByUnsubscribeToken).
func (s *Sender) GetByUnsubscribeToken(ctx context.Context, token string) (*Message, error) {
	return GetByUnsubscribeToken(ctx, s.db.Read(), token)
}

// Unsubscribe stops marketing to the customer of an unsubscribe link, in
// its own transaction (see Unsubscribe).
func (s *Sender) Unsubscribe(ctx context.Context, token string, at time.Time) (*Message, error) {
	return s.inTx(ctx, Unsubscribe, token, at)
}

// StopAll stops every message to the customer of an unsubscribe link, in
// its own transaction (see StopAll).
func (s *Sender) StopAll(ctx context.Context, token string, at time.Time) (*Message, error) {
	return s.inTx(ctx, StopAll, token, at)
}

func (s *Sender) inTx(ctx context.Context, stop func(context.Context, store.Querier, string, time.Time) (*Message, error),
	token string, at time.Time) (*Message, error) {
	var m *Message
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		m, err = stop(ctx, tx, token, at)
		return err
	})
	return m, err
}
