package survey

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/customer"
	"github.com/shopcare/shopcare/internal/event"
	"github.com/shopcare/shopcare/internal/invalid"
	"github.com/shopcare/shopcare/internal/journal"
	"github.com/shopcare/shopcare/internal/notify"
	"github.com/shopcare/shopcare/internal/store"
	"github.com/shopcare/shopcare/internal/task"
)

// CauseLowScore is the cause of the negative experience a low score
// journals.
const CauseLowScore = "low_score"

// Click is what the handler knows of a click on a score link.
type Click struct {
	// Channel is where the link was sent (ChannelOf the link's c=).
	Channel string
	// Prefetch marks a HEAD request or a browser's prefetch.
	Prefetch bool
}

// CheckScore returns an invalid.Error on "score" when score is off kind's
// scale.
func CheckScore(kind string, score int) error {
	lo, hi := Scale(kind)
	if score < lo || score > hi {
		return invalid.Field("score", "invalid", "must be from %d to %d", lo, hi)
	}
	return nil
}

// Record records one click on a score link as an intent: the first click
// makes the survey's row, a later one changes its score — never a second
// answer. The intent is unconfirmed (it does not count) until the
// customer confirms it on the page (Confirm); a click that looks like a
// mail scanner's is flagged with a Suspect reason. A confirmed answer is
// not changed by a click — a scanner following an old message's links
// must not undo what a person said; the page offers the new score and
// Confirm changes it. ErrUnknown for a token this shop did not sign; an
// invalid.Error on "score" (nothing written) for a score off the scale.
func (s *Service) Record(ctx context.Context, token string, score int, c Click) (*Survey, error) {
	a, err := s.Parse(token)
	if err != nil {
		return nil, err
	}
	if err := CheckScore(a.Kind, score); err != nil {
		return nil, err
	}
	var out *Survey
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		now := s.now()
		old, err := bySubject(ctx, tx, a)
		if err != nil {
			return err
		}
		if old != nil && old.CustomerID != a.CustomerID {
			return ErrUnknown
		}
		if old != nil && old.Confirmed() {
			out = old
			return nil
		}
		suspect := suspectOf(a, old, score, c, now)
		if old == nil {
			out, err = s.insert(ctx, tx, a, row{score: score, channel: c.Channel, suspect: suspect, now: now})
			return err
		}
		out, err = scan(tx.QueryRow(ctx, `UPDATE surveys SET score = $2, scored_at = $3, suspect = $4, channel = $5, updated_at = $3
			WHERE id = $1 RETURNING `+columns, old.ID, score, now, suspect, channelOr(c.Channel, old.Channel)))
		if err != nil {
			return fmt.Errorf("change survey %d: %w", old.ID, err)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("record survey click: %w", err)
	}
	return out, nil
}

// suspectOf says why a click looks like a scanner's, or "".
func suspectOf(a Ask, old *Survey, score int, c Click, now time.Time) string {
	switch {
	case c.Prefetch:
		return SuspectPrefetch
	case old != nil && old.Score != score && now.Sub(old.ScoredAt) < BurstAfter:
		return SuspectBurst
	case !a.AskedAt.IsZero() && now.Sub(a.AskedAt) < TooSoon:
		return SuspectTooSoon
	}
	return ""
}

func channelOr(ch, old string) string {
	if ch == "" || ch == ChannelWeb && old != "" {
		return old
	}
	return ch
}

// row is what a new survey row gets beside its question.
type row struct {
	score     int
	channel   string
	suspect   string
	comment   string
	confirmed bool
	now       time.Time
}

