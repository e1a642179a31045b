package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
	"github.com/shopcare/shopcare/internal/task"
)

// TestStockResolveForm: the order page of an order with an item not in
// stock shows each tracked item's stock and the operator's form; a wrong
// form comes back 422 with its field marked and nothing written; a
// refund closes the stock_short task, whose outcome the page then names,
// and the form is gone.
func TestStockResolveForm(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			e := newEnv(t, engine)
			addPeople(t, e)
			o := shipOrder(t, e, "SR-1", "courier", "")
			now := e.clock.Now()
			err := e.app.DB.InTx(ctx, func(tx *store.Tx) error {
				if _, err := tx.Exec(ctx, `UPDATE orders SET status = 'new' WHERE id = $1`, o.ID); err != nil {
					return err
				}
				if _, err := tx.Exec(ctx, `INSERT INTO stock_items (sku, on_hand, reserved, source, updated_at) VALUES ('PAN', 0, 0, 'api', $1)`, now); err != nil {
					return err
				}
				if _, err := tx.Exec(ctx, `INSERT INTO stock_reservations (order_id, sku, name, qty, held, status, expected_on, created_at, updated_at)
					VALUES ($1, 'PAN', 'Сковородка', 1, 0, 'open', '2026-12-15', $2, $2)`, o.ID, now); err != nil {
					return err
				}
				_, err := task.Create(ctx, tx, []task.Task{{Kind: task.StockShort, OrderID: o.ID, DedupeKey: "short", DueAt: now}}, now)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			b := newBrowser(t, e)
			b.login(people[auth.Operator])
			page := orderPath(o.ID)
			action := page + "/stock/resolve"
			_, _, body := b.do("GET", page, nil)
			wantAll(t, "the short order's page", body, "Нет в наличии", "нет в наличии — поступит во вторник, 15 декабря",
				"Товара нет в наличии", `action="`+action+`#stock"`, "деньги возвращены")

			status, _, body := b.do("POST", action, url.Values{"csrf": {b.csrf}, "resolution": {"refund"}, "refund": {"-5"}})
			if status != http.StatusUnprocessableEntity || !strings.Contains(body, `data-field="refund"`) ||
				!strings.Contains(body, "Укажите сумму возврата") {
				t.Fatalf("a bad refund: %d", status)
			}
			tk := findStockTask(t, e, o.ID)
			if tk.Status != task.Open {
				t.Fatalf("a refused form closed the task")
			}
			status, h, _ := b.do("POST", action, url.Values{"csrf": {b.csrf}, "resolution": {"refund"}, "refund": {"990,00"}})
			if status != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), page+"?saved=stock") {
				t.Fatalf("refund: %d to %q", status, h.Get("Location"))
			}
			tk = findStockTask(t, e, o.ID)
			if tk.Status != task.Done || tk.Outcome != task.Refund || tk.DoneBy != people[auth.Operator] {
				t.Fatalf("the task after the refund: %+v", tk)
			}
			_, _, body = b.do("GET", page, nil)
			wantAll(t, "the settled order's page", body, "нет в наличии — деньги возвращены", "Нет в наличии: возврат денег")
			wantNone(t, "the settled order's page", body, `action="`+action+`#stock"`)
			if status, _, body := b.do("POST", action, url.Values{"csrf": {b.csrf}, "resolution": {"wait"}}); status != http.StatusUnprocessableEntity ||
				!strings.Contains(body, "больше ничего не ждёт") {
				t.Fatalf("nothing short any more: %d", status)
			}
		})
	}
}

func findStockTask(t *testing.T, e *env, orderID int64) task.Task {
	t.Helper()
	ts, err := task.ListByOrder(context.Background(), e.app.DB.Read(), orderID)
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range ts {
		if tk.Kind == task.StockShort {
			return tk
		}
	}
	t.Fatal("no stock_short task")
	return task.Task{}
}
