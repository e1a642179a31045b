package traffic

import (
	"context"
	"fmt"
)

// CountedSince returns the page views and visits the counter has written
// for the hours from the one starting at from (Unix seconds) on: what
// `shopcare bench collect` checks against the beacons it sent.
func (s *Service) CountedSince(ctx context.Context, from int64) (pageviews, visits int64, err error) {
	err = s.db.Read().QueryRow(ctx, `SELECT CAST(COALESCE(SUM(pageviews), 0) AS BIGINT), CAST(COALESCE(SUM(visits), 0) AS BIGINT)
		FROM traffic_hours WHERE origin = $1 AND hour >= $2`, OriginCounter, from).Scan(&pageviews, &visits)
	if err != nil {
		return 0, 0, fmt.Errorf("count the counter's page views: %w", err)
	}
	return pageviews, visits, nil
}
