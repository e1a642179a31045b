package loyalty_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/shopcare/shopcare/internal/loyalty"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestPostSkipsKnownKeysAndNumbersInOrder checks what Post's insert of a
// batch must keep however it writes the rows (one multi-row statement on
// PostgreSQL, one row a statement with the ids given on SQLite): postings
// whose key the ledger holds, or that repeat a key of the batch, are
// skipped without taking an id; the new transactions are returned in the
// order given, with ids rising past every earlier one; each is stored as
// returned; the balances are the sums of the points and the books
// balance; a batch that fails leaves nothing behind.
func TestPostSkipsKnownKeysAndNumbersInOrder(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			db, svc := benchLedgerStore(t, engine)
			sums := map[int64]int64{}
			var last int64
			post := func(ps []loyalty.Posting) ([]loyalty.Transaction, error) {
				var out []loyalty.Transaction
				err := db.InTx(ctx, func(tx *store.Tx) error {
					var err error
					out, err = svc.Post(ctx, tx, ps)
					return err
				})
				return out, err
			}
			accrual := func(key string, customer, points int64) loyalty.Posting {
				return loyalty.Posting{Kind: loyalty.Accrual, CustomerID: customer, Points: points, OrderID: customer,
					Source: loyalty.FromOrder, Key: key}
			}
			check := func(ps []loyalty.Posting, want []string) {
				t.Helper()
				got, err := post(ps)
				if err != nil {
					t.Fatal(err)
				}
				var keys []string
				for _, tr := range got {
					keys = append(keys, tr.Key)
					if tr.ID <= last {
						t.Fatalf("transaction %s has id %d, not above %d", tr.Key, tr.ID, last)
					}
					last = tr.ID
					stored, err := loyalty.TransactionByID(ctx, db.Read(), tr.ID)
					if err != nil {
						t.Fatal(err)
					}
					if stored.Key != tr.Key || stored.CustomerID != tr.CustomerID || stored.Points != tr.Points || stored.OrderID != tr.OrderID {
						t.Fatalf("transaction %d: stored %+v, returned %+v", tr.ID, stored, tr)
					}
					sums[tr.CustomerID] += tr.Points
				}
				if fmt.Sprint(keys) != fmt.Sprint(want) {
					t.Fatalf("posted %v, want %v", keys, want)
				}
				for c, sum := range sums {
					b, err := loyalty.Balance(ctx, db.Read(), c)
					if err != nil {
						t.Fatal(err)
					}
					if b != sum {
						t.Fatalf("customer %d: balance %d, posted %d", c, b, sum)
					}
				}
				if err := loyalty.Audit(ctx, db.Read()); err != nil {
					t.Fatal(err)
				}
			}

			check([]loyalty.Posting{accrual("a1", 1, 100), accrual("a2", 2, 50), accrual("a3", 1, 7), accrual("a4", 3, 20)},
				[]string{"a1", "a2", "a3", "a4"})
			check([]loyalty.Posting{accrual("a2", 2, 50), accrual("b1", 2, 5), accrual("b1", 2, 5), accrual("a4", 3, 20),
				accrual("b2", 4, 9), accrual("a1", 1, 100), accrual("b3", 1, 1)},
				[]string{"b1", "b2", "b3"})
			check([]loyalty.Posting{accrual("a1", 1, 100), accrual("b2", 4, 9)}, nil)

			// A debit the balance does not cover fails the batch, and
			// nothing of it stays: its keys post afterwards.
			_, err := post([]loyalty.Posting{accrual("c1", 5, 30), {Kind: loyalty.Adjustment, CustomerID: 3, Points: -21,
				Source: loyalty.FromOperator, Key: "c2"}})
			var short *loyalty.InsufficientError
			if !errors.As(err, &short) || short.CustomerID != 3 || short.Balance != 20 {
				t.Fatalf("an uncovered debit: %v", err)
			}
			check([]loyalty.Posting{accrual("c1", 5, 30), {Kind: loyalty.Adjustment, CustomerID: 3, Points: -20,
				Source: loyalty.FromOperator, Key: "c2"}}, []string{"c1", "c2"})
		})
	}
}
