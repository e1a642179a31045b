package callback

import (
	"context"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/store"
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

// statsSQL counts the period's call-backs through the index tasks_created
// (kind, created_at). The counting is done by the database: reading each
// task's times out row by row costs far more on SQLite. A task's first
// due time is first_due_at once a retry has moved due_at, else due_at.
const statsSQL = `SELECT COUNT(*),
	SUM(CASE WHEN status = 'open' THEN 1 ELSE 0 END),
	SUM(CASE WHEN outcome = 'reached' THEN 1 ELSE 0 END),
	SUM(CASE WHEN outcome = 'no_answer' THEN 1 ELSE 0 END),
	SUM(CASE WHEN outcome = 'wrong_number' THEN 1 ELSE 0 END),
	SUM(CASE WHEN first_attempt_at IS NOT NULL THEN 1 ELSE 0 END),
	SUM(CASE WHEN first_attempt_at IS NOT NULL OR COALESCE(first_due_at, due_at) < $3 THEN 1 ELSE 0 END),
	SUM(CASE WHEN first_attempt_at <= COALESCE(first_due_at, due_at) THEN 1 ELSE 0 END)
	FROM tasks WHERE kind = 'callback' AND created_at >= $1 AND created_at < $2`

// waitSQL returns the middle waits, in seconds from the order placed to
// the first call, of the period's call-backs (LIMIT $3 OFFSET $4): the
// database sorts them, and only the one or two in the middle travel. The
// difference of two times is the one thing the engines write apart.
func waitSQL(engine store.Engine) string {
	wait := `CAST(ROUND((julianday(t.first_attempt_at) - julianday(o.placed_at)) * 86400) AS INTEGER)`
	if engine == store.Postgres {
		wait = `CAST(EXTRACT(EPOCH FROM t.first_attempt_at - o.placed_at) AS BIGINT)`
	}
	return `SELECT ` + wait + ` AS wait FROM tasks t JOIN orders o ON o.id = t.order_id
		WHERE t.kind = 'callback' AND t.created_at >= $1 AND t.created_at < $2 AND t.first_attempt_at IS NOT NULL
		ORDER BY wait LIMIT $3 OFFSET $4`
}

// Stats returns the call-back figures of the tasks created in [from, to).
func (s *Service) Stats(ctx context.Context, from, to time.Time) (Stats, error) {
	st := Stats{From: from, To: to}
	period := from.Format(time.RFC3339) + "–" + to.Format(time.RFC3339)
	var counts [8]*int64
	err := s.db.Read().QueryRow(ctx, statsSQL, from, to, s.clock.Now()).Scan(
		&counts[0], &counts[1], &counts[2], &counts[3], &counts[4], &counts[5], &counts[6], &counts[7])
	if err != nil {
		return st, fmt.Errorf("call-back stats %s: %w", period, err)
	}
	for i, dst := range []*int{&st.Orders, &st.Open, &st.Reached, &st.NoAnswer, &st.WrongNumber, &st.Attempted, &st.Due, &st.OnTime} {
		if counts[i] != nil {
			*dst = int(*counts[i])
		}
	}
	if st.Due > 0 {
		st.OnTimeShare = float64(st.OnTime) / float64(st.Due)
	}
	if st.Attempted == 0 {
		return st, nil
	}
	// The median: the middle wait of an odd count, the mean of the two
	// middle ones of an even count.
	n := 2 - st.Attempted%2
	rows, err := s.db.Read().Query(ctx, waitSQL(s.db.Engine()), from, to, n, (st.Attempted-1)/2)
	if err != nil {
		return st, fmt.Errorf("call-back waits %s: %w", period, err)
	}
	defer rows.Close()
	var sum, got int64
	for rows.Next() {
		var secs int64
		if err := rows.Scan(&secs); err != nil {
			return st, fmt.Errorf("call-back waits %s: %w", period, err)
		}
		sum += max(secs, 0)
		got++
	}
	if err := rows.Err(); err != nil {
		return st, fmt.Errorf("call-back waits %s: %w", period, err)
	}
	if got > 0 {
		st.MedianFirstCall = time.Duration(sum) * time.Second / time.Duration(got)
	}
	return st, nil
}
