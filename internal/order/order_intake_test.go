package order_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

func newApp(t *testing.T, engine store.Engine, work bool) (*app.App, *clock.Fake) {
	t.Helper()
	return apptest.New(t, engine, work)
}

func mustNormalize(t *testing.T, a *app.App, n order.NewOrder) order.NewOrder {
	t.Helper()
	if err := order.Normalize(&n, a.Settings, order.APIFields); err != nil {
		t.Fatalf("normalize %s: %v", n.ExternalID, err)
	}
	return n
}

func sample(ext, customerExt, email string) order.NewOrder {
	return order.NewOrder{
		ExternalID: ext,
		Customer:   customer.Input{ExternalID: customerExt, Email: email, Name: "Андрей", Phone: "+7 916 123-45-67"},
		Items:      []order.Item{{SKU: "POT-1", Name: "Кастрюля", Qty: 2, PriceMinor: 150000}},
	}
}

func TestIntake(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, _ := newApp(t, engine, false)

			first, err := a.Orders.Create(ctx, mustNormalize(t, a, sample("A-1", "c-1", "andrei@example.com")))
			if err != nil || !first.Created {
				t.Fatalf("create: %+v, %v", first, err)
			}
			again, err := a.Orders.Create(ctx, mustNormalize(t, a, sample("A-1", "c-1", "andrei@example.com")))
			if err != nil || again.Created || again.ID != first.ID {
				t.Fatalf("retry: %+v, %v; want the same order %d, not created", again, err, first.ID)
			}
			other := sample("A-1", "c-1", "andrei@example.com")
			other.Items[0].Qty = 5
			if _, err := a.Orders.Create(ctx, mustNormalize(t, a, other)); !errors.Is(err, order.ErrIdempotencyConflict) {
				t.Fatalf("reused external id: err = %v, want ErrIdempotencyConflict", err)
			}

			// A guest with the same e-mail is the same customer; a new
			// external id with that e-mail is another one.
			guest, err := a.Orders.Create(ctx, mustNormalize(t, a, sample("A-2", "", "ANDREI@example.com")))
			if err != nil || guest.CustomerID != first.CustomerID {
				t.Fatalf("guest by e-mail: %+v, %v; want customer %d", guest, err, first.CustomerID)
			}
			stranger, err := a.Orders.Create(ctx, mustNormalize(t, a, sample("A-3", "c-2", "andrei@example.com")))
			if err != nil || stranger.CustomerID == first.CustomerID {
				t.Fatalf("other external id: %+v, %v; want a new customer", stranger, err)
			}

			o, err := order.Get(ctx, a.DB.Read(), first.ID)
			if err != nil {
				t.Fatal(err)
			}
			if o.TotalMinor != 300000 || o.Currency != "RUB" || o.Status != order.New || len(o.Items) != 1 ||
				len(o.StatusHistory) != 1 || o.Customer.Phone != "+79161234567" || o.Customer.Timezone != "Europe/Moscow" {
				t.Errorf("stored order = %+v, customer %+v", o, o.Customer)
			}

			if n, err := a.Dispatcher.Drain(ctx); err != nil || n != 3 {
				t.Fatalf("drain = %d, %v; want 3 events", n, err)
			}
			c, err := customer.Get(ctx, a.DB.Read(), first.CustomerID)
			if err != nil || c.OrdersCount != 2 || c.SpentMinor != 600000 {
				t.Fatalf("customer projection = %+v, %v; want 2 orders, 6000.00 spent", c, err)
			}
		})
	}
}

func TestBatchWithRepeats(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, _ := newApp(t, engine, false)
			batch := []order.NewOrder{
				mustNormalize(t, a, sample("B-1", "c-1", "")),
				mustNormalize(t, a, sample("B-2", "c-1", "")),
				mustNormalize(t, a, sample("B-1", "c-1", "")),
			}
			var results []order.Result
			err := a.DB.InTx(ctx, func(tx *store.Tx) error {
				var err error
				results, err = a.Orders.CreateBatch(ctx, tx, batch, order.SourceImport)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if !results[0].Created || !results[1].Created || results[2].Created || results[2].ID != results[0].ID {
				t.Fatalf("results = %+v", results)
			}
			if results[0].CustomerID != results[1].CustomerID {
				t.Fatalf("one customer expected: %+v", results)
			}
		})
	}
}

