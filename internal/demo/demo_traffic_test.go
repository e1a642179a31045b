package demo_test

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/demo"
	"github.com/shopcare/shopcare/internal/store"
)

// TestSeedCountsVisitors: the demo shop's counter has five weeks of
// page views written through its own writes, a few tens of visitors a
// day for a few hundred customers, and the live shop's visitors add to
// them as its clock moves.
func TestSeedCountsVisitors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, clk := shop(t, store.SQLite, "ru", false)
	start := a.Clock.Now()
	if _, err := demo.Seed(ctx, a, rand.New(rand.NewPCG(9, 9)), start, demo.Options{Customers: 150, Recent: 1}); err != nil {
		t.Fatal(err)
	}
	since := start.AddDate(0, 0, -40).Unix()
	pv, visits, err := a.Traffic.CountedSince(ctx, since)
	if err != nil {
		t.Fatal(err)
	}
	// 150 customers: about 33 visitors a day over 36 days.
	if visits < 800 || visits > 2500 || pv < 2*visits || pv > 5*visits {
		t.Errorf("history: %d page views in %d visits", pv, visits)
	}
	live, err := demo.NewLive(ctx, a, rand.New(rand.NewPCG(9, 10)), demo.LiveOptions{OrdersPerDay: 10})
	if err != nil {
		t.Fatal(err)
	}
	for range 24 {
		if _, err := live.Step(ctx, clk.Advance(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.Traffic.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	pv2, visits2, err := a.Traffic.CountedSince(ctx, since)
	if err != nil {
		t.Fatal(err)
	}
	// 10 orders a day at 2.7 %: about 370 visitors in the live day.
	if v := visits2 - visits; v < 200 || v > 600 || pv2 <= pv {
		t.Errorf("a live day added %d visits and %d page views", v, pv2-pv)
	}
}
