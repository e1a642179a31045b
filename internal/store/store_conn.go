package store

import (
	"context"
	"database/sql/driver"
	"reflect"

	"modernc.org/sqlite"
)

// sqliteConnector opens SQLite connections that keep their statements:
// a statement run on the connection itself (db.QueryContext, tx.Exec…,
// which database/sql hands to the driver unprepared) is prepared on its
// first run and reused after, up to maxCacheArgs arguments in all per
// connection. This covers the statements of River (its SQLite driver runs
// every statement unprepared: a job's completion was parsed anew each
// time, 17% of the order intake's CPU with the workers on) and all of
// ours, in transactions and on the read pool alike. A statement is one
// cursor: while its rows are open, the same query runs unprepared.
// Statements without arguments (schema changes, pragmas, scripts) are not
// kept.
type sqliteConnector struct{ driver.Connector }

func newSQLiteConnector(dsn string) (driver.Connector, error) {
	c, err := sqlite.NewConnector(dsn)
	if err != nil {
		return nil, err
	}
	return sqliteConnector{c}, nil
}

func (c sqliteConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	inner, ok := conn.(sqliteInner)
	if !ok {
		return conn, nil
	}
	return &sqliteConn{sqliteInner: inner, stmts: map[string]*sqliteStmt{}}, nil
}

// sqliteInner is what database/sql uses of a modernc connection.
type sqliteInner interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

type sqliteConn struct {
	sqliteInner
	stmts map[string]*sqliteStmt
	args  int // of the kept statements, in all
}

type sqliteStmt struct {
	stmt interface {
		driver.Stmt
		driver.StmtExecContext
		driver.StmtQueryContext
	}
	busy bool // its rows are open
}

// kept returns the statement of query, preparing it first; nil when it
// is not to be kept or is busy.
func (c *sqliteConn) kept(ctx context.Context, query string, args int) *sqliteStmt {
	if args == 0 || args > maxCachedArgs {
		return nil
	}
	if s := c.stmts[query]; s != nil {
		if s.busy {
			return nil
		}
		return s
	}
	if c.args+args > maxCacheArgs {
		return nil
	}
	st, err := c.PrepareContext(ctx, query) // the connection's own: sqliteConn does not wrap Prepare
	if err != nil {
		return nil // the unprepared run reports it
	}
	s, ok := st.(interface {
		driver.Stmt
		driver.StmtExecContext
		driver.StmtQueryContext
	})
	if !ok {
		_ = st.Close()
		return nil
	}
	k := &sqliteStmt{stmt: s}
	c.stmts[query] = k
	c.args += args
	return k
}

func (c *sqliteConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if s := c.kept(ctx, query, len(args)); s != nil {
		return s.stmt.ExecContext(ctx, args)
	}
	return c.sqliteInner.ExecContext(ctx, query, args)
}

func (c *sqliteConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	s := c.kept(ctx, query, len(args))
	if s == nil {
		return c.sqliteInner.QueryContext(ctx, query, args)
	}
	rows, err := s.stmt.QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	s.busy = true
	return &sqliteRows{Rows: rows, stmt: s}, nil
}

func (c *sqliteConn) Close() error {
	for q, s := range c.stmts {
		_ = s.stmt.Close()
		delete(c.stmts, q)
	}
	return c.sqliteInner.Close()
}

// sqliteRows frees their statement when closed.
type sqliteRows struct {
	driver.Rows
	stmt *sqliteStmt
}

func (r *sqliteRows) Close() error {
	err := r.Rows.Close()
	if r.stmt != nil {
		r.stmt.busy = false
		r.stmt = nil
	}
	return err
}

// The column types of modernc's rows, for Rows.ColumnTypes.

func (r *sqliteRows) ColumnTypeDatabaseTypeName(i int) string {
	if t, ok := r.Rows.(driver.RowsColumnTypeDatabaseTypeName); ok {
		return t.ColumnTypeDatabaseTypeName(i)
	}
	return ""
}

func (r *sqliteRows) ColumnTypeScanType(i int) reflect.Type {
	if t, ok := r.Rows.(driver.RowsColumnTypeScanType); ok {
		return t.ColumnTypeScanType(i)
	}
	return reflect.TypeFor[any]()
}

func (r *sqliteRows) ColumnTypeNullable(i int) (nullable, ok bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypeNullable); ok {
		return t.ColumnTypeNullable(i)
	}
	return false, false
}

func (r *sqliteRows) ColumnTypeLength(i int) (int64, bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypeLength); ok {
		return t.ColumnTypeLength(i)
	}
	return 0, false
}

func (r *sqliteRows) ColumnTypePrecisionScale(i int) (precision, scale int64, ok bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypePrecisionScale); ok {
		return t.ColumnTypePrecisionScale(i)
	}
	return 0, 0, false
}
