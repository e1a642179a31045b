package experience

import (
	"context"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// ErasePersonal clears, inside tx, the shop's notes on a customer's
// negative experiences, in the shape of order.Eraser. The rows themselves
// hold ids, kinds, times and figures, no personal data, and stay for the
// shop's figures; the resolution note is free text an operator wrote and
// may name the customer, so it goes.
func ErasePersonal(ctx context.Context, tx *store.Tx, customerID int64, _ time.Time) (map[string]int64, error) {
	n, err := tx.Exec(ctx, `UPDATE negative_experiences SET resolution = '' WHERE customer_id = $1 AND resolution <> ''`, customerID)
	if err != nil {
		return nil, fmt.Errorf("erase notes on negative experiences of customer %d: %w", customerID, err)
	}
	if n == 0 {
		return nil, nil
	}
	return map[string]int64{"negative_experiences": n}, nil
}
