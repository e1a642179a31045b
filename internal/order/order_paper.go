package order

import (
	"context"

	"github.com/shopcare/shopcare/internal/store"
)

// EachLastAddress calls fn with the delivery address of each customer of
// ids who has one: the address of their latest order that has an address
// (the place a letter or postcard of the shop's direct mail goes).
// Customers without one are left out. The orders_customer index
// (customer_id, placed_at) serves the lookup of each customer's orders.
func EachLastAddress(ctx context.Context, q store.Querier, ids []int64, fn func(customerID int64, address string) error) error {
	last := int64(-1)
	return store.QueryIn(ctx, q, `SELECT customer_id, address FROM orders
		WHERE customer_id IN (IN_LIST) AND address <> ''
		ORDER BY customer_id, placed_at DESC, id DESC`, nil, ids, func(r store.Rows) error {
		var id int64
		var address string
		if err := r.Scan(&id, &address); err != nil {
			return err
		}
		if id == last {
			return nil // an older order's address
		}
		last = id
		return fn(id, address)
	})
}
