package signin

import (
	"context"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// EraseSessions ends every session of customer id inside tx, in the shape
// of order.Eraser: erasing a customer on their own page signs them out on
// every device in the same transaction, so no open tab keeps showing the
// page of a customer who is gone. It counts nothing: a session is no
// personal data kept for the shop's figures.
func EraseSessions(ctx context.Context, tx *store.Tx, id int64, _ time.Time) (map[string]int64, error) {
	return nil, SessionsEnd(ctx, tx, id)
}
