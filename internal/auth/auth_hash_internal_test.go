package auth

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestHashSlotsBound: however many hash at once, no more than the slots
// run together; a login that cannot get a slot in its wait is ErrBusy.
func TestHashSlotsBound(t *testing.T) {
	t.Parallel()
	if cap(hashSlots) < 1 || cap(hashSlots) > hashMemoryBudget/(argonMemory<<10) {
		t.Fatalf("%d slots for a budget of %d MiB", cap(hashSlots), hashMemoryBudget>>20)
	}
	var running, most atomic.Int32
	var wg sync.WaitGroup
	for range 32 {
		wg.Go(func() {
			_ = withHashSlot(context.Background(), 0, func() {
				n := running.Add(1)
				for {
					m := most.Load()
					if n <= m || most.CompareAndSwap(m, n) {
						break
					}
				}
				running.Add(-1)
			})
		})
	}
	wg.Wait()
	if most.Load() > int32(cap(hashSlots)) {
		t.Errorf("%d hashes ran at once with %d slots", most.Load(), cap(hashSlots))
	}

	// Every slot taken: a login waits its wait and is told to come back.
	for range cap(hashSlots) {
		hashSlots <- struct{}{}
	}
	_, err := checkPassword(context.Background(), time.Millisecond, dummyHash, "x")
	for range cap(hashSlots) {
		<-hashSlots
	}
	if !errors.Is(err, ErrBusy) {
		t.Errorf("with every slot taken: %v, want ErrBusy", err)
	}

	// The queue full: refused at once, however long it would wait.
	full := int64(cap(hashSlots) * (LoginQueue + 1))
	hashWaiting.Add(full)
	_, err = checkPassword(context.Background(), time.Hour, dummyHash, "x")
	hashWaiting.Add(-full)
	if !errors.Is(err, ErrBusy) {
		t.Errorf("with the queue full: %v, want ErrBusy", err)
	}
}
