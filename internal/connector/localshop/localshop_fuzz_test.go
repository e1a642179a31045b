package localshop_test

import (
	"os"
	"testing"

	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/connector/localshop"
)

// FuzzParse: no body makes the parser panic, and what it accepts has an
// order with an id.
func FuzzParse(f *testing.F) {
	seed, err := os.ReadFile("testdata/order.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"id":"1","status":"paid","total":"1e9","items":[{"price":"x"}]}`))
	a := localshop.New(connector.Options{WebhookSecret: "s"})
	f.Fuzz(func(t *testing.T, body []byte) {
		d, err := a.Webhook.Parse(connector.Request{Body: body})
		if err == nil && (d.Order == nil || d.Order.ID == "" || d.OrderID != d.Order.ID) {
			t.Errorf("accepted without an order id: %+v", d)
		}
	})
}
