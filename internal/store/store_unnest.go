package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// pgTypes keeps the SQL types of the tables' columns that InsertMany has
// written on PostgreSQL, read from the catalog once a table.
type pgTypes struct {
	mu     sync.Mutex
	tables map[string]map[string]string // table → column → type, as format_type writes it
}

// of returns the types of table's columns cols, in order; false when one
// of them cannot go as an array (the table or column is not found, or it
// is an array itself, which unnest would flatten).
func (t *pgTypes) of(ctx context.Context, q pgxQuerier, table string, cols []string) ([]string, bool, error) {
	t.mu.Lock()
	types, ok := t.tables[table]
	t.mu.Unlock()
	if !ok {
		types = map[string]string{}
		err := Each(ctx, q, `SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute
			WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped`, []any{table}, func(r Rows) error {
			var name, typ string
			if err := r.Scan(&name, &typ); err != nil {
				return err
			}
			types[name] = typ
			return nil
		})
		if err != nil {
			return nil, false, fmt.Errorf("column types of %s: %w", table, err)
		}
		t.mu.Lock()
		if t.tables == nil {
			t.tables = map[string]map[string]string{}
		}
		t.tables[table] = types
		t.mu.Unlock()
	}
	out := make([]string, len(cols))
	for i, c := range cols {
		typ := types[c]
		if typ == "" || strings.HasSuffix(typ, "]") {
			return nil, false, nil
		}
		out[i] = typ
	}
	return out, true, nil
}

// insertUnnest is InsertMany on PostgreSQL: the rows go as one array a
// column, unnested into the table, whatever their number. It is one
// statement a table, which pgx prepares once a connection; a VALUES list
// was a statement of its own for every number of rows, with up to 30,000
// parameters to parse, plan and bind. It returns false, having done
// nothing, when a column cannot go as an array.
func insertUnnest(ctx context.Context, q pgxQuerier, table string, cols []string, rows [][]any, suffix string, scan func(Rows) error) (bool, error) {
	types, ok, err := q.types.of(ctx, q, table, cols)
	if !ok || err != nil {
		return false, err
	}
	var b strings.Builder
	b.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") SELECT * FROM unnest(")
	args := make([]any, len(cols))
	for i, typ := range types {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("$" + strconv.Itoa(i+1) + "::" + typ + "[]")
		col := make([]any, len(rows))
		for k, row := range rows {
			col[k] = row[i]
		}
		args[i] = col
	}
	b.WriteString(") ")
	b.WriteString(suffix)
	return true, run(ctx, q, b.String(), args, scan)
}