// insert makes a's row, with the customer's language, when the customer
// (and the order asked about) still exist; ErrUnknown when not.
func (s *Service) insert(ctx context.Context, tx *store.Tx, a Ask, r row) (*Survey, error) {
	var orderID, convID int64
	if a.Trigger == Delivery {
		orderID = a.SubjectID
	} else {
		convID = a.SubjectID
	}
	var confirmedAt, commentAt *time.Time
	if r.confirmed {
		confirmedAt = &r.now
	}
	if r.comment != "" {
		commentAt = &r.now
	}
	var askedAt *time.Time
	if !a.AskedAt.IsZero() {
		askedAt = &a.AskedAt
	}
	v, err := scan(tx.QueryRow(ctx, `INSERT INTO surveys (kind, trigger, subject_id, customer_id, order_id, conversation_id, language,
			channel, score, scored_at, confirmed_at, suspect, asked_at, comment, comment_at, created_at, updated_at)
		SELECT $1, $2, $3, c.id, CAST($5 AS BIGINT), CAST($6 AS BIGINT), c.language, $7, $8, $9, $10, $11, $12, $13, $14, $9, $9
		FROM customers c WHERE c.id = $4
			AND (CAST($5 AS BIGINT) IS NULL OR EXISTS (SELECT 1 FROM orders o WHERE o.id = CAST($5 AS BIGINT) AND o.customer_id = c.id))
		ON CONFLICT (trigger, subject_id) DO NOTHING
		RETURNING `+columns, a.Kind, a.Trigger, a.SubjectID, a.CustomerID, nullID(orderID), nullID(convID), channelOr(r.channel, ""),
		r.score, r.now, confirmedAt, r.suspect, askedAt, r.comment, commentAt))
	if errors.Is(err, store.ErrNotFound) {
		// Either another click made the row first, or the customer or
		// order is gone.
		v, err := bySubject(ctx, tx, a)
		if err != nil {
			return nil, err
		}
		if v == nil || v.CustomerID != a.CustomerID {
			return nil, ErrUnknown
		}
		return v, nil
	}
	if err != nil {
		return nil, fmt.Errorf("insert survey: %w", err)
	}
	return v, nil
}

// Answer is what the customer sends from the survey's page.
type Answer struct {
	Score   int
	Comment string
	Channel string
}

// checkAnswer validates an answer before anything is written.
func checkAnswer(kind string, ans *Answer) error {
	if err := CheckScore(kind, ans.Score); err != nil {
		return err
	}
	ans.Comment = strings.TrimSpace(ans.Comment)
	if len(ans.Comment) > MaxComment {
		return invalid.Field("comment", "too_long", "the comment is over %d bytes", MaxComment)
	}
	if ans.Comment != "" {
		if err := invalid.TextMax("comment", ans.Comment, MaxComment, true); err != nil {
			return err
		}
	}
	return nil
}

// Confirm records the customer's answer from the survey's page (their
// "Send", or their first interaction with it): the score counts from now,
// with their comment. The first confirmation and every change of score
// journal survey.answered; a score that turns low opens a service-recovery
// task for an operator, due within the hour in working hours, and journals
// a negative experience (low_score) — in the same transaction. An
// invalid.Error (on score or comment) writes nothing.
func (s *Service) Confirm(ctx context.Context, token string, ans Answer) (*Survey, error) {
	a, err := s.Parse(token)
	if err != nil {
		return nil, err
	}
	if err := checkAnswer(a.Kind, &ans); err != nil {
		return nil, err
	}
	var out *Survey
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		now := s.now()
		old, err := bySubject(ctx, tx, a)
		if err != nil {
			return err
		}
		if old == nil {
			if out, err = s.insert(ctx, tx, a, row{score: ans.Score, channel: ans.Channel, comment: ans.Comment,
				confirmed: true, now: now}); err != nil {
				return err
			}
			if !out.Confirmed() { // a click made the row meanwhile
				return s.confirmRow(ctx, tx, out, nil, ans, now, &out)
			}
			if err := s.mirror(ctx, tx, out); err != nil {
				return err
			}
			return s.answered(ctx, tx, out, nil, now)
		}
		if old.CustomerID != a.CustomerID {
			return ErrUnknown
		}
		var prev *int
		if old.Confirmed() {
			p := old.Score
			prev = &p
		}
		return s.confirmRow(ctx, tx, old, prev, ans, now, &out)
	})
	if err != nil {
		return nil, fmt.Errorf("confirm survey: %w", err)
	}
	return out, nil
}

