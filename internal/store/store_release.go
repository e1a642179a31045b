package store

import "context"

// ReleaseMemory hands back the memory SQLite keeps between statements:
// the writer's page cache (PRAGMA shrink_memory on the one write
// connection) and the idle read connections, each with its page cache
// and prepared statements, which the read pool opens again when asked.
// A read connection that walked a large table (a nightly scoring, a
// backup's counts) would otherwise hold its cache until its next read.
// Nothing to do on PostgreSQL, whose caches are the server's.
func (db *DB) ReleaseMemory(ctx context.Context) error {
	if db.engine != SQLite {
		return nil
	}
	db.read.SetMaxIdleConns(0) // closes the idle ones
	db.read.SetMaxIdleConns(readConns())
	_, err := db.write.ExecContext(ctx, `PRAGMA shrink_memory`)
	return err
}
