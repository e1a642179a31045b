package order_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/storetest"
)

func ptr[T any](v T) *T { return &v }

// counts returns the rows an order change may write: events, items,
// promise changes, the order's updated_at.
func counts(t *testing.T, a *app.App, id int64) [4]string {
	t.Helper()
	ctx := context.Background()
	var out [4]string
	for i, q := range []string{
		`SELECT CAST(COUNT(*) AS TEXT) FROM events`,
		`SELECT CAST(COUNT(*) AS TEXT) FROM order_items`,
		`SELECT CAST(COUNT(*) AS TEXT) FROM promise_changes`,
		`SELECT address || '|' || carrier || '|' || payment_method || '|' || CAST(total_minor AS TEXT) FROM orders WHERE id = $1`,
	} {
		var args []any
		if i == 3 {
			args = append(args, id)
		}
		if err := a.DB.Read().QueryRow(ctx, q, args...).Scan(&out[i]); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return out
}

func TestUpdate(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, clk := newApp(t, engine, false)
			clk.Set(msk(t, "2026-11-23T15:00:00"))
			n := sample("U-1", "cu-1", "u1@example.com")
			n.Carrier = "courier"
			n.Address = "Москва, ул. Ленина, 1"
			res, err := a.Orders.Create(ctx, mustNormalize(t, a, n))
			if err != nil {
				t.Fatal(err)
			}
			wantPromise(t, loadFull(t, a, res.ID), "2026-11-25", "2026-11-27", "2026-11-27")

			// Nothing new: nothing written.
			before := counts(t, a, res.ID)
			up, err := a.Orders.Update(ctx, res.ID, order.Change{Address: ptr("  Москва,\n ул. Ленина, 1 "), Carrier: ptr("courier"),
				Contact: &customer.Contact{Email: ptr("U1@example.com")}, Source: order.SourceAPI})
			if err != nil || len(up.Changed) != 0 {
				t.Fatalf("no-op update: %+v, %v", up, err)
			}
			if after := counts(t, a, res.ID); after != before {
				t.Errorf("a no-op wrote: %v → %v", before, after)
			}

			// Every error names its field and writes nothing.
			for _, tc := range []struct {
				name  string
				c     order.Change
				field string
			}{
				{"carrier", order.Change{Carrier: ptr("teleport"), Address: ptr("elsewhere")}, "carrier"},
				{"method", order.Change{Payment: &order.PaymentChange{Method: ptr("barter")}}, "payment.method"},
				{"qty", order.Change{Items: &[]order.Item{{SKU: "A", Qty: 0, PriceMinor: 1}}}, "items[0].qty"},
				{"price", order.Change{Items: &[]order.Item{{SKU: "A", Qty: 1, PriceMinor: -5}}}, "items[0].price"},
				{"no items", order.Change{Items: &[]order.Item{}}, "items"},
				{"address", order.Change{Address: ptr("a\x00b")}, "delivery_address"},
				{"email", order.Change{Address: ptr("new"), Contact: &customer.Contact{Email: ptr("not-mail")}}, "customer.email"},
				{"phone", order.Change{Contact: &customer.Contact{Phone: ptr("12")}}, "customer.phone"},
			} {
				_, err := a.Orders.Update(ctx, res.ID, tc.c)
				e, ok := invalid.First(err)
				if !ok || e.Field != tc.field {
					t.Errorf("%s: err = %v, want one naming %s", tc.name, err, tc.field)
				}
				if after := counts(t, a, res.ID); after != before {
					t.Errorf("%s: a refused change wrote: %v → %v", tc.name, before, after)
				}
			}

			// Paid later, and a new address: no new promise.
			up, err = a.Orders.Update(ctx, res.ID, order.Change{Payment: &order.PaymentChange{Paid: ptr(true)},
				Address: ptr("Москва, ул. Ленина, 2"), Source: order.SourceAPI})
			if err != nil || !slices.Equal(up.Changed, []string{"delivery_address", "payment.paid"}) || up.Repromised {
				t.Fatalf("pay: %+v, %v", up, err)
			}
			// A made-to-order item: five days' work pushes the promise out.
			up, err = a.Orders.Update(ctx, res.ID, order.Change{Items: &[]order.Item{
				{SKU: "POT-1", Name: "Кастрюля", Qty: 1, PriceMinor: 150000},
				{SKU: "LID-9", Name: "Крышка", Qty: 1, PriceMinor: 20000, MadeToOrder: true, ProductionDays: 5},
			}, Source: order.SourceAPI})
			if err != nil || !up.Repromised || !slices.Equal(up.Changed, []string{"items", "total"}) {
				t.Fatalf("items: %+v, %v", up, err)
			}
			o := loadFull(t, a, res.ID)
			if o.TotalMinor != 170000 || len(o.Items) != 2 || o.PromiseVersion != 2 || o.PromisedTo <= "2026-11-27" {
				t.Errorf("after items: total %d, %d items, promise v%d to %s", o.TotalMinor, len(o.Items), o.PromiseVersion, o.PromisedTo)
			}
			// Another carrier re-promises; the customer's contact follows.
			up, err = a.Orders.Update(ctx, res.ID, order.Change{Carrier: ptr("post"),
				Contact: &customer.Contact{Phone: ptr("+7 916 000-11-22")}, Source: order.SourceAPI})
			if err != nil || !up.Repromised || !slices.Equal(up.Changed, []string{"carrier", "customer.phone"}) {
				t.Fatalf("carrier: %+v, %v", up, err)
			}
			o = loadFull(t, a, res.ID)
			if o.Carrier != "post" || o.Customer.Phone != "+79160001122" || o.PromiseVersion != 3 {
				t.Errorf("after carrier: %s, %s, v%d", o.Carrier, o.Customer.Phone, o.PromiseVersion)
			}
			if _, err := a.Dispatcher.Drain(ctx); err != nil {
				t.Fatal(err)
			}
			c, _ := customer.Get(ctx, a.DB.Read(), o.CustomerID)
			if c.SpentMinor != 170000 {
				t.Errorf("customer's spend = %d, want the new total 170000", c.SpentMinor)
			}
			var revenue int64
			if err := a.DB.Read().QueryRow(ctx, `SELECT SUM(revenue_minor) FROM sales_days`).Scan(&revenue); err != nil || revenue != 170000 {
				t.Errorf("sales roll-up revenue = %d (%v), want the new total 170000", revenue, err)
			}
			var kinds int
			_ = a.DB.Read().QueryRow(ctx, `SELECT COUNT(*) FROM events WHERE kind = 'order.changed' AND order_id = $1`, res.ID).Scan(&kinds)
			if kinds != 3 {
				t.Errorf("%d order.changed events, want 3", kinds)
			}

			// The payload round-trips, with figures and no personal data.
			var raw string
			if err := a.DB.Read().QueryRow(ctx, `SELECT payload FROM events WHERE kind = 'order.changed' AND order_id = $1
				ORDER BY id DESC LIMIT 1`, res.ID).Scan(&raw); err != nil {
				t.Fatal(err)
			}
			var p event.OrderChangedPayload
			if err := (journal.Event{Kind: journal.OrderChanged, Payload: []byte(raw)}).Decode(&p); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(p.Fields, []string{"carrier", "customer.phone"}) || p.Carrier != "post" || p.NewTotalMinor != 170000 ||
				p.Source != string(order.SourceAPI) || strings.Contains(raw, "9160001122") || strings.Contains(raw, "Ленина") {
				t.Errorf("order.changed payload: %s → %+v", raw, p)
			}

			// Once shipped, the items and the address stay; payment may move.
			if _, err := a.Orders.ChangeStatus(ctx, res.ID, order.StatusUpdate{Status: order.Shipped, Source: order.SourceAPI}); err != nil {
				t.Fatal(err)
			}
			if _, err := a.Orders.Update(ctx, res.ID, order.Change{Address: ptr("elsewhere")}); err == nil {
				t.Error("the address of a shipped order changed")
			} else if e, _ := invalid.First(err); e.Code != "frozen" {
				t.Errorf("shipped address: %v", err)
			}
			if _, err := a.Orders.Update(ctx, res.ID, order.Change{Payment: &order.PaymentChange{Method: ptr("cod")}}); err != nil {
				t.Errorf("payment of a shipped order: %v", err)
			}
		})
	}
}
