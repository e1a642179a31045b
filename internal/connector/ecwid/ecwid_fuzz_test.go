package ecwid

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/shopcare/shopcare/internal/connector"
)

// FuzzVerifyParse feeds any signature and body through Verify and Parse:
// they may refuse, never panic; an order event always names its order,
// and a body Verify accepts always carries the signed id.
func FuzzVerifyParse(f *testing.F) {
	for _, name := range []string{"webhook_order_created.json", "webhook_order_updated.json", "webhook_order_deleted.json", "webhook_unfinished_order_deleted.json", "webhook_application_installed.json"} {
		f.Add(Sign("1234567", eventIDOf(f, name), clientSecret), fixture(f, name))
	}
	f.Add("", []byte(`{"eventId":1e999,"eventCreated":"x","storeId":[],"eventType":"order.updated"}`))
	w := New(connector.Options{APISecret: clientSecret, StoreID: "1003"}).Webhook
	f.Fuzz(func(t *testing.T, sig string, body []byte) {
		h := http.Header{}
		h.Set(SignatureHeader, sig)
		r := connector.Request{Header: h, Body: body}
		if w.Verify(r) == nil {
			var e event
			if err := json.Unmarshal(body, &e); err != nil || e.EventID == "" {
				t.Fatalf("verified a body without an event id: %q", body)
			}
		}
		d, err := w.Parse(r)
		if err != nil {
			return
		}
		if d.ID == "" || d.Order != nil {
			t.Fatalf("delivery = %+v", d)
		}
		if d.Event != connector.Ignored && d.OrderID == "" {
			t.Fatalf("an order event without its order: %+v", d)
		}
	})
}

// FuzzOrderMap feeds any order JSON through the mapping: it may refuse,
// never panic, and never returns an item below one unit.
func FuzzOrderMap(f *testing.F) {
	f.Add(fixture(f, "order.json"))
	f.Add([]byte(`{"id":"A","total":1e20,"items":[{"quantity":-1,"price":"x"}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var o Order
		if json.Unmarshal(body, &o) != nil {
			return
		}
		m, err := o.Map("EUR", map[string]string{"CUSTOM_FULFILLMENT_STATUS_1": "ready_to_ship"})
		if err != nil {
			return
		}
		for _, it := range m.Items {
			if it.Qty < 1 {
				t.Fatalf("item %+v", it)
			}
		}
	})
}
