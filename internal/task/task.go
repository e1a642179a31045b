// Package task keeps the work the playbook gives the shop's people: a
// call-back for every new order now; packing and follow-ups later. A task
// is due at a time inside the customer's contact hours, and like a message
// it exists once per order and step (its dedupe key is unique).
package task

import (
	"context"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// Kind is what a task asks for.
type Kind string

// The kinds of task.
const (
	Callback Kind = "callback" // call the customer about a new order
	// FindParcel: ask the carrier where a late, silent or returning parcel is.
	FindParcel Kind = "find_parcel"
	// ReturnRequest: a customer asked to return items of a delivered
	// order on their own page; an operator arranges it with them.
	ReturnRequest Kind = "return_request"
	// ServiceRecovery: something went wrong for the customer (a low
	// survey score, negative experiences piling up); an operator gets in
	// touch to put it right.
	ServiceRecovery Kind = "service_recovery"
)

// Status is where a task is.
type Status string

// The statuses of a task.
const (
	Open Status = "open"
	Done Status = "done"
)

// Task is one piece of work for an operator.
type Task struct {
	ID         int64
	Kind       Kind
	OrderID    int64
	CustomerID int64
	DedupeKey  string
	Status     Status
	DueAt      time.Time
	Note       string
	CreatedAt  time.Time
	// Attempts counts the tries (calls) made; Outcome, DoneAt and DoneBy
	// say how, when and by whom the task was closed.
	Attempts int
	Outcome  Outcome
	DoneAt   *time.Time
	DoneBy   string
	// FirstDueAt is when the task was due before any retry moved it, and
	// FirstAttemptAt when the first try was made; both nil until then.
	FirstDueAt     *time.Time
	FirstAttemptAt *time.Time
	// Unreadable marks a task whose stored due time could not be read (a
	// year SQLite's text cannot hold): DueAt is zero, the page flags it.
	Unreadable bool
}

// Create stores new tasks inside tx; one whose dedupe key exists is
// skipped. It returns how many were new.
func Create(ctx context.Context, tx *store.Tx, tasks []Task, now time.Time) (int, error) {
	rows := make([][]any, len(tasks))
	for i, t := range tasks {
		rows[i] = []any{string(t.Kind), nullID(t.OrderID), nullID(t.CustomerID), t.DedupeKey, string(Open), t.DueAt, t.Note, now, now}
	}
	var n int
	err := store.InsertMany(ctx, tx, "tasks", []string{"kind", "order_id", "customer_id", "dedupe_key", "status",
		"due_at", "note", "created_at", "updated_at"}, rows, "ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
		func(store.Rows) error { n++; return nil })
	if err != nil {
		return 0, fmt.Errorf("create %d tasks: %w", len(tasks), err)
	}
	return n, nil
}

// ListByOrder returns an order's tasks, by due time.
func ListByOrder(ctx context.Context, q store.Querier, orderID int64) ([]Task, error) {
	rows, err := q.Query(ctx, `SELECT `+columns+` FROM tasks WHERE order_id = $1 ORDER BY due_at, id`, orderID)
	if err != nil {
		return nil, fmt.Errorf("tasks of order %d: %w", orderID, err)
	}
	defer rows.Close()
	var out []Task
	for rows.Next() {
		t, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("tasks of order: %w", err)
		}
		out = append(out, *t)
	}
	return out, rows.Err()
}

func nullID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}
