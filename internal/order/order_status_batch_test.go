package order_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestChangeStatusManyIsChangeStatusOneByOne applies the same moves to
// two stores seeded alike: one ChangeStatusTx a move, and one
// ChangeStatusManyTx for them all. The orders, their status history, the
// journal (ids included) and the promise changes must come out the same,
// and so must what each move reports; then the journal's handlers run on
// both and their effects must agree too.
func TestChangeStatusManyIsChangeStatusOneByOne(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			var apps [2]*app.App
			var ids [][]int64
			for k := range apps {
				a, _ := newApp(t, engine, false)
				apps[k] = a
				var made []int64
				for i := range 7 {
					n := sample(fmt.Sprintf("B-%d", i), fmt.Sprintf("cb-%d", i%4), fmt.Sprintf("b%d@example.com", i%4))
					n.Carrier = "courier"
					res, err := a.Orders.Create(ctx, mustNormalize(t, a, n))
					if err != nil {
						t.Fatal(err)
					}
					made = append(made, res.ID)
				}
				ids = append(ids, made)
				if _, err := a.Dispatcher.Drain(ctx); err != nil {
					t.Fatal(err)
				}
			}
			if !slices.Equal(ids[0], ids[1]) {
				t.Fatalf("seeded ids differ: %v and %v", ids[0], ids[1])
			}
			o := ids[0]
			at := msk(t, "2026-11-23T16:00:00")
			move := func(i int, st order.Status, minutes int) order.StatusMove {
				return order.StatusMove{OrderID: o[i], StatusUpdate: order.StatusUpdate{Status: st,
					At: at.Add(time.Duration(minutes) * time.Minute), Source: order.SourceCarrier}}
			}
			moves := []order.StatusMove{
				move(0, order.Processing, 1), // re-promises: work began
				move(1, order.Shipped, 2),
				move(0, order.ReadyToShip, 3),
				move(2, order.Cancelled, 4),
				move(2, order.Delivered, 5), // refused: cancelled is final
				move(3, order.New, 6),       // the status it has: nothing
				move(1, order.ReadyForPickup, 7),
				move(1, order.Delivered, 8),
				move(1, order.Returned, 9),
				move(4, order.Delivered, 10),
				move(5, order.Shipped, 11),
				move(6, order.Delivered, 12),
				move(5, order.Delivered, 13),
			}
			moves[1].TrackingNumber = "  TRK-1 "
			moves[10].Carrier, moves[10].TrackingNumber = "post", "RA000000001RU" // re-promises: a new carrier

			var one []order.Moved
			err := apps[0].DB.InTx(ctx, func(tx *store.Tx) error {
				for _, m := range moves {
					changed, err := apps[0].Orders.ChangeStatusTx(ctx, tx, m.OrderID, m.StatusUpdate)
					var te *order.TransitionError
					if errors.As(err, &te) {
						one = append(one, order.Moved{Refused: te})
						continue
					}
					if err != nil {
						return err
					}
					one = append(one, order.Moved{Changed: changed})
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			var many []order.Moved
			err = apps[1].DB.InTx(ctx, func(tx *store.Tx) error {
				var err error
				many, err = apps[1].Orders.ChangeStatusManyTx(ctx, tx, slices.Clone(moves))
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(one) != fmt.Sprint(many) {
				t.Errorf("outcomes differ:\none by one %v\nbatched    %v", one, many)
			}
			if many[4].Refused == nil || many[5].Changed || !many[11].Changed {
				t.Errorf("outcomes %v: want move 4 refused, move 5 unchanged, move 11 changed", many)
			}
			compareTables(t, apps, statusTables)
			for _, a := range apps {
				if _, err := a.Dispatcher.Drain(ctx); err != nil {
					t.Fatal(err)
				}
			}
			compareTables(t, apps, reactionTables)
		})
	}
}

// statusTables are the rows a status change writes, as text.
var statusTables = []string{
	`SELECT CAST(id AS TEXT), status, carrier, tracking_number, COALESCE(CAST(delivered_at AS TEXT), '-'),
		COALESCE(delivered_on, '-'), CAST(updated_at AS TEXT), COALESCE(promised_to, '-'), CAST(promise_version AS TEXT),
		COALESCE(ship_date, '-') FROM orders ORDER BY id`,
	`SELECT CAST(id AS TEXT), CAST(order_id AS TEXT), COALESCE(from_status, '-'), to_status, CAST(at AS TEXT), source
		FROM order_status_history ORDER BY id`,
	`SELECT CAST(id AS TEXT), kind, COALESCE(CAST(order_id AS TEXT), '-'), COALESCE(CAST(customer_id AS TEXT), '-'),
		CAST(history AS TEXT), payload, CAST(occurred_at AS TEXT), CAST(created_at AS TEXT) FROM events ORDER BY id`,
	`SELECT CAST(order_id AS TEXT), reason, detail FROM promise_changes ORDER BY id`,
}

// reactionTables are what the journal's handlers make of the changes.
var reactionTables = []string{
	`SELECT CAST(id AS TEXT), CAST(customer_id AS TEXT), CAST(points AS TEXT), reason, COALESCE(CAST(order_id AS TEXT), '-')
		FROM loyalty_transactions ORDER BY id`,
	`SELECT CAST(id AS TEXT), COALESCE(CAST(order_id AS TEXT), '-'), template, status FROM messages ORDER BY id`,
	`SELECT CAST(id AS TEXT), CAST(orders_count AS TEXT), CAST(spent_minor AS TEXT), CAST(purchases AS TEXT), COALESCE(last_purchase_on, '-') FROM customers ORDER BY id`,
	`SELECT CAST(id AS TEXT), kind, COALESCE(CAST(order_id AS TEXT), '-'), payload FROM events ORDER BY id`,
}

// compareTables runs each query on both apps and fails on any row that
// differs.
func compareTables(t *testing.T, apps [2]*app.App, queries []string) {
	t.Helper()
	for _, q := range queries {
		var got [2][]string
		for k, a := range apps {
			got[k] = storetest.TextRows(t, a.DB.Read(), q)
		}
		if !slices.Equal(got[0], got[1]) {
			t.Errorf("%s\none by one:\n%s\nbatched:\n%s", q, joinLines(got[0]), joinLines(got[1]))
		}
	}
}

func joinLines(rows []string) string {
	return "  " + strings.Join(rows, "\n  ")
}
