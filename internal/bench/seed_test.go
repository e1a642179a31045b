package bench

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/loyalty"
	"github.com/shopcare/shopcare/internal/message"
	"github.com/shopcare/shopcare/internal/order"
	"github.com/shopcare/shopcare/internal/parcel"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
	"github.com/shopcare/shopcare/internal/task"
)

// TestSeedLoyalty seeds a small store as bench loyalty and bench metrics
// do, on each engine, and checks what the owners count.
func TestSeedLoyalty(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			ctx := context.Background()
			db, _ := storetest.OpenTest(t, engine)
			q := db.Read()
			sd := benchLoyaltySeeder{db: db, progress: io.Discard, expire: int64(365 * 24 * time.Hour / time.Second)}
			if err := sd.customers(ctx, 50); err != nil {
				t.Fatal(err)
			}
			if n, err := customer.CountAll(ctx, q); err != nil || n != 50 {
				t.Fatalf("customers: %d, %v; want 50", n, err)
			}
			if id, err := customer.IDFrom(ctx, q, 7); err != nil || id != 7 {
				t.Fatalf("customer from 7: %d, %v", id, err)
			}

			orders, err := sd.orders(ctx, 30, 20)
			if err != nil {
				t.Fatal(err)
			}
			if len(orders) != 30 {
				t.Fatalf("orders: %d, want 30", len(orders))
			}
			for _, o := range orders {
				if o.CustomerID < 1 || o.CustomerID > 20 || o.TotalMinor < 49000 {
					t.Fatalf("order %+v: want a customer of 1-20 and a total of at least 49000", o)
				}
			}
			if by, err := order.CountByStatus(ctx, q); err != nil || by["delivered"] != 30 || len(by) != 1 {
				t.Fatalf("orders by status: %v, %v; want 30 delivered", by, err)
			}

			start := benchLoyaltyNow.Add(-365 * 24 * time.Hour)
			if err := sd.history(ctx, &benchLoyaltySeed{}, 40, 50, start, 300*24*time.Hour); err != nil {
				t.Fatal(err)
			}
			if n, err := loyalty.TransactionCountAll(ctx, q); err != nil || n != 40 {
				t.Fatalf("transactions: %d, %v; want 40", n, err)
			}
			if n, err := loyalty.EntryCountAll(ctx, q); err != nil || n != 80 {
				t.Fatalf("entries: %d, %v; want 80", n, err)
			}
			if err := loyalty.Audit(ctx, q); err != nil {
				t.Fatalf("the seeded ledger fails its audit: %v", err)
			}

			err = sd.series(ctx, "orders", 20, func(tx *store.Tx, lo, hi int64) error {
				return order.SyntheticInsertHistory(ctx, tx, order.SyntheticHistory{
					SyntheticSeries: order.SyntheticSeries{Engine: engine, From: lo, To: hi},
					Customers:       50, Start: start.Unix(), Span: 300 * 86400, Total: 20})
			})
			if err != nil {
				t.Fatal(err)
			}
			by, err := order.CountByStatusPrefix(ctx, q, "bm-")
			if err != nil || by["delivered"] != 18 || by["cancelled"] != 1 || by["returned"] != 1 {
				t.Fatalf("history orders by status: %v, %v; want 18 delivered, 1 cancelled, 1 returned", by, err)
			}
		})
	}
}

