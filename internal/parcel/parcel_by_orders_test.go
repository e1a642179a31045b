package parcel_test

import (
	"testing"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestByOrdersAgreesWithByOrder: the parcels of several orders read at
// once are each order's parcels read alone; an order without parcels,
// or none asked, has no entry.
func TestByOrdersAgreesWithByOrder(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			a, _ := apptest.New(t, engine, false)
			one := shipped(t, a, "B-1", "post", "RA000000001RU")
			two := shipped(t, a, "B-2", "post", "RA000000002RU")
			if _, _, err := a.Parcels.Add(ctx, two.ID, "post", "RA000000003RU"); err != nil {
				t.Fatal(err)
			}
			none := shipped(t, a, "B-3", "courier", "")
			got, err := a.Parcels.ByOrders(ctx, []int64{one.ID, two.ID, none.ID, 1 << 40})
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range []int64{one.ID, two.ID, none.ID} {
				want := parcels(t, a, id)
				if len(got[id]) != len(want) {
					t.Fatalf("order %d: %d parcels read at once, %d alone", id, len(got[id]), len(want))
				}
				for i := range want {
					if got[id][i].ID != want[i].ID || got[id][i].TrackingNumber != want[i].TrackingNumber {
						t.Fatalf("order %d: parcel %d is %+v at once, %+v alone", id, i, got[id][i], want[i])
					}
				}
			}
			if len(got[two.ID]) != 2 || len(got) != 2 {
				t.Fatalf("ByOrders: %v, want two orders, the second with 2 parcels", got)
			}
			if empty, err := a.Parcels.ByOrders(ctx, nil); err != nil || len(empty) != 0 {
				t.Fatalf("no orders: %v, %v", empty, err)
			}
		})
	}
}
