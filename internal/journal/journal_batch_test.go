package journal_test

import (
	"context"
	"log/slog"
	"slices"
	"testing"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestDrainBatchesHistoryLarger: a backlog of imported history drains in
// batches of HistoryBatchSize; a batch that meets a live event is cut at
// BatchSize (or at that event, past it); every event is handled once, in
// order, and none is left pending.
func TestDrainBatchesHistoryLarger(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, clk := apptest.New(t, engine, false)
			appendN := func(n int, history bool) {
				t.Helper()
				evs := make([]journal.Event, n)
				for i := range evs {
					evs[i] = journal.Event{Kind: "test.ping", History: history, OccurredAt: clk.Now()}
				}
				if err := a.DB.InTx(ctx, func(tx *store.Tx) error { return a.Journal.Append(ctx, tx, evs...) }); err != nil {
					t.Fatal(err)
				}
			}
			appendN(2500, true)
			appendN(250, true)
			appendN(50, false)
			appendN(149, true)

			var sizes []int
			var ids []int64
			record := journal.HandlerFunc(func(_ context.Context, _ *store.Tx, evs []journal.Event) error {
				sizes = append(sizes, len(evs))
				for _, e := range evs {
					ids = append(ids, e.ID)
				}
				return nil
			})
			d := journal.NewDispatcher(service.Deps{DB: a.DB, Clock: clk, Log: slog.New(slog.DiscardHandler)}, record)
			d.BatchSize, d.HistoryBatchSize = 100, 1000
			n, err := d.Drain(ctx)
			if err != nil {
				t.Fatal(err)
			}
			// 2,750 history events, then 50 live, then 149 history: two
			// full history batches, one cut at the first live event (the
			// 751st), one cut at BatchSize, then the rest.
			if want := []int{1000, 1000, 751, 100, 98}; !slices.Equal(sizes, want) {
				t.Errorf("batches of %v, want %v", sizes, want)
			}
			if n != 2949 || len(ids) != 2949 || !slices.IsSorted(ids) {
				t.Errorf("drained %d, handled %d events (in id order: %t); want 2949", n, len(ids), slices.IsSorted(ids))
			}
			if len(slices.Compact(slices.Clone(ids))) != len(ids) {
				t.Error("an event was handled twice")
			}
			if p, err := journal.Pending(ctx, a.DB.Read()); err != nil || p != 0 {
				t.Errorf("pending = %d, %v; want 0", p, err)
			}
		})
	}
}
