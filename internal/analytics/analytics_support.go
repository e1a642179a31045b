package analytics

import (
	"context"
	"fmt"
	"math"

	"github.com/shopcare/shopcare/internal/inbox"
)

// SupportFigures are the support inbox's figures over the window: how
// fast customers get a first answer and how many answers keep the shop's
// targets, overdue conversations counted as missed (issue 20).
type SupportFigures struct {
	// FirstResponseMedian is the median wait, in seconds, from a
	// conversation's opening to its first answer, over the conversations
	// opened in the window and answered; nil when none was.
	FirstResponseMedian *float64 `json:"first_response_median"`
	// WithinTargetShare is the share of the window's answers given by
	// their due time, an answer still awaited past it counting as missed;
	// nil when nothing was due.
	WithinTargetShare *float64 `json:"within_target_share"`
	// Conversations were opened in the window; Answered of them have had
	// a first answer.
	Conversations int `json:"conversations"`
	Answered      int `json:"answered"`
	// Responses are the answers given or overdue in the window;
	// WithinTarget of them came in time; Overdue are conversations past
	// their due time still awaiting an answer.
	Responses    int `json:"responses"`
	WithinTarget int `json:"within_target"`
	Overdue      int `json:"overdue"`
}

// UseInbox makes the report carry the support inbox's figures (Support);
// without it they are left out (null). It is a setter, not a New
// argument, because the inbox is built after the analytics.
func (s *Service) UseInbox(in *inbox.Service) {
	s.inbox = in
}

// support reads the inbox's figures of the window through its service.
func (s *Service) support(ctx context.Context, w Window, m *Metrics) error {
	if s.inbox == nil {
		return nil
	}
	from, to := w.bounds(s.settings.Shop.Location())
	im, err := s.inbox.Metrics(ctx, from, to)
	if err != nil {
		return fmt.Errorf("support inbox figures: %w", err)
	}
	f := &SupportFigures{Conversations: im.Conversations, Answered: im.Answered, Responses: im.Responses,
		WithinTarget: im.WithinTarget, Overdue: im.Overdue}
	if im.Answered > 0 {
		sec := math.Round(im.FirstResponseMedian.Seconds()*1000) / 1000
		f.FirstResponseMedian = &sec
	}
	f.WithinTargetShare = rate(int64(im.WithinTarget), int64(im.Responses))
	m.Support = f
	return nil
}
