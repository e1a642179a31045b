package store

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// SQLite copies its write-ahead log into the database file in
// checkpoints. Left to itself it checkpoints in the connection that
// commits, whenever the log has grown past 1,000 pages: on the one writer,
// inside the commit, while every other write waits. Profiled under 32
// clients posting orders, those checkpoints were 9 % of serve's CPU and a
// larger share of the writer's turn; with none at all the intake took a
// third more orders a second.
//
// So the writer never checkpoints (wal_autocheckpoint 0): a checkpointer
// does, on a connection of its own, beside the writer. A commit wakes it;
// it waits checkpointInterval, so that a burst of commits is copied once,
// then runs a PASSIVE checkpoint, which waits for no reader and no writer
// and copies what no reader still needs. The log is copied as promptly as
// SQLite's own rule would (a few MB at the intake's busiest), and at most
// one interval after the last commit. Durability is the same: a commit is
// in the log when it returns, whether or not a checkpoint has copied it
// yet. Should a checkpoint fail for any reason other than a busy lock, the
// checkpointer gives SQLite its own automatic checkpoints back and stops,
// so the log never grows without bound.
const (
	checkpointInterval = time.Second
	// checkpointBulkInterval is the interval during a bulk load
	// (GrowWriteCache): pages its next transactions change again are
	// copied once rather than after each.
	checkpointBulkInterval = 5 * time.Second
	// sqliteAutoCheckpoint is SQLite's default, given back on failure.
	sqliteAutoCheckpoint = 1000
)

// checkpointer runs the write-ahead log's checkpoints of a SQLite DB.
type checkpointer struct {
	conn     *sql.DB // its own connection; not the writer's, not a reader's
	write    *sql.DB // the writer, given automatic checkpoints back on failure
	kicks    chan struct{}
	stop     chan struct{}
	done     chan struct{}
	interval atomic.Int64 // time.Duration
	once     sync.Once

	// ran, when set (tests), is called after each checkpoint with the
	// pages the log holds and those copied.
	ran atomic.Pointer[func(logPages, copied int64)]
}

func newCheckpointer(conn, write *sql.DB) *checkpointer {
	c := &checkpointer{conn: conn, write: write, kicks: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	c.interval.Store(int64(checkpointInterval))
	go c.run()
	return c
}

// kick says a transaction committed. It never blocks: it runs inside
// SQLite's commit.
func (c *checkpointer) kick() {
	select {
	case c.kicks <- struct{}{}:
	default: // a checkpoint is due already
	}
}

func (c *checkpointer) run() {
	defer close(c.done)
	timer := time.NewTimer(0)
	<-timer.C
	for {
		select {
		case <-c.stop:
			return
		case <-c.kicks:
		}
		timer.Reset(time.Duration(c.interval.Load()))
		select {
		case <-c.stop:
			timer.Stop()
			return
		case <-timer.C:
		}
		if err := c.checkpoint(); err != nil {
			// Not a busy lock (another checkpoint, a backup's): something
			// is wrong with this connection. SQLite's own checkpoints in
			// the writer are slower, never wrong.
			_, _ = c.write.ExecContext(context.Background(), "PRAGMA wal_autocheckpoint = 1000")
			return
		}
	}
}

// checkpoint runs one PASSIVE checkpoint; a busy lock is no error.
func (c *checkpointer) checkpoint() error {
	var busy, logPages, copied int64
	err := c.conn.QueryRowContext(context.Background(), `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &logPages, &copied)
	var liteErr *sqlite.Error
	if errors.As(err, &liteErr) && liteErr.Code()&0xff == sqlite3.SQLITE_BUSY {
		return nil
	}
	if err != nil {
		return err
	}
	if ran := c.ran.Load(); ran != nil {
		(*ran)(logPages, copied)
	}
	return nil
}

// bulk sets the interval for a bulk load; restore gives the usual one back.
func (c *checkpointer) bulk() (restore func()) {
	c.interval.Store(int64(checkpointBulkInterval))
	return func() { c.interval.Store(int64(checkpointInterval)) }
}

// close stops the checkpointer and closes its connection. The writer's
// own close checkpoints what is left, as the last connection to go.
func (c *checkpointer) close() {
	c.once.Do(func() {
		close(c.stop)
		<-c.done
		_ = c.conn.Close()
	})
}
