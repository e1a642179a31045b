package order_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/stock"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
	"github.com/shopcare/shopcare/internal/task"
)

// fakeStock is a tiny in-memory stock for the intake's tests while the
// real stock.Service's Reserve is being built: SKUs with Available units
// and the day the next delivery is expected.
type fakeStock struct {
	mu       sync.Mutex
	levels   map[string]*fakeLevel
	holds    map[int64][]stock.Hold
	reserves int // Reserve calls
}

type fakeLevel struct {
	available int
	next      calendar.Day
}

func newFakeStock(levels map[string]*fakeLevel) *fakeStock {
	return &fakeStock{levels: levels, holds: map[int64][]stock.Hold{}}
}

func (f *fakeStock) Available(sku string) (stock.Availability, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	l, ok := f.levels[sku]
	if !ok {
		return stock.Availability{}, false
	}
	return stock.Availability{Available: l.available, NextOn: l.next}, true
}

func (f *fakeStock) Reserve(_ context.Context, _ *store.Tx, orderID int64, lines []stock.Line, _ time.Time) ([]stock.Hold, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reserves++
	var holds []stock.Hold
	for _, l := range lines {
		lv, ok := f.levels[l.SKU]
		if !ok {
			continue
		}
		held := min(l.Qty, lv.available)
		lv.available -= held
		h := stock.Hold{SKU: l.SKU, Name: l.Name, Qty: l.Qty, Held: held}
		if h.Short() {
			h.ExpectedOn = lv.next
		}
		holds = append(holds, h)
	}
	f.holds[orderID] = holds
	return holds, nil
}

func (f *fakeStock) Holds(_ context.Context, orderID int64) ([]stock.Hold, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.holds[orderID], nil
}

// stockedOrders is an order Service over a's database with st for its
// stock, as app.Wire builds it with the real one.
func stockedOrders(a *app.App, st order.Stock) *order.Service {
	return order.NewService(a.Deps(), order.Params{Journal: a.Journal, Jobs: a.Queue, Promises: a.Promises,
		Stock: st, StockDue: a.Playbook.CallbackDue})
}

func mugOrder(ext string, qty int64) order.NewOrder {
	n := sample(ext, "c-"+ext, ext+"@example.com")
	n.Items = []order.Item{{SKU: "MUG-BLUE", Name: "Blue mug", Qty: qty, PriceMinor: 90000},
		{SKU: "POT-1", Name: "Кастрюля", Qty: 1, PriceMinor: 150000}}
	return n
}

