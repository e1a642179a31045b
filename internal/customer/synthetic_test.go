package customer_test

import (
	"context"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestSynthetic inserts synthetic customers on each engine and counts
// them.
func TestSynthetic(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			ctx := context.Background()
			db, _ := storetest.OpenTest(t, engine)
			q := db.Read()
			if n, err := customer.MaxID(ctx, q); err != nil || n != 0 {
				t.Fatalf("max id of none: %d, %v", n, err)
			}
			at := time.Date(2024, 11, 23, 12, 0, 0, 0, time.UTC)
			err := db.InTx(ctx, func(tx *store.Tx) error {
				return customer.SyntheticInsert(ctx, tx, customer.Synthetic{Engine: engine, From: 1, To: 12, At: at})
			})
			if err != nil {
				t.Fatal(err)
			}
			if n, err := customer.CountAll(ctx, q); err != nil || n != 12 {
				t.Errorf("count: %d, %v; want 12", n, err)
			}
			if n, err := customer.MaxID(ctx, q); err != nil || n != 12 {
				t.Errorf("max id: %d, %v; want 12", n, err)
			}
			if lo, hi, err := customer.IDRange(ctx, q); err != nil || lo != 1 || hi != 12 {
				t.Errorf("ids %d-%d, %v; want 1-12", lo, hi, err)
			}
			if id, err := customer.IDFrom(ctx, q, 5); err != nil || id != 5 {
				t.Errorf("id from 5: %d, %v", id, err)
			}
			c, err := customer.Get(ctx, q, 3)
			if err != nil || c.ExternalID != "lc-3" || c.Name != "Покупатель 3" || c.Email != "lc3@example.ru" {
				t.Errorf("customer 3: %+v, %v", c, err)
			}
		})
	}
}
