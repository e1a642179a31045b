package packing

import (
	"context"
	"time"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
)

// Service is the packing station for the admin: it calls Service instead
// of holding the database.
type Service struct {
	db     *store.DB
	orders *order.Service
}

// NewService returns the packing station of db; a finished packing moves
// its order through orders.
func NewService(db *store.DB, orders *order.Service) *Service {
	return &Service{db: db, orders: orders}
}

// Queue returns the orders to pack, at most limit (see Queue).
func (s *Service) Queue(ctx context.Context, limit int) ([]QueueItem, error) {
	return Queue(ctx, s.db.Read(), limit)
}

// Build returns the packing sheet of an order (see Build).
func (s *Service) Build(ctx context.Context, settings config.Settings, cal *calendar.Calendar, orderID int64, now time.Time) (*Sheet, error) {
	return Build(ctx, s.db.Read(), settings, cal, orderID, now)
}

// Finish closes a packing whose lines are all checked (see Finish).
func (s *Service) Finish(ctx context.Context, sheet *Sheet, checked []string, author string, now time.Time) (Finished, error) {
	return Finish(ctx, s.db, s.orders, sheet, checked, author, now)
}
