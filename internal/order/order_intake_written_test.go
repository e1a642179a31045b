package order_test

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestWrittenOrderIsReadBack holds the intake's answer, built from what
// it wrote, to the order as Get reads it back after the commit (issue
// 22): new customers and merged ones, history, given promises,
// sub-microsecond times, retries and a batch's repeated external ids.
func TestWrittenOrderIsReadBack(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			a, clk := newApp(t, engine, false)
			clk.Set(clk.Now().Add(123456789 * time.Nanosecond))

			placed := time.Date(2026, 11, 23, 15, 20, 0, 999999999, time.FixedZone("MSK", 3*3600))
			delivered := placed.Add(49*time.Hour + 1)
			full := sample("W-1", "wc-1", "w1@example.com")
			full.PlacedAt = placed
			full.Items = append(full.Items, order.Item{SKU: "PAN-26", Name: "Сковорода", Qty: 1, PriceMinor: 189900,
				MadeToOrder: true, ProductionDays: 3, VariantID: "v-26"})
			full.Address = "  Москва,   ул. Ленина 1 "
			full.Carrier, full.GiftWrap, full.Channel = "post", true, "web"
			full.Payment = order.Payment{Method: "cod"}
			given := sample("W-2", "wc-2", "w2@example.com")
			given.PromisedTo = "2026-12-20"
			past := sample("W-3", "wc-3", "")
			past.History, past.DeliveredAt = true, &delivered
			// The customer of W-1 again, by e-mail only, with a new city.
			merged := sample("W-4", "", "W1@example.com")
			merged.Customer.City = "Тверь"
			// No contact but a phone, and no items.
			bare := order.NewOrder{ExternalID: "W-5", Customer: customer.Input{ExternalID: "wc-5", Phone: "8 (916) 555-00-11"}, TotalMinor: 100, TotalGiven: true}

			inputs := []order.NewOrder{full, given, past, merged, bare, full}
			for i, n := range inputs {
				check(t, a, mustNormalize(t, a, n), fmt.Sprintf("alone %d", i))
			}

			// Concurrent submissions share transactions: a new order and
			// its duplicate may land in one group.
			a.Orders.Start()
			defer a.Orders.Stop()
			var wg sync.WaitGroup
			for i := range 24 {
				k := i / 2
				n := sample(fmt.Sprintf("G-%d", k), fmt.Sprintf("gc-%d", k%5), fmt.Sprintf("g%d@example.com", k%5))
				n.PlacedAt = placed.Add(time.Duration(k) * 333 * time.Nanosecond)
				n = mustNormalize(t, a, n)
				wg.Go(func() { check(t, a, n, n.ExternalID) })
			}
			wg.Wait()
		})
	}
}

// check creates n and compares the order its answer carries with Get's.
func check(t *testing.T, a *app.App, n order.NewOrder, what string) {
	t.Helper()
	ctx := context.Background()
	res, got, err := a.Orders.CreateRead(ctx, n)
	if err != nil || got == nil {
		t.Errorf("%s: create: %+v, %v, order %v", what, res, err, got)
		return
	}
	want, err := order.Get(ctx, a.DB.Read(), res.ID)
	if err != nil {
		t.Errorf("%s: get: %v", what, err)
		return
	}
	if g, w := canonical(got), canonical(want); !reflect.DeepEqual(g, w) {
		t.Errorf("%s: answered\n%+v\ncustomer %+v\nread back\n%+v\ncustomer %+v", what, g, *g.Customer, w, *w.Customer)
	}
}

// canonical is o with every time in UTC, so that the zone a driver reads
// a time in does not count: the API shows them in the shop's zone.
func canonical(o *order.Order) order.Order {
	c := *o
	utc := func(t *time.Time) *time.Time {
		if t == nil {
			return nil
		}
		u := t.UTC()
		return &u
	}
	c.PlacedAt, c.CreatedAt, c.UpdatedAt = c.PlacedAt.UTC(), c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	c.DeliveredAt, c.PackedAt, c.AddressConfirmedAt = utc(c.DeliveredAt), utc(c.PackedAt), utc(c.AddressConfirmedAt)
	c.StatusHistory = nil
	for _, h := range o.StatusHistory {
		h.At = h.At.UTC()
		c.StatusHistory = append(c.StatusHistory, h)
	}
	if len(c.Items) == 0 {
		c.Items = nil
	}
	if o.Customer != nil {
		cu := *o.Customer
		cu.CreatedAt = cu.CreatedAt.UTC()
		cu.FirstOrderAt, cu.LastOrderAt = utc(cu.FirstOrderAt), utc(cu.LastOrderAt)
		c.Customer = &cu
	}
	return c
}
