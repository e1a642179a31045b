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
	"strings"
	"sync"
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
	// Their statements, each prepared once per connection.
	writeStmts, readStmts *stmtCache

	// PostgreSQL: one pool for everything.
	pool *pgxpool.Pool
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
		"&_pragma=foreign_keys(ON)&_pragma=cache_size(-16000)&_pragma=temp_store(MEMORY)&_time_format=sqlite"
	wc, err := newSQLiteConnector("file:" + path + "?" + pragmas + "&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	write := sql.OpenDB(wc)
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxIdleTime(0)
	write.SetConnMaxLifetime(0)
	rc, err := newSQLiteConnector("file:" + path + "?" + pragmas + "&_pragma=query_only(1)")
	if err != nil {
		_ = write.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	read := sql.OpenDB(rc)
	n := max(2, runtime.NumCPU())
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	if err := write.PingContext(ctx); err != nil {
		_ = write.Close()
		_ = read.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	return &DB{engine: SQLite, write: write, read: read, writeStmts: newStmtCache(write), readStmts: newStmtCache(read)}, nil
}

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
	return &DB{engine: Postgres, pool: pool}, nil
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
	if db.readStmts != nil {
		db.readStmts.close()
		db.writeStmts.close()
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
		return pgxQuerier{db.pool}
	}
	return sqlQuerier{cachedPool{db.read, db.readStmts}}
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
	tx := &Tx{Querier: sqlQuerier{&txStatements{tx: sqlTx, cache: db.writeStmts}}, raw: sqlTx}
	defer db.writeStmts.preparePending()
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
	tx := &Tx{Querier: pgxQuerier{pgTx}, raw: pgTx}
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

// txStatements runs a SQLite transaction's statements, each prepared once
// per connection however often it runs: the write pool's statements
// (stmtCache) are reused by every transaction through Tx.StmtContext, so
// the group commit's inserts, VALUES lists of the same length included,
// are parsed once and not per transaction (parsing was a quarter of the
// order intake's writer). A statement seen for the first time is prepared
// in the transaction, and on the pool once the transaction has ended (the
// pool's one connection is the transaction's until then). A query's
// statement is one cursor: while its rows are open, the same query runs
// unprepared (busy). database/sql closes the transaction's handles on the
// statements when it ends; the statements stay prepared on the connection.
type txStatements struct {
	tx    *sql.Tx
	cache *stmtCache
	stmts map[string]*sql.Stmt
	busy  map[string]bool
}

// maxPreparedArgs bounds the arguments of a statement kept outside the
// cache of a pool, per transaction; maxCachedArgs bounds those of the
// statements a pool keeps (the group commits' VALUES lists) and
// maxCacheArgs the sum over all of them, which bounds their memory.
const (
	maxPreparedArgs = 32
	maxCachedArgs   = 1024
	maxCacheArgs    = 1 << 15
)

func (t *txStatements) stmt(ctx context.Context, query string, args int) (*sql.Stmt, error) {
	if st := t.stmts[query]; st != nil {
		return st, nil
	}
	if args > maxCachedArgs {
		return nil, nil
	}
	var st *sql.Stmt
	if parent := t.cache.lookup(query, args); parent != nil {
		st = t.tx.StmtContext(ctx, parent)
	} else {
		if args > maxPreparedArgs && !t.cache.want(query, args) {
			return nil, nil
		}
		if args <= maxPreparedArgs {
			t.cache.want(query, args)
		}
		var err error
		if st, err = t.tx.PrepareContext(ctx, query); err != nil {
			return nil, err
		}
	}
	if t.stmts == nil {
		t.stmts = map[string]*sql.Stmt{}
	}
	t.stmts[query] = st
	return st, nil
}

func (t *txStatements) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if t.busy[query] {
		return t.tx.ExecContext(ctx, query, args...)
	}
	st, err := t.stmt(ctx, query, len(args)) //nolint:sqlclosecheck // database/sql closes a transaction's statements when it ends
	if err != nil || st == nil {
		if err != nil {
			return nil, err
		}
		return t.tx.ExecContext(ctx, query, args...)
	}
	return st.ExecContext(ctx, args...)
}

func (t *txStatements) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return t.tx.QueryContext(ctx, query, args...)
}

func (t *txStatements) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(ctx, query, args...)
}

// query runs a query through its prepared statement unless that
// statement's rows are open already.
func (t *txStatements) query(ctx context.Context, query string, args []any) (Rows, error) {
	if !t.busy[query] {
		st, err := t.stmt(ctx, query, len(args)) //nolint:sqlclosecheck // database/sql closes a transaction's statements when it ends
		if err != nil {
			return nil, translate(err)
		}
		if st != nil {
			rows, err := st.QueryContext(ctx, args...)
			if err != nil {
				return nil, translate(err)
			}
			if t.busy == nil {
				t.busy = map[string]bool{}
			}
			t.busy[query] = true
			return &txRows{Rows: rows, t: t, query: query}, nil
		}
	}
	rows, err := t.tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, translate(err)
	}
	return sqlRows{rows}, nil
}

// txRows are the rows of a prepared query; closing them frees the
// statement for the next run.
type txRows struct {
	*sql.Rows
	t      *txStatements
	query  string
	closed bool
}

