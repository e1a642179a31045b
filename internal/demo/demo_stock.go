package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/stock"
)

// demoStock is how much of each catalogue item the demo shop has: most
// are in stock, a few run low, two are out with a delivery on its way in
// a few days, and one is out with nothing coming (its orders are promised
// on the shop's restock estimate). The engraved board is made to order,
// so its stock is not tracked.
var demoStock = map[string]struct {
	onHand int
	// incoming is a delivery of qty units in days working days.
	qty, days int
}{
	"PAN-24": {onHand: 34}, "PAN-28": {onHand: 41}, "WOK-30": {onHand: 17}, "POT-3": {onHand: 22},
	"POT-5": {onHand: 19, qty: 20, days: 8}, "KNIFE-CHEF": {onHand: 27}, "KNIFE-SANTOKU": {onHand: 15},
	"KNIFE-PARING": {onHand: 48}, "LADLE": {onHand: 25}, "SPATULA-SET": {onHand: 30}, "TOWEL-2": {onHand: 60},
	// Low.
	"DUTCH-4": {onHand: 2, qty: 6, days: 10}, "LID-28": {onHand: 3}, "KNIFE-SET": {onHand: 1},
	// Out, with a delivery in a few days.
	"GRILL-26": {onHand: 0, qty: 12, days: 3}, "STONE-1000": {onHand: 0, qty: 8, days: 4},
	// Out, nothing on its way.
	"APRON": {onHand: 0},
}

// seedStock gives the demo catalogue its stock levels, as a shop's
// platform would put them, before the recent orders come in and hold
// what they buy.
func seedStock(ctx context.Context, a *app.App, until time.Time) error {
	lang := a.Settings.Shop.Languages[0]
	today := calendar.DayOf(until.In(a.Settings.Shop.Location()))
	cal := a.Promises.Engine().Calendar()
	var levels []stock.Level
	for _, p := range catalogue {
		d, ok := demoStock[p.sku]
		if !ok {
			continue
		}
		l := stock.Level{SKU: p.sku, Name: p.name[lang], OnHand: d.onHand}
		if d.qty > 0 {
			l.Incoming = []stock.Incoming{{Qty: d.qty, Date: cal.AddWorkdays(today, d.days).String()}}
		}
		levels = append(levels, l)
	}
	if _, err := a.Stock.Put(ctx, "demo", levels); err != nil {
		return fmt.Errorf("demo stock: %w", err)
	}
	return nil
}
