package custom

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/connector"
)

// FuzzWebhook verifies and parses any body, signature and address
// secret through the PHP site's mapping, and parses it again through a
// path-secret mapping: it must never panic, a refusal is always
// ErrUnauthorized, and an order event always carries its order's id.
func FuzzWebhook(f *testing.F) {
	body := fixture(f, "php_site_order.json")
	f.Add(body, "sha256="+hex.EncodeToString(sign(sha256.New, secret, body)), "")
	f.Add(fixture(f, "lemonsqueezy_order_created.json"), "", secret)
	f.Add([]byte(`{"event": "ping"}`), "sha256=00", "x")
	f.Add([]byte(`{"event": "order.created", "order": {"id": 1, "lines": [{"sku": 1, "quantity": "0"}], "total": -1}}`), "", "")
	f.Add([]byte(`[{"order": null}]`), "", "")
	f.Add([]byte(`{"event": "order.created", "order": {"id": 2, "lines": [{"sku": "A", "product_id": {"x": 1}, "quantity": 1}]}}`), "", "")
	f.Add([]byte(`{"data": {"id": 3, "lines": [{"n": "A", "v": " 9 ", "q": 1, "p": 1}, {"n": "B", "v": 12345678901234567890, "q": 1}]}}`), "", secret)
	signed := webhook(f, phpMapping)
	plain := webhook(f, `
order_id: /data/id
event: /meta/event_name
placed_at: /data/attributes/created_at
total: /data/attributes/total
money: minor
currency: /data/attributes/currency
status: /data/attributes/status
statuses: {paid: processing}
items: {path: /data/lines, name: /n, variant_id: /v, qty: /q, price: /p}
`)
	f.Fuzz(func(t *testing.T, body []byte, signature, pathSecret string) {
		h := http.Header{}
		h.Set("X-Signature", signature)
		req := connector.Request{Header: h, Query: url.Values{}, PathSecret: pathSecret, Body: body}
		for _, w := range []*Webhook{signed, plain} {
			if err := w.Verify(req); err != nil && !errors.Is(err, connector.ErrUnauthorized) {
				t.Fatalf("Verify = %v, want ErrUnauthorized", err)
			}
			d, err := w.Parse(req)
			if err != nil {
				continue
			}
			switch d.Event {
			case connector.Ping, connector.Ignored:
				if d.Order != nil {
					t.Fatalf("%s with an order", d.Event)
				}
			default:
				if d.Order == nil || d.OrderID == "" || d.OrderID != d.Order.ID {
					t.Fatalf("order event %s without its order: %+v", d.Event, d)
				}
				for _, it := range d.Order.Items {
					if it.Qty < 1 || it.PriceMinor < 0 || it.VariantID != strings.TrimSpace(it.VariantID) {
						t.Fatalf("line %+v", it)
					}
				}
				if d.Order.TotalMinor < 0 {
					t.Fatalf("total %d", d.Order.TotalMinor)
				}
			}
		}
	})
}
