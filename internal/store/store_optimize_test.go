package store_test

import (
	"context"
	"testing"

	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestOptimizeGivesTheTablesStatistics: a store that grew without an
// import has no planner statistics; Optimize gives its tables some, and
// leaves the connection's ANALYZE unbounded for a bulk load's own
// Analyze. On PostgreSQL it does nothing and fails nothing.
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
