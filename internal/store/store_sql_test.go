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
				questions := make([]string, n)
				for i := range questions {
					questions[i] = fmt.Sprintf("q%04d", next)
					next++
				}
				var got []string
				var want []int64
				err := db.InTx(ctx, func(tx *store.Tx) error {
					got, want = got[:0], want[:0]
					return insertQuestions(ctx, tx, questions, at, func(id int64, q string) {
						got, want = append(got, q), append(want, id)
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
				found, err := queryIn[int64](ctx, db.Read(), `SELECT id FROM faq_entries WHERE section = $1 AND id IN (IN_LIST) ORDER BY id`,
					[]any{"s"}, append(want, -1))
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

// insertQuestions inserts FAQ entries of the questions in one InsertMany,
// ordinal by their place, and calls each with every id and question the
// insert returns.
func insertQuestions(ctx context.Context, q store.Querier, questions []string, at time.Time, each func(id int64, question string)) error {
	rows := make([][]any, len(questions))
	for i, question := range questions {
		rows[i] = []any{"ru", "s", question, "a", i, at}
	}
	return store.InsertMany(ctx, q, "faq_entries", []string{"language", "section", "question", "answer", "ordinal", "updated_at"},
		rows, "RETURNING id, question", func(r store.Rows) error {
			var id int64
			var question string
			if err := r.Scan(&id, &question); err != nil {
				return err
			}
			each(id, question)
			return nil
		})
}

// queryIn is store.QueryIn reading one column of every row.
func queryIn[V, K any](ctx context.Context, q store.Querier, query string, fixed []any, keys []K) ([]V, error) {
	var out []V
	err := store.QueryIn(ctx, q, query, fixed, keys, func(r store.Rows) error {
		var v V
		if err := r.Scan(&v); err != nil {
			return err
		}
		out = append(out, v)
		return nil
	})
	return out, err
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
			questions := make([]string, n)
			for i := range questions {
				questions[i] = fmt.Sprintf(`q%04d "Когда?" \ 📦 <&>`, i)
			}
			ids := map[string]int64{}
			err := db.InTx(ctx, func(tx *store.Tx) error {
				return insertQuestions(ctx, tx, questions, at, func(id int64, q string) { ids[q] = id })
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
			found, err := queryIn[string](ctx, db.Read(), `SELECT question FROM faq_entries WHERE section = $1 AND question IN (IN_LIST) ORDER BY ordinal`,
				[]any{"s"}, keys)
			if err != nil || !slices.Equal(found, want) {
				t.Fatalf("%d string keys found %d of %d questions (%v)", len(keys), len(found), len(want), err)
			}
			others, err := queryIn[int64](ctx, db.Read(), `SELECT id FROM faq_entries WHERE question NOT IN (IN_LIST)`, nil, keys)
			if err != nil || len(others) != n-len(want) {
				t.Fatalf("NOT IN %d keys found %d rows (%v), want %d", len(keys), len(others), err, n-len(want))
			}
			if engine == store.SQLite {
				// Not UTF-8: the list goes as placeholders and still finds.
				bad := append(slices.Clone(keys), "\xff")
				got, err := queryIn[int64](ctx, db.Read(), `SELECT id FROM faq_entries WHERE question IN (IN_LIST)`, nil, bad)
				if err != nil || len(got) != len(want) {
					t.Fatalf("%d keys with one not UTF-8 found %d rows (%v), want %d", len(bad), len(got), err, len(want))
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
