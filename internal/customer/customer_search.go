package customer

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/shopcare/shopcare/internal/store"
)

// SearchTerms returns the terms a customer is found by: each word of the
// name, the e-mail and its local part, and the phone's digits with and
// without the country code — all lower-cased, so a prefix of any of them
// finds the customer through the customer_search index.
func SearchTerms(name, email, phone string) []string {
	var terms []string
	for _, w := range strings.FieldsFunc(strings.ToLower(name), func(r rune) bool {
		return unicode.IsSpace(r) || r == ',' || r == '.' || r == '"'
	}) {
		terms = append(terms, w)
		if strings.Contains(w, "-") {
			terms = append(terms, strings.Split(w, "-")...)
		}
	}
	if email = strings.ToLower(strings.TrimSpace(email)); email != "" {
		terms = append(terms, email)
		if local, _, ok := strings.Cut(email, "@"); ok {
			terms = append(terms, local)
		}
	}
	if d := digits(phone); d != "" {
		terms = append(terms, d)
		if len(d) > 10 {
			terms = append(terms, d[len(d)-10:])
		}
	}
	out := terms[:0]
	for _, t := range terms {
		if t != "" && len(t) <= 200 {
			out = append(out, t)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if '0' <= r && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// indexSearch (re)writes the search terms of the given customers.
func indexSearch(ctx context.Context, tx *store.Tx, docs map[int64][]string, replace bool) error {
	if len(docs) == 0 {
		return nil
	}
	ids := make([]int64, 0, len(docs))
	for id := range docs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	if replace {
		err := store.QueryIn(ctx, tx, `DELETE FROM customer_search WHERE customer_id IN (IN_LIST) RETURNING customer_id`,
			nil, ids, func(store.Rows) error { return nil })
		if err != nil {
			return fmt.Errorf("clear search terms: %w", err)
		}
	}
	var rows [][]any
	for _, id := range ids {
		for _, t := range docs[id] {
			rows = append(rows, []any{t, id})
		}
	}
	if err := store.InsertMany(ctx, tx, "customer_search", []string{"term", "customer_id"}, rows,
		"ON CONFLICT DO NOTHING", nil); err != nil {
		return fmt.Errorf("index %d customers for search: %w", len(ids), err)
	}
	return nil
}

// BackfillSearch indexes the customers that came before the search index
// (migration 00004) or without it: those past the highest indexed id. New
// customers are indexed as they are saved, so after the first start this
// reads two index ends and does nothing.
func BackfillSearch(ctx context.Context, db *store.DB) (int, error) {
	total := 0
	for {
		var from int64
		err := db.Read().QueryRow(ctx, `SELECT COALESCE(MAX(customer_id), 0) FROM customer_search`).Scan(&from)
		if err != nil {
			return total, fmt.Errorf("search backfill: %w", err)
		}
		n := 0
		err = db.InTx(ctx, func(tx *store.Tx) error {
			rows, err := tx.Query(ctx, `SELECT id, name, COALESCE(email, ''), COALESCE(phone, '') FROM customers
				WHERE id > $1 ORDER BY id LIMIT 5000`, from)
			if err != nil {
				return err
			}
			docs := map[int64][]string{}
			var last int64
			for rows.Next() {
				var id int64
				var name, email, phone string
				if err := rows.Scan(&id, &name, &email, &phone); err != nil {
					rows.Close()
					return err
				}
				docs[id], last = SearchTerms(name, email, phone), id
				n++
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			if n > 0 && len(docs[last]) == 0 {
				// The last one has nothing to find them by: a marker
				// term keeps the backfill from starting over here.
				docs[last] = []string{"#" + strconv.FormatInt(last, 10)}
			}
			return indexSearch(ctx, tx, docs, false)
		})
		if err != nil {
			return total, fmt.Errorf("search backfill: %w", err)
		}
		total += n
		if n == 0 {
			return total, nil
		}
	}
}

// SearchClause returns an SQL condition on column (a customer id) that
// holds for customers matching every word of query by prefix, and its
// arguments, numbered from $first. ok is false when the query has no
// word to search by.
func SearchClause(column, query string, first int) (clause string, args []any, ok bool) {
	words := searchWords(query)
	if len(words) == 0 {
		return "", nil, false
	}
	parts := make([]string, len(words))
	for i, w := range words {
		n := first + 2*i
		parts[i] = fmt.Sprintf("SELECT customer_id FROM customer_search WHERE term >= $%d AND term < $%d", n, n+1)
		args = append(args, w, w+"\U0010FFFF")
	}
	return column + " IN (" + strings.Join(parts, " INTERSECT ") + ")", args, true
}

// searchWords splits what someone typed into search terms: a phone number
// written with spaces, dashes or a plus becomes its digits.
func searchWords(query string) []string {
	q := strings.ToLower(strings.TrimSpace(query))
	if d := digits(q); len(d) >= 4 && strings.Trim(q, "0123456789+-() ") == "" {
		return []string{d}
	}
	var words []string
	for _, w := range strings.Fields(q) {
		w = strings.Trim(w, ",.\"")
		if w != "" && len(words) < 4 {
			words = append(words, w)
		}
	}
	return words
}

// ListFilter selects customers for the admin's list.
type ListFilter struct {
	Query string // words of the name, e-mail or phone, by prefix
	After string // the last row's Cursor
	Limit int
}

// Cursor is where the next page of customers starts: after this one.
func (c *Customer) Cursor() string {
	at := int64(0)
	if c.LastOrderAt != nil {
		at = c.LastOrderAt.UnixMicro()
	}
	return strconv.FormatInt(at, 36) + "." + strconv.FormatInt(c.ID, 36)
}

// List returns a page of customers, the most recent buyers first, and
// whether there are more (keyset pages, as the order list).
func List(ctx context.Context, q store.Querier, f ListFilter) ([]*Customer, bool, error) {
	limit := f.Limit
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	var where []string
	var args []any
	if clause, cargs, ok := SearchClause("id", f.Query, 1); ok {
		where, args = append(where, clause), cargs
	}
	// Customers appear once their first order is counted (the
	// projection sets last_order_at); the index on (last_order_at, id)
	// serves the order and the cursor.
	where = append(where, "last_order_at IS NOT NULL")
	if a, b, ok := strings.Cut(f.After, "."); ok {
		us, err1 := strconv.ParseInt(a, 36, 64)
		id, err2 := strconv.ParseInt(b, 36, 64)
		if err1 == nil && err2 == nil {
			n := len(args)
			where = append(where, fmt.Sprintf("(last_order_at < $%d OR (last_order_at = $%d AND id < $%d))", n+1, n+1, n+2))
			args = append(args, time.UnixMicro(us).UTC(), id)
		}
	}
	sql := `SELECT ` + columns + ` FROM customers`
	if len(where) > 0 {
		sql += " WHERE " + strings.Join(where, " AND ")
	}
	sql += " ORDER BY last_order_at DESC, id DESC LIMIT " + strconv.Itoa(limit+1)
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return nil, false, fmt.Errorf("list customers: %w", err)
	}
	defer rows.Close()
	var out []*Customer
	for rows.Next() {
		c, err := scan(rows)
		if err != nil {
			return nil, false, fmt.Errorf("list customers: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("list customers: %w", err)
	}
	more := len(out) > limit
	if more {
		out = out[:limit]
	}
	return out, more, nil
}
