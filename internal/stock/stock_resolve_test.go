package stock_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/stock"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
	"github.com/shopcare/shopcare/internal/task"
)

// shortOrder places an order of a pot (on hand, held) and two blue mugs
// (not in stock, a delivery expected on 15 Dec) through the order's
// intake, which holds the pot, leaves the mugs waiting and opens the
// stock_short task.
func shortOrder(t *testing.T, a *app.App, ext string) *order.Order {
	t.Helper()
	ctx := context.Background()
	if _, err := a.Stock.Get(ctx, "POT-1"); errors.Is(err, store.ErrNotFound) {
		if _, err := a.Stock.Put(ctx, "api", []stock.Level{{SKU: "POT-1", Name: "Кастрюля", OnHand: 100},
			{SKU: "MUG-BLUE", Name: "Синяя кружка", Incoming: []stock.Incoming{{Qty: 2, Date: "2026-12-15"}}}}); err != nil {
			t.Fatal(err)
		}
	}
	return apptest.Order(t, a, order.NewOrder{ExternalID: ext, Carrier: "courier", Currency: "RUB",
		Customer: customer.Input{ExternalID: "c-" + ext, Name: "Андрей Петров", Email: ext + "@example.ru", Language: "ru", Country: "RU"},
		Items: []order.Item{{SKU: "POT-1", Name: "Кастрюля", Qty: 1, PriceMinor: 499000},
			{SKU: "MUG-BLUE", Name: "Синяя кружка", Qty: 2, PriceMinor: 50000}}})
}

// trace is what Resolve may have written about an order.
type trace struct {
	resolutions string // sku=status/resolution, in order
	reserved    int    // units of POT-1 and MUG-BLUE reserved
	taskStatus  string
	taskOutcome string
	notes       int
	resolved    int // stock.resolved events
}

func traceOf(t *testing.T, a *app.App, orderID int64) trace {
	t.Helper()
	ctx := context.Background()
	q := a.DB.Read()
	var tr trace
	holds, err := stock.OrderHolds(ctx, q, orderID)
	if err != nil {
		t.Fatal(err)
	}
	var parts []string
	for _, h := range holds {
		parts = append(parts, h.SKU+"="+h.Status+"/"+h.Resolution)
	}
	tr.resolutions = strings.Join(parts, " ")
	if err := q.QueryRow(ctx, `SELECT COALESCE(SUM(reserved), 0) FROM stock_items`).Scan(&tr.reserved); err != nil {
		t.Fatal(err)
	}
	if err := q.QueryRow(ctx, `SELECT status, outcome FROM tasks WHERE order_id = $1 AND kind = 'stock_short'`, orderID).
		Scan(&tr.taskStatus, &tr.taskOutcome); err != nil {
		t.Fatal(err)
	}
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM order_notes WHERE order_id = $1`, orderID).Scan(&tr.notes); err != nil {
		t.Fatal(err)
	}
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM events WHERE order_id = $1 AND kind = $2`, orderID, string(journal.StockResolved)).
		Scan(&tr.resolved); err != nil {
		t.Fatal(err)
	}
	return tr
}

// TestResolveRefusesBadInputAndWritesNothing: every wrong resolution is
// an error naming its field, and the order's stock rows, task, notes and
// journal stay as they were.
func TestResolveRefusesBadInputAndWritesNothing(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			a, _ := apptest.New(t, engine, false)
			o := shortOrder(t, a, "R-bad")
			before := traceOf(t, a, o.ID)
			for _, c := range []struct {
				name  string
				r     stock.Resolution
				field string
			}{
				{"no resolution", stock.Resolution{}, "resolution"},
				{"unknown resolution", stock.Resolution{Resolution: "discount"}, "resolution"},
				{"alternative without item", stock.Resolution{Resolution: "alternative"}, "alternative"},
				{"alternative too long", stock.Resolution{Resolution: "alternative", Alternative: strings.Repeat("к", 201)}, "alternative"},
				{"alternative over lines", stock.Resolution{Resolution: "alternative", Alternative: "a\nb"}, "alternative"},
				{"item on a wait", stock.Resolution{Resolution: "wait", Alternative: "Зелёная кружка"}, "alternative"},
				{"refund without amount", stock.Resolution{Resolution: "refund"}, "refund"},
				{"negative refund", stock.Resolution{Resolution: "refund", RefundMinor: -100}, "refund"},
				{"refund over the total", stock.Resolution{Resolution: "refund", RefundMinor: o.TotalMinor + 1}, "refund"},
				{"amount on a split", stock.Resolution{Resolution: "split", RefundMinor: 100}, "refund"},
				{"bad note", stock.Resolution{Resolution: "wait", Note: "a\x00b"}, "note"},
			} {
				c.r.OrderID = o.ID
				_, err := a.Stock.Resolve(context.Background(), c.r)
				ie, ok := invalid.First(err)
				if !ok || ie.Field != c.field {
					t.Errorf("%s: err = %v, want an invalid %s", c.name, err, c.field)
				}
			}
			if _, err := a.Stock.Resolve(context.Background(), stock.Resolution{OrderID: o.ID + 1000, Resolution: "wait"}); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("unknown order: err = %v, want not found", err)
			}
			if after := traceOf(t, a, o.ID); after != before {
				t.Errorf("a refused resolution wrote something:\nbefore %+v\nafter  %+v", before, after)
			}
		})
	}
}

