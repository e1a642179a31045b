package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/returns"
)

// returnComments are what a demo customer writes with their return, in
// their language.
var returnComments = map[string]string{
	"ru": "Размер не подошёл, хочу вернуть одну штуку. Упаковка целая.",
	"lv": "Izmērs neder, gribu atgriezt vienu gabalu. Iepakojums ir vesels.",
	"en": "The size did not fit; I would like to send one back. The box is unopened.",
}

// seedReturns gives the demo a return to look at: the customer of the
// most recently delivered order of the history, still within the shop's
// return window, asks on their page to return one unit of its first
// line, so the admin's order page shows the request and its task and
// the customer's page shows it; other recent deliveries are left for a
// visitor to return. A shop with no window on the page gets none.
func seedReturns(ctx context.Context, a *app.App, until time.Time) error {
	days := a.Settings.Returns.WindowDays
	if days == 0 {
		return nil
	}
	items, _, err := a.Orders.List(ctx, order.ListFilter{Status: order.Delivered, From: until.AddDate(0, 0, -days-10), Limit: 100})
	if err != nil {
		return fmt.Errorf("demo returns: delivered orders: %w", err)
	}
	opened := until.In(a.Settings.Shop.Location()).AddDate(0, 0, -days+2).Format(time.DateOnly)
	for _, it := range items {
		if it.DeliveredOn < opened {
			continue
		}
		o, err := a.Orders.Get(ctx, it.ID)
		if err != nil {
			return fmt.Errorf("demo returns: order %d: %w", it.ID, err)
		}
		if len(o.Items) == 0 || o.Customer == nil {
			continue
		}
		comment, ok := returnComments[o.Customer.Language]
		if !ok {
			comment = returnComments["en"]
		}
		_, err = a.Returns.Create(ctx, returns.Input{OrderID: o.ID, CustomerID: o.CustomerID, Qty: map[int]int64{1: 1},
			Reason: a.Settings.Returns.Reasons[0], Comment: comment})
		if err != nil {
			return fmt.Errorf("demo returns: order %s: %w", o.ExternalID, err)
		}
		return nil
	}
	return nil
}
