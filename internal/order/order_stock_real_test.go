package order_test

import (
	"context"
	"testing"

	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/stock"
	"github.com/shopcare/shopcare/internal/storetest"
	"github.com/shopcare/shopcare/internal/task"
)

// TestIntakeShortOfRealStock runs the intake against the App's own stock
// (on both engines): two mugs ordered of one on hand, with five coming
// on Tuesday 1 Dec, are promised from that day; the order holds one and
// waits for one; stock.short and the stock_short task are there. It is
// skipped while the stock's levels cannot be put.
func TestIntakeShortOfRealStock(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, _ := newApp(t, engine, false)
			if _, err := a.Stock.Put(ctx, "api", []stock.Level{{SKU: "MUG-BLUE", Name: "Blue mug", OnHand: 1,
				Incoming: []stock.Incoming{{Qty: 5, Date: "2026-12-01"}}}}); err != nil {
				t.Skipf("stock levels cannot be put yet: %v", err)
			}
			held, err := a.Orders.Create(ctx, mustNormalize(t, a, mugOrder("R-1", 1)))
			if err != nil {
				t.Fatal(err)
			}
			short, err := a.Orders.Create(ctx, mustNormalize(t, a, mugOrder("R-2", 2)))
			if err != nil {
				t.Fatal(err)
			}
			first, err := a.Orders.Get(ctx, held.ID)
			if err != nil {
				t.Fatal(err)
			}
			o, err := a.Orders.Get(ctx, short.ID)
			if err != nil {
				t.Fatal(err)
			}
			if first.ShipDate != "2026-11-25" || o.ShipDate != "2026-12-02" || o.PromisedTo != "2026-12-04" {
				t.Errorf("ship dates %s (held) and %s → %s (short), want 2026-11-25 and 2026-12-02 → 2026-12-04",
					first.ShipDate, o.ShipDate, o.PromisedTo)
			}
			holds, err := a.Stock.Holds(ctx, short.ID)
			if err != nil || len(holds) != 1 || holds[0].Held != 0 || holds[0].Qty != 2 || holds[0].ExpectedOn.String() != "2026-12-01" {
				t.Errorf("holds = %+v, %v; want 0 of 2 held, expected 2026-12-01", holds, err)
			}
			ex, err := a.Orders.ExplainOrder(ctx, o, i18n.EN)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, s := range ex.Steps {
				found = found || s == "«Blue mug» is not in stock: the next delivery is expected on Tuesday 1 Dec"
			}
			if !found {
				t.Errorf("explanation does not name the mug and its day: %q", ex.Steps)
			}
			var events int
			if err := a.DB.Read().QueryRow(ctx, `SELECT COUNT(*) FROM events WHERE order_id = $1 AND kind = 'stock.short'`, short.ID).Scan(&events); err != nil || events != 1 {
				t.Errorf("stock.short events = %d, %v; want 1", events, err)
			}
			tasks, err := a.Tasks.ListByOrder(ctx, short.ID)
			if err != nil {
				t.Fatal(err)
			}
			kinds := map[task.Kind]bool{}
			for _, tk := range tasks {
				kinds[tk.Kind] = true
			}
			if !kinds[task.StockShort] {
				t.Errorf("tasks = %+v, want a stock_short task", tasks)
			}
		})
	}
}
