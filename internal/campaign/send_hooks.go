package campaign

import (
	"context"

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

func defaultHooks(s *Service) sendHooks {
	return sendHooks{
		members: s.Members,
		compile: func(c *Campaign) (renderer, error) {
			k, err := s.compile(c)
			if err != nil {
				return nil, err
			}
			return k, nil
		},
		scores: s.variantScore,
	}
}
