package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// stockOnSite shows stock coming in through a connector: once a shop day
// the demo's WooCommerce site tells shopcare an item's count changed (the
// owner counted a shelf, a delivery was unpacked), as WooCommerce does —
// its REST v3 product as a signed product.updated webhook — and the
// connector sets the level, with "site" as its source.
func (l *Live) stockOnSite(ctx context.Context, from, now time.Time) error {
	c, ok := l.a.Connectors.Connector(siteConnector)
	if !ok || c.Platform != "woocommerce" {
		return nil
	}
	loc := l.a.Settings.Shop.Location()
	day := now.In(loc)
	if !from.IsZero() && from.In(loc).Format(time.DateOnly) == day.Format(time.DateOnly) {
		return nil
	}
	n := day.YearDay() + 400*day.Year()
	p := catalogue[n%len(catalogue)]
	if p.productionDays > 0 { // made to order: the site keeps no stock of it
		p = catalogue[(n+1)%len(catalogue)]
	}
	gmt := now.UTC().Format("2006-01-02T15:04:05")
	body, err := json.Marshal(map[string]any{
		"id": 500 + n%len(catalogue), "name": p.name[l.a.Settings.Shop.Languages[0]], "type": "simple", "status": "publish",
		"sku": p.sku, "manage_stock": true, "stock_quantity": 4 + int(l.jitter(int64(n), 27)%21), "stock_status": "instock",
		"date_modified_gmt": gmt,
	})
	if err != nil {
		return err
	}
	if err := l.wooHook(ctx, c, "product", "updated", body, now); err != nil {
		return fmt.Errorf("demo: the site's stock of %s: %w", p.sku, err)
	}
	return nil
}
