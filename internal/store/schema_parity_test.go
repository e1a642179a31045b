package store_test

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/storetest"
)

// The migrations are written twice, once per engine. TestSchemaParity
// migrates a fresh SQLite file and a fresh PostgreSQL schema and checks
// that the two agree on every table, column (type family, NOT NULL,
// default), primary key, UNIQUE constraint, index (name, columns, unique,
// partial WHERE), foreign key (columns, target, ON DELETE) and CHECK
// constraint. A migration pair that drifts fails here, naming the table and
// what differs. Not compared, being the engines' own: collations (SQLite's
// BINARY is PostgreSQL's "C", which customer_search.term names), WITHOUT
// ROWID, and how a key is generated (INTEGER PRIMARY KEY, IDENTITY).
//
// Under CI=true it runs, never skips: PostgreSQL comes from
// SHOPCARE_TEST_DATABASE_URL.
func TestSchemaParity(t *testing.T) {
	t.Parallel()
	if os.Getenv("SHOPCARE_TEST_DATABASE_URL") == "" && os.Getenv("CI") != "true" {
		t.Skip("the schema parity test needs PostgreSQL: set SHOPCARE_TEST_DATABASE_URL")
	}
	storetest.Engines(t) // fails under CI=true without PostgreSQL
	ctx := context.Background()
	lite, _ := storetest.OpenTest(t, store.SQLite)
	pg, _ := storetest.OpenTest(t, store.Postgres)
	liteSchema, err := lite.Schema(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pgSchema, err := pg.Schema(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(liteSchema.Tables) < 40 {
		t.Fatalf("SQLite schema has %d tables: the introspection lost some", len(liteSchema.Tables))
	}
	t.Logf("SQLite: %s; PostgreSQL: %s", schemaCounts(liteSchema), schemaCounts(pgSchema))
	diffs := compareSchemas(liteSchema, pgSchema)
	used := map[string]bool{}
	for _, d := range diffs {
		if _, ok := parityExceptions[d]; ok {
			used[d] = true
			continue
		}
		t.Errorf("schema drift: %s", d)
	}
	for d := range parityExceptions {
		if !used[d] {
			t.Errorf("parity exception no longer needed (remove it from parityExceptions): %s", d)
		}
	}
}

// parityExceptions are differences between the engines that are meant:
// each says why. A difference listed here that no longer occurs fails the
// test, so the list cannot rot.
var parityExceptions = map[string]string{
	"table customer_search: index customer_search_customer: columns [customer_id] on SQLite, [customer_id term] on PostgreSQL": "" +
		"SQLite's customer_search is WITHOUT ROWID, so every index on it carries the primary key (term, customer_id): " +
		"its index on customer_id already holds term. PostgreSQL needs term named to answer the search's prefix " +
		"check from the index alone (migration 00007 says so).",
}

// compareSchemas lists every difference between a SQLite and a PostgreSQL
// schema, one line each, in table order.
func compareSchemas(lite, pg store.Schema) []string {
	var diffs []string
	pgTables := map[string]store.Table{}
	for _, t := range pg.Tables {
		pgTables[t.Name] = t
	}
	liteNames := map[string]bool{}
	for _, lt := range lite.Tables {
		liteNames[lt.Name] = true
		pt, ok := pgTables[lt.Name]
		if !ok {
			diffs = append(diffs, fmt.Sprintf("table %s: only on SQLite", lt.Name))
			continue
		}
		diffs = append(diffs, compareTables(lt, pt)...)
	}
	for _, pt := range pg.Tables {
		if !liteNames[pt.Name] {
			diffs = append(diffs, fmt.Sprintf("table %s: only on PostgreSQL", pt.Name))
		}
	}
	return diffs
}

func compareTables(lt, pt store.Table) []string {
	var diffs []string
	add := func(format string, args ...any) {
		diffs = append(diffs, fmt.Sprintf("table %s: ", lt.Name)+fmt.Sprintf(format, args...))
	}

	pgCols := map[string]store.Column{}
	for _, c := range pt.Columns {
		pgCols[c.Name] = c
	}
	var liteOrder, pgOrder []string
	for _, lc := range lt.Columns {
		liteOrder = append(liteOrder, lc.Name)
		pc, ok := pgCols[lc.Name]
		if !ok {
			add("column %s only on SQLite", lc.Name)
			continue
		}
		if lc.Type != pc.Type {
			add("column %s: type %s (%s) on SQLite, %s (%s) on PostgreSQL", lc.Name, lc.Type, lc.RawType, pc.Type, pc.RawType)
		}
		if lc.NotNull != pc.NotNull {
			add("column %s: NOT NULL %t on SQLite, %t on PostgreSQL", lc.Name, lc.NotNull, pc.NotNull)
		}
		if ld, pd := normalizeDefault(lc.Default), normalizeDefault(pc.Default); ld != pd {
			add("column %s: default %q on SQLite, %q on PostgreSQL", lc.Name, lc.Default, pc.Default)
		}
	}
	for _, pc := range pt.Columns {
		pgOrder = append(pgOrder, pc.Name)
		if !slices.ContainsFunc(lt.Columns, func(c store.Column) bool { return c.Name == pc.Name }) {
			add("column %s only on PostgreSQL", pc.Name)
		}
	}
	// Column order matters to SELECT * and to positional INSERTs.
	if len(liteOrder) == len(pgOrder) && !slices.Equal(liteOrder, pgOrder) {
		add("column order %v on SQLite, %v on PostgreSQL", liteOrder, pgOrder)
	}

	if !slices.Equal(lt.PrimaryKey, pt.PrimaryKey) {
		add("primary key %v on SQLite, %v on PostgreSQL", lt.PrimaryKey, pt.PrimaryKey)
	}

	for _, u := range lt.Uniques {
		if !slices.ContainsFunc(pt.Uniques, func(p []string) bool { return slices.Equal(u, p) }) {
			add("UNIQUE %v only on SQLite", u)
		}
	}
	for _, u := range pt.Uniques {
		if !slices.ContainsFunc(lt.Uniques, func(l []string) bool { return slices.Equal(u, l) }) {
			add("UNIQUE %v only on PostgreSQL", u)
		}
	}

	pgIndexes := map[string]store.Index{}
	for _, ix := range pt.Indexes {
		pgIndexes[ix.Name] = ix
	}
	for _, li := range lt.Indexes {
		pi, ok := pgIndexes[li.Name]
		if !ok {
			add("index %s only on SQLite", li.Name)
			continue
		}
		delete(pgIndexes, li.Name)
		if li.Unique != pi.Unique {
			add("index %s: unique %t on SQLite, %t on PostgreSQL", li.Name, li.Unique, pi.Unique)
		}
		if lc, pc := normalizeColumns(li.Columns), normalizeColumns(pi.Columns); !slices.Equal(lc, pc) {
			add("index %s: columns %v on SQLite, %v on PostgreSQL", li.Name, li.Columns, pi.Columns)
		}
		if lw, pw := normalizeExpr(li.Where), normalizeExpr(pi.Where); lw != pw {
			add("index %s: WHERE %q on SQLite, %q on PostgreSQL", li.Name, li.Where, pi.Where)
		}
	}
	for _, pt := range pt.Indexes {
		if _, ok := pgIndexes[pt.Name]; ok {
			add("index %s only on PostgreSQL", pt.Name)
		}
	}

	liteChecks, pgChecks := map[string]string{}, map[string]string{}
	for _, c := range lt.Checks {
		liteChecks[normalizeCheck(c)] = c
	}
	for _, c := range pt.Checks {
		pgChecks[normalizeCheck(c)] = c
	}
	for n, c := range liteChecks {
		if _, ok := pgChecks[n]; !ok {
			add("CHECK (%s) only on SQLite", c)
		}
	}
	for n, c := range pgChecks {
		if _, ok := liteChecks[n]; !ok {
			add("CHECK %s only on PostgreSQL", c)
		}
	}

	fkKey := func(fk store.ForeignKey) string {
		return fmt.Sprintf("%v -> %s%v ON DELETE %s", fk.Columns, fk.RefTable, fk.RefColumns, fk.OnDelete)
	}
	var liteFKs, pgFKs []string
	for _, fk := range lt.ForeignKeys {
		liteFKs = append(liteFKs, fkKey(fk))
	}
	for _, fk := range pt.ForeignKeys {
		pgFKs = append(pgFKs, fkKey(fk))
	}
	for _, fk := range liteFKs {
		if !slices.Contains(pgFKs, fk) {
			add("foreign key %s only on SQLite", fk)
		}
	}
	for _, fk := range pgFKs {
		if !slices.Contains(liteFKs, fk) {
			add("foreign key %s only on PostgreSQL", fk)
		}
	}
	return diffs
}

// pgCast matches PostgreSQL's ::type casts in catalogue expressions, such
// as ”::text or 'x'::character varying.
var pgCast = regexp.MustCompile(`::[a-z ]+(\[\])?`)

// pgAny and pgAll match PostgreSQL's spelling of IN and NOT IN over a list
// of constants, with the parentheses it puts around them.
var (
	pgAny = regexp.MustCompile(`\((\w+) = any \(array\[([^\]]*)\]\)\)|(\w+) = any \(array\[([^\]]*)\]\)`)
	pgAll = regexp.MustCompile(`\((\w+) <> all \(array\[([^\]]*)\]\)\)|(\w+) <> all \(array\[([^\]]*)\]\)`)
	// quotedNumber matches a number PostgreSQL quoted to cast it: '-1'::integer.
	quotedNumber = regexp.MustCompile(`^'(-?[0-9.]+)'$`)
)

// normalizeExpr writes an expression (a default, an index predicate) the
// same way whichever engine stated it: casts dropped, case and spacing
// folded, redundant parentheses removed.
func normalizeExpr(s string) string {
	s = pgCast.ReplaceAllString(s, "")
	s = strings.ToLower(strings.Join(strings.Fields(s), " "))
	s = strings.ReplaceAll(s, "( ", "(")
	s = strings.ReplaceAll(s, " )", ")")
	s = pgAny.ReplaceAllString(s, "$1$3 in ($2$4)")
	s = pgAll.ReplaceAllString(s, "$1$3 not in ($2$4)")
	s = quotedNumber.ReplaceAllString(s, "$1")
	for strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") && balanced(s[1:len(s)-1]) {
		s = s[1 : len(s)-1]
	}
	return s
}

// balanced tells whether the parentheses of s pair up.
func balanced(s string) bool {
	depth := 0
	for _, r := range s {
		switch r {
		case '(':
			depth++
		case ')':
			depth--
			if depth < 0 {
				return false
			}
		}
	}
	return depth == 0
}

// normalizeDefault also reads SQLite's 0/1 and PostgreSQL's false/true as
// the same boolean default, and folds the spellings of "now".
func normalizeDefault(s string) string {
	s = normalizeExpr(s)
	switch s {
	case "current_timestamp", "now()", "transaction_timestamp()":
		return "now"
	}
	return s
}

// between matches a BETWEEN, which PostgreSQL states as two comparisons.
var between = regexp.MustCompile(`(\w+) between (\S+) and (\S+)`)

// normalizeCheck reads a CHECK expression with every parenthesis dropped:
// PostgreSQL wraps each comparison in its own.
func normalizeCheck(s string) string {
	s = normalizeExpr(s)
	s = between.ReplaceAllString(s, "$1 >= $2 and $1 <= $3")
	s = strings.NewReplacer("(", "", ")", "").Replace(s)
	return strings.Join(strings.Fields(s), " ")
}

func normalizeColumns(cols []string) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = normalizeExpr(c)
	}
	return out
}

