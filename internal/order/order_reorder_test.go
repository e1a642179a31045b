package order_test

import (
	"context"
	"errors"
	"testing"

	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestReorder: an order made again has the source's lines and prices,
// the customer's latest address and carrier, channel reorder, unpaid; the
// same key makes it once, a bad key or no lines make nothing.
func TestReorder(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, clk := newApp(t, engine, false)
			clk.Set(msk(t, "2026-11-23T15:00:00"))
			n1 := sample("O-1", "cr-1", "re@example.com")
			n1.Carrier, n1.Address, n1.Payment = "courier", "Москва, ул. Ленина, 1", order.Payment{Method: "prepaid", Paid: true}
			n1.GiftWrap = true
			r1, err := a.Orders.Create(ctx, mustNormalize(t, a, n1))
			if err != nil {
				t.Fatal(err)
			}
			clk.Set(msk(t, "2026-11-25T10:00:00"))
			n2 := sample("O-2", "cr-1", "re@example.com")
			n2.Carrier, n2.Address = "post", "Тверь, ул. Советская, 5"
			n2.Items = []order.Item{{SKU: "LID", Name: "Крышка", Qty: 1, PriceMinor: 990}}
			if _, err := a.Orders.Create(ctx, mustNormalize(t, a, n2)); err != nil {
				t.Fatal(err)
			}
			clk.Set(msk(t, "2026-12-01T10:00:00"))
			src := loadFull(t, a, r1.ID)

			res, o, err := a.Orders.Reorder(ctx, src, "abcdef12")
			if err != nil {
				t.Fatal(err)
			}
			if !res.Created || o == nil || o.ExternalID != "O-1-abcdef12" || o.CustomerID != src.CustomerID ||
				o.Channel != order.ChannelReorder || o.Status != order.New || o.Carrier != "post" || o.Address != "Тверь, ул. Советская, 5" ||
				o.Payment.Method != "prepaid" || o.Payment.Paid || !o.GiftWrap || o.TotalMinor != 300000 ||
				len(o.Items) != 1 || o.Items[0].SKU != "POT-1" || o.Items[0].Qty != 2 || o.Items[0].PriceMinor != 150000 {
				t.Fatalf("reorder: %+v, %+v", res, o)
			}
			again, o2, err := a.Orders.Reorder(ctx, src, "abcdef12")
			if err != nil || again.Created || again.ID != res.ID || o2.ID != o.ID {
				t.Errorf("the same key again: %+v, %v; want the first order, not created", again, err)
			}

			for _, c := range []struct {
				name, key, field string
				src              *order.Order
			}{
				{"a short key", "abc", "key", src},
				{"a key with signs", "abc/def-12", "key", src},
				{"no lines", "abcdef99", "items", &order.Order{ID: src.ID, ExternalID: "O-1", CustomerID: src.CustomerID}},
			} {
				_, _, err := a.Orders.Reorder(ctx, c.src, c.key)
				var list invalid.List
				if !errors.As(err, &list) || len(list) == 0 || list[0].Field != c.field {
					t.Errorf("%s: %v, want an error on %s", c.name, err, c.field)
				}
			}
			var count int
			if err := a.DB.Read().QueryRow(ctx, `SELECT COUNT(*) FROM orders WHERE channel = $1`, order.ChannelReorder).Scan(&count); err != nil || count != 1 {
				t.Errorf("%d orders made again (%v), want 1", count, err)
			}

			// A customer the shop knows by e-mail only is matched, not
			// made anew.
			n3 := order.NewOrder{ExternalID: "O-3", Customer: customer.Input{Email: "only@example.com"},
				Items: []order.Item{{SKU: "PAN", Name: "Сковорода", Qty: 1, PriceMinor: 99000}}}
			r3, err := a.Orders.Create(ctx, mustNormalize(t, a, n3))
			if err != nil {
				t.Fatal(err)
			}
			res3, _, err := a.Orders.Reorder(ctx, loadFull(t, a, r3.ID), "zzzzzz01")
			if err != nil || res3.CustomerID != r3.CustomerID {
				t.Errorf("e-mail only: customer %d (%v), want %d", res3.CustomerID, err, r3.CustomerID)
			}
		})
	}
}
