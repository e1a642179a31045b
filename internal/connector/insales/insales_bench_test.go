package insales

import (
	"context"
	"testing"

	"github.com/shopcare/shopcare/internal/connector"
)

// BenchmarkVerifyParse is one order webhook checked and read.
func BenchmarkVerifyParse(b *testing.B) {
	w := New(connector.Options{WebhookSecret: "s3cret"}).Webhook
	r := connector.Request{PathSecret: "s3cret", Body: fixture(b, "order_create.json")}
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

// BenchmarkOrdersPage is one page of 250 orders from a local InSales.
func BenchmarkOrdersPage(b *testing.B) {
	api, _ := newShop(b, PerPage).start(b)
	b.ReportAllocs()
	for b.Loop() {
		p, err := api.Orders(context.Background(), connector.Query{})
		if err != nil || len(p.Orders) != PerPage {
			b.Fatal(err, len(p.Orders))
		}
	}
}