// schemaCounts sums what a schema holds, for the test's log.
func schemaCounts(s store.Schema) string {
	var cols, pks, uniques, indexes, partial, fks, checks int
	for _, t := range s.Tables {
		cols += len(t.Columns)
		if len(t.PrimaryKey) > 0 {
			pks++
		}
		uniques += len(t.Uniques)
		indexes += len(t.Indexes)
		for _, ix := range t.Indexes {
			if ix.Where != "" {
				partial++
			}
		}
		fks += len(t.ForeignKeys)
		checks += len(t.Checks)
	}
	return fmt.Sprintf("%d tables, %d columns, %d primary keys, %d UNIQUE, %d indexes (%d partial), %d foreign keys, %d CHECK",
		len(s.Tables), cols, pks, uniques, indexes, partial, fks, checks)
}

// TestSchemaParityFindsDrift: the comparison reports each kind of drift,
// so the parity test can fail. It runs on SQLite alone, against copies of
// its own schema changed one way each.
func TestSchemaParityFindsDrift(t *testing.T) {
	t.Parallel()
	db, _ := storetest.OpenTest(t, store.SQLite)
	base, err := db.Schema(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if diffs := compareSchemas(base, base); len(diffs) != 0 {
		t.Fatalf("a schema differs from itself: %v", diffs)
	}
	table := func(s store.Schema, name string) *store.Table {
		for i := range s.Tables {
			if s.Tables[i].Name == name {
				return &s.Tables[i]
			}
		}
		t.Fatalf("no table %s", name)
		return nil
	}
	column := func(tb *store.Table, name string) *store.Column {
		for i := range tb.Columns {
			if tb.Columns[i].Name == name {
				return &tb.Columns[i]
			}
		}
		t.Fatalf("no column %s.%s", tb.Name, name)
		return nil
	}
	for _, tc := range []struct {
		name   string
		change func(s store.Schema)
		want   string
	}{
		{"table", func(s store.Schema) { s.Tables[0].Name = "gone" }, "only on SQLite"},
		{"column type", func(s store.Schema) { column(table(s, "orders"), "total_minor").Type = store.TypeText }, "column total_minor: type"},
		{"not null", func(s store.Schema) { column(table(s, "orders"), "status").NotNull = false }, "column status: NOT NULL"},
		{"default", func(s store.Schema) { column(table(s, "orders"), "channel").Default = "'web'" }, "column channel: default"},
		{"missing column", func(s store.Schema) {
			tb := table(s, "orders")
			tb.Columns = tb.Columns[:len(tb.Columns)-1]
		}, "only on SQLite"},
		{"column order", func(s store.Schema) {
			tb := table(s, "orders")
			tb.Columns[1], tb.Columns[2] = tb.Columns[2], tb.Columns[1]
		}, "column order"},
		{"primary key", func(s store.Schema) { table(s, "customer_search").PrimaryKey = []string{"term"} }, "primary key"},
		{"unique", func(s store.Schema) { table(s, "orders").Uniques = nil }, "UNIQUE [external_id] only on SQLite"},
		{"index columns", func(s store.Schema) { table(s, "orders").Indexes[0].Columns = []string{"id"} }, "columns"},
		{"index unique", func(s store.Schema) { table(s, "orders").Indexes[0].Unique = true }, "unique false on SQLite, true"},
		{"index predicate", func(s store.Schema) {
			tb := table(s, "orders")
			for i := range tb.Indexes {
				if tb.Indexes[i].Where != "" {
					tb.Indexes[i].Where = "status = 'new'"
					return
				}
			}
			t.Fatal("orders has no partial index")
		}, "WHERE"},
		{"index missing", func(s store.Schema) { table(s, "orders").Indexes = nil }, "only on SQLite"},
		{"check", func(s store.Schema) { table(s, "conversations").Checks = nil }, "CHECK (rating_score BETWEEN 1 AND 5) only on SQLite"},
		{"foreign key", func(s store.Schema) { table(s, "orders").ForeignKeys[0].OnDelete = "CASCADE" }, "foreign key [customer_id] -> customers[id] ON DELETE"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			other := cloneSchema(base)
			tc.change(other)
			diffs := compareSchemas(base, other)
			if len(diffs) == 0 || !strings.Contains(strings.Join(diffs, "\n"), tc.want) {
				t.Errorf("diffs %q, want one with %q", diffs, tc.want)
			}
		})
	}
}

