// Package jobs runs shopcare's durable work on River, a job queue that keeps
// its jobs in the same database as everything else, on SQLite and PostgreSQL.
//
// A job is an args struct plus a worker, both declared by the domain package
// that owns the work. Jobs are inserted inside the store transaction that
// causes them, so a change and its consequences commit together: a crash
// leaves both or neither, and a rolled-back change leaves no job behind.
package jobs

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"github.com/shopcare/shopcare/internal/clock"
	"github.com/shopcare/shopcare/internal/service"
	"github.com/shopcare/shopcare/internal/store"
)

// Queue is the job queue of one shopcare process.
type Queue struct {
	db       *store.DB
	clock    clock.Clock
	log      *slog.Logger
	workers  *river.Workers
	periodic []*river.PeriodicJob

	// The typed clients insert inside their engine's transactions; client
	// is whichever of them exists, for what does not care about the type.
	sqlite *river.Client[*sql.Tx]
	pg     *river.Client[pgx.Tx]
	client riverClient
}

// riverClient is what both River clients offer beyond inserting.
type riverClient interface {
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
	StopAndCancel(ctx context.Context) error
	Subscribe(kinds ...river.EventKind) (<-chan *river.Event, func())
}

// Options tune a Queue.
type Options struct {
	// Work makes the queue run jobs; without it the queue only inserts them
	// (commands such as import use that).
	Work bool
	// MaxWorkers bounds the jobs run at once (default 32: most jobs wait on
	// a mail server or a provider, not on the CPU).
	MaxWorkers int
	// PollInterval is how often SQLite is asked for new jobs (default 100ms);
	// PostgreSQL is told at once through LISTEN/NOTIFY.
	PollInterval time.Duration
}

// New returns a Queue over d.DB. Register workers with Workers and
// periodic jobs with AddPeriodic, then call Open.
func New(d service.Deps) *Queue {
	q := &Queue{db: d.DB, clock: d.Clock, log: d.Log, workers: river.NewWorkers()}
	q.addOptimize()
	return q
}

// Workers returns the registry the domain packages add their workers to.
func (q *Queue) Workers() *river.Workers { return q.workers }

// AddPeriodic registers a job to be inserted every interval while working.
func (q *Queue) AddPeriodic(interval time.Duration, args river.JobArgs) {
	q.periodic = append(q.periodic, river.NewPeriodicJob(
		river.PeriodicInterval(interval),
		func() (river.JobArgs, *river.InsertOpts) { return args, nil },
		&river.PeriodicJobOpts{RunOnStart: true},
	))
}

// Migrate creates or updates River's own tables.
func Migrate(ctx context.Context, db *store.DB) error {
	var err error
	if db.Engine() == store.Postgres {
		var m *rivermigrate.Migrator[pgx.Tx]
		if m, err = rivermigrate.New(riverpgxv5.New(db.PgxPool()), nil); err == nil {
			_, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
		}
	} else {
		var m *rivermigrate.Migrator[*sql.Tx]
		if m, err = rivermigrate.New(riversqlite.New(db.SQLDB()), nil); err == nil {
			_, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
		}
	}
	if err != nil {
		return fmt.Errorf("migrate job queue: %w", err)
	}
	return nil
}

// RescueAfter is how long a job must have been running before the queue
// takes it for the job of a process that died (SIGKILL, power) and runs it
// again, and the time a job may run unless its worker says otherwise. It
// is short because a message or webhook caught in a crash should be sent
// again within seconds, not minutes (issue 17.11). River's rescue runs
// when a process becomes the queue's leader and every 30 s after; a
// restarted process takes over the dead one's lead 10–15 s after the
// crash, so with 10 s the first rescue finds the dead process's jobs. It
// leaves alone a job still inside its worker's own Timeout, so a worker
// that may run longer says so (LongTimeout).
const RescueAfter = 10 * time.Second

// LongTimeout is the Timeout of the workers that walk many rows at once
// (a sweep, a recalculation, a watch): they are rescued after it.
const LongTimeout = 5 * time.Minute

// riverTime lets River read the injected clock, so scheduled jobs come due
// when the shop's clock says so, in tests and the demo alike.
type riverTime struct{ clock clock.Clock }

func (r riverTime) Now() time.Time { return r.clock.Now() }
func (r riverTime) NowOrNil() *time.Time {
	t := r.clock.Now()
	return &t
}

