package journal_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"testing"

	"github.com/shopcare/shopcare/internal/apptest"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestConcurrentDrainsHandleEachEventOnce runs several dispatchers at once,
// as several nodes would, and checks that each event reached exactly one
// handler call.
func TestConcurrentDrainsHandleEachEventOnce(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, clk := apptest.New(t, engine, false)
			db := a.DB
			const events = 3000
			err := db.InTx(ctx, func(tx *store.Tx) error {
				batch := make([]journal.Event, events)
				for i := range batch {
					batch[i] = journal.Event{Kind: "test.ping", OccurredAt: clk.Now(), Payload: []byte(fmt.Sprintf(`{"n":%d}`, i))}
				}
				return a.Journal.Append(ctx, tx, batch...)
			})
			if err != nil {
				t.Fatal(err)
			}

			var mu sync.Mutex
			seen := map[int64]int{}
			count := journal.HandlerFunc(func(_ context.Context, _ *store.Tx, evs []journal.Event) error {
				mu.Lock()
				defer mu.Unlock()
				for _, e := range evs {
					seen[e.ID]++
				}
				return nil
			})
			var wg sync.WaitGroup
			errs := make(chan error, 4)
			for range 4 {
				d := journal.NewDispatcher(service.Deps{DB: db, Clock: clk, Log: slog.New(slog.DiscardHandler)}, count)
				d.BatchSize = 100
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, err := d.Drain(ctx)
					errs <- err
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			if len(seen) != events {
				t.Fatalf("%d events handled, want %d", len(seen), events)
			}
			for id, n := range seen {
				if n != 1 {
					t.Fatalf("event %d handled %d times", id, n)
				}
			}
			if n, err := journal.Pending(ctx, db.Read()); err != nil || n != 0 {
				t.Fatalf("pending = %d, %v", n, err)
			}
		})
	}
}

// TestFailedHandlerLeavesEventsPending checks the other half of exactly
// once: a handler error rolls the batch back, and the events stay.
func TestFailedHandlerLeavesEventsPending(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, clk := apptest.New(t, store.SQLite, false)
	db := a.DB
	err := db.InTx(ctx, func(tx *store.Tx) error {
		return a.Journal.Append(ctx, tx, journal.Event{Kind: "test.ping", OccurredAt: clk.Now()})
	})
	if err != nil {
		t.Fatal(err)
	}
	failing := journal.HandlerFunc(func(context.Context, *store.Tx, []journal.Event) error { return fmt.Errorf("boom") })
	d := journal.NewDispatcher(service.Deps{DB: db, Clock: clk, Log: slog.New(slog.DiscardHandler)}, failing)
	if _, err := d.Drain(ctx); err == nil {
		t.Fatal("a failing handler did not fail the drain")
	}
	if n, _ := journal.Pending(ctx, db.Read()); n != 1 {
		t.Fatalf("pending = %d after a failed drain, want 1", n)
	}
}

// TestAppendKicksAfterCommitOnly: a committed append wakes the drain, a
// rolled-back one does not, and appends cost no job each.
func TestAppendKicksAfterCommitOnly(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a, clk := apptest.New(t, engine, false)
			ping := journal.Event{Kind: "test.ping", OccurredAt: clk.Now()}
			err := a.DB.InTx(ctx, func(tx *store.Tx) error {
				if err := a.Journal.Append(ctx, tx, ping); err != nil {
					return err
				}
				return errors.New("roll back")
			})
			if err == nil {
				t.Fatal("the transaction did not roll back")
			}
			select {
			case <-a.Journal.Kicks():
				t.Fatal("a rolled-back append kicked the drain")
			default:
			}
			for range 5 {
				if err := a.DB.InTx(ctx, func(tx *store.Tx) error { return a.Journal.Append(ctx, tx, ping) }); err != nil {
					t.Fatal(err)
				}
			}
			select {
			case <-a.Journal.Kicks():
			default:
				t.Fatal("a committed append did not kick the drain")
			}
			var jobs int64
			err = a.DB.Read().QueryRow(ctx, `SELECT COUNT(*) FROM river_job WHERE kind = $1`, journal.DrainArgs{}.Kind()).Scan(&jobs)
			if err != nil || jobs != 0 {
				t.Fatalf("drain jobs = %d, %v; want none for appends", jobs, err)
			}
		})
	}
}
