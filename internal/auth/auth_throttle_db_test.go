package auth_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/auth"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestThrottleInDatabase: a throttle whose counts live in the database
// slows down as the in-memory one does, and two nodes (two connections
// to one database) count the same attempts, also when they come at once.
func TestThrottleInDatabase(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db, opts := storetest.OpenTest(t, engine)
			other := db
			if engine == store.Postgres {
				var err error
				if other, err = store.Open(ctx, opts); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(other.Close)
			}
			rule := auth.ThrottleRule{Free: 3, Base: time.Second, Max: 8 * time.Second, Forget: time.Hour}
			loose := auth.ThrottleRule{Free: 1000, Base: time.Second, Max: time.Second, Forget: time.Hour}
			a := auth.NewService(db).Throttle("login", loose, rule)
			b := auth.NewService(other).Throttle("login", loose, rule)
			now := t0
			for i, th := range []*auth.Throttle{a, b, a} {
				if _, ok := th.Attempt(ctx, "198.51.100.1", "owner@shop.test", now); !ok {
					t.Fatalf("free attempt %d refused", i+1)
				}
			}
			var waits []time.Duration
			for i := range 5 {
				th := []*auth.Throttle{a, b}[i%2]
				wait, ok := th.Attempt(ctx, "198.51.100.1", "owner@shop.test", now)
				if ok {
					t.Fatal("an attempt on the other node went through before its wait")
				}
				waits = append(waits, wait)
				now = now.Add(wait)
				if _, ok := th.Attempt(ctx, "198.51.100.1", "Owner@shop.test", now); !ok {
					t.Fatalf("the attempt after waiting %v refused", wait)
				}
			}
			want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 8 * time.Second}
			for i := range want {
				if waits[i] != want[i] {
					t.Fatalf("waits %v, want %v", waits, want)
				}
			}
			b.Succeeded(ctx, "198.51.100.1", "owner@shop.test")
			if _, ok := a.Attempt(ctx, "198.51.100.1", "owner@shop.test", now); !ok {
				t.Fatal("the right password on one node did not start the count again on the other")
			}
			// Another throttle's counts are its own.
			if _, ok := auth.NewService(db).Throttle("contact", loose, rule).Attempt(ctx, "198.51.100.1", "owner@shop.test", now); !ok {
				t.Fatal("a throttle of another name saw the login's count")
			}
			// Concurrent guesses from both nodes: exactly the free ones pass.
			var mu sync.Mutex
			passed := 0
			var wg sync.WaitGroup
			for i := range 12 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					th := []*auth.Throttle{a, b}[i%2]
					if _, ok := th.Attempt(ctx, "203.0.113.9", "x@shop.test", now); ok {
						mu.Lock()
						passed++
						mu.Unlock()
					}
				}()
			}
			wg.Wait()
			if passed != rule.Free {
				t.Fatalf("%d of 12 concurrent attempts passed, want %d", passed, rule.Free)
			}
			// An hour of quiet forgets; a day prunes the rows.
			if _, ok := b.Attempt(ctx, "203.0.113.9", "x@shop.test", now.Add(2*time.Hour)); !ok {
				t.Fatal("the count was not forgotten after an hour")
			}
			later := now.Add(48 * time.Hour)
			for range 250 {
				a.Attempt(ctx, "192.0.2.1", "late@shop.test", later)
				later = later.Add(time.Hour)
			}
			n, err := auth.NewService(db).ThrottleCount(ctx)
			if err != nil || n > 3 {
				t.Fatalf("%d counts kept after pruning (err %v), want the few recent ones", n, err)
			}
		})
	}
}