// mirror keeps a conversation's confirmed answer on the conversation.
func (s *Service) mirror(ctx context.Context, tx *store.Tx, v *Survey) error {
	if s.rated == nil || v.ConversationID == 0 || !v.Confirmed() {
		return nil
	}
	return s.rated(ctx, tx, v.ConversationID, v.Score, v.Comment, v.UpdatedAt)
}

// confirmRow confirms old with ans; prev is the score it had confirmed
// (nil when none).
func (s *Service) confirmRow(ctx context.Context, tx *store.Tx, old *Survey, prev *int, ans Answer, now time.Time, out **Survey) error {
	commentAt := old.CommentAt
	if ans.Comment != old.Comment {
		commentAt = &now
		if ans.Comment == "" {
			commentAt = nil
		}
	}
	confirmedAt := now
	if prev != nil && *prev == ans.Score && old.ConfirmedAt != nil {
		confirmedAt = *old.ConfirmedAt
	}
	v, err := scan(tx.QueryRow(ctx, `UPDATE surveys SET score = $2, scored_at = $3, confirmed_at = $4, suspect = '', comment = $5,
		comment_at = $6, updated_at = $3 WHERE id = $1 RETURNING `+columns, old.ID, ans.Score, now, confirmedAt, ans.Comment, commentAt))
	if err != nil {
		return fmt.Errorf("confirm survey %d: %w", old.ID, err)
	}
	*out = v
	if err := s.mirror(ctx, tx, v); err != nil {
		return err
	}
	if prev != nil && *prev == ans.Score {
		return nil // the comment only
	}
	return s.answered(ctx, tx, v, prev, now)
}

// answered journals survey.answered and, for a score that turned low,
// the service recovery.
func (s *Service) answered(ctx context.Context, tx *store.Tx, v *Survey, prev *int, now time.Time) error {
	events := []journal.Event{{Kind: journal.SurveyAnswered, CustomerID: v.CustomerID, OrderID: v.OrderID, OccurredAt: now,
		Payload: journal.MustPayload(event.SurveyAnsweredPayload{SurveyID: v.ID, Kind: v.Kind, Trigger: v.Trigger,
			Score: v.Score, Previous: prev})}}
	turnedLow := Low(v.Kind, v.Score) && (prev == nil || !Low(v.Kind, *prev))
	if turnedLow {
		events = append(events, journal.Event{Kind: journal.ExperienceNegative, CustomerID: v.CustomerID, OrderID: v.OrderID,
			OccurredAt: now, Payload: journal.MustPayload(event.ExperienceNegativePayload{Cause: CauseLowScore,
				ConversationID: v.ConversationID, SurveyID: v.ID})})
	}
	if err := s.journal.Append(ctx, tx, events...); err != nil {
		return fmt.Errorf("journal survey %d: %w", v.ID, err)
	}
	if !turnedLow {
		return nil
	}
	due, err := s.recoveryDue(ctx, tx, v.CustomerID, now)
	if err != nil {
		return err
	}
	_, err = task.Create(ctx, tx, []task.Task{{Kind: task.ServiceRecovery, OrderID: v.OrderID, CustomerID: v.CustomerID,
		DedupeKey: fmt.Sprintf("s%d:service_recovery", v.ID), DueAt: due, Note: v.Comment}}, now)
	return err
}

// recoveryDue is when an operator should get in touch about a low score
// given at now: within the hour, in working hours, at the customer's
// reasonable time.
func (s *Service) recoveryDue(ctx context.Context, q store.Querier, customerID int64, now time.Time) (time.Time, error) {
	if s.due == nil {
		return now.Add(time.Hour), nil
	}
	loc := s.deps.Settings.Shop.Location()
	err := customer.EachLocale(ctx, q, []int64{customerID}, func(l customer.Locale) error {
		loc = notify.Location(l.Timezone, loc)
		return nil
	})
	if err != nil {
		return time.Time{}, fmt.Errorf("customer %d's time zone: %w", customerID, err)
	}
	return s.due(now, loc), nil
}
