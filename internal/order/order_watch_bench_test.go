package order_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// The benchmarks' shop: this many open orders (new, processing, ready to
// ship, shipped), promised on the 71 days from 40 before today to 30
// after, about 1,400 a day. `shopcare bench parcels` runs the same passes
// over a million.
const (
	benchOpenOrders = 100_000
	benchCustomers  = 30_000
)

var benchStatuses = []order.Status{order.New, order.New, order.New, order.Processing, order.Processing, order.Processing,
	order.Processing, order.Processing, order.ReadyToShip, order.ReadyToShip}

// BenchmarkWatch times the promise watch over benchOpenOrders open orders:
// backlog is the first pass (everything of the 30-day lookback is late at
// once), daily a pass a day after the one before (a day's orders at risk
// and a day's late), idle a pass that finds nothing (what the watch does
// every five minutes between). Each op is one pass.
func BenchmarkWatch(b *testing.B) {
	for _, engine := range storetest.Engines(b) {
		b.Run(string(engine), func(b *testing.B) {
			c := context.Background()
			a, clk := apptest.New(b, engine, false)
			loc := a.Settings.Shop.Location()
			now := apptest.Start.In(loc)
			today := time.Date(now.Year(), now.Month(), now.Day(), 10, 0, 0, 0, loc)
			benchSeedOpen(b, a.DB, today)
			if err := a.DB.Analyze(c); err != nil {
				b.Fatal(err)
			}
			watch := func(at time.Time) order.WatchResult {
				clk.Set(at)
				res, err := a.Orders.Watch(c)
				if err != nil {
					b.Fatal(err)
				}
				return res
			}
			// reset undoes every pass, so the next finds the backlog again.
			reset := func() {
				err := a.DB.InTx(c, func(tx *store.Tx) error {
					_, err := tx.Exec(c, `UPDATE orders SET risk_day = NULL, late_at = NULL WHERE risk_day IS NOT NULL OR late_at IS NOT NULL`)
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}

			b.Run("backlog", func(b *testing.B) {
				for b.Loop() {
					b.StopTimer()
					reset()
					b.StartTimer()
					if res := watch(today); res.Late == 0 {
						b.Fatal("the first pass found no late order")
					}
				}
			})
			b.Run("daily", func(b *testing.B) {
				day := 0
				for b.Loop() {
					// Thirty days on, the seeded promises run out: start
					// again from the backlog, untimed.
					if day%30 == 0 {
						b.StopTimer()
						reset()
						watch(today)
						day = 0
						b.StartTimer()
					}
					day++
					if res := watch(today.AddDate(0, 0, day)); res.AtRisk+res.Late == 0 {
						b.Fatalf("the pass of day +%d found nothing", day)
					}
				}
			})
			b.Run("idle", func(b *testing.B) {
				reset()
				watch(today)
				at := today
				for b.Loop() {
					at = at.Add(time.Minute)
					if res := watch(at); res.AtRisk+res.Late != 0 {
						b.Fatalf("an idle pass found %+v", res)
					}
				}
			})
		})
	}
}

// benchSeedOpen seeds the customers and open orders, each promised on a
// day from 40 before today to 30 after and placed three to nine days
// before it.
func benchSeedOpen(b *testing.B, db *store.DB, today time.Time) {
	b.Helper()
	c := context.Background()
	customers := make([][]any, benchCustomers)
	for i := range customers {
		k := strconv.Itoa(i + 1)
		customers[i] = []any{"wb-" + k, "Покупатель " + k, "wb" + k + "@example.ru", today, today}
	}
	orders := make([][]any, benchOpenOrders)
	for i := range orders {
		day := today.AddDate(0, 0, i*7919%71-40)
		placed := day.AddDate(0, 0, -3-i%7).Add(-time.Duration(i%600) * time.Minute)
		st := order.Shipped
		if i%20 < 10 {
			st = benchStatuses[i%20]
		}
		carrier := "courier"
		if i%5 < 2 {
			carrier = "post"
		}
		orders[i] = []any{fmt.Sprintf("wb-o%d", i+1), int64(i%benchCustomers + 1), string(st), int64(250000), "RUB", carrier,
			day.Format(time.DateOnly), placed, placed, placed}
	}
	err := db.InTx(c, func(tx *store.Tx) error {
		err := store.InsertMany(c, tx, "customers", []string{"external_id", "name", "email", "created_at", "updated_at"}, customers, "", nil)
		if err != nil {
			return err
		}
		return store.InsertMany(c, tx, "orders", []string{"external_id", "customer_id", "status", "total_minor", "currency", "carrier",
			"promised_to", "placed_at", "created_at", "updated_at"}, orders, "", nil)
	})
	if err != nil {
		b.Fatalf("seed open orders: %v", err)
	}
}
