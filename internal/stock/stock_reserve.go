package stock

import (
	"context"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// Reserve holds, inside tx, what order orderID wants of the tracked
// SKUs among lines (lines of one SKU are summed; untracked SKUs are left
// out), as much as is available of each, and records the order's lines.
// It returns a Hold per tracked SKU. It journals nothing: the order's
// intake journals stock.short for the short lines.
func (s *Service) Reserve(ctx context.Context, tx *store.Tx, orderID int64, lines []Line, now time.Time) ([]Hold, error) {
	return nil, nil
}

// Holds returns what an order holds of each tracked SKU, and what it
// waits for.
func (s *Service) Holds(ctx context.Context, orderID int64) ([]Hold, error) {
	return nil, nil
}
