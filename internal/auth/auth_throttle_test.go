package auth_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/auth"
)

var t0 = time.Date(2030, 1, 1, 8, 0, 0, 0, time.UTC)

// TestThrottleSlowsNotLocks: past the free attempts each one waits
// longer, up to the ceiling, and goes through after its wait; the right
// password starts the count again.
func TestThrottleSlowsNotLocks(t *testing.T) {
	t.Parallel()
	rule := auth.ThrottleRule{Free: 3, Base: time.Second, Max: 8 * time.Second, Forget: time.Hour}
	th := auth.NewThrottle(auth.ThrottleRule{Free: 1000, Base: time.Second, Max: time.Second, Forget: time.Hour}, rule, 100)
	now := t0
	for i := range 3 {
		if _, ok := th.Attempt(context.Background(), "a", "owner@shop.test", now); !ok {
			t.Fatalf("free attempt %d refused", i+1)
		}
	}
	var waits []time.Duration
	for range 6 {
		wait, ok := th.Attempt(context.Background(), "a", "owner@shop.test", now)
		if ok {
			t.Fatal("an attempt went through before its wait")
		}
		waits = append(waits, wait)
		now = now.Add(wait)
		if _, ok := th.Attempt(context.Background(), "a", "owner@shop.test", now); !ok {
			t.Fatalf("refused after waiting %s", wait)
		}
	}
	want := []time.Duration{1, 2, 4, 8, 8, 8}
	for i, w := range waits {
		if w != want[i]*time.Second {
			t.Errorf("wait %d = %s, want %s", i+1, w, want[i]*time.Second)
		}
	}
	th.Succeeded(context.Background(), "a", "owner@shop.test")
	if _, ok := th.Attempt(context.Background(), "a", "OWNER@shop.test", now); !ok {
		t.Error("refused right after a success")
	}
	// An hour's rest forgets the count.
	for range 10 {
		th.Attempt(context.Background(), "b", "x@shop.test", now)
	}
	if _, ok := th.Attempt(context.Background(), "b", "x@shop.test", now.Add(2*time.Hour)); !ok {
		t.Error("refused after an hour's rest")
	}
}

// TestThrottleStrangersDoNotLockOutTheOwner: guesses for the owner's
// e-mail at address A cost nothing at address B.
func TestThrottleStrangersDoNotLockOutTheOwner(t *testing.T) {
	t.Parallel()
	th := auth.NewThrottle(auth.AddrRule, auth.PairRule, auth.ThrottleEntries)
	for range 50 {
		th.Attempt(context.Background(), "203.0.113.7", "owner@shop.test", t0)
	}
	if wait, ok := th.Attempt(context.Background(), "198.51.100.20", "owner@shop.test", t0); !ok {
		t.Fatalf("the owner at B waits %s for a stranger's guesses at A", wait)
	}
}

// TestThrottleTableIsBoundedNotCleared: a flood of distinct e-mails fills
// the table to its bound and no further, and evicts the least recently
// seen entries only; a guesser seen lately stays slowed (the table used
// to be cleared whole when 100,000 e-mails filled it).
func TestThrottleTableIsBoundedNotCleared(t *testing.T) {
	t.Parallel()
	const size = 1000
	th := auth.NewThrottle(auth.AddrRule, auth.PairRule, size)
	slowed := func() bool {
		_, ok := th.Attempt(context.Background(), "203.0.113.7", "owner@shop.test", t0)
		return !ok
	}
	for range auth.PairRule.Free {
		th.Attempt(context.Background(), "203.0.113.7", "owner@shop.test", t0)
	}
	if !slowed() {
		t.Fatal("the guesser is not slowed")
	}
	for i := range 100 * size {
		th.Attempt(context.Background(), fmt.Sprintf("198.51.100.%d", i%250), fmt.Sprintf("user%d@shop.test", i), t0)
		if i%(size/4) == 0 && !slowed() { // the guesser goes on guessing
			t.Fatalf("after %d other e-mails the guesser is no longer slowed: the table was reset", i+1)
		}
		if n := th.Len(); n > size {
			t.Fatalf("the table holds %d entries, over its bound %d", n, size)
		}
	}
	if th.Len() != size {
		t.Errorf("the table holds %d entries after the flood, want it full at %d", th.Len(), size)
	}
}
