package packing_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/packing"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// BenchmarkBuildSlip is the work of printing one packing slip: the sheet
// from the database, then the PDF.
func BenchmarkBuildSlip(b *testing.B) {
	for _, engine := range storetest.Engines(b) {
		b.Run(string(engine), func(b *testing.B) {
			ctx := context.Background()
			a := shop(b, engine, lvShop...)
			id := place(b, a, newOrder("1042", customer.Input{ExternalID: "c-1", Name: "Anna Bērziņa", Email: "anna@example.lv", Language: "lv"}))
			cal := a.Promises.Engine().Calendar()
			for b.Loop() {
				sheet, err := packing.Build(ctx, a.DB.Read(), a.Settings, cal, id, apptest.Start)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := packing.SlipPDF(sheet, i18n.LV, packing.A4); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkQueue reads the first page of the queue from a table of a
// million orders, 5,000 of them processing. Filling the table takes a
// while; the loop itself is the page.
func BenchmarkQueue(b *testing.B) {
	for _, engine := range storetest.Engines(b) {
		b.Run(string(engine), func(b *testing.B) {
			ctx := context.Background()
			db, _ := storetest.OpenTest(b, engine)
			const orders, customers = 1_000_000, 10_000
			for _, sql := range []string{
				fmt.Sprintf(`WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < %d)
					INSERT INTO customers (name, created_at, updated_at)
					SELECT 'Покупатель ' || g, '2026-01-01 00:00:00', '2026-01-01 00:00:00' FROM s`, customers),
				fmt.Sprintf(`WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < %d)
					INSERT INTO orders (external_id, customer_id, status, total_minor, currency, placed_at, created_at, updated_at, ship_date)
					SELECT 'o-' || g, 1 + g %% %d, CASE WHEN g %% 200 = 0 THEN 'processing' ELSE 'delivered' END, 100, 'RUB',
						'2026-01-01 00:00:00', '2026-01-01 00:00:00', '2026-01-01 00:00:00', '2026-0' || (1 + g %% 9) || '-10'
					FROM s`, orders, customers),
				`INSERT INTO order_items (order_id, name, qty, price_minor) SELECT id, 'x', 2, 100 FROM orders WHERE status = 'processing'`,
			} {
				err := db.InTx(ctx, func(tx *store.Tx) error {
					_, err := tx.Exec(ctx, sql)
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			for b.Loop() {
				items, err := packing.Queue(ctx, db.Read(), 50)
				if err != nil {
					b.Fatal(err)
				}
				if len(items) != 50 {
					b.Fatalf("%d items, want 50", len(items))
				}
			}
		})
	}
}