func (r *txRows) Close() {
	_ = r.Rows.Close()
	if !r.closed {
		r.closed = true
		delete(r.t.busy, r.query)
	}
}

// txRow is QueryRow over query: the first row, ErrNotFound without one.
type txRow struct {
	rows Rows
	err  error
}

func (r txRow) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	defer r.rows.Close()
	if !r.rows.Next() {
		if err := r.rows.Err(); err != nil {
			return translate(err)
		}
		return ErrNotFound
	}
	if err := r.rows.Scan(dest...); err != nil {
		return translate(err)
	}
	r.rows.Close()
	return translate(r.rows.Err())
}

// stmtCache keeps the statements of a SQLite pool, each prepared once per
// connection (database/sql prepares a pool's statement on each connection
// it runs on). Statements with many arguments, different every time (IN
// lists), are kept only up to maxCacheArgs arguments in all.
type stmtCache struct {
	db *sql.DB

	mu      sync.Mutex
	stmts   map[string]*sql.Stmt
	args    int                 // of the kept statements, in all
	pending map[string]int      // to prepare on the write pool once its transaction ended, with their arguments
	failed  map[string]struct{} // do not prepare again
}

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, stmts: map[string]*sql.Stmt{}, pending: map[string]int{}, failed: map[string]struct{}{}}
}

// lookup returns the kept statement of query, or nil.
func (c *stmtCache) lookup(query string, args int) *sql.Stmt {
	if args > maxCachedArgs {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stmts[query]
}

// want notes query to be prepared by preparePending, and tells whether it
// will be (there is room).
func (c *stmtCache) want(query string, args int) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, bad := c.failed[query]; bad || c.args+args > maxCacheArgs {
		return false
	}
	c.pending[query] = args
	return true
}

// preparePending prepares the statements noted by want; the write pool
// calls it after a transaction, when its connection is free.
func (c *stmtCache) preparePending() {
	c.mu.Lock()
	if len(c.pending) == 0 {
		c.mu.Unlock()
		return
	}
	pending := c.pending
	c.pending = map[string]int{}
	c.mu.Unlock()
	for query, args := range pending {
		c.prepare(context.Background(), query, args)
	}
}

// prepare prepares query on the pool and keeps it, room allowing. The
// lock is not held while preparing, which waits for a connection.
func (c *stmtCache) prepare(ctx context.Context, query string, args int) *sql.Stmt {
	c.mu.Lock()
	st, full := c.stmts[query], c.args+args > maxCacheArgs
	_, bad := c.failed[query]
	c.mu.Unlock()
	if st != nil || bad || full {
		return st
	}
	st, err := c.db.PrepareContext(ctx, query)
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil {
		if ctx.Err() == nil {
			c.failed[query] = struct{}{}
		}
		return nil
	}
	if kept := c.stmts[query]; kept != nil || c.args+args > maxCacheArgs {
		_ = st.Close() //nolint:sqlclosecheck // a statement prepared twice: the one kept is closed by close
		return kept
	}
	c.stmts[query] = st
	c.args += args
	return st
}

// get returns the statement of query on a pool without transactions (the
// read pool), preparing it first; nil when it is not to be kept.
func (c *stmtCache) get(ctx context.Context, query string, args int) *sql.Stmt {
	if args > maxPreparedArgs {
		return nil
	}
	c.mu.Lock()
	st := c.stmts[query]
	c.mu.Unlock()
	if st != nil {
		return st
	}
	return c.prepare(ctx, query, args)
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, st := range c.stmts {
		_ = st.Close()
		delete(c.stmts, q)
	}
}

// cachedPool runs a pool's statements through its stmtCache.
type cachedPool struct {
	db    *sql.DB
	cache *stmtCache
}

func (p cachedPool) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := p.cache.get(ctx, query, len(args)); st != nil { //nolint:sqlclosecheck // kept in the cache, closed by close
		return st.ExecContext(ctx, args...)
	}
	return p.db.ExecContext(ctx, query, args...)
}

func (p cachedPool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := p.cache.get(ctx, query, len(args)); st != nil { //nolint:sqlclosecheck // kept in the cache, closed by close
		return st.QueryContext(ctx, args...)
	}
	return p.db.QueryContext(ctx, query, args...)
}

func (p cachedPool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := p.cache.get(ctx, query, len(args)); st != nil { //nolint:sqlclosecheck // kept in the cache, closed by close
		return st.QueryRowContext(ctx, args...)
	}
	return p.db.QueryRowContext(ctx, query, args...)
}

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
	if t, ok := q.db.(*txStatements); ok {
		return t.query(ctx, query, utcArgs(args))
	}
	rows, err := q.db.QueryContext(ctx, query, utcArgs(args)...)
	if err != nil {
		return nil, translate(err)
	}
	return sqlRows{rows}, nil
}

func (q sqlQuerier) QueryRow(ctx context.Context, query string, args ...any) Row {
	if t, ok := q.db.(*txStatements); ok {
		rows, err := t.query(ctx, query, utcArgs(args))
		return txRow{rows: rows, err: err}
	}
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
