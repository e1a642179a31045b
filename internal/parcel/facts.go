package parcel

import (
	"context"

	"github.com/shopcare/shopcare/internal/store"
)

// OpenFacts counts the parcels still on their way (neither delivered,
// returned nor lost) that need a look.
type OpenFacts struct {
	Stuck           int64 // no carrier event for too long
	WaitingAtPickup int64 // arrived at a pickup point, waiting for the customer
}

// FactsCountOpen counts the open parcels stuck or waiting at a pickup
// point, for the analytics' delivery record.
func FactsCountOpen(ctx context.Context, q store.Querier) (OpenFacts, error) {
	var f OpenFacts
	err := q.QueryRow(ctx, `SELECT
		COUNT(CASE WHEN stuck_at IS NOT NULL THEN 1 END),
		COUNT(CASE WHEN status = 'arrived_at_pickup' THEN 1 END)
		FROM parcels WHERE status IS NULL OR status NOT IN ('delivered', 'returned', 'lost')`).Scan(&f.Stuck, &f.WaitingAtPickup)
	return f, err
}
