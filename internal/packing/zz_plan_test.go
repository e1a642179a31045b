package packing

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

func TestZZPlan(t *testing.T) {
	if os.Getenv("ZZ_PLAN") == "" {
		t.Skip()
	}
	ctx := context.Background()
	for _, engine := range storetest.Engines(t) {
		db, _ := storetest.OpenTest(t, engine)
		w := func(sql string) {
			start := time.Now()
			err := db.InTx(ctx, func(tx *store.Tx) error { _, err := tx.Exec(ctx, sql); return err })
			if err != nil {
				t.Fatal(sql, err)
			}
			t.Logf("%s: %v", sql[:min(40, len(sql))], time.Since(start))
		}
		w(`WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < 10000) INSERT INTO customers (name, created_at, updated_at) SELECT 'Имя ' || g, '2026-01-01 00:00:00', '2026-01-01 00:00:00' FROM s`)
		w(`WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < 1000000) INSERT INTO orders (external_id, customer_id, status, total_minor, currency, placed_at, created_at, updated_at, ship_date)
		   SELECT 'e' || g, 1 + g % 10000, CASE WHEN g % 200 = 0 THEN 'processing' WHEN g % 200 = 1 THEN 'new' ELSE 'delivered' END, 100, 'RUB',
		   '2026-01-01 00:00:00', '2026-01-01 00:00:00', '2026-01-01 00:00:00',
		   CASE WHEN g % 1000 = 0 THEN NULL ELSE '2026-0' || (1 + g % 9) || '-10' END FROM s`)
		w(`INSERT INTO order_items (order_id, name, qty, price_minor) SELECT id, 'x', 2, 100 FROM orders WHERE status = 'processing'`)
		if os.Getenv("ZZ_INDEX") != "" {
			w(os.Getenv("ZZ_INDEX"))
		}
		if os.Getenv("ZZ_NOANALYZE") != "" {
		} else if err := db.Analyze(ctx); os.Getenv("ZZ_NOANALYZE") == "" && err != nil {
			t.Fatal(err)
		}
		explain := "EXPLAIN QUERY PLAN "
		if engine == store.Postgres {
			explain = "EXPLAIN ANALYZE "
		}
		rows, err := db.Read().Query(ctx, explain+qsql(), 50)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			if engine == store.Postgres {
				var s string
				rows.Scan(&s)
				t.Log(s)
			} else {
				var a, b, c int
				var s string
				rows.Scan(&a, &b, &c, &s)
				t.Log(s)
			}
		}
		rows.Close()
		for i := 0; i < 3; i++ {
			start := time.Now()
			rr, err := db.Read().Query(ctx, qsql(), 50)
			n := 0
			for rr.Next() { n++ }
			rr.Close()
			items := []int{n}
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %d items in %v; first %+v", engine, len(items), time.Since(start), items[0])
		}
	}
}

func qsql() string {
	if q := os.Getenv("ZZ_SQL"); q != "" {
		return q
	}
	return queueSQL
}
