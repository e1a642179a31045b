package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/stock"
)

// waitlistSKU is the out-of-stock demo item customers wait for: the
// whetstone, out with a delivery of 8 on its way (demo_stock.go).
const waitlistSKU = "STONE-1000"

// waitlistAsks is how many demo customers asked to be told when it is
// back: more than the delivery brings, so that the last ones wait on.
const waitlistAsks = 10

// seedWaitlist has a few of the shop's customers ask to be told when the
// whetstone is back, an hour apart, from their page, the product page's
// widget and the shop's own code, in their languages. The live demo
// brings its delivery (deliverDue), and the first eight are told.
func seedWaitlist(ctx context.Context, a *app.App) error {
	list, _, err := a.Customers.List(ctx, customer.ListFilter{Limit: waitlistAsks})
	if err != nil {
		return fmt.Errorf("demo waitlist: %w", err)
	}
	sources := []string{stock.SourceWidget, stock.SourceMy, stock.SourceWidget, stock.SourceAPI}
	site := "https://shop.example.com/products/whetstone-1000-6000"
	for i, c := range list {
		if c.Email == "" {
			continue
		}
		p := stock.AskParams{SKU: waitlistSKU, CustomerID: c.ID, Language: c.Language, Source: sources[i%len(sources)]}
		if p.Source == stock.SourceWidget {
			p.PageURL = site
		}
		if _, err := a.Stock.Ask(ctx, p); err != nil {
			return fmt.Errorf("demo waitlist: customer %d: %w", c.ID, err)
		}
	}
	return nil
}

// deliverDue brings the deliveries of the demo's stock whose day has
// come, as the shop's platform would report them: their units join on
// hand (the orders waiting for them are served first, then the customers
// waiting to be told, first come first told). now is the shop's clock.
func deliverDue(ctx context.Context, a *app.App, now time.Time) error {
	today := calendar.DayOf(now.In(a.Settings.Shop.Location()))
	for sku := range demoDeliveries {
		l, err := a.Stock.Get(ctx, sku)
		if err != nil {
			continue // not tracked (yet)
		}
		var left []stock.Incoming
		came := 0
		for _, in := range l.Incoming {
			if d, err := calendar.ParseDay(in.Date); err == nil && d <= today {
				came += in.Qty
				continue
			}
			left = append(left, in)
		}
		if came == 0 {
			continue
		}
		l.OnHand += came
		l.Incoming = left
		if _, err := a.Stock.Put(ctx, "demo", []stock.Level{l}); err != nil {
			return fmt.Errorf("demo delivery of %s: %w", sku, err)
		}
	}
	return nil
}

// demoDeliveries are the SKUs whose deliveries the live demo brings.
var demoDeliveries = map[string]bool{waitlistSKU: true, "GRILL-26": true}
