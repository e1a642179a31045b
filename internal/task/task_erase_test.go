package task_test

import (
	"context"
	"testing"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
	"github.com/shopcare/shopcare/internal/task"
)

// TestErasePersonal: erasing a customer blanks the notes of their tasks,
// those made for them and those that name only their order, and keeps
// the tasks themselves; another customer's notes stay; a second run
// reports nothing.
func TestErasePersonal(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, clk := apptest.New(t, engine, false)
			place := func(ext, name string) *order.Order {
				n := order.NewOrder{ExternalID: ext, Customer: customer.Input{ExternalID: "c-" + ext, Name: name,
					Email: ext + "@example.com"}, Items: []order.Item{{SKU: "POT-1", Name: "Кастрюля", Qty: 1, PriceMinor: 1000}}}
				o := apptest.Order(t, a, n)
				return o
			}
			anna, boris := place("A-1", "Анна"), place("B-1", "Boris")
			now := clk.Now()
			ts := []task.Task{
				{Kind: task.ServiceRecovery, OrderID: anna.ID, CustomerID: anna.CustomerID, DedupeKey: "erase:a1",
					DueAt: now, Note: "NPS 2: «Курьер нагрубил, Анна»"},
				{Kind: task.FindParcel, OrderID: anna.ID, DedupeKey: "erase:a2", DueAt: now, Note: "спросить Анну про подъезд"},
				{Kind: task.ServiceRecovery, CustomerID: anna.CustomerID, DedupeKey: "erase:a3", DueAt: now},
				{Kind: task.ServiceRecovery, OrderID: boris.ID, CustomerID: boris.CustomerID, DedupeKey: "erase:b1",
					DueAt: now, Note: "NPS 3: Boris's words"},
			}
			if n, err := a.Tasks.Add(ctx, ts, now); err != nil || n != len(ts) {
				t.Fatalf("add: %d %v", n, err)
			}
			erase := func(customerID int64) map[string]int64 {
				var rows map[string]int64
				if err := a.DB.InTx(ctx, func(tx *store.Tx) error {
					var err error
					rows, err = task.ErasePersonal(ctx, tx, customerID, clk.Now())
					return err
				}); err != nil {
					t.Fatal(err)
				}
				return rows
			}
			if rows := erase(anna.CustomerID); len(rows) != 1 || rows["task_notes"] != 2 {
				t.Fatalf("erase rows %v, want 2 task notes", rows)
			}
			got, err := task.ListByOrder(ctx, a.DB.Read(), anna.ID)
			if err != nil || len(got) != 2 {
				t.Fatalf("Anna's order's tasks: %+v %v", got, err)
			}
			for _, tk := range got {
				if tk.Note != "" || tk.Status != task.Open || tk.DedupeKey == "" {
					t.Errorf("Anna's task after: %+v", tk)
				}
			}
			if got, err := task.ListByOrder(ctx, a.DB.Read(), boris.ID); err != nil || len(got) != 1 || got[0].Note != "NPS 3: Boris's words" {
				t.Errorf("Boris's tasks after: %+v %v", got, err)
			}
			if rows := erase(anna.CustomerID); rows != nil {
				t.Errorf("second erase: %v", rows)
			}
		})
	}
}
