package packing_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/packing"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestQueue: the processing orders, by ship date then by when they were
// placed, orders without a ship date first; nothing new, cancelled or
// ready to ship; one page at a time.
func TestQueue(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a := shop(t, engine)
			placeAt := func(ext string, placed time.Duration, ship string, gift bool) int64 {
				n := newOrder(ext, customer.Input{ExternalID: "c-" + ext, Name: "Покупатель " + ext, Email: ext + "@example.com"})
				n.PlacedAt, n.GiftWrap = apptest.Start.Add(placed), gift
				id := place(t, a, n)
				if ship == "" {
					run(t, a, `UPDATE orders SET ship_date = NULL WHERE id = $1`, id)
				} else {
					run(t, a, `UPDATE orders SET ship_date = $2 WHERE id = $1`, id, ship)
				}
				return id
			}
			late := placeAt("late", 0, "2026-11-27", false)
			early2 := placeAt("early-2", 2*time.Hour, "2026-11-25", true)
			early1 := placeAt("early-1", time.Hour, "2026-11-25", false)
			undated := placeAt("undated", 3*time.Hour, "", false)
			// Not to pack: new, ready to ship, cancelled.
			newID := placeAt("new", 0, "2026-11-24", false)
			run(t, a, `UPDATE orders SET status = 'new' WHERE id = $1`, newID)
			for _, st := range []order.Status{order.ReadyToShip, order.Cancelled} {
				id := placeAt(string(st), 0, "2026-11-24", false)
				if _, err := a.Orders.ChangeStatus(ctx, id, order.StatusUpdate{Status: st, Source: order.SourceAPI}); err != nil {
					t.Fatal(err)
				}
			}

			items, err := packing.Queue(ctx, a.DB.Read(), 50)
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, it := range items {
				got = append(got, it.OrderID)
			}
			if want := []int64{undated, early1, early2, late}; !slices.Equal(got, want) {
				t.Fatalf("queue %v, want %v (undated, early-1, early-2, late)", got, want)
			}
			e2 := items[2]
			if e2.ExternalID != "early-2" || e2.CustomerName != "Покупатель early-2" || e2.ShipDate != "2026-11-25" ||
				e2.Pieces != 3 || !e2.GiftWrap || e2.Packed || !e2.PlacedAt.Equal(apptest.Start.Add(2*time.Hour)) {
				t.Errorf("queue item %+v", e2)
			}
			if items[0].ShipDate != "" || items[1].GiftWrap {
				t.Errorf("undated %+v, early-1 %+v", items[0], items[1])
			}

			page, err := packing.Queue(ctx, a.DB.Read(), 2)
			if err != nil {
				t.Fatal(err)
			}
			if len(page) != 2 || page[0].OrderID != undated || page[1].OrderID != early1 {
				t.Errorf("a page of 2: %+v", page)
			}
		})
	}
}

// TestQueuePlan: on SQLite a page of the queue is read off the partial
// index orders_to_pack, without sorting the processing orders, even
// before ANALYZE has given the planner any statistics.
func TestQueuePlan(t *testing.T) {
	t.Parallel()
	a := shop(t, store.SQLite)
	for i := range 20 {
		place(t, a, newOrder(fmt.Sprint(i), andrei))
	}
	rows, err := a.DB.Read().Query(context.Background(), `EXPLAIN QUERY PLAN `+packing.QueueSQL, 50)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	joined := strings.Join(plan, "\n")
	if !strings.Contains(joined, "USING INDEX orders_to_pack") || strings.Contains(joined, "TEMP B-TREE") {
		t.Fatalf("the queue's plan does not read orders_to_pack in order:\n%s", joined)
	}
}
