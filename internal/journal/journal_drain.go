package journal

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/jobs"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
)

// Handler reacts to a batch of events inside the transaction that marks them
// processed. It must not have effects outside that transaction.
type Handler interface {
	HandleEvents(ctx context.Context, tx *store.Tx, events []Event) error
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(ctx context.Context, tx *store.Tx, events []Event) error

// HandleEvents calls f.
func (f HandlerFunc) HandleEvents(ctx context.Context, tx *store.Tx, events []Event) error {
	return f(ctx, tx, events)
}

// Dispatcher drains the journal into its handlers.
type Dispatcher struct {
	// mu holds a batch in this process: the drain kicked by commits and
	// the periodic drain job would otherwise, on PostgreSQL, take
	// neighbouring batches at once, handle the same customers side by side
	// and wait on each other's row locks (or deadlock, where handlers take
	// their rows in orders of their own). Other nodes still take batches
	// of their own (SKIP LOCKED).
	mu       sync.Mutex
	db       *store.DB
	clock    clock.Clock
	log      *slog.Logger
	handlers []Handler
	// BatchSize is how many events one transaction handles.
	BatchSize int
	// HistoryBatchSize is how many events one transaction handles when
	// they are all imported history (a backlog after an import): the
	// handlers pass over history at little cost, and a transaction's
	// fixed costs (the commit, the batch's read and mark) are shared by
	// fifty times as many events. Above all the customer projection
	// rewrites a customer's row once a batch: a batch of 10,000 events of
	// 60,000 customers touched nine pages of customers in ten, so every
	// batch wrote (and checkpointed) most of the table again; 50,000 a
	// batch write it a fifth as often, and the drain's CPU an event fell
	// by a quarter on SQLite. A batch that holds a live event is cut at
	// BatchSize, so the write lock is not held for long by live work; a
	// history batch holds it about as long as an import's chunk does.
	HistoryBatchSize int
}

// NewDispatcher returns a Dispatcher calling handlers in order.
func NewDispatcher(d service.Deps, handlers ...Handler) *Dispatcher {
	return &Dispatcher{db: d.DB, clock: d.Clock, log: d.Log, handlers: handlers, BatchSize: 1000, HistoryBatchSize: 50_000}
}

// DrainOnce handles one batch of pending events and returns how many it
// handled. On PostgreSQL, concurrent drains on several nodes take disjoint
// batches (SKIP LOCKED).
func (d *Dispatcher) DrainOnce(ctx context.Context) (int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var n int
	err := d.db.InTx(ctx, func(tx *store.Tx) error {
		events, err := d.pending(ctx, tx)
		if err != nil {
			return fmt.Errorf("read pending events: %w", err)
		}
		if len(events) == 0 {
			return nil
		}
		for _, h := range d.handlers {
			if err := h.HandleEvents(ctx, tx, events); err != nil {
				return err
			}
		}
		ids := make([]int64, len(events))
		for i, e := range events {
			ids[i] = e.ID
		}
		if err := d.markProcessed(ctx, tx, ids); err != nil {
			return fmt.Errorf("mark %d events processed: %w", len(ids), err)
		}
		n = len(events)
		return nil
	})
	return n, err
}

// pending reads the batch: the first BatchSize pending events and, when
// they are all imported history, the pending events after them up to
// HistoryBatchSize, cut just past the first live one. Reading in two
// steps keeps a batch that meets live work from reading (and, on
// PostgreSQL, locking and sending) a whole history batch's rows to handle
// BatchSize of them.
func (d *Dispatcher) pending(ctx context.Context, tx *store.Tx) ([]Event, error) {
	first, rest := pendingSQLite, pendingAfterSQLite
	if d.db.Engine() == store.Postgres {
		first, rest = pendingPostgres, pendingAfterPostgres
	}
	events, live, err := readEvents(ctx, tx, nil, false, first, d.BatchSize)
	if err != nil || live || len(events) < d.BatchSize || d.HistoryBatchSize <= d.BatchSize {
		return events, err
	}
	events, _, err = readEvents(ctx, tx, events, true, rest, events[len(events)-1].ID, d.HistoryBatchSize-len(events))
	return events, err
}

// readEvents appends the events query returns to events and says whether
// one of them is live; with cut, it stops just past the first live one.
func readEvents(ctx context.Context, tx *store.Tx, events []Event, cut bool, query string, args ...any) ([]Event, bool, error) {
	rows, err := tx.Query(ctx, query, args...)
	if err != nil {
		return events, false, err
	}
	defer rows.Close()
	live := false
	for rows.Next() {
		var e Event
		var orderID, customerID *int64
		var payload string
		if err := rows.Scan(&e.ID, &e.Kind, &orderID, &customerID, &e.History, &payload, &e.OccurredAt); err != nil {
			return events, false, err
		}
		if orderID != nil {
			e.OrderID = *orderID
		}
		if customerID != nil {
			e.CustomerID = *customerID
		}
		e.Payload = []byte(payload)
		events = append(events, e)
		live = live || !e.History
		if live && cut {
			break // the rest waits for the next batch
		}
	}
	return events, live, rows.Err()
}

// The batch's pending events, in id order: the first ones, and those
// after an id. On SQLite the scan goes through the partial index of
// pending events: left to itself the planner walked the table in id
// order from the first event, past every one processed, for each batch
// (a drain quadratic in the journal's length). On PostgreSQL several
// nodes drain at once, each locking its batch and skipping the rows
// another holds.
const (
	pendingSQLite = `SELECT id, kind, order_id, customer_id, history, payload, occurred_at
		FROM events INDEXED BY events_pending WHERE processed_at IS NULL ORDER BY id LIMIT $1`
	pendingAfterSQLite = `SELECT id, kind, order_id, customer_id, history, payload, occurred_at
		FROM events INDEXED BY events_pending WHERE processed_at IS NULL AND id > $1 ORDER BY id LIMIT $2`
	pendingPostgres = `SELECT id, kind, order_id, customer_id, history, payload, occurred_at
		FROM events WHERE processed_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`
	pendingAfterPostgres = `SELECT id, kind, order_id, customer_id, history, payload, occurred_at
		FROM events WHERE processed_at IS NULL AND id > $1 ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`
)

// markProcessed marks the batch's events (ids ascending) processed. On
// SQLite the transaction is the only writer and the batch is the first
// pending events, so every pending event of its id range is in it: the
// range is marked, one scan of the table's rows instead of a lookup per
// id, and a count that differs rolls the batch back. On PostgreSQL the
// range may hold events another node has locked, or ones committed since
// the batch was read, so exactly the batch's ids are marked, passed as
// one array; rows read past a cut batch stay pending, their locks end
// with the transaction.
func (d *Dispatcher) markProcessed(ctx context.Context, tx *store.Tx, ids []int64) error {
	now := d.clock.Now()
	if d.db.Engine() == store.Postgres {
		_, err := tx.Exec(ctx, `UPDATE events SET processed_at = $1 WHERE id = ANY($2)`, now, ids)
		return err
	}
	n, err := tx.Exec(ctx, `UPDATE events SET processed_at = $1
		WHERE id BETWEEN $2 AND $3 AND processed_at IS NULL`, now, ids[0], ids[len(ids)-1])
	if err == nil && n != int64(len(ids)) {
		err = fmt.Errorf("%d events pending in the batch's id range, %d in the batch", n, len(ids))
	}
	return err
}

// Drain handles pending events until none is left and returns how many.
func (d *Dispatcher) Drain(ctx context.Context) (int, error) {
	total := 0
	for {
		n, err := d.DrainOnce(ctx)
		total += n
		if err != nil || n == 0 {
			return total, err
		}
	}
}

// Run drains whenever kicks says events were committed, until ctx ends.
// A failed drain is logged; the drain job and the sweep retry it.
func (d *Dispatcher) Run(ctx context.Context, kicks <-chan struct{}) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-kicks:
			if _, err := d.Drain(ctx); err != nil && ctx.Err() == nil {
				d.log.Warn("drain the journal", "error", err)
			}
		}
	}
}

