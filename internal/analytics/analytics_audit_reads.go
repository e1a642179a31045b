package analytics

import (
	"context"
	"fmt"
)

// OnTimeBetween counts the orders delivered on the shop days
// fromDay..toDay (YYYY-MM-DD, both included) that had a promise, and of
// them those delivered by the promised day: the on-time rate the shop's
// touch-point audit shows beside the delivery checklist.
func (s *Service) OnTimeBetween(ctx context.Context, fromDay, toDay string) (delivered, onTime int64, err error) {
	err = s.db.Read().QueryRow(ctx, `SELECT CAST(COALESCE(SUM(delivered), 0) AS BIGINT), CAST(COALESCE(SUM(on_time), 0) AS BIGINT)
		FROM delivery_days WHERE day >= $1 AND day <= $2`, fromDay, toDay).Scan(&delivered, &onTime)
	if err != nil {
		return 0, 0, fmt.Errorf("on-time deliveries %s..%s: %w", fromDay, toDay, err)
	}
	return delivered, onTime, nil
}
