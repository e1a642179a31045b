package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
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
// Nothing to do on PostgreSQL, whose statistics autovacuum and serve's
// KeepStatistics keep.
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

// AnalyzeStale analyzes the tables of the store's PostgreSQL schema whose
// rows changed, since anyone last analyzed them, by more than
// autovacuum's own rule for it (50 rows and a tenth of the table), and
// returns their names. PostgreSQL's autovacuum does this once a minute
// when it is on. When it is off (as on some self-run servers), or has not
// come round yet, a fresh shop's tables keep the planner's guess of their
// first day: a table of thousands of customers planned as one of a
// hundred is scanned whole to match a batch of phones, and a fresh
// store's order intake lost a sixth of its speed. A table another
// ANALYZE (autovacuum's) holds is left to it. Nothing on SQLite, which
// Optimize keeps.
//
// Like autovacuum, a table is analyzed at most once a minute, unless it
// has grown by half since (a fresh shop's tables, from ten rows to
// thousands in its first seconds, are seen at every step). Without that
// pace the journal, the messages and the carriers' events, growing by
// thousands of rows a second under load, were analyzed every few seconds
// at a third of a second of PostgreSQL's time each: a third of its
// processor under a carrier's feed, for plans that did not change.
func (db *DB) AnalyzeStale(ctx context.Context) ([]string, error) {
	if db.engine != Postgres {
		return nil, nil
	}
	rows, err := db.pool.Query(ctx, `SELECT relname FROM pg_stat_user_tables
		WHERE schemaname = current_schema() AND n_mod_since_analyze > 50 + 0.1 * n_live_tup
		AND (n_mod_since_analyze > 50 + 0.5 * n_live_tup
			OR COALESCE(GREATEST(last_analyze, last_autoanalyze), '-infinity') < now() - interval '1 minute')
		ORDER BY relname`)
	if err != nil {
		return nil, fmt.Errorf("find stale statistics: %w", err)
	}
	stale, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("find stale statistics: %w", err)
	}
	var done []string
	var errs []error
	for _, table := range stale {
		err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `SET LOCAL lock_timeout = '1s'`); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `ANALYZE `+pgx.Identifier{table}.Sanitize())
			return err
		})
		var pgErr *pgconn.PgError
		switch {
		case err == nil:
			done = append(done, table)
		case errors.As(err, &pgErr) && (pgErr.Code == "55P03" || pgErr.Code == "42P01"):
			// Being analyzed by autovacuum, or dropped since: next time.
		default:
			errs = append(errs, fmt.Errorf("analyze %s: %w", table, err))
		}
	}
	return done, errors.Join(errs...)
}

// KeepStatistics runs AnalyzeStale on PostgreSQL until ctx ends, on the
// real clock (statistics are about the data's size, not the shop's
// business): a second after it starts, then at twice the last wait up to
// once a minute, autovacuum's own pace. A pass that found stale tables
// looks again a second later: a table growing by a tenth a second (a
// fresh shop's first burst, a platform's backfill) is then planned on its
// size of a second ago, not of a minute ago. When nothing is stale a pass
// is one read of PostgreSQL's statistics views. Nothing on SQLite, whose
// statistics Optimize keeps.
func (db *DB) KeepStatistics(ctx context.Context, log *slog.Logger) {
	if db.engine != Postgres {
		return
	}
	wait := time.Second
	t := time.NewTimer(wait)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		done, err := db.AnalyzeStale(ctx)
		if err != nil && ctx.Err() == nil {
			log.Warn("refresh the planner's statistics", "error", err)
		}
		if len(done) > 0 {
			log.Debug("refreshed the planner's statistics", "tables", done)
		}
		wait = statisticsWait(wait, len(done) > 0)
		t.Reset(wait)
	}
}

// statisticsWait is the wait after one of last: a second when the pass
// found stale tables, else twice as long, at most a minute.
func statisticsWait(last time.Duration, found bool) time.Duration {
	if found {
		return time.Second
	}
	return min(2*last, time.Minute)
}
