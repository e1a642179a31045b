package parcel

import (
	"context"
	"fmt"
	"time"
)

// RemindersSentBetween counts the "your parcel is waiting" reminders sent
// in [from, to), and the parcels they were about: the shop's
// touch-point audit shows them beside the pickup checklist.
func (s *Service) RemindersSentBetween(ctx context.Context, from, to time.Time) (reminders, parcels int64, err error) {
	err = s.db.Read().QueryRow(ctx, `SELECT COUNT(*), COUNT(DISTINCT parcel_id) FROM pickup_reminders
		WHERE state = 'sent' AND done_at >= $1 AND done_at < $2`, from, to).Scan(&reminders, &parcels)
	if err != nil {
		return 0, 0, fmt.Errorf("count pickup reminders sent %s..%s: %w", from.Format(time.RFC3339), to.Format(time.RFC3339), err)
	}
	return reminders, parcels, nil
}
