package jobs

import (
	"context"
	"errors"
	"testing"

	"github.com/riverqueue/river/rivertype"
)

// TestShortJobsReleaseNothing: the middleware hands back the job's own
// outcome, and a short job schedules no release.
func TestShortJobsReleaseNothing(t *testing.T) {
	t.Parallel()
	r := &releaser{}
	mw, ok := r.middleware().(rivertype.WorkerMiddleware)
	if !ok {
		t.Fatal("the releaser is not a worker middleware")
	}
	failed := errors.New("the job failed")
	if err := mw.Work(context.Background(), &rivertype.JobRow{}, func(context.Context) error { return failed }); !errors.Is(err, failed) {
		t.Fatalf("Work = %v, want the job's error", err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.pending {
		t.Error("a short job scheduled a release")
	}
}
