package callback

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestQueryPlans: on SQLite the queue walks the open tasks' index in due
// order and stops at the limit (no sort of all open tasks, no scan of
// tasks or orders), and the figures read the period's tasks through their
// creation index, so both stay fast behind a million orders.
func TestQueryPlans(t *testing.T) {
	t.Parallel()
	db, _ := storetest.OpenTest(t, store.SQLite)
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name  string
		query string
		args  []any
		want  []string
	}{
		{"queue", queueSQL, []any{100}, []string{"SEARCH t USING INDEX tasks_open (kind=?)",
			"SEARCH o USING INTEGER PRIMARY KEY (rowid=?)", "SEARCH c USING INTEGER PRIMARY KEY (rowid=?)"}},
		{"stats", statsSQL, []any{now, now.Add(time.Hour), now}, []string{"SEARCH tasks USING INDEX tasks_created (kind=? AND created_at>? AND created_at<?)"}},
		{"waits", waitSQL(store.SQLite), []any{now, now.Add(time.Hour), 2, 10}, []string{
			"SEARCH t USING INDEX tasks_created (kind=? AND created_at>? AND created_at<?)",
			"SEARCH o USING INTEGER PRIMARY KEY (rowid=?)", "USE TEMP B-TREE FOR ORDER BY"}},
	} {
		rows, err := db.Read().Query(context.Background(), "EXPLAIN QUERY PLAN "+tt.query, tt.args...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		if strings.Join(plan, "\n") != strings.Join(tt.want, "\n") {
			t.Errorf("%s plan:\n%s\nwant:\n%s", tt.name, strings.Join(plan, "\n"), strings.Join(tt.want, "\n"))
		}
	}
}

// seedMillion fills a SQLite database with customers, orders and their
// call-back tasks, one order every 30 seconds from the start of 2026, the
// last open of them open, as a shop a year and a million orders old.
func seedMillion(b *testing.B, db *store.DB, orders, open int) {
	b.Helper()
	ctx := context.Background()
	at := func(col string) string {
		return `strftime('%Y-%m-%d %H:%M:%S+00:00', '2026-01-01', '+' || (` + col + ` * 30) || ' seconds')`
	}
	stmts := []string{
		`INSERT INTO customers (id, external_id, name, timezone, created_at, updated_at)
		WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
		SELECT i, 'c' || i, 'Customer ' || i, 'Europe/Moscow', ` + at("i") + `, ` + at("i") + ` FROM n`,
		`INSERT INTO orders (id, external_id, customer_id, status, total_minor, currency, placed_at, created_at, updated_at)
		WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1)
		SELECT i, 'o' || i, 1 + i % 100000, CASE WHEN i > $1 - $2 THEN 'new' ELSE 'delivered' END, 1000, 'RUB',
			` + at("i") + `, ` + at("i") + `, ` + at("i") + ` FROM n`,
		`INSERT INTO tasks (id, kind, order_id, customer_id, dedupe_key, status, due_at, created_at, updated_at, attempts,
			outcome, first_attempt_at)
		SELECT id, 'callback', id, customer_id, 'o' || id || ':order_callback', CASE WHEN status = 'new' THEN 'open' ELSE 'done' END,
			` + at("id + 120") + `, placed_at, placed_at, CASE WHEN status = 'new' THEN 0 ELSE 1 END,
			CASE WHEN status = 'new' THEN '' ELSE 'reached' END, CASE WHEN status = 'new' THEN NULL ELSE ` + at("id + 60") + ` END
		FROM orders`,
		`ANALYZE`,
	}
	err := db.InTx(ctx, func(tx *store.Tx) error {
		for i, q := range stmts {
			args := []any{}
			if i == 1 {
				args = []any{orders, open}
			}
			if _, err := tx.Exec(ctx, q, args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkMillion measures the queue, its counts and a month's figures
// behind a million orders on SQLite (go test -run - -bench Million).
func BenchmarkMillion(b *testing.B) {
	db, _ := storetest.OpenTest(b, store.SQLite)
	seedMillion(b, db, 1_000_000, 1_000)
	settings := config.Default()
	if err := settings.Validate(); err != nil {
		b.Fatal(err)
	}
	now := time.Date(2026, 12, 17, 12, 0, 0, 0, time.UTC)
	s := New(service.Deps{DB: db, Clock: clock.NewFake(now), Settings: settings, Log: slog.New(slog.DiscardHandler)}, Params{})
	ctx := context.Background()
	b.Run("queue", func(b *testing.B) {
		for b.Loop() {
			q, err := s.Queue(ctx, 100)
			if err != nil || len(q) != 100 {
				b.Fatalf("queue: %d, %v", len(q), err)
			}
		}
	})
	b.Run("counts", func(b *testing.B) {
		for b.Loop() {
			c, err := s.QueueCounts(ctx)
			if err != nil || c.Open != 1000 {
				b.Fatalf("counts: %+v, %v", c, err)
			}
		}
	})
	b.Run("stats_month", func(b *testing.B) {
		for b.Loop() {
			st, err := s.Stats(ctx, time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC))
			if err != nil || st.Orders != 86400 {
				b.Fatalf("stats: %+v, %v", st, err)
			}
		}
	})
}
