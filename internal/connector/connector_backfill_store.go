package connector

import (
	"context"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// BackfillState is where a connector's backfill stands
// (connector_backfills, one row per connector).
type BackfillState struct {
	Connector string
	// Since is the first day read (YYYY-MM-DD), "" for the whole history.
	Since string
	// Cursor is the platform's next page; "" before the first page and
	// after the last.
	Cursor string
	Pages  int64
	// Stored, Existing and Rejected count the orders read: stored new,
	// there already (an earlier run, a webhook, the API), not readable.
	Stored, Existing, Rejected int64
	// Total is how many orders the platform said it has, -1 when it does
	// not say.
	Total      int64
	StartedAt  time.Time
	UpdatedAt  time.Time
	FinishedAt *time.Time
	// LastError is what stopped the last run, "" when nothing did.
	LastError string
}

// Done is how many of the platform's orders the backfill has read.
func (s BackfillState) Done() int64 { return s.Stored + s.Existing + s.Rejected }

const backfillColumns = `connector, since, next_cursor, pages, orders_stored, orders_existing, orders_rejected, total,
	started_at, updated_at, finished_at, last_error`

func scanBackfill(r store.Row) (BackfillState, error) {
	var s BackfillState
	err := r.Scan(&s.Connector, &s.Since, &s.Cursor, &s.Pages, &s.Stored, &s.Existing, &s.Rejected, &s.Total,
		&s.StartedAt, &s.UpdatedAt, &s.FinishedAt, &s.LastError)
	return s, err
}

// BackfillGet returns the backfill of the connector; store.ErrNotFound
// when it never ran.
func BackfillGet(ctx context.Context, q store.Querier, name string) (BackfillState, error) {
	s, err := scanBackfill(q.QueryRow(ctx, `SELECT `+backfillColumns+` FROM connector_backfills WHERE connector = $1`, name))
	if err != nil {
		return s, fmt.Errorf("load the backfill of %s: %w", name, err)
	}
	return s, nil
}

// BackfillList returns every connector's backfill, by name.
func BackfillList(ctx context.Context, q store.Querier) ([]BackfillState, error) {
	var out []BackfillState
	err := store.Each(ctx, q, `SELECT `+backfillColumns+` FROM connector_backfills ORDER BY connector`, nil,
		func(r store.Rows) error {
			s, err := scanBackfill(r)
			out = append(out, s)
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("list backfills: %w", err)
	}
	return out, nil
}

// backfillReset starts the connector's backfill over as s says.
func backfillReset(ctx context.Context, tx *store.Tx, s BackfillState) error {
	_, err := tx.Exec(ctx, `INSERT INTO connector_backfills (`+backfillColumns+`)
		VALUES ($1, $2, '', 0, 0, 0, 0, -1, $3, $3, NULL, '')
		ON CONFLICT (connector) DO UPDATE SET since = excluded.since, next_cursor = '', pages = 0, orders_stored = 0,
			orders_existing = 0, orders_rejected = 0, total = -1, started_at = excluded.started_at,
			updated_at = excluded.updated_at, finished_at = NULL, last_error = ''`,
		s.Connector, s.Since, s.StartedAt)
	if err != nil {
		return fmt.Errorf("start the backfill of %s: %w", s.Connector, err)
	}
	return nil
}

// backfillAdvance saves s after a page read with cursor from; it fails
// with ErrBackfillBusy when the saved cursor is no longer from (another
// run of the same connector moved it).
func backfillAdvance(ctx context.Context, tx *store.Tx, from string, s BackfillState) error {
	n, err := tx.Exec(ctx, `UPDATE connector_backfills SET next_cursor = $3, pages = $4, orders_stored = $5,
		orders_existing = $6, orders_rejected = $7, total = $8, updated_at = $9, finished_at = $10, last_error = ''
		WHERE connector = $1 AND next_cursor = $2`,
		s.Connector, from, s.Cursor, s.Pages, s.Stored, s.Existing, s.Rejected, s.Total, s.UpdatedAt, s.FinishedAt)
	if err != nil {
		return fmt.Errorf("save the backfill's cursor: %w", err)
	}
	if n != 1 {
		return ErrBackfillBusy
	}
	return nil
}

// backfillSetError records what stopped a run.
func backfillSetError(ctx context.Context, tx *store.Tx, name, msg string, now time.Time) error {
	if _, err := tx.Exec(ctx, `UPDATE connector_backfills SET last_error = $2, updated_at = $3 WHERE connector = $1`,
		name, msg, now); err != nil {
		return fmt.Errorf("record the backfill's error: %w", err)
	}
	return nil
}
