package message

import (
	"context"
	"fmt"

	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/store"
)

// CauseUnreachable is the cause of the experience.negative a message
// journals when it failed on every channel it could take.
const CauseUnreachable = "unreachable"

// unreachable finishes message m as failed on every channel and, for
// order news (a transactional message), journals in the same transaction
// that the customer could not be reached: a negative experience for the
// register. A marketing-type message that reaches nobody is no bad moment.
func (s *Sender) unreachable(ctx context.Context, m *Message, reason string) error {
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := s.finishIn(ctx, tx, m, Failed, m.Channel, reason); err != nil {
			return err
		}
		if s.journal == nil || !m.Transactional || m.CustomerID == 0 {
			return nil
		}
		err := s.journal.Append(ctx, tx, journal.Event{Kind: journal.ExperienceNegative, OrderID: m.OrderID, CustomerID: m.CustomerID,
			OccurredAt: s.clock.Now(), Payload: journal.MustPayload(event.ExperienceNegativePayload{Cause: CauseUnreachable, MessageID: m.ID})})
		if err != nil {
			return fmt.Errorf("journal unreachable message %d: %w", m.ID, err)
		}
		return nil
	})
}
