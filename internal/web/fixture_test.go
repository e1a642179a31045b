package web_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/web"
)

// env is a started App with the web handler behind a test server.
type env struct {
	app   *app.App
	clock *clock.Fake
	srv   *httptest.Server
}

func newEnv(t *testing.T, engine store.Engine) *env {
	t.Helper()
	a, clk := apptest.New(t, engine, false)
	if err := a.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(web.New(a))
	t.Cleanup(srv.Close)
	return &env{app: a, clock: clk, srv: srv}
}

// msk is a time in Moscow, the default shop's time zone.
func msk(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s+"+03:00")
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// tokens are the tracking tokens of the orders placed by placeOrders.
type tokens struct {
	making    string // ru, made to order, courier, work began late
	shipped   string // ru, courier, began and shipped late
	new       string // L-7: lv, stock goods by post, placed this morning
	cancelled string // E-3: en, cancelled
	delivered string // D-5: en, courier, delivered on time
}

// placeOrders places the test orders through a.Orders, the way the API
// does, and walks them through their statuses on the fake clock, which it
// leaves on Tuesday 1 December 2026, 12:00 in Moscow.
func placeOrders(t *testing.T, e *env) tokens {
	t.Helper()
	ctx := context.Background()
	create := func(n order.NewOrder) int64 {
		t.Helper()
		if err := order.Normalize(&n, e.app.Settings, order.APIFields); err != nil {
			t.Fatalf("normalize %s: %v", n.ExternalID, err)
		}
		res, err := e.app.Orders.Create(ctx, n)
		if err != nil {
			t.Fatalf("create %s: %v", n.ExternalID, err)
		}
		return res.ID
	}
	move := func(id int64, at string, u order.StatusUpdate) {
		t.Helper()
		e.clock.Set(msk(t, at))
		u.Source = order.SourceAPI
		if _, err := e.app.Orders.ChangeStatus(ctx, id, u); err != nil {
			t.Fatalf("order %d to %s: %v", id, u.Status, err)
		}
	}
	token := func(id int64) string {
		t.Helper()
		o, err := order.Get(ctx, e.app.DB.Read(), id)
		if err != nil || o.TrackingToken == "" {
			t.Fatalf("order %d: token %q, %v", id, o.TrackingToken, err)
		}
		return o.TrackingToken
	}
	andrei := customer.Input{ExternalID: "c-1", Name: "Андрей Петров", Email: "andrei@example.com",
		Phone: "+7 916 123-45-67", Language: "ru", City: "Тверь"}

	// Monday 23 November, 15:00 in Moscow: after the 14:00 cut-off.
	r1 := create(order.NewOrder{
		ExternalID: "R-1", Customer: andrei, Carrier: "courier",
		Items: []order.Item{{SKU: "POT-1", Name: "Кастрюля", Qty: 1, PriceMinor: 249000, MadeToOrder: true, ProductionDays: 2,
			VariantID: "44102623193251"}},
	})
	r2 := create(order.NewOrder{
		ExternalID: "R-2", Customer: andrei, Carrier: "courier",
		Items: []order.Item{{SKU: "PAN", Name: "Сковородка", Qty: 1, PriceMinor: 99000}},
	})
	e3 := create(order.NewOrder{
		ExternalID: "E-3", Carrier: "courier",
		Customer: customer.Input{ExternalID: "c-3", Email: "sam@example.com", Language: "en"},
		Items:    []order.Item{{SKU: "LID", Name: "Lid", Qty: 1, PriceMinor: 990}},
	})

	d5 := create(order.NewOrder{
		ExternalID: "D-5", Carrier: "courier",
		Customer: customer.Input{ExternalID: "c-5", Name: "Sam Lee", Email: "sam.lee@example.com", Language: "en-GB"},
		Items:    []order.Item{{SKU: "LID", Name: "Lid", Qty: 2, PriceMinor: 990}},
	})

	move(e3, "2026-11-24T09:30:00", order.StatusUpdate{Status: order.Cancelled})
	move(d5, "2026-11-25T11:00:00", order.StatusUpdate{Status: order.Shipped, TrackingNumber: "CR-77"})
	move(r2, "2026-11-26T10:00:00", order.StatusUpdate{Status: order.Processing})
	move(d5, "2026-11-26T18:10:00", order.StatusUpdate{Status: order.Delivered})
	move(r1, "2026-11-27T10:00:00", order.StatusUpdate{Status: order.Processing})
	move(r2, "2026-11-30T12:00:00", order.StatusUpdate{Status: order.Shipped, TrackingNumber: "RA123456789RU"})

	// Tuesday 1 December, 10:00: before the cut-off.
	e.clock.Set(msk(t, "2026-12-01T10:00:00"))
	l7 := create(order.NewOrder{
		ExternalID: "L-7", Carrier: "post",
		Customer: customer.Input{ExternalID: "c-2", Name: "Līga", Email: "liga@example.lv", Phone: "+371 2612 3456",
			Language: "lv-LV", Country: "LV"},
		Items: []order.Item{{SKU: "PAN", Name: "Panna", Qty: 1, PriceMinor: 3900}},
	})
	e.clock.Set(msk(t, "2026-12-01T12:00:00"))
	return tokens{making: token(r1), shipped: token(r2), new: token(l7), cancelled: token(e3), delivered: token(d5)}
}
