package callback

import (
	"context"
	"fmt"
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
	// its first call, over the orders called, to the second; 0 when none
	// was.
	MedianFirstCall time.Duration
}

// Stats returns the call-back figures of the tasks created in [from, to).
func (s *Service) Stats(ctx context.Context, from, to time.Time) (Stats, error) {
	st := Stats{From: from, To: to}
	period := from.Format(time.RFC3339) + "–" + to.Format(time.RFC3339)
	tally, err := task.CallbackStatsCount(ctx, s.db.Read(), from, to, s.clock.Now())
	if err != nil {
		return st, fmt.Errorf("call-back stats %s: %w", period, err)
	}
	st.Orders, st.Open, st.Reached, st.NoAnswer, st.WrongNumber = tally.Tasks, tally.Open, tally.Reached, tally.NoAnswer, tally.WrongNumber
	st.Attempted, st.Due, st.OnTime = tally.Attempted, tally.Due, tally.OnTime
	if st.Due > 0 {
		st.OnTimeShare = float64(st.OnTime) / float64(st.Due)
	}
	if st.Attempted == 0 {
		return st, nil
	}
	// The median: the middle wait of an odd count, the mean of the two
	// middle ones of an even count.
	n := 2 - st.Attempted%2
	waits, err := task.CallbackWaits(ctx, s.db.Read(), task.CallbackWaitsParams{Engine: s.db.Engine(), From: from, To: to,
		Limit: n, Offset: (st.Attempted - 1) / 2})
	if err != nil {
		return st, fmt.Errorf("call-back waits %s: %w", period, err)
	}
	var sum, got int64
	for _, secs := range waits {
		sum += max(secs, 0)
		got++
	}
	if got > 0 {
		st.MedianFirstCall = time.Duration(sum) * time.Second / time.Duration(got)
	}
	return st, nil
}
