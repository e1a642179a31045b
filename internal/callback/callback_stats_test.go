package callback_test

import (
	"context"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/callback"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestStats: of four orders placed at 15:00 Moscow (call-backs due at
// 16:00), one reached at 15:30 and one found a wrong number at 15:50 (on
// time), one unanswered at 16:30 and then reached (late: the first call
// counts), one never called and overdue; an order of a later period is
// left out. The median wait for a first call is 50 minutes.
func TestStats(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, clk, _ := shop(t, engine, false)
			ids := make([]int64, 4)
			for i := range ids {
				ids[i] = place(t, a, order.NewOrder{ExternalID: "T-" + string(rune('1'+i)), Customer: moscow("c-1", "Андрей Петров")})
			}
			call := func(after time.Duration, f func(taskID int64) error, orderID int64) {
				t.Helper()
				clk.Set(apptest.Start.Add(after))
				if err := f(callbackOf(t, a, orderID).ID); err != nil {
					t.Fatal(err)
				}
			}
			reached := func(id int64) error {
				_, err := a.Callbacks.Reached(ctx, id, callback.ReachedInput{Address: "ул. Ленина, 1"}, "op")
				return err
			}
			call(30*time.Minute, reached, ids[0])
			call(50*time.Minute, func(id int64) error { _, err := a.Callbacks.WrongNumber(ctx, id, "op"); return err }, ids[1])
			call(90*time.Minute, func(id int64) error { _, err := a.Callbacks.NoAnswer(ctx, id, "op"); return err }, ids[2])
			call(150*time.Minute, reached, ids[2])
			clk.Set(apptest.Start.Add(3 * time.Hour))
			late1 := place(t, a, order.NewOrder{ExternalID: "T-later-1", Customer: moscow("c-1", "Андрей Петров")})
			late2 := place(t, a, order.NewOrder{ExternalID: "T-later-2", Customer: moscow("c-1", "Андрей Петров")})

			got, err := a.Callbacks.Stats(ctx, apptest.Start.Add(-time.Hour), apptest.Start.Add(time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			want := callback.Stats{From: apptest.Start.Add(-time.Hour), To: apptest.Start.Add(time.Hour),
				Orders: 4, Attempted: 3, Open: 1, Reached: 2, WrongNumber: 1, Due: 4, OnTime: 2, OnTimeShare: 0.5,
				MedianFirstCall: 50 * time.Minute}
			if got != want {
				t.Errorf("stats =\n%+v\nwant\n%+v", got, want)
			}

			// Placed at 18:00 Moscow, closing time: due at once. Until
			// then a call-back not made does not count against the target.
			later, err := a.Callbacks.Stats(ctx, apptest.Start.Add(2*time.Hour), apptest.Start.Add(4*time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			if later.Orders != 2 || later.Open != 2 || later.Due != 0 || later.OnTimeShare != 0 || later.MedianFirstCall != 0 {
				t.Errorf("stats of the later period = %+v", later)
			}
			// Called 10 and 40 minutes late: the median of an even count is
			// the mean of the middle two.
			call(3*time.Hour+10*time.Minute, func(id int64) error { _, err := a.Callbacks.NoAnswer(ctx, id, "op"); return err }, late1)
			call(3*time.Hour+40*time.Minute, reached, late2)
			later, err = a.Callbacks.Stats(ctx, apptest.Start.Add(2*time.Hour), apptest.Start.Add(4*time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			if later.Attempted != 2 || later.Due != 2 || later.OnTime != 0 || later.MedianFirstCall != 25*time.Minute {
				t.Errorf("stats of the later period, called = %+v", later)
			}
		})
	}
}
