package order

import (
	"context"
	"fmt"

	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/store"
)

// The methods below let the HTTP surfaces read orders through the
// service instead of holding the database: each reads through the read
// pool, or writes in its own transaction.

// Get returns the order with its items, status history and customer
// (see Get).
func (s *Service) Get(ctx context.Context, id int64) (*Order, error) {
	return Get(ctx, s.db.Read(), id)
}

// Find returns the order a reference names (see Find).
func (s *Service) Find(ctx context.Context, ref string) (*Order, error) {
	return Find(ctx, s.db.Read(), ref)
}

// ResolveID returns the id of the order a reference names (see ResolveID).
func (s *Service) ResolveID(ctx context.Context, ref string) (int64, error) {
	return ResolveID(ctx, s.db.Read(), ref)
}

// List returns a page of orders (see List).
func (s *Service) List(ctx context.Context, f ListFilter) ([]ListItem, bool, error) {
	return List(ctx, s.db.Read(), f)
}

// Notes returns an order's notes, oldest first (see Notes).
func (s *Service) Notes(ctx context.Context, orderID int64) ([]Note, error) {
	return Notes(ctx, s.db.Read(), orderID)
}

// GetByTrackingToken returns the order of a tracking page token (see
// GetByTrackingToken).
func (s *Service) GetByTrackingToken(ctx context.Context, token string) (*Order, error) {
	return GetByTrackingToken(ctx, s.db.Read(), token)
}

// TrackingToken returns the order's tracking token, making one first in
// its own transaction when the order has none (see TrackingToken).
func (s *Service) TrackingToken(ctx context.Context, id int64) (string, error) {
	var token string
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		token, err = TrackingToken(ctx, tx, id)
		return err
	})
	return token, err
}

// ExplainOrder is Explain over the read pool.
func (s *Service) ExplainOrder(ctx context.Context, o *Order, lang i18n.Lang) (Explanation, error) {
	return s.Explain(ctx, s.db.Read(), o, lang)
}

// NoteLastID returns the id of the newest note of any order, 0 when there
// is none: the call-back queue's page watches it.
func (s *Service) NoteLastID(ctx context.Context) (int64, error) {
	var id int64
	if err := s.db.Read().QueryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM order_notes`).Scan(&id); err != nil {
		return 0, fmt.Errorf("last order note: %w", err)
	}
	return id, nil
}

// ExternalIDs returns the shop's order numbers (external ids) of the
// orders ids, by id; an id with no order is left out.
func (s *Service) ExternalIDs(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	err := store.Each(ctx, s.db.Read(), `SELECT id, external_id FROM orders WHERE id IN (`+store.Placeholders(1, len(ids))+`)`,
		args, func(r store.Rows) error {
			var id int64
			var ext string
			if err := r.Scan(&id, &ext); err != nil {
				return err
			}
			out[id] = ext
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("numbers of %d orders: %w", len(ids), err)
	}
	return out, nil
}
