package web_test

import (
	"context"
	"testing"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// BenchmarkOutboxPage reads the outbox's first page and one deep in a
// table of 200,000 messages: the page is ordered by the time each is due,
// which no index serves yet (a top-N over the table).
func BenchmarkOutboxPage(b *testing.B) {
	for _, engine := range storetest.Engines(b) {
		b.Run(string(engine), func(b *testing.B) {
			a, clk := apptest.New(b, engine, false)
			ctx := context.Background()
			now := clk.Now()
			series := `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000) SELECT i FROM n`
			if engine == store.Postgres {
				series = `SELECT generate_series(1, 200000) AS i`
			}
			err := a.DB.InTx(ctx, func(tx *store.Tx) error {
				if _, err := tx.Exec(ctx, `INSERT INTO customers (name, language, created_at, updated_at) VALUES ('A', 'ru', $1, $1)`, now); err != nil {
					return err
				}
				_, err := tx.Exec(ctx, `INSERT INTO messages (customer_id, rule, template, dedupe_key, status, event_at, scheduled_at, created_at, updated_at)
					SELECT (SELECT MIN(id) FROM customers), 'order_ack', 'order_ack', 'k' || i, 'sent', $1, $1, $1, $1 FROM (`+series+`) s`, now)
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
			_, _, err = message.ListPage(ctx, a.DB.Read(), "", 50)
			if err != nil {
				b.Fatal(err)
			}
			b.Run("first", func(b *testing.B) {
				for b.Loop() {
					if _, _, err := message.ListPage(ctx, a.DB.Read(), "", 50); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
