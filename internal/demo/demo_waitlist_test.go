package demo_test

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/demo"
	"github.com/shopcare/shopcare/internal/store"
)

// TestDemoWaitlist: demo customers wait for the out-of-stock whetstone;
// when its delivery arrives, as many as came in are told, the first
// ones, and the rest wait on.
func TestDemoWaitlist(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, clk := shop(t, store.SQLite, "lv", false)
	if _, err := demo.Seed(ctx, a, rand.New(rand.NewPCG(5, 6)), a.Clock.Now(), demo.Options{Customers: 20, Recent: 1}); err != nil {
		t.Fatal(err)
	}
	l, err := a.Stock.Get(ctx, "STONE-1000")
	if err != nil {
		if strings.Contains(err.Error(), "not built yet") {
			t.Skip("the stock core is not merged here")
		}
		t.Fatal(err)
	}
	if err := demo.SeedWaitlist(ctx, a); err != nil {
		t.Fatal(err)
	}
	_, before, err := a.Stock.Waiting(ctx, "STONE-1000", 100)
	if err != nil || before < 9 {
		t.Fatalf("%d waiting, %v", before, err)
	}
	clk.Advance(10 * 24 * time.Hour)
	if err := demo.DeliverDue(ctx, a, clk.Now()); err != nil {
		t.Fatal(err)
	}
	_, after, _ := a.Stock.Waiting(ctx, "STONE-1000", 100)
	came := 0
	for _, in := range l.Incoming {
		came += in.Qty
	}
	if before-after != min(came, before) {
		t.Errorf("%d came in, %d waited, %d told", came, before, before-after)
	}
}
