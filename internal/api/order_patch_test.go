package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/storetest"
)

// orderRow is what a refused change must leave as it was: the order's
// own columns, its items and its promise.
func (e *env) orderRow(t *testing.T, id float64) string {
	t.Helper()
	var row string
	err := e.app.DB.Read().QueryRow(context.Background(), `SELECT address || '|' || carrier || '|' || payment_method || '|' ||
		CAST(paid AS TEXT) || '|' || CAST(total_minor AS TEXT) || '|' || COALESCE(promised_to, '') || '|' ||
		CAST(promise_version AS TEXT) || '|' || CAST((SELECT COUNT(*) FROM order_items WHERE order_id = orders.id) AS TEXT) || '|' ||
		CAST((SELECT COUNT(*) FROM events) AS TEXT) || '|' || CAST((SELECT COUNT(*) FROM promise_changes) AS TEXT) || '|' ||
		(SELECT COALESCE(email, '') || COALESCE(phone, '') || name FROM customers WHERE id = orders.customer_id)
		FROM orders WHERE id = $1`, int64(id)).Scan(&row)
	if err != nil {
		t.Fatal(err)
	}
	return row
}

// versions counts the promises an order's customer was given.
func versions(o map[string]any) int {
	return len(o["promise"].(map[string]any)["history"].([]any))
}

