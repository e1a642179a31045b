package cluster_test

import (
	"context"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/cluster"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// TestOneLeaderAtATime: of two nodes on one PostgreSQL database one
// leads; when it stops, the other takes over. On SQLite the process
// leads at once.
func TestOneLeaderAtATime(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			db, opts := storetest.OpenTest(t, engine)
			if engine == store.SQLite {
				led := make(chan struct{})
				ctx, cancel := context.WithCancel(context.Background())
				go func() {
					cluster.NewElector(db, quiet).Run(ctx, func(ctx context.Context) { close(led); <-ctx.Done() })
				}()
				<-led
				cancel()
				return
			}
			other, err := store.Open(context.Background(), opts)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(other.Close)
			var leading, most atomic.Int32
			leads := make(chan int, 4)
			run := func(ctx context.Context, db *store.DB, id int) {
				e := cluster.NewElector(db, quiet)
				e.Retry = 100 * time.Millisecond
				e.Run(ctx, func(ctx context.Context) {
					n := leading.Add(1)
					if n > most.Load() {
						most.Store(n)
					}
					leads <- id
					<-ctx.Done()
					leading.Add(-1)
				})
			}
			ctxA, stopA := context.WithCancel(context.Background())
			ctxB, stopB := context.WithCancel(context.Background())
			defer stopB()
			doneA := make(chan struct{})
			go func() { defer close(doneA); run(ctxA, db, 1) }()
			go run(ctxB, other, 2)
			first := <-leads
			if first == 1 {
				stopA()
				<-doneA
			} else {
				stopB()
			}
			select {
			case second := <-leads:
				if second == first {
					t.Fatalf("node %d led twice", first)
				}
			case <-time.After(30 * time.Second):
				t.Fatal("nobody took over from the stopped leader")
			}
			stopA()
			if most.Load() != 1 {
				t.Fatalf("%d nodes led at once", most.Load())
			}
		})
	}
}

// TestChangesWakeOnSettings: a settings version saved through another
// connection wakes the settings' subscribers (PostgreSQL only).
func TestChangesWakeOnSettings(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		if engine != store.Postgres {
			continue
		}
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			db, _ := storetest.OpenTest(t, engine)
			c := cluster.NewChanges(db, quiet)
			woken, unsubscribe := c.Subscribe(cluster.TopicSettings)
			defer unsubscribe()
			c.Start(context.Background())
			defer c.Stop()
			<-woken // every topic is woken once the listener is connected
			if _, err := config.Save(context.Background(), db, []byte("shop:\n  name: Узел\n"), "test", time.Now()); err != nil {
				t.Fatal(err)
			}
			select {
			case <-woken:
			case <-time.After(30 * time.Second):
				t.Fatal("a saved settings version woke nobody")
			}
		})
	}
}
