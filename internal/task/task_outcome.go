package task

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// Outcome is how a try at a task ended.
type Outcome string

// The outcomes of a call-back.
const (
	Reached     Outcome = "reached"      // the customer answered
	NoAnswer    Outcome = "no_answer"    // nobody answered (the last of the tries, when it closes the task)
	WrongNumber Outcome = "wrong_number" // the number is not the customer's
)

// The outcome of a find_parcel task.
const (
	// Resolved: the operator found out where the parcel is, or sorted it
	// out with the carrier or the customer.
	Resolved Outcome = "resolved"
)

// ErrClosed is returned for a try at a task that is done already.
var ErrClosed = errors.New("the task is done already")

const columns = `id, kind, order_id, customer_id, dedupe_key, status, due_at, note, created_at,
	attempts, outcome, done_at, done_by, first_due_at, first_attempt_at`

func scan(r store.Row) (*Task, error) {
	var t Task
	var orderID, customerID *int64
	err := r.Scan(&t.ID, &t.Kind, &orderID, &customerID, &t.DedupeKey, &t.Status,
		store.LenientTime{T: &t.DueAt, Bad: &t.Unreadable}, &t.Note, &t.CreatedAt,
		&t.Attempts, &t.Outcome, &t.DoneAt, &t.DoneBy, &t.FirstDueAt, &t.FirstAttemptAt)
	if err != nil {
		return nil, err
	}
	t.Unreadable = t.Unreadable || t.DueAt.Year() > 9999
	if orderID != nil {
		t.OrderID = *orderID
	}
	if customerID != nil {
		t.CustomerID = *customerID
	}
	return &t, nil
}

// Get returns one task, or store.ErrNotFound.
func Get(ctx context.Context, q store.Querier, id int64) (*Task, error) {
	t, err := scan(q.QueryRow(ctx, `SELECT `+columns+` FROM tasks WHERE id = $1`, id))
	if err != nil {
		return nil, fmt.Errorf("load task %d: %w", id, err)
	}
	return t, nil
}

// Lock returns the task inside tx with its row locked until tx ends, so
// two operators recording a try at once take turns and the second sees
// the first's result. It touches updated_at to take the lock, which works
// alike on both engines (SQLite's write transaction is exclusive anyway).
func Lock(ctx context.Context, tx *store.Tx, id int64, now time.Time) (*Task, error) {
	n, err := tx.Exec(ctx, `UPDATE tasks SET updated_at = $2 WHERE id = $1`, id, now)
	if err != nil {
		return nil, fmt.Errorf("lock task %d: %w", id, err)
	}
	if n == 0 {
		return nil, fmt.Errorf("lock task %d: %w", id, store.ErrNotFound)
	}
	return Get(ctx, tx, id)
}

// Retry records a try that leaves the task open, due again at next. The
// first try keeps the task's original due time and its own time, which
// the call-back figures are measured by.
func Retry(ctx context.Context, tx *store.Tx, id int64, next, now time.Time) error {
	n, err := tx.Exec(ctx, `UPDATE tasks SET attempts = attempts + 1, due_at = $2,
		first_due_at = COALESCE(first_due_at, due_at), first_attempt_at = COALESCE(first_attempt_at, $3), updated_at = $3
		WHERE id = $1 AND status = 'open'`, id, next, now)
	if err != nil {
		return fmt.Errorf("retry task %d: %w", id, err)
	}
	if n == 0 {
		return fmt.Errorf("retry task %d: %w", id, ErrClosed)
	}
	return nil
}

// Close records the try that ends the task, its outcome and who made it.
func Close(ctx context.Context, tx *store.Tx, id int64, outcome Outcome, by string, now time.Time) error {
	n, err := tx.Exec(ctx, `UPDATE tasks SET attempts = attempts + 1, status = $2, outcome = $3, done_at = $4,
		done_by = $5, first_due_at = COALESCE(first_due_at, due_at), first_attempt_at = COALESCE(first_attempt_at, $4),
		updated_at = $4
		WHERE id = $1 AND status = 'open'`, id, string(Done), string(outcome), now, by)
	if err != nil {
		return fmt.Errorf("close task %d: %w", id, err)
	}
	if n == 0 {
		return fmt.Errorf("close task %d: %w", id, ErrClosed)
	}
	return nil
}

// CloseOpen closes the open tasks of a kind for an order inside tx, with
// the outcome, as done by by (a parcel that turned up closes the tasks to
// find it). It returns how many it closed.
func CloseOpen(ctx context.Context, tx *store.Tx, orderID int64, kind Kind, outcome Outcome, by string, now time.Time) (int64, error) {
	return CloseOpenMany(ctx, tx, []int64{orderID}, kind, outcome, by, now)
}

// CloseOpenMany is CloseOpen for the orders of orderIDs in one statement
// (a batch of carrier events delivers many orders at once); it returns
// how many tasks it closed.
func CloseOpenMany(ctx context.Context, tx *store.Tx, orderIDs []int64, kind Kind, outcome Outcome, by string, now time.Time) (int64, error) {
	var n int64
	err := store.QueryIn(ctx, tx, `UPDATE tasks SET status = $2, outcome = $3, done_at = $4, done_by = $5,
		first_due_at = COALESCE(first_due_at, due_at), updated_at = $4
		WHERE kind = $1 AND status = 'open' AND order_id IN (IN_LIST) RETURNING id`,
		[]any{string(kind), string(Done), string(outcome), now, by}, orderIDs, func(store.Rows) error { n++; return nil })
	if err != nil {
		return 0, fmt.Errorf("close %s tasks of %d orders: %w", kind, len(orderIDs), err)
	}
	return n, nil
}
