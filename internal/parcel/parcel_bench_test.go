package parcel_test

import (
	"fmt"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/app"
	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/carrier"
	"github.com/shopcare/shopcare/internal/parcel"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// The benchmarks' shop: this many shipped orders, each with its parcel,
// two in five by post to a pickup point, the rest by courier. `shopcare
// bench parcels` sends the same kind of events through the API.
const benchParcels = 10_000

// benchParcelStore is a fresh App with the benchmarks' shipped orders and
// parcels, seeded in SQL, their intake's group commit started.
func benchParcelStore(b *testing.B, engine store.Engine) *app.App {
	b.Helper()
	a, _ := apptest.New(b, engine, false)
	shipped := apptest.Start.Add(-72 * time.Hour)
	customers := make([][]any, benchParcels)
	orders := make([][]any, benchParcels)
	parcels := make([][]any, benchParcels)
	for i := range benchParcels {
		k := strconv.Itoa(i + 1)
		code, tracking := "courier", benchTracking(i+1)
		if (i+1)%5 < 2 {
			code = "post"
		}
		customers[i] = []any{"pb-" + k, "Покупатель " + k, "pb" + k + "@example.ru", shipped, shipped}
		orders[i] = []any{"pb-o" + k, int64(i + 1), "shipped", int64(250000), "RUB", code, tracking,
			shipped.Add(-24 * time.Hour), shipped, shipped}
		parcels[i] = []any{int64(i + 1), code, tracking, shipped, shipped}
	}
	err := a.DB.InTx(ctx, func(tx *store.Tx) error {
		err := store.InsertMany(ctx, tx, "customers", []string{"external_id", "name", "email", "created_at", "updated_at"}, customers, "", nil)
		if err == nil {
			err = store.InsertMany(ctx, tx, "orders", []string{"external_id", "customer_id", "status", "total_minor", "currency",
				"carrier", "tracking_number", "placed_at", "created_at", "updated_at"}, orders, "", nil)
		}
		if err == nil {
			err = store.InsertMany(ctx, tx, "parcels", []string{"order_id", "carrier", "tracking_number", "created_at", "updated_at"},
				parcels, "", nil)
		}
		return err
	})
	if err != nil {
		b.Fatalf("seed parcels: %v", err)
	}
	// Statistics, as bench parcels gathers them after its seeding: without
	// them SQLite's planner reads a customer's delivered orders through
	// the status index, every delivered order of the shop.
	if err := a.DB.InTx(ctx, func(tx *store.Tx) error { _, err := tx.Exec(ctx, `ANALYZE`); return err }); err != nil {
		b.Fatalf("analyze: %v", err)
	}
	a.Parcels.Start()
	b.Cleanup(a.Parcels.Stop)
	return a
}

func benchTracking(i int) string {
	if i%5 < 2 {
		return fmt.Sprintf("RA%09dRU", i)
	}
	return fmt.Sprintf("CR%010d", i)
}

// benchLife is the statuses of parcel i's life: accepted, two sorting
// centres, then the pickup point or the courier, then delivered; after it
// the carrier's notices, which change no status.
func benchLife(i int) []carrier.Status {
	if i%5 < 2 {
		return []carrier.Status{carrier.Accepted, carrier.InTransit, carrier.InTransit, carrier.ArrivedAtPickup, carrier.Delivered}
	}
	return []carrier.Status{carrier.Accepted, carrier.InTransit, carrier.InTransit, carrier.OutForDelivery, carrier.Delivered}
}

// benchFeed hands out the parcels' events in order, round the parcels, so
// each parcel's statuses move forward and every event is new. With
// scatter, each round visits the parcels in a scrambled order, as a
// carrier's feed does: a batch's events are for parcels (and orders)
// far apart in the tables, not neighbours sharing their pages.
type benchFeed struct {
	next    atomic.Int64
	shipped time.Time
	scatter bool
}

// benchScatter is a multiplier coprime with benchParcels: i ↦ i·m mod
// benchParcels visits every parcel once a round, in a scrambled order.
const benchScatter = 7919

func (f *benchFeed) reports(n int) []parcel.Report {
	out := make([]parcel.Report, n)
	for j := range out {
		seq := int(f.next.Add(1) - 1)
		i, k := seq%benchParcels+1, seq/benchParcels
		if f.scatter {
			i = (seq%benchParcels)*benchScatter%benchParcels + 1
		}
		e := carrier.Event{TrackingNumber: benchTracking(i), At: f.shipped.Add(time.Duration(k+1) * time.Hour),
			Location: "Москва 140961", Description: "Покинуло сортировочный центр"}
		if life := benchLife(i); k < len(life) {
			e.Status, e.Code = life[k], string(life[k])+"."+strconv.Itoa(k)
		} else {
			e.Code = "notice"
		}
		out[j] = parcel.Report{Event: e, Source: parcel.SourceAPI}
	}
	return out
}

// BenchmarkIngest stores carrier events through Service.Ingest, batch of
// them per call, as POST /api/v1/parcels/events does: with one caller at
// a time, and (parallel) with as many callers as GOMAXPROCS×8 sharing the
// group commit, as the API's concurrent requests do. Each parcel's events
// go forward through its life (a fifth of them move its order) and then
// are notices. events/s is the throughput.
func BenchmarkIngest(b *testing.B) {
	for _, engine := range storetest.Engines(b) {
		for _, batch := range []int{1, 100} {
			b.Run(fmt.Sprintf("%s/batch=%d", engine, batch), func(b *testing.B) {
				a := benchParcelStore(b, engine)
				f := &benchFeed{shipped: apptest.Start.Add(-72 * time.Hour)}
				for b.Loop() {
					benchIngest(b, a, f.reports(batch))
				}
				b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "events/s")
			})
			b.Run(fmt.Sprintf("%s/batch=%d/parallel", engine, batch), func(b *testing.B) {
				a := benchParcelStore(b, engine)
				f := &benchFeed{shipped: apptest.Start.Add(-72 * time.Hour)}
				b.SetParallelism(8)
				b.ResetTimer()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						benchIngest(b, a, f.reports(batch))
					}
				})
				b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "events/s")
			})
		}
	}
}

