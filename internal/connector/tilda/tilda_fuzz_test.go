package tilda

import (
	"net/http"
	"testing"

	"github.com/shopcare/shopcare/internal/connector"
)

// FuzzVerifyParse feeds any secret, authorization and body through
// Verify and Parse: they may refuse, never panic; an order always has
// its id and whole units.
func FuzzVerifyParse(f *testing.F) {
	for _, name := range []string{"test.txt", "form.txt", "cart.txt", "cart.json"} {
		f.Add("s3cret", "", fixture(f, name))
	}
	f.Add("", "Bearer x", []byte(`{"tranid":"1","payment":"{\"products\":[\"=\",\"a=b=1e99\"]}"}`))
	w := New(connector.Options{WebhookSecret: "s3cret"}).Webhook
	f.Fuzz(func(t *testing.T, secret, auth string, body []byte) {
		r := connector.Request{PathSecret: secret, Header: http.Header{"Authorization": {auth}}, Body: body}
		_ = w.Verify(r)
		d, err := w.Parse(r)
		if err != nil || d.Event == connector.Ping {
			return
		}
		if d.ID == "" || d.Order == nil || d.Order.ID == "" {
			t.Fatalf("delivery = %+v", d)
		}
		for _, it := range d.Order.Items {
			if it.Qty < 1 || it.PriceMinor < 0 {
				t.Fatalf("item %+v", it)
			}
		}
	})
}
