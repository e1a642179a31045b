package analytics

import (
	"context"

	"github.com/shopcare/shopcare/internal/store"
)

// This file holds SQL of the analytics tables that other packages need:
// acquisitions and the other rollups belong to this package (style rule
// 14a).

// EachAcquisitionMonth calls fn with the customers won in each month
// (YYYY-MM) and channel, by month then channel.
func EachAcquisitionMonth(ctx context.Context, q store.Querier, fn func(month, channel string, customers int64) error) error {
	return store.Each(ctx, q, `SELECT SUBSTR(day, 1, 7), channel, CAST(SUM(customers) AS BIGINT) FROM acquisitions
		GROUP BY 1, 2 ORDER BY 1, 2`, nil, func(r store.Rows) error {
		var month, channel string
		var customers int64
		if err := r.Scan(&month, &channel, &customers); err != nil {
			return err
		}
		return fn(month, channel, customers)
	})
}
