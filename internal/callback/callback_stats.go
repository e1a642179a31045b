package callback

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/shopcare/shopcare/internal/task"
)

// Stats are the call-back figures for the owner over a period.
type Stats struct {
	From, To time.Time
	// Orders counts the orders whose call-back task was created in
	// [From, To).
	Orders int
	// Attempted counts those called at least once; Open those still
	// waiting for an outcome; Reached, NoAnswer and WrongNumber those
	// closed with each outcome.
	Attempted   int
	Open        int
	Reached     int
	NoAnswer    int
	WrongNumber int
	// Due counts the call-backs that had to be made by now: called
	// already, or first due before now. OnTime counts those whose first
	// call (any outcome) came at or before the time the task was first
	// due, and OnTimeShare is OnTime / Due (0 when Due is 0): a call-back
	// not yet due is not counted either way.
	Due         int
	OnTime      int
	OnTimeShare float64
	// MedianFirstCall is the median time from an order being placed to
	// its first call, over the orders called; 0 when none was.
	MedianFirstCall time.Duration
}

// statsSQL reads the period's call-backs through the index tasks_created
// (kind, created_at).
const statsSQL = `SELECT t.status, t.outcome, t.due_at, t.first_due_at, t.first_attempt_at, o.placed_at
	FROM tasks t JOIN orders o ON o.id = t.order_id
	WHERE t.kind = 'callback' AND t.created_at >= $1 AND t.created_at < $2`

// Stats returns the call-back figures of the tasks created in [from, to).
func (s *Service) Stats(ctx context.Context, from, to time.Time) (Stats, error) {
	st := Stats{From: from, To: to}
	now := s.clock.Now()
	var waits []time.Duration
	rows, err := s.db.Read().Query(ctx, statsSQL, from, to)
	if err != nil {
		return st, fmt.Errorf("call-back stats %s–%s: %w", from.Format(time.RFC3339), to.Format(time.RFC3339), err)
	}
	defer rows.Close()
	for rows.Next() {
		var status task.Status
		var outcome task.Outcome
		var due, placed time.Time
		var firstDue, firstCall *time.Time
		if err := rows.Scan(&status, &outcome, &due, &firstDue, &firstCall, &placed); err != nil {
			return st, fmt.Errorf("call-back stats: %w", err)
		}
		st.Orders++
		if status == task.Open {
			st.Open++
		}
		switch outcome {
		case task.Reached:
			st.Reached++
		case task.NoAnswer:
			st.NoAnswer++
		case task.WrongNumber:
			st.WrongNumber++
		}
		if firstDue != nil {
			due = *firstDue // a retry moved due_at; the target is the first
		}
		if firstCall == nil {
			if due.Before(now) {
				st.Due++ // late, and not called yet
			}
			continue
		}
		st.Attempted++
		st.Due++
		if !firstCall.After(due) {
			st.OnTime++
		}
		waits = append(waits, max(firstCall.Sub(placed), 0))
	}
	if err := rows.Err(); err != nil {
		return st, fmt.Errorf("call-back stats: %w", err)
	}
	if st.Due > 0 {
		st.OnTimeShare = float64(st.OnTime) / float64(st.Due)
	}
	st.MedianFirstCall = median(waits)
	return st, nil
}

// median returns the middle of ds (the mean of the two middle ones for an
// even count); 0 for none.
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	n := len(ds)
	if n%2 == 1 {
		return ds[n/2]
	}
	return ds[n/2-1] + (ds[n/2]-ds[n/2-1])/2
}
