package traffic

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/shopcare/shopcare/internal/jobs"
	"github.com/shopcare/shopcare/internal/store"
)

// KeepHours is how long the counter's hours are kept: long enough for
// the early warning's comparisons.
const KeepHours = 60 * 24 * time.Hour

// RollupInterval is how often, in real time, the roll-up runs: soon
// after the shop's midnight, the day's salt is gone.
const RollupInterval = 10 * time.Minute

// RollupArgs is the job of the counter's roll-up.
type RollupArgs struct{}

// Kind names the job.
func (RollupArgs) Kind() string { return "traffic_rollup" }

// Register adds the roll-up's worker and its periodic job to the queue.
func (s *Service) Register(q *jobs.Queue) {
	river.AddWorker(q.Workers(), &jobs.Pass[RollupArgs]{Run: func(ctx context.Context) error {
		_, err := s.Rollup(ctx)
		return err
	}})
	q.AddPeriodic(RollupInterval, RollupArgs{})
}

// Rolled counts what a roll-up did.
type Rolled struct {
	Visitors int64 // visitor-days summed into traffic_days and deleted
	Salts    int64 // salts of past days deleted
	Hours    int64 // hours past KeepHours deleted
}

// Rollup sums the visitors of the days before today (the shop's, by the
// business clock) into traffic_days per day and source, and deletes
// them; deletes the salts of those days, so their hashes can no longer
// be made again; and deletes the hours older than KeepHours. It runs in
// one transaction and can run again any time: what it summed is gone
// from traffic_visitors, and visitors of a past day written late (a
// beacon buffered at midnight) are added to the day's sums by the next
// run.
func (s *Service) Rollup(ctx context.Context) (Rolled, error) {
	var r Rolled
	now := s.clock.Now()
	today := now.In(s.settings.Shop.Location()).Format(dayFormat)
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO traffic_days (day, source, origin, pageviews, visits, visitors, updated_at)
			SELECT day, source, $2, SUM(pageviews), SUM(visits), COUNT(*), $3 FROM traffic_visitors
			WHERE day < $1 GROUP BY day, source
			ON CONFLICT (day, source, origin) DO UPDATE SET pageviews = traffic_days.pageviews + excluded.pageviews,
				visits = traffic_days.visits + excluded.visits, visitors = traffic_days.visitors + excluded.visitors,
				updated_at = excluded.updated_at`, today, OriginCounter, now)
		if err != nil {
			return fmt.Errorf("sum visitors: %w", err)
		}
		if r.Visitors, err = tx.Exec(ctx, `DELETE FROM traffic_visitors WHERE day < $1`, today); err != nil {
			return fmt.Errorf("delete summed visitors: %w", err)
		}
		if r.Salts, err = tx.Exec(ctx, `DELETE FROM traffic_salts WHERE day < $1`, today); err != nil {
			return fmt.Errorf("delete old salts: %w", err)
		}
		if r.Hours, err = tx.Exec(ctx, `DELETE FROM traffic_hours WHERE hour < $1`, now.Add(-KeepHours).Unix()); err != nil {
			return fmt.Errorf("delete old hours: %w", err)
		}
		return nil
	})
	if err != nil {
		return r, fmt.Errorf("traffic roll-up: %w", err)
	}
	return r, nil
}
