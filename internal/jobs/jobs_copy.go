package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/shopcare/shopcare/internal/store"
)

// pendingStates are the states of jobs that have yet to run, and running:
// a job running in a serve that was stopped was interrupted, and runs again
// on PostgreSQL as River would have rescued it on SQLite. Completed,
// cancelled and discarded jobs are history that River prunes anyway.
const pendingStates = `'available', 'scheduled', 'retryable', 'running'`

// copyBatch is how many jobs go to PostgreSQL in one round trip.
const copyBatch = 500

// CopyPending re-inserts the jobs of src's queue (SQLite) that have yet to
// run into the queue of the PostgreSQL transaction tx, for shopcare
// migrate-to: River's tables differ between its drivers, so they are not
// copied row by row. Each job keeps its kind, arguments, queue, priority,
// time, attempts so far, maximum attempts, metadata, tags and uniqueness;
// a running one becomes available. Periodic jobs are inserted anew by the
// queue on PostgreSQL. It returns how many jobs it inserted.
func CopyPending(ctx context.Context, src *store.DB, tx *store.Tx) (int, error) {
	pgTx, ok := tx.Raw().(pgx.Tx)
	if !ok || src.Engine() != store.SQLite {
		return 0, fmt.Errorf("copy pending jobs: from SQLite into a PostgreSQL transaction only")
	}
	const insert = `INSERT INTO river_job (kind, args, queue, priority, scheduled_at, max_attempts, attempt,
			metadata, tags, state, unique_key, unique_states)
		VALUES ($1, $2::text::jsonb, $3, $4, $5, $6, $7, $8::text::jsonb,
			ARRAY(SELECT jsonb_array_elements_text($9::text::jsonb)), $10::text::river_job_state, $11, $12::text::bit(8))`
	var batch pgx.Batch
	n := 0
	flush := func() error {
		if batch.Len() == 0 {
			return nil
		}
		err := pgTx.SendBatch(ctx, &batch).Close()
		batch = pgx.Batch{}
		if err != nil {
			return fmt.Errorf("copy pending jobs into PostgreSQL: %w", err)
		}
		return nil
	}
	err := store.Each(ctx, src.Read(), `SELECT kind, json(args), queue, priority, scheduled_at, max_attempts, attempt,
			json(metadata), json(tags), state, unique_key, unique_states
		FROM river_job WHERE state IN (`+pendingStates+`) ORDER BY id`, nil, func(rows store.Rows) error {
		var (
			kind, args, queue, metadata, tags, state string
			priority, maxAttempts, attempt           int64
			scheduled                                time.Time
			bad                                      bool
			uniqueKey                                []byte
			uniqueStates                             *int64
		)
		if err := rows.Scan(&kind, &args, &queue, &priority, store.LenientTime{T: &scheduled, Bad: &bad}, &maxAttempts, &attempt,
			&metadata, &tags, &state, &uniqueKey, &uniqueStates); err != nil {
			return fmt.Errorf("read pending jobs from SQLite: %w", err)
		}
		if bad {
			return fmt.Errorf("job %s: its scheduled time cannot be read", kind)
		}
		if state == "running" {
			state = "available"
		}
		var states *string
		if uniqueStates != nil {
			s := fmt.Sprintf("%08b", *uniqueStates&0xff)
			states = &s
		}
		batch.Queue(insert, kind, args, queue, priority, scheduled.UTC(), maxAttempts, attempt, metadata, tags, state, uniqueKey, states)
		n++
		if batch.Len() >= copyBatch {
			return flush()
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	if err := flush(); err != nil {
		return 0, err
	}
	return n, nil
}

// CountPending counts the jobs of db's queue that have yet to run (or
// were running), for the report of a move.
func CountPending(ctx context.Context, db *store.DB) (int64, error) {
	var n int64
	if err := db.Read().QueryRow(ctx, `SELECT count(*) FROM river_job WHERE state IN (`+pendingStates+`)`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count pending jobs: %w", err)
	}
	return n, nil
}
