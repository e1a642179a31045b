package store_test

import (
	"context"
	"testing"

	"github.com/shopcare/shopcare/internal/store"
)

// TestGrowWriteCache grows the write connection's page cache for a bulk
// load and gives it back its usual size after; transactions in between
// run on the grown cache.
func TestGrowWriteCache(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := store.Open(ctx, store.Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	cache := func() int {
		t.Helper()
		var kib int
		err := db.InTx(ctx, func(tx *store.Tx) error {
			return tx.QueryRow(ctx, `SELECT cache_size FROM pragma_cache_size`).Scan(&kib)
		})
		if err != nil {
			t.Fatal(err)
		}
		return -kib
	}
	usual := cache()
	if usual <= 0 {
		t.Fatalf("usual cache %d KiB", usual)
	}
	restore, err := db.GrowWriteCache(ctx, 64<<10)
	if err != nil {
		t.Fatal(err)
	}
	if got := cache(); got != 64<<10 {
		t.Errorf("grown cache = %d KiB, want %d", got, 64<<10)
	}
	restore()
	if got := cache(); got != usual {
		t.Errorf("cache after restore = %d KiB, want %d", got, usual)
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
