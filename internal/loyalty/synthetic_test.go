package loyalty_test

import (
	"context"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/loyalty"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestSyntheticLedger seeds a small synthetic history on each engine: the
// accounts and entries that complete it keep the books.
func TestSyntheticLedger(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			ctx := context.Background()
			db, _ := storetest.OpenTest(t, engine)
			q := db.Read()
			at := time.Date(2025, 11, 23, 12, 0, 0, 0, time.UTC)
			if n, err := loyalty.TransactionMaxID(ctx, q); err != nil || n != 0 {
				t.Fatalf("max id of an empty ledger: %d, %v", n, err)
			}
			err := db.InTx(ctx, func(tx *store.Tx) error {
				if err := customer.SyntheticInsert(ctx, tx, customer.Synthetic{Engine: engine, From: 1, To: 8, At: at}); err != nil {
					return err
				}
				for _, chunk := range [][2]int64{{1, 15}, {16, 30}} {
					err := loyalty.SyntheticInsertTransactions(ctx, tx, loyalty.SyntheticTransactions{Engine: engine,
						From: chunk[0], To: chunk[1], Customers: 8, Start: at.Unix(), Span: 200 * 86400, Total: 30, Expire: 365 * 86400})
					if err != nil {
						return err
					}
				}
				lo, hi, err := loyalty.TransactionIDRangeAfter(ctx, tx, 0)
				if err != nil {
					return err
				}
				if err := loyalty.SyntheticOpenAccounts(ctx, tx, lo, hi); err != nil {
					return err
				}
				return loyalty.SyntheticInsertEntries(ctx, tx, lo, hi)
			})
			if err != nil {
				t.Fatal(err)
			}
			if n, err := loyalty.TransactionCountAll(ctx, q); err != nil || n != 30 {
				t.Errorf("transactions: %d, %v; want 30", n, err)
			}
			if n, err := loyalty.TransactionMaxID(ctx, q); err != nil || n != 30 {
				t.Errorf("max transaction id: %d, %v; want 30", n, err)
			}
			if n, err := loyalty.EntryCountAll(ctx, q); err != nil || n != 60 {
				t.Errorf("entries: %d, %v; want 60", n, err)
			}
			if err := loyalty.Audit(ctx, q); err != nil {
				t.Errorf("the synthetic ledger fails its audit: %v", err)
			}
		})
	}
}
