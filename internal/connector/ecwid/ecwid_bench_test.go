package ecwid

import (
	"context"
	"testing"

	"github.com/shopcare/shopcare/internal/connector"
)

// BenchmarkVerifyParse is one webhook checked and read.
func BenchmarkVerifyParse(b *testing.B) {
	w := New(connector.Options{APISecret: clientSecret, StoreID: "1003"}).Webhook
	r := signed(b, "webhook_order_created.json")
	b.ReportAllocs()
	for b.Loop() {
		if err := w.Verify(r); err != nil {
			b.Fatal(err)
		}
		if _, err := w.Parse(r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOrdersPage is one page of 100 orders from a local Ecwid.
func BenchmarkOrdersPage(b *testing.B) {
	api, _ := newStore(b, Limit).start(b)
	b.ReportAllocs()
	for b.Loop() {
		p, err := api.Orders(context.Background(), connector.Query{})
		if err != nil || len(p.Orders) != Limit {
			b.Fatal(err, len(p.Orders))
		}
	}
}
