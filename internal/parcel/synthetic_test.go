package parcel_test

import (
	"context"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/parcel"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestSynthetic gives the synthetic shipped orders their synthetic
// parcels on each engine: each order's carrier and tracking number.
func TestSynthetic(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			ctx := context.Background()
			db, _ := storetest.OpenTest(t, engine)
			q := db.Read()
			now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
			err := db.InTx(ctx, func(tx *store.Tx) error {
				if err := customer.SyntheticInsert(ctx, tx, customer.Synthetic{Engine: engine, From: 1, To: 3, At: now}); err != nil {
					return err
				}
				err := order.SyntheticInsertShipped(ctx, tx, order.SyntheticShipped{
					SyntheticSeries: order.SyntheticSeries{Engine: engine, From: 1, To: 7}, Customers: 3, Now: now.Unix()})
				if err != nil {
					return err
				}
				return parcel.SyntheticInsert(ctx, tx, parcel.Synthetic{Engine: engine, From: 1, To: 7, Now: now.Unix()})
			})
			if err != nil {
				t.Fatal(err)
			}
			if n, lo, hi, err := parcel.OrderIDRange(ctx, q); err != nil || n != 7 || lo != 1 || hi != 7 {
				t.Fatalf("parcels: %d of orders %d-%d, %v; want 7 of orders 1-7", n, lo, hi, err)
			}
			for id := int64(1); id <= 7; id++ {
				o, err := order.Get(ctx, q, id)
				if err != nil {
					t.Fatal(err)
				}
				p, err := parcel.ByTrackingNumber(ctx, q, o.TrackingNumber)
				if err != nil || p.OrderID != id || p.Carrier != o.Carrier {
					t.Errorf("order %d (%s by %s): parcel %+v, %v", id, o.TrackingNumber, o.Carrier, p, err)
				}
			}
			if n, err := parcel.EventCountAll(ctx, q); err != nil || n != 0 {
				t.Errorf("events: %d, %v; want 0", n, err)
			}
		})
	}
}
