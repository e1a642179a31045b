package task

import (
	"context"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// Service is the shop's tasks for the HTTP surfaces: they call it
// instead of holding the database. Reads go to the read pool; a change
// runs in its own transaction.
type Service struct {
	db *store.DB
}

// NewService returns the tasks of db.
func NewService(db *store.DB) *Service { return &Service{db: db} }

// ListByOrder returns an order's tasks, by due time (see ListByOrder).
func (s *Service) ListByOrder(ctx context.Context, orderID int64) ([]Task, error) {
	return ListByOrder(ctx, s.db.Read(), orderID)
}

// Add stores new tasks in one transaction; one whose dedupe key exists is
// skipped. It returns how many were new (see Create).
func (s *Service) Add(ctx context.Context, tasks []Task, now time.Time) (int, error) {
	var n int
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		n, err = Create(ctx, tx, tasks, now)
		return err
	})
	return n, err
}

// Resolve closes an open task of the kind as resolved by by, and returns
// its order. A task of another kind is store.ErrNotFound; one closed
// meanwhile by someone else is left as it was, with a nil error.
func (s *Service) Resolve(ctx context.Context, id int64, kind Kind, by string, now time.Time) (orderID int64, err error) {
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		t, err := Lock(ctx, tx, id, now)
		if err != nil {
			return err
		}
		if t.Kind != kind {
			return store.ErrNotFound
		}
		orderID = t.OrderID
		if t.Status != Open {
			return nil
		}
		return Close(ctx, tx, id, Resolved, by, now)
	})
	return orderID, err
}

// OpenSignature returns how many tasks of the kind are open and the
// highest id among them: a page that lists them watches it for change.
func (s *Service) OpenSignature(ctx context.Context, kind Kind) (open, last int64, err error) {
	err = s.db.Read().QueryRow(ctx, `SELECT COUNT(*), COALESCE(MAX(id), 0) FROM tasks WHERE kind = $1 AND status = 'open'`,
		string(kind)).Scan(&open, &last)
	if err != nil {
		return 0, 0, fmt.Errorf("open %s tasks: %w", kind, err)
	}
	return open, last, nil
}

// Listed is an open task of a work list.
type Listed struct {
	ID, OrderID int64
	DedupeKey   string
	DueAt       time.Time
	// Unreadable is set when its stored due time could not be read.
	Unreadable bool
	// Cursor is the key of the page after this task.
	Cursor string
}

// ListOpenParams picks a page of the open tasks of Kind, the most overdue
// first: at most Limit after the cursor After (a Listed.Cursor, or "").
type ListOpenParams struct {
	Kind  Kind
	After string
	Limit int
}

// ListOpen returns a page of the open tasks of a kind for an order, the
// most overdue first, over the tasks_open (kind, due_at) index, how many are open, and
// whether more follow.
func (s *Service) ListOpen(ctx context.Context, p ListOpenParams) ([]Listed, int64, bool, error) {
	db := s.db.Read()
	var out []Listed
	cond, args := "", []any{p.Limit + 1, string(p.Kind)}
	if at, id, ok := store.ParseCursor(p.After); ok {
		cond, args = " AND t.due_at >= $3 AND (t.due_at > $3 OR t.id > $4)", append(args, at, id)
	}
	err := store.Each(ctx, db, `SELECT t.id, t.order_id, t.dedupe_key, t.due_at
		FROM tasks t
		WHERE t.kind = $2 AND t.status = 'open' AND t.order_id IS NOT NULL`+cond+`
		ORDER BY t.due_at, t.id LIMIT $1`, args, func(r store.Rows) error {
		var t Listed
		if err := r.Scan(&t.ID, &t.OrderID, &t.DedupeKey, store.LenientTime{T: &t.DueAt, Bad: &t.Unreadable}); err != nil {
			return err
		}
		t.Cursor = store.Cursor(t.DueAt, t.ID)
		out = append(out, t)
		return nil
	})
	if err != nil {
		return nil, 0, false, fmt.Errorf("open %s tasks after %q: %w", p.Kind, p.After, err)
	}
	var n int64
	if err := db.QueryRow(ctx, `SELECT COUNT(*) FROM tasks WHERE kind = $1 AND status = 'open'`, string(p.Kind)).Scan(&n); err != nil {
		return nil, 0, false, fmt.Errorf("count open %s tasks: %w", p.Kind, err)
	}
	more := len(out) > p.Limit
	if more {
		out = out[:p.Limit]
	}
	return out, n, more, nil
}
