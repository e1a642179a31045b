package store

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Unavailable tells whether err says the database could not do the work
// now, for a reason that has nothing to do with the data: the connection
// was cut (a PostgreSQL restart, a failover, pg_terminate_backend), the
// server is out of disk or memory, SQLite's disk is full or busy, a
// deadline passed. Work that failed so is to be tried again later, not
// recorded as failed for good.
func Unavailable(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		errors.Is(err, net.ErrClosed) || retryable(err) {
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		// 08: connection exception; 53: insufficient resources (disk
		// full, out of memory, too many connections); 57P01–57P03: the
		// server shut the session or is starting; 58: system error (I/O).
		c := pgErr.Code
		return strings.HasPrefix(c, "08") || strings.HasPrefix(c, "53") || strings.HasPrefix(c, "58") ||
			c == "57P01" || c == "57P02" || c == "57P03"
	}
	var connectErr *pgconn.ConnectError
	if errors.As(err, &connectErr) || pgconn.Timeout(err) {
		return true
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return true
	}
	var liteErr *sqlite.Error
	if errors.As(err, &liteErr) {
		switch liteErr.Code() & 0xff { // the primary code of an extended one
		case sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED,
			sqlite3.SQLITE_NOMEM, sqlite3.SQLITE_CANTOPEN:
			return true
		}
		return false
	}
	// pgx reports a connection it closed after an error as "conn closed".
	return strings.Contains(err.Error(), "conn closed")
}
