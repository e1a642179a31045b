package order_test

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"testing"

	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestCreateReadAsGet: the order CreateRead answers with, read back for
// its whole group commit at once, is the order Get returns, for new
// orders, repeated ones and customers shared within a group.
func TestCreateReadAsGet(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		for _, started := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/committers=%v", engine, started), func(t *testing.T) {
				t.Parallel()
				ctx := context.Background()
				a, _ := newApp(t, engine, false)
				if started {
					if err := a.Start(ctx); err != nil {
						t.Fatal(err)
					}
				}
				var wg sync.WaitGroup
				for i := range 24 {
					wg.Go(func() {
						n := sample(fmt.Sprintf("R-%d", i%20), fmt.Sprintf("c-%d", i%5), fmt.Sprintf("c%d@example.com", i%5))
						n.Items = append(n.Items, order.Item{SKU: "PAN", Name: "Сковорода", Qty: 1, PriceMinor: 99000})
						res, got, err := a.Orders.CreateRead(ctx, mustNormalize(t, a, n))
						if err != nil {
							t.Errorf("%s: %v", n.ExternalID, err)
							return
						}
						if got == nil {
							t.Errorf("%s: no order read back", n.ExternalID)
							return
						}
						want, err := a.Orders.Get(ctx, res.ID)
						if err != nil {
							t.Errorf("get %d: %v", res.ID, err)
							return
						}
						// The same instants: which zone a driver reads a
						// time in does not count (the API shows them in
						// the shop's zone).
						if !reflect.DeepEqual(canonical(got), canonical(want)) {
							t.Errorf("%s: CreateRead answered\n%+v\nGet returns\n%+v", n.ExternalID, got, want)
						}
					})
				}
				wg.Wait()
			})
		}
	}
}
