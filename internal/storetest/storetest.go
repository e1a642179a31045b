// Package storetest opens real, fresh databases for tests on both engines.
// It is imported by tests only.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/shopcare/shopcare/internal/store"
)

// Engines lists the engines a conformance test runs on: SQLite always,
// PostgreSQL when SHOPCARE_TEST_DATABASE_URL is set. Under CI=true a missing
// PostgreSQL is a failure, not a silent skip.
func Engines(t testing.TB) []store.Engine {
	t.Helper()
	engines := []store.Engine{store.SQLite}
	if os.Getenv("SHOPCARE_TEST_DATABASE_URL") != "" {
		engines = append(engines, store.Postgres)
	} else if os.Getenv("CI") == "true" {
		t.Fatal("CI=true but SHOPCARE_TEST_DATABASE_URL is not set: the PostgreSQL half of the suite cannot run")
	}
	return engines
}

// OpenTest opens a fresh, migrated database of the engine for one test: a
// new SQLite file in t.TempDir(), or a new PostgreSQL schema dropped at the
// end. It returns the options that reach the same database, for tests that
// start a second process on it.
func OpenTest(t testing.TB, engine store.Engine) (*store.DB, store.Options) {
	t.Helper()
	ctx := context.Background()
	opts := store.Options{DataDir: t.TempDir()}
	if engine == store.Postgres {
		base := os.Getenv("SHOPCARE_TEST_DATABASE_URL")
		if base == "" {
			t.Skip("PostgreSQL tests need SHOPCARE_TEST_DATABASE_URL, such as postgres://postgres@127.0.0.1:5432/postgres")
		}
		buf := make([]byte, 6)
		_, _ = rand.Read(buf)
		schema := "test_" + hex.EncodeToString(buf)
		admin, err := store.Open(ctx, store.Options{URL: base, MaxConns: 2})
		if err != nil {
			t.Fatalf("connect to PostgreSQL: %v", err)
		}
		if _, err := admin.PgxPool().Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
			t.Fatalf("create schema: %v", err)
		}
		t.Cleanup(func() {
			_, _ = admin.PgxPool().Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
			admin.Close()
		})
		sep := "?"
		if strings.Contains(base, "?") {
			sep = "&"
		}
		opts.URL = fmt.Sprintf("%s%ssearch_path=%s", base, sep, schema)
	}
	db, err := store.Open(ctx, opts)
	if err != nil {
		t.Fatalf("open %s: %v", engine, err)
	}
	t.Cleanup(db.Close)
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate %s: %v", engine, err)
	}
	return db, opts
}

// TextRows reads a query whose columns are all text, each row joined by
// " | ", for comparing two stores' tables line by line. The columns are
// counted from the query: its commas outside parentheses before FROM.
func TextRows(t testing.TB, q store.Querier, query string) []string {
	t.Helper()
	n, depth := 1, 0
	for _, r := range query[:strings.Index(query, "FROM ")] {
		switch r {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				n++
			}
		}
	}
	rs, err := q.Query(context.Background(), query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rs.Close()
	var out []string
	for rs.Next() {
		cols := make([]string, n)
		dest := make([]any, n)
		for i := range cols {
			dest[i] = &cols[i]
		}
		if err := rs.Scan(dest...); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		out = append(out, strings.Join(cols, " | "))
	}
	if err := rs.Err(); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return out
}