// TestSeedParcels seeds a small store as bench parcels does, on each
// engine: each shipped order's parcel has its carrier and tracking number,
// the one the carriers' feed sends events for.
func TestSeedParcels(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			ctx := context.Background()
			db, _ := storetest.OpenTest(t, engine)
			q := db.Read()
			sd := benchParcelsSeeder{benchLoyaltySeeder{db: db, progress: io.Discard}}
			if err := sd.customers(ctx, 10); err != nil {
				t.Fatal(err)
			}
			now := benchPagesNow.Unix()
			err := sd.series(ctx, "shipped orders", 12, func(tx *store.Tx, lo, hi int64) error {
				return order.SyntheticInsertShipped(ctx, tx, order.SyntheticShipped{
					SyntheticSeries: order.SyntheticSeries{Engine: engine, From: lo, To: hi}, Customers: 10, Now: now})
			})
			if err != nil {
				t.Fatal(err)
			}
			err = sd.series(ctx, "parcels", 12, func(tx *store.Tx, lo, hi int64) error {
				return parcel.SyntheticInsert(ctx, tx, parcel.Synthetic{Engine: engine, From: lo, To: hi, Now: now})
			})
			if err != nil {
				t.Fatal(err)
			}
			if n, lo, hi, err := parcel.OrderIDRange(ctx, q); err != nil || n != 12 || lo != 1 || hi != 12 {
				t.Fatalf("parcels: %d of orders %d-%d, %v; want 12 of orders 1-12", n, lo, hi, err)
			}
			for i := 1; i <= 12; i++ {
				o, err := order.Get(ctx, q, int64(i))
				if err != nil {
					t.Fatal(err)
				}
				ps, err := parcel.ByOrder(ctx, q, o.ID)
				if err != nil || len(ps) != 1 {
					t.Fatalf("order %d: parcels %v, %v; want one", i, ps, err)
				}
				if want := benchParcelTracking(i); o.TrackingNumber != want || ps[0].TrackingNumber != want || ps[0].Carrier != o.Carrier {
					t.Errorf("order %d: tracking %q, parcel %q by %q (order by %q); want %q", i, o.TrackingNumber,
						ps[0].TrackingNumber, ps[0].Carrier, o.Carrier, want)
				}
			}
			if n, err := parcel.EventCountAll(ctx, q); err != nil || n != 0 {
				t.Fatalf("parcel events: %d, %v; want 0", n, err)
			}

			day := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
			err = sd.series(ctx, "open orders", 40, func(tx *store.Tx, lo, hi int64) error {
				return order.SyntheticInsertOpen(ctx, tx, order.SyntheticOpen{
					SyntheticSeries: order.SyntheticSeries{Engine: engine, From: lo, To: hi}, Customers: 10, Today: day.Unix()})
			})
			if err != nil {
				t.Fatal(err)
			}
			by, err := order.CountByStatusPrefix(ctx, q, "oo-")
			if err != nil || by["new"]+by["processing"]+by["ready_to_ship"]+by["shipped"] != 40 {
				t.Fatalf("open orders by status: %v, %v; want 40", by, err)
			}
			today := day.Format(time.DateOnly)
			graceEnd := day.AddDate(0, 0, -2).Format(time.DateOnly)
			late, err := order.CountOpenPromisedBefore(ctx, q, graceEnd)
			if err != nil {
				t.Fatal(err)
			}
			atRisk, err := order.CountOpenPromisedBetween(ctx, q, graceEnd, today)
			if err != nil {
				t.Fatal(err)
			}
			if late == 0 || atRisk == 0 || late+atRisk > 40 {
				t.Errorf("late %d, at risk %d of 40 open orders promised from 40 days before to 30 after", late, atRisk)
			}
		})
	}
}

// TestSampleAndCounts reads a sample order and the counts of the open work
// bench pages reports.
func TestSampleAndCounts(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			ctx := context.Background()
			db, _ := storetest.OpenTest(t, engine)
			q := db.Read()
			sd := benchLoyaltySeeder{db: db, progress: io.Discard}
			if err := sd.customers(ctx, 5); err != nil {
				t.Fatal(err)
			}
			if _, err := sd.orders(ctx, 5, 5); err != nil {
				t.Fatal(err)
			}
			o, err := order.SampleFrom(ctx, q, 3)
			if err != nil {
				t.Fatal(err)
			}
			if o.ID != 3 || o.ExternalID != "lo-0-3" || !o.PlacedAt.Equal(benchLoyaltyNow.Add(-14*24*time.Hour)) || o.CustomerID < 1 {
				t.Errorf("sample from 3: %+v", o)
			}
			if last, err := order.MaxID(ctx, q); err != nil || last != 5 {
				t.Errorf("max order id: %d, %v; want 5", last, err)
			}
			if ids, err := task.OpenCallbackIDs(ctx, q, 10); err != nil || len(ids) != 0 {
				t.Errorf("open call-backs: %v, %v; want none", ids, err)
			}
			if n, err := task.CountOpenCallbacks(ctx, q); err != nil || n != 0 {
				t.Errorf("open call-backs: %d, %v; want 0", n, err)
			}
			if n, err := message.CountAll(ctx, q); err != nil || n != 0 {
				t.Errorf("messages: %d, %v; want 0", n, err)
			}
		})
	}
}
