package task

import (
	"context"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// ErasePersonal blanks, inside the erasure's transaction (an
// order.Eraser), the notes of customer id's tasks: those made for them
// and those about their orders (a find_parcel task names only the order).
// A note is free text that may quote them: a service-recovery task's note
// holds their survey comment. Kinds, statuses, times, attempts and
// outcomes stay for the shop's figures; done_by is the operator's name,
// not the customer's.
func ErasePersonal(ctx context.Context, tx *store.Tx, customerID int64, _ time.Time) (map[string]int64, error) {
	n, err := tx.Exec(ctx, `UPDATE tasks SET note = '' WHERE note <> ''
		AND (customer_id = $1 OR order_id IN (SELECT id FROM orders WHERE customer_id = $1))`, customerID)
	if err != nil {
		return nil, fmt.Errorf("erase task notes of customer %d: %w", customerID, err)
	}
	if n == 0 {
		return nil, nil
	}
	return map[string]int64{"task_notes": n}, nil
}