func TestChangeStatus(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, clk := newApp(t, engine, false)
			res, err := a.Orders.Create(ctx, mustNormalize(t, a, sample("S-1", "c-1", "")))
			if err != nil {
				t.Fatal(err)
			}
			steps := []struct {
				to      order.Status
				changed bool
				err     bool
			}{
				{order.Processing, true, false},
				{order.Processing, false, false},
				{order.New, false, true},
				{order.Shipped, true, false},
				{order.Cancelled, false, true},
				{order.Delivered, true, false},
				{order.New, false, true},
			}
			for _, st := range steps {
				clk.Advance(time.Hour)
				changed, err := a.Orders.ChangeStatus(ctx, res.ID, order.StatusUpdate{Status: st.to, Source: order.SourceAPI})
				var te *order.TransitionError
				if changed != st.changed || (err != nil) != st.err || err != nil && !errors.As(err, &te) {
					t.Fatalf("to %s: changed %v, err %v", st.to, changed, err)
				}
			}
			o, err := order.Get(ctx, a.DB.Read(), res.ID)
			if err != nil {
				t.Fatal(err)
			}
			if o.Status != order.Delivered || o.DeliveredOn != "2026-11-23" || len(o.StatusHistory) != 4 {
				t.Errorf("order = %s delivered on %q, %d steps", o.Status, o.DeliveredOn, len(o.StatusHistory))
			}
			if _, err := a.Orders.ChangeStatus(ctx, 999999, order.StatusUpdate{Status: order.Shipped}); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("missing order: %v", err)
			}
			if n, err := journal.Pending(ctx, a.DB.Read()); err != nil || n != 4 {
				t.Errorf("pending events = %d, %v; want 4", n, err)
			}
		})
	}
}

func TestPromiseDueRunsOnTheInjectedClock(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, clk := newApp(t, engine, true)
			finished, cancel := a.Queue.Subscribe()
			defer cancel()
			if err := a.Start(ctx); err != nil {
				t.Fatal(err)
			}

			n := sample("P-1", "c-1", "")
			n.PromisedTo = "2026-11-26"
			res, err := a.Orders.Create(ctx, mustNormalize(t, a, n))
			if err != nil {
				t.Fatal(err)
			}
			clk.Set(time.Date(2026, 11, 26, 7, 0, 0, 0, time.UTC)) // 10:00 in Moscow
			for {
				select {
				case ev := <-finished:
					if ev.Job.Kind == (order.PromiseDueArgs{}).Kind() {
						var count int64
						err := a.DB.Read().QueryRow(ctx, `SELECT COUNT(*) FROM events WHERE order_id = $1 AND kind = 'order.promise_due'`, res.ID).Scan(&count)
						if err != nil || count != 1 {
							t.Fatalf("promise_due events = %d, %v", count, err)
						}
						return
					}
				case <-time.After(30 * time.Second):
					t.Fatal("the promise-due job did not run after the clock passed its day")
				}
			}
		})
	}
}

// A day's orders share one promise-due job (issue 22: not one a order),
// and when it runs each of them is told once.
func TestPromiseDueOneJobADay(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, clk := newApp(t, engine, true)
			finished, cancel := a.Queue.Subscribe()
			defer cancel()
			if err := a.Start(ctx); err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for i, day := range []string{"2026-11-26", "2026-11-26", "2026-11-27", "2026-11-26"} {
				n := sample(fmt.Sprintf("D-%d", i), fmt.Sprintf("c-%d", i), "")
				n.PromisedTo = day
				res, err := a.Orders.Create(ctx, mustNormalize(t, a, n))
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, res.ID)
			}
			var days []string
			err := store.Each(ctx, a.DB.Read(), `SELECT CAST(args AS TEXT) FROM river_job WHERE kind = $1 ORDER BY id`,
				[]any{order.PromiseDueArgs{}.Kind()}, func(r store.Rows) error {
					var args string
					if err := r.Scan(&args); err != nil {
						return err
					}
					days = append(days, args)
					return nil
				})
			if err != nil || len(days) != 2 {
				t.Fatalf("promise-due jobs = %q, %v; want one for each of the two days", days, err)
			}
			clk.Set(time.Date(2026, 11, 26, 7, 0, 0, 0, time.UTC)) // 10:00 in Moscow
			for ran := false; !ran; {
				select {
				case ev := <-finished:
					ran = ev.Job.Kind == (order.PromiseDueArgs{}).Kind()
				case <-time.After(30 * time.Second):
					t.Fatal("the promise-due job did not run after the clock passed its day")
				}
			}
			for i, id := range ids {
				want := int64(1)
				if i == 2 {
					want = 0 // promised for the day after
				}
				var count int64
				err := a.DB.Read().QueryRow(ctx, `SELECT COUNT(*) FROM events WHERE order_id = $1 AND kind = 'order.promise_due'`, id).Scan(&count)
				if err != nil || count != want {
					t.Errorf("order %d: promise_due events = %d, %v; want %d", i, count, err, want)
				}
			}
		})
	}
}
