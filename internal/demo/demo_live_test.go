package demo_test

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/demo"
	"github.com/shopcare/shopcare/internal/inbox"
	"github.com/shopcare/shopcare/internal/loyalty"
	"github.com/shopcare/shopcare/internal/notify/smtptest"
	"github.com/shopcare/shopcare/internal/playbook"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// step is one status change of a live order.
type step struct {
	order    int64
	to       string
	at       time.Time
	carrier  string
	tracking string
}

// liveSteps lists the status changes of the orders taken in through the
// intake, order by order, in the order they happened.
func liveSteps(t *testing.T, a *app.App) map[int64][]step {
	t.Helper()
	rows, err := a.DB.Read().Query(context.Background(), `SELECT h.order_id, h.to_status, h.at, o.carrier, o.tracking_number
		FROM order_status_history h JOIN orders o ON o.id = h.order_id WHERE NOT o.history ORDER BY h.id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64][]step{}
	for rows.Next() {
		var s step
		if err := rows.Scan(&s.order, &s.to, &s.at, &s.carrier, &s.tracking); err != nil {
			t.Fatal(err)
		}
		out[s.order] = append(out[s.order], s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestLivePlaysTheShopsDays(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			ctx := context.Background()
			mail := smtptest.Start(t) // the operator's answers go out by e-mail
			t.Setenv("SHOPCARE_SMTP_URL", mail.URL())
			t.Setenv("SHOPCARE_SMTP_FROM", "shop@demo.example")
			a, clk := shop(t, engine, "lv", false)
			start := clk.Now()
			if _, err := demo.Seed(ctx, a, rand.New(rand.NewPCG(5, 6)), start, demo.Options{Customers: 100, Recent: 8}); err != nil {
				t.Fatal(err)
			}
			const stall = 24 * time.Hour
			live, err := demo.NewLive(ctx, a, rand.New(rand.NewPCG(7, 8)), demo.LiveOptions{StallAfter: stall})
			if err != nil {
				t.Fatal(err)
			}
			// Six shop days, an hour a step, as Run would at a coarser tick.
			var total demo.StepReport
			for h := 1; h <= 6*24; h++ {
				now := clk.Advance(time.Hour)
				rep, err := live.Step(ctx, now)
				if err != nil {
					t.Fatalf("step at %v: %v", now, err)
				}
				total.Placed += rep.Placed
				total.Advanced += rep.Advanced
				total.Shipped += rep.Shipped
				total.AtPickup += rep.AtPickup
				total.Delivered += rep.Delivered
				total.Compensated += rep.Compensated
				if h == 30 {
					if again, err := live.Step(ctx, now); err != nil || again.Placed != 0 {
						t.Errorf("a second step at the same time placed %d orders (%v)", again.Placed, err)
					}
				}
			}
			end := clk.Now()
			t.Logf("six shop days: %+v", total)

			// Orders arrive, a few an hour, in the shop's rhythm.
			if total.Placed < 100 || total.Placed > 190 {
				t.Errorf("%d orders in six days, want about 24 a day", total.Placed)
			}
			if got := count(t, a, `SELECT COUNT(*) FROM orders WHERE NOT history`); got != int64(8+total.Placed) {
				t.Errorf("%d live orders stored, want 8 open ones and %d placed", got, total.Placed)
			}
			// About half of them came as the WooCommerce site's signed
			// webhooks, every one applied.
			sts, err := a.Connectors.Status(ctx)
			if err != nil || len(sts) != 1 {
				t.Fatalf("connectors: %+v, %v", sts, err)
			}
			site := sts[0].Counts
			if site[connector.StateApplied] < int64(total.Placed)/4 || site[connector.StateApplied] != site[connector.StateApplied]+site[connector.StateFailed]+site[connector.StateRejected]+site[connector.StateReceived] {
				t.Errorf("the site's deliveries: %v, want about half of %d orders, all applied (%v)", site, total.Placed, sts[0].LastProblem)
			}
			if got, want := count(t, a, `SELECT COUNT(*) FROM orders WHERE external_id LIKE 'site:%'`),
				count(t, a, `SELECT COUNT(*) FROM connector_deliveries WHERE state = 'applied' AND event <> 'stock_changed'`); got != want {
				t.Errorf("%d orders from the site for %d applied order deliveries", got, want)
			}
			// Customers wrote to the shop about their orders, a few a day,
			// and the operator answered them in working hours.
			convs, _, err := a.Inbox.List(ctx, inbox.Filter{Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			answered, withOrder := 0, 0
			for _, c := range convs {
				if c.FirstRespondedAt != nil {
					answered++
				}
				if c.OrderID != 0 {
					withOrder++
				}
			}
			if len(convs) < 6 || answered < len(convs)/2 || withOrder < len(convs)/2 {
				t.Errorf("%d conversations in six days, %d answered, %d about an order: want a few a day, most answered and about their order",
					len(convs), answered, withOrder)
			}
			loc := a.Settings.Shop.Location()
			var evening, night int
			for _, at := range placed(t, a, start) {
				switch h := at.In(loc).Hour(); {
				case h >= 18 && h < 22:
					evening++
				case h < 6:
					night++
				}
			}
			if evening < 4*night || evening == 0 {
				t.Errorf("%d orders between 18:00 and 22:00, %d between midnight and 06:00: want the evening busier", evening, night)
			}
			// They went in through the intake: the playbook gives each a call-back.
			if _, err := a.Dispatcher.Drain(ctx); err != nil {
				t.Fatal(err)
			}
			if got := count(t, a, `SELECT COUNT(DISTINCT t.order_id) FROM tasks t JOIN orders o ON o.id = t.order_id
				WHERE NOT o.history AND t.kind = 'callback'`); got != int64(8+total.Placed) {
				t.Errorf("%d live orders with a call-back, want all %d", got, 8+total.Placed)
			}

			// And they move on: the carriers take and deliver, orders left
			// alone are moved on after StallAfter.
			if total.Shipped < 40 || total.Delivered < 20 || total.AtPickup < 10 || total.Advanced < 40 {
				t.Errorf("moves in six days %+v: want parcels shipped, at pickup points, delivered, and stalled orders moved on", total)
			}
			checkJourneys(t, a, liveSteps(t, a), start, end)
			stale := count(t, a, `SELECT COUNT(*) FROM orders o WHERE NOT o.history AND o.status IN ('new', 'processing')
				AND NOT EXISTS (SELECT 1 FROM order_status_history h WHERE h.order_id = o.id AND h.at >= $1)`, end.Add(-stall))
			if stale != 0 {
				t.Errorf("%d orders untouched for over %v", stale, stall)
			}
			checkLiveLoyalty(t, a, total)
		})
	}
}

// checkLiveLoyalty checks that the live shop moves the loyalty program
// through its normal paths: delivered orders earn, friends bring friends,
// customers spend points and the welcome code, late parcels are made up
// for, and customers are told (points_credited).
func checkLiveLoyalty(t *testing.T, a *app.App, total demo.StepReport) {
	t.Helper()
	if err := loyalty.Audit(context.Background(), a.DB.Read()); err != nil {
		t.Error(err)
	}
	for name, query := range map[string]string{
		"accruals for delivered orders": `SELECT COUNT(*) FROM loyalty_transactions t JOIN orders o ON o.id = t.order_id
			WHERE t.kind = 'accrual' AND o.status = 'delivered' AND NOT o.history`,
		"first-order bonuses":           `SELECT COUNT(*) FROM loyalty_transactions WHERE kind = 'bonus' AND reason = 'first_order'`,
		"customers brought by a friend": `SELECT COUNT(*) FROM loyalty_accounts WHERE referred_by IS NOT NULL`,
		"orders with a referral code":   `SELECT COUNT(*) FROM orders WHERE referral_code <> ''`,
		"redemptions":                   `SELECT COUNT(*) FROM loyalty_transactions WHERE kind = 'redemption'`,
		"welcome coupon uses":           `SELECT COUNT(*) FROM coupon_redemptions`,
		"live customers with a birthday": `SELECT COUNT(DISTINCT c.id) FROM customers c JOIN orders o ON o.customer_id = c.id
			WHERE NOT o.history AND c.birthday IS NOT NULL`,
		"points_credited messages": `SELECT COUNT(*) FROM messages WHERE template = 'points_credited'`,
	} {
		n := count(t, a, query)
		t.Logf("%s: %d", name, n)
		if n == 0 {
			t.Errorf("no %s", name)
		}
	}
	// A few parcels a week come late; each late one is made up for once,
	// and the customer is told.
	if n := count(t, a, `SELECT COUNT(*) FROM loyalty_transactions WHERE kind = 'compensation' AND source = 'compensation'`); n != int64(total.Compensated) {
		t.Errorf("%d compensations in the ledger, the steps made %d", n, total.Compensated)
	}
	if n := count(t, a, `SELECT COUNT(*) FROM loyalty_transactions t WHERE t.kind = 'compensation' AND NOT EXISTS
		(SELECT 1 FROM messages m WHERE m.template = 'late_apology' AND m.order_id = t.order_id)`); n != 0 {
		t.Errorf("%d compensations nobody was told of", n)
	}
}

// checkJourneys checks every live order's steps: in time order, none in
// the future; parcels handed to carriers in working hours (after from,
// when the live shop plays the carriers) and delivered after they left, in
// the daytime; pickup carriers' parcels through a pickup point.
func checkJourneys(t *testing.T, a *app.App, journeys map[int64][]step, from, now time.Time) {
	t.Helper()
	loc := a.Settings.Shop.Location()
	var pickedUp int
	for id, steps := range journeys {
		var shipped time.Time
		for i, s := range steps {
			if s.at.After(now) {
				t.Errorf("order %d: %s at %v, after now %v", id, s.to, s.at, now)
			}
			if i > 0 && s.at.Before(steps[i-1].at) {
				t.Errorf("order %d: %s at %v before %s at %v", id, s.to, s.at, steps[i-1].to, steps[i-1].at)
			}
			l := s.at.In(loc)
			switch s.to {
			case "shipped":
				shipped = s.at
				if s.tracking == "" || s.carrier == "" {
					t.Errorf("order %d shipped without carrier or tracking number", id)
				}
				if h := l.Hour(); s.at.After(from) && (h < 9 || h >= 18 || l.Weekday() == time.Saturday || l.Weekday() == time.Sunday) {
					t.Errorf("order %d collected by the carrier at %v, outside working hours", id, l)
				}
			case "ready_for_pickup", "delivered":
				if h := l.Hour(); h < 8 || h >= 22 {
					t.Errorf("order %d %s at %v, at night", id, s.to, l)
				}
				if !shipped.IsZero() && !l.After(shipped) {
					t.Errorf("order %d %s at %v, not after it was shipped at %v", id, s.to, l, shipped)
				}
				if s.to == "ready_for_pickup" {
					pickedUp++
				}
				if c, _ := a.Settings.Carrier(s.carrier); s.to == "delivered" && c.PickupHoldDays > 0 && steps[i-1].to != "ready_for_pickup" {
					t.Errorf("order %d by %s delivered without waiting at a pickup point", id, s.carrier)
				}
			}
		}
	}
	if pickedUp == 0 {
		t.Error("no parcel waited at a pickup point")
	}
}

// placed lists when the orders placed after start were placed.
func placed(t *testing.T, a *app.App, after time.Time) []time.Time {
	t.Helper()
	rows, err := a.DB.Read().Query(context.Background(), `SELECT placed_at FROM orders WHERE placed_at > $1`, after)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []time.Time
	for rows.Next() {
		var at time.Time
		if err := rows.Scan(&at); err != nil {
			t.Fatal(err)
		}
		out = append(out, at)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestLiveRunStepsOnTheClockAndStops(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a, clk := shop(t, store.SQLite, "lv", false)
	steps := make(chan demo.StepReport, 100)
	live, err := demo.NewLive(ctx, a, rand.New(rand.NewPCG(1, 1)), demo.LiveOptions{Tick: time.Millisecond,
		OrdersPerDay: 200, OnStep: func(_ time.Time, rep demo.StepReport) {
			select {
			case steps <- rep:
			default:
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	clk.Advance(12 * time.Hour) // half a day of a busy shop is due at the first tick
	done := make(chan struct{})
	go func() {
		defer close(done)
		live.Run(ctx)
	}()
	select {
	case rep := <-steps:
		if rep.Placed == 0 {
			t.Errorf("the first step placed nothing of half a day's orders")
		}
	case <-time.After(30 * time.Second): // a safety net, not a wait
		t.Fatal("Run took no step")
	}
	cancel()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Run did not stop when its context ended")
	}
	if n := count(t, a, `SELECT COUNT(*) FROM orders`); n == 0 {
		t.Error("Run stored no order")
	}
}

// TestLiveMakesUpForLateParcels: a parcel that arrives after its promised
// window gets the operator's compensation, in the customer's language,
// once, and the customer is told.
func TestLiveMakesUpForLateParcels(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, clk := shop(t, store.SQLite, "lv", false)
	if _, err := demo.Seed(ctx, a, rand.New(rand.NewPCG(5, 6)), clk.Now(), demo.Options{Customers: 30, Recent: 4}); err != nil {
		t.Fatal(err)
	}
	// The parcel on its way was promised for three days ago: past the
	// grace, it is late at the first step, whenever it arrives.
	overdue := clk.Now().In(a.Settings.Shop.Location()).AddDate(0, 0, -3).Format(time.DateOnly)
	var late int64
	err := a.DB.InTx(ctx, func(tx *store.Tx) error {
		err := tx.QueryRow(ctx, `SELECT id FROM orders WHERE NOT history AND status = 'shipped' ORDER BY id LIMIT 1`).Scan(&late)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE orders SET delivery_from = $2, promised_to = $2 WHERE id = $1`, late, overdue)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	live, err := demo.NewLive(ctx, a, rand.New(rand.NewPCG(1, 2)), demo.LiveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	compensated := 0
	for range 4 * 24 {
		rep, err := live.Step(ctx, clk.Advance(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		compensated += rep.Compensated
	}
	if _, err := a.Dispatcher.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	var points int64
	var reason, actor string
	err = a.DB.Read().QueryRow(ctx, `SELECT points, reason, actor FROM loyalty_transactions
		WHERE order_id = $1 AND kind = 'compensation' AND source = 'compensation'`, late).Scan(&points, &reason, &actor)
	if err != nil {
		t.Fatalf("no compensation for the late order %d: %v", late, err)
	}
	if points != a.Settings.Compensation.BonusPoints || reason != playbook.LateReason || actor != "playbook:late_apology" {
		t.Errorf("compensation of %d points for %q by %q; want %d for %q by the playbook", points, reason, actor,
			a.Settings.Compensation.BonusPoints, playbook.LateReason)
	}
	if n := count(t, a, `SELECT COUNT(*) FROM tasks WHERE order_id = $1 AND kind = 'find_parcel' AND status = 'open'`, late); n != 1 {
		t.Errorf("%d open find_parcel tasks for the late order, want 1", n)
	}
	if n := count(t, a, `SELECT COUNT(*) FROM loyalty_transactions WHERE kind = 'compensation'`); n != int64(compensated) || n == 0 {
		t.Errorf("%d compensations in the ledger, the steps reported %d", n, compensated)
	}
	if n := count(t, a, `SELECT COUNT(*) FROM messages WHERE order_id = $1 AND template = 'late_apology'`, late); n != 1 {
		t.Errorf("%d apologies for the late order, want 1", n)
	}
}
