package analytics_test

import (
	"context"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/analytics"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

func TestCompute(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			ctx := context.Background()
			a, _ := apptest.New(t, engine, false)
			db, settings := a.DB, a.Settings
			at := func(s string) *time.Time {
				v, _ := time.Parse(time.RFC3339, s)
				return &v
			}
			orders := []order.NewOrder{
				// Delivered 23:30 Moscow on the promised day: on time.
				{ExternalID: "1", Customer: customer.Input{ExternalID: "a"}, TotalMinor: 10000, TotalGiven: true, DeliveredAt: at("2025-03-05T20:30:00Z"), PromisedTo: "2025-03-05"},
				// 00:30 Moscow the day after: late, though still the 5th in UTC.
				{ExternalID: "2", Customer: customer.Input{ExternalID: "a"}, TotalMinor: 20000, TotalGiven: true, DeliveredAt: at("2025-03-05T21:30:00Z"), PromisedTo: "2025-03-05"},
				{ExternalID: "3", Customer: customer.Input{ExternalID: "b"}, TotalMinor: 5000, TotalGiven: true, Status: order.Cancelled},
				{ExternalID: "4", Customer: customer.Input{ExternalID: "c"}, TotalMinor: 7000, TotalGiven: true, Currency: "EUR"},
				// A past order imported without a promise: dates are computed
				// for it, but nobody was told them, so it does not count.
				{ExternalID: "5", Customer: customer.Input{ExternalID: "d"}, TotalMinor: 1000, TotalGiven: true, DeliveredAt: at("2025-03-20T10:00:00Z")},
			}
			for i := range orders {
				orders[i].History = true
				orders[i].PlacedAt = time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
				if err := order.Normalize(&orders[i], settings, order.APIFields); err != nil {
					t.Fatal(err)
				}
			}
			err := db.InTx(ctx, func(tx *store.Tx) error {
				_, err := a.Orders.CreateBatch(ctx, tx, orders, order.SourceImport)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			m, err := analytics.Compute(ctx, db.Read(), "RUB")
			if err != nil {
				t.Fatal(err)
			}
			if m.Orders != 5 || m.Customers != 4 || m.Revenue != "310.00" || m.RevenueByCurrency["EUR"] != "70.00" ||
				m.RepeatCustomers != 1 || m.RepeatCustomerRate != 0.3333 || m.OnTimeOrders != 1 || m.DeliveredWithPromise != 2 ||
				m.OnTimeRate != 0.5 || m.AverageOrderValue != "103.33" {
				t.Errorf("metrics = %+v", m)
			}
		})
	}
}
