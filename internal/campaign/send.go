package campaign

import (
	"context"

	"github.com/shopcare/shopcare/internal/jobs"
)

// Part "send": the sending machinery.

// sendState is the send part's state in the Service.
type sendState struct{}

func (st *sendState) init(s *Service) {}

// Register adds the campaigns' workers and periodic jobs to the queue;
// the app calls it before the queue opens.
func (s *Service) Register(q *jobs.Queue) {}

// Start evaluates the campaign's audience into its recipients and begins
// sending, at once or on its schedule; by names who started it.
func (s *Service) Start(ctx context.Context, id int64, by string) error { return errNotBuilt }

// Pause stops a sending campaign after the batches in flight.
func (s *Service) Pause(ctx context.Context, id int64) error { return errNotBuilt }

// Resume sends a paused campaign on.
func (s *Service) Resume(ctx context.Context, id int64) error { return errNotBuilt }

// Cancel stops a campaign for good; who got it keeps it.
func (s *Service) Cancel(ctx context.Context, id int64) error { return errNotBuilt }

// Progress counts the campaign's recipients by status.
func (s *Service) Progress(ctx context.Context, id int64) (Progress, error) {
	return Progress{}, errNotBuilt
}
