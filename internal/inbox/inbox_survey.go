package inbox

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopcare/shopcare/internal/i18n"
	"github.com/shopcare/shopcare/internal/store"
)

// SurveyLinks signs the score links of a conversation's CSAT question
// through the shop's one survey engine (survey.Service): closing a
// conversation asks through it, and the answers live with the other
// surveys' (links /s/…). The old rating links (/r/…) still work.
type SurveyLinks interface {
	Enabled() bool
	// ConversationLinks are the links of the scores 1 to 5.
	ConversationLinks(conversationID, customerID int64, at time.Time) []string
}

// ratingLinks are the five links of the question: the survey engine's
// when the shop asks surveys and the conversation has a customer, else
// the rating page's.
func (s *Service) ratingLinks(c *Conversation, token string, now time.Time) []string {
	if s.surveys != nil && s.surveys.Enabled() && c.CustomerID != 0 {
		if links := s.surveys.ConversationLinks(c.ID, c.CustomerID, now); len(links) == 5 {
			return links
		}
	}
	links := make([]string, 0, 5)
	for n := 1; n <= 5; n++ {
		links = append(links, RatingURL(s.settings.Shop.PublicURL, token, n))
	}
	return links
}

// ratingTextOf is the question in lang with its five links.
func (s *Service) ratingTextOf(lang i18n.Lang, links []string) string {
	var b strings.Builder
	b.WriteString(i18n.Text(lang, "rating.ask.text", map[string]any{"Shop": s.settings.Shop.Name}))
	b.WriteString("\n")
	for i, l := range links {
		b.WriteString("\n" + i18n.Text(lang, "rating.score."+strconv.Itoa(i+1), nil) + ": " + l)
	}
	return b.String()
}

// RecordRating keeps a conversation's rating given through the survey
// engine on the conversation too, inside the survey's transaction, so
// the conversation's page shows it as it shows the old links' ratings.
// It journals nothing: the survey journals the answer.
func RecordRating(ctx context.Context, tx *store.Tx, conversationID int64, score int, comment string, at time.Time) error {
	if _, err := tx.Exec(ctx, `UPDATE conversations SET rating_score = $2, rated_at = $3, rating_comment = $4 WHERE id = $1`,
		conversationID, score, at, comment); err != nil {
		return fmt.Errorf("record rating of conversation %d: %w", conversationID, err)
	}
	return nil
}
