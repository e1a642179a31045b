package demo

import (
	"bytes"
	"context"
	"fmt"

	"github.com/shopcare/shopcare/internal/actionlog"
	"github.com/shopcare/shopcare/internal/analytics"
	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/loyalty"
	"github.com/shopcare/shopcare/internal/order"
)

// DemoOwner is the owner the demo acts as in the log of admin actions.
const DemoOwner = "owner@demo.shop"

// demoGiftReason is why the demo's owner gives points by hand.
var demoGiftReason = map[i18n.Lang]string{
	i18n.RU: "Подарок за долгое ожидание",
	i18n.LV: "Dāvana par ilgo gaidīšanu",
	i18n.EN: "A gift for the long wait",
}

// Actions does, as the demo's owner, what an owner does in the admin,
// through the same services, so that the log of admin actions (/actions)
// has something to show: points given by hand to two customers and the
// champions exported for a mailing. It runs once per shop: a log that
// has lines already is left alone.
func Actions(ctx context.Context, a *app.App) error {
	have, _, err := a.Actions.List(ctx, actionlog.Filter{Limit: 1})
	if err != nil || len(have) > 0 {
		return err
	}
	ctx = actionlog.WithActor(ctx, actionlog.Actor{Kind: actionlog.ActorUser, Name: DemoOwner, Addr: "127.0.0.1",
		ShopNow: a.Clock.Now})
	orders, _, err := a.Orders.List(ctx, order.ListFilter{Status: order.Delivered, Limit: 20})
	if err != nil {
		return fmt.Errorf("demo actions: %w", err)
	}
	reason := demoGiftReason[i18n.Pick(auditShopLanguage(a), i18n.EN)]
	given := map[int64]bool{}
	for _, o := range orders {
		if given[o.CustomerID] || len(given) == 2 {
			continue
		}
		given[o.CustomerID] = true
		if _, err := a.Loyalty.Grant(ctx, loyalty.GrantRequest{CustomerID: o.CustomerID, OrderID: o.ID,
			Grant: config.Grant{Points: 200, Reason: reason}, Source: loyalty.FromOperator, Actor: DemoOwner}); err != nil {
			return fmt.Errorf("demo actions: grant to customer %d: %w", o.CustomerID, err)
		}
	}
	var file bytes.Buffer
	if err := a.Analytics.WriteSegmentCSV(ctx, analytics.SegmentChampions, &file); err != nil {
		return fmt.Errorf("demo actions: export champions: %w", err)
	}
	rows := max(0, bytes.Count(file.Bytes(), []byte{'\n'})-1)
	return a.Actions.Record(ctx, actionlog.Entry{Action: actionlog.CustomersExported, TargetKind: actionlog.TargetSegment,
		TargetID: analytics.SegmentChampions, Detail: map[string]any{"rows": rows, "list": "segment"}})
}
