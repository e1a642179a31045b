package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/experience"
	"github.com/shopcare/shopcare/internal/order"
)

// seedExperiences gives the negative-experience register the history's
// bad moments. The history is imported with its orders already in their
// last status, so no order.late or status change passes through the
// journal for it (the recent orders, the inbox's overdue conversations
// and the surveys' low scores do, and the register records them as the
// shop runs): the history's late deliveries and cancelled orders are
// recorded here, as history (no service-recovery task), with a missed
// call-back now and then.
func seedExperiences(ctx context.Context, a *app.App, rnd *rand.Rand, until time.Time) error {
	loc := a.Settings.Shop.Location()
	var entries []experience.Entry
	each := func(f order.ListFilter, fn func(order.ListItem)) error {
		f.Limit = 500
		for {
			page, more, err := a.Orders.List(ctx, f)
			if err != nil {
				return err
			}
			for _, o := range page {
				fn(o)
			}
			if !more || len(page) == 0 {
				return nil
			}
			f.After = page[len(page)-1].Cursor()
		}
	}
	ref := func(o order.ListItem) string { return "order:" + strconv.FormatInt(o.ID, 10) }
	err := each(order.ListFilter{State: order.Broken, To: until}, func(o order.ListItem) {
		promised, err1 := calendar.ParseDay(o.PromisedTo)
		delivered, err2 := calendar.ParseDay(o.DeliveredOn)
		if err1 != nil || err2 != nil || delivered <= promised {
			return
		}
		at := delivered.Time(loc).Add(10 * time.Hour)
		entries = append(entries, experience.Entry{CustomerID: o.CustomerID, OrderID: o.ID, Kind: experience.LateDelivery,
			Ref: ref(o), At: at, History: true,
			Detail: fmt.Sprintf("days_late=%d;promised_to=%s", int(delivered-promised), o.PromisedTo)})
	})
	if err != nil {
		return fmt.Errorf("demo history: late orders: %w", err)
	}
	err = each(order.ListFilter{Status: order.Cancelled, To: until}, func(o order.ListItem) {
		// About two in five cancellations were the shop's (out of stock,
		// no answer to the confirming call); the rest the customers'.
		if rnd.IntN(5) >= 2 {
			return
		}
		entries = append(entries, experience.Entry{CustomerID: o.CustomerID, OrderID: o.ID, Kind: experience.CancelledByShop,
			Ref: ref(o), At: o.UpdatedAt, History: true, Detail: "from=new;source=admin"})
	})
	if err != nil {
		return fmt.Errorf("demo history: cancelled orders: %w", err)
	}
	err = each(order.ListFilter{Status: order.Delivered, To: until}, func(o order.ListItem) {
		if rnd.IntN(60) != 0 {
			return
		}
		entries = append(entries, experience.Entry{CustomerID: o.CustomerID, OrderID: o.ID, Kind: experience.MissedCallback,
			Ref: "history:" + ref(o), At: o.PlacedAt.Add(2 * time.Hour), History: true, Detail: experience.CauseMissedCallback})
	})
	if err != nil {
		return fmt.Errorf("demo history: call-backs: %w", err)
	}
	for len(entries) > 0 {
		n := min(len(entries), 1000)
		if _, err := a.Experiences.Record(ctx, entries[:n]...); err != nil {
			return fmt.Errorf("demo history: negative experiences: %w", err)
		}
		entries = entries[n:]
	}
	return nil
}
