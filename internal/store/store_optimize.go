package store

import (
	"context"
	"fmt"
)

// optimizeLimit is the rows ANALYZE samples an index when Optimize runs
// it: the approximate statistics SQLite advises for a periodic optimize,
// cheap on any size of shop.
const optimizeLimit = 400

// Optimize keeps the query planner's statistics current as the shop
// grows. SQLite advises a long-lived process to run PRAGMA optimize when
// it opens its database and again every few hours: a shop that grows only
// through the API and never imports (import runs it as it goes) would
// otherwise be planned on the statistics of its first day, or on none,
// and a read that should go by an index can scan a whole table instead.
// It runs on the write connection with a bounded ANALYZE (optimizeLimit
// rows an index), so it takes milliseconds even at millions of orders,
// and it analyzes only the tables whose size changed enough to matter.
// Nothing to do on PostgreSQL, whose autovacuum keeps its statistics.
func (db *DB) Optimize(ctx context.Context) error {
	if db.engine != SQLite {
		return nil
	}
	c, err := db.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("optimize: %w", err)
	}
	defer c.Close()
	// The limit is the connection's: set it for this run only, so a bulk
	// load's own Analyze still reads whole indexes.
	if _, err := c.ExecContext(ctx, fmt.Sprintf("PRAGMA analysis_limit = %d", optimizeLimit)); err != nil {
		return fmt.Errorf("optimize: %w", err)
	}
	// 0x10002: look at every table, not only those this connection used
	// (0x10000), and analyze those that would benefit (0x02): no
	// statistics yet, or a size that changed tenfold since the last.
	_, err = c.ExecContext(ctx, `PRAGMA optimize = 0x10002`)
	if _, rerr := c.ExecContext(context.WithoutCancel(ctx), `PRAGMA analysis_limit = 0`); err == nil {
		err = rerr
	}
	if err != nil {
		return fmt.Errorf("optimize: %w", err)
	}
	return nil
}
