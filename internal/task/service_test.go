package task_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
	"github.com/shopcare/shopcare/internal/task"
)

// TestServiceFindParcelDesk adds find_parcel tasks through the service,
// pages them, resolves one and reads the orders' numbers, as the parcels
// desk does.
func TestServiceFindParcelDesk(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			ctx := context.Background()
			a, clk := apptest.New(t, engine, false)
			var ids []int64
			for _, ext := range []string{"A-1", "A-2", "A-3"} {
				n := order.NewOrder{ExternalID: ext, Customer: customer.Input{ExternalID: "c-" + ext, Name: "Анна",
					Email: ext + "@example.com"}, Items: []order.Item{{SKU: "POT-1", Name: "Кастрюля", Qty: 1, PriceMinor: 1000}}}
				if err := order.Normalize(&n, a.Settings, order.APIFields); err != nil {
					t.Fatal(err)
				}
				res, err := a.Orders.Create(ctx, n)
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, res.ID)
			}
			now := clk.Now()
			var ts []task.Task
			for i, id := range ids {
				ts = append(ts, task.Task{Kind: task.FindParcel, OrderID: id, DedupeKey: "find:" + string(rune('a'+i)),
					DueAt: now.Add(time.Duration(i) * time.Hour)})
			}
			if n, err := a.Tasks.Add(ctx, ts, now); err != nil || n != 3 {
				t.Fatalf("add: %d, %v; want 3 new", n, err)
			}
			if n, err := a.Tasks.Add(ctx, ts[:1], now); err != nil || n != 0 {
				t.Fatalf("add again: %d, %v; want none new", n, err)
			}

			first, open, more, err := a.Tasks.ListOpen(ctx, task.ListOpenParams{Kind: task.FindParcel, Limit: 2})
			if err != nil || len(first) != 2 || open != 3 || !more {
				t.Fatalf("first page: %d tasks, %d open, more %v, %v; want 2, 3, true", len(first), open, more, err)
			}
			if first[0].OrderID != ids[0] || first[1].OrderID != ids[1] {
				t.Fatalf("first page orders %d, %d; want the most overdue, %d and %d", first[0].OrderID, first[1].OrderID, ids[0], ids[1])
			}
			rest, _, more, err := a.Tasks.ListOpen(ctx, task.ListOpenParams{Kind: task.FindParcel, After: first[1].Cursor, Limit: 2})
			if err != nil || len(rest) != 1 || more || rest[0].OrderID != ids[2] {
				t.Fatalf("second page: %+v, more %v, %v; want the order %d alone", rest, more, err, ids[2])
			}
			numbers, err := a.Orders.ExternalIDs(ctx, ids)
			if err != nil || numbers[ids[0]] != "A-1" || numbers[ids[2]] != "A-3" || len(numbers) != 3 {
				t.Fatalf("numbers: %v, %v", numbers, err)
			}

			openN, last, err := a.Tasks.OpenSignature(ctx, task.FindParcel)
			if err != nil || openN != 3 || last != rest[0].ID {
				t.Fatalf("signature: %d open, last %d, %v; want 3 and %d", openN, last, err, rest[0].ID)
			}
			if _, err := a.Tasks.Resolve(ctx, first[0].ID, task.Callback, "op@example.com", now); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("resolve as another kind: %v; want not found", err)
			}
			for range 2 { // the second time it is closed already and stays so
				orderID, err := a.Tasks.Resolve(ctx, first[0].ID, task.FindParcel, "op@example.com", now)
				if err != nil || orderID != ids[0] {
					t.Fatalf("resolve: order %d, %v; want %d", orderID, err, ids[0])
				}
			}
			list, err := a.Tasks.ListByOrder(ctx, ids[0])
			if err != nil || len(list) != 1 || list[0].Status != task.Done || list[0].Outcome != task.Resolved ||
				list[0].DoneBy != "op@example.com" {
				t.Fatalf("tasks of the order: %+v, %v; want one resolved by the operator", list, err)
			}
			if openN, _, err = a.Tasks.OpenSignature(ctx, task.FindParcel); err != nil || openN != 2 {
				t.Fatalf("open after resolve: %d, %v; want 2", openN, err)
			}
			if last, err := a.Orders.NoteLastID(ctx); err != nil || last != 0 {
				t.Fatalf("last note: %d, %v; want none", last, err)
			}
		})
	}
}
