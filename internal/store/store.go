package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Engine names a database engine.
type Engine string

// The engines shopcare runs on.
const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// ErrNotFound is returned when a looked-up row does not exist.
var ErrNotFound = errors.New("not found")

// ErrConflict is returned when a write breaks a uniqueness rule.
var ErrConflict = errors.New("conflict")

// Querier runs SQL on a pool or inside a transaction, on either engine.
type Querier interface {
	// Exec runs a statement and returns the number of rows it changed.
	Exec(ctx context.Context, query string, args ...any) (int64, error)
	// Query runs a query returning rows; the caller closes them.
	Query(ctx context.Context, query string, args ...any) (Rows, error)
	// QueryRow runs a query returning at most one row; Scan reports
	// ErrNotFound when there is none.
	QueryRow(ctx context.Context, query string, args ...any) Row
}

// Rows is a result set being read.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close()
}

// Row is a single-row result.
type Row interface {
	Scan(dest ...any) error
}

// Tx is a write transaction. Raw returns the driver's transaction (*sql.Tx on
// SQLite, pgx.Tx on PostgreSQL) for the job queue to insert into.
type Tx struct {
	Querier
	raw         any
	afterCommit []func()
}

// AfterCommit runs f once the transaction has committed (never when it
// rolls back): to wake a worker for what the transaction wrote.
func (tx *Tx) AfterCommit(f func()) { tx.afterCommit = append(tx.afterCommit, f) }

func (tx *Tx) committed() {
	for _, f := range tx.afterCommit {
		f()
	}
}

// Raw returns the underlying driver transaction.
func (tx *Tx) Raw() any { return tx.raw }

// DB is an open shopcare database.
type DB struct {
	engine Engine

	// SQLite: writes go through a pool of one connection, reads through a
	// pool of several, as SQLite allows one writer at a time.
	write *sql.DB
	read  *sql.DB

	// PostgreSQL: one pool for everything, and the column types InsertMany
	// casts its arrays to.
	pool  *pgxpool.Pool
	types *pgTypes

	// path is the SQLite database's file ("" on PostgreSQL).
	path string
}

// Options say where the database is.
type Options struct {
	// URL is a postgres:// URL; empty means SQLite in DataDir.
	URL string
	// DataDir holds the SQLite file.
	DataDir string
	// MaxConns caps the PostgreSQL pool (default 4 per core, at least 8).
	MaxConns int32
}

// Open connects to the database Options name. It does not migrate.
func Open(ctx context.Context, opts Options) (*DB, error) {
	if strings.HasPrefix(opts.URL, "postgres://") || strings.HasPrefix(opts.URL, "postgresql://") {
		return openPostgres(ctx, opts)
	}
	if opts.URL != "" {
		return nil, fmt.Errorf("database URL %q: only postgres:// URLs are supported; leave it empty for SQLite", redact(opts.URL))
	}
	return openSQLite(ctx, opts.DataDir)
}

// sqliteURI is the file: URI of a database file. SQLite reads the path
// up to a "?" or "#" and percent-decodes it, so those characters and "%"
// in a directory's name are escaped: a data directory named "shop#1"
// must not open a file "shop" somewhere else.
func sqliteURI(path string) string {
	return "file:" + strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23").Replace(path)
}

// SQLiteFile is the name of the database file inside the data directory.
const SQLiteFile = "shopcare.db"

