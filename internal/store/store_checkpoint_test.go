package store

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestCheckpointerCopiesTheLog: the writer never checkpoints on its own
// (wal_autocheckpoint 0), and after commits the checkpointer copies the
// whole write-ahead log into the database beside it.
func TestCheckpointerCopiesTheLog(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := Open(ctx, Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	type run struct{ logPages, copied int64 }
	runs := make(chan run, 100)
	ran := func(logPages, copied int64) {
		select {
		case runs <- run{logPages, copied}:
		default:
		}
	}
	db.ckpt.ran.Store(&ran)

	var auto int
	if err := db.InTx(ctx, func(tx *Tx) error {
		return tx.QueryRow(ctx, `PRAGMA wal_autocheckpoint`).Scan(&auto)
	}); err != nil {
		t.Fatal(err)
	}
	if auto != 0 {
		t.Errorf("the writer checkpoints every %d pages itself, want never (0)", auto)
	}

	// A few hundred pages of log, in several commits.
	if err := db.InTx(ctx, func(tx *Tx) error {
		_, err := tx.Exec(ctx, `CREATE TABLE filler (id INTEGER PRIMARY KEY, body TEXT NOT NULL)`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	body := strings.Repeat("x", 1000)
	for i := range 10 {
		if err := db.InTx(ctx, func(tx *Tx) error {
			for j := range 100 {
				if _, err := tx.Exec(ctx, `INSERT INTO filler (id, body) VALUES ($1, $2)`, i*100+j, body); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	// The checkpointer runs an interval after the last commit woke it;
	// one of its runs copies the whole log.
	timeout := time.After(30 * time.Second)
	for {
		select {
		case r := <-runs:
			if r.logPages > 0 && r.copied == r.logPages {
				return
			}
		case <-timeout:
			t.Fatal("no checkpoint copied the whole log")
		}
	}
}

// TestCheckpointerBulkInterval: a bulk load (GrowWriteCache) checkpoints
// less often, and restore gives the usual interval back.
func TestCheckpointerBulkInterval(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := Open(ctx, Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	restore, err := db.GrowWriteCache(ctx, 64<<10)
	if err != nil {
		t.Fatal(err)
	}
	if got := time.Duration(db.ckpt.interval.Load()); got != checkpointBulkInterval {
		t.Errorf("interval during a bulk load = %v, want %v", got, checkpointBulkInterval)
	}
	restore()
	if got := time.Duration(db.ckpt.interval.Load()); got != checkpointInterval {
		t.Errorf("interval after = %v, want %v", got, checkpointInterval)
	}
}