func benchIngest(b *testing.B, a *app.App, reports []parcel.Report) {
	out, err := a.Parcels.Ingest(ctx, reports)
	if err != nil {
		b.Error(err)
		return
	}
	for i, o := range out {
		if o != parcel.Stored {
			b.Errorf("event %s at %s: %s, want stored", reports[i].TrackingNumber, reports[i].At, o)
			return
		}
	}
}

// BenchmarkIngestAndReact is BenchmarkIngest's batch of 100 followed by
// the journal's drain, as serve runs it: the status changes' reactions
// (messages, loyalty, the playbook) share the writer with the intake, so
// its events/s is the figure bench parcels reaches, without HTTP.
//
// The scattered variant sends each batch's events for parcels far apart,
// as bench parcels and a carrier's feed do; its gap to the in-order one
// is what the scattered pages cost (read into the cache, written to the
// log, copied by the checkpoints).
func BenchmarkIngestAndReact(b *testing.B) {
	for _, engine := range storetest.Engines(b) {
		for _, scatter := range []bool{false, true} {
			name := string(engine)
			if scatter {
				name += "/scattered"
			}
			b.Run(name, func(b *testing.B) {
				a := benchParcelStore(b, engine)
				f := &benchFeed{shipped: apptest.Start.Add(-72 * time.Hour), scatter: scatter}
				for b.Loop() {
					benchIngest(b, a, f.reports(100))
					if _, err := a.Dispatcher.Drain(ctx); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.N*100)/b.Elapsed().Seconds(), "events/s")
			})
		}
	}
}