func openSQLite(ctx context.Context, dir string) (*DB, error) {
	if dir == "" {
		dir = "."
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	path := filepath.Join(dir, SQLiteFile)
	pragmas := "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)" +
		"&_pragma=foreign_keys(ON)&_pragma=cache_size(-" + strconv.Itoa(sqliteCacheKiB) + ")&_pragma=temp_store(MEMORY)&_time_format=sqlite"
	wc, err := newSQLiteConnector(sqliteURI(path) + "?" + pragmas +
		"&_pragma=wal_autocheckpoint(" + strconv.Itoa(sqliteAutoCheckpoint) + ")&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	write := sql.OpenDB(wc)
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxIdleTime(0)
	write.SetConnMaxLifetime(0)
	rc, err := newSQLiteConnector(sqliteURI(path) + "?" + pragmas + "&_pragma=query_only(1)")
	if err != nil {
		_ = write.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	read := sql.OpenDB(rc)
	n := readConns()
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	if err := write.PingContext(ctx); err != nil {
		_ = write.Close()
		_ = read.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	return &DB{engine: SQLite, write: write, read: read, path: path}, nil
}

// readConns is the size of the SQLite read pool: one a processor.
func readConns() int { return max(2, runtime.NumCPU()) }

func openPostgres(ctx context.Context, opts Options) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(opts.URL)
	if err != nil {
		return nil, fmt.Errorf("database URL %s: %w", redact(opts.URL), err)
	}
	cfg.MaxConns = opts.MaxConns
	if cfg.MaxConns == 0 {
		cfg.MaxConns = int32(max(8, 4*runtime.NumCPU()))
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect %s: %w", redact(opts.URL), err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect %s: %w", redact(opts.URL), err)
	}
	return &DB{engine: Postgres, pool: pool, types: &pgTypes{}}, nil
}

// redact hides the password of a database URL for messages.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

// Engine tells which engine the database runs on.
func (db *DB) Engine() Engine { return db.engine }

// SQLDB returns the SQLite write pool (nil on PostgreSQL).
func (db *DB) SQLDB() *sql.DB { return db.write }

// PgxPool returns the PostgreSQL pool (nil on SQLite).
func (db *DB) PgxPool() *pgxpool.Pool { return db.pool }

// Close closes every pool.
func (db *DB) Close() {
	if db.pool != nil {
		db.pool.Close()
	}
	if db.read != nil {
		_ = db.read.Close()
	}
	if db.write != nil {
		_ = db.write.Close()
	}
}

// Read returns a Querier for reads outside a transaction.
func (db *DB) Read() Querier {
	if db.engine == Postgres {
		return pgxQuerier{db: db.pool, types: db.types}
	}
	return sqlQuerier{db.read}
}

// InTx runs fn in a write transaction and commits it when fn returns nil.
// On PostgreSQL a serialization failure or deadlock is retried a few times,
// so fn must not have effects outside the transaction.
func (db *DB) InTx(ctx context.Context, fn func(tx *Tx) error) error {
	if db.engine == SQLite {
		return db.sqliteTx(ctx, fn)
	}
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		err = db.pgTx(ctx, fn)
		if !retryable(err) {
			return err
		}
	}
	return err
}

func (db *DB) sqliteTx(ctx context.Context, fn func(tx *Tx) error) error {
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", translate(err))
	}
	tx := &Tx{Querier: sqlQuerier{sqlTx}, raw: sqlTx}
	if err := fn(tx); err != nil {
		_ = sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", translate(err))
	}
	tx.committed()
	return nil
}

func (db *DB) pgTx(ctx context.Context, fn func(tx *Tx) error) error {
	pgTx, err := db.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	tx := &Tx{Querier: pgxQuerier{db: pgTx, types: db.types}, raw: pgTx}
	if err := fn(tx); err != nil {
		_ = pgTx.Rollback(context.WithoutCancel(ctx))
		return err
	}
	if err := pgTx.Commit(ctx); err != nil {
		return fmt.Errorf("commit: %w", translate(err))
	}
	tx.committed()
	return nil
}

func retryable(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && (pgErr.Code == "40001" || pgErr.Code == "40P01")
}

// translate maps driver errors to the store's sentinel errors, keeping the
// original in the chain.
func translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) || errors.Is(err, pgx.ErrNoRows) {
		return ErrNotFound
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return fmt.Errorf("%w: %s", ErrConflict, pgErr.Message)
	}
	var liteErr *sqlite.Error
	if errors.As(err, &liteErr) && (liteErr.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || liteErr.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY) {
		return fmt.Errorf("%w: %s", ErrConflict, liteErr.Error())
	}
	return err
}

// maxCachedArgs bounds the arguments of a statement a SQLite connection
// keeps (sqliteConn: the group commits' VALUES lists are kept, longer
// generated lists are not) and maxCacheArgs the sum over all it keeps,
// which bounds their memory.
const (
	maxCachedArgs = 1024
	maxCacheArgs  = 1 << 15
)

// sqlQuerier runs SQL through database/sql (SQLite).
type sqlQuerier struct {
	db interface {
		ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
		QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
		QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	}
}

// utcArgs stores every time in UTC, so SQLite's text timestamps sort and
// compare correctly.
func utcArgs(args []any) []any {
	for i, a := range args {
		switch v := a.(type) {
		case time.Time:
			args[i] = v.UTC()
		case *time.Time:
			if v != nil {
				u := v.UTC()
				args[i] = &u
			}
		}
	}
	return args
}

func (q sqlQuerier) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := q.db.ExecContext(ctx, query, utcArgs(args)...)
	if err != nil {
		return 0, translate(err)
	}
	return res.RowsAffected()
}