// TestOrderPatch: PATCH /orders/{id} changes what it is sent, re-promises
// when the carrier or the items' making time change, answers the order as
// GET does, and writes nothing on any error, each naming its field.
func TestOrderPatch(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, string(engine))
			status, o, _ := e.call(t, "POST", "/api/v1/orders", order1, e.token)
			if status != http.StatusCreated {
				t.Fatalf("create: %d %v", status, o)
			}
			id := o["id"].(float64)
			path := fmt.Sprintf("/api/v1/orders/%d", int64(id))
			promise := o["promise"].(map[string]any)

			before := e.orderRow(t, id)
			counts := e.counts(t)
			for _, tc := range []struct{ name, body, field, code string }{
				{"unknown carrier", `{"carrier": "teleport", "delivery_address": "elsewhere"}`, "carrier", "unknown"},
				{"bad method", `{"payment": {"method": "barter", "paid": true}}`, "payment.method", "invalid"},
				{"zero qty", `{"items": [{"sku": "A", "qty": 0, "price": 1}]}`, "items[0].qty", "invalid"},
				{"negative price", `{"items": [{"sku": "A", "qty": 1, "price": -1}]}`, "items[0].price", ""},
				{"bad price", `{"items": [{"sku": "A", "qty": 1, "price": "1.2.3"}]}`, "", "malformed_json"},
				{"no items", `{"items": []}`, "items", "required"},
				{"null items", `{"items": null}`, "items", "null"},
				{"null payment", `{"payment": null}`, "payment", "null"},
				{"control in address", `{"delivery_address": "a\u0000b"}`, "delivery_address", ""},
				{"long address", `{"delivery_address": "` + strings.Repeat("д", 501) + `"}`, "delivery_address", "too_long"},
				{"bad email", `{"delivery_address": "new", "customer": {"email": "not-mail"}}`, "customer.email", "invalid"},
				{"bad phone", `{"customer": {"phone": "12"}}`, "customer.phone", "invalid"},
				{"half good", `{"customer": {"email": "new@example.com"}, "carrier": "teleport"}`, "carrier", "unknown"},
				{"status here", `{"status": "shipped"}`, "status", "read_only"},
				{"unknown field", `{"colour": "red"}`, "colour", "unknown"},
				{"unknown nested", `{"payment": {"paid": true, "when": "now"}}`, "payment.when", "unknown"},
				{"wrong type", `{"payment": {"paid": "yes"}}`, "payment.paid", "wrong_type"},
				{"total too large", `{"total": "1e20"}`, "total", ""},
				{"not an object", `[1]`, "", ""},
			} {
				status, b, _ := e.call(t, "PATCH", path, tc.body, e.token)
				er, _ := b["error"].(map[string]any)
				if status != http.StatusUnprocessableEntity || er == nil || er["field"] != nilIfEmpty(tc.field) ||
					tc.code != "" && er["code"] != tc.code {
					t.Errorf("%s: %d %v; want 422 naming %q (%s)", tc.name, status, b, tc.field, tc.code)
				}
				if after := e.orderRow(t, id); after != before {
					t.Errorf("%s: a refused patch changed the order: %s → %s", tc.name, before, after)
				}
			}
			if after := e.counts(t); after != counts {
				t.Errorf("refused patches left rows behind: %+v → %+v", counts, after)
			}
			if status, _, _ := e.call(t, "PATCH", "/api/v1/orders/no-such", `{"payment": {"paid": true}}`, e.token); status != http.StatusNotFound {
				t.Errorf("unknown order: %d, want 404", status)
			}

			// A no-op writes nothing and answers the order.
			status, b, _ := e.call(t, "PATCH", path, `{"carrier": "courier", "payment": {"method": "cod"}}`, e.token)
			if status != http.StatusOK || b["id"] != id {
				t.Fatalf("no-op: %d %v", status, b)
			}
			if after := e.orderRow(t, id); after != before {
				t.Errorf("a no-op patch wrote: %s → %s", before, after)
			}

			// Paid at the door, a new address: no new promise.
			status, b, _ = e.call(t, "PATCH", path, `{"payment": {"paid": true}, "delivery_address": " Москва,\n ул. Ленина, 2 "}`, e.token)
			if status != http.StatusOK || b["payment"].(map[string]any)["paid"] != true ||
				b["delivery_address"] != "Москва, ул. Ленина, 2" || versions(b) != versions(o) {
				t.Fatalf("pay: %d %v", status, b)
			}
			// Another carrier moves the promise, and says why.
			status, b, _ = e.call(t, "PATCH", path, `{"carrier": "post"}`, e.token)
			if status != http.StatusOK || b["carrier"] != "post" {
				t.Fatalf("carrier: %d %v", status, b)
			}
			p := b["promise"].(map[string]any)
			if versions(b) != 2 || p["delivery_to"] == promise["delivery_to"] {
				t.Errorf("a new carrier did not re-promise: %v → %v", promise, p)
			}
			// New items, made to order: the total is their sum, the promise
			// moves out.
			status, b, _ = e.call(t, "PATCH", path, `{"items": [{"sku": "VASE", "name": "Ваза", "qty": 2, "price": "100.25",
				"made_to_order": true, "production_days": 10}]}`, e.token)
			if status != http.StatusOK || b["total"] != 200.5 || len(b["items"].([]any)) != 1 {
				t.Fatalf("items: %d %v", status, b)
			}
			if p2 := b["promise"].(map[string]any); versions(b) != 3 || p2["delivery_to"].(string) <= p["delivery_to"].(string) {
				t.Errorf("longer making did not push the promise out: %v → %v", p, p2)
			}
			// A total apart from the items (shipping), the contact, null
			// clears the address.
			status, b, _ = e.call(t, "PATCH", path, `{"total": "250", "customer": {"name": "Андрей Петров", "phone": "+7 916 000-11-22"},
				"delivery_address": null}`, e.token)
			c, _ := b["customer"].(map[string]any)
			if status != http.StatusOK || b["total"] != 250.0 || c["name"] != "Андрей Петров" || c["phone"] != "+79160001122" ||
				b["delivery_address"] != "" {
				t.Fatalf("total and contact: %d %v", status, b)
			}
			var changed int
			_ = e.app.DB.Read().QueryRow(context.Background(), `SELECT COUNT(*) FROM events WHERE kind = 'order.changed' AND order_id = $1`,
				int64(id)).Scan(&changed)
			if changed != 4 {
				t.Errorf("%d order.changed events, want 4 (one per patch that changed something)", changed)
			}
			// Once shipped, the address and items are final; paying is not.
			if s, _, _ := e.call(t, "POST", path+"/status", `{"status": "shipped", "tracking_number": "RA1"}`, e.token); s != http.StatusOK {
				t.Fatalf("ship: %d", s)
			}
			before = e.orderRow(t, id)
			status, b, _ = e.call(t, "PATCH", path, `{"delivery_address": "elsewhere", "payment": {"paid": false}}`, e.token)
			if er, _ := b["error"].(map[string]any); status != http.StatusUnprocessableEntity || er["code"] != "frozen" || er["field"] != "delivery_address" {
				t.Errorf("address of a shipped order: %d %v", status, b)
			}
			if after := e.orderRow(t, id); after != before {
				t.Errorf("a refused patch of a shipped order wrote: %s → %s", before, after)
			}
			if status, _, _ := e.call(t, "PATCH", path, `{"payment": {"paid": false}}`, e.token); status != http.StatusOK {
				t.Errorf("payment of a shipped order: %d", status)
			}
		})
	}
}

