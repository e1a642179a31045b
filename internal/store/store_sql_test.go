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

// TestLongLists: a QueryIn list longer than SQLite's written-out lists goes
// as one JSON array (issue 22); it finds what the placeholders found, for
// strings JSON escapes (quotes, backslashes, Cyrillic, an emoji) and for
// integers, in queries and in statements, and a key JSON cannot carry
// byte for byte still goes as placeholders.
func TestLongLists(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines(t) {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db, _ := storetest.OpenTest(t, engine)
			at := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
			const n = 1500
			rows := make([][]any, n)
			questions := make([]string, n)
			for i := range rows {
				questions[i] = fmt.Sprintf(`q%04d "Когда?" \ 📦 <&>`, i)
				rows[i] = []any{"ru", "s", questions[i], "a", i, at}
			}
			ids := map[string]int64{}
			err := db.InTx(ctx, func(tx *store.Tx) error {
				return store.InsertMany(ctx, tx, "faq_entries", []string{"language", "section", "question", "answer", "ordinal", "updated_at"},
					rows, "RETURNING id, question", func(r store.Rows) error {
						var id int64
						var q string
						if err := r.Scan(&id, &q); err != nil {
							return err
						}
						ids[q] = id
						return nil
					})
			})
			if err != nil || len(ids) != n {
				t.Fatalf("insert %d rows: %d returned, %v", n, len(ids), err)
			}
			// Every other question, and as many that are not there.
			var keys, want []string
			for i, q := range questions {
				if i%2 == 0 {
					keys, want = append(keys, q), append(want, q)
				}
				keys = append(keys, q+" (missing)")
			}
			var found []string
			err = store.QueryIn(ctx, db.Read(), `SELECT question FROM faq_entries WHERE section = $1 AND question IN (IN_LIST) ORDER BY ordinal`,
				[]any{"s"}, keys, func(r store.Rows) error {
					var q string
					if err := r.Scan(&q); err != nil {
						return err
					}
					found = append(found, q)
					return nil
				})
			if err != nil || !slices.Equal(found, want) {
				t.Fatalf("%d string keys found %d of %d questions (%v)", len(keys), len(found), len(want), err)
			}
			var others int
			err = store.QueryIn(ctx, db.Read(), `SELECT id FROM faq_entries WHERE question NOT IN (IN_LIST)`, nil, keys, func(store.Rows) error {
				others++
				return nil
			})
			if err != nil || others != n-len(want) {
				t.Fatalf("NOT IN %d keys found %d rows (%v), want %d", len(keys), others, err, n-len(want))
			}
			if engine == store.SQLite {
				// Not UTF-8: the list goes as placeholders and still finds.
				bad := append(slices.Clone(keys), "\xff")
				var count int
				err = store.QueryIn(ctx, db.Read(), `SELECT id FROM faq_entries WHERE question IN (IN_LIST)`, nil, bad, func(store.Rows) error {
					count++
					return nil
				})
				if err != nil || count != len(want) {
					t.Fatalf("%d keys with one not UTF-8 found %d rows (%v), want %d", len(bad), count, err, len(want))
				}
			}
			idList := make([]int64, 0, n+1)
			for _, q := range questions {
				idList = append(idList, ids[q])
			}
			idList = append(idList, 1<<62) // no such row; an integer past float64's exact range
			err = db.InTx(ctx, func(tx *store.Tx) error {
				return store.QueryIn(ctx, tx, `UPDATE faq_entries SET answer = $1 WHERE id IN (IN_LIST)`, []any{"b"}, idList[n/2:], nil)
			})
			if err != nil {
				t.Fatal(err)
			}
			var changed int
			if err := db.Read().QueryRow(ctx, `SELECT count(*) FROM faq_entries WHERE answer = 'b'`).Scan(&changed); err != nil || changed != n-n/2 {
				t.Fatalf("the update by %d ids changed %d rows (%v), want %d", n-n/2+1, changed, err, n-n/2)
			}
		})
	}
}
