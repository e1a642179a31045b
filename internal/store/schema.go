package store

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Schema describes shopcare's tables as the database reports them, in terms
// that mean the same on both engines: column types reduced to a family
// (TypeInteger for SQLite's INTEGER and PostgreSQL's bigint alike), and
// defaults, index predicates and constraint names written out as the
// engine's catalogue gives them. The migration parity test compares the
// Schema of a fresh SQLite file with that of a fresh PostgreSQL schema;
// tools that show or check indexes can read it too.
//
// River's tables (river_*) and goose's version table are left out: they
// belong to the job queue and the migration tool, whose drivers differ per
// engine by design.
type Schema struct {
	Tables []Table
}

// Table is one table of a Schema.
type Table struct {
	Name    string
	Columns []Column
	// PrimaryKey lists the primary key's columns in key order.
	PrimaryKey []string
	// Uniques lists the UNIQUE constraints (table or column constraints,
	// not CREATE UNIQUE INDEX), each as its columns in order.
	Uniques [][]string
	// Indexes lists the indexes made by CREATE INDEX, by name.
	Indexes     []Index
	ForeignKeys []ForeignKey
	// Checks lists the CHECK constraints' expressions as the engine states
	// them.
	Checks []string
}

// Column is one column of a Table.
type Column struct {
	Name string
	// Type is the column's type family, one of the Type constants.
	Type string
	// RawType is the type as the engine states it.
	RawType string
	NotNull bool
	// Default is the default expression as the engine states it, "" for
	// none.
	Default string
}

// Index is one index made by CREATE [UNIQUE] INDEX.
type Index struct {
	Name   string
	Unique bool
	// Columns lists the indexed columns or expressions in order.
	Columns []string
	// Where is the predicate of a partial index, "" for a full one.
	Where string
}

// ForeignKey is one REFERENCES constraint.
type ForeignKey struct {
	Columns    []string
	RefTable   string
	RefColumns []string
	// OnDelete is the action: NO ACTION, RESTRICT, CASCADE, SET NULL or
	// SET DEFAULT.
	OnDelete string
}

// The column type families of a Schema.
const (
	TypeInteger   = "integer"
	TypeText      = "text"
	TypeReal      = "real"
	TypeBlob      = "blob"
	TypeBoolean   = "boolean"
	TypeTimestamp = "timestamp"
	TypeDate      = "date"
	TypeJSON      = "json"
)

// typeFamily reduces a type as either engine states it to its family; an
// unknown type is returned lower-cased, so that it shows in a comparison.
func typeFamily(raw string) string {
	t := strings.ToLower(strings.TrimSpace(raw))
	if i := strings.IndexByte(t, '('); i >= 0 {
		t = strings.TrimSpace(t[:i])
	}
	switch t {
	case "integer", "int", "bigint", "smallint", "int2", "int4", "int8":
		return TypeInteger
	case "text", "varchar", "character varying", "char", "character":
		return TypeText
	case "real", "double precision", "double", "float", "numeric", "decimal":
		return TypeReal
	case "blob", "bytea":
		return TypeBlob
	case "boolean", "bool":
		return TypeBoolean
	case "datetime", "timestamp", "timestamptz", "timestamp with time zone", "timestamp without time zone":
		return TypeTimestamp
	case "date":
		return TypeDate
	case "json", "jsonb":
		return TypeJSON
	}
	return t
}

// skipTable tells the tables a Schema leaves out.
func skipTable(name string) bool {
	return strings.HasPrefix(name, "river_") || strings.HasPrefix(name, "sqlite_") || name == "goose_db_version"
}

// Schema reads the tables of the database (on PostgreSQL, of the first
// schema on the search path), sorted by name.
func (db *DB) Schema(ctx context.Context) (Schema, error) {
	var s Schema
	var err error
	if db.engine == Postgres {
		s, err = postgresSchema(ctx, db.Read())
	} else {
		s, err = sqliteSchema(ctx, db.Read())
	}
	if err != nil {
		return Schema{}, fmt.Errorf("read schema: %w", err)
	}
	for i := range s.Tables {
		t := &s.Tables[i]
		slices.SortFunc(t.Uniques, func(a, b []string) int { return slices.Compare(a, b) })
		slices.Sort(t.Checks)
		slices.SortFunc(t.Indexes, func(a, b Index) int { return strings.Compare(a.Name, b.Name) })
		slices.SortFunc(t.ForeignKeys, func(a, b ForeignKey) int {
			if c := slices.Compare(a.Columns, b.Columns); c != 0 {
				return c
			}
			return strings.Compare(a.RefTable, b.RefTable)
		})
	}
	slices.SortFunc(s.Tables, func(a, b Table) int { return strings.Compare(a.Name, b.Name) })
	return s, nil
}

// queryStrings runs a query whose rows are one text column.
func queryStrings(ctx context.Context, q Querier, query string, args ...any) ([]string, error) {
	var out []string
	err := Each(ctx, q, query, args, func(rows Rows) error {
		var s string
		if err := rows.Scan(&s); err != nil {
			return err
		}
		out = append(out, s)
		return nil
	})
	return out, err
}