// TestOrderList: GET /orders filters by status, customer, promise state
// and updated_since, pages by cursor without repeats or gaps, and names
// every parameter it cannot read.
func TestOrderList(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, string(engine))
			for i := range 7 {
				customer := "c-1"
				if i%2 == 1 {
					customer = "c-2"
				}
				body := fmt.Sprintf(`{"external_id": "L-%d", "created_at": "2026-11-2%dT10:00:00+03:00", "customer": {"external_id": %q,
					"email": "%s@example.com"}, "items": [{"sku": "A", "qty": 1, "price": 10}], "carrier": "courier"}`, i, i%3+1, customer, customer)
				if status, b, _ := e.call(t, "POST", "/api/v1/orders", body, e.token); status != http.StatusCreated {
					t.Fatalf("create %d: %d %v", i, status, b)
				}
			}
			if status, b, _ := e.call(t, "POST", "/api/v1/orders/L-0/status", `{"status": "processing"}`, e.token); status != http.StatusOK {
				t.Fatalf("status: %d %v", status, b)
			}
			ids := func(b map[string]any) []string {
				var out []string
				for _, o := range b["orders"].([]any) {
					out = append(out, o.(map[string]any)["external_id"].(string))
				}
				return out
			}
			// Pages of 3: every order once, newest first.
			seen := map[string]bool{}
			cursor := ""
			for page := 0; ; page++ {
				path := "/api/v1/orders?limit=3"
				if cursor != "" {
					path += "&cursor=" + cursor
				}
				status, b, _ := e.call(t, "GET", path, "", e.token)
				if status != http.StatusOK {
					t.Fatalf("page %d: %d %v", page, status, b)
				}
				for _, id := range ids(b) {
					if seen[id] {
						t.Errorf("order %s on two pages", id)
					}
					seen[id] = true
				}
				next, _ := b["next_cursor"].(string)
				if next == "" {
					break
				}
				cursor = next
				if page > 5 {
					t.Fatal("paging does not end")
				}
			}
			if len(seen) != 7 {
				t.Errorf("pages held %d orders, want 7", len(seen))
			}
			for _, tc := range []struct {
				query string
				want  int
			}{
				{"status=processing", 1},
				{"status=new", 6},
				{"customer=c-2", 3},
				{"customer=c-1&status=new", 3},
				{"promise_state=on_track", 7},
				{"promise_state=late", 0},
				{"promise_state=kept", 0},
				{"updated_since=" + e.clock.Now().Add(time.Minute).Format(time.RFC3339), 0},
				{"updated_since=" + e.clock.Now().Add(-time.Minute).UTC().Format(time.RFC3339), 7},
			} {
				status, b, _ := e.call(t, "GET", "/api/v1/orders?"+tc.query, "", e.token)
				if status != http.StatusOK || len(ids(b)) != tc.want {
					t.Errorf("%s: %d, %d orders %v; want %d", tc.query, status, len(ids(b)), b, tc.want)
				}
			}
			for _, tc := range []struct{ query, field string }{
				{"status=lost", "status"}, {"promise_state=soon", "promise_state"}, {"updated_since=yesterday", "updated_since"},
				{"customer=nobody", "customer"}, {"limit=0", "limit"}, {"limit=201", "limit"}, {"cursor=zzz", "cursor"},
			} {
				status, b, _ := e.call(t, "GET", "/api/v1/orders?"+tc.query, "", e.token)
				if er, _ := b["error"].(map[string]any); status != http.StatusUnprocessableEntity || er["field"] != tc.field {
					t.Errorf("%s: %d %v; want 422 naming %s", tc.query, status, b, tc.field)
				}
			}
		})
	}
}
