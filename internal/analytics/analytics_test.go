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
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
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
				// By post to Riga: four days late, and one on time.
				{ExternalID: "6", Customer: customer.Input{ExternalID: "e", Country: "LV", City: "Riga"}, Carrier: "post", TotalMinor: 1000,
					TotalGiven: true, DeliveredAt: at("2025-03-09T10:00:00Z"), PromisedTo: "2025-03-05"},
				{ExternalID: "7", Customer: customer.Input{ExternalID: "f", Country: "LV", City: "Riga"}, Carrier: "post", TotalMinor: 1000,
					TotalGiven: true, DeliveredAt: at("2025-03-04T10:00:00Z"), PromisedTo: "2025-03-05"},
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
			if _, err := a.Dispatcher.Drain(ctx); err != nil {
				t.Fatal(err)
			}
			m, err := a.Analytics.Metrics(ctx, analytics.Window{})
			if err != nil {
				t.Fatal(err)
			}
			if m.Orders != 7 || m.Customers != 6 || m.Revenue != "330.00" || m.RevenueByCurrency["EUR"] != "70.00" ||
				m.RepeatCustomers != 1 || !is(m.RepeatCustomerRate, 0.2) || m.OnTimeOrders != 2 || m.DeliveredWithPromise != 4 ||
				!is(m.OnTimeRate, 0.5) || m.AverageOrderValue != "66.00" {
				t.Errorf("metrics = %+v", m)
			}
			d := m.Delivery
			if d.Delivered != 4 || d.OnTime != 2 || d.Late != 2 || d.AverageDelayDays != 2.5 {
				t.Errorf("delivery = %+v, want 4 delivered, 2 on time, 2 late by 2.5 days on average", d)
			}
			var post *analytics.DeliveryLine
			for i := range d.ByCarrier {
				if d.ByCarrier[i].Key == "post" {
					post = &d.ByCarrier[i]
				}
			}
			if post == nil || post.Delivered != 2 || post.Late != 1 || !is(post.OnTimeRate, 0.5) || post.AverageDelayDays != 4 {
				t.Errorf("by carrier = %+v, want post 2 delivered, 1 late by 4 days", d.ByCarrier)
			}
			if len(d.ByRoute) != 2 || d.ByRoute[0].Key != "LV Riga" || d.ByRoute[0].Late != 1 {
				t.Errorf("by route = %+v, want LV Riga and the other late route", d.ByRoute)
			}
		})
	}
}

// is tells whether a rate is defined and v.
func is(r *float64, v float64) bool { return r != nil && *r == v }
