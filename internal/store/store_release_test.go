package store_test

import (
	"context"
	"testing"

	"github.com/shopcare/shopcare/internal/storetest"
)

// TestReleaseMemoryKeepsTheStoreWorking: after the memory is handed back
// (the idle read connections closed, the writer's cache shrunk) reads
// and writes go on as before.
func TestReleaseMemoryKeepsTheStoreWorking(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db, _ := storetest.OpenTest(t, engine)
			var n int
			if err := db.Read().QueryRow(ctx, `SELECT COUNT(*) FROM orders WHERE id > $1`, 0).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if err := db.ReleaseMemory(ctx); err != nil {
				t.Fatal(err)
			}
			if err := db.Read().QueryRow(ctx, `SELECT COUNT(*) FROM orders WHERE id > $1`, 0).Scan(&n); err != nil {
				t.Fatalf("a read after the release: %v", err)
			}
			if err := db.ReleaseMemory(ctx); err != nil {
				t.Fatal(err)
			}
		})
	}
}
