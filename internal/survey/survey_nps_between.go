package survey

import (
	"context"
	"fmt"
	"time"
)

// NPSBetween counts the confirmed NPS answers confirmed in [from, to):
// promoters (9–10), passives (7–8) and detractors (0–6). The shop's
// touch-point audit shows the NPS beside the follow-up checklist.
func (s *Service) NPSBetween(ctx context.Context, from, to time.Time) (promoters, passives, detractors int, err error) {
	err = s.db.Read().QueryRow(ctx, `SELECT
		COALESCE(SUM(CASE WHEN score >= 9 THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN score BETWEEN 7 AND 8 THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN score <= 6 THEN 1 ELSE 0 END), 0)
		FROM surveys WHERE kind = 'nps' AND confirmed_at IS NOT NULL AND confirmed_at >= $1 AND confirmed_at < $2`,
		from, to).Scan(&promoters, &passives, &detractors)
	if err != nil {
		return 0, 0, 0, fmt.Errorf("count NPS answers %s..%s: %w", from.Format(time.RFC3339), to.Format(time.RFC3339), err)
	}
	return promoters, passives, detractors, nil
}