// TestIntakeShortOfStock: a live order with an item not on hand is
// promised from the day the item is expected, its explanation names the
// item and the day, and the intake journals stock.short and opens a
// stock_short task due like a call-back, in the same transaction. An
// order whose items are all held keeps the normal promise; a history
// order and an order with no tracked SKU reserve nothing.
func TestIntakeShortOfStock(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, clk := newApp(t, engine, false)
			// Monday 23 Nov 15:00 in Moscow, after the cut-off: received
			// Tuesday 24 Nov, shipped Wednesday 25, by courier on Friday 27.
			st := newFakeStock(map[string]*fakeLevel{"MUG-BLUE": {available: 3, next: calendar.MustParseDay("2026-12-01")}})
			orders := stockedOrders(a, st)

			held, err := orders.Create(ctx, mustNormalize(t, a, mugOrder("S-1", 2)))
			if err != nil {
				t.Fatal(err)
			}
			plain, err := orders.Create(ctx, mustNormalize(t, a, sample("S-0", "c-0", "zero@example.com")))
			if err != nil {
				t.Fatal(err)
			}
			if st.reserves != 1 {
				t.Fatalf("Reserve called %d times, want once: an order with no tracked SKU reserves nothing", st.reserves)
			}
			short, err := orders.Create(ctx, mustNormalize(t, a, mugOrder("S-2", 2))) // 1 left of 2
			if err != nil {
				t.Fatal(err)
			}
			hist := mugOrder("S-3", 5)
			hist.History, hist.PlacedAt = true, clk.Now().AddDate(0, -1, 0)
			if _, err := orders.Create(ctx, mustNormalize(t, a, hist)); err != nil {
				t.Fatal(err)
			}
			if st.reserves != 2 {
				t.Errorf("Reserve called %d times, want 2: a history order reserves nothing", st.reserves)
			}

			get := func(id int64) *order.Order {
				t.Helper()
				o, err := orders.Get(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				return o
			}
			normal, waiting, base := get(held.ID), get(short.ID), get(plain.ID)
			if normal.Promise() != base.Promise() || normal.ShipDate != "2026-11-25" || normal.PromisedTo != "2026-11-27" {
				t.Errorf("held order's promise = %+v, want the normal one %+v", normal.Promise(), base.Promise())
			}
			// The mug comes on Tuesday 1 Dec: shipped on Wednesday 2 Dec,
			// delivered on Friday 4 Dec. Still the first promise given.
			if waiting.ShipDate != "2026-12-02" || waiting.DeliveryFrom != "2026-12-04" || waiting.PromisedTo != "2026-12-04" ||
				waiting.PromiseVersion != 1 {
				t.Errorf("short order's promise = %+v (version %d), want shipped 2026-12-02, delivered 2026-12-04, version 1",
					waiting.Promise(), waiting.PromiseVersion)
			}

			ex, err := orders.ExplainOrder(ctx, waiting, i18n.EN)
			if err != nil {
				t.Fatal(err)
			}
			steps := strings.Join(ex.Steps, "\n")
			if !strings.Contains(steps, "«Blue mug» is not in stock: the next delivery is expected on Tuesday 1 Dec") ||
				strings.Contains(steps, "as given") {
				t.Errorf("explanation does not name the item and its day:\n%s", steps)
			}

			var kinds []string
			rows, err := a.DB.Read().Query(ctx, `SELECT kind, payload FROM events WHERE order_id = $1 ORDER BY id`, short.ID)
			if err != nil {
				t.Fatal(err)
			}
			var payload event.StockShortPayload
			for rows.Next() {
				var kind string
				var raw []byte
				if err := rows.Scan(&kind, &raw); err != nil {
					t.Fatal(err)
				}
				kinds = append(kinds, kind)
				if kind == string(event.StockShort) {
					if err := json.Unmarshal(raw, &payload); err != nil {
						t.Fatal(err)
					}
				}
			}
			rows.Close()
			if strings.Join(kinds, ",") != "order.created,stock.short" {
				t.Errorf("events of the short order = %v, want order.created then stock.short", kinds)
			}
			want := event.StockLine{SKU: "MUG-BLUE", Name: "Blue mug", Qty: 2, Held: 1, ExpectedOn: "2026-12-01"}
			if len(payload.Lines) != 1 || payload.Lines[0] != want {
				t.Errorf("stock.short lines = %+v, want [%+v]", payload.Lines, want)
			}

			tasks, err := a.Tasks.ListByOrder(ctx, short.ID)
			if err != nil {
				t.Fatal(err)
			}
			var found *task.Task
			for i := range tasks {
				if tasks[i].Kind == task.StockShort {
					found = &tasks[i]
				}
			}
			if found == nil {
				t.Fatalf("no stock_short task for the short order: %+v", tasks)
			}
			moscow, _ := time.LoadLocation("Europe/Moscow")
			if due := a.Playbook.CallbackDue(clk.Now(), moscow); !found.DueAt.Equal(due) || found.Status != task.Open {
				t.Errorf("task due %s (%s), want %s like a call-back, open", found.DueAt, found.Status, due)
			}
			if !strings.Contains(found.Note, "Blue mug") || !strings.Contains(found.Note, "1 декабря") {
				t.Errorf("task note %q does not name the item and its day in the shop's language", found.Note)
			}
			for _, id := range []int64{held.ID, plain.ID} {
				var n int
				if err := a.DB.Read().QueryRow(ctx, `SELECT COUNT(*) FROM events WHERE order_id = $1 AND kind = 'stock.short'`, id).Scan(&n); err != nil || n != 0 {
					t.Errorf("order %d: %d stock.short events (%v), want none", id, n, err)
				}
				if ts, _ := a.Tasks.ListByOrder(ctx, id); len(ts) > 0 {
					for _, tk := range ts {
						if tk.Kind == task.StockShort {
							t.Errorf("order %d has a stock_short task, want none", id)
						}
					}
				}
			}
		})
	}
}

// TestIntakeShortMadeToOrder: a short item with no delivery known but a
// production time is promised as made to order; the explanation says so.
func TestIntakeShortMadeToOrder(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, _ := newApp(t, store.SQLite, false)
	st := newFakeStock(map[string]*fakeLevel{"VASE": {available: 0}})
	orders := stockedOrders(a, st)
	n := sample("V-1", "c-v", "vase@example.com")
	n.Items = []order.Item{{SKU: "VASE", Name: "Vase", Qty: 1, PriceMinor: 500000, ProductionDays: 3}}
	res, err := orders.Create(ctx, mustNormalize(t, a, n))
	if err != nil {
		t.Fatal(err)
	}
	o, err := orders.Get(ctx, res.ID)
	if err != nil {
		t.Fatal(err)
	}
	ex, err := orders.ExplainOrder(ctx, o, i18n.EN)
	if err != nil {
		t.Fatal(err)
	}
	if steps := strings.Join(ex.Steps, "\n"); !strings.Contains(steps, "«Vase» is not in stock: made for this order in 3 working days") {
		t.Errorf("explanation:\n%s", steps)
	}
	if o.ProductionDate != "2026-11-27" {
		t.Errorf("production date = %q, want 2026-11-27 (3 working days after Tuesday 24 Nov)", o.ProductionDate)
	}
}
