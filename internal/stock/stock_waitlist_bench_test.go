package stock_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/stock"
	"github.com/shopcare/shopcare/internal/store"
)

// BenchmarkTellWaiting: 100 units come in for a SKU 1,000 customers wait
// for: the 100 oldest are marked told and journalled, in one transaction
// (SQLite). Reproduce: go test ./internal/stock/ -run '^$' -bench TellWaiting -benchtime 20x
func BenchmarkTellWaiting(b *testing.B) {
	ctx := context.Background()
	a, clk := apptest.New(b, store.SQLite, false)
	for i := range b.N {
		sku := fmt.Sprintf("SKU-%d", i)
		for j := range 1000 {
			clk.Advance(time.Millisecond)
			if _, err := a.Stock.Ask(ctx, stock.AskParams{SKU: sku, Email: fmt.Sprintf("c%d@example.com", j), Source: stock.SourceAPI}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ResetTimer()
	for i := range b.N {
		if err := a.Stock.TellWaiting(ctx, fmt.Sprintf("SKU-%d", i), 100); err != nil {
			b.Fatal(err)
		}
	}
}
