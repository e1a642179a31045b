package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"
)

// OptimizeInterval is how often the planner's statistics are looked at
// (store.DB.Optimize), on the real clock; the first run is at start.
const OptimizeInterval = 6 * time.Hour

// OptimizeArgs is the job that keeps the planner's statistics current.
type OptimizeArgs struct{}

// Kind names the job.
func (OptimizeArgs) Kind() string { return "store_optimize" }

// addOptimize registers the statistics job with the queue itself, since
// every shop needs it whatever its domain packages register.
func (q *Queue) addOptimize() {
	river.AddWorker(q.workers, &Pass[OptimizeArgs]{Run: func(ctx context.Context) error { return q.db.Optimize(ctx) }})
	q.AddPeriodic(OptimizeInterval, OptimizeArgs{})
}
