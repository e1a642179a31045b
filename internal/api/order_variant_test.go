package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/storetest"
)

// TestOrderVariantID: items[].variant_id is optional on POST and PATCH,
// answered when known and absent when not (older clients see no change),
// and refused by name when it cannot go in a cart link, writing nothing.
func TestOrderVariantID(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, string(engine))
			body := strings.Replace(order1, `"qty": 1, "price": 2490.50}`, `"qty": 1, "price": 2490.50, "variant_id": "44102623193251"}`, 1)
			status, o, _ := e.call(t, "POST", "/api/v1/orders", body, e.token)
			if status != http.StatusCreated {
				t.Fatalf("create: %d %v", status, o)
			}
			items := o["items"].([]any)
			if v := items[0].(map[string]any)["variant_id"]; v != "44102623193251" {
				t.Errorf("items[0].variant_id = %v, want 44102623193251", v)
			}
			if _, ok := items[1].(map[string]any)["variant_id"]; ok {
				t.Errorf("items[1] has a variant_id though none was given: %v", items[1])
			}
			id := int64(o["id"].(float64))
			path := fmt.Sprintf("/api/v1/orders/%d", id)

			before := e.orderRow(t, float64(id))
			for _, tc := range []struct{ name, id string }{
				{"a space", "4410 2623"},
				{"too long", strings.Repeat("9", 65)},
				{"a control character", `44\u000102`},
			} {
				status, b, _ := e.call(t, "PATCH", path, `{"items": [{"sku": "POT-1", "qty": 1, "price": 1, "variant_id": "`+tc.id+`"}]}`, e.token)
				er, _ := b["error"].(map[string]any)
				if status != http.StatusUnprocessableEntity || er == nil || er["field"] != "items[0].variant_id" {
					t.Errorf("%s: %d %v; want 422 naming items[0].variant_id", tc.name, status, b)
				}
			}
			if after := e.orderRow(t, float64(id)); after != before {
				t.Errorf("refused patches wrote: %s → %s", before, after)
			}
			status, o, _ = e.call(t, "PATCH", path, `{"items": [{"sku": "PAN", "name": "Сковородка", "qty": 1, "price": 1000, "variant_id": "8031"}]}`, e.token)
			if status != http.StatusOK {
				t.Fatalf("patch: %d %v", status, o)
			}
			status, o, _ = e.call(t, "GET", path, "", e.token)
			items = o["items"].([]any)
			if status != http.StatusOK || len(items) != 1 || items[0].(map[string]any)["variant_id"] != "8031" {
				t.Errorf("after the patch: %d %v", status, o["items"])
			}
		})
	}
}