// TestResolveEffects: each resolution is recorded on the short line only,
// closes the stock_short task with it as the outcome, notes the order and
// journals stock.resolved; a refund or an alternative releases the line
// (and what it held), after which there is nothing left to settle.
func TestResolveEffects(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			a, _ := apptest.New(t, engine, false)
			ctx := context.Background()
			for _, c := range []struct {
				r      stock.Resolution
				status string
			}{
				{stock.Resolution{Resolution: "wait"}, "open"},
				{stock.Resolution{Resolution: "split", Note: "отправить кастрюлю сейчас"}, "open"},
				{stock.Resolution{Resolution: "alternative", Alternative: "Зелёная кружка"}, "released"},
				{stock.Resolution{Resolution: "refund", RefundMinor: 100000, By: "olga@example.com"}, "released"},
			} {
				o := shortOrder(t, a, "R-"+c.r.Resolution)
				c.r.OrderID = o.ID
				before := traceOf(t, a, o.ID)
				done, err := a.Stock.Resolve(ctx, c.r)
				if err != nil {
					t.Fatalf("%s: %v", c.r.Resolution, err)
				}
				if len(done.SKUs) != 1 || done.SKUs[0] != "MUG-BLUE" || done.TasksClosed != 1 {
					t.Errorf("%s: resolved %+v, want MUG-BLUE and one task closed", c.r.Resolution, done)
				}
				got := traceOf(t, a, o.ID)
				want := trace{resolutions: "MUG-BLUE=" + c.status + "/" + c.r.Resolution + " POT-1=open/", reserved: before.reserved,
					taskStatus: string(task.Done), taskOutcome: c.r.Resolution, notes: before.notes + 1, resolved: 1}
				if got != want {
					t.Errorf("%s:\n got %+v\nwant %+v", c.r.Resolution, got, want)
				}
				var pl event.StockResolvedPayload
				var raw string
				if err := a.DB.Read().QueryRow(ctx, `SELECT payload FROM events WHERE order_id = $1 AND kind = $2`, o.ID,
					string(journal.StockResolved)).Scan(&raw); err != nil {
					t.Fatal(err)
				}
				if err := (journal.Event{Payload: []byte(raw)}).Decode(&pl); err != nil {
					t.Fatal(err)
				}
				if pl.Resolution != c.r.Resolution || pl.Alternative != c.r.Alternative || pl.RefundMinor != c.r.RefundMinor {
					t.Errorf("%s: journaled %+v", c.r.Resolution, pl)
				}
				_, err = a.Stock.Resolve(ctx, stock.Resolution{OrderID: o.ID, Resolution: "wait"})
				if settled := c.status == "released"; settled != errors.Is(err, stock.ErrNothingShort) {
					t.Errorf("%s, then wait: err = %v", c.r.Resolution, err)
				}
			}
		})
	}
}

// TestResolveReleasesWhatTheLineHeld: a line short of part of its units
// gives the units it held back to stock when refunded.
func TestResolveReleasesWhatTheLineHeld(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			a, _ := apptest.New(t, engine, false)
			ctx := context.Background()
			o := shortOrder(t, a, "R-part")
			now := a.Clock.Now()
			// One of the two mugs came in and is held; the other waits.
			err := a.DB.InTx(ctx, func(tx *store.Tx) error {
				if _, err := tx.Exec(ctx, `UPDATE stock_items SET on_hand = 1, reserved = 1, updated_at = $1 WHERE sku = 'MUG-BLUE'`, now); err != nil {
					return err
				}
				_, err := tx.Exec(ctx, `UPDATE stock_reservations SET held = 1 WHERE order_id = $1 AND sku = 'MUG-BLUE'`, o.ID)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			done, err := a.Stock.Resolve(ctx, stock.Resolution{OrderID: o.ID, Resolution: "refund", RefundMinor: 100000})
			if err != nil {
				t.Fatal(err)
			}
			if done.Released != 1 {
				t.Errorf("released %d units, want 1", done.Released)
			}
			var onHand, reserved int
			if err := a.DB.Read().QueryRow(ctx, `SELECT on_hand, reserved FROM stock_items WHERE sku = 'MUG-BLUE'`).Scan(&onHand, &reserved); err != nil {
				t.Fatal(err)
			}
			if onHand != 1 || reserved != 0 {
				t.Errorf("MUG-BLUE on hand %d reserved %d, want 1 and 0", onHand, reserved)
			}
		})
	}
}
