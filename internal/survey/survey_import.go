package survey

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/store"
)

// Past is an answer given in the shop's past (the demo's history, an
// import from another survey tool): confirmed when it was given.
type Past struct {
	Ask     Ask
	Score   int
	Comment string
}

// Import records past answers, each confirmed at its AskedAt plus a day.
// They journal survey.answered (and a low score's negative experience)
// as history: analytics and the register see them, but nothing happens
// to a customer and no task opens. An answer whose survey has one
// already, or whose customer or order is gone, is skipped. It returns how
// many were recorded.
func (s *Service) Import(ctx context.Context, past []Past) (int, error) {
	n := 0
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		for _, p := range past {
			if err := CheckScore(p.Ask.Kind, p.Score); err != nil {
				return err
			}
			at := p.Ask.AskedAt.Add(24 * time.Hour)
			old, err := bySubject(ctx, tx, p.Ask)
			if err != nil {
				return err
			}
			if old != nil {
				continue
			}
			v, err := s.insert(ctx, tx, p.Ask, row{score: p.Score, channel: p.Ask.Channel, comment: p.Comment, confirmed: true, now: at})
			if errors.Is(err, ErrUnknown) {
				continue
			}
			if err != nil {
				return err
			}
			events := []journal.Event{{Kind: journal.SurveyAnswered, CustomerID: v.CustomerID, OrderID: v.OrderID, OccurredAt: at,
				History: true, Payload: journal.MustPayload(event.SurveyAnsweredPayload{SurveyID: v.ID, Kind: v.Kind,
					Trigger: v.Trigger, Score: v.Score})}}
			if Low(v.Kind, v.Score) {
				events = append(events, journal.Event{Kind: journal.ExperienceNegative, CustomerID: v.CustomerID,
					OrderID: v.OrderID, OccurredAt: at, History: true, Payload: journal.MustPayload(
						event.ExperienceNegativePayload{Cause: CauseLowScore, SurveyID: v.ID})})
			}
			if err := s.journal.Append(ctx, tx, events...); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return n, fmt.Errorf("import %d past answers: %w", len(past), err)
	}
	return n, nil
}

// Answered returns which of the subjects of trigger have an answer
// (confirmed or not): the demo's customers answer each survey once.
func (s *Service) Answered(ctx context.Context, trigger string, subjects []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	err := store.QueryIn(ctx, s.db.Read(), `SELECT subject_id FROM surveys WHERE trigger = $1 AND subject_id IN (IN_LIST)`,
		[]any{trigger}, subjects, func(r store.Rows) error {
			var id int64
			if err := r.Scan(&id); err != nil {
				return err
			}
			out[id] = true
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("answered surveys: %w", err)
	}
	return out, nil
}
