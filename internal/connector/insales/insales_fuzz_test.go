package insales

import (
	"net/url"
	"testing"

	"github.com/shopcare/shopcare/internal/connector"
)

// FuzzVerifyParse feeds any secret, topic and body through Verify and
// Parse: they may refuse, never panic, and a parsed order always has its
// id.
func FuzzVerifyParse(f *testing.F) {
	for _, name := range []string{"order_create.json", "order_update_dispatched.json", "order_update_custom_status.json", "order_update_dispatched.xml"} {
		f.Add("s3cret", "orders/update", fixture(f, name))
	}
	f.Add("", "", []byte(`{"id": 1, "order_lines": [{"quantity": 1e300, "sale_price": -1}]}`))
	f.Add("x", "orders/create", []byte(`{"order": {"id": "1", "total_price": 1e-400}}`))
	w := New(connector.Options{WebhookSecret: "s3cret", Statuses: map[string]string{"sobran": "ready_to_ship"}}).Webhook
	f.Fuzz(func(t *testing.T, secret, topic string, body []byte) {
		r := connector.Request{PathSecret: secret, Query: url.Values{"topic": {topic}}, Body: body}
		_ = w.Verify(r)
		d, err := w.Parse(r)
		if err != nil {
			return
		}
		if d.Order == nil || d.Order.ID == "" || d.OrderID != d.Order.ID || d.ID == "" {
			t.Fatalf("parsed a delivery without its order: %+v", d)
		}
		for _, it := range d.Order.Items {
			if it.Qty < 1 || it.PriceMinor < 0 {
				t.Fatalf("item %+v", it)
			}
		}
	})
}
