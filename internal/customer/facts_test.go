package customer_test

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestFactsRoundTrip saves analytics shares and reads them back on each
// engine (the PostgreSQL save is one statement over arrays, the SQLite one
// a statement per customer), then clears them.
func TestFactsRoundTrip(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			ctx := context.Background()
			db, _ := storetest.OpenTest(t, engine)
			now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
			err := db.InTx(ctx, func(tx *store.Tx) error {
				for _, name := range []string{"Anna", "Boris", "Vera"} {
					if _, err := tx.Exec(ctx, `INSERT INTO customers (name, created_at, updated_at) VALUES ($1, $2, $2)`, name, now); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if last, err := customer.FactsMaxID(ctx, db.Read()); err != nil || last != 3 {
				t.Fatalf("FactsMaxID = %d, %v; want 3", last, err)
			}
			want := []customer.Analytics{
				{ID: 1, Placed: 2, Purchases: 2, AcquiredOn: "2026-01-05", AcquiredChannel: "web", LastPurchaseOn: "2026-02-20",
					Activity: "2026-01 1 1000;2026-02 1 2000"},
				{ID: 2, Placed: 1}, // only a cancelled order: no acquisition
				{ID: 3, Placed: 1, Purchases: 1, AcquiredOn: "2025-12-30", AcquiredChannel: "", LastPurchaseOn: "2025-12-30",
					Activity: "2025-12 1 500"},
			}
			err = db.InTx(ctx, func(tx *store.Tx) error { return customer.FactsSave(ctx, tx, db.Engine(), want) })
			if err != nil {
				t.Fatalf("FactsSave: %v", err)
			}
			read := func() []customer.Analytics {
				t.Helper()
				var got []customer.Analytics
				err := customer.FactsEachOf(ctx, db.Read(), []int64{1, 2, 3, 4}, func(a customer.Analytics) error {
					got = append(got, a)
					return nil
				})
				if err != nil {
					t.Fatalf("FactsEachOf: %v", err)
				}
				slices.SortFunc(got, func(a, b customer.Analytics) int { return int(a.ID - b.ID) })
				return got
			}
			if got := read(); !reflect.DeepEqual(got, want) {
				t.Fatalf("read back\n%+v\nwant\n%+v", got, want)
			}

			active, meeting, err := customer.FactsCountPurchasedSince(ctx, db.Read(), "2025-12-01", "2026-02-01")
			if err != nil || active != 2 || meeting != 1 {
				t.Fatalf("FactsCountPurchasedSince = %d, %d, %v; want 2, 1", active, meeting, err)
			}
			var drifting []string
			err = customer.FactsEachByLastPurchase(ctx, db.Read(), customer.LastPurchaseParams{From: "2025-12-01", To: "2026-03-01", Limit: 1},
				func(a customer.Analytics, name string) error {
					drifting = append(drifting, name+" "+a.LastPurchaseOn)
					return nil
				})
			if err != nil || !slices.Equal(drifting, []string{"Anna 2026-02-20"}) {
				t.Fatalf("FactsEachByLastPurchase = %q, %v; want the most recent only", drifting, err)
			}
			var cards []string
			err = customer.FactsCardsEach(ctx, db.Read(), []int64{3, 1, 99}, func(c customer.Card) error {
				cards = append(cards, c.Name)
				return nil
			})
			slices.Sort(cards)
			if err != nil || !slices.Equal(cards, []string{"Anna", "Vera"}) {
				t.Fatalf("FactsCardsEach = %q, %v", cards, err)
			}

			err = db.InTx(ctx, func(tx *store.Tx) error { return customer.FactsReset(ctx, tx, 1, 3) })
			if err != nil {
				t.Fatalf("FactsReset: %v", err)
			}
			got := read()
			if got[0] != (customer.Analytics{ID: 1}) || got[1] != (customer.Analytics{ID: 2}) || got[2] != want[2] {
				t.Fatalf("after resetting 1–2: %+v", got)
			}
		})
	}
}
