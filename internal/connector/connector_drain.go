package connector

import (
	"context"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/shopcare/shopcare/internal/jobs"
)

// drainBatch is how many received deliveries one pass of the drain reads.
const drainBatch = 200

// Drain applies the received deliveries, oldest first, in batches, until
// none is left, and returns how many it took. Each delivery is applied
// and marked in one transaction, so a crash leaves it received and the
// next drain (the job, at the next start) applies it.
func (s *Service) Drain(ctx context.Context) (int, error) {
	s.draining.Lock()
	defer s.draining.Unlock()
	total := 0
	for {
		ids, err := received(ctx, s.db.Read(), drainBatch)
		if err != nil || len(ids) == 0 {
			return total, err
		}
		took := 0
		for _, id := range ids {
			if err := ctx.Err(); err != nil {
				return total, err
			}
			_, skipped, err := s.applyOne(ctx, id, true)
			if err != nil {
				return total, err
			}
			if !skipped {
				took++
			}
		}
		total += took
		if took == 0 { // another node holds them (PostgreSQL)
			return total, nil
		}
	}
}

// DrainArgs is the job that applies the received deliveries: run every
// SweepInterval and at start, it takes what the in-process drain did not
// (a crash, a restart, another node's deliveries).
type DrainArgs struct{}

// Kind names the job.
func (DrainArgs) Kind() string { return "connector_drain" }

// InsertOpts keeps one drain job waiting or running at a time.
func (DrainArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
		rivertype.JobStateScheduled, rivertype.JobStateRetryable,
	}}}
}

// SweepInterval is how often the drain job runs.
const SweepInterval = 10 * time.Second

// DrainWorker works DrainArgs jobs.
type DrainWorker struct {
	river.WorkerDefaults[DrainArgs]
	Service *Service
}

// Timeout is jobs.LongTimeout: a burst may leave many deliveries.
func (w *DrainWorker) Timeout(*river.Job[DrainArgs]) time.Duration { return jobs.LongTimeout }

// Work applies what is received.
func (w *DrainWorker) Work(ctx context.Context, _ *river.Job[DrainArgs]) error {
	n, err := w.Service.Drain(ctx)
	if n > 0 {
		w.Service.log.Debug("connector deliveries applied", "deliveries", n)
	}
	return err
}
