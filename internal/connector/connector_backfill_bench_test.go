package connector_test

import (
	"context"
	"testing"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/connector"
	"github.com/shopcare/shopcare/internal/connector/localshop"
	"github.com/shopcare/shopcare/internal/store"
)

// BenchmarkBackfill reads a shop of 10,000 orders in pages of 250 from
// the local platform into a fresh SQLite store, per iteration
// (`shopcare bench backfill` measures 100,000).
func BenchmarkBackfill(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		a, _ := apptest.New(b, store.SQLite, false)
		p := newPlatform(b, localshop.ServerOptions{Orders: 10_000})
		b.StartTimer()
		res, err := backfiller(a).Run(context.Background(), p.conn, p.api, connector.BackfillOptions{})
		if err != nil || res.Stored != 10_000 {
			b.Fatalf("%+v, %v", res, err)
		}
	}
	b.ReportMetric(float64(10_000*b.N)/b.Elapsed().Seconds(), "orders/s")
}
