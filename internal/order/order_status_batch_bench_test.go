package order_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/store"
)

// BenchmarkStatusRowsSQLite compares, on SQLite, the two ways a batch of
// 100 status changes could write orders: the prepared UPDATE once an
// order, and one UPDATE … FROM a VALUES list (what ChangeStatusManyTx
// does; on 7 December 2026 it took about 15 % less CPU, user+sys). Each iteration moves 100 orders on, back and forth between two
// statuses, so every index on status and updated_at changes.
func BenchmarkStatusRowsSQLite(b *testing.B) {
	const orders, batch = 10_000, 100
	ctx := context.Background()
	for _, mode := range []string{"per-row", "values"} {
		b.Run(mode, func(b *testing.B) {
			a, _ := apptest.New(b, store.SQLite, false)
			t0 := apptest.Start
			err := a.DB.InTx(ctx, func(tx *store.Tx) error {
				customers := make([][]any, orders/4)
				for i := range customers {
					customers[i] = []any{"sb-" + strconv.Itoa(i), "x", t0, t0}
				}
				if err := store.InsertMany(ctx, tx, "customers", []string{"external_id", "name", "created_at", "updated_at"},
					customers, "", nil); err != nil {
					return err
				}
				rows := make([][]any, orders)
				for i := range rows {
					rows[i] = []any{"so-" + strconv.Itoa(i), int64(i%(orders/4) + 1), "shipped", int64(1000), "RUB", "post",
						"T" + strconv.Itoa(i), t0, t0, t0}
				}
				return store.InsertMany(ctx, tx, "orders", []string{"external_id", "customer_id", "status", "total_minor", "currency",
					"carrier", "tracking_number", "placed_at", "created_at", "updated_at"}, rows, "", nil)
			})
			if err != nil {
				b.Fatal(err)
			}
			var values strings.Builder
			values.WriteString(`WITH v(id, status, carrier, tracking_number, delivered_at, delivered_on) AS (VALUES `)
			for i := range batch {
				if i > 0 {
					values.WriteString(", ")
				}
				values.WriteString("(?, ?, ?, ?, ?, ?)")
			}
			values.WriteString(`) UPDATE orders SET status = v.status, carrier = v.carrier, tracking_number = v.tracking_number,
				delivered_at = COALESCE(v.delivered_at, orders.delivered_at), delivered_on = COALESCE(v.delivered_on, orders.delivered_on),
				updated_at = ? FROM v WHERE orders.id = v.id`)
			n := 0
			for b.Loop() {
				now := t0.Add(time.Duration(n+1) * time.Second)
				status := []string{"ready_for_pickup", "shipped"}[(n*batch/orders)%2]
				err := a.DB.InTx(ctx, func(tx *store.Tx) error {
					if mode == "per-row" {
						for i := range batch {
							id := int64((n*batch+i)%orders + 1)
							if _, err := tx.Exec(ctx, `UPDATE orders SET status = $2, carrier = $3, tracking_number = $4,
								delivered_at = COALESCE($5, delivered_at), delivered_on = COALESCE($6, delivered_on), updated_at = $7
								WHERE id = $1`, id, status, "post", "T", (*time.Time)(nil), (*string)(nil), now); err != nil {
								return err
							}
						}
						return nil
					}
					args := make([]any, 0, batch*6+1)
					for i := range batch {
						id := int64((n*batch+i)%orders + 1)
						args = append(args, id, status, "post", "T", (*time.Time)(nil), (*string)(nil))
					}
					_, err := tx.Exec(ctx, values.String(), append(args, now)...)
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
		})
	}
}
