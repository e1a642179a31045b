package stock

import (
	"context"

	"github.com/shopcare/shopcare/internal/store"
)

// TellWaiting runs tellWaiting in a transaction of its own, as the stock
// core's Put does inside its own, for the tests of the waitlist.
func (s *Service) TellWaiting(ctx context.Context, sku string, available int) error {
	return s.db.InTx(ctx, func(tx *store.Tx) error { return s.tellWaiting(ctx, tx, sku, available) })
}
