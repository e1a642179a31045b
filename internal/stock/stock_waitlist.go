package stock

import (
	"context"

	"github.com/shopcare/shopcare/internal/store"
)

// tellWaiting is called inside the transaction that made units of sku
// available (after the orders waiting for it were served), with how
// many are available now: it marks at most that many of the oldest
// requests to be told, and journals stock.back_in_stock for each.
func (s *Service) tellWaiting(ctx context.Context, tx *store.Tx, sku string, available int) error {
	return nil
}
