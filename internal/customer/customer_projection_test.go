package customer_test

import (
	"context"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestProjectionFoldsBatches folds two batches of order events into the
// customers' figures on each engine: several events of one customer in a
// batch, created, changed and status-changed orders, a customer touched
// only by a spend change, one the batches do not name, and events the
// projection ignores.
func TestProjectionFoldsBatches(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			ctx := context.Background()
			db, _ := storetest.OpenTest(t, engine)
			day := func(d int) time.Time { return time.Date(2026, 1, d, 9, 30, 0, 0, time.UTC) }
			err := db.InTx(ctx, func(tx *store.Tx) error {
				for _, name := range []string{"Anna", "Boris", "Vera"} {
					if _, err := tx.Exec(ctx, `INSERT INTO customers (name, created_at, updated_at) VALUES ($1, $2, $2)`, name, day(1)); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			ev := func(kind journal.Kind, customerID int64, p event.Payload) journal.Event {
				return journal.Event{Kind: kind, OrderID: 1, CustomerID: customerID, History: true, Payload: journal.MustPayload(p)}
			}
			created := func(customerID, total int64, counted bool, at time.Time) journal.Event {
				return ev(journal.OrderCreated, customerID, event.OrderCreatedPayload{
					OrderFacts: event.OrderFacts{TotalMinor: total, Counted: counted, PlacedAt: at}})
			}
			batches := [][]journal.Event{{
				created(1, 1000, true, day(10)),
				created(1, 500, true, day(5)),
				created(1, 700, false, day(12)), // cancelled when taken in
				created(2, 300, true, day(7)),
				ev(journal.OrderChanged, 2, event.OrderChangedPayload{OrderFacts: event.OrderFacts{TotalMinor: 50, Counted: true}}),
				{Kind: journal.CustomerChanged, CustomerID: 3, Payload: journal.MustPayload(event.CustomerChangedPayload{})},
			}, {
				created(1, 200, true, day(3)),
				ev(journal.OrderStatusChanged, 1, event.OrderStatusChangedPayload{
					OrderFacts: event.OrderFacts{TotalMinor: 1000, Uncounted: true}, From: "new", To: "cancelled"}),
				ev(journal.OrderStatusChanged, 2, event.OrderStatusChangedPayload{
					OrderFacts: event.OrderFacts{TotalMinor: 350, Recounted: true}, From: "cancelled", To: "new"}),
				{Kind: journal.OrderLate, OrderID: 1, CustomerID: 3, Payload: journal.MustPayload(event.OrderLatePayload{})},
			}}
			for _, b := range batches {
				if err := db.InTx(ctx, func(tx *store.Tx) error { return customer.Projection{}.HandleEvents(ctx, tx, b) }); err != nil {
					t.Fatalf("HandleEvents: %v", err)
				}
			}
			type figures struct {
				orders, spent int64
				first, last   time.Time
			}
			want := map[int64]figures{
				1: {orders: 4, spent: 500 + 200, first: day(3), last: day(12)},
				2: {orders: 1, spent: 300 + 50 + 350, first: day(7), last: day(7)},
				3: {},
			}
			for id, w := range want {
				c, err := customer.Get(ctx, db.Read(), id)
				if err != nil {
					t.Fatal(err)
				}
				var got figures
				got.orders, got.spent = c.OrdersCount, c.SpentMinor
				if c.FirstOrderAt != nil {
					got.first = c.FirstOrderAt.UTC()
				}
				if c.LastOrderAt != nil {
					got.last = c.LastOrderAt.UTC()
				}
				if got != w {
					t.Errorf("customer %d: %+v, want %+v", id, got, w)
				}
			}
			if n, err := customer.OrdersCounted(ctx, db.Read()); err != nil || n != 5 {
				t.Errorf("OrdersCounted = %d, %v; want 5", n, err)
			}
		})
	}
}
