package stock

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// BenchmarkStockPage reads what /stock shows — the shortages, a page of
// the waiting orders, the five waiting longest, a page of SKUs and a
// search — over 100,000 tracked SKUs with 2,000 open orders, 500 of them
// short, on each engine.
func BenchmarkStockPage(b *testing.B) {
	for _, engine := range storetest.Engines(b) {
		b.Run(string(engine), func(b *testing.B) {
			ctx := context.Background()
			db, _ := storetest.OpenTest(b, engine)
			t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
			svc := New(service.Deps{DB: db, Clock: clock.NewFake(t0), Log: slog.New(slog.DiscardHandler)}, Params{})
			err := db.InTx(ctx, func(tx *store.Tx) error {
				rows := make([][]any, 0, 100_000)
				for i := range 100_000 {
					rows = append(rows, []any{fmt.Sprintf("SKU-%06d", i), fmt.Sprintf("Товар %d", i), 10, 0, "api", t0})
				}
				if err := store.InsertMany(ctx, tx, "stock_items", []string{"sku", "name", "on_hand", "reserved", "source", "updated_at"}, rows, "", nil); err != nil {
					return err
				}
				var cust int64
				if err := tx.QueryRow(ctx, `INSERT INTO customers (name, created_at, updated_at) VALUES ('Андрей', $1, $1) RETURNING id`, t0).Scan(&cust); err != nil {
					return err
				}
				var res [][]any
				for i := range 2_000 {
					var id int64
					if err := tx.QueryRow(ctx, `INSERT INTO orders (external_id, customer_id, status, total_minor, currency, placed_at, created_at, updated_at)
						VALUES ($1, $2, 'new', 100, 'EUR', $3, $3, $3) RETURNING id`, fmt.Sprintf("B-%d", i), cust, t0).Scan(&id); err != nil {
						return err
					}
					held, exp := 1, any(nil)
					if i%4 == 0 {
						held, exp = 0, "2026-12-10"
					}
					res = append(res, []any{id, fmt.Sprintf("SKU-%06d", i*37%100_000), 1, held, "open", exp, t0.Add(-time.Duration(i) * time.Minute), t0})
				}
				return store.InsertMany(ctx, tx, "stock_reservations", []string{"order_id", "sku", "qty", "held", "status", "expected_on", "created_at", "updated_at"}, res, "", nil)
			})
			if err != nil {
				b.Fatal(err)
			}
			if err := db.Analyze(ctx); err != nil {
				b.Fatal(err)
			}
			reads := []struct {
				name string
				read func() error
			}{
				{"shortages", func() error { _, err := svc.Shortages(ctx, 50); return err }},
				{"waiting", func() error { _, _, err := svc.WaitingOrders(ctx, WaitingFilter{Limit: 50}); return err }},
				{"longest", func() error { _, _, err := svc.WaitingOrders(ctx, WaitingFilter{Oldest: true, Limit: 5}); return err }},
				{"items", func() error { _, _, err := svc.Items(ctx, ItemFilter{Limit: 50, After: "SKU-050000"}); return err }},
				{"search", func() error { _, _, err := svc.Items(ctx, ItemFilter{Limit: 50, Query: "товар 99"}); return err }},
			}
			for _, rd := range reads {
				b.Run(rd.name, func(b *testing.B) {
					for b.Loop() {
						if err := rd.read(); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}
