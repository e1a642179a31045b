package ecwid

import (
	"encoding/json"
	"testing"

	"github.com/shopcare/shopcare/internal/connector"
)

func TestProductLevels(t *testing.T) {
	t.Parallel()
	var p Product
	if err := json.Unmarshal(fixture(t, "product.json"), &p); err != nil {
		t.Fatal(err)
	}
	levels, skipped := p.levels()
	if len(levels) != 1 || levels[0].SKU != "00004-S" || levels[0].OnHand != 4 || skipped != 1 {
		t.Errorf("levels %+v skipped %d, want 00004-S with 4, the unlimited one skipped", levels, skipped)
	}
	for _, tc := range []struct {
		body   string
		levels int
	}{
		{`{"id": 1, "sku": "A", "quantity": 3, "unlimited": false}`, 1},
		{`{"id": 1, "sku": "A", "unlimited": true}`, 0},
		{`{"id": 1, "sku": "", "quantity": 3}`, 0},
	} {
		var p Product
		if err := json.Unmarshal([]byte(tc.body), &p); err != nil {
			t.Fatal(err)
		}
		if got, _ := p.levels(); len(got) != tc.levels {
			t.Errorf("%s: %+v, want %d levels", tc.body, got, tc.levels)
		}
	}
}

// FuzzParseStock feeds ParseStock any body, seeded with the documented
// product webhook: it never panics, and a product it accepts is named by
// a numeric id.
func FuzzParseStock(f *testing.F) {
	f.Add(fixture(f, "webhook_product_updated.json"))
	f.Add(fixture(f, "webhook_order_created.json"))
	f.Add([]byte(`{"eventType":"product.created","entityId":"../orders","data":{"productId":-1}}`))
	w := &Webhook{opts: connector.Options{APISecret: clientSecret, StoreID: "1003"}}
	f.Fuzz(func(t *testing.T, body []byte) {
		d, ok, err := w.ParseStock(connector.Request{Body: body})
		if err != nil || !ok {
			return
		}
		if productID(d.Ref) != nil || len(d.Levels) != 0 {
			t.Fatalf("accepted %+v", d)
		}
	})
}
