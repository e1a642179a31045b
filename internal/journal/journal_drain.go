package journal

import (
	"context"
	"fmt"
	"log/slog"
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
	db       *store.DB
	clock    clock.Clock
	log      *slog.Logger
	handlers []Handler
	// BatchSize is how many events one transaction handles.
	BatchSize int
}

// NewDispatcher returns a Dispatcher calling handlers in order.
func NewDispatcher(d service.Deps, handlers ...Handler) *Dispatcher {
	return &Dispatcher{db: d.DB, clock: d.Clock, log: d.Log, handlers: handlers, BatchSize: 1000}
}

// DrainOnce handles one batch of pending events and returns how many it
// handled. On PostgreSQL, concurrent drains on several nodes take disjoint
// batches (SKIP LOCKED).
func (d *Dispatcher) DrainOnce(ctx context.Context) (int, error) {
	var n int
	err := d.db.InTx(ctx, func(tx *store.Tx) error {
		query := `SELECT id, kind, order_id, customer_id, history, payload, occurred_at
			FROM events WHERE processed_at IS NULL ORDER BY id LIMIT $1`
		if d.db.Engine() == store.Postgres {
			query += ` FOR UPDATE SKIP LOCKED`
		}
		rows, err := tx.Query(ctx, query, d.BatchSize)
		if err != nil {
			return fmt.Errorf("read pending events: %w", err)
		}
		var events []Event
		var ids []int64
		for rows.Next() {
			var e Event
			var orderID, customerID *int64
			var payload string
			if err := rows.Scan(&e.ID, &e.Kind, &orderID, &customerID, &e.History, &payload, &e.OccurredAt); err != nil {
				rows.Close()
				return fmt.Errorf("read pending events: %w", err)
			}
			if orderID != nil {
				e.OrderID = *orderID
			}
			if customerID != nil {
				e.CustomerID = *customerID
			}
			e.Payload = []byte(payload)
			events = append(events, e)
			ids = append(ids, e.ID)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
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
		// Events are claimed in id order, so the batch is one id range with
		// the rows of other nodes' batches (PostgreSQL) left out by the IN.
		err = store.QueryIn(ctx, tx, `UPDATE events SET processed_at = $1 WHERE id IN (IN_LIST)`,
			[]any{d.clock.Now()}, ids, nil)
		if err != nil {
			return fmt.Errorf("mark %d events processed: %w", len(ids), err)
		}
		n = len(events)
		return nil
	})
	return n, err
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
