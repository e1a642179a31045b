package survey

import (
	"context"
	"errors"
	"fmt"

	"github.com/shopcare/shopcare/internal/store"
)

const columns = `id, kind, trigger, subject_id, customer_id, order_id, conversation_id, language, channel, score,
	scored_at, confirmed_at, suspect, asked_at, comment, comment_at, created_at, updated_at`

func scan(r store.Row) (*Survey, error) {
	var v Survey
	var orderID, convID *int64
	err := r.Scan(&v.ID, &v.Kind, &v.Trigger, &v.SubjectID, &v.CustomerID, &orderID, &convID, &v.Language, &v.Channel,
		&v.Score, &v.ScoredAt, &v.ConfirmedAt, &v.Suspect, &v.AskedAt, &v.Comment, &v.CommentAt, &v.CreatedAt, &v.UpdatedAt)
	if err != nil {
		return nil, err
	}
	if orderID != nil {
		v.OrderID = *orderID
	}
	if convID != nil {
		v.ConversationID = *convID
	}
	return &v, nil
}

// get returns the survey where cond holds, or nil, nil when none does.
func get(ctx context.Context, q store.Querier, cond string, args ...any) (*Survey, error) {
	v, err := scan(q.QueryRow(ctx, `SELECT `+columns+` FROM surveys WHERE `+cond, args...))
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load survey: %w", err)
	}
	return v, nil
}

// bySubject returns the answer to a's question, or nil.
func bySubject(ctx context.Context, q store.Querier, a Ask) (*Survey, error) {
	return get(ctx, q, `trigger = $1 AND subject_id = $2`, a.Trigger, a.SubjectID)
}

func nullID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}
