package store

import (
	"context"
	"encoding/json"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxParams keeps a statement under SQLite's limit of bound parameters
// (32766) and PostgreSQL's (65535).
const maxParams = 30000

// Placeholders returns "$start, $start+1, …" for n parameters.
func Placeholders(start, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('$')
		b.WriteString(strconv.Itoa(start + i))
	}
	return b.String()
}

// listPlaceholders is Placeholders for a generated list: on SQLite it writes
// anonymous "?" parameters, which SQLite numbers after the highest so far;
// its lookup of "$N" names is linear per parameter, which made a thousand-row
// VALUES list quadratic.
func listPlaceholders(q Querier, start, n int) string {
	if !onSQLite(q) {
		return Placeholders(start, n)
	}
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// InsertMany inserts rows into table in as few statements as the engines'
// parameter limits allow. suffix follows the VALUES list (an ON CONFLICT or
// RETURNING clause); when scan is not nil, it reads each returned row.
// This is the one dynamic statement builder of shopcare: set-based intake
// needs a VALUES list of variable length.
func InsertMany(ctx context.Context, q Querier, table string, cols []string, rows [][]any, suffix string, scan func(Rows) error) error {
	if len(rows) == 0 {
		return nil
	}
	if pq, ok := unwrap(q).(pgxQuerier); ok && pq.types != nil {
		if done, err := insertUnnest(ctx, pq, table, cols, rows, suffix, scan); done || err != nil {
			return err
		}
	}
	per := max(1, maxParams/len(cols))
	head := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES "
	for start := 0; start < len(rows); {
		n := min(per, len(rows)-start)
		if onSQLite(q) {
			// Statements a connection keeps, however many rows: a
			// list too long to keep was parsed anew for every chunk of
			// an import (7 % of its CPU), where a kept statement of
			// 32 rows run 150 times is not parsed at all.
			n = cachedRows(min(n, max(1, maxCachedArgs/len(cols))))
		}
		chunk := rows[start : start+n]
		start += n
		var b strings.Builder
		b.WriteString(head)
		args := make([]any, 0, len(chunk)*len(cols))
		for i, row := range chunk {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			b.WriteString(listPlaceholders(q, len(args)+1, len(row)))
			b.WriteByte(')')
			args = append(args, row...)
		}
		b.WriteString(" ")
		b.WriteString(suffix)
		if err := run(ctx, q, b.String(), args, scan); err != nil {
			return err
		}
	}
	return nil
}

// cachedRows is how many of n rows (or keys) one statement takes when it
// is short enough for a SQLite connection to keep (maxCachedArgs): a power
// of two, so that lists of every length share a few statements a table
// (37 rows go as 32, 4 and 1) instead of each length parsing its own and
// filling the connection's budget of kept statements.
func cachedRows(n int) int {
	return 1 << (bits.Len(uint(n)) - 1)
}

// onSQLite tells whether q runs on SQLite, whose connections keep their
// statements by text (sqliteConn).
func onSQLite(q Querier) bool {
	_, ok := unwrap(q).(sqlQuerier)
	return ok
}

// unwrap is the engine's querier under a transaction.
func unwrap(q Querier) Querier {
	if tx, ok := q.(*Tx); ok {
		return tx.Querier
	}
	return q
}

// QueryIn runs query once per chunk of keys, with "(IN_LIST)" in the query
// replaced by the chunk's placeholders after the fixed args, and calls scan
// for each row; with scan nil it runs a statement that returns none.
//
// On SQLite a list of more than jsonListKeys strings or integers goes as
// one JSON array parameter instead ("IN (SELECT value FROM json_each(?))"):
// one short statement the connection keeps, where placeholders for
// thousands of keys were parsed anew on every run. SQLite still looks
// each key up in the column's index.
//
// On PostgreSQL a list of strings or integers always goes as one array
// parameter ("= ANY($n)"): one statement pgx prepares once, whatever the
// list's length, where a list of placeholders was a statement of its own
// for each length, up to 30,000 parameters to parse, plan and bind. A
// "NOT IN (IN_LIST)" keeps its placeholders.
func QueryIn[K any](ctx context.Context, q Querier, query string, fixed []any, keys []K, scan func(Rows) error) error {
	if len(keys) == 0 {
		return nil
	}
	sqlite := onSQLite(q)
	switch {
	case sqlite && len(keys) > jsonListKeys:
		if list, ok := jsonList(keys); ok {
			return run(ctx, q, strings.Replace(query, "(IN_LIST)", "(SELECT value FROM json_each(?))", 1), append(slices.Clone(fixed), list), scan)
		}
	case !sqlite && strings.Contains(query, "IN (IN_LIST)") && !strings.Contains(query, "NOT IN (IN_LIST)"):
		switch any(keys).(type) {
		case []string, []int64:
			return run(ctx, q, strings.Replace(query, "IN (IN_LIST)", "= ANY($"+strconv.Itoa(len(fixed)+1)+")", 1), append(slices.Clone(fixed), keys), scan)
		}
	}
	for start := 0; start < len(keys); start += maxParams {
		chunk := keys[start:min(start+maxParams, len(keys))]
		// A short list is padded with its last key to a power of two
		// (a key twice in an IN list changes nothing), so that lists of
		// every length share a few statements (cachedRows).
		n := len(chunk)
		if len(fixed)+n <= maxCachedArgs {
			n = cachedRows(2*n - 1)
		}
		args := make([]any, 0, len(fixed)+n)
		args = append(args, fixed...)
		for _, k := range chunk {
			args = append(args, k)
		}
		for range n - len(chunk) {
			args = append(args, chunk[len(chunk)-1])
		}
		sql := strings.Replace(query, "(IN_LIST)", "("+listPlaceholders(q, len(fixed)+1, n)+")", 1)
		if err := run(ctx, q, sql, args, scan); err != nil {
			return err
		}
	}
	return nil
}

// jsonListKeys is the longest list of keys QueryIn writes out as
// placeholders on SQLite; a longer one goes as a JSON array.
const jsonListKeys = 256

// jsonList is keys as a JSON array when they are integers, or strings
// that JSON carries byte for byte (valid UTF-8, no NUL): SQLite compares
// the array's values as the column's own.
func jsonList[K any](keys []K) (string, bool) {
	switch ks := any(keys).(type) {
	case []string:
		for _, k := range ks {
			if !utf8.ValidString(k) || strings.IndexByte(k, 0) >= 0 {
				return "", false
			}
		}
	case []int64:
	default:
		return "", false
	}
	b, err := json.Marshal(keys)
	return string(b), err == nil
}

// run runs a statement with args, or with scan a query whose rows it
// reads.
func run(ctx context.Context, q Querier, sql string, args []any, scan func(Rows) error) error {
	if scan == nil {
		_, err := q.Exec(ctx, sql, args...)
		return err
	}
	return Each(ctx, q, sql, args, scan)
}

// Each runs a query and calls scan for each row.
func Each(ctx context.Context, q Querier, query string, args []any, scan func(Rows) error) error {
	rs, err := q.Query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rs.Close()
	for rs.Next() {
		if err := scan(rs); err != nil {
			return err
		}
	}
	return rs.Err()
}

// NullText is s as an optional text column: NULL when s is empty.
func NullText(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// Text reads an optional text column: "" for NULL.
func Text(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
