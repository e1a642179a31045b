package order_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestFacts reads the analytics facts of a few orders on each engine.
func TestFacts(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			ctx := context.Background()
			db, _ := storetest.OpenTest(t, engine)
			day := func(d int) time.Time { return time.Date(2026, 3, d, 10, 0, 0, 0, time.UTC) }
			err := db.InTx(ctx, func(tx *store.Tx) error {
				for _, c := range [][]any{{"Anna", "LV", "Riga"}, {"Boris", "RU", ""}} {
					_, err := tx.Exec(ctx, `INSERT INTO customers (name, country, city, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)`,
						c[0], c[1], c[2], day(1))
					if err != nil {
						return err
					}
				}
				_, err := tx.Exec(ctx, `UPDATE customers SET acquired_on = '2026-02-01' WHERE id = 1`)
				if err != nil {
					return err
				}
				for _, o := range []struct {
					customer                  int64
					status                    string
					total                     int64
					placed                    time.Time
					promised, delivered, risk *string
					late                      *time.Time
				}{
					{customer: 1, status: "delivered", total: 1000, placed: day(2), promised: ptr("2026-03-05"), delivered: ptr("2026-03-07")},
					{customer: 1, status: "shipped", total: 2000, placed: day(3), promised: ptr("2026-03-06"), late: ptr(day(7))},
					{customer: 2, status: "cancelled", total: 500, placed: day(4)},
					{customer: 2, status: "new", total: 700, placed: day(5), promised: ptr("2026-03-09"), risk: ptr("2026-03-09")},
				} {
					_, err := tx.Exec(ctx, `INSERT INTO orders (external_id, customer_id, status, total_minor, currency, channel, carrier,
						promised_to, delivered_on, risk_day, late_at, placed_at, created_at, updated_at)
						VALUES ($1, $2, $3, $4, 'EUR', 'web', 'dhl', $5, $6, $7, $8, $9, $9, $9)`,
						o.status+o.placed.Format("02"), o.customer, o.status, o.total, o.promised, o.delivered, o.risk, o.late, o.placed)
					if err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			q := db.Read()

			var statuses []string
			err = order.FactsEachOfCustomers(ctx, q, []int64{2, 1}, func(f order.CustomerOrderFact) error {
				statuses = append(statuses, f.Status)
				return nil
			})
			if want := []string{"delivered", "shipped", "cancelled", "new"}; err != nil || !slices.Equal(statuses, want) {
				t.Errorf("FactsEachOfCustomers = %q, %v; want %q", statuses, err, want)
			}
			statuses = nil
			err = order.FactsEachInCustomerRange(ctx, q, 2, 3, func(f order.CustomerOrderFact) error {
				statuses = append(statuses, f.Status)
				return nil
			})
			if want := []string{"cancelled", "new"}; err != nil || !slices.Equal(statuses, want) {
				t.Errorf("FactsEachInCustomerRange = %q, %v; want %q", statuses, err, want)
			}
			var sales []int64
			err = order.FactsSalesEach(ctx, q, []int64{3, 99}, func(f order.SaleFact) error {
				sales = append(sales, f.ID)
				if !f.PlacedAt.Equal(day(4)) || f.Channel != "web" || f.Currency != "EUR" {
					t.Errorf("sale fact %+v", f)
				}
				return nil
			})
			if err != nil || !slices.Equal(sales, []int64{3}) {
				t.Errorf("FactsSalesEach = %v, %v", sales, err)
			}
			var spent int64
			err = order.FactsPurchasesEach(ctx, q, day(5), func(f order.PurchaseFact) error {
				spent += f.TotalMinor
				return nil
			})
			if err != nil || spent != 3000 {
				t.Errorf("FactsPurchasesEach: spent %d, %v; want 3000 (counted, placed before the 5th)", spent, err)
			}
			var facts, rows []order.PurchaseFact
			err = order.FactsPurchasesEach(ctx, q, day(9), func(f order.PurchaseFact) error {
				facts = append(facts, f)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			for _, currency := range []string{"EUR", "RUB"} {
				rows = rows[:0]
				err = order.FactsPurchaseRowsEach(ctx, q, engine, day(9), currency, func(r *order.PurchaseRow) error {
					f := order.PurchaseFact{CustomerID: r.CustomerID, PlacedAt: r.PlacedAt, TotalMinor: r.TotalMinor, Currency: currency}
					if r.Foreign != nil {
						f.Currency = *r.Foreign
						if *r.Foreign == currency {
							t.Errorf("%s named as foreign", currency)
						}
					}
					rows = append(rows, f)
					return nil
				})
				if err != nil || !slices.EqualFunc(rows, facts, func(a, b order.PurchaseFact) bool {
					return a.CustomerID == b.CustomerID && a.PlacedAt.Equal(b.PlacedAt) && a.TotalMinor == b.TotalMinor && a.Currency == b.Currency
				}) || len(rows) != 3 {
					t.Errorf("FactsPurchaseRowsEach(%s) = %+v, %v; want FactsPurchasesEach's %+v", currency, rows, err, facts)
				}
			}
			var delivered []order.DeliveredFact
			collect := func(f order.DeliveredFact) error {
				delivered = append(delivered, f)
				return nil
			}
			want := order.DeliveredFact{DeliveredOn: "2026-03-07", PromisedTo: "2026-03-05", Carrier: "dhl", Country: "LV", City: "Riga", Orders: 1}
			if err := order.FactsDeliveredEach(ctx, q, collect); err != nil || len(delivered) != 1 || delivered[0] != want {
				t.Errorf("FactsDeliveredEach = %+v, %v", delivered, err)
			}
			var one []order.DeliveredOrder
			err = order.FactsDeliveredOrdersEach(ctx, q, func(f *order.DeliveredOrder) error {
				one = append(one, *f)
				return nil
			})
			if err != nil || len(one) != 1 || one[0].DeliveredOn != want.DeliveredOn || one[0].PromisedTo != want.PromisedTo ||
				one[0].Carrier != want.Carrier || one[0].CustomerID == 0 {
				t.Errorf("FactsDeliveredOrdersEach = %+v, %v; want the one order of %+v", one, err, want)
			}
			delivered = nil
			if err := order.FactsDeliveredEachOf(ctx, q, []int64{2, 3}, collect); err != nil || len(delivered) != 0 {
				t.Errorf("FactsDeliveredEachOf(2, 3) = %+v, %v; want none", delivered, err)
			}
			var late []order.LateOpenFact
			err = order.FactsLateOpenEach(ctx, q, func(f order.LateOpenFact) error {
				late = append(late, f)
				return nil
			})
			if err != nil || len(late) != 1 || late[0] != (order.LateOpenFact{Carrier: "dhl", Country: "LV", City: "Riga", Orders: 1}) {
				t.Errorf("FactsLateOpenEach = %+v, %v", late, err)
			}
			if n, err := order.FactsCountAtRisk(ctx, q); err != nil || n != 1 {
				t.Errorf("FactsCountAtRisk = %d, %v; want 1", n, err)
			}
			b, err := order.FactsCountBuyers(ctx, q, day(1), day(6), "2026-03-01")
			if err != nil || b.Customers != 2 || b.Buyers != 2 || b.Repeat == nil || *b.Repeat != 1 {
				t.Errorf("FactsCountBuyers = %+v, %v; want 2 customers, 2 buyers, 1 repeat", b, err)
			}
			if sh, err := order.FactsCountBuyerShares(ctx, q, day(1), day(6), "2026-03-01"); err != nil || sh.Customers != 2 || sh.Buyers != 2 {
				t.Errorf("FactsCountBuyerShares = %+v, %v; want 2 customers, 2 buyers", sh, err)
			}
		})
	}
}