// Pending counts the events not yet handled.
func Pending(ctx context.Context, q store.Querier) (int64, error) {
	var n int64
	err := q.QueryRow(ctx, `SELECT COUNT(*) FROM events WHERE processed_at IS NULL`).Scan(&n)
	return n, err
}

// DrainArgs is the job that drains the journal.
type DrainArgs struct{}

// Kind names the job.
func (DrainArgs) Kind() string { return "journal_drain" }

// InsertOpts makes the drain job unique while it waits or runs: a thousand
// appends, and the periodic sweep, cost one job.
func (DrainArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
		rivertype.JobStateScheduled, rivertype.JobStateRetryable,
	}}}
}

// DrainWorker works DrainArgs jobs.
type DrainWorker struct {
	river.WorkerDefaults[DrainArgs]
	Dispatcher *Dispatcher
}

// Timeout is jobs.LongTimeout: the work may walk many rows.
func (w *DrainWorker) Timeout(*river.Job[DrainArgs]) time.Duration { return jobs.LongTimeout }

// Work drains the journal.
func (w *DrainWorker) Work(ctx context.Context, job *river.Job[DrainArgs]) error {
	n, err := w.Dispatcher.Drain(ctx)
	if n > 0 {
		w.Dispatcher.log.Debug("journal drained", "events", n)
	}
	return err
}

// SweepInterval is how often the periodic drain job runs (and once at
// start): it drains what the committing process did not (a crash between
// commit and drain, an import run without workers, another node's events
// when its own drain failed).
const SweepInterval = 5 * time.Second

// Lag counts the events not yet handled and returns when the oldest of
// them was written (zero when there is none), by the journal's clock.
func Lag(ctx context.Context, q store.Querier) (pending int64, oldest time.Time, err error) {
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM events WHERE processed_at IS NULL`).Scan(&pending); err != nil {
		return 0, time.Time{}, fmt.Errorf("count pending events: %w", err)
	}
	if pending == 0 {
		return 0, time.Time{}, nil
	}
	err = q.QueryRow(ctx, `SELECT created_at FROM events WHERE processed_at IS NULL ORDER BY id LIMIT 1`).Scan(&oldest)
	if errors.Is(err, store.ErrNotFound) {
		return pending, time.Time{}, nil // handled meanwhile
	}
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("oldest pending event: %w", err)
	}
	return pending, oldest, nil
}
