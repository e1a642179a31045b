package order_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestListOfCustomerPagesNewestFirst: page after page, a customer's
// orders are exactly theirs, newest first, as a scan of every order
// orders them; orders placed at the same moment are neither lost nor
// repeated at a page's edge.
func TestListOfCustomerPagesNewestFirst(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, _ := apptest.New(t, engine, false)
			anna := customer.Input{ExternalID: "c-anna", Name: "Анна Белова", Email: "anna@example.com"}
			boris := customer.Input{ExternalID: "c-boris", Name: "Борис Ozols", Email: "boris@example.com"}
			start := apptest.Start.Add(-2000 * time.Hour)
			var batch []order.NewOrder
			for i := range 75 {
				in := anna
				if i%5 == 1 || i%5 == 3 {
					in = boris
				}
				// Every third of Anna's orders shares its hour with the one before.
				placed := start.Add(time.Duration(i-i%3) * time.Hour)
				n := order.NewOrder{ExternalID: "o-" + strconv.Itoa(i), PlacedAt: placed, Customer: in, History: true,
					TotalMinor: 1000 + int64(i), TotalGiven: true, Status: order.Delivered}
				at := placed.Add(48 * time.Hour)
				n.DeliveredAt = &at
				if err := order.Normalize(&n, a.Settings, order.APIFields); err != nil {
					t.Fatal(err)
				}
				batch = append(batch, n)
			}
			err := a.DB.InTx(ctx, func(tx *store.Tx) error {
				_, err := a.Orders.CreateBatch(ctx, tx, batch, order.SourceImport)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			// What a scan says: every order of each customer, newest first.
			want := map[int64][]int64{}
			var ids []int64
			err = store.Each(ctx, a.DB.Read(), `SELECT id, customer_id FROM orders ORDER BY placed_at DESC, id DESC`, nil,
				func(r store.Rows) error {
					var id, c int64
					if err := r.Scan(&id, &c); err != nil {
						return err
					}
					if _, ok := want[c]; !ok {
						ids = append(ids, c)
					}
					want[c] = append(want[c], id)
					return nil
				})
			if err != nil {
				t.Fatal(err)
			}
			if len(ids) != 2 {
				t.Fatalf("seeded %d customers, want 2", len(ids))
			}
			for _, c := range ids {
				var got []int64
				after, pages := "", 0
				for {
					page, more, err := a.Orders.ListOfCustomer(ctx, c, after, 20)
					if err != nil {
						t.Fatal(err)
					}
					pages++
					for _, o := range page {
						got = append(got, o.ID)
						if o.Status != order.Delivered || o.TotalMinor < 1000 || o.Currency == "" || o.DeliveredOn == "" {
							t.Fatalf("customer %d: row %+v lacks its fields", c, o)
						}
					}
					if !more {
						break
					}
					if len(page) != 20 {
						t.Fatalf("customer %d: a page of %d before the last, want 20", c, len(page))
					}
					after = page[len(page)-1].Cursor()
				}
				if !slices.Equal(got, want[c]) {
					t.Fatalf("customer %d: pages list %v, a scan %v", c, got, want[c])
				}
				if wantPages := (len(want[c]) + 19) / 20; pages != wantPages {
					t.Fatalf("customer %d: %d pages of %d orders, want %d", c, pages, len(want[c]), wantPages)
				}
			}
			// A customer with no orders, and a cursor that does not parse
			// (the first page).
			if page, more, err := a.Orders.ListOfCustomer(ctx, 1<<40, "", 20); err != nil || len(page) != 0 || more {
				t.Fatalf("a customer without orders: %v, %v, %v", page, more, err)
			}
			first, _, err := a.Orders.ListOfCustomer(ctx, ids[0], "not a cursor", 20)
			if err != nil || len(first) != 20 || first[0].ID != want[ids[0]][0] {
				t.Fatalf("a bad cursor: %d rows from %v, %v; want the first page", len(first), first, err)
			}
		})
	}
}

// TestListOfCustomerPlan: on SQLite a page of a customer's orders is a
// range of the orders_customer index, never a scan of the orders, before
// and after ANALYZE has given the planner its statistics.
func TestListOfCustomerPlan(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, _ := apptest.New(t, store.SQLite, false)
	var batch []order.NewOrder
	for i := range 300 {
		n := order.NewOrder{ExternalID: "p-" + strconv.Itoa(i), PlacedAt: apptest.Start.Add(-time.Duration(i) * time.Hour),
			Customer:   customer.Input{ExternalID: "c-" + strconv.Itoa(i%4), Name: "Кира", Email: "k" + strconv.Itoa(i%4) + "@example.com"},
			TotalMinor: 1000, TotalGiven: true, History: true, Status: order.Cancelled}
		if err := order.Normalize(&n, a.Settings, order.APIFields); err != nil {
			t.Fatal(err)
		}
		batch = append(batch, n)
	}
	if err := a.DB.InTx(ctx, func(tx *store.Tx) error {
		_, err := a.Orders.CreateBatch(ctx, tx, batch, order.SourceImport)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	for _, analyzed := range []bool{false, true} {
		if analyzed {
			if err := a.DB.Analyze(ctx); err != nil {
				t.Fatal(err)
			}
		}
		var plan []string
		err := store.Each(ctx, a.DB.Read(), `EXPLAIN QUERY PLAN `+order.CustomerOrdersSQL,
			[]any{int64(1), time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), int64(1 << 62), 21}, func(r store.Rows) error {
				var id, parent, notused int
				var detail string
				if err := r.Scan(&id, &parent, &notused, &detail); err != nil {
					return err
				}
				plan = append(plan, detail)
				return nil
			})
		if err != nil {
			t.Fatal(err)
		}
		joined := strings.Join(plan, "\n")
		if !strings.Contains(joined, "USING INDEX orders_customer") && !strings.Contains(joined, "USING COVERING INDEX orders_customer") ||
			strings.Contains(joined, "SCAN orders") {
			t.Fatalf("analyzed %v: a customer's orders are not read from orders_customer:\n%s", analyzed, joined)
		}
		t.Logf("analyzed %v:\n%s", analyzed, joined)
	}
}
