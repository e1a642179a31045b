package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// TestListsOfEveryLength: InsertMany and QueryIn cut and pad their lists
// to a few lengths that the connections keep (issue 22); every row of a
// list of any length is inserted and returned once, and a padded IN list
// finds each key once.
func TestListsOfEveryLength(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db, _ := storetest.OpenTest(t, engine)
			at := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
			next := 1
			for n := 1; n <= 70; n++ {
				rows := make([][]any, n)
				questions := make([]string, n)
				for i := range rows {
					questions[i] = fmt.Sprintf("q%04d", next)
					rows[i] = []any{"ru", "s", questions[i], "a", i, at}
					next++
				}
				var got []string
				var want []int64
				err := db.InTx(ctx, func(tx *store.Tx) error {
					got, want = got[:0], want[:0]
					return store.InsertMany(ctx, tx, "faq_entries", []string{"language", "section", "question", "answer", "ordinal", "updated_at"},
						rows, "RETURNING id, question", func(r store.Rows) error {
							var id int64
							var q string
							if err := r.Scan(&id, &q); err != nil {
								return err
							}
							got, want = append(got, q), append(want, id)
							return nil
						})
				})
				if err != nil {
					t.Fatalf("insert %d rows: %v", n, err)
				}
				slices.Sort(got)
				slices.Sort(want)
				if !slices.Equal(got, questions) || len(slices.Compact(slices.Clone(want))) != n {
					t.Fatalf("insert %d rows returned %v, ids %v; want %v", n, got, want, questions)
				}
				var found []int64
				err = store.QueryIn(ctx, db.Read(), `SELECT id FROM faq_entries WHERE section = $1 AND id IN (IN_LIST) ORDER BY id`,
					[]any{"s"}, append(want, -1), func(r store.Rows) error {
						var id int64
						if err := r.Scan(&id); err != nil {
							return err
						}
						found = append(found, id)
						return nil
					})
				if err != nil || !slices.Equal(found, want) {
					t.Fatalf("%d keys found %v, %v; want %v", n+1, found, err, want)
				}
			}
			var count int
			if err := db.Read().QueryRow(ctx, `SELECT count(*) FROM faq_entries`).Scan(&count); err != nil || count != next-1 {
				t.Fatalf("%d rows (%v), want %d", count, err, next-1)
			}
		})
	}
}
