package order_test

import (
	"context"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestSynthetic inserts each set of the benchmarks' synthetic orders on
// each engine and reads them back with the counts the benchmarks use.
func TestSynthetic(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			ctx := context.Background()
			db, _ := storetest.OpenTest(t, engine)
			q := db.Read()
			at := time.Date(2026, 11, 9, 12, 0, 0, 0, time.UTC)
			series := order.SyntheticSeries{Engine: engine, From: 1, To: 10}
			err := db.InTx(ctx, func(tx *store.Tx) error {
				if err := customer.SyntheticInsert(ctx, tx, customer.Synthetic{Engine: engine, From: 1, To: 5, At: at}); err != nil {
					return err
				}
				if err := order.SyntheticInsertDelivered(ctx, tx, order.SyntheticDelivered{SyntheticSeries: series,
					Prefix: "lo-", Customers: 5, At: at}); err != nil {
					return err
				}
				if err := order.SyntheticInsertHistory(ctx, tx, order.SyntheticHistory{SyntheticSeries: series,
					Customers: 5, Start: at.AddDate(-1, 0, 0).Unix(), Span: 300 * 86400, Total: 10}); err != nil {
					return err
				}
				if err := order.SyntheticInsertShipped(ctx, tx, order.SyntheticShipped{SyntheticSeries: series,
					Customers: 5, Now: at.Unix()}); err != nil {
					return err
				}
				return order.SyntheticInsertOpen(ctx, tx, order.SyntheticOpen{SyntheticSeries: series,
					Customers: 5, Today: at.Truncate(24 * time.Hour).Unix()})
			})
			if err != nil {
				t.Fatal(err)
			}
			if n, err := order.MaxID(ctx, q); err != nil || n != 40 {
				t.Fatalf("max id: %d, %v; want 40", n, err)
			}
			by, err := order.CountByStatus(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			total := 0
			for _, n := range by {
				total += n
			}
			if total != 40 || by["delivered"] < 10 {
				t.Errorf("by status: %v; want 40 orders, at least 10 delivered", by)
			}
			for prefix, want := range map[string]int{"lo-": 10, "bm-": 10, "ps-": 10, "oo-": 10} {
				by, err := order.CountByStatusPrefix(ctx, q, prefix)
				if err != nil {
					t.Fatal(err)
				}
				n := 0
				for _, c := range by {
					n += c
				}
				if n != want {
					t.Errorf("%s: %d orders (%v), want %d", prefix, n, by, want)
				}
			}
			if by, _ := order.CountByStatusPrefix(ctx, q, "ps-"); by["shipped"] != 10 {
				t.Errorf("ps-: %v, want 10 shipped", by)
			}
			totals, err := order.TotalsAfter(ctx, q, 30)
			if err != nil || len(totals) != 10 || totals[0].ID != 31 || totals[0].CustomerID < 1 || totals[0].TotalMinor < 49000 {
				t.Fatalf("totals after 30: %+v, %v", totals, err)
			}
			o, err := order.SampleFrom(ctx, q, 2)
			if err != nil || o.ID != 2 || o.ExternalID != "lo-2" || !o.PlacedAt.Equal(at) {
				t.Errorf("sample from 2: %+v, %v; want lo-2 placed at %s", o, err, at)
			}
			ship, err := order.GetByExternalID(ctx, q, "ps-1")
			if err != nil || ship.TrackingNumber != "RA000000001RU" || ship.Carrier != "post" {
				t.Errorf("ps-1: %+v, %v; want RA000000001RU by post", ship, err)
			}
			day := at.Format(time.DateOnly)
			late, err := order.CountOpenPromisedBefore(ctx, q, day)
			if err != nil {
				t.Fatal(err)
			}
			soon, err := order.CountOpenPromisedBetween(ctx, q, day, at.AddDate(0, 0, 30).Format(time.DateOnly))
			if err != nil {
				t.Fatal(err)
			}
			if late+soon != 10 {
				t.Errorf("open orders promised: %d before %s, %d from it on; want 10 in all", late, day, soon)
			}
		})
	}
}
