package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/shopcare/shopcare/internal/store"
)

// TestStatementsReused runs the same statements in transaction after
// transaction, as the group commit does, and a query again while its rows
// are open (its prepared statement is one cursor): every run must see
// its own rows.
func TestStatementsReused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := store.Open(ctx, store.Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	err = db.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec(ctx, `CREATE TABLE kv (k INTEGER PRIMARY KEY, v TEXT NOT NULL)`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for round := range 3 {
		err := db.InTx(ctx, func(tx *store.Tx) error {
			for k := range 3 {
				if _, err := tx.Exec(ctx, `INSERT INTO kv (k, v) VALUES ($1, $2)`, round*3+k, "v"); err != nil {
					return err
				}
			}
			var n int
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM kv WHERE k < $1`, 1000).Scan(&n); err != nil {
				return err
			}
			if n != round*3+3 {
				t.Errorf("round %d: %d rows, want %d", round, n, round*3+3)
			}
			// The outer rows stay open while the same query runs inside.
			rows, err := tx.Query(ctx, `SELECT k FROM kv WHERE k >= $1 ORDER BY k`, 0)
			if err != nil {
				return err
			}
			defer rows.Close()
			var outer []int
			for rows.Next() {
				var k int
				if err := rows.Scan(&k); err != nil {
					return err
				}
				outer = append(outer, k)
				inner, err := tx.Query(ctx, `SELECT k FROM kv WHERE k >= $1 ORDER BY k`, k)
				if err != nil {
					return err
				}
				var first int
				if !inner.Next() {
					inner.Close()
					return errors.New("inner query: no row")
				}
				if err := inner.Scan(&first); err != nil {
					inner.Close()
					return err
				}
				inner.Close()
				if first != k {
					t.Errorf("round %d: inner query from %d starts at %d", round, k, first)
				}
			}
			if err := rows.Err(); err != nil {
				return err
			}
			if len(outer) != round*3+3 {
				t.Errorf("round %d: outer query saw %v", round, outer)
			}
			err = tx.QueryRow(ctx, `SELECT v FROM kv WHERE k = $1`, -1).Scan(new(string))
			if !errors.Is(err, store.ErrNotFound) {
				t.Errorf("round %d: a missing row: %v, want ErrNotFound", round, err)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		var n int
		if err := db.Read().QueryRow(ctx, `SELECT count(*) FROM kv WHERE k < $1`, 1000).Scan(&n); err != nil || n != round*3+3 {
			t.Fatalf("round %d: read pool counts %d (%v), want %d", round, n, err, round*3+3)
		}
	}
}

// TestConnStatementsReused runs a query straight on the driver, as River
// does through its *sql.Tx, again while its rows are open: the connection
// keeps the statement, and the second run must not reuse its open cursor.
func TestConnStatementsReused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := store.Open(ctx, store.Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	raw := db.SQLDB()
	if _, err := raw.ExecContext(ctx, `CREATE TABLE kv (k INTEGER PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	for round := range 3 {
		tx, err := raw.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		for k := range 3 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO kv (k) VALUES (?)`, round*3+k); err != nil {
				t.Fatal(err)
			}
		}
		rows, err := tx.QueryContext(ctx, `SELECT k FROM kv WHERE k >= ? ORDER BY k`, 0)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for rows.Next() {
			var k int
			if err := rows.Scan(&k); err != nil {
				t.Fatal(err)
			}
			n++
			var first int
			if err := tx.QueryRowContext(ctx, `SELECT k FROM kv WHERE k >= ? ORDER BY k`, k).Scan(&first); err != nil || first != k {
				t.Errorf("round %d: inner query from %d: %d (%v)", round, k, first, err)
			}
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			t.Fatal(err)
		}
		if n != round*3+3 {
			t.Errorf("round %d: outer query saw %d rows, want %d", round, n, round*3+3)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
}