func (q sqlQuerier) Query(ctx context.Context, query string, args ...any) (Rows, error) {
	rows, err := q.db.QueryContext(ctx, query, utcArgs(args)...)
	if err != nil {
		return nil, translate(err)
	}
	return sqlRows{rows}, nil
}

func (q sqlQuerier) QueryRow(ctx context.Context, query string, args ...any) Row {
	return translatedRow{q.db.QueryRowContext(ctx, query, utcArgs(args)...)}
}

type sqlRows struct{ *sql.Rows }

func (r sqlRows) Close() { _ = r.Rows.Close() }

type translatedRow struct{ Row }

func (r translatedRow) Scan(dest ...any) error { return translate(r.Row.Scan(dest...)) }

// pgxQuerier runs SQL through pgx (PostgreSQL).
type pgxQuerier struct {
	db interface {
		Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
		Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
		QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	}
	types *pgTypes // nil: InsertMany writes VALUES lists
}

func (q pgxQuerier) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	tag, err := q.db.Exec(ctx, query, args...)
	if err != nil {
		return 0, translate(err)
	}
	return tag.RowsAffected(), nil
}

func (q pgxQuerier) Query(ctx context.Context, query string, args ...any) (Rows, error) {
	rows, err := q.db.Query(ctx, query, args...)
	if err != nil {
		return nil, translate(err)
	}
	return pgxRows{rows}, nil
}

func (q pgxQuerier) QueryRow(ctx context.Context, query string, args ...any) Row {
	return translatedRow{q.db.QueryRow(ctx, query, args...)}
}

type pgxRows struct{ pgx.Rows }

func (r pgxRows) Scan(dest ...any) error { return translate(r.Rows.Scan(dest...)) }

// sqliteCacheKiB is the page cache of each SQLite connection, in KiB.
const sqliteCacheKiB = 16000

// sqliteAutoCheckpoint is the WAL's size, in pages, at which a commit of
// the write connection copies the log into the database. SQLite's default
// of 1,000 pages (4 MB) copies the same hot pages (the journal's tail, the
// orders' newest index leaves) again every few hundred commits under a
// steady load, inside the commit every write waits for; four times as
// many copies them a quarter as often. The bound stays small: the log
// never grows past about 16 MB beside the database, and a full disk is
// left with room to checkpoint and restart the log.
const sqliteAutoCheckpoint = 4000

// GrowWriteCache gives the SQLite write connection a page cache of kib
// KiB until restore is called, which gives it back its usual one. A bulk
// load's transactions change more pages than the usual cache holds (a
// chunk of an import inserts into every page of the orders' indexes
// keyed by time or customer): SQLite then writes changed pages to the WAL
// before the commit and reads them back, and evicts the pages its lookups
// read next. The pages are allocated as they are used, so a small load
// does not take the memory. Nothing on PostgreSQL.
func (db *DB) GrowWriteCache(ctx context.Context, kib int) (restore func(), err error) {
	if db.engine != SQLite || kib <= sqliteCacheKiB {
		return func() {}, nil
	}
	if _, err := db.write.ExecContext(ctx, "PRAGMA cache_size = -"+strconv.Itoa(kib)); err != nil {
		return nil, fmt.Errorf("grow the page cache: %w", err)
	}
	// Checkpoint when the WAL holds as many pages as the cache, not
	// after every commit past the usual bound: pages changed again by
	// the next transactions are copied into the database once.
	if _, err := db.write.ExecContext(ctx, "PRAGMA wal_autocheckpoint = "+strconv.Itoa(kib/4)); err != nil {
		return nil, fmt.Errorf("grow the page cache: %w", err)
	}
	return func() {
		// Shrinking frees the cache's unused pages. Should it fail, the
		// connection keeps the large cache: more memory, nothing wrong.
		_, _ = db.write.ExecContext(context.WithoutCancel(ctx), "PRAGMA cache_size = -"+strconv.Itoa(sqliteCacheKiB))
		_, _ = db.write.ExecContext(context.WithoutCancel(ctx), "PRAGMA wal_autocheckpoint = "+strconv.Itoa(sqliteAutoCheckpoint))
	}, nil
}

// Analyze refreshes the planner's statistics. A bulk load calls it as its
// tables grow: PostgreSQL without fresh statistics (autovacuum off, or not
// yet run) takes a fast-growing table for a small one and scans it whole
// for every batch. On SQLite it runs PRAGMA optimize.
func (db *DB) Analyze(ctx context.Context) error {
	if db.engine == Postgres {
		_, err := db.pool.Exec(ctx, `ANALYZE customers, orders`)
		return err
	}
	_, err := db.write.ExecContext(ctx, `PRAGMA optimize`)
	return err
}
