package demo_test

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/shopcare/shopcare/internal/demo"
	"github.com/shopcare/shopcare/internal/stock"
	"github.com/shopcare/shopcare/internal/store"
)

// TestSeedStock: the demo catalogue has stock — most in stock, a few
// low, two out with a delivery on its way, one out with none — and the
// made-to-order board is not tracked.
func TestSeedStock(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, _ := shop(t, store.SQLite, "lv", false)
	if _, err := demo.Seed(ctx, a, rand.New(rand.NewPCG(5, 6)), a.Clock.Now(), demo.Options{Customers: 20, Recent: 1}); err != nil {
		t.Fatal(err)
	}
	levels, _, err := a.Stock.List(ctx, stock.ListParams{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var in, low, outComing, outNone int
	for _, l := range levels {
		switch {
		case l.OnHand >= 10:
			in++
		case l.OnHand > 0:
			low++
		case len(l.Incoming) > 0:
			outComing++
		default:
			outNone++
		}
		if l.Name == "" || l.Source != "demo" {
			t.Errorf("%+v", l)
		}
	}
	if in < 8 || low < 2 || outComing != 2 || outNone != 1 {
		t.Errorf("in %d, low %d, out with a delivery %d, out with none %d", in, low, outComing, outNone)
	}
	if _, err := a.Stock.Get(ctx, "BOARD-OAK"); err == nil {
		t.Error("the made-to-order board is tracked")
	}
}
