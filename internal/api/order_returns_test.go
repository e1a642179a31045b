package api_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/returns"
	"github.com/shopcare/shopcare/internal/store"
)

// TestOrderReturns: GET /api/v1/orders/{id} lists the return requests the
// customer made on their page, and an order without any keeps the answer
// it had (no returns key).
func TestOrderReturns(t *testing.T) {
	t.Parallel()
	e := newEnv(t, string(store.SQLite))
	ctx := context.Background()
	if status, _, _ := e.call(t, "POST", "/api/v1/orders", order1, e.token); status != http.StatusCreated {
		t.Fatalf("create: %d", status)
	}
	status, b, _ := e.call(t, "GET", "/api/v1/orders/1001", "", e.token)
	if _, ok := b["returns"]; status != http.StatusOK || ok {
		t.Fatalf("an order without returns: %d %v", status, b["returns"])
	}
	o, err := e.app.Orders.Find(ctx, "1001")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []order.Status{order.Shipped, order.Delivered} {
		if _, err := e.app.Orders.ChangeStatus(ctx, o.ID, order.StatusUpdate{Status: s, At: e.clock.Now(), Source: order.SourceAPI}); err != nil {
			t.Fatal(err)
		}
	}
	e.clock.Set(e.clock.Now().Add(48 * time.Hour))
	if _, err := e.app.Returns.Create(ctx, returns.Input{OrderID: o.ID, CustomerID: o.CustomerID, Qty: map[int]int64{2: 1},
		Reason: "damaged", Comment: "Скол на ручке"}); err != nil {
		t.Fatal(err)
	}
	status, b, _ = e.call(t, "GET", "/api/v1/orders/1001", "", e.token)
	list, _ := b["returns"].([]any)
	if status != http.StatusOK || len(list) != 1 {
		t.Fatalf("returns: %d %v", status, b["returns"])
	}
	r := list[0].(map[string]any)
	items, _ := r["items"].([]any)
	if r["reason"] != "damaged" || r["state"] != "requested" || r["comment"] != "Скол на ручке" || len(items) != 1 {
		t.Fatalf("return %v", r)
	}
	if it := items[0].(map[string]any); it["line"] != 2.0 || it["sku"] != "PAN" || it["qty"] != 1.0 {
		t.Errorf("its line %v", it)
	}
}
