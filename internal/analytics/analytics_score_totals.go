package analytics

import (
	"context"
	"fmt"
)

// ScoreTotals counts the customers the CLV model scored and sums their
// predicted value (minor units of the shop's currency), on the read pool.
func (s *Service) ScoreTotals(ctx context.Context) (scored, clvMinor int64, err error) {
	if err := s.db.Read().QueryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(clv_minor), 0) FROM customer_scores`).Scan(&scored, &clvMinor); err != nil {
		return 0, 0, fmt.Errorf("CLV scores' totals: %w", err)
	}
	return scored, clvMinor, nil
}
