package demo_test

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/demo"
	"github.com/shopcare/shopcare/internal/packing"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestLiveStaffKeepTheQueuesShort plays the live demo for ten shop days
// on a fake clock, a step every 20 shop minutes with the playbook's work
// done in between as serve's workers do it, and watches the call-back
// queue and the packing station at every step: the demo's operator and
// packer work them, so few call-backs are ever overdue, none by more than
// hours, and nothing waits to be packed for days.
func TestLiveStaffKeepTheQueuesShort(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, clk := shop(t, engine, "lv", false)
			if _, err := demo.Seed(ctx, a, rand.New(rand.NewPCG(11, 12)), clk.Now(), demo.Options{Customers: 100, Recent: 8}); err != nil {
				t.Fatal(err)
			}
			live, err := demo.NewLive(ctx, a, rand.New(rand.NewPCG(13, 14)), demo.LiveOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var total demo.StepReport
			var open, overdue int
			var worst, oldestPacking time.Duration
			const days, step = 10, 20 * time.Minute
			for i := 1; i <= days*24*3; i++ {
				now := clk.Advance(step)
				rep, err := live.Step(ctx, now)
				if err != nil {
					t.Fatalf("step at %v: %v", now, err)
				}
				if _, err := a.Dispatcher.Drain(ctx); err != nil {
					t.Fatal(err)
				}
				total.Placed += rep.Placed
				total.Advanced += rep.Advanced
				total.Reached += rep.Reached
				total.NoAnswer += rep.NoAnswer
				total.WrongNumber += rep.WrongNumber
				total.Packed += rep.Packed
				queue, err := a.Callbacks.Queue(ctx, 1000)
				if err != nil {
					t.Fatal(err)
				}
				open += len(queue)
				for _, it := range queue {
					if it.Overdue {
						overdue++
						worst = max(worst, -it.Left)
					}
				}
				waiting, err := packing.Queue(ctx, a.DB.Read(), 500)
				if err != nil {
					t.Fatal(err)
				}
				for _, it := range waiting {
					oldestPacking = max(oldestPacking, now.Sub(it.PlacedAt))
				}
			}
			share := float64(overdue) / float64(max(open, 1))
			t.Logf("ten shop days: %+v; %d call-backs seen open over the steps, %.1f%% of them overdue, the worst by %v; "+
				"the oldest order waiting to be packed was placed %v before", total, open, 100*share, worst, oldestPacking)
			if share > 0.15 {
				t.Errorf("%.1f%% of the open call-backs were overdue, want few", 100*share)
			}
			if worst > 12*time.Hour {
				t.Errorf("a call-back was overdue by %v, want hours at most", worst)
			}
			// A long weekend and the orders of a Friday evening: days, never weeks.
			if oldestPacking > 5*24*time.Hour {
				t.Errorf("an order waited %v to be packed", oldestPacking)
			}
			if total.Reached < total.Placed/2 || total.NoAnswer == 0 || total.WrongNumber == 0 || total.Packed < total.Placed/2 {
				t.Errorf("the staff's work %+v: want most customers reached, some calls unanswered and a wrong number, most orders packed", total)
			}
			if total.Advanced > total.Placed/5 {
				t.Errorf("%d of %d orders moved on for want of anyone: the staff should do most", total.Advanced, total.Placed)
			}
			// The calls went through the call-back service: the notes and
			// retries a person's calls leave.
			if n := count(t, a, `SELECT COUNT(*) FROM order_notes WHERE kind = 'callback_reached' AND author = 'operator@demo.shop'`); n != int64(total.Reached) {
				t.Errorf("%d callback_reached notes by the operator, the steps reached %d", n, total.Reached)
			}
			if n := count(t, a, `SELECT COUNT(*) FROM tasks WHERE kind = 'callback' AND attempts > 1`); n == 0 {
				t.Error("no call-back was tried again after no answer")
			}
			if n := count(t, a, `SELECT COUNT(*) FROM order_notes WHERE kind = 'packed'`); n != int64(total.Packed) {
				t.Errorf("%d packing notes, the steps packed %d", n, total.Packed)
			}
		})
	}
}
