package tilda

import (
	"testing"

	"github.com/shopcare/shopcare/internal/connector"
)

// BenchmarkVerifyParse is one cart submission checked and read.
func BenchmarkVerifyParse(b *testing.B) {
	w := New(connector.Options{WebhookSecret: "s3cret"}).Webhook
	r := connector.Request{PathSecret: "s3cret", Body: fixture(b, "cart.txt")}
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
