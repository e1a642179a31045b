package callback

import (
	"context"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/task"
)

// The causes of experience.negative a call-back journals when it closes
// having reached nobody: the last try went unanswered, or the number was
// not the customer's.
const (
	CauseMissed      = "missed_callback"
	CauseWrongNumber = "wrong_number"
)

// missed journals, inside tx, that call-back t reached nobody: a negative
// experience of the customer (the register records missed_callback).
func (s *Service) missed(ctx context.Context, tx *store.Tx, t *task.Task, customerID int64, cause string, now time.Time) error {
	if s.journal == nil || customerID == 0 {
		return nil
	}
	err := s.journal.Append(ctx, tx, journal.Event{Kind: journal.ExperienceNegative, OrderID: t.OrderID, CustomerID: customerID,
		OccurredAt: now, Payload: journal.MustPayload(event.ExperienceNegativePayload{Cause: cause, TaskID: t.ID})})
	if err != nil {
		return fmt.Errorf("journal the missed call-back %d: %w", t.ID, err)
	}
	return nil
}
