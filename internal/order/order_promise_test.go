package order_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/promise"
	"github.com/shopcare/shopcare/internal/storetest"
)

func msk(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s+"+03:00")
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func wantPromise(t *testing.T, o *order.Order, ship, from, to string) {
	t.Helper()
	p := o.Promise()
	if p.ShipDate != ship || p.DeliveryFrom != from || p.DeliveryTo != to {
		t.Errorf("order %s promise = ship %s, delivery %s – %s; want ship %s, delivery %s – %s",
			o.ExternalID, p.ShipDate, p.DeliveryFrom, p.DeliveryTo, ship, from, to)
	}
}

func TestPromiseAtIntakeAndOnStatusChanges(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, clk := newApp(t, engine, false)
			db := a.DB.Read()

			// Placed Monday 23 Nov 15:00 in Moscow, after the 14:00 cut-off.
			n := sample("P-1", "c-1", "")
			n.Carrier = "courier"
			res, err := a.Orders.Create(ctx, mustNormalize(t, a, n))
			if err != nil {
				t.Fatal(err)
			}
			o, err := order.Get(ctx, db, res.ID)
			if err != nil {
				t.Fatal(err)
			}
			wantPromise(t, o, "2026-11-25", "2026-11-27", "2026-11-27")

			ex, err := a.Orders.Explain(ctx, db, loadFull(t, a, res.ID), i18n.EN)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(ex.Steps, "\n"); !strings.Contains(got, "after the 14:00 cut-off: received Tuesday 24 Nov") ||
				!strings.Contains(got, "Courier 2 days: Friday 27 Nov") {
				t.Errorf("explanation:\n%s", got)
			}

			// Work begins on Thursday: everything moves out a day.
			clk.Set(msk(t, "2026-11-26T10:00:00"))
			if _, err := a.Orders.ChangeStatus(ctx, res.ID, order.StatusUpdate{Status: order.Processing, Source: order.SourceAPI}); err != nil {
				t.Fatal(err)
			}
			o, _ = order.Get(ctx, db, res.ID)
			wantPromise(t, o, "2026-11-27", "2026-11-29", "2026-11-29")

			// Another carrier, on the planned day: the post takes longer.
			clk.Set(msk(t, "2026-11-27T11:00:00"))
			if _, err := a.Orders.ChangeStatus(ctx, res.ID, order.StatusUpdate{Status: order.ReadyToShip, Carrier: "post", Source: order.SourceAPI}); err != nil {
				t.Fatal(err)
			}
			o, _ = order.Get(ctx, db, res.ID)
			wantPromise(t, o, "2026-11-27", "2026-12-02", "2026-12-04")

			// Shipped on Monday, later than planned.
			clk.Set(msk(t, "2026-11-30T12:00:00"))
			if _, err := a.Orders.ChangeStatus(ctx, res.ID, order.StatusUpdate{Status: order.Shipped, Source: order.SourceAPI}); err != nil {
				t.Fatal(err)
			}
			o, _ = order.Get(ctx, db, res.ID)
			wantPromise(t, o, "2026-11-30", "2026-12-05", "2026-12-07")

			changes, err := promise.Changes(ctx, db, res.ID)
			if err != nil {
				t.Fatal(err)
			}
			var reasons []string
			for _, c := range changes {
				reasons = append(reasons, c.Reason)
			}
			if got := strings.Join(reasons, ","); got != "started_late,carrier_changed,shipped_late" {
				t.Errorf("change reasons = %s", got)
			}
			if changes[0].Old.DeliveryTo != "2026-11-27" || changes[0].New.DeliveryTo != "2026-11-29" {
				t.Errorf("first change %+v", changes[0])
			}
			var events int64
			if err := db.QueryRow(ctx, `SELECT COUNT(*) FROM events WHERE order_id = $1 AND kind = 'order.promise_changed'`,
				res.ID).Scan(&events); err != nil || events != 3 {
				t.Errorf("promise_changed events = %d, %v; want 3", events, err)
			}
			ex, err = a.Orders.Explain(ctx, db, loadFull(t, a, res.ID), i18n.RU)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(ex.Steps, "\n"); !strings.Contains(got, "отправлен позже плана: понедельник, 30 ноября") {
				t.Errorf("explanation after the late shipment:\n%s", got)
			}
		})
	}
}

