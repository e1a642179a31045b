package api_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
	"github.com/shopcare/shopcare/internal/task"
)

// TestStockResolveRoute: POST /orders/{id}/stock/resolve through the real
// router: a wrong body is 422 naming the field and leaves no row (the
// order's stock rows, task, notes and journal as they were), an unknown
// order 404, a refund settles the short line and closes the task, and a
// second try finds nothing short: 409.
func TestStockResolveRoute(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, string(engine))
			ctx := context.Background()
			status, o, _ := e.call(t, "POST", "/api/v1/orders", order1, e.token)
			if status != 201 {
				t.Fatalf("create: %d %v", status, o)
			}
			id := int64(o["id"].(float64))
			now := e.clock.Now()
			err := e.app.DB.InTx(ctx, func(tx *store.Tx) error {
				if _, err := tx.Exec(ctx, `INSERT INTO stock_items (sku, on_hand, reserved, source, updated_at) VALUES ('PAN', 1, 1, 'api', $1)`, now); err != nil {
					return err
				}
				if _, err := tx.Exec(ctx, `INSERT INTO stock_reservations (order_id, sku, name, qty, held, status, expected_on, created_at, updated_at)
					VALUES ($1, 'PAN', 'Сковородка', 2, 1, 'open', '2026-12-15', $2, $2)`, id, now); err != nil {
					return err
				}
				_, err := task.Create(ctx, tx, []task.Task{{Kind: task.StockShort, OrderID: id, DedupeKey: "short", DueAt: now}}, now)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			rows := func() string {
				var res, taskStatus string
				var notes, events, reserved int
				q := e.app.DB.Read()
				if err := q.QueryRow(ctx, `SELECT resolution || status FROM stock_reservations WHERE order_id = $1`, id).Scan(&res); err != nil {
					t.Fatal(err)
				}
				if err := q.QueryRow(ctx, `SELECT status FROM tasks WHERE order_id = $1 AND kind = 'stock_short'`, id).Scan(&taskStatus); err != nil {
					t.Fatal(err)
				}
				if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM order_notes WHERE order_id = $1`, id).Scan(&notes); err != nil {
					t.Fatal(err)
				}
				if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM events WHERE order_id = $1 AND kind = 'stock.resolved'`, id).Scan(&events); err != nil {
					t.Fatal(err)
				}
				if err := q.QueryRow(ctx, `SELECT reserved FROM stock_items WHERE sku = 'PAN'`).Scan(&reserved); err != nil {
					t.Fatal(err)
				}
				return res + "|" + taskStatus + "|" + strconv.Itoa(notes) + "|" + strconv.Itoa(events) + "|" + strconv.Itoa(reserved)
			}
			path := "/api/v1/orders/" + strconv.FormatInt(id, 10) + "/stock/resolve"
			before := rows()
			for _, c := range []struct {
				body  string
				code  int
				field string
			}{
				{`{}`, 422, "resolution"},
				{`{"resolution": "discount"}`, 422, "resolution"},
				{`{"resolution": "alternative"}`, 422, "alternative"},
				{`{"resolution": "refund"}`, 422, "refund"},
				{`{"resolution": "refund", "refund": "abc"}`, 422, ""},
				{`{"resolution": "refund", "refund": "0"}`, 422, "refund"},
				{`{"resolution": "refund", "refund": "99999"}`, 422, "refund"},
				{`{"resolution": "wait", "refund": "1"}`, 422, "refund"},
				{`{"resolution": "wait", "note": "a\u0000"}`, 422, "note"},
				{`not json`, 422, ""},
			} {
				status, body, _ := e.call(t, "POST", path, c.body, e.token)
				errBody, _ := body["error"].(map[string]any)
				if status != c.code || c.field != "" && errBody["field"] != c.field {
					t.Errorf("%s: %d %v, want %d on %q", c.body, status, body, c.code, c.field)
				}
			}
			if after := rows(); after != before {
				t.Errorf("a refused request left rows: before %s, after %s", before, after)
			}
			if status, body, _ := e.call(t, "POST", "/api/v1/orders/999999/stock/resolve", `{"resolution": "wait"}`, e.token); status != 404 {
				t.Errorf("unknown order: %d %v", status, body)
			}
			status, body, _ := e.call(t, "POST", path, `{"resolution": "refund", "refund": "1000.00", "note": "по телефону"}`, e.token)
			if status != 200 || body["resolution"] != "refund" || body["released"] != float64(1) || body["tasks_closed"] != float64(1) {
				t.Fatalf("refund: %d %v", status, body)
			}
			if got := rows(); got != "refundreleased|done|1|1|0" {
				t.Errorf("after the refund: %s", got)
			}
			if status, body, _ := e.call(t, "POST", path, `{"resolution": "wait"}`, e.token); status != 409 {
				t.Errorf("nothing left short: %d %v", status, body)
			}
		})
	}
}