// Open builds the River client. It must be called once, after every worker
// is registered.
func (q *Queue) Open(opts Options) error {
	cfg := &river.Config{
		Logger:               riverLogger(q.log),
		Workers:              q.workers,
		JobTimeout:           RescueAfter,
		RescueStuckJobsAfter: RescueAfter,
		Middleware:           []rivertype.Middleware{(&releaser{db: q.db}).middleware()},
	}
	if _, real := q.clock.(clock.System); !real {
		cfg.Test.Time = riverTime{q.clock}
		// River's rescuer measures a running job's age by the wall clock
		// against a start stamped by this clock: with a simulated clock
		// behind the wall, every running job would look stuck.
		cfg.RescueStuckJobsAfter = 10 * 365 * 24 * time.Hour
	}
	if opts.Work {
		cfg.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cmp.Or(opts.MaxWorkers, 32)}}
		cfg.PeriodicJobs = q.periodic
		cfg.FetchPollInterval = cmp.Or(opts.PollInterval, 100*time.Millisecond)
		cfg.FetchCooldown = min(cfg.FetchPollInterval, 20*time.Millisecond)
	}
	var err error
	if q.db.Engine() == store.Postgres {
		q.pg, err = river.NewClient(riverpgxv5.New(q.db.PgxPool()), cfg)
		q.client = q.pg
	} else {
		q.sqlite, err = river.NewClient(riversqlite.New(q.db.SQLDB()), cfg)
		q.client = q.sqlite
	}
	if err != nil {
		return fmt.Errorf("job queue: %w", err)
	}
	return nil
}

// InsertTx enqueues a job inside tx: it exists exactly when tx commits.
func (q *Queue) InsertTx(ctx context.Context, tx *store.Tx, args river.JobArgs, opts *river.InsertOpts) error {
	var err error
	switch raw := tx.Raw().(type) {
	case *sql.Tx:
		_, err = q.sqlite.InsertTx(ctx, raw, args, opts)
	case pgx.Tx:
		_, err = q.pg.InsertTx(ctx, raw, args, opts)
	default:
		err = fmt.Errorf("unknown transaction type %T", raw)
	}
	if err != nil {
		return fmt.Errorf("enqueue %s: %w", args.Kind(), err)
	}
	return nil
}

// InsertManyTx enqueues several jobs inside tx in one round trip.
func (q *Queue) InsertManyTx(ctx context.Context, tx *store.Tx, params []river.InsertManyParams) error {
	if len(params) == 0 {
		return nil
	}
	var err error
	switch raw := tx.Raw().(type) {
	case *sql.Tx:
		_, err = q.sqlite.InsertManyTx(ctx, raw, params)
	case pgx.Tx:
		_, err = q.pg.InsertManyTx(ctx, raw, params)
	default:
		err = fmt.Errorf("unknown transaction type %T", raw)
	}
	if err != nil {
		return fmt.Errorf("enqueue %d jobs: %w", len(params), err)
	}
	return nil
}

// Start begins working jobs until Stop. The end of ctx does not stop
// them: Stop does, gracefully, so that a signal which ends the serving
// context lets the jobs in flight finish instead of cutting them off.
func (q *Queue) Start(ctx context.Context) error {
	return q.client.Start(context.WithoutCancel(ctx))
}

// Stop stops fetching new jobs and waits for the running ones to finish;
// when ctx ends first, running jobs are cancelled and River re-queues them,
// so an interrupted job runs again after restart rather than being lost.
func (q *Queue) Stop(ctx context.Context) error {
	if q.client == nil {
		return nil
	}
	err := q.client.Stop(ctx)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		err = q.client.StopAndCancel(context.WithoutCancel(ctx))
	}
	return err
}

// Subscribe returns a channel of finished jobs (completed, failed or
// cancelled) and a function to stop the subscription; tests wait on it
// instead of sleeping.
func (q *Queue) Subscribe() (<-chan *river.Event, func()) {
	return q.client.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed, river.EventKindJobCancelled)
}

// Pass is the worker of a periodic job that runs one function of a
// domain service (a watch, a poll): the job's args type T names it, Run
// does it, and Limit, when set, replaces LongTimeout.
type Pass[T river.JobArgs] struct {
	river.WorkerDefaults[T]
	Run   func(ctx context.Context) error
	Limit time.Duration
}

// Work runs the pass.
func (p *Pass[T]) Work(ctx context.Context, _ *river.Job[T]) error { return p.Run(ctx) }

// Timeout is Limit, or LongTimeout when it is 0.
func (p *Pass[T]) Timeout(*river.Job[T]) time.Duration { return cmp.Or(p.Limit, LongTimeout) }