func cloneSchema(s store.Schema) store.Schema {
	out := store.Schema{Tables: make([]store.Table, len(s.Tables))}
	for i, t := range s.Tables {
		t.Columns = slices.Clone(t.Columns)
		t.PrimaryKey = slices.Clone(t.PrimaryKey)
		t.Uniques = slices.Clone(t.Uniques)
		t.Indexes = slices.Clone(t.Indexes)
		for j := range t.Indexes {
			t.Indexes[j].Columns = slices.Clone(t.Indexes[j].Columns)
		}
		t.ForeignKeys = slices.Clone(t.ForeignKeys)
		t.Checks = slices.Clone(t.Checks)
		out.Tables[i] = t
	}
	return out
}

// TestNormalizeExpr: PostgreSQL's catalogue spellings read the same as
// the migrations' SQLite text.
func TestNormalizeExpr(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ sqlite, postgres string }{
		{"''", "''::text"},
		{"-1", "'-1'::integer"},
		{"FALSE", "false"},
		{"CURRENT_TIMESTAMP", "now()"},
		{"email IS NOT NULL", "(email IS NOT NULL)"},
		{"status IN ('new', 'processing')", "status = ANY (ARRAY['new'::text, 'processing'::text])"},
		{"status IN ('new') AND late_at IS NULL AND NOT history",
			"(status = ANY (ARRAY['new'::text])) AND late_at IS NULL AND NOT history"},
		{"status IS NULL OR status NOT IN ('lost')", "status IS NULL OR (status <> ALL (ARRAY['lost'::text]))"},
		{"(a = 1) OR (b = 2)", "(a = 1) OR (b = 2)"},
	} {
		if l, p := normalizeDefault(tc.sqlite), normalizeDefault(tc.postgres); l != p {
			t.Errorf("%q reads %q, %q reads %q", tc.sqlite, l, tc.postgres, p)
		}
	}
	if l, p := normalizeCheck("rating_score BETWEEN 1 AND 5"), normalizeCheck("((rating_score >= 1) AND (rating_score <= 5))"); l != p {
		t.Errorf("BETWEEN reads %q, its comparisons %q", l, p)
	}
	if normalizeExpr("status IN ('new')") == normalizeExpr("status NOT IN ('new')") {
		t.Error("IN and NOT IN read the same")
	}
}
