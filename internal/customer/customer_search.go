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

// intersectWords selects the customers with a term starting with each of
// words, numbered from $first.
func intersectWords(words []string, first int) (string, []any) {
	parts := make([]string, len(words))
	var args []any
	for i, w := range words {
		n := first + 2*i
		parts[i] = fmt.Sprintf("SELECT customer_id FROM customer_search WHERE term >= $%d AND term < $%d", n, n+1)
		args = append(args, w, w+"\U0010FFFF")
	}
	return strings.Join(parts, " INTERSECT "), args
}

// matchLimit is the most customers a search is resolved to by id. When
// at most this many match, a list starts from their rows (each one's own
// index entries) and sorts what they have; when more match, the list
// walks its own order instead, newest first, and checks each row against
// the search index until the page is full, which is short exactly
// because matches are common. At the limit either way reads some ten
// thousand index entries on a million orders of 300,000 customers.
const matchLimit = 3000

// Match is a search resolved against the customer_search index, for a
// list to filter its rows by.
type Match struct {
	// IDs are the matching customers, ascending: every one of them when
	// All is set, else none.
	IDs []int64
	// All says IDs holds every customer that matches; false means more
	// than matchLimit do.
	All   bool
	words []string
}

// SearchMatch resolves query — words of a name, e-mail or phone, each
// matched by prefix — to the customers matching every word: their ids
// when there are few, else a per-row check (see Match.Clause). ok is
// false when the query has no word to search by. It reads at most twice
// matchLimit entries of the search index per word, except for several
// words each common on its own, whose overlap is computed whole.
func SearchMatch(ctx context.Context, q store.Querier, query string) (m Match, ok bool, err error) {
	words := searchWords(query)
	if len(words) == 0 {
		return Match{}, false, nil
	}
	m.words = words
	// The rarest word leads: its customers, each checked for the others.
	lead := -1
	var leadIDs []int64
	for i, w := range words {
		// Not DISTINCT in SQL: PostgreSQL's generic plan for that reads
		// the whole customer_search_customer index in customer order (0.5
		// s on 300,000 customers). A customer has a term or two with one
		// prefix (a name and an e-mail); a word with more rows than twice
		// the limit counts as common, which is right even if it is not,
		// only slower.
		rows, err := searchIDs(ctx, q, `SELECT customer_id FROM customer_search WHERE term >= $1 AND term < $2 LIMIT $3`,
			w, w+"\U0010FFFF", 2*matchLimit+1)
		if err != nil {
			return Match{}, false, fmt.Errorf("search customers for %q: %w", query, err)
		}
		slices.Sort(rows)
		ids := slices.Compact(rows)
		if len(rows) <= 2*matchLimit && len(ids) <= matchLimit && (lead < 0 || len(ids) < len(leadIDs)) {
			lead, leadIDs = i, ids
		}
	}
	switch {
	case lead >= 0 && len(words) == 1:
		m.IDs, m.All = leadIDs, true
	case lead >= 0:
		others := slices.Delete(slices.Clone(words), lead, lead+1)
		clause, args := existsWords("s.customer_id", others, 3)
		m.IDs, err = searchIDs(ctx, q, `SELECT s.customer_id FROM customer_search s
			WHERE s.term >= $1 AND s.term < $2 AND `+clause, append([]any{words[lead], words[lead] + "\U0010FFFF"}, args...)...)
		m.All = true
	case len(words) > 1:
		// Every word is common: only their overlap tells whether few
		// customers have them all ("ivan kalnins").
		both, args := intersectWords(words, 1)
		m.IDs, err = searchIDs(ctx, q, `SELECT customer_id FROM (`+both+`) AS m LIMIT `+strconv.Itoa(matchLimit+1), args...)
		if m.All = len(m.IDs) <= matchLimit; !m.All {
			m.IDs = nil
		}
	}
	if err != nil {
		return Match{}, false, fmt.Errorf("search customers for %q: %w", query, err)
	}
	slices.Sort(m.IDs)
	m.IDs = slices.Compact(m.IDs)
	return m, true, nil
}

// searchIDs runs a query of customer ids.
func searchIDs(ctx context.Context, q store.Querier, sql string, args ...any) ([]int64, error) {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// Clause returns an SQL condition on column (a customer id) that holds for
// the matching customers, and its arguments, numbered from $first. With
// every match known it is "column IN (ids)", which a list serves from its
// customer index ("1 = 0" when nobody matches); otherwise it checks the
// row's customer against the search index, one EXISTS per word, for a
// list that walks its own order.
func (m Match) Clause(column string, first int) (string, []any) {
	if !m.All {
		return existsWords(column, m.words, first)
	}
	if len(m.IDs) == 0 {
		return "1 = 0", nil
	}
	var b strings.Builder
	b.WriteString(column + " IN (")
	for i, id := range m.IDs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.FormatInt(id, 10)) // integers, not text: nothing to escape
	}
	b.WriteString(")")
	return b.String(), nil
}

// existsWords is a condition that the customer in column has a term
// starting with each of words, numbered from $first; each EXISTS reads
// the customer's few entries in customer_search_customer.
func existsWords(column string, words []string, first int) (string, []any) {
	parts := make([]string, len(words))
	var args []any
	for i, w := range words {
		n := first + 2*i
		parts[i] = fmt.Sprintf("EXISTS (SELECT 1 FROM customer_search cs WHERE cs.customer_id = %s AND cs.term >= $%d AND cs.term < $%d)",
			column, n, n+1)
		args = append(args, w, w+"\U0010FFFF")
	}
	return strings.Join(parts, " AND "), args
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
	m, ok, err := SearchMatch(ctx, q, f.Query)
	if err != nil {
		return nil, false, fmt.Errorf("list customers: %w", err)
	}
	if ok {
		if m.All && len(m.IDs) == 0 {
			return nil, false, nil
		}
		clause, cargs := m.Clause("id", 1)
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
			// last_order_at <= bounds the index range, which PostgreSQL
			// does not derive from the OR.
			n := len(args)
			where = append(where, fmt.Sprintf("last_order_at <= $%d AND (last_order_at < $%d OR id < $%d)", n+1, n+1, n+2))
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