// sqliteWhere finds the predicate of a partial index in its CREATE INDEX.
var sqliteWhere = regexp.MustCompile(`(?is)\)\s*WHERE\s+(.*?)\s*;?\s*$`)

func sqliteSchema(ctx context.Context, q Querier) (Schema, error) {
	names, err := queryStrings(ctx, q, `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		return Schema{}, err
	}
	var s Schema
	for _, name := range names {
		if skipTable(name) {
			continue
		}
		t := Table{Name: name}
		var ddl string
		if err := q.QueryRow(ctx, `SELECT COALESCE(sql, '') FROM sqlite_master WHERE type = 'table' AND name = $1`, name).Scan(&ddl); err != nil {
			return Schema{}, err
		}
		t.Checks = sqliteChecks(ddl)
		type pkCol struct {
			name string
			pos  int
		}
		var pk []pkCol
		err := Each(ctx, q, `SELECT name, type, "notnull", COALESCE(dflt_value, ''), pk FROM pragma_table_xinfo($1) WHERE hidden = 0 ORDER BY cid`,
			[]any{name}, func(rows Rows) error {
				var c Column
				var notNull, pos int
				if err := rows.Scan(&c.Name, &c.RawType, &notNull, &c.Default, &pos); err != nil {
					return err
				}
				c.Type = typeFamily(c.RawType)
				// SQLite lets a primary key column hold NULL unless it is
				// the INTEGER rowid alias; both are NOT NULL in spirit,
				// and PostgreSQL makes every key column NOT NULL.
				c.NotNull = notNull == 1 || pos > 0
				if pos > 0 {
					pk = append(pk, pkCol{c.Name, pos})
				}
				t.Columns = append(t.Columns, c)
				return nil
			})
		if err != nil {
			return Schema{}, err
		}
		slices.SortFunc(pk, func(a, b pkCol) int { return a.pos - b.pos })
		for _, c := range pk {
			t.PrimaryKey = append(t.PrimaryKey, c.name)
		}

		type indexRow struct {
			name, origin string
			unique       bool
		}
		var indexes []indexRow
		err = Each(ctx, q, `SELECT name, "unique", origin FROM pragma_index_list($1) ORDER BY name`, []any{name}, func(rows Rows) error {
			var r indexRow
			var unique int
			if err := rows.Scan(&r.name, &unique, &r.origin); err != nil {
				return err
			}
			r.unique = unique == 1
			indexes = append(indexes, r)
			return nil
		})
		if err != nil {
			return Schema{}, err
		}
		for _, ix := range indexes {
			cols, err := queryStrings(ctx, q, `SELECT COALESCE(name, '(expression)') FROM pragma_index_info($1) ORDER BY seqno`, ix.name)
			if err != nil {
				return Schema{}, err
			}
			switch ix.origin {
			case "pk":
				// A composite or non-integer primary key: PrimaryKey
				// already has it.
			case "u":
				t.Uniques = append(t.Uniques, cols)
			default:
				var ddl string
				if err := q.QueryRow(ctx, `SELECT COALESCE(sql, '') FROM sqlite_master WHERE type = 'index' AND name = $1`, ix.name).Scan(&ddl); err != nil {
					return Schema{}, err
				}
				index := Index{Name: ix.name, Unique: ix.unique, Columns: cols}
				if m := sqliteWhere.FindStringSubmatch(ddl); m != nil {
					index.Where = m[1]
				}
				t.Indexes = append(t.Indexes, index)
			}
		}

		fks := map[int]*ForeignKey{}
		var order []int
		err = Each(ctx, q, `SELECT id, "table", "from", COALESCE("to", ''), on_delete FROM pragma_foreign_key_list($1) ORDER BY id, seq`,
			[]any{name}, func(rows Rows) error {
				var id int
				var ref, from, to, onDelete string
				if err := rows.Scan(&id, &ref, &from, &to, &onDelete); err != nil {
					return err
				}
				fk := fks[id]
				if fk == nil {
					fk = &ForeignKey{RefTable: ref, OnDelete: onDelete}
					fks[id] = fk
					order = append(order, id)
				}
				fk.Columns = append(fk.Columns, from)
				fk.RefColumns = append(fk.RefColumns, to)
				return nil
			})
		if err != nil {
			return Schema{}, err
		}
		for _, id := range order {
			t.ForeignKeys = append(t.ForeignKeys, *fks[id])
		}
		s.Tables = append(s.Tables, t)
	}
	// REFERENCES t without columns points at t's primary key.
	for i := range s.Tables {
		for j := range s.Tables[i].ForeignKeys {
			fk := &s.Tables[i].ForeignKeys[j]
			if slices.Contains(fk.RefColumns, "") {
				for _, ref := range s.Tables {
					if ref.Name == fk.RefTable && len(ref.PrimaryKey) == len(fk.RefColumns) {
						fk.RefColumns = slices.Clone(ref.PrimaryKey)
					}
				}
			}
		}
	}
	return s, nil
}

// sqliteChecks finds the CHECK constraints in a CREATE TABLE statement
// (SQLite keeps no other record of them; ALTER TABLE ADD COLUMN rewrites
// the statement, so it has them all): the expression inside each CHECK's
// parentheses.
func sqliteChecks(ddl string) []string {
	var checks []string
	upper := strings.ToUpper(ddl)
	for i := 0; ; {
		j := strings.Index(upper[i:], "CHECK")
		if j < 0 {
			return checks
		}
		at := i + j
		i = at + len("CHECK")
		if at > 0 && isIdentByte(upper[at-1]) || i < len(upper) && isIdentByte(upper[i]) {
			continue // part of a longer name
		}
		open := strings.IndexByte(ddl[i:], '(')
		if open < 0 || strings.TrimSpace(ddl[i:i+open]) != "" {
			continue
		}
		start, depth, quoted := i+open+1, 1, false
		k := start
		for ; k < len(ddl) && depth > 0; k++ {
			switch c := ddl[k]; {
			case c == '\'':
				quoted = !quoted
			case quoted:
			case c == '(':
				depth++
			case c == ')':
				depth--
			}
		}
		if depth == 0 {
			checks = append(checks, strings.TrimSpace(ddl[start:k-1]))
		}
		i = k
	}
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}

func postgresSchema(ctx context.Context, q Querier) (Schema, error) {
	names, err := queryStrings(ctx, q, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`)
	if err != nil {
		return Schema{}, err
	}
	var s Schema
	for _, name := range names {
		if skipTable(name) {
			continue
		}
		t := Table{Name: name}
		err := Each(ctx, q, `SELECT column_name, data_type, is_nullable = 'NO', COALESCE(column_default, '')
			FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
			[]any{name}, func(rows Rows) error {
				var c Column
				if err := rows.Scan(&c.Name, &c.RawType, &c.NotNull, &c.Default); err != nil {
					return err
				}
				c.Type = typeFamily(c.RawType)
				t.Columns = append(t.Columns, c)
				return nil
			})
		if err != nil {
			return Schema{}, err
		}

		// Constraints: their columns in key order, by attribute name.
		err = Each(ctx, q, `SELECT c.contype::text,
				COALESCE(f.relname, ''),
				c.confdeltype::text,
				ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
					JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i),
				ARRAY(SELECT a.attname::text FROM unnest(COALESCE(c.confkey, '{}')) WITH ORDINALITY k(n, i)
					JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i),
				pg_get_constraintdef(c.oid, true)
			FROM pg_constraint c
			JOIN pg_class r ON r.oid = c.conrelid
			JOIN pg_namespace n ON n.oid = r.relnamespace
			LEFT JOIN pg_class f ON f.oid = c.confrelid
			WHERE n.nspname = current_schema() AND r.relname = $1 AND c.contype IN ('p', 'u', 'f', 'c')
			ORDER BY c.conname`, []any{name}, func(rows Rows) error {
			var kind, ref, onDelete, def string
			var cols, refCols []string
			if err := rows.Scan(&kind, &ref, &onDelete, &cols, &refCols, &def); err != nil {
				return err
			}
			switch kind {
			case "c":
				t.Checks = append(t.Checks, strings.TrimSpace(strings.TrimPrefix(def, "CHECK")))
			case "p":
				t.PrimaryKey = cols
			case "u":
				t.Uniques = append(t.Uniques, cols)
			case "f":
				t.ForeignKeys = append(t.ForeignKeys, ForeignKey{
					Columns: cols, RefTable: ref, RefColumns: refCols, OnDelete: postgresAction(onDelete),
				})
			}
			return nil
		})
		if err != nil {
			return Schema{}, err
		}

		// Indexes that no constraint made.
		err = Each(ctx, q, `SELECT ic.relname::text, i.indisunique,
				ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnkeyatts) k ORDER BY k),
				COALESCE(pg_get_expr(i.indpred, i.indrelid, true), '')
			FROM pg_index i
			JOIN pg_class ic ON ic.oid = i.indexrelid
			JOIN pg_class r ON r.oid = i.indrelid
			JOIN pg_namespace n ON n.oid = r.relnamespace
			WHERE n.nspname = current_schema() AND r.relname = $1
				AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid)
			ORDER BY ic.relname`, []any{name}, func(rows Rows) error {
			var ix Index
			if err := rows.Scan(&ix.Name, &ix.Unique, &ix.Columns, &ix.Where); err != nil {
				return err
			}
			t.Indexes = append(t.Indexes, ix)
			return nil
		})
		if err != nil {
			return Schema{}, err
		}
		s.Tables = append(s.Tables, t)
	}
	return s, nil
}

// postgresAction spells pg_constraint.confdeltype as SQLite does.
func postgresAction(code string) string {
	switch code {
	case "r":
		return "RESTRICT"
	case "c":
		return "CASCADE"
	case "n":
		return "SET NULL"
	case "d":
		return "SET DEFAULT"
	}
	return "NO ACTION"
}
