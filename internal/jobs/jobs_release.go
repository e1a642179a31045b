package jobs

import (
	"context"
	"runtime/debug"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/shopcare/shopcare/internal/store"
)

// After a long job (the daily scoring of every customer, a backup with
// its restore test, a recalculation) the process holds the memory the
// job grew to: Go's heap goal stays where the job's last collection set
// it until the runtime's next forced collection, minutes later, and
// SQLite keeps the pages the job read in its connections' caches. A
// service that is mostly idle between such jobs should not carry their
// peak: after a job that ran releaseAfter or longer, the queue hands both
// back (store.DB.ReleaseMemory, debug.FreeOSMemory), at most once every
// releaseEvery, on the real clock. It costs a collection and the writer's
// warm cache a few times a minute at most, while long jobs run; short jobs
// (a message, a webhook) never pay it.
const (
	releaseAfter = time.Second
	releaseEvery = 10 * time.Second
)

// releaser hands memory back after long jobs.
type releaser struct {
	db      *store.DB
	mu      sync.Mutex
	last    time.Time // the last release, real time
	pending bool      // one is scheduled
}

func (r *releaser) middleware() rivertype.Middleware {
	return river.WorkerMiddlewareFunc(func(ctx context.Context, _ *rivertype.JobRow, doInner func(context.Context) error) error {
		start := time.Now()
		err := doInner(ctx)
		if time.Since(start) >= releaseAfter {
			r.release()
		}
		return err
	})
}

// release schedules a release now, or releaseEvery after the last one;
// one already scheduled covers this job too.
func (r *releaser) release() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.pending {
		return
	}
	r.pending = true
	time.AfterFunc(max(0, releaseEvery-time.Since(r.last)), func() {
		_ = r.db.ReleaseMemory(context.Background()) // a closed database (the queue stopped) has nothing to give back
		debug.FreeOSMemory()
		r.mu.Lock()
		r.last, r.pending = time.Now(), false
		r.mu.Unlock()
	})
}
