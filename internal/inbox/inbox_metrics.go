package inbox

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// Metrics are the inbox's figures over a period.
type Metrics struct {
	// Conversations is how many were opened in the period; Answered how
	// many of them have had a first response.
	Conversations, Answered int
	// FirstResponseMedian is the median time from a conversation's
	// opening to its first response, over those answered (wall time: what
	// the customer waited); zero when none was.
	FirstResponseMedian time.Duration
	// Responses is how many answers were given or are overdue in the
	// period; WithinTarget how many of them came by their due time.
	Responses, WithinTarget int
	// WithinTargetShare is WithinTarget / Responses; 1 when there were
	// none (nothing was late).
	WithinTargetShare float64
	// Overdue is how many conversations went past their due time in the
	// period and are still awaiting an answer (counted in Responses as
	// missed).
	Overdue int
}

// Metrics returns first_response_median and within_target_share over the
// conversations opened, and the answers given, in [from, to). An answer
// still awaited past its due time counts as one missed.
func (s *Service) Metrics(ctx context.Context, from, to time.Time) (Metrics, error) {
	var m Metrics
	q := s.db.Read()
	var waits []time.Duration
	err := store.Each(ctx, q, `SELECT created_at, first_responded_at FROM conversations
		WHERE created_at >= $1 AND created_at < $2`, []any{from, to}, func(r store.Rows) error {
		var created time.Time
		var first *time.Time
		if err := r.Scan(&created, &first); err != nil {
			return err
		}
		m.Conversations++
		if first != nil {
			waits = append(waits, first.Sub(created))
		}
		return nil
	})
	if err != nil {
		return m, fmt.Errorf("first responses: %w", err)
	}
	m.Answered = len(waits)
	if len(waits) > 0 {
		slices.Sort(waits)
		mid := len(waits) / 2
		m.FirstResponseMedian = waits[mid]
		if len(waits)%2 == 0 {
			m.FirstResponseMedian = (waits[mid-1] + waits[mid]) / 2
		}
	}
	var within, late, missed int
	err = q.QueryRow(ctx, `SELECT
			COALESCE(SUM(CASE WHEN created_at <= answered_due THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN created_at > answered_due THEN 1 ELSE 0 END), 0)
		FROM conversation_messages WHERE answered_due IS NOT NULL AND direction = 'out' AND created_at >= $1 AND created_at < $2`,
		from, to).Scan(&within, &late)
	if err != nil {
		return m, fmt.Errorf("answers within target: %w", err)
	}
	err = q.QueryRow(ctx, `SELECT COUNT(*) FROM conversations
		WHERE overdue_at IS NOT NULL AND overdue_at >= $1 AND overdue_at < $2`, from, to).Scan(&missed)
	if err != nil {
		return m, fmt.Errorf("overdue answers: %w", err)
	}
	m.Responses, m.WithinTarget, m.Overdue = within+late+missed, within, missed
	m.WithinTargetShare = 1
	if m.Responses > 0 {
		m.WithinTargetShare = float64(within) / float64(m.Responses)
	}
	return m, nil
}
