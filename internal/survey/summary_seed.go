package survey

import (
	"context"
	"fmt"
	"time"

	"github.com/shopcare/shopcare/internal/store"
)

// SummarySeed is an answer as the summary reads it, for tests and
// benchmarks to write without the answering engine: what was asked about
// (an order for NPS after delivery, a conversation for CSAT), the score,
// the comment, when, and whether the landing page confirmed it.
type SummarySeed struct {
	Kind           string // nps or csat
	CustomerID     int64
	OrderID        int64 // 0: none (a conversation's survey)
	ConversationID int64
	Language       string
	Channel        string
	Score          int
	Comment        string
	At             time.Time
	Unconfirmed    bool
}

// SeedSummaryAnswers writes answers as they are given, in one
// transaction: the subject is the conversation, else the order. It checks only what the table holds (a kind, a
// score on its scale), for it is no path of a customer's input.
func (s *Service) SeedSummaryAnswers(ctx context.Context, seeds []SummarySeed) error {
	rows := make([][]any, 0, len(seeds))
	for i, a := range seeds {
		if (a.Kind != summaryNPS || a.Score < 0 || a.Score > 10) && (a.Kind != summaryCSAT || a.Score < 1 || a.Score > 5) {
			return fmt.Errorf("seed answer %d: kind %q score %d is on no scale", i, a.Kind, a.Score)
		}
		trigger, subject := "delivery", a.OrderID
		var order, conversation any
		if a.OrderID != 0 {
			order = a.OrderID
		}
		if a.ConversationID != 0 {
			trigger, subject, conversation = "conversation", a.ConversationID, a.ConversationID
		}
		if subject == 0 {
			return fmt.Errorf("seed answer %d: neither an order nor a conversation", i)
		}
		at := a.At.UTC()
		var confirmed any = at
		if a.Unconfirmed {
			confirmed = nil
		}
		var commentAt any
		if a.Comment != "" {
			commentAt = at
		}
		rows = append(rows, []any{a.Kind, trigger, subject, a.CustomerID, order, conversation, a.Language, a.Channel,
			a.Score, at, confirmed, at.Add(-72 * time.Hour), a.Comment, commentAt, at, at})
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		return store.InsertMany(ctx, tx, "surveys", []string{"kind", "trigger", "subject_id", "customer_id", "order_id",
			"conversation_id", "language", "channel", "score", "scored_at", "confirmed_at", "asked_at", "comment",
			"comment_at", "created_at", "updated_at"}, rows, "", nil)
	})
	if err != nil {
		return fmt.Errorf("seed survey answers: %w", err)
	}
	return nil
}
