package parcel_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/carrier"
	"github.com/shopcare/shopcare/internal/parcel"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestConcurrentBatchesOfTheSameParcels sends batches that share their
// parcels at once, each in its own transaction (on PostgreSQL they run side
// by side, as the intake's committers do), each batch taking the parcels in
// an order of its own. Every batch must be stored (two batches that lock
// the same parcels in different orders would deadlock), and each parcel
// must end in the state of its latest event whichever batch committed last
// (a batch that read a parcel before another's commit would write back a
// state without the other's events).
func TestConcurrentBatchesOfTheSameParcels(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			a, clk := apptest.New(t, engine, false)
			const parcels, batches = 12, 8
			tracking := func(i int) string { return fmt.Sprintf("CB%08d", 7100+i) }
			for i := range parcels {
				shipped(t, a, fmt.Sprintf("71%02d", i), "courier", tracking(i))
			}
			now := apptest.Start.Add(72 * time.Hour)
			clk.Set(now)
			// Batch k holds each parcel's k-th event, k hours after the
			// first; the last batch's event is the latest, out for delivery.
			lastAt := now.Add(-time.Hour)
			at := func(k int) time.Time { return lastAt.Add(time.Duration(k-batches+1) * time.Hour) }
			var wg sync.WaitGroup
			errs := make([]error, batches)
			start := make(chan struct{})
			for k := range batches {
				reports := make([]parcel.Report, parcels)
				for j := range parcels {
					i := j
					if k%2 == 1 {
						i = parcels - 1 - j // the parcels in the other order
					}
					i = (i + k) % parcels // and from another one
					st := carrier.InTransit
					if k == batches-1 {
						st = carrier.OutForDelivery
					}
					reports[j] = parcel.Report{Source: parcel.SourceAPI, Event: carrier.Event{TrackingNumber: tracking(i),
						Status: st, Code: fmt.Sprintf("step.%d", k), At: at(k)}}
				}
				wg.Go(func() {
					<-start
					out, err := a.Parcels.Ingest(ctx, reports)
					if err == nil {
						for j, o := range out {
							if o != parcel.Stored {
								err = fmt.Errorf("event %d: %s, want stored", j, o)
								break
							}
						}
					}
					errs[k] = err
				})
			}
			close(start)
			wg.Wait()
			for k, err := range errs {
				if err != nil {
					t.Errorf("batch %d: %v", k, err)
				}
			}
			drain(t, a)
			for i := range parcels {
				p, err := parcel.ByTrackingNumber(ctx, a.DB.Read(), tracking(i))
				if err != nil {
					t.Fatal(err)
				}
				if p.Status != carrier.OutForDelivery || p.StatusAt == nil || !p.StatusAt.Equal(lastAt) ||
					p.LastEventAt == nil || !p.LastEventAt.Equal(lastAt) {
					t.Errorf("parcel %s: status %s at %v, last event %v; want out_for_delivery at %v, its latest event",
						p.TrackingNumber, p.Status, p.StatusAt, p.LastEventAt, lastAt)
				}
			}
		})
	}
}
