package parcel

import (
	"context"
	"fmt"

	"github.com/shopcare/shopcare/internal/store"
)

// ByOrders returns the parcels of several orders by order id, each
// order's oldest first; an order without parcels has no entry. A page
// that lists orders reads their parcels in one statement rather than
// one per order (on PostgreSQL each is a round trip).
func ByOrders(ctx context.Context, q store.Querier, orderIDs []int64) (map[int64][]Parcel, error) {
	out := make(map[int64][]Parcel, len(orderIDs))
	if len(orderIDs) == 0 {
		return out, nil
	}
	args := make([]any, len(orderIDs))
	for i, id := range orderIDs {
		args[i] = id
	}
	err := store.Each(ctx, q, `SELECT `+parcelColumns+` FROM parcels p WHERE p.order_id IN (`+store.Placeholders(1, len(orderIDs))+`)
		ORDER BY p.order_id, p.id`, args, func(r store.Rows) error {
		p, err := scanParcel(r)
		if err != nil {
			return err
		}
		out[p.OrderID] = append(out[p.OrderID], p)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("parcels of %d orders: %w", len(orderIDs), err)
	}
	return out, nil
}

// ByOrders returns the parcels of several orders (see ByOrders).
func (s *Service) ByOrders(ctx context.Context, orderIDs []int64) (map[int64][]Parcel, error) {
	return ByOrders(ctx, s.db.Read(), orderIDs)
}
