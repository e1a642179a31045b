package localshop_test

import (
	"context"
	"testing"

	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/connector/localshop"
)

// BenchmarkOrdersPage reads pages of 250 orders over HTTP: the platform's
// share of a backfill.
func BenchmarkOrdersPage(b *testing.B) {
	_, a := adapter(b, localshop.ServerOptions{Orders: 100_000}, nil)
	var q connector.Query
	b.ResetTimer()
	for b.Loop() {
		p, err := a.API.Orders(context.Background(), q)
		if err != nil {
			b.Fatal(err)
		}
		q.Cursor = p.Next
	}
}
