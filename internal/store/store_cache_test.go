package store_test

import (
	"context"
	"testing"

	"github.com/shopcare/shopcare/internal/store"
)

// TestGrowWriteCache grows the write connection's page cache and its
// checkpoint bound for a bulk load and gives both back their usual sizes
// after; transactions in between run on the grown cache.
func TestGrowWriteCache(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := store.Open(ctx, store.Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	pragma := func(name string) int {
		t.Helper()
		var v int
		err := db.InTx(ctx, func(tx *store.Tx) error {
			return tx.QueryRow(ctx, `PRAGMA `+name).Scan(&v)
		})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	cache := func() int { return -pragma("cache_size") }
	usual := cache()
	if usual <= 0 {
		t.Fatalf("usual cache %d KiB", usual)
	}
	// The write connection checkpoints at a bound larger than SQLite's
	// default of 1,000 pages, and less than the grown one below.
	usualBound := pragma("wal_autocheckpoint")
	if usualBound <= 1000 || usualBound >= 16<<10 {
		t.Errorf("usual checkpoint bound = %d pages, want over 1,000 and under %d", usualBound, 16<<10)
	}
	restore, err := db.GrowWriteCache(ctx, 64<<10)
	if err != nil {
		t.Fatal(err)
	}
	if got := cache(); got != 64<<10 {
		t.Errorf("grown cache = %d KiB, want %d", got, 64<<10)
	}
	if got := pragma("wal_autocheckpoint"); got != 16<<10 {
		t.Errorf("grown checkpoint bound = %d pages, want %d", got, 16<<10)
	}
	restore()
	if got := cache(); got != usual {
		t.Errorf("cache after restore = %d KiB, want %d", got, usual)
	}
	if got := pragma("wal_autocheckpoint"); got != usualBound {
		t.Errorf("checkpoint bound after restore = %d pages, want %d", got, usualBound)
	}
	// A size under the usual one leaves it.
	restore, err = db.GrowWriteCache(ctx, 1024)
	if err != nil {
		t.Fatal(err)
	}
	if got := cache(); got != usual {
		t.Errorf("cache = %d KiB after asking for less, want %d", got, usual)
	}
	restore()
}
