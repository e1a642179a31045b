package inbox

import (
	"context"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/calendar"
	"github.com/shopcare/shopcare/internal/config"
	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/store"
)

// Due returns when an answer to a message received at from is due: d of
// the shop's working hours (shop.working_hours on its working days, in
// its time zone) after from. A message that comes in the evening or on a
// day off starts its clock when the shop opens.
func (s *Service) Due(from time.Time, d time.Duration) time.Time {
	loc := s.settings.Shop.Location()
	wh := s.settings.Shop.WorkingHours
	local := from.In(loc)
	for range 800 {
		day := calendar.DayOf(local)
		if s.isWorkday(day) {
			start, end := clockOn(day, wh.From, loc), clockOn(day, wh.To, loc)
			if local.Before(start) {
				local = start
			}
			if local.Before(end) {
				if left := end.Sub(local); d <= left {
					return local.Add(d)
				} else {
					d -= left
				}
			}
		}
		local = day.AddDays(1).Time(loc)
	}
	return local
}

// Working tells whether at is inside the shop's working hours on one of
// its working days: a message then needs no acknowledgement.
func (s *Service) Working(at time.Time) bool {
	loc := s.settings.Shop.Location()
	wh := s.settings.Shop.WorkingHours
	local := at.In(loc)
	day := calendar.DayOf(local)
	if !s.isWorkday(day) {
		return false
	}
	return !local.Before(clockOn(day, wh.From, loc)) && local.Before(clockOn(day, wh.To, loc))
}

// clockOn returns the time of day c on day d in loc.
func clockOn(d calendar.Day, c config.ClockTime, loc *time.Location) time.Time {
	y, m, dd := d.Date()
	return time.Date(y, m, dd, int(c)/60, int(c)%60, 0, 0, loc)
}

// target returns the response target of the next answer: the first
// response until the shop has answered once, the next response after.
func (s *Service) target(c *Conversation) time.Duration {
	if c == nil || c.FirstRespondedAt == nil {
		return time.Duration(s.settings.Support.FirstResponse)
	}
	return time.Duration(s.settings.Support.NextResponse)
}

// WatchArgs is the periodic job of the overdue pass.
type WatchArgs struct{}

// Kind names the job.
func (WatchArgs) Kind() string { return "inbox_watch" }

// WatchInterval is how often the overdue pass runs.
const WatchInterval = time.Minute

// WatchResult counts what a pass did.
type WatchResult struct {
	Overdue int // conversations flagged overdue
	Woken   int // snoozed conversations whose time came
}

// watchBatch bounds the conversations one pass flags.
const watchBatch = 1000

// Watch flags the open conversations whose awaited answer is past its due
// time (once per awaited answer: an answer clears the flag), journals
// conversation.overdue and, for a known customer, a negative experience
// "unanswered"; and it reopens snoozed conversations whose time came.
func (s *Service) Watch(ctx context.Context) (WatchResult, error) {
	var res WatchResult
	now := s.clock.Now()
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		res = WatchResult{}
		n, err := tx.Exec(ctx, `UPDATE conversations SET status = 'open', snoozed_until = NULL, updated_at = $1
			WHERE status = 'snoozed' AND snoozed_until <= $1`, now)
		if err != nil {
			return fmt.Errorf("wake snoozed conversations: %w", err)
		}
		res.Woken = int(n)
		var events []journal.Event
		err = store.Each(ctx, tx, `UPDATE conversations SET overdue_at = $1
			WHERE id IN (SELECT id FROM conversations WHERE status = 'open' AND overdue_at IS NULL
				AND next_response_due <= $1 ORDER BY next_response_due LIMIT $2)
			RETURNING id, customer_id, order_id, next_response_due, first_responded_at`, []any{now, watchBatch},
			func(r store.Rows) error {
				var id int64
				var customerID, orderID *int64
				var due time.Time
				var first *time.Time
				if err := r.Scan(&id, &customerID, &orderID, &due, &first); err != nil {
					return err
				}
				events = append(events, journal.Event{Kind: journal.ConversationOverdue, CustomerID: deref(customerID),
					OrderID: deref(orderID), OccurredAt: now,
					Payload: journal.MustPayload(event.ConversationOverduePayload{ConversationID: id, DueAt: due.UTC(), First: first == nil})})
				if customerID != nil {
					events = append(events, journal.Event{Kind: journal.ExperienceNegative, CustomerID: *customerID,
						OrderID: deref(orderID), OccurredAt: now,
						Payload: journal.MustPayload(event.ExperienceNegativePayload{Cause: CauseUnanswered, ConversationID: id})})
				}
				res.Overdue++
				return nil
			})
		if err != nil {
			return fmt.Errorf("flag overdue conversations: %w", err)
		}
		return s.journal.Append(ctx, tx, events...)
	})
	if err == nil && res.Overdue > 0 {
		s.log.Info("inbox watch", "overdue", res.Overdue, "woken", res.Woken)
	}
	return res, err
}
