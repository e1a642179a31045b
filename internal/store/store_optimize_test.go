package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestOptimizeGivesTheTablesStatistics: a store that grew without an
// import has no planner statistics; Optimize gives its tables some, and
// leaves the connection's ANALYZE unbounded for a bulk load's own
// Analyze. On PostgreSQL it does nothing and fails nothing
// (KeepStatistics, TestAnalyzeStale, keeps the statistics there).
func TestOptimizeGivesTheTablesStatistics(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db, _ := storetest.OpenTest(t, engine)
			if engine != store.SQLite {
				if err := db.Optimize(ctx); err != nil {
					t.Fatal(err)
				}
				return
			}
			err := db.InTx(ctx, func(tx *store.Tx) error {
				if _, err := tx.Exec(ctx, `CREATE TABLE optimize_probe (id INTEGER PRIMARY KEY, kind TEXT NOT NULL)`); err != nil {
					return err
				}
				if _, err := tx.Exec(ctx, `CREATE INDEX optimize_probe_kind ON optimize_probe (kind)`); err != nil {
					return err
				}
				_, err := tx.Exec(ctx, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
					INSERT INTO optimize_probe (id, kind) SELECT i, 'k' || (i % 7) FROM n`)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if err := db.Optimize(ctx); err != nil {
				t.Fatal(err)
			}
			var stats int
			if err := db.Read().QueryRow(ctx, `SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = $1`, "optimize_probe").Scan(&stats); err != nil {
				t.Fatalf("no statistics table after Optimize: %v", err)
			}
			if stats == 0 {
				t.Fatal("Optimize left the grown table without statistics")
			}
			var limit int
			if err := db.SQLDB().QueryRowContext(ctx, `PRAGMA analysis_limit`).Scan(&limit); err != nil {
				t.Fatal(err)
			}
			if limit != 0 {
				t.Fatalf("analysis_limit after Optimize = %d, want 0 (unbounded)", limit)
			}
		})
	}
}

// TestAnalyzeStale: on PostgreSQL a table that grew since it was last
// analyzed, past autovacuum's rule, is analyzed (the planner's row count
// becomes the table's); one that changed by less than the rule is left
// alone. On SQLite it does nothing.
func TestAnalyzeStale(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db, _ := storetest.OpenTest(t, engine)
			if engine != store.Postgres {
				done, err := db.AnalyzeStale(ctx)
				if err != nil || done != nil {
					t.Fatalf("AnalyzeStale on SQLite = %v, %v; want nothing", done, err)
				}
				return
			}
			counted(t, db,
				`CREATE TABLE stale_probe (id bigint PRIMARY KEY, kind text NOT NULL)`,
				`CREATE TABLE quiet_probe (id bigint PRIMARY KEY)`,
				`ANALYZE stale_probe, quiet_probe`,
				`INSERT INTO stale_probe SELECT i, 'k' || (i % 7) FROM generate_series(1, 5000) AS i`,
				`INSERT INTO quiet_probe SELECT i FROM generate_series(1, 10) AS i`)
			done, err := db.AnalyzeStale(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Contains(done, "stale_probe") || slices.Contains(done, "quiet_probe") {
				t.Fatalf("analyzed %v, want stale_probe and not quiet_probe", done)
			}
			var tuples float64
			if err := db.Read().QueryRow(ctx, `SELECT reltuples FROM pg_class WHERE oid = 'stale_probe'::regclass`).Scan(&tuples); err != nil {
				t.Fatal(err)
			}
			if tuples != 5000 {
				t.Fatalf("the planner counts %v rows of stale_probe after AnalyzeStale, want 5000", tuples)
			}
			// Grown by a fifth, a moment after it was analyzed: left for a
			// minute. Doubled since: analyzed at once.
			for _, c := range []struct {
				insert string
				want   bool
			}{
				{`INSERT INTO stale_probe SELECT i, 'k' FROM generate_series(5001, 6000) AS i`, false},
				{`INSERT INTO stale_probe SELECT i, 'k' FROM generate_series(6001, 12000) AS i`, true},
			} {
				counted(t, db, c.insert)
				done, err := db.AnalyzeStale(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if got := slices.Contains(done, "stale_probe"); got != c.want {
					t.Fatalf("after %s: analyzed %v, want stale_probe analyzed %v", c.insert, done, c.want)
				}
			}
			if err := db.Optimize(ctx); err != nil {
				t.Fatalf("Optimize on PostgreSQL: %v", err)
			}
		})
	}
}

// counted runs statements on one PostgreSQL connection and has their
// changes counted in the statistics views at once: a backend counts them
// there when it flushes, which pg_stat_force_next_flush makes the end of
// its next statement.
func counted(t *testing.T, db *store.DB, statements ...string) {
	t.Helper()
	ctx := context.Background()
	conn, err := db.PgxPool().Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	for _, q := range append(statements, `SELECT pg_stat_force_next_flush()`, `SELECT 1`) {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}
