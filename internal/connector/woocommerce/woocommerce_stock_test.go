package woocommerce

import (
	"os"
	"strings"
	"testing"
)

func TestParseStock(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, body string
		levels     int
		skipped    int
		ref        string
	}{
		{"managed", `{"id": 5, "type": "simple", "sku": "A", "manage_stock": true, "stock_quantity": 4}`, 1, 0, ""},
		{"back orders", `{"id": 5, "type": "simple", "sku": "A", "manage_stock": true, "stock_quantity": -3}`, 1, 0, ""},
		{"unmanaged", `{"id": 5, "type": "simple", "sku": "A", "manage_stock": false, "stock_quantity": null}`, 0, 1, ""},
		{"no sku", `{"id": 5, "type": "simple", "sku": "", "manage_stock": true, "stock_quantity": 4}`, 0, 1, ""},
		{"variation with its product", `{"id": 6, "type": "variation", "sku": "A-1", "manage_stock": "parent", "stock_quantity": 4}`, 0, 1, ""},
		{"variation", `{"id": 6, "type": "variation", "sku": "A-1", "manage_stock": true, "stock_quantity": 2}`, 1, 0, ""},
		{"variable", `{"id": 7, "type": "variable", "sku": "V", "manage_stock": true, "stock_quantity": 8, "variations": [8, 9]}`, 1, 0, "7"},
	} {
		d, ok, err := adapter().ParseStock(delivery("product.updated", []byte(tc.body)))
		if err != nil || !ok || len(d.Levels) != tc.levels || d.Skipped != tc.skipped || d.Ref != tc.ref {
			t.Errorf("%s: %+v %v %v, want %d levels, %d skipped, ref %q", tc.name, d, ok, err, tc.levels, tc.skipped, tc.ref)
		}
	}
	if _, ok, _ := adapter().ParseStock(delivery("order.updated", []byte(`{"id": 5}`))); ok {
		t.Error("an order topic read as stock")
	}
	if _, _, err := adapter().ParseStock(delivery("product.updated", []byte(`{"sku": "A"}`))); err == nil || !strings.Contains(err.Error(), "id") {
		t.Errorf("a product without id: %v", err)
	}
}

// FuzzParseStock feeds ParseStock any product body, seeded with the REST
// reference's products: it never panics, and every level it accepts has
// a SKU and a count within bounds.
func FuzzParseStock(f *testing.F) {
	for _, file := range []string{"product.json", "product_variable.json"} {
		b, err := os.ReadFile("testdata/" + file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"id":"12","manage_stock":"parent","stock_quantity":1e30}`))
	a := adapter()
	f.Fuzz(func(t *testing.T, body []byte) {
		d, ok, err := a.ParseStock(delivery("product.updated", body))
		if err != nil || !ok {
			return
		}
		for _, l := range d.Levels {
			if strings.TrimSpace(l.SKU) == "" || l.OnHand > 1e9 || l.OnHand < -1e9 {
				t.Fatalf("level %+v", l)
			}
		}
		if d.Ref != "" && checkID(d.Ref) != nil {
			t.Fatalf("ref %q", d.Ref)
		}
	})
}
