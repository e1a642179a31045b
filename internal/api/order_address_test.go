package api_test

import (
	"context"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/callback"
	"github.com/shopcare/shopcare/internal/storetest"
	"github.com/shopcare/shopcare/internal/task"
)

// TestOrderDeliveryAddress: an order takes its delivery address as
// delivery_address (or the older address), kept on one line; GET returns
// it, unconfirmed until the call-back reaches the customer, and confirmed
// after. An address too long or with control characters is a 422 naming
// delivery_address, and leaves no order behind.
func TestOrderDeliveryAddress(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			e := newEnv(t, string(engine))
			body := func(ext, field, address string) string {
				return `{"external_id": "` + ext + `", "customer": {"external_id": "c-` + ext + `", "name": "Андрей", "phone": "+7 916 123-45-67"},
					"items": [{"sku": "POT", "name": "Кастрюля", "qty": 1, "price": 10}], "carrier": "courier", "` + field + `": "` + address + `"}`
			}
			bad := []struct {
				name, address string
			}{
				{"control character", `ул. Ленина, 1\u0007`},
				{"NUL", `ул. Ленина\u0000, 1`},
				{"escape", `\u001b[31mул. Ленина`},
				{"too long", strings.Repeat("д", 501)},
			}
			for _, tt := range bad {
				status, b, _ := e.call(t, "POST", "/api/v1/orders", body("BAD-1", "delivery_address", tt.address), e.token)
				errBody, _ := b["error"].(map[string]any)
				if status != 422 || errBody == nil || errBody["field"] != "delivery_address" {
					t.Errorf("%s: %d %v, want 422 naming delivery_address", tt.name, status, b)
				}
			}
			if status, _, _ := e.call(t, "GET", "/api/v1/orders/BAD-1", "", e.token); status != 404 {
				t.Errorf("a refused order was stored: GET answered %d", status)
			}

			status, b, _ := e.call(t, "POST", "/api/v1/orders", body("A-1", "delivery_address", `Москва,\n  ул. Тверская, 1,\tкв. 5 `), e.token)
			if status != 201 || b["delivery_address"] != "Москва, ул. Тверская, 1, кв. 5" || b["delivery_address_confirmed_at"] != nil {
				t.Fatalf("create: %d address %q confirmed %v", status, b["delivery_address"], b["delivery_address_confirmed_at"])
			}
			if status, b, _ := e.call(t, "POST", "/api/v1/orders", body("A-2", "address", "Рига, Brīvības iela 1"), e.token); status != 201 || b["delivery_address"] != "Рига, Brīvības iela 1" {
				t.Errorf("the older name address: %d %q", status, b["delivery_address"])
			}
			if status, b, _ := e.call(t, "POST", "/api/v1/orders", body("A-3", "x", ""), e.token); status != 201 || b["delivery_address"] != "" {
				t.Errorf("no address: %d %q", status, b["delivery_address"])
			}

			// The call reaches the customer, who moves the parcel to work.
			if _, err := e.app.Dispatcher.Drain(ctx); err != nil {
				t.Fatal(err)
			}
			id := int64(b["id"].(float64)) // A-1's: the later answers were their own b
			var tk int64
			ts, err := task.ListByOrder(ctx, e.app.DB.Read(), id)
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range ts {
				if x.Kind == task.Callback {
					tk = x.ID
				}
			}
			if tk == 0 {
				t.Fatalf("order A-1 (%d) has no call-back: %+v", id, ts)
			}
			if _, err := e.app.Callbacks.Reached(ctx, tk, callback.ReachedInput{Address: "Москва, ул. Тверская, 3"}, "op@example.com"); err != nil {
				t.Fatal(err)
			}
			_, b, _ = e.call(t, "GET", "/api/v1/orders/A-1", "", e.token)
			if b["delivery_address"] != "Москва, ул. Тверская, 3" || b["delivery_address_confirmed_at"] == nil {
				t.Errorf("after the call: address %q confirmed %v", b["delivery_address"], b["delivery_address_confirmed_at"])
			}
		})
	}
}