func TestPromiseEarlyWorkKeepsThePromise(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, clk := newApp(t, engine, false)
			res, err := a.Orders.Create(ctx, mustNormalize(t, a, sample("E-1", "c-1", "")))
			if err != nil {
				t.Fatal(err)
			}
			clk.Set(msk(t, "2026-11-24T09:00:00")) // the planned day
			if _, err := a.Orders.ChangeStatus(ctx, res.ID, order.StatusUpdate{Status: order.Processing}); err != nil {
				t.Fatal(err)
			}
			clk.Set(msk(t, "2026-11-24T17:00:00")) // shipped a day early
			if _, err := a.Orders.ChangeStatus(ctx, res.ID, order.StatusUpdate{Status: order.Shipped}); err != nil {
				t.Fatal(err)
			}
			o, _ := order.Get(ctx, a.DB.Read(), res.ID)
			wantPromise(t, o, "2026-11-25", "2026-11-27", "2026-11-27")
			if changes, _ := promise.Changes(ctx, a.DB.Read(), res.ID); len(changes) != 0 {
				t.Errorf("an early shipment changed the promise: %+v", changes)
			}
		})
	}
}

func TestPromiseGivenByTheShop(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, _ := newApp(t, engine, false)
			n := sample("G-1", "c-1", "")
			n.PromisedTo = "2026-11-26"
			res, err := a.Orders.Create(ctx, mustNormalize(t, a, n))
			if err != nil {
				t.Fatal(err)
			}
			o := loadFull(t, a, res.ID)
			if !o.PromiseGiven {
				t.Error("promise_given is false for a promised_to given by the shop")
			}
			wantPromise(t, o, "2026-11-25", "2026-11-26", "2026-11-26")
			ex, err := a.Orders.Explain(ctx, a.DB.Read(), o, i18n.EN)
			if err != nil {
				t.Fatal(err)
			}
			if last := ex.Steps[len(ex.Steps)-1]; last != "the shop set the delivery date: Thursday 26 Nov" {
				t.Errorf("last step = %q", last)
			}
		})
	}
}

func TestPromiseDayOffMovesOpenOrders(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, _ := newApp(t, engine, true)
			finished, cancel := a.Queue.Subscribe()
			defer cancel()
			if err := a.Start(ctx); err != nil {
				t.Fatal(err)
			}
			open, err := a.Orders.Create(ctx, mustNormalize(t, a, sample("D-1", "c-1", "")))
			if err != nil {
				t.Fatal(err)
			}
			shipped, err := a.Orders.Create(ctx, mustNormalize(t, a, sample("D-2", "c-2", "")))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := a.Orders.ChangeStatus(ctx, shipped.ID, order.StatusUpdate{Status: order.Shipped}); err != nil {
				t.Fatal(err)
			}
			_, err = a.Promises.AddDays(ctx, promise.ShopDays{
				From: calendar.MustParseDay("2026-11-25"), To: calendar.MustParseDay("2026-11-26"), Reason: "stocktaking"})
			if err != nil {
				t.Fatal(err)
			}
			apptest.WaitJob(t, finished, promise.RecomputeArgs{}.Kind())

			o, _ := order.Get(ctx, a.DB.Read(), open.ID)
			wantPromise(t, o, "2026-11-27", "2026-11-29", "2026-11-29")
			o, _ = order.Get(ctx, a.DB.Read(), shipped.ID)
			wantPromise(t, o, "2026-11-25", "2026-11-27", "2026-11-27")
			changes, err := promise.Changes(ctx, a.DB.Read(), open.ID)
			if err != nil || len(changes) != 1 || changes[0].Reason != promise.ReasonDayOff ||
				!strings.Contains(changes[0].Detail, "stocktaking") {
				t.Errorf("changes = %+v, %v", changes, err)
			}
			ex, err := a.Orders.Explain(ctx, a.DB.Read(), loadFull(t, a, open.ID), i18n.EN)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(ex.Steps, "\n"); !strings.Contains(got, "(stocktaking)") {
				t.Errorf("the explanation does not tell of the stocktaking:\n%s", got)
			}
		})
	}
}

// loadFull loads the order with its items, status history and customer.
func loadFull(t *testing.T, a *app.App, id int64) *order.Order {
	t.Helper()
	o, err := order.Get(context.Background(), a.DB.Read(), id)
	if err != nil {
		t.Fatal(err)
	}
	return o
}
