package bench

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	_ "modernc.org/sqlite" // the engine the ceiling measures, as the store opens it
)

// The raw insert ceiling: what the engine itself takes, with none of
// shopcare's work, inserting order-shaped rows in transactions of
// ceilingTx rows through one prepared insert into a table with one unique
// index. An order of the import writes about ceilingRowsPerOrder rows
// (the order, its status history, its event, its share of customers), so
// the ceiling in orders/s is the rows/s over that.
const (
	ceilingTx           = 10_000
	ceilingRowsPerOrder = 4
	ceilingMaxRows      = 1_000_000
)

const ceilingTable = `CREATE TABLE ceiling_orders (id INTEGER PRIMARY KEY, external_id TEXT NOT NULL, customer_id INTEGER NOT NULL,
	status TEXT NOT NULL, total_minor INTEGER NOT NULL, currency TEXT NOT NULL, channel TEXT NOT NULL,
	placed_at TEXT NOT NULL, created_at TEXT NOT NULL)`

const ceilingIndex = `CREATE UNIQUE INDEX ceiling_orders_external_id ON ceiling_orders (external_id)`

const ceilingInsert = `INSERT INTO ceiling_orders (external_id, customer_id, status, total_minor, currency, channel, placed_at, created_at)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`

// ceilingRows is how many rows measure the ceiling for an import of
// orders: as many as the import writes, within bounds.
func ceilingRows(orders int) int {
	return min(max(ceilingRowsPerOrder*orders, ceilingTx), ceilingMaxRows)
}

// ceilingRow returns the arguments of row i.
func ceilingRow(i int, at string) []any {
	return []any{"o-" + strconv.Itoa(i), int64(1 + i%300_000), "delivered", int64(49_000 + i%2_500_000), "RUB", "web", at, at}
}

// measureSQLiteCeiling inserts rows into a fresh modernc SQLite database
// in dir, opened as shopcare opens its own (WAL, synchronous=NORMAL), and
// returns rows per second.
func measureSQLiteCeiling(ctx context.Context, dir string, rows int) (float64, error) {
	path := filepath.Join(dir, "ceiling.db")
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)"+
		"&_pragma=synchronous(NORMAL)&_pragma=cache_size(-16000)&_txlock=immediate")
	if err != nil {
		return 0, fmt.Errorf("open the ceiling database: %w", err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, s := range []string{ceilingTable, ceilingIndex} {
		if _, err := db.ExecContext(ctx, s); err != nil {
			return 0, fmt.Errorf("create the ceiling table: %w", err)
		}
	}
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC).Format(time.RFC3339)
	start := time.Now()
	for from := 0; from < rows; from += ceilingTx {
		if err := insertCeilingRows(ctx, db, from, min(from+ceilingTx, rows), at); err != nil {
			return 0, err
		}
	}
	return float64(rows) / max(time.Since(start).Seconds(), 0.001), nil
}

// insertCeilingRows inserts the ceiling's rows [from, to) in one
// transaction, through one prepared insert.
func insertCeilingRows(ctx context.Context, db *sql.DB, from, to int, at string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	st, err := tx.PrepareContext(ctx, ceilingInsert)
	if err != nil {
		_ = tx.Rollback()
		return err
	}
	defer func() { _ = st.Close() }()
	for i := from; i < to; i++ {
		if _, err := st.ExecContext(ctx, ceilingRow(i, at)...); err != nil {
			_ = tx.Rollback()
			return fmt.Errorf("insert into the ceiling table: %w", err)
		}
	}
	return tx.Commit()
}

// measurePostgresCeiling is the same on PostgreSQL, in the bench's schema
// (dsn sets the search path): each transaction's rows go as one pipelined
// batch of the prepared insert, as pgx sends them best.
func measurePostgresCeiling(ctx context.Context, dsn string, rows int) (float64, error) {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return 0, fmt.Errorf("connect for the ceiling: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	table := `CREATE TABLE ceiling_orders (id bigserial PRIMARY KEY, external_id text NOT NULL, customer_id bigint NOT NULL,
		status text NOT NULL, total_minor bigint NOT NULL, currency text NOT NULL, channel text NOT NULL,
		placed_at timestamptz NOT NULL, created_at timestamptz NOT NULL)`
	for _, s := range []string{table, ceilingIndex} {
		if _, err := conn.Exec(ctx, s); err != nil {
			return 0, fmt.Errorf("create the ceiling table: %w", err)
		}
	}
	defer func() { _, _ = conn.Exec(context.WithoutCancel(ctx), `DROP TABLE ceiling_orders`) }()
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	start := time.Now()
	for from := 0; from < rows; from += ceilingTx {
		var b pgx.Batch
		for i := from; i < min(from+ceilingTx, rows); i++ {
			args := ceilingRow(i, "")
			args[6], args[7] = at, at
			b.Queue(ceilingInsert, args...)
		}
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			return tx.SendBatch(ctx, &b).Close()
		})
		if err != nil {
			return 0, fmt.Errorf("insert into the ceiling table: %w", err)
		}
	}
	return float64(rows) / max(time.Since(start).Seconds(), 0.001), nil
}
