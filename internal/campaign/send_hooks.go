package campaign

import (
	"context"
	"fmt"

	"github.com/shopcare/shopcare/internal/store"
)

// sendHooks are what the sender uses of the other parts: the audience's
// members (core), the content's renderer (content) and the A/B test's
// scores (results). They are bound to the parts' methods when the
// Service has them; a test may put its own in.
type sendHooks struct {
	members func(ctx context.Context, q store.Querier, a Audience, channel string, fn func(id int64) error) error
	compile func(c *Campaign) (renderer, error)
	scores  func(ctx context.Context, id int64, metric string) (map[string]float64, error)
}

// renderer renders one variant of a compiled campaign for a recipient
// (*Compiled).
type renderer interface {
	Render(variant string, r Recipient) (Rendered, error)
}

// The parts' methods the hooks bind to, by the frame's signatures.
type (
	membersOf interface {
		Members(ctx context.Context, q store.Querier, a Audience, channel string, fn func(id int64) error) error
	}
	variantScorer interface {
		variantScore(ctx context.Context, id int64, metric string) (map[string]float64, error)
	}
)

func defaultHooks(s *Service) sendHooks {
	h := sendHooks{
		members: func(context.Context, store.Querier, Audience, string, func(int64) error) error {
			return fmt.Errorf("audience members: %w", errNotBuilt)
		},
		compile: func(c *Campaign) (renderer, error) {
			k, err := s.compile(c)
			if err != nil {
				return nil, err
			}
			return k, nil
		},
		scores: s.clickScores,
	}
	if m, ok := any(s).(membersOf); ok {
		h.members = m.Members
	}
	if v, ok := any(s).(variantScorer); ok {
		h.scores = v.variantScore
	}
	return h
}

// clickScores counts each variant's customers who clicked: the A/B
// test's score until the results part's variantScore is there (it also
// scores by orders).
func (s *Service) clickScores(ctx context.Context, id int64, _ string) (map[string]float64, error) {
	out := map[string]float64{}
	err := store.Each(ctx, s.db.Read(), `SELECT r.variant, COUNT(DISTINCT k.customer_id) FROM campaign_clicks k
		JOIN campaign_recipients r ON r.campaign_id = k.campaign_id AND r.customer_id = k.customer_id
		WHERE k.campaign_id = $1 AND k.suspect = '' GROUP BY r.variant`, []any{id}, func(r store.Rows) error {
		var v string
		var n int64
		if err := r.Scan(&v, &n); err != nil {
			return err
		}
		out[v] = float64(n)
		return nil
	})
	return out, err
}
