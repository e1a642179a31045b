package insales

import (
	"net/url"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/connector"
)

func productRequest(body string) connector.Request {
	return connector.Request{Query: url.Values{"topic": {"products/update"}}, Body: []byte(body)}
}

func TestParseStockForms(t *testing.T) {
	t.Parallel()
	w := &Webhook{}
	for _, body := range []string{
		`{"id": 1, "title": "Mug", "variants": [{"id": 2, "sku": "M", "quantity": 3}]}`,
		`{"product": {"id": 1, "title": "Mug", "variants": [{"id": 2, "sku": "M", "quantity": "3.0"}]}}`,
		`[{"id": 1, "title": "Mug", "variants": [{"id": 2, "sku": "M", "quantity": 3}]}]`,
	} {
		d, ok, err := w.ParseStock(productRequest(body))
		if err != nil || !ok || len(d.Levels) != 1 || d.Levels[0].OnHand != 3 || d.Levels[0].SKU != "M" {
			t.Errorf("%s: %+v %v %v", body, d, ok, err)
		}
	}
	// An order webhook is still an order's.
	if _, ok, _ := w.ParseStock(connector.Request{Query: url.Values{"topic": {"orders/update"}}, Body: []byte(`{"id": 1}`)}); ok {
		t.Error("an order read as stock")
	}
	d, err := w.Parse(productRequest(`[{"id": 1}]`))
	if err != nil || d.Event != connector.Ignored {
		t.Errorf("Parse of a product webhook = %+v, %v; want it left to ParseStock", d, err)
	}
	if _, _, err := w.ParseStock(productRequest(`[{"id": 1}, {"title": "no id"}]`)); err == nil || !strings.Contains(err.Error(), "[1].id") {
		t.Errorf("a product without id: %v, want [1].id", err)
	}
}

// FuzzParseStock feeds ParseStock any product body, seeded with the
// documented product resource: it never panics, and every level it
// accepts has a SKU and a count within bounds.
func FuzzParseStock(f *testing.F) {
	f.Add(fixture(f, "products_update.json"))
	f.Add([]byte(`{"product":{"id":1,"variants":[{"sku":"A","quantity":"1e3"}]}}`))
	w := &Webhook{}
	f.Fuzz(func(t *testing.T, body []byte) {
		d, ok, err := w.ParseStock(productRequest(string(body)))
		if err != nil || !ok {
			return
		}
		for _, l := range d.Levels {
			if strings.TrimSpace(l.SKU) == "" || l.OnHand > 1e9 || l.OnHand < -1e9 {
				t.Fatalf("level %+v", l)
			}
		}
	})
}
